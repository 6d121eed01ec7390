//===- BuildersTest.cpp - building needle ops from C++ --------------------===//
//
// Every op built with `XOp::create(builder, loc, ...)` and no result types has
// the inferred result types; bad shapes fail cleanly through
// `XOp::inferReturnTypes` (a diagnostic naming the op and both shapes, at the
// given location) or through `mlir::verify`.
//
//===----------------------------------------------------------------------===//
#include "NeedleTestSupport.h"

#include "dialect/NeedleAttrs.h"

using namespace mlir;
using namespace mlir::needle;
using namespace ::needle::test;

namespace {

class BuildersTest : public NeedleTest {
protected:
  /// Runs OpT's type inference on `adaptor`; returns the inferred types or
  /// nothing (and the diagnostics say why).
  template <typename OpT>
  std::optional<SmallVector<Type>> infer(typename OpT::Adaptor adaptor) {
    SmallVector<Type> types;
    if (failed(OpT::inferReturnTypes(&context, loc, adaptor, types)))
      return std::nullopt;
    return types;
  }

  /// The single diagnostic of a failed inference or verification.
  std::string onlyDiagnostic() {
    EXPECT_EQ(diagnostics.size(), 1u) << allDiagnostics();
    return diagnostics.empty() ? std::string() : diagnostics.front();
  }

