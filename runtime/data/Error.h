//===- Error.h - Errors of the runtime as values --------------------------===//
//
// The runtime never links LLVM, so it has its own small error values:
// `Error` (a message that names the file, record and byte offset concerned),
// `Expected<T>` (a T or an Error) and `Status` (success or an Error). Runtime
// functions never throw on bad input and never abort; a tool prints
// `error.message()` and exits non-zero.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_RUNTIME_DATA_ERROR_H
#define STRATA_RUNTIME_DATA_ERROR_H

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace strata::runtime {

class Error {
public:
  explicit Error(std::string message) : message_(std::move(message)) {}
  const std::string &message() const { return message_; }

private:
  std::string message_;
};

/// A value of type T, or the Error that prevented computing it.
template <typename T> class [[nodiscard]] Expected {
public:
  Expected(T value) : storage_(std::move(value)) {}
  Expected(Error error) : storage_(std::move(error)) {}

  /// True when a value is held.
  explicit operator bool() const { return storage_.index() == 0; }
  T &operator*() { return std::get<0>(storage_); }
  const T &operator*() const { return std::get<0>(storage_); }
  T *operator->() { return &std::get<0>(storage_); }
  const T *operator->() const { return &std::get<0>(storage_); }
  const Error &error() const { return std::get<1>(storage_); }
  /// Moves the held value out.
  T take() { return std::move(std::get<0>(storage_)); }

private:
  std::variant<T, Error> storage_;
};

/// Success, or an Error.
class [[nodiscard]] Status {
public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}
  static Status success() { return Status(); }

  /// True on success.
  explicit operator bool() const { return !error_; }
  const Error &error() const { return *error_; }

private:
  std::optional<Error> error_;
};

} // namespace strata::runtime

#endif // STRATA_RUNTIME_DATA_ERROR_H
