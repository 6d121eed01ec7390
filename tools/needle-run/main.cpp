// needle-run: load an artifact, call one entry point, print or save results.
//
//   needle-run MODEL.so --function=infer --input=@x.npy [--input=...]
//       [--output=@y.npy] [--seed=N] [--checkpoint=IN.safetensors]
//       [--save-checkpoint=OUT.safetensors] [--repeat=N] [--list]
//       [--set NAME=VALUE] [--device=cpu] [--threads=N]
//
// A thin main: flags here, everything else in the runtime library. Exit 0 on
// success; otherwise one line "needle-run: error: ..." and a non-zero code.
#include "runtime/Module.h"
#include "runtime/Npy.h"
#include "runtime/TensorText.h"

#include <charconv>
#include <cstdio>
#include <string>
#include <vector>

using namespace needle::runtime;

namespace {

constexpr char kUsage[] =
    "usage: needle-run MODEL.so --function=NAME [--input=@X.npy | "
    "--input=2x3xf32=1 2 3 4 5 6]... [--output=@Y.npy]... [--seed=N]\n"
    "                  [--checkpoint=IN.safetensors] "
    "[--save-checkpoint=OUT.safetensors] [--repeat=N]\n"
    "                  [--set NAME=VALUE]... [--device=cpu] [--threads=N] [--list]\n";

struct Flags {
  std::string model;
  std::string function;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::vector<std::string> sets;
  LoadOptions load;
  std::string saveCheckpoint;
  uint64_t repeat = 1;
  bool list = false;
};

int fail(const std::string &message, int code = 1) {
  std::fprintf(stderr, "needle-run: error: %s\n", message.c_str());
  return code;
}

bool parseUnsigned(const std::string &text, uint64_t max, uint64_t &value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && value <= max;
}

// Returns an error message, or "" when the flags are usable.
std::string parseFlags(int argc, char **argv, Flags &flags) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char *name) -> const char * {
      std::string prefix = std::string(name) + "=";
      return arg.rfind(prefix, 0) == 0 ? argv[i] + prefix.size() : nullptr;
    };
    uint64_t number = 0;
    if (const char *v = value("--function")) {
      flags.function = v;
    } else if (const char *v = value("--input")) {
      flags.inputs.push_back(v);
    } else if (const char *v = value("--output")) {
      flags.outputs.push_back(v[0] == '@' ? v + 1 : v);
    } else if (const char *v = value("--seed")) {
      if (!parseUnsigned(v, UINT32_MAX, number))
        return "--seed needs an integer in [0, 4294967295], got '" +
               std::string(v) + "'";
      flags.load.seed = uint32_t(number);
    } else if (const char *v = value("--threads")) {
      if (!parseUnsigned(v, 4096, number) || number == 0)
        return "--threads needs an integer in [1, 4096], got '" + std::string(v) + "'";
      flags.load.threads = int(number);
    } else if (const char *v = value("--checkpoint")) {
      flags.load.checkpoint = v;
    } else if (const char *v = value("--save-checkpoint")) {
      flags.saveCheckpoint = v;
    } else if (const char *v = value("--repeat")) {
      if (!parseUnsigned(v, UINT32_MAX, number) || number == 0)
        return "--repeat needs a positive integer, got '" + std::string(v) + "'";
      flags.repeat = number;
    } else if (const char *v = value("--set")) {
      flags.sets.push_back(v);
    } else if (arg == "--set") {
      if (++i == argc)
        return "--set needs NAME=VALUE";
      flags.sets.push_back(argv[i]);
    } else if (const char *v = value("--device")) {
      if (std::string(v) == "cuda")
        return "--device=cuda is not supported by this build's CPU executor";
      if (std::string(v) != "cpu")
        return "unknown device '" + std::string(v) + "' (expected cpu)";
    } else if (arg == "--list") {
      flags.list = true;
    } else if (arg.rfind("-", 0) == 0) {
      return "unknown flag '" + arg + "' (see --help)";
    } else if (flags.model.empty()) {
      flags.model = arg;
    } else {
      return "more than one model given ('" + flags.model + "' and '" + arg + "')";
    }
  }
  if (flags.model.empty())
    return "no model given (see --help)";
  if (!flags.list && flags.function.empty())
    return "--function=NAME is required (use --list to see the entry points)";
  return "";
}

