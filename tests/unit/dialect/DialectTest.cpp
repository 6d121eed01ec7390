//===- DialectTest.cpp - variables, folds, printing, shape helpers --------===//
#include "NeedleTestSupport.h"

#include "dialect/NeedleAttrs.h"
#include "dialect/NeedleShapes.h"

#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
using namespace mlir::needle;
using namespace ::needle::test;

namespace {

class DialectTest : public NeedleTest {
protected:
  /// Declares a variable at the start of the module.
  VariableOp variable(StringRef name, RankedTensorType type, VariableKind kind,
                      Attribute initializer) {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(module->getBody());
    return VariableOp::create(builder, loc, name, type, kind, initializer);
  }

  /// Canonicalises the module with every needle op's patterns and folds.
  LogicalResult canonicalize() {
    RewritePatternSet patterns(&context);
    for (RegisteredOperationName op : context.getRegisteredOperations())
      if (op.getDialectNamespace() == NeedleDialect::getDialectNamespace())
        op.getCanonicalizationPatterns(patterns, &context);
    return applyPatternsGreedily(*module, std::move(patterns));
  }

  /// Makes `values` the results of the test function.
  void returnValues(ValueRange values) {
    func::ReturnOp::create(builder, loc, values);
    Block &body = function.getBody().front();
    function.setFunctionType(
        builder.getFunctionType(body.getArgumentTypes(), values.getTypes()));
  }

  std::string print(Operation *op, OpPrintingFlags flags = {}) {
    std::string text;
    llvm::raw_string_ostream os(text);
    op->print(os, flags);
    return text;
  }

