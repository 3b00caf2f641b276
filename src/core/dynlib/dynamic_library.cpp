#include "core/dynlib/dynamic_library.h"

#include <dlfcn.h>

#include <utility>

namespace pocketid::dynlib {
namespace {

// dlerror() describes the last failure of this thread; it can be null when the dl* call left no message.
std::string LastDlError() {
  const char* error = ::dlerror();
  return error != nullptr ? error : "unknown error";
}

}  // namespace

StatusOr<DynamicLibrary> DynamicLibrary::Open(const std::string& soname, std::string_view needed_for) {
  void* handle = ::dlopen(soname.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    std::string message = "failed to load " + soname;
    if (!needed_for.empty()) message += " (needed for " + std::string(needed_for) + ")";
    return FailedPreconditionError(message + ": " + LastDlError());
  }
  return DynamicLibrary(handle, soname);
}

DynamicLibrary::DynamicLibrary(DynamicLibrary&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), soname_(std::move(other.soname_)) {}

DynamicLibrary& DynamicLibrary::operator=(DynamicLibrary&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr) ::dlclose(handle_);
    handle_ = std::exchange(other.handle_, nullptr);
    soname_ = std::move(other.soname_);
  }
  return *this;
}

DynamicLibrary::~DynamicLibrary() {
  if (handle_ != nullptr) ::dlclose(handle_);
}

StatusOr<void*> DynamicLibrary::Symbol(const char* name) const {
  if (handle_ == nullptr) return FailedPreconditionError(std::string("no library is open to look up ") + name);
  ::dlerror();  // clear a stale message, so that the one read below belongs to this lookup
  void* address = ::dlsym(handle_, name);
  if (address == nullptr) {
    return FailedPreconditionError(soname_ + " has no symbol " + name + ": " + LastDlError());
  }
  return address;
}

}  // namespace pocketid::dynlib
