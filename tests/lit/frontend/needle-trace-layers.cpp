//===- needle-trace-layers.cpp - trace one layer for the lit tests --------===//
//
// Traces a small model around one nn layer and prints the model file, so
// that lit tests can FileCheck what the frontend records:
//   needle-trace-layers linear|linear-no-bias|batchnorm1d|residual|mismatch
// Diagnostics go to stderr; a failed trace exits with 1.
//
//===----------------------------------------------------------------------===//
#include "compiler/frontend/Trace.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <map>
#include <string>

using namespace needle;

namespace {
struct Sample {
  std::function<nn::Sequential()> build;
  int64_t features;
};
} // namespace

int main(int argc, char **argv) {
  const std::map<std::string, Sample> samples = {
      {"linear", {[] { return nn::Sequential{nn::Linear(4, 3)}; }, 4}},
      {"linear-no-bias", {[] { return nn::Sequential{nn::Linear(4, 3, false)}; }, 4}},
      {"batchnorm1d", {[] { return nn::Sequential{nn::BatchNorm1d(3, 1e-3, 0.2)}; }, 3}},
      {"residual",
       {[] {
          return nn::Sequential{nn::Residual(
              nn::Sequential{nn::Linear(3, 2), nn::ReLU(), nn::Linear(2, 3)})};
        },
        3}},
      {"mismatch",
       {[] {
          return nn::Sequential{nn::Linear(4, 3), nn::Linear(2, 5)};
        },
        4}},
  };
  auto sample = argc == 2 ? samples.find(argv[1]) : samples.end();
  if (sample == samples.end()) {
    llvm::errs() << "usage: " << argv[0] << " <";
    for (const auto &[name, unused] : samples)
      llvm::errs() << name << (name == samples.rbegin()->first ? ">\n" : "|");
    return 2;
  }
  nn::Sequential model = sample->second.build();
  nn::SoftmaxLoss loss;
  mlir::MLIRContext context;
  frontend::DiagnosticPrinter diagnostics(context);
  auto module = frontend::trace(context, model,
                                {{frontend::kDynamic, sample->second.features}}, {&loss});
  if (!module)
    return 1;
  frontend::printModel(*module, llvm::outs(), "");
  return 0;
}
