# lit configuration of the example plugin's tests.
import os
import lit.formats

config.name = "StrataExamplePlugin"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.plugin_obj_root, "test")
config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.environment.get("PATH", "")])
config.substitutions.append(("%strata_opt", config.strata_opt))
config.substitutions.append(("%plugin", config.plugin))