  DenseI64ArrayAttr array(ArrayRef<int64_t> values) {
    return builder.getDenseI64ArrayAttr(values);
  }
  APFloat scalar(double value) { return APFloat(value); }
};

//===----------------------------------------------------------------------===//
// Inferred types
//===----------------------------------------------------------------------===//

TEST_F(BuildersTest, BinaryOpsStaticAndDynamic) {
  for (Type element : {f32, f64}) {
    Value a = arg(tensor({2, 3}, element)), b = arg(tensor({2, 3}, element));
    EXPECT_EQ(AddOp::create(builder, loc, a, b).getType(), tensor({2, 3}, element));
    EXPECT_EQ(MulOp::create(builder, loc, a, b).getType(), tensor({2, 3}, element));
    EXPECT_EQ(DivOp::create(builder, loc, a, b).getType(), tensor({2, 3}, element));
    EXPECT_EQ(PowOp::create(builder, loc, a, b).getType(), tensor({2, 3}, element));

    Value d = arg(tensor({kDyn, 3}, element)), e = arg(tensor({kDyn, 3}, element));
    EXPECT_EQ(AddOp::create(builder, loc, d, e).getType(), tensor({kDyn, 3}, element));
    EXPECT_EQ(PowOp::create(builder, loc, d, e).getType(), tensor({kDyn, 3}, element));

    // The result is static wherever either operand is.
    Value s = arg(tensor({2, kDyn}, element));
    EXPECT_EQ(MulOp::create(builder, loc, d, s).getType(), tensor({2, 3}, element));
    EXPECT_EQ(DivOp::create(builder, loc, s, d).getType(), tensor({2, 3}, element));
  }
  EXPECT_TRUE(succeeded(verifyModule())) << allDiagnostics();
}

TEST_F(BuildersTest, ScalarAndUnaryOpsKeepTheType) {
  for (RankedTensorType type : {tensor({4, 5}, f32), tensor({kDyn, 5}, f64), tensor({}, f32)}) {
    Value x = arg(type);
    EXPECT_EQ(AddScalarOp::create(builder, loc, x, scalar(2.5)).getType(), type);
    EXPECT_EQ(MulScalarOp::create(builder, loc, x, scalar(-1.0)).getType(), type);
    EXPECT_EQ(DivScalarOp::create(builder, loc, x, scalar(0.5)).getType(), type);
    EXPECT_EQ(PowerScalarOp::create(builder, loc, x, scalar(3.0)).getType(), type);
    EXPECT_EQ(NegateOp::create(builder, loc, x).getType(), type);
    EXPECT_EQ(ExpOp::create(builder, loc, x).getType(), type);
    EXPECT_EQ(LogOp::create(builder, loc, x).getType(), type);
    EXPECT_EQ(ReluOp::create(builder, loc, x).getType(), type);
    EXPECT_EQ(TanhOp::create(builder, loc, x).getType(), type);
    EXPECT_EQ(SigmoidOp::create(builder, loc, x).getType(), type);
    EXPECT_EQ(DropoutOp::create(builder, loc, x, scalar(0.25)).getType(), type);
  }
  EXPECT_TRUE(succeeded(verifyModule())) << allDiagnostics();
}

TEST_F(BuildersTest, AddScalarStoresAnF64Attribute) {
  Value x = arg(tensor({4}, f32));
  auto op = AddScalarOp::create(builder, loc, x, scalar(0.1));
  EXPECT_TRUE(op.getScalarAttr().getType().isF64());
  EXPECT_EQ(op.getScalar().convertToDouble(), 0.1);
}

TEST_F(BuildersTest, Reshape) {
  Value s = arg(tensor({2, 28, 28})), d = arg(tensor({kDyn, 28, 28}, f64));
  EXPECT_EQ(ReshapeOp::create(builder, loc, s, array({-1, 784})).getType(),
            tensor({2, 784}));
  EXPECT_EQ(ReshapeOp::create(builder, loc, s, array({56, 28})).getType(), tensor({56, 28}));
  EXPECT_EQ(ReshapeOp::create(builder, loc, s, array({-1})).getType(), tensor({1568}));
  // -1 against a dynamic operand is dynamic; a fully given shape is static.
  EXPECT_EQ(ReshapeOp::create(builder, loc, d, array({-1, 784})).getType(),
            tensor({kDyn, 784}, f64));
  EXPECT_EQ(ReshapeOp::create(builder, loc, d, array({4, 14, 28})).getType(),
            tensor({4, 14, 28}, f64));
  Value scalarValue = arg(tensor({}, f64));
  EXPECT_EQ(ReshapeOp::create(builder, loc, scalarValue, array({1, 1})).getType(),
            tensor({1, 1}, f64));
  EXPECT_TRUE(succeeded(verifyModule())) << allDiagnostics();
}

TEST_F(BuildersTest, BroadcastToFromOpFoldResults) {
  Value x = arg(tensor({1, 10})), n = arg(builder.getIndexType());
  auto staticOp = BroadcastToOp::create(
      builder, loc, x, ArrayRef<OpFoldResult>{builder.getIndexAttr(4), builder.getIndexAttr(10)});
  EXPECT_EQ(staticOp.getType(), tensor({4, 10}));
  EXPECT_TRUE(staticOp.getDynamicSizes().empty());

  auto dynamicOp = BroadcastToOp::create(
      builder, loc, x, ArrayRef<OpFoldResult>{n, builder.getIndexAttr(10)});
  EXPECT_EQ(dynamicOp.getType(), tensor({kDyn, 10}));
  ASSERT_EQ(dynamicOp.getDynamicSizes().size(), 1u);
  EXPECT_EQ(dynamicOp.getDynamicSizes()[0], n);
  EXPECT_EQ(dynamicOp.getStaticShape(), ArrayRef<int64_t>({kDyn, 10}));

  // New leading dimensions, f64.
  Value y = arg(tensor({3}, f64));
  auto leading = BroadcastToOp::create(
      builder, loc, y,
      ArrayRef<OpFoldResult>{n, builder.getIndexAttr(5), builder.getIndexAttr(3)});
  EXPECT_EQ(leading.getType(), tensor({kDyn, 5, 3}, f64));
  EXPECT_TRUE(succeeded(verifyModule())) << allDiagnostics();
}

TEST_F(BuildersTest, TransposeDefaultsToTheLastTwoAxes) {
  Value x = arg(tensor({2, 3, 4})), y = arg(tensor({kDyn, 8}, f64));
  auto byDefault = TransposeOp::create(builder, loc, x);
  EXPECT_EQ(byDefault.getAxes(), ArrayRef<int64_t>({1, 2}));
  EXPECT_EQ(byDefault.getType(), tensor({2, 4, 3}));
  EXPECT_EQ(TransposeOp::create(builder, loc, x, array({0, 2})).getType(), tensor({4, 3, 2}));
  EXPECT_EQ(TransposeOp::create(builder, loc, y).getType(), tensor({8, kDyn}, f64));
  EXPECT_TRUE(succeeded(verifyModule())) << allDiagnostics();
}

TEST_F(BuildersTest, Reductions) {
  Value x = arg(tensor({2, 3, 4})), y = arg(tensor({kDyn, 10}, f64));
  EXPECT_EQ(SummationOp::create(builder, loc, x, DenseI64ArrayAttr()).getType(), tensor({}));
  EXPECT_EQ(SummationOp::create(builder, loc, x, array({1})).getType(), tensor({2, 4}));
  EXPECT_EQ(SummationOp::create(builder, loc, x, array({2, 0})).getType(), tensor({3}));
  EXPECT_EQ(SummationOp::create(builder, loc, x, array({})).getType(), tensor({2, 3, 4}));
  EXPECT_EQ(SummationOp::create(builder, loc, y, array({0})).getType(), tensor({10}, f64));
  EXPECT_EQ(LogSumExpOp::create(builder, loc, x, DenseI64ArrayAttr()).getType(), tensor({}));
  EXPECT_EQ(LogSumExpOp::create(builder, loc, y, array({1})).getType(), tensor({kDyn}, f64));
  EXPECT_TRUE(succeeded(verifyModule())) << allDiagnostics();
}

TEST_F(BuildersTest, MatmulWithBatchBroadcasting) {
  Value a = arg(tensor({8, 3})), b = arg(tensor({3, 5})), c = arg(tensor({kDyn, 3}));
  EXPECT_EQ(MatmulOp::create(builder, loc, a, b).getType(), tensor({8, 5}));
  EXPECT_EQ(MatmulOp::create(builder, loc, c, b).getType(), tensor({kDyn, 5}));

  Value d = arg(tensor({5, 1, 2, 3}, f64)), e = arg(tensor({4, 3, 7}, f64));
  EXPECT_EQ(MatmulOp::create(builder, loc, d, e).getType(), tensor({5, 4, 2, 7}, f64));
  // A dynamic batch dimension against a static one takes the static size.
  Value f = arg(tensor({kDyn, 2, kDyn}, f64));
  EXPECT_EQ(MatmulOp::create(builder, loc, f, e).getType(), tensor({4, 2, 7}, f64));
  Value g = arg(tensor({kDyn, 2, 3}, f64)), h = arg(tensor({1, 3, 7}, f64));
  EXPECT_EQ(MatmulOp::create(builder, loc, g, h).getType(), tensor({kDyn, 2, 7}, f64));
  EXPECT_TRUE(succeeded(verifyModule())) << allDiagnostics();
}

TEST_F(BuildersTest, StackSplitFlip) {
  Value a = arg(tensor({2, 3})), b = arg(tensor({kDyn, 3}));
  EXPECT_EQ(StackOp::create(builder, loc, ValueRange{a, b}, 0).getType(), tensor({2, 2, 3}));
  EXPECT_EQ(StackOp::create(builder, loc, ValueRange{b, b, b}, 2).getType(),
            tensor({kDyn, 3, 3}));
  Value c = arg(tensor({4}, f64));
  EXPECT_EQ(StackOp::create(builder, loc, ValueRange{c}, 1).getType(), tensor({4, 1}, f64));

  Value x = arg(tensor({3, kDyn}));
  auto split = SplitOp::create(builder, loc, x, 0);
  ASSERT_EQ(split.getNumResults(), 3u);
  for (Type type : split.getResultTypes())
    EXPECT_EQ(type, tensor({kDyn}));
  auto split1 = SplitOp::create(builder, loc, arg(tensor({2, 1}, f64)), 1);
  ASSERT_EQ(split1.getNumResults(), 1u);
  EXPECT_EQ(split1.getResult(0).getType(), tensor({2}, f64));

  Value y = arg(tensor({kDyn, 4}, f64));
  EXPECT_EQ(FlipOp::create(builder, loc, y, array({0, 1})).getType(), y.getType());
  EXPECT_EQ(FlipOp::create(builder, loc, y, array({})).getType(), y.getType());
  EXPECT_TRUE(succeeded(verifyModule())) << allDiagnostics();
}

TEST_F(BuildersTest, BatchNormForms) {
  for (Type element : {f32, f64}) {
    Value x = arg(tensor({kDyn, 4}, element)), w = arg(tensor({4}, element));
    Value v = arg(tensor({kDyn}, element));

    auto bn = BatchNormOp::create(builder, loc, x, w, v, w, w, scalar(1e-5), scalar(0.1));
    EXPECT_EQ(bn.getType(), tensor({kDyn, 4}, element));

    auto train = BatchNormTrainOp::create(builder, loc, x, w, v, w, w, scalar(1e-5),
                                          scalar(0.1), /*unbiased_running_var=*/true);
    ASSERT_EQ(train.getNumResults(), 5u);
    EXPECT_EQ(train.getY().getType(), tensor({kDyn, 4}, element));
    for (Value stat : {train.getBatchMean(), train.getBatchInvstd(),
                       train.getNewRunningMean(), train.getNewRunningVar()})
      EXPECT_EQ(stat.getType(), tensor({4}, element));
    EXPECT_TRUE(train.getUnbiasedRunningVar());

    auto infer = BatchNormInferOp::create(builder, loc, x, w, w, w, w, scalar(1e-3));
    EXPECT_EQ(infer.getType(), tensor({kDyn, 4}, element));

    // Dynamic features take their size from the first static per-feature operand.
    Value xd = arg(tensor({kDyn, kDyn}, element));
    auto dyn = BatchNormTrainOp::create(builder, loc, xd, v, w, v, v, scalar(1e-5),
                                        scalar(0.1));
    EXPECT_EQ(dyn.getBatchMean().getType(), tensor({4}, element));
    EXPECT_FALSE(dyn.getUnbiasedRunningVar());

    Value dy = arg(tensor({8, 4}, element));
    auto grad = BatchNormTrainGradOp::create(builder, loc, dy, x, w, w, w);
    ASSERT_EQ(grad.getNumResults(), 3u);
    EXPECT_EQ(grad.getGradX().getType(), tensor({kDyn, 4}, element));
    EXPECT_EQ(grad.getGradWeight().getType(), tensor({4}, element));
    EXPECT_EQ(grad.getGradBias().getType(), tensor({4}, element));
  }
  EXPECT_TRUE(succeeded(verifyModule())) << allDiagnostics();
}

TEST_F(BuildersTest, OneHotAndSoftmaxLoss) {
  Value labels = arg(tensor({kDyn}, i64));
  auto oneHot = OneHotOp::create(builder, loc, labels, 10, f32);
  EXPECT_EQ(oneHot.getType(), tensor({kDyn, 10}));
  EXPECT_EQ(oneHot.getNumClasses(), 10u);
  Value labels2 = arg(tensor({2, 3}, builder.getI32Type()));
  EXPECT_EQ(OneHotOp::create(builder, loc, labels2, 4, f64).getType(), tensor({2, 3, 4}, f64));

  Value logits = arg(tensor({kDyn, 10})), logits64 = arg(tensor({4, 3}, f64));
  EXPECT_EQ(SoftmaxLossOp::create(builder, loc, logits, labels).getType(), tensor({}));
  EXPECT_EQ(SoftmaxLossOp::create(builder, loc, logits64, labels).getType(), tensor({}, f64));
  EXPECT_TRUE(succeeded(verifyModule())) << allDiagnostics();
}

//===----------------------------------------------------------------------===//
// Inference failures: a diagnostic naming the op and both shapes, at `loc`
//===----------------------------------------------------------------------===//

TEST_F(BuildersTest, BinaryShapeMismatchNamesBothShapes) {
  Value a = arg(tensor({2, 3})), b = arg(tensor({3, 2}));
  EXPECT_FALSE(infer<AddOp>(AddOp::Adaptor(ValueRange{a, b})));
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "'needle.add' op", "operand 'rhs' has shape [3, 2]",
                      "operand 'lhs' has shape [2, 3]", "use broadcast_to");
  ASSERT_EQ(diagnosticLocations.size(), 1u);
  EXPECT_EQ(diagnosticLocations.front(), loc);
}