std::string describe(const std::vector<TensorSpec> &specs) {
  std::string out;
  for (const TensorSpec &spec : specs)
    out += (out.empty() ? "" : ", ") + spec.name + ": " + dtypeName(spec.dtype) +
           formatShape(spec.shape);
  return out;
}

void list(const Module &module) {
  const Manifest &manifest = module.manifest();
  std::printf("artifact: target %s, compiler %s\nentry points:\n",
              manifest.target.c_str(), manifest.compilerVersion.c_str());
  for (const EntryPointSpec &entry : manifest.entryPoints) {
    std::printf("  %s(%s) -> (%s)\n", entry.name.c_str(),
                describe(entry.inputs).c_str(), describe(entry.outputs).c_str());
    std::string writes;
    for (const std::string &name : entry.writes)
      writes += (writes.empty() ? "" : ", ") + name;
    if (!writes.empty())
      std::printf("    writes: %s\n", writes.c_str());
    if (!entry.description.empty())
      std::printf("    %s\n", entry.description.c_str());
  }
  std::printf("variables:\n");
  for (const VariableSpec &variable : manifest.variables)
    std::printf("  %s: %s %s%s, %s\n", variable.name.c_str(),
                variableKindName(variable.kind), dtypeName(variable.dtype),
                formatShape(variable.shape).c_str(),
                describeInitializer(variable.initializer).c_str());
}

Status applySet(Module &module, const std::string &assignment) {
  size_t equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0)
    return Status::error("--set needs NAME=VALUE, got '" + assignment + "'");
  std::string name = assignment.substr(0, equals);
  const VariableSpec *spec = module.manifest().findVariable(name);
  if (!spec)
    return module.variable(name).status(); // names the known variables
  StatusOr<Tensor> value =
      parseVariableValue(assignment.substr(equals + 1), spec->dtype, spec->shape);
  if (!value.ok())
    return value.status().withContext("--set " + name);
  return module.setVariable(name, *value);
}

int run(const Flags &flags) {
  StatusOr<Module> loaded = Module::load(flags.model, flags.load);
  if (!loaded.ok())
    return fail(loaded.status().message());
  Module &module = *loaded;
  if (flags.list) {
    list(module);
    return 0;
  }
  for (const std::string &assignment : flags.sets) {
    Status status = applySet(module, assignment);
    if (!status.ok())
      return fail(status.message());
  }
  std::vector<Tensor> inputs;
  for (const std::string &argument : flags.inputs) {
    StatusOr<Tensor> input = parseTensorArgument(argument);
    if (!input.ok())
      return fail(input.status().message());
    inputs.push_back(std::move(*input));
  }
  const EntryPointSpec *entry = module.manifest().findEntryPoint(flags.function);
  if (entry && flags.outputs.size() > entry->outputs.size())
    return fail(std::to_string(flags.outputs.size()) + " --output flags but '" +
                flags.function + "' has " + std::to_string(entry->outputs.size()) +
                " output(s)");
  std::vector<Tensor> results;
  for (uint64_t i = 0; i < flags.repeat; ++i) {
    StatusOr<std::vector<Tensor>> called = module.call(flags.function, inputs);
    if (!called.ok())
      return fail(called.status().message());
    results = std::move(*called);
  }
  if (!flags.saveCheckpoint.empty()) {
    Status saved = module.saveCheckpoint(flags.saveCheckpoint);
    if (!saved.ok())
      return fail(saved.message());
  }
  for (size_t i = 0; i < results.size(); ++i) {
    if (i < flags.outputs.size()) {
      Status written = writeNpy(flags.outputs[i], results[i]);
      if (!written.ok())
        return fail(written.message());
      continue;
    }
    std::printf("%s: %s\n%s\n", entry->outputs[i].name.c_str(),
                results[i].typeString().c_str(), formatTensor(results[i]).c_str());
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
  Flags flags;
  std::string error = parseFlags(argc, argv, flags);
  if (!error.empty())
    return fail(error, 2);
  return run(flags);
}
