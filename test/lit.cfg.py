# lit configuration of Strata's FileCheck tests.
import os
import lit.formats

config.name = "Strata"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".conf", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.strata_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "unit", "runtime", "Inputs", "expect-exit.py"]

config.environment["PATH"] = os.pathsep.join(
    [config.strata_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])
config.substitutions.append(("%strata_src", config.strata_src_root))
config.substitutions.append(("%shared", os.path.join(os.path.dirname(config.strata_src_root), "shared")))
config.substitutions.append(
    ("%expect_exit", "python3 " + os.path.join(config.test_source_root, "expect-exit.py")))
# The pinned test-only Python packages (scripts/setup-python.sh): onnx, numpy.
config.substitutions.append(
    ("%venv_python", os.path.join(config.strata_src_root, ".cache", "venv", "bin", "python")))