TEST_F(BuildersTest, BinaryElementTypeMismatch) {
  Value a = arg(tensor({2}, f32)), b = arg(tensor({2}, f64));
  EXPECT_FALSE(infer<PowOp>(PowOp::Adaptor(ValueRange{a, b})));
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "'needle.pow' op", "operand 'rhs' has element type 'f64'",
                      "operand 'lhs' has element type 'f32'");
}

TEST_F(BuildersTest, InferenceWithoutLocationFailsSilently) {
  Value a = arg(tensor({2})), b = arg(tensor({3}));
  SmallVector<Type> types;
  EXPECT_TRUE(failed(MulOp::inferReturnTypes(&context, std::nullopt,
                                             MulOp::Adaptor(ValueRange{a, b}), types)));
  EXPECT_TRUE(diagnostics.empty()) << allDiagnostics();
}

TEST_F(BuildersTest, ReshapeElementCount) {
  Value x = arg(tensor({2, 3}));
  ReshapeOp::Properties props;
  props.setShape(array({4, 2}));
  EXPECT_FALSE(infer<ReshapeOp>(ReshapeOp::Adaptor(ValueRange{x}, DictionaryAttr(), props)));
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "'needle.reshape' op", "[2, 3] (6 elements)", "[4, 2]");
}

TEST_F(BuildersTest, ReshapeTwoInferredDimensions) {
  Value x = arg(tensor({kDyn, 3}));
  ReshapeOp::Properties props;
  props.setShape(array({-1, 3, -1}));
  EXPECT_FALSE(infer<ReshapeOp>(ReshapeOp::Adaptor(ValueRange{x}, DictionaryAttr(), props)));
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "'needle.reshape' op shape [-1, 3, -1] has more than one -1");
}

