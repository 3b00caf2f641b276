// A shared library opened at run time (dlopen) instead of linked: libraries that only some configurations or rare
// code paths need, so that a process which never uses them does not map them and their dependencies.
#pragma once

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "core/status/status.h"

namespace pocketid::dynlib {

class DynamicLibrary {
 public:
  // Opens `soname` (e.g. "libpq.so.5") with RTLD_NOW | RTLD_LOCAL: every symbol is bound now, so a broken install
  // fails here rather than at some later call, and its symbols do not leak into the global namespace. When it
  // cannot be loaded, the error reads "failed to load <soname> (needed for <needed_for>): <dlerror>"; the
  // parenthesis is left out when `needed_for` is empty.
  static StatusOr<DynamicLibrary> Open(const std::string& soname, std::string_view needed_for = {});

  DynamicLibrary(DynamicLibrary&& other) noexcept;
  DynamicLibrary& operator=(DynamicLibrary&& other) noexcept;
  DynamicLibrary(const DynamicLibrary&) = delete;
  DynamicLibrary& operator=(const DynamicLibrary&) = delete;
  ~DynamicLibrary();  // dlclose: pointers resolved from this library are dangling afterwards

  const std::string& soname() const { return soname_; }

  // The address of the symbol `name`; an error naming the library and the symbol when it has none.
  StatusOr<void*> Symbol(const char* name) const;

  // Resolves `name` into `fn`, a function pointer of the symbol's real type (decltype(&PQexec) and the like).
  template <typename Fn>
  Status Resolve(const char* name, Fn& fn) const {
    static_assert(std::is_pointer_v<Fn> && std::is_function_v<std::remove_pointer_t<Fn>>,
                  "Resolve fills function pointers");
    PID_ASSIGN_OR_RETURN(void* address, Symbol(name));
    // POSIX guarantees that a dlsym result converts to a function pointer.
    fn = reinterpret_cast<Fn>(address);
    return Status::Ok();
  }

 private:
  DynamicLibrary(void* handle, std::string soname) : handle_(handle), soname_(std::move(soname)) {}

  void* handle_ = nullptr;
  std::string soname_;
};

// An opened library with the table of functions resolved from it (libpq_api.h, libcurl_api.h); the table's pointers
// are valid while `library` is open.
template <typename Api>
struct LoadedLibrary {
  DynamicLibrary library;
  Api api;
};

}  // namespace pocketid::dynlib
