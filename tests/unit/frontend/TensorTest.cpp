//===- TensorTest.cpp - each Tensor operation records its needle op -------===//
//
// Every operation of the symbolic Tensor records the needle op of needle's
// semantics with the inferred type; invalid operations fail at trace time
// with one diagnostic naming the op and the shapes.
//
//===----------------------------------------------------------------------===//
#include "FrontendTestSupport.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::needle;
using namespace ::needle::frontend;
using namespace ::needle::test;

namespace {

class TensorTest : public FrontendTest {
protected:
  /// Opens @f with arguments of `specs` and returns them.
  std::vector<Tensor> begin(llvm::ArrayRef<TensorSpec> specs) {
    return tracer.beginFunction("f", specs);
  }

  template <typename OpT> static OpT producer(const Tensor &t) {
    EXPECT_FALSE(t.empty());
    return t.empty() ? OpT() : t.value().getDefiningOp<OpT>();
  }

  static double scalarOf(Operation *op) {
    return llvm::cast<FloatAttr>(op->getAttr("scalar")).getValueAsDouble();
  }

  Tracer tracer{context};
};

TEST_F(TensorTest, BinaryOperatorsRecordNeedleOps) {
  auto in = begin({{{kDyn, 3}}, {{kDyn, 3}}});
  Tensor a = in[0], b = in[1];
  EXPECT_TRUE(producer<AddOp>(a + b));
  EXPECT_TRUE(producer<MulOp>(a * b));
  EXPECT_TRUE(producer<DivOp>(a / b));
  EXPECT_TRUE(producer<PowOp>(pow(a, b)));
  // needle: a - b is a + (-b).
  Tensor difference = a - b;
  AddOp add = producer<AddOp>(difference);
  ASSERT_TRUE(add);
  EXPECT_EQ(add.getLhs(), a.value());
  auto negate = add.getRhs().getDefiningOp<NegateOp>();
  ASSERT_TRUE(negate);
  EXPECT_EQ(negate.getX(), b.value());
  EXPECT_EQ(difference.type(), f32Tensor({kDyn, 3}));
  tracer.endFunction({difference});
  EXPECT_TRUE(tracer.finish()) << allDiagnostics();
}

TEST_F(TensorTest, ScalarOperatorsRecordScalarOps) {
  Tensor x = begin({{{2, 3}}})[0];
  auto add = producer<AddScalarOp>(x + 2.0);
  ASSERT_TRUE(add);
  EXPECT_EQ(scalarOf(add), 2.0);
  EXPECT_EQ(scalarOf(producer<AddScalarOp>(x - 2.0)), -2.0);
  EXPECT_EQ(scalarOf(producer<MulScalarOp>(x * 3.0)), 3.0);
  EXPECT_EQ(scalarOf(producer<DivScalarOp>(x / 4)), 4.0);
  EXPECT_EQ(scalarOf(producer<AddScalarOp>(1.5 + x)), 1.5);
  EXPECT_EQ(scalarOf(producer<MulScalarOp>(3.0 * x)), 3.0);
  EXPECT_EQ(scalarOf(producer<PowerScalarOp>(pow(x, 0.5))), 0.5);
  // 2 - x = -x + 2; 2 / x = x^-1 * 2.
  auto rsub = producer<AddScalarOp>(2.0 - x);
  ASSERT_TRUE(rsub);
  EXPECT_TRUE(rsub.getX().getDefiningOp<NegateOp>());
  auto rdiv = producer<MulScalarOp>(2.0 / x);
  ASSERT_TRUE(rdiv);
  auto reciprocal = rdiv.getX().getDefiningOp<PowerScalarOp>();
  ASSERT_TRUE(reciprocal);
  EXPECT_EQ(scalarOf(reciprocal), -1.0);
  EXPECT_EQ((x * 3.0).type(), f32Tensor({2, 3}));
}

TEST_F(TensorTest, UnaryOpsKeepTheType) {
  Tensor x = begin({{{kDyn, 5}}})[0];
  EXPECT_TRUE(producer<NegateOp>(-x));
  EXPECT_TRUE(producer<ExpOp>(exp(x)));
  EXPECT_TRUE(producer<LogOp>(log(x)));
  EXPECT_TRUE(producer<ReluOp>(relu(x)));
  EXPECT_TRUE(producer<TanhOp>(tanh(x)));
  EXPECT_TRUE(producer<SigmoidOp>(sigmoid(x)));
  EXPECT_EQ(sigmoid(tanh(relu(x))).type(), f32Tensor({kDyn, 5}));
}

TEST_F(TensorTest, MatmulInfersTheProductShape) {
  auto in = begin({{{kDyn, 4}}, {{4, 5}}, {{2, 3, 4}}});
  Tensor product = matmul(in[0], in[1]);
  EXPECT_TRUE(producer<MatmulOp>(product));
  EXPECT_EQ(product.type(), f32Tensor({kDyn, 5}));
  EXPECT_EQ(in[2].matmul(in[1]).type(), f32Tensor({2, 3, 5}));
}

TEST_F(TensorTest, ReshapeWithStaticInferredAndDynamicSizes) {
  auto in = begin({{{2, 3, 4}}, {{kDyn, 28, 28}}});
  EXPECT_EQ(reshape(in[0], {6, 4}).type(), f32Tensor({6, 4}));
  EXPECT_EQ(in[0].reshape({-1, 12}).type(), f32Tensor({2, 12}));
  // A run-time size becomes the op's -1.
  Tensor flat = in[1].reshape({in[1].dim(0), 784});
  auto op = producer<ReshapeOp>(flat);
  ASSERT_TRUE(op);
  EXPECT_EQ(op.getShape(), (llvm::ArrayRef<int64_t>{-1, 784}));
  EXPECT_EQ(flat.type(), f32Tensor({kDyn, 784}));
}

TEST_F(TensorTest, BroadcastToTakesRunTimeSizesFromDim) {
  auto in = begin({{{kDyn, 5}}, {{1, 5}}, {{5}}});
  Dim rows = in[0].dim(0);
  ASSERT_FALSE(rows.isStatic());
  auto dimOp = rows.value().getDefiningOp<mlir::tensor::DimOp>();
  ASSERT_TRUE(dimOp);
  EXPECT_EQ(dimOp.getSource(), in[0].value());
  // Asked again, the same size: one tensor.dim per value and axis.
  EXPECT_EQ(in[0].dim(0).value(), rows.value());
  EXPECT_EQ(in[0].dim(1).size(), 5);

  Tensor broadcast = in[1].broadcast_to(in[0].shape());
  auto op = producer<BroadcastToOp>(broadcast);
  ASSERT_TRUE(op);
  ASSERT_EQ(op.getDynamicSizes().size(), 1u);
  EXPECT_EQ(op.getDynamicSizes()[0], rows.value());
  EXPECT_EQ(broadcast.type(), f32Tensor({kDyn, 5}));
  EXPECT_EQ(broadcast_to(in[2], {3, 5}).type(), f32Tensor({3, 5}));
  EXPECT_EQ(broadcast_to(in[2], {2, 3, 5}).type(), f32Tensor({2, 3, 5}));
}

TEST_F(TensorTest, TransposeDefaultsToTheLastTwoAxes) {
  Tensor x = begin({{{2, 3, 4}}})[0];
  auto swapLast = producer<TransposeOp>(x.transpose());
  ASSERT_TRUE(swapLast);
  EXPECT_EQ(swapLast.getAxes(), (llvm::ArrayRef<int64_t>{1, 2}));
  EXPECT_EQ(x.transpose().type(), f32Tensor({2, 4, 3}));
  EXPECT_EQ(transpose(x, std::make_pair(int64_t(0), int64_t(2))).type(),
            f32Tensor({4, 3, 2}));
}

TEST_F(TensorTest, ReductionsRemoveTheirAxes) {
  Tensor x = begin({{{kDyn, 3, 4}}})[0];
  auto all = producer<SummationOp>(summation(x));
  ASSERT_TRUE(all);
  EXPECT_FALSE(all.getAxes().has_value());
  EXPECT_EQ(summation(x).type(), f32Tensor({}));
  EXPECT_EQ(x.sum(std::vector<int64_t>{1}).type(), f32Tensor({kDyn, 4}));
  Tensor lse = logsumexp(x, std::vector<int64_t>{1, 2});
  EXPECT_TRUE(producer<LogSumExpOp>(lse));
  EXPECT_EQ(lse.type(), f32Tensor({kDyn}));
}

TEST_F(TensorTest, StackSplitFlip) {
  auto in = begin({{{2, 3}}, {{2, 3}}, {{2, 3}}});
  Tensor stacked = stack({in[0], in[1], in[2]}, 1);
  EXPECT_TRUE(producer<StackOp>(stacked));
  EXPECT_EQ(stacked.type(), f32Tensor({2, 3, 3}));

  std::vector<Tensor> parts = split(stacked, 2);
  ASSERT_EQ(parts.size(), 3u);
  for (const Tensor &part : parts)
    EXPECT_EQ(part.type(), f32Tensor({2, 3}));
  EXPECT_EQ(parts[0].value().getDefiningOp(), parts[2].value().getDefiningOp());

  auto flipped = producer<FlipOp>(flip(in[0], {0, 1}));
  ASSERT_TRUE(flipped);
  EXPECT_EQ(flipped.getAxes(), (llvm::ArrayRef<int64_t>{0, 1}));
  EXPECT_EQ(flipped.getType(), f32Tensor({2, 3}));
}

TEST_F(TensorTest, NnLevelOps) {
  auto in = begin({{{kDyn, 4}}, {{4}}, {{kDyn}, DType::i32}});
  Tensor x = in[0], w = in[1], labels = in[2];
  Tensor hot = one_hot(labels, 4);
  auto oneHot = producer<OneHotOp>(hot);
  ASSERT_TRUE(oneHot);
  EXPECT_EQ(oneHot.getNumClasses(), 4);
  EXPECT_EQ(hot.type(), f32Tensor({kDyn, 4}));

  Tensor normed = batch_norm(x, w, w, w, w, 1e-3, 0.2);
  auto bn = producer<BatchNormOp>(normed);
  ASSERT_TRUE(bn);
  EXPECT_EQ(bn.getEps().convertToDouble(), 1e-3);
  EXPECT_EQ(bn.getMomentum().convertToDouble(), 0.2);
  EXPECT_EQ(normed.type(), f32Tensor({kDyn, 4}));

  auto drop = producer<DropoutOp>(dropout(normed, 0.25));
  ASSERT_TRUE(drop);
  EXPECT_EQ(drop.getP().convertToDouble(), 0.25);

  Tensor loss = softmax_loss(normed, labels);
  EXPECT_TRUE(producer<SoftmaxLossOp>(loss));
  EXPECT_EQ(loss.type(), f32Tensor({}));
  tracer.endFunction({loss});
  auto module = tracer.finish();
  ASSERT_TRUE(module) << allDiagnostics();
  auto f = module->lookupSymbol<func::FuncOp>("f");
  ASSERT_TRUE(f);
  EXPECT_EQ(f.getFunctionType().getResults()[0], f32Tensor({}));
}

TEST_F(TensorTest, ElementTypeFollowsTheInputs) {
  Tensor x = begin({{{2, 2}, DType::f64}})[0];
  Tensor y = exp(x) * 2.0 + x;
  EXPECT_EQ(y.type(), RankedTensorType::get({2, 2}, Float64Type::get(&context)));
}

//===----------------------------------------------------------------------===//
// Trace-time errors
//===----------------------------------------------------------------------===//

TEST_F(TensorTest, MismatchedShapesFailNamingTheOpAndBothShapes) {
  auto in = begin({{{kDyn, 10}}, {{kDyn, 5}}});
  Tensor sum = in[0] + in[1];
  EXPECT_TRUE(sum.empty());
  EXPECT_TRUE(tracer.failed());
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "'needle.add' op", "[?, 5]", "[?, 10]",
                      "does not broadcast implicitly", "while tracing @f");
  // Later operations record and report nothing more.
  Tensor more = relu(sum) * in[0];
  EXPECT_TRUE(more.empty());
  EXPECT_EQ(diagnostics.size(), 1u) << allDiagnostics();
  tracer.endFunction({more});
  EXPECT_FALSE(tracer.finish());
  EXPECT_EQ(diagnostics.size(), 1u) << allDiagnostics();
}

