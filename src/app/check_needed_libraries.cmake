# cmake -DBINARY=<file> -DREADELF=<readelf> -DFORBIDDEN="libpq;libcurl" -P check_needed_libraries.cmake
# Fails when the dynamic section of BINARY lists (NEEDED) one of the FORBIDDEN libraries. Those are opened with
# dlopen at first use; linking one again would map it, and its dependency chain, into every process at start-up.
foreach(var BINARY READELF FORBIDDEN)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_needed_libraries.cmake: -D${var}=... is required")
  endif()
endforeach()

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

set(offending "")
foreach(library IN LISTS needed)
  foreach(name IN LISTS FORBIDDEN)
    # libcurl.so.4 and libcurl-gnutls.so.4 alike.
    if(library MATCHES "^${name}[.-]")
      list(APPEND offending "${library}")
    endif()
  endforeach()
endforeach()
list(JOIN needed ", " needed_text)
if(offending)
  list(JOIN offending ", " offending_text)
  message(FATAL_ERROR "${BINARY} links ${offending_text}, which must be opened at run time instead "
                      "(NEEDED: ${needed_text})")
endif()
message(STATUS "NEEDED: ${needed_text}")