  DenseI64ArrayAttr array(ArrayRef<int64_t> values) {
    return builder.getDenseI64ArrayAttr(values);
  }
  APFloat scalar(double value) { return APFloat(value); }
};

//===----------------------------------------------------------------------===//
// Variables
//===----------------------------------------------------------------------===//

TEST_F(DialectTest, VariablesReadsAndWrites) {
  MLIRContext *ctx = &context;
  double sqrt2 = std::sqrt(2.0);
  VariableOp weight = variable("0.weight", tensor({784, 100}), VariableKind::parameter,
                               KaimingUniformAttr::get(ctx, 784, 100, scalar(sqrt2)));
  VariableOp mean = variable("1.running_mean", tensor({100}), VariableKind::buffer,
                             ZerosAttr::get(ctx));
  VariableOp var = variable("1.running_var", tensor({100}), VariableKind::buffer,
                            OnesAttr::get(ctx));
  VariableOp step = variable("step", tensor({}, i64), VariableKind::optimizer_state,
                             ConstantAttr::get(ctx, scalar(0.0)));
  variable("a", tensor({3}, f64), VariableKind::parameter,
           RandAttr::get(ctx, scalar(-1.0), scalar(1.0)));
  variable("b", tensor({3}, f64), VariableKind::parameter,
           RandnAttr::get(ctx, scalar(0.0), scalar(1.0)));
  variable("c", tensor({3, 3}), VariableKind::parameter,
           KaimingNormalAttr::get(ctx, 3, 3, scalar(1.0)));
  variable("d", tensor({3, 3}), VariableKind::optimizer_state,
           XavierUniformAttr::get(ctx, 3, 3, scalar(1.0)));
  variable("e", tensor({3, 3}), VariableKind::buffer,
           XavierNormalAttr::get(ctx, 3, 3, scalar(2.0)));

  EXPECT_EQ(weight.getTensorType(), tensor({784, 100}));
  EXPECT_EQ(weight.getKind(), VariableKind::parameter);
  auto init = llvm::dyn_cast<KaimingUniformAttr>(weight.getInitializer());
  ASSERT_TRUE(init);
  EXPECT_EQ(init.getFanIn(), 784);
  EXPECT_EQ(init.getFanOut(), 100);
  EXPECT_EQ(init.getGain().convertToDouble(), sqrt2);

  auto readW = ReadOp::create(builder, loc, weight);
  EXPECT_EQ(readW.getType(), weight.getTensorType());
  EXPECT_EQ(readW.getVariable(), "0.weight");
  auto readMean = ReadOp::create(builder, loc, mean);
  auto readVar = ReadOp::create(builder, loc, var);
  auto readStep = ReadOp::create(builder, loc, step);
  EXPECT_EQ(readStep.getType(), tensor({}, i64));
  Value newMean = MulScalarOp::create(builder, loc, readMean, scalar(0.9));
  WriteOp::create(builder, loc, mean.getSymName(), newMean);
  WriteOp::create(builder, loc, FlatSymbolRefAttr::get(var.getSymNameAttr()), readVar);
  WriteOp::create(builder, loc, "step", readStep.getResult());
  EXPECT_TRUE(succeeded(verifyModule())) << allDiagnostics();
  EXPECT_TRUE(diagnostics.empty()) << allDiagnostics();
}

TEST_F(DialectTest, ReadWithTheWrongTypeFails) {
  variable("w", tensor({4, 3}), VariableKind::parameter, ZerosAttr::get(&context));
  ReadOp::create(builder, loc, tensor({3, 4}), "w");
  EXPECT_TRUE(failed(verifyModule()));
  EXPECT_CONTAINS_ALL(allDiagnostics(), "'needle.read' op result type 'tensor<3x4xf32>'",
                      "does not match the type 'tensor<4x3xf32>' of variable @w");
}

TEST_F(DialectTest, WriteWithTheWrongTypeFails) {
  variable("w", tensor({4, 3}), VariableKind::parameter, ZerosAttr::get(&context));
  WriteOp::create(builder, loc, "w", arg(tensor({4, 3}, f64)));
  EXPECT_TRUE(failed(verifyModule()));
  EXPECT_CONTAINS_ALL(allDiagnostics(), "'needle.write' op value of type 'tensor<4x3xf64>'",
                      "does not match the type 'tensor<4x3xf32>' of variable @w");
}

TEST_F(DialectTest, ReadOfAnUndeclaredVariableFails) {
  ReadOp::create(builder, loc, tensor({2}), "missing");
  EXPECT_TRUE(failed(verifyModule()));
  EXPECT_CONTAINS_ALL(allDiagnostics(), "'needle.read' op reads undeclared variable @missing");
}

TEST_F(DialectTest, WriteToAFunctionFails) {
  WriteOp::create(builder, loc, "test", arg(tensor({2})));
  EXPECT_TRUE(failed(verifyModule()));
  EXPECT_CONTAINS_ALL(allDiagnostics(),
                      "'needle.write' op writes @test, which is a 'func.func', not a needle.variable");
}

TEST_F(DialectTest, VariableVerifier) {
  variable("dynamic", tensor({kDyn, 4}), VariableKind::parameter, ZerosAttr::get(&context));
  EXPECT_TRUE(failed(verifyModule()));
  EXPECT_CONTAINS_ALL(allDiagnostics(), "variable \"dynamic\" must have a static shape");
}

TEST_F(DialectTest, IntegerParameterFails) {
  variable("steps", tensor({}, i64), VariableKind::parameter, ZerosAttr::get(&context));
  EXPECT_TRUE(failed(verifyModule()));
  EXPECT_CONTAINS_ALL(allDiagnostics(), "parameter \"steps\" must have a float element type, got 'i64'");
}

TEST_F(DialectTest, RandomInitializerOnIntegersFails) {
  variable("noise", tensor({4}, i64), VariableKind::buffer,
           RandnAttr::get(&context, scalar(0.0), scalar(1.0)));
  EXPECT_TRUE(failed(verifyModule()));
  EXPECT_CONTAINS_ALL(allDiagnostics(), "random initializer #needle.randn",
                      "needs a float element type, variable \"noise\" has 'i64'");
}

TEST_F(DialectTest, InitializerAttributeVerifiers) {
  auto emitError = [&] { return mlir::emitError(loc); };
  EXPECT_FALSE(RandAttr::getChecked(emitError, &context, scalar(1.0), scalar(0.0)));
  EXPECT_FALSE(RandnAttr::getChecked(emitError, &context, scalar(0.0), scalar(-1.0)));
  EXPECT_FALSE(KaimingUniformAttr::getChecked(emitError, &context, int64_t(0), int64_t(3), scalar(1.0)));
  EXPECT_FALSE(KaimingNormalAttr::getChecked(emitError, &context, int64_t(3), int64_t(-1), scalar(1.0)));
  EXPECT_FALSE(XavierUniformAttr::getChecked(emitError, &context, int64_t(3), int64_t(3), scalar(0.0)));
  EXPECT_FALSE(XavierNormalAttr::getChecked(emitError, &context, int64_t(3), int64_t(3),
                                            scalar(std::numeric_limits<double>::infinity())));
  ASSERT_EQ(diagnostics.size(), 6u) << allDiagnostics();
  EXPECT_CONTAINS_ALL(diagnostics[0], "rand needs finite low <= high, got low = 1.000000e+00, high = 0.000000e+00");
  EXPECT_CONTAINS_ALL(diagnostics[1], "randn needs a finite mean and std >= 0");
  EXPECT_CONTAINS_ALL(diagnostics[2], "kaiming_uniform needs fan_in > 0 and fan_out >= 0, got fan_in = 0, fan_out = 3");
  EXPECT_CONTAINS_ALL(diagnostics[3], "kaiming_normal needs fan_in > 0 and fan_out >= 0, got fan_in = 3, fan_out = -1");
  EXPECT_CONTAINS_ALL(diagnostics[4], "xavier_uniform needs a finite positive gain");
  EXPECT_CONTAINS_ALL(diagnostics[5], "xavier_normal needs a finite positive gain");

  // The limits themselves are fine.
  EXPECT_TRUE(RandAttr::getChecked(emitError, &context, scalar(2.0), scalar(2.0)));
  EXPECT_TRUE(RandnAttr::getChecked(emitError, &context, scalar(-3.0), scalar(0.0)));
  EXPECT_TRUE(KaimingUniformAttr::getChecked(emitError, &context, int64_t(1), int64_t(0), scalar(1e-300)));
  EXPECT_EQ(diagnostics.size(), 6u) << allDiagnostics();
}

//===----------------------------------------------------------------------===//
// Folds
//===----------------------------------------------------------------------===//

TEST_F(DialectTest, ScalarIdentitiesFold) {
  Value x = arg(tensor({2, 3})), y = arg(tensor({kDyn}, f64));
  EXPECT_EQ(builder.createOrFold<AddScalarOp>(loc, x, scalar(0.0)), x);
  EXPECT_EQ(builder.createOrFold<AddScalarOp>(loc, y, scalar(-0.0)), y);
  EXPECT_EQ(builder.createOrFold<MulScalarOp>(loc, x, scalar(1.0)), x);
  EXPECT_EQ(builder.createOrFold<DivScalarOp>(loc, y, scalar(1.0)), y);
  EXPECT_EQ(builder.createOrFold<PowerScalarOp>(loc, x, scalar(1.0)), x);

  for (Value kept : {builder.createOrFold<MulScalarOp>(loc, x, scalar(2.0)),
                     builder.createOrFold<MulScalarOp>(loc, x, scalar(0.0)),
                     builder.createOrFold<AddScalarOp>(loc, x, scalar(1.0)),
                     builder.createOrFold<DivScalarOp>(loc, x, scalar(-1.0)),
                     builder.createOrFold<PowerScalarOp>(loc, x, scalar(2.0))}) {
    EXPECT_NE(kept, x);
    EXPECT_TRUE(kept.getDefiningOp());
  }
  EXPECT_TRUE(succeeded(verifyModule())) << allDiagnostics();
}

TEST_F(DialectTest, ShapeFolds) {
  Value x = arg(tensor({2, 6})), d = arg(tensor({kDyn, 3}));
  EXPECT_EQ(builder.createOrFold<ReshapeOp>(loc, x, array({2, 6})), x);
  EXPECT_EQ(builder.createOrFold<ReshapeOp>(loc, d, array({-1, 3})), d);

  // reshape(reshape(x)) reads x.
  Value inner = ReshapeOp::create(builder, loc, x, array({3, 4}));
  Value outer = builder.createOrFold<ReshapeOp>(loc, inner, array({12}));
  auto outerOp = outer.getDefiningOp<ReshapeOp>();
  ASSERT_TRUE(outerOp);
  EXPECT_EQ(outerOp.getX(), x);
  EXPECT_EQ(outerOp.getType(), tensor({12}));

  Value b = arg(tensor({4, 10}));
  EXPECT_EQ(builder.createOrFold<BroadcastToOp>(
                loc, b, ArrayRef<OpFoldResult>{builder.getIndexAttr(4), builder.getIndexAttr(10)}),
            b);
  Value n = arg(builder.getIndexType());
  Value dynamic = builder.createOrFold<BroadcastToOp>(
      loc, d, ArrayRef<OpFoldResult>{n, builder.getIndexAttr(3)});
  EXPECT_NE(dynamic, d);

  Value t = TransposeOp::create(builder, loc, x);
  EXPECT_EQ(builder.createOrFold<TransposeOp>(loc, t, array({1, 0})), x);
  EXPECT_EQ(builder.createOrFold<TransposeOp>(loc, d, array({1, 1})), d);

  Value f = FlipOp::create(builder, loc, x, array({1, 0}));
  EXPECT_EQ(builder.createOrFold<FlipOp>(loc, f, array({0, 1})), x);
  EXPECT_EQ(builder.createOrFold<FlipOp>(loc, x, array({})), x);
  EXPECT_NE(builder.createOrFold<FlipOp>(loc, f, array({0})), x);

  EXPECT_EQ(builder.createOrFold<SummationOp>(loc, x, array({})), x);
  EXPECT_EQ(builder.createOrFold<LogSumExpOp>(loc, d, array({})), d);
  EXPECT_NE(builder.createOrFold<SummationOp>(loc, x, DenseI64ArrayAttr()), x);
  EXPECT_TRUE(succeeded(verifyModule())) << allDiagnostics();
}

TEST_F(DialectTest, InvolutionAndIdempotence) {
  Value x = arg(tensor({kDyn, 3}));
  Value negated = NegateOp::create(builder, loc, x);
  EXPECT_EQ(builder.createOrFold<NegateOp>(loc, negated), x);
  Value relu = ReluOp::create(builder, loc, x);
  EXPECT_EQ(builder.createOrFold<ReluOp>(loc, relu), relu);
  Value exp = ExpOp::create(builder, loc, x);
  EXPECT_NE(builder.createOrFold<ExpOp>(loc, exp), exp);
}

TEST_F(DialectTest, GreedyCanonicalizationRemovesIdentities) {
  Value x = arg(tensor({kDyn, 8}));
  Value v = TransposeOp::create(builder, loc, x);
  v = MulScalarOp::create(builder, loc, v, scalar(1.0));
  v = FlipOp::create(builder, loc, v, array({}));
  v = NegateOp::create(builder, loc, v);
  v = NegateOp::create(builder, loc, v);
  v = TransposeOp::create(builder, loc, v, array({1, 0}));
  v = ReshapeOp::create(builder, loc, v, array({-1, 8}));
  v = AddScalarOp::create(builder, loc, v, scalar(0.0));
  returnValues(v);
  ASSERT_TRUE(succeeded(verify(*module))) << allDiagnostics();

  ASSERT_TRUE(succeeded(canonicalize()));
  Block &body = function.getBody().front();
  ASSERT_EQ(body.getOperations().size(), 1u) << print(function);
  auto ret = llvm::cast<func::ReturnOp>(body.back());
  EXPECT_EQ(ret.getOperand(0), x);
}

TEST_F(DialectTest, GreedyCanonicalizationKeepsRealWork) {
  Value x = arg(tensor({2, 3})), n = arg(builder.getIndexType());
  Value a = MulScalarOp::create(builder, loc, x, scalar(2.0));
  Value b = TransposeOp::create(builder, loc, a);
  Value c = ReshapeOp::create(builder, loc, b, array({6}));
  Value d = BroadcastToOp::create(
      builder, loc, arg(tensor({kDyn, 3})),
      ArrayRef<OpFoldResult>{n, builder.getIndexAttr(3)});
  returnValues({c, d});
  ASSERT_TRUE(succeeded(canonicalize()));
  EXPECT_EQ(function.getBody().front().getOperations().size(), 5u) << print(function);
  EXPECT_TRUE(succeeded(verify(*module))) << allDiagnostics();
}

//===----------------------------------------------------------------------===//
// Printing and parsing
//===----------------------------------------------------------------------===//

TEST_F(DialectTest, PrintedModuleParsesBackToTheSameText) {
  VariableOp w = variable("0.weight", tensor({4, 3}), VariableKind::parameter,
                          KaimingUniformAttr::get(&context, 4, 3, scalar(std::sqrt(2.0))));
  VariableOp m = variable("1.running_mean", tensor({3}), VariableKind::buffer,
                          ConstantAttr::get(&context, scalar(0.1)));
  Value x = arg(tensor({kDyn, 4})), labels = arg(tensor({kDyn}, i64));
  Value n = arg(builder.getIndexType());
  Value y = MatmulOp::create(builder, loc, x, ReadOp::create(builder, loc, w));
  Value mean = ReadOp::create(builder, loc, m);
  auto bn = BatchNormTrainOp::create(builder, loc, y, mean, mean, mean, mean, scalar(1e-5),
                                     scalar(0.1), true);
  WriteOp::create(builder, loc, "1.running_mean", bn.getNewRunningMean());
  Value r = ReluOp::create(builder, loc, bn.getY());
  Value bias = BroadcastToOp::create(builder, loc, ReshapeOp::create(builder, loc, mean, array({1, 3})),
                                     ArrayRef<OpFoldResult>{n, builder.getIndexAttr(3)});
  Value z = AddOp::create(builder, loc, r, bias);
  Value loss = SoftmaxLossOp::create(builder, loc, z, labels);
  Value sum = SummationOp::create(builder, loc, z, array({1}));
  auto parts = SplitOp::create(builder, loc, StackOp::create(builder, loc, ValueRange{sum, sum}, 0), 0);
  Value flipped = FlipOp::create(builder, loc, parts.getResult(0), array({0}));
  returnValues({loss, flipped, DropoutOp::create(builder, loc, z, scalar(0.5))});
  ASSERT_TRUE(succeeded(verify(*module))) << allDiagnostics();

  for (bool generic : {false, true}) {
    OpPrintingFlags flags;
    if (generic)
      flags.printGenericOpForm();
    std::string text = print(*module, flags);
    OwningOpRef<ModuleOp> parsed = parseSourceString<ModuleOp>(text, &context);
    ASSERT_TRUE(parsed) << allDiagnostics() << text;
    EXPECT_EQ(print(*parsed, flags), text);
    // The custom and generic forms describe the same module.
    EXPECT_EQ(print(*parsed), print(*module));
  }
  EXPECT_TRUE(diagnostics.empty()) << allDiagnostics();
}

TEST_F(DialectTest, ParseErrorsAreDiagnostics) {
  OwningOpRef<ModuleOp> parsed = parseSourceString<ModuleOp>(
      "func.func @f(%a: tensor<2xf32>, %b: tensor<3xf32>) {\n"
      "  %0 = needle.add %a, %b : (tensor<2xf32>, tensor<3xf32>)\n"
      "  return\n"
      "}\n",
      &context, "model.mlir");
  EXPECT_FALSE(parsed);
  ASSERT_EQ(diagnostics.size(), 1u) << allDiagnostics();
  EXPECT_CONTAINS_ALL(diagnostics.front(), "'needle.add' op operand 'rhs' has shape [3]",
                      "operand 'lhs' has shape [2]");
  auto fileLoc = llvm::dyn_cast<FileLineColLoc>(diagnosticLocations.front());
  ASSERT_TRUE(fileLoc);
  EXPECT_EQ(fileLoc.getFilename(), "model.mlir");
  EXPECT_EQ(fileLoc.getLine(), 2u);
}

//===----------------------------------------------------------------------===//
// NeedleShapes helpers
//===----------------------------------------------------------------------===//

TEST(NeedleShapesTest, FormatShape) {
  EXPECT_EQ(formatShape(ArrayRef<int64_t>{4, kDyn, 10}), "[4, ?, 10]");
  EXPECT_EQ(formatShape(ArrayRef<int64_t>{}), "[]");
  EXPECT_EQ(formatShape(ArrayRef<int64_t>{-1, 784}), "[-1, 784]");
  MLIRContext context;
  Type f32 = Float32Type::get(&context);
  EXPECT_EQ(formatShape(RankedTensorType::get({kDyn, 3}, f32)), "[?, 3]");
  EXPECT_EQ(formatShape(RankedTensorType::get({}, f32)), "[]");
  EXPECT_EQ(formatShape(UnrankedTensorType::get(f32)), "tensor<*xf32>");
  EXPECT_EQ(formatShape(f32), "f32");
}

TEST(NeedleShapesTest, CompatibilityAndJoin) {
  EXPECT_TRUE(areCompatibleDims(3, 3));
  EXPECT_TRUE(areCompatibleDims(kDyn, 3));
  EXPECT_TRUE(areCompatibleDims(3, kDyn));
  EXPECT_TRUE(areCompatibleDims(kDyn, kDyn));
  EXPECT_FALSE(areCompatibleDims(3, 4));
  EXPECT_EQ(joinDims(kDyn, 3), 3);
  EXPECT_EQ(joinDims(3, kDyn), 3);
  EXPECT_EQ(joinDims(kDyn, kDyn), kDyn);
  EXPECT_TRUE(areCompatibleShapes({2, kDyn}, {kDyn, 3}));
  EXPECT_TRUE(areCompatibleShapes({}, {}));
  EXPECT_FALSE(areCompatibleShapes({2, 3}, {2, 4}));
  EXPECT_FALSE(areCompatibleShapes({2, 3}, {2, 3, 1}));
}

TEST(NeedleShapesTest, BroadcastShapes) {
  using Shape = SmallVector<int64_t>;
  auto broadcast = [](ArrayRef<int64_t> a, ArrayRef<int64_t> b) { return broadcastShapes(a, b); };
  EXPECT_EQ(broadcast({2, 1, 3}, {4, 3}), Shape({2, 4, 3}));
  EXPECT_EQ(broadcast({4, 3}, {2, 1, 3}), Shape({2, 4, 3}));
  EXPECT_EQ(broadcast({}, {2, 3}), Shape({2, 3}));
  EXPECT_EQ(broadcast({}, {}), Shape({}));
  EXPECT_EQ(broadcast({5}, {1}), Shape({5}));
  EXPECT_FALSE(broadcast({2}, {3}));
  EXPECT_FALSE(broadcast({2, 3}, {4, 3}));
  // Dynamic dimensions: against 1 they stay dynamic, against another size they
  // take it (they must equal it at run time), against a dynamic one they stay.
  EXPECT_EQ(broadcast({kDyn, 3}, {1}), Shape({kDyn, 3}));
  EXPECT_EQ(broadcast({1}, {kDyn}), Shape({kDyn}));
  EXPECT_EQ(broadcast({kDyn}, {5}), Shape({5}));
  EXPECT_EQ(broadcast({5}, {kDyn}), Shape({5}));
  EXPECT_EQ(broadcast({kDyn}, {kDyn}), Shape({kDyn}));
  EXPECT_EQ(broadcast({kDyn, 1}, {1, kDyn}), Shape({kDyn, kDyn}));
  EXPECT_EQ(broadcast({kDyn}, {2, 1}), Shape({2, kDyn}));
}

//===----------------------------------------------------------------------===//
// Regressions: bugs the dialect's test suite found.
//===----------------------------------------------------------------------===//

// reshape(reshape(x)) folds in place onto x, but keeps the outer result type;
// when x is less static than the inner reshape's result, type inference now
// disagrees with that type and the module no longer verifies.
TEST_F(DialectTest, ReshapeOfReshapeFoldKeepsTheModuleValid) {
  Value x = arg(tensor({kDyn, 4}));
  Value inner = ReshapeOp::create(builder, loc, x, array({8, 2}));    // tensor<8x2xf32>
  Value outer = ReshapeOp::create(builder, loc, inner, array({-1, 4})); // tensor<4x4xf32>
  returnValues(outer);
  ASSERT_TRUE(succeeded(verify(*module))) << allDiagnostics();
  ASSERT_TRUE(succeeded(canonicalize()));
  EXPECT_TRUE(succeeded(verify(*module))) << allDiagnostics() << print(*module);
}

// The static part of a dynamic operand is a divisor of the target size; a
// static 0 makes that a division by zero (SIGFPE) instead of an error.
TEST_F(DialectTest, ReshapeOfAZeroSizedDynamicTensorFailsCleanly) {
  Value x = arg(tensor({kDyn, 0}));
  ReshapeOp::Properties props;
  props.setShape(array({4}));
  SmallVector<Type> types;
  EXPECT_TRUE(failed(ReshapeOp::inferReturnTypes(
      &context, loc, ReshapeOp::Adaptor(ValueRange{x}, DictionaryAttr(), props), types)));
  EXPECT_CONTAINS_ALL(allDiagnostics(), "'needle.reshape' op cannot reshape operand of shape [?, 0]");
}

// Splitting an axis of size 0 would give no results, whose custom form
// (`-> ` with no types) cannot parse: it is refused.
TEST_F(DialectTest, SplitOfAnEmptyAxisIsRefused) {
  SplitOp::Properties props;
  props.setAxis(IntegerAttr::get(IntegerType::get(&context, 64), 0));
  SmallVector<Type> types;
  EXPECT_TRUE(failed(SplitOp::inferReturnTypes(
      &context, loc, SplitOp::Adaptor(ValueRange{arg(tensor({0, 3}))}, DictionaryAttr(), props),
      types)));
  EXPECT_CONTAINS_ALL(allDiagnostics(), "'needle.split' op axis 0 of operand of shape [0, 3] is empty");
}

// Float parameters take float literals, as builtin float attributes do: a
// decimal integer is refused with a message that says so.
TEST_F(DialectTest, InitializerRefusesIntegerLiteralsClearly) {
  OwningOpRef<ModuleOp> parsed = parseSourceString<ModuleOp>(
      "needle.variable parameter @w : tensor<4xf32> = #needle.constant<value = 1>\n"
      "needle.variable parameter @v : tensor<4x4xf32> = "
      "#needle.kaiming_uniform<fan_in = 4, fan_out = 4, gain = 2>\n",
      &context);
  EXPECT_FALSE(parsed);
  EXPECT_CONTAINS_ALL(allDiagnostics(), "unexpected decimal integer literal for a floating point value");
}

} // namespace
