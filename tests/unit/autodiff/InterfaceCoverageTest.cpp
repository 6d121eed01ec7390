// Every registered needle op either builds its VJP or says why it has none,
// so a new op cannot be forgotten by autodiff.
#include "dialect/DifferentiableOpInterface.h"
#include "dialect/NeedleDialect.h"
#include "dialect/NeedleOps.h"

#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

using namespace mlir;

namespace {

TEST(DifferentiableOpInterface, EveryNeedleOpIsCovered) {
  MLIRContext context;
  context.loadDialect<needle::NeedleDialect>();
  int count = 0;
  for (RegisteredOperationName op : context.getRegisteredOperations()) {
    if (op.getDialectNamespace() != needle::NeedleDialect::getDialectNamespace())
      continue;
    ++count;
    bool differentiable = op.hasInterface<needle::DifferentiableOpInterface>();
    bool constant = op.hasTrait<needle::OpTrait::NonDifferentiable>();
    EXPECT_TRUE(differentiable || constant)
        << op.getStringRef().str()
        << " neither implements DifferentiableOpInterface nor is marked "
           "Needle_NonDifferentiable<reason>";
    EXPECT_FALSE(differentiable && constant)
        << op.getStringRef().str() << " is both differentiable and non-differentiable";
  }
  EXPECT_GE(count, 34);
}

TEST(DifferentiableOpInterface, NonDifferentiableOpsSayWhy) {
  EXPECT_FALSE(needle::OneHotOp::getNonDifferentiableReason().empty());
  EXPECT_FALSE(needle::WriteOp::getNonDifferentiableReason().empty());
  EXPECT_FALSE(needle::VariableOp::getNonDifferentiableReason().empty());
}

TEST(DifferentiableOpInterface, KnownOpsHaveVJPs) {
  MLIRContext context;
  context.loadDialect<needle::NeedleDialect>();
  for (StringRef name : {"needle.matmul", "needle.relu", "needle.batch_norm_train",
                         "needle.softmax_loss", "needle.read", "needle.relu_grad"}) {
    auto op = RegisteredOperationName::lookup(name, &context);
    ASSERT_TRUE(op.has_value()) << name.str();
    EXPECT_TRUE(op->hasInterface<needle::DifferentiableOpInterface>()) << name.str();
  }
  auto oneHot = RegisteredOperationName::lookup("needle.one_hot", &context);
  ASSERT_TRUE(oneHot.has_value());
  EXPECT_TRUE(oneHot->hasTrait<needle::OpTrait::NonDifferentiable>());
}

} // namespace
