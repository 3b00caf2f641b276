# cmake -DBINARY=<file> -DREADELF=<readelf> -DFORBIDDEN="libpq;libcurl" -P check_needed_libraries.cmake
# cmake -DBINARY=<file> -DREADELF=<readelf> -DALLOWED="libc;libm;ld-linux-x86-64" -P check_needed_libraries.cmake
# FORBIDDEN: fails when the dynamic section of BINARY lists (NEEDED) one of those libraries. libpq and libcurl are
# opened with dlopen at first use; linking one again would map it, and its dependency chain, into every process.
# ALLOWED: fails when BINARY needs anything else: the static release build (cmake/static_dependencies.cmake) keeps
# only glibc shared.
foreach(var BINARY READELF)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_needed_libraries.cmake: -D${var}=... is required")
  endif()
endforeach()
if((DEFINED FORBIDDEN AND DEFINED ALLOWED) OR (NOT DEFINED FORBIDDEN AND NOT DEFINED ALLOWED))
  message(FATAL_ERROR "check_needed_libraries.cmake: give exactly one of -DFORBIDDEN=... and -DALLOWED=...")
endif()

execute_process(COMMAND ${READELF} --dynamic ${BINARY} OUTPUT_VARIABLE dynamic ERROR_VARIABLE error
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${READELF} --dynamic ${BINARY} failed (${result}): ${error}")
endif()

# Lines like " 0x0000000000000001 (NEEDED)  Shared library: [libssl.so.3]" → "libssl.so.3".
string(REGEX MATCHALL "\\(NEEDED\\)[^\n]*\\[[^]\n]+\\]" needed_lines "${dynamic}")
set(needed "")
foreach(line IN LISTS needed_lines)
  string(REGEX REPLACE ".*\\[([^]]+)\\].*" "\\1" library "${line}")
  list(APPEND needed "${library}")
endforeach()
if(needed STREQUAL "")
  # A dynamically linked executable always needs libc at least: an empty list means the output was not understood.
  message(FATAL_ERROR "no NEEDED entries found in ${BINARY}; readelf output:\n${dynamic}")
endif()

# True when `library` (libcurl.so.4, libcurl-gnutls.so.4) is one of the names in `names` (libcurl).
function(matches_any library names out)
  set(${out} FALSE PARENT_SCOPE)
  foreach(name IN LISTS names)
    if(library MATCHES "^${name}[.-]")
      set(${out} TRUE PARENT_SCOPE)
    endif()
  endforeach()
endfunction()

set(offending "")
foreach(library IN LISTS needed)
  if(DEFINED FORBIDDEN)
    matches_any("${library}" "${FORBIDDEN}" bad)
  else()
    matches_any("${library}" "${ALLOWED}" allowed)
    set(bad TRUE)
    if(allowed)
      set(bad FALSE)
    endif()
  endif()
  if(bad)
    list(APPEND offending "${library}")
  endif()
endforeach()
list(JOIN needed ", " needed_text)
if(offending)
  list(JOIN offending ", " offending_text)
  if(DEFINED FORBIDDEN)
    message(FATAL_ERROR "${BINARY} links ${offending_text}, which must be opened at run time instead "
                        "(NEEDED: ${needed_text})")
  endif()
  message(FATAL_ERROR "${BINARY} links ${offending_text} as shared libraries; only ${ALLOWED} may be "
                      "(NEEDED: ${needed_text})")
endif()
message(STATUS "NEEDED: ${needed_text}")
