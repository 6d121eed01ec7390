//===- FrontendTestSupport.h - fixture for the frontend's tests -*- C++ -*-===//
//
// An MLIRContext whose diagnostics are kept (with their location and notes)
// instead of printed, and helpers to look at what a trace recorded.
//
//===----------------------------------------------------------------------===//
#ifndef NEEDLE_TESTS_UNIT_FRONTEND_FRONTENDTESTSUPPORT_H
#define NEEDLE_TESTS_UNIT_FRONTEND_FRONTENDTESTSUPPORT_H

#include "compiler/frontend/Trace.h"
#include "compiler/frontend/Tracer.h"
#include "dialect/NeedleOps.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace needle::test {

inline constexpr int64_t kDyn = frontend::kDynamic;

class FrontendTest : public ::testing::Test {
protected:
  FrontendTest()
      : handler(&context, [this](mlir::Diagnostic &diag) {
          std::string text;
          llvm::raw_string_ostream os(text);
          os << diag.getLocation() << ": " << diag.str();
          for (const mlir::Diagnostic &note : diag.getNotes())
            os << "\n  note: " << note.str();
          diagnostics.push_back(text);
          return mlir::success();
        }) {}

  mlir::RankedTensorType f32Tensor(llvm::ArrayRef<int64_t> shape) {
    return mlir::RankedTensorType::get(shape, mlir::Float32Type::get(&context));
  }

  std::string allDiagnostics() const {
    std::string text;
    for (const std::string &message : diagnostics)
      text += message + "\n";
    return text;
  }

  /// The single diagnostic so far.
  std::string onlyDiagnostic() const {
    EXPECT_EQ(diagnostics.size(), 1u) << allDiagnostics();
    return diagnostics.empty() ? std::string() : diagnostics.front();
  }

  /// The op names of `function`'s body, in order, without the terminator.
  static std::vector<std::string> opNames(mlir::func::FuncOp function) {
    std::vector<std::string> names;
    for (mlir::Operation &op : function.getBody().front().without_terminator())
      names.push_back(op.getName().getStringRef().str());
    return names;
  }

  /// The variables of `module` in declaration order.
  static std::vector<mlir::needle::VariableOp> variables(mlir::ModuleOp module) {
    auto range = module.getOps<mlir::needle::VariableOp>();
    return {range.begin(), range.end()};
  }

  static std::vector<std::string> variableNames(mlir::ModuleOp module) {
    std::vector<std::string> names;
    for (mlir::needle::VariableOp variable : variables(module))
      names.push_back(variable.getSymName().str());
    return names;
  }

  static std::string locationOf(mlir::Operation *op) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << op->getLoc();
    return text;
  }

  mlir::MLIRContext context;
  std::vector<std::string> diagnostics;
  mlir::ScopedDiagnosticHandler handler;
};

/// Expects `text` to contain each of `parts`.
#define EXPECT_CONTAINS_ALL(text, ...)                                                   \
  do {                                                                                   \
    const std::string needleText_ = (text);                                              \
    for (const char *part : {__VA_ARGS__})                                               \
      EXPECT_NE(needleText_.find(part), std::string::npos)                               \
          << "missing \"" << part << "\" in:\n"                                          \
          << needleText_;                                                                \
  } while (false)

} // namespace needle::test

#endif // NEEDLE_TESTS_UNIT_FRONTEND_FRONTENDTESTSUPPORT_H