struct BadCase {
  const char *name;
  std::function<Tensor(std::vector<Tensor> &)> build;
  std::vector<const char *> expected;
};

TEST_F(TensorTest, EachInvalidOperationFailsWithADiagnostic) {
  std::vector<BadCase> cases = {
      {"matmul",
       [](auto &in) { return matmul(in[1], in[1]); },
       {"'needle.matmul' op", "[2, 3]", "3 columns", "2 rows"}},
      {"reshape-two-dynamic",
       [](auto &in) {
         return reshape(in[0], {in[0].dim(0), -1});
       },
       {"'needle.reshape'", "[?, 3]", "[-1, -1]", "at most one"}},
      {"reshape-count",
       [](auto &in) {
         return reshape(in[1], {4, 2});
       },
       {"'needle.reshape' op", "[2, 3]", "[4, 2]"}},
      {"broadcast",
       [](auto &in) {
         return broadcast_to(in[1], {2, 4});
       },
       {"'needle.broadcast_to' op", "[2, 3]", "[2, 4]"}},
      {"broadcast-unknown-size",
       [](auto &in) {
         return broadcast_to(in[1], {Dim(kDynamic), 3});
       },
       {"'needle.broadcast_to'", "Tensor::dim"}},
      {"transpose-rank1",
       [](auto &in) { return transpose(in[2]); },
       {"'needle.transpose'", "[3]", "last two"}},
      {"summation-axis",
       [](auto &in) { return summation(in[1], std::vector<int64_t>{2}); },
       {"'needle.summation' op", "axis 2", "[2, 3]"}},
      {"stack",
       [](auto &in) {
         return stack({in[1], in[2]}, 0);
       },
       {"'needle.stack' op", "tensor<3xf32>", "tensor<2x3xf32>"}},
      {"split-dynamic",
       [](auto &in) {
         auto parts = split(in[0], 0);
         return parts.empty() ? Tensor() : parts[0];
       },
       {"'needle.split' op", "[?, 3]", "dynamic"}},
      {"flip-axis",
       [](auto &in) { return flip(in[1], {3}); },
       {"'needle.flip' op", "axis 3"}},
      {"dropout-p",
       [](auto &in) { return dropout(in[1], 1.0); },
       {"'needle.dropout' op", "[0, 1)"}},
      {"one-hot-float-labels",
       [](auto &in) { return one_hot(in[2], 3); },
       {"'needle.one_hot' op", "integer"}},
      {"one-hot-classes",
       [](auto &in) { return one_hot(in[3], 0); },
       {"'needle.one_hot' op", "num_classes must be positive"}},
      {"softmax-loss",
       [](auto &in) { return softmax_loss(in[2], in[3]); },
       {"'needle.softmax_loss' op", "[3]", "rank 2"}},
      {"batch-norm",
       [](auto &in) { return batch_norm(in[2], in[2], in[2], in[2], in[2], 1e-5, 0.1); },
       {"'needle.batch_norm' op", "[3]", "rank 2"}},
      {"empty-operand",
       [](auto &in) { return in[1] + Tensor(); },
       {"operand #1 of 'add' is an empty Tensor"}},
      {"unary-on-labels",
       [](auto &in) { return exp(in[3]); },
       {"'needle.exp' op", "operand #0"}},
  };
  for (const BadCase &bad : cases) {
    SCOPED_TRACE(bad.name);
    diagnostics.clear();
    Tracer local(context);
    std::vector<Tensor> in =
        local.beginFunction("f", {{{kDyn, 3}}, {{2, 3}}, {{3}}, {{kDyn}, DType::i32}});
    Tensor result = bad.build(in);
    EXPECT_TRUE(result.empty());
    EXPECT_TRUE(local.failed());
    std::string message = onlyDiagnostic();
    for (const char *part : bad.expected)
      EXPECT_NE(message.find(part), std::string::npos)
          << "missing \"" << part << "\" in:\n"
          << message;
  }
}

TEST_F(TensorTest, TensorsOfAnotherTraceAreRefused) {
  Tensor x = begin({{{2}}})[0];
  Tracer other(context);
  Tensor y = other.beginFunction("g", {{{2}}})[0];
  EXPECT_TRUE((x + y).empty());
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "operand #1 of 'add' belongs to another trace");
}

TEST_F(TensorTest, BadInputSpecFails) {
  auto in = begin({{{2, -3}}});
  EXPECT_TRUE(in[0].empty());
  EXPECT_TRUE(tracer.failed());
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "loc(\"f\")", "input #0 of @f", "[2, -3]");
}

} // namespace