TEST_F(BuildersTest, BroadcastIncompatible) {
  Value x = arg(tensor({2, 3}));
  BroadcastToOp::Properties props;
  props.setStaticShape(array({5, 4, 3}));
  EXPECT_FALSE(infer<BroadcastToOp>(BroadcastToOp::Adaptor(ValueRange{x}, DictionaryAttr(), props)));
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "'needle.broadcast_to' op",
                      "cannot broadcast operand of shape [2, 3] to [5, 4, 3]",
                      "dimension 0 has size 2, not 1 or 4");
}

TEST_F(BuildersTest, BroadcastDynamicSizeCount) {
  Value x = arg(tensor({1}));
  BroadcastToOp::Properties props;
  props.setStaticShape(array({kDyn, kDyn}));
  Value n = arg(builder.getIndexType());
  EXPECT_FALSE(infer<BroadcastToOp>(BroadcastToOp::Adaptor(ValueRange{x, n}, DictionaryAttr(), props)));
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "'needle.broadcast_to' op",
                      "shape [?, ?] has 2 dynamic dimensions but 1 size operands");
}

TEST_F(BuildersTest, MatmulInnerDimensions) {
  Value a = arg(tensor({kDyn, 784})), b = arg(tensor({100, 10}));
  EXPECT_FALSE(infer<MatmulOp>(MatmulOp::Adaptor(ValueRange{a, b})));
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "'needle.matmul' op", "'lhs' of shape [?, 784]",
                      "784 columns", "'rhs' of shape [100, 10]", "100 rows");
}

