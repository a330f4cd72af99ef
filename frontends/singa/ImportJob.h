//===- ImportJob.h - SINGA job configurations to the strata dialect -------===//

#ifndef STRATA_FRONTENDS_SINGA_IMPORTJOB_H
#define STRATA_FRONTENDS_SINGA_IMPORTJOB_H

#include "frontends/singa/JobFile.h"
#include "frontends/singa/JobNet.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

namespace strata::singa {

/// Lowers a parsed and checked job to one module: a parameter per param, a
/// forward function per phase (`@train`, `@val`, `@test`), and the job's
/// updater, algorithm, cluster and schedule as module attributes. Errors are
/// emitted as diagnostics located at the offending layer (file:line:col and
/// the layer's name); returns null after an error.
mlir::OwningOpRef<mlir::ModuleOp> importJob(const JobFile &file,
                                            const std::vector<PhaseNet> &phases,
                                            mlir::MLIRContext &context);

/// Reads, checks and imports `path`; errors are printed as
/// "path:line:col: error: ..." to `errs`. Null on failure.
mlir::OwningOpRef<mlir::ModuleOp> importJobFile(llvm::StringRef path,
                                                mlir::MLIRContext &context,
                                                llvm::raw_ostream &errs);

} // namespace strata::singa

#endif // STRATA_FRONTENDS_SINGA_IMPORTJOB_H
