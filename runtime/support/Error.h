//===- Error.h - Errors of the Strata runtime -----------------------------===//
//
// The runtime reports bad input (a corrupt artifact, a missing data file, a
// wrong shape) by throwing RuntimeError with a message that names the file
// and what is wrong; tools catch it at their boundary, print it and exit
// with a non-zero status.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_SUPPORT_ERROR_H
#define STRATA_RUNTIME_SUPPORT_ERROR_H

#include <stdexcept>
#include <string>

namespace strata::runtime {

class RuntimeError : public std::runtime_error {
public:
  explicit RuntimeError(const std::string &message)
      : std::runtime_error(message) {}
};

} // namespace strata::runtime

#endif // STRATA_RUNTIME_SUPPORT_ERROR_H