TEST_F(BuildersTest, MatmulBatchDimensions) {
  Value a = arg(tensor({2, 4, 3})), b = arg(tensor({5, 3, 7}));
  EXPECT_FALSE(infer<MatmulOp>(MatmulOp::Adaptor(ValueRange{a, b})));
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "'needle.matmul' op batch dimensions of lhs [2, 4, 3]",
                      "rhs [5, 3, 7] do not broadcast");
}

TEST_F(BuildersTest, StackShapes) {
  Value a = arg(tensor({2, 3})), b = arg(tensor({3, 3}));
  StackOp::Properties props;
  props.setAxis(builder.getI64IntegerAttr(0));
  EXPECT_FALSE(infer<StackOp>(StackOp::Adaptor(ValueRange{a, b}, DictionaryAttr(), props)));
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "'needle.stack' op",
                      "operand #1 has type 'tensor<3x3xf32>'",
                      "operand #0 has type 'tensor<2x3xf32>'");
}

TEST_F(BuildersTest, SplitDynamicAxis) {
  Value x = arg(tensor({kDyn, 3}));
  SplitOp::Properties props;
  props.setAxis(builder.getI64IntegerAttr(0));
  EXPECT_FALSE(infer<SplitOp>(SplitOp::Adaptor(ValueRange{x}, DictionaryAttr(), props)));
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "'needle.split' op axis 0 of operand of shape [?, 3] is dynamic");
}

