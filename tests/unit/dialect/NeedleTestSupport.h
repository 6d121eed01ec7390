//===- NeedleTestSupport.h - fixture for the dialect's unit tests -*- C++ -*-===//
//
// A module with one function whose arguments stand for the values a test
// needs, an OpBuilder positioned in that function, and a diagnostic handler
// that keeps every message instead of printing it.
//
//===----------------------------------------------------------------------===//
#ifndef NEEDLE_TESTS_UNIT_DIALECT_NEEDLETESTSUPPORT_H
#define NEEDLE_TESTS_UNIT_DIALECT_NEEDLETESTSUPPORT_H

#include "dialect/NeedleDialect.h"
#include "dialect/NeedleOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace needle::test {

inline constexpr int64_t kDyn = mlir::ShapedType::kDynamic;

class NeedleTest : public ::testing::Test {
protected:
  NeedleTest()
      : builder(&context), loc(mlir::FileLineColLoc::get(&context, "test.py", 7, 3)),
        handler(&context, [this](mlir::Diagnostic &diag) {
          diagnostics.push_back(diag.str());
          diagnosticLocations.push_back(diag.getLocation());
          return mlir::success();
        }) {
    context.loadDialect<mlir::needle::NeedleDialect, mlir::func::FuncDialect>();
    f32 = builder.getF32Type();
    f64 = builder.getF64Type();
    i64 = builder.getI64Type();
    module = mlir::ModuleOp::create(loc);
    builder.setInsertionPointToEnd(module->getBody());
    function = mlir::func::FuncOp::create(builder, loc, "test",
                                          builder.getFunctionType({}, {}));
    builder.setInsertionPointToEnd(function.addEntryBlock());
  }

  mlir::RankedTensorType tensor(llvm::ArrayRef<int64_t> shape, mlir::Type element) {
    return mlir::RankedTensorType::get(shape, element);
  }
  mlir::RankedTensorType tensor(llvm::ArrayRef<int64_t> shape) { return tensor(shape, f32); }

  /// A new argument of the test function.
  mlir::Value arg(mlir::Type type) {
    return function.getBody().front().addArgument(type, loc);
  }

  /// Terminates the test function, makes its type match its arguments and
  /// verifies the module.
  mlir::LogicalResult verifyModule() {
    mlir::Block &body = function.getBody().front();
    if (body.empty() || !body.back().hasTrait<mlir::OpTrait::IsTerminator>()) {
      mlir::OpBuilder::InsertionGuard guard(builder);
      builder.setInsertionPointToEnd(&body);
      mlir::func::ReturnOp::create(builder, loc);
    }
    function.setFunctionType(builder.getFunctionType(body.getArgumentTypes(), {}));
    return mlir::verify(*module);
  }

  /// Every message so far, one per line.
  std::string allDiagnostics() const {
    std::string text;
    for (const std::string &message : diagnostics)
      text += message + "\n";
    return text;
  }

  mlir::MLIRContext context;
  mlir::OpBuilder builder;
  mlir::Location loc;
  std::vector<std::string> diagnostics;
  std::vector<mlir::Location> diagnosticLocations;
  mlir::ScopedDiagnosticHandler handler;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::func::FuncOp function;
  mlir::Type f32, f64, i64;
};

/// Expects `text` to contain each of `parts`.
#define EXPECT_CONTAINS_ALL(text, ...)                                          \
  do {                                                                         \
    const std::string needleText_ = (text);                                    \
    for (const char *part : {__VA_ARGS__})                                     \
      EXPECT_NE(needleText_.find(part), std::string::npos)                     \
          << "missing \"" << part << "\" in:\n" << needleText_;                \
  } while (false)

} // namespace needle::test

#endif // NEEDLE_TESTS_UNIT_DIALECT_NEEDLETESTSUPPORT_H
