// Status and StatusOr<T>: the project's one error-handling convention.
//
// Rule (written down once, here): functions that can fail return Status or StatusOr<T>; exceptions never
// cross a module boundary. Library code that throws (Boost.JSON's value_to, std::stoi, ...) is caught at the
// point of use and turned into a Status.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace pocketid {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller's input is wrong (bad config value, malformed request)
  kNotFound,            // the thing asked for does not exist
  kAlreadyExists,       // uniqueness violated
  kPermissionDenied,    // authenticated but not allowed
  kUnauthenticated,     // no or bad credentials
  kFailedPrecondition,  // the system is not in a state where this can run
  kUnavailable,         // a dependency (database, network) did not answer
  kDataLoss,            // stored data cannot be read back (bad ciphertext, corrupt row)
  kInternal,            // a bug or an unexpected library failure
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "<message>" for errors, "OK" otherwise. Messages are written for the person who reads the log line.
  std::string ToString() const { return ok() ? "OK" : message_; }

  // Returns a copy whose message is "<prefix>: <message>", keeping the code. Used to add context on the way up.
  Status WithPrefix(std::string_view prefix) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgumentError(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status NotFoundError(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status AlreadyExistsError(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
inline Status PermissionDeniedError(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }
inline Status UnauthenticatedError(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }
inline Status FailedPreconditionError(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
inline Status UnavailableError(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status DataLossError(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
inline Status InternalError(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design, like absl::StatusOr
  StatusOr(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "StatusOr constructed from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace pocketid

#define PID_STATUS_CONCAT_INNER_(a, b) a##b
#define PID_STATUS_CONCAT_(a, b) PID_STATUS_CONCAT_INNER_(a, b)

// Returns early from the enclosing function when `expr` (a Status) is an error.
#define PID_RETURN_IF_ERROR(expr)                   \
  do {                                              \
    ::pocketid::Status pid_status_tmp_ = (expr);    \
    if (!pid_status_tmp_.ok()) return pid_status_tmp_; \
  } while (0)

// `PID_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from a StatusOr or returns its error.
#define PID_ASSIGN_OR_RETURN(lhs, expr) \
  PID_ASSIGN_OR_RETURN_IMPL_(PID_STATUS_CONCAT_(pid_statusor_, __LINE__), lhs, expr)
#define PID_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(tmp).value()