TEST_F(BuildersTest, BatchNormFeatureMismatch) {
  Value x = arg(tensor({8, 4})), w = arg(tensor({4})), m = arg(tensor({5}));
  EXPECT_FALSE(infer<BatchNormInferOp>(BatchNormInferOp::Adaptor(ValueRange{x, w, w, m, w})));
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "'needle.batch_norm_infer' op",
                      "operand 'running_mean' has shape [5]", "operand 'x' has shape [8, 4]",
                      "expected [4]");
}

TEST_F(BuildersTest, BatchNormTrainGradGradYShape) {
  Value dy = arg(tensor({3, 4})), x = arg(tensor({2, 4})), w = arg(tensor({4}));
  EXPECT_FALSE(infer<BatchNormTrainGradOp>(
      BatchNormTrainGradOp::Adaptor(ValueRange{dy, x, w, w, w})));
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "'needle.batch_norm_train_grad' op",
                      "operand 'grad_y' has shape [3, 4]", "operand 'x' has shape [2, 4]");
}

TEST_F(BuildersTest, SoftmaxLossLabels) {
  Value logits = arg(tensor({8, 10})), labels = arg(tensor({4}, i64));
  EXPECT_FALSE(infer<SoftmaxLossOp>(SoftmaxLossOp::Adaptor(ValueRange{logits, labels})));
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "'needle.softmax_loss' op",
                      "operand 'labels' has shape [4]", "operand 'logits' has shape [8, 10]");
}

// Unranked operands cannot reach type inference from the textual form (the
// parser or the ODS operand constraints reject them first); from C++ they get
// a clean error from every op.
TEST_F(BuildersTest, UnrankedOperandsFailCleanly) {
  Value u = arg(UnrankedTensorType::get(f32));
  Value r = arg(tensor({2, 4})), w = arg(tensor({4})), l = arg(tensor({2}, i64));
  auto expectRankedError = [&](bool inferred, StringRef op) {
    EXPECT_FALSE(inferred) << op.str();
    ASSERT_EQ(diagnostics.size(), 1u) << op.str() << ":\n" << allDiagnostics();
    std::string prefix = ("'needle." + op + "' op expects").str();
    EXPECT_CONTAINS_ALL(diagnostics.front(), prefix.c_str(), "ranked tensor operand");
    diagnostics.clear();
  };
  ReshapeOp::Properties reshapeProps;
  reshapeProps.setShape(array({4}));
  BroadcastToOp::Properties broadcastProps;
  broadcastProps.setStaticShape(array({4}));
  TransposeOp::Properties transposeProps;
  transposeProps.setAxes(array({0, 1}));
  StackOp::Properties stackProps;
  stackProps.setAxis(builder.getI64IntegerAttr(0));
  SplitOp::Properties splitProps;
  splitProps.setAxis(builder.getI64IntegerAttr(0));

  expectRankedError(infer<AddOp>(AddOp::Adaptor(ValueRange{u, u})).has_value(), "add");
  expectRankedError(
      infer<ReshapeOp>(ReshapeOp::Adaptor(ValueRange{u}, DictionaryAttr(), reshapeProps)).has_value(),
      "reshape");
  expectRankedError(infer<BroadcastToOp>(
                        BroadcastToOp::Adaptor(ValueRange{u}, DictionaryAttr(), broadcastProps))
                        .has_value(),
                    "broadcast_to");
  expectRankedError(
      infer<TransposeOp>(TransposeOp::Adaptor(ValueRange{u}, DictionaryAttr(), transposeProps))
          .has_value(),
      "transpose");
  expectRankedError(infer<SummationOp>(SummationOp::Adaptor(ValueRange{u})).has_value(),
                    "summation");
  expectRankedError(infer<LogSumExpOp>(LogSumExpOp::Adaptor(ValueRange{u})).has_value(),
                    "logsumexp");
  expectRankedError(infer<MatmulOp>(MatmulOp::Adaptor(ValueRange{u, r})).has_value(), "matmul");
  expectRankedError(
      infer<StackOp>(StackOp::Adaptor(ValueRange{u, r}, DictionaryAttr(), stackProps)).has_value(),
      "stack");
  expectRankedError(
      infer<StackOp>(StackOp::Adaptor(ValueRange{r, u}, DictionaryAttr(), stackProps)).has_value(),
      "stack");
  expectRankedError(
      infer<SplitOp>(SplitOp::Adaptor(ValueRange{u}, DictionaryAttr(), splitProps)).has_value(), "split");
  expectRankedError(
      infer<BatchNormOp>(BatchNormOp::Adaptor(ValueRange{u, w, w, w, w})).has_value(),
      "batch_norm");
  expectRankedError(
      infer<BatchNormTrainOp>(BatchNormTrainOp::Adaptor(ValueRange{r, w, u, w, w})).has_value(),
      "batch_norm_train");
  expectRankedError(infer<BatchNormTrainGradOp>(
                        BatchNormTrainGradOp::Adaptor(ValueRange{u, r, w, w, w}))
                        .has_value(),
                    "batch_norm_train_grad");
  expectRankedError(
      infer<SoftmaxLossOp>(SoftmaxLossOp::Adaptor(ValueRange{u, l})).has_value(),
      "softmax_loss");
}

