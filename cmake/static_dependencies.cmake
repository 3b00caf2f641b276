# PID_STATIC_DEPS: link the release binary as a non-PIE executable with its libraries' static archives (OpenSSL,
# SQLite, Boost, ICU, libstdc++, the image and GeoIP libraries), keeping only glibc, spdlog and fmt shared (Debian
# ships no .a for the last two) and libpq/libcurl opened at run time (core/dynlib).
#
# Why: an idle server's memory is mostly file-backed pages of the libraries it maps, inflated by the kernel's
# fault-around (each touched page maps its 64 KB neighbourhood) and by the relocated data of every shared library.
# Measured on a small program (README, "Benchmarks"): 8.5 MB RSS linked shared, 5.9 MB static non-PIE.
#
# Include this before any find_package() or pkg_check_modules(); use pid_pkg_check_modules() instead of the latter.

if(CMAKE_BUILD_TYPE STREQUAL "Release")
  set(pid_static_default ON)
else()
  set(pid_static_default OFF)
endif()
option(PID_STATIC_DEPS "Link dependencies statically into a non-PIE executable (default in Release builds)"
       ${pid_static_default})

if(PID_STATIC_DEPS AND PID_SANITIZE)
  message(FATAL_ERROR "PID_STATIC_DEPS and PID_SANITIZE do not mix: the sanitizer runtimes need the shared libraries")
endif()

if(PID_STATIC_DEPS)
  # Non-PIE code is also slightly faster (no GOT indirection for our own globals).
  set(CMAKE_POSITION_INDEPENDENT_CODE OFF)
  add_compile_options(-fno-pie)
  add_compile_options(-ffunction-sections -fdata-sections)
  add_link_options(-no-pie -static-libstdc++ -static-libgcc -Wl,--gc-sections)
  # find_library() (and so FindOpenSSL, FindSQLite3, FindZLIB) prefers the archive.
  set(CMAKE_FIND_LIBRARY_SUFFIXES .a .so)
  set(OPENSSL_USE_STATIC_LIBS TRUE)
  set(ZLIB_USE_STATIC_LIBS ON)
  set(Boost_USE_STATIC_LIBS ON)
endif()

# In a module's static closure: glibc's libraries stay shared (linked by name); libstdc++ and libgcc are dropped, as
# -static-libstdc++ and -static-libgcc already link their archives (naming them would pull in the shared copies).
set(PID_GLIBC_LIBRARIES c m dl pthread rt)
set(PID_COMPILER_RUNTIME_LIBRARIES stdc++ gcc gcc_s)

# pid_pkg_check_modules(<prefix> <modules...>): pkg_check_modules(<prefix> REQUIRED IMPORTED_TARGET <modules...>),
# and with PID_STATIC_DEPS the target PkgConfig::<prefix> links the archives of the modules' static closure
# (pkg-config --static) instead of the shared libraries.
function(pid_pkg_check_modules prefix)
  pkg_check_modules(${prefix} REQUIRED IMPORTED_TARGET ${ARGN})
  if(NOT PID_STATIC_DEPS)
    return()
  endif()
  set(libs "")
  foreach(name IN LISTS ${prefix}_STATIC_LIBRARIES)
    if(name IN_LIST PID_GLIBC_LIBRARIES)
      list(APPEND libs ${name})
      continue()
    endif()
    if(name IN_LIST PID_COMPILER_RUNTIME_LIBRARIES)
      continue()
    endif()
    find_library(PID_STATIC_LIB_${name} NAMES lib${name}.a HINTS ${${prefix}_STATIC_LIBRARY_DIRS})
    if(NOT PID_STATIC_LIB_${name})
      message(FATAL_ERROR "PID_STATIC_DEPS: no static archive lib${name}.a for ${ARGN}")
    endif()
    list(APPEND libs ${PID_STATIC_LIB_${name}})
  endforeach()
  # An archive may need a later one (freetype needs png16 needs z): keep pkg-config's order, duplicates included.
  set_property(TARGET PkgConfig::${prefix} PROPERTY INTERFACE_LINK_LIBRARIES ${libs})
endfunction()
