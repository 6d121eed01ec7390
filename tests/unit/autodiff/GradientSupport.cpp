#include "tests/unit/autodiff/GradientSupport.h"
#include "tests/unit/e2e/E2ESupport.h"

#include "compiler/transforms/Passes.h"
#include "dialect/NeedleDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

namespace needle::autodiff_test {

std::string buildGradientModel(const std::string &model) {
  mlir::DialectRegistry registry;
  registry.insert<mlir::needle::NeedleDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::tensor::TensorDialect>();
  mlir::MLIRContext context(registry);
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &diag) {
    diagnostics += diag.str() + "\n";
    return mlir::success();
  });
  auto module = mlir::parseSourceString<mlir::ModuleOp>(model, &context);
  if (!module) {
    ADD_FAILURE() << "model does not parse:\n" << diagnostics << model;
    return "";
  }
  mlir::PassManager pm(&context);
  mlir::needle::NeedleSpecializeOptions specialize;
  specialize.mode = "train";
  pm.addNestedPass<mlir::func::FuncOp>(mlir::needle::createNeedleSpecialize(specialize));
  mlir::needle::NeedleAutodiffOptions autodiff;
  autodiff.funcName = "loss";
  pm.addPass(mlir::needle::createNeedleAutodiff(autodiff));
  if (mlir::failed(pm.run(*module))) {
    ADD_FAILURE() << "autodiff failed:\n" << diagnostics << model;
    return "";
  }
  auto grad = module->lookupSymbol<mlir::func::FuncOp>("loss_grad");
  if (!grad) {
    ADD_FAILURE() << "no @loss_grad";
    return "";
  }
  grad.setSymName("forward");
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  return text;
}

std::string compileGradient(const std::string &name, const std::string &model) {
  std::string text = buildGradientModel(model);
  if (text.empty())
    return "";
  return e2e::compile(e2e::writeModel("grad_" + name, text), "grad_" + name);
}

} // namespace needle::autodiff_test