//===----------------------------------------------------------------------===//
// Verification failures of ops built in C++
//===----------------------------------------------------------------------===//

TEST_F(BuildersTest, ExplicitResultTypeMustBeTheInferredOne) {
  Value a = arg(tensor({kDyn, 3}));
  AddOp::create(builder, loc, TypeRange{tensor({2, 3})}, a, a);
  EXPECT_TRUE(failed(verifyModule()));
  EXPECT_CONTAINS_ALL(allDiagnostics(), "'needle.add' op inferred type(s) 'tensor<?x3xf32>'",
                      "incompatible with return type(s) of operation 'tensor<2x3xf32>'");
}

TEST_F(BuildersTest, FlipAxesAreVerified) {
  Value x = arg(tensor({2, 3}));
  FlipOp::create(builder, loc, x, array({1, 1}));
  EXPECT_TRUE(failed(verifyModule()));
  EXPECT_CONTAINS_ALL(allDiagnostics(), "'needle.flip' op axis 1 appears more than once");
}

TEST_F(BuildersTest, DropoutProbabilityIsVerified) {
  Value x = arg(tensor({2, 4}));
  DropoutOp::create(builder, loc, x, scalar(1.0));
  EXPECT_TRUE(failed(verifyModule()));
  EXPECT_CONTAINS_ALL(allDiagnostics(), "'needle.dropout' op probability p must be in [0, 1)");
}

TEST_F(BuildersTest, BatchNormMomentumIsVerified) {
  Value x = arg(tensor({2, 4})), w = arg(tensor({4}));
  BatchNormTrainOp::create(builder, loc, x, w, w, w, w, scalar(1e-5), scalar(1.5));
  EXPECT_TRUE(failed(verifyModule()));
  EXPECT_CONTAINS_ALL(allDiagnostics(), "'needle.batch_norm_train' op momentum must be in [0, 1]");
}

TEST_F(BuildersTest, OneHotResultShapeIsVerified) {
  Value labels = arg(tensor({8}, i64));
  OneHotOp::create(builder, loc, tensor({8, 5}), labels, 10);
  EXPECT_TRUE(failed(verifyModule()));
  EXPECT_CONTAINS_ALL(allDiagnostics(), "'needle.one_hot' op result has shape [8, 5]",
                      "labels of shape [8] with 10 classes give [8, 10]");
}

} // namespace
