# lit configuration for needle's FileCheck tests.
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "needle"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.needle_obj_root, "tests", "lit")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py.in"]

config.substitutions.append(("%examples", os.path.join(config.needle_src_root, "examples")))

# Tools from the build tree first, then LLVM's FileCheck, not, count.
tool_dirs = [os.path.join(config.needle_obj_root, "bin"), config.llvm_tools_dir]
llvm_config.with_environment("PATH", tool_dirs, append_path=True)
