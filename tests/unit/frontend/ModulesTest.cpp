//===- ModulesTest.cpp - nn modules trace to needle's ops and variables ---===//
//
// Each module records needle's forward with its parameters and buffers;
// variables are named by module path and declared in construction order;
// parameter counts equal the formula from the layer sizes; shape errors name
// the layer; the batch dimension may be dynamic or static.
//
//===----------------------------------------------------------------------===//
#include "FrontendTestSupport.h"

#include "examples/mlp_resnet.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;
using namespace mlir::needle;
using namespace ::needle::frontend;
using namespace ::needle::test;
namespace examples = ::needle::examples;
namespace frontend = ::needle::frontend;
namespace init = ::needle::init;
namespace nn = ::needle::nn;
using Strings = std::vector<std::string>;

namespace {

class ModulesTest : public FrontendTest {
protected:
  OwningOpRef<ModuleOp> traceModel(const nn::Module &model, TensorSpec input,
                                   const nn::Loss *loss = nullptr) {
    return frontend::trace(context, model, input, {loss});
  }

  static func::FuncOp forward(ModuleOp module) {
    return module.lookupSymbol<func::FuncOp>("forward");
  }

  /// The first op of `OpT` in @forward.
  template <typename OpT> static OpT first(ModuleOp module) {
    auto ops = forward(module).getOps<OpT>();
    return ops.empty() ? OpT() : *ops.begin();
  }

  static int64_t tracedParameterCount(ModuleOp module) {
    int64_t count = 0;
    for (VariableOp variable : variables(module))
      if (variable.getKind() == VariableKind::parameter)
        count += variable.getTensorType().getNumElements();
    return count;
  }
};

// Parameters of needle's layers, from their sizes.
int64_t linearParameters(int64_t in, int64_t out) { return in * out + out; }
int64_t batchNormParameters(int64_t dim) { return 2 * dim; }
int64_t residualBlockParameters(int64_t dim, int64_t hidden) {
  return linearParameters(dim, hidden) + batchNormParameters(hidden) +
         linearParameters(hidden, dim) + batchNormParameters(dim);
}
int64_t mlpResNetParameters(int64_t dim, int64_t hidden, int64_t blocks,
                            int64_t classes) {
  return linearParameters(dim, hidden) +
         blocks * residualBlockParameters(hidden, hidden / 2) +
         linearParameters(hidden, classes);
}

//===----------------------------------------------------------------------===//
// Each module
//===----------------------------------------------------------------------===//

TEST_F(ModulesTest, LinearIsMatmulPlusBroadcastBias) {
  nn::Linear linear(4, 3);
  auto module = traceModel(linear, {{kDyn, 4}});
  ASSERT_TRUE(module) << allDiagnostics();
  EXPECT_EQ(opNames(forward(*module)),
            (Strings{"arith.constant", "needle.read", "needle.matmul", "needle.read",
                     "tensor.dim", "needle.broadcast_to", "needle.add"}));
  auto vars = variables(*module);
  ASSERT_EQ(vars.size(), 2u);
  EXPECT_EQ(vars[0].getSymName(), "weight");
  EXPECT_EQ(vars[0].getTensorType(), f32Tensor({4, 3}));
  auto weightInit = llvm::dyn_cast<KaimingUniformAttr>(vars[0].getInitializer());
  ASSERT_TRUE(weightInit);
  EXPECT_EQ(weightInit.getFanIn(), 4);
  EXPECT_EQ(weightInit.getFanOut(), 3);
  EXPECT_EQ(weightInit.getGain().convertToDouble(), std::sqrt(2.0));
  // needle: kaiming_uniform(out, 1) reshaped to (1, out).
  EXPECT_EQ(vars[1].getSymName(), "bias");
  EXPECT_EQ(vars[1].getTensorType(), f32Tensor({1, 3}));
  auto biasInit = llvm::dyn_cast<KaimingUniformAttr>(vars[1].getInitializer());
  ASSERT_TRUE(biasInit);
  EXPECT_EQ(biasInit.getFanIn(), 3);
  EXPECT_EQ(biasInit.getFanOut(), 1);
  EXPECT_EQ(forward(*module).getFunctionType().getResults()[0], f32Tensor({kDyn, 3}));
  EXPECT_EQ(linear.numParameters(), linearParameters(4, 3));
}

TEST_F(ModulesTest, LinearWithoutBias) {
  nn::Linear linear(4, 3, /*bias=*/false);
  auto module = traceModel(linear, {{kDyn, 4}});
  ASSERT_TRUE(module) << allDiagnostics();
  EXPECT_EQ(opNames(forward(*module)), (Strings{"needle.read", "needle.matmul"}));
  EXPECT_EQ(variableNames(*module), (Strings{"weight"}));
  EXPECT_EQ(linear.numParameters(), 12);
}

TEST_F(ModulesTest, BatchNorm1dHasParametersAndBuffers) {
  nn::Sequential model{nn::BatchNorm1d(5, /*eps=*/1e-3, /*momentum=*/0.2)};
  auto module = traceModel(model, {{kDyn, 5}});
  ASSERT_TRUE(module) << allDiagnostics();
  auto vars = variables(*module);
  ASSERT_EQ(vars.size(), 4u);
  EXPECT_EQ(variableNames(*module),
            (Strings{"0.weight", "0.bias", "0.running_mean", "0.running_var"}));
  EXPECT_EQ(vars[0].getKind(), VariableKind::parameter);
  EXPECT_EQ(vars[1].getKind(), VariableKind::parameter);
  EXPECT_EQ(vars[2].getKind(), VariableKind::buffer);
  EXPECT_EQ(vars[3].getKind(), VariableKind::buffer);
  EXPECT_TRUE(llvm::isa<OnesAttr>(vars[0].getInitializer()));
  EXPECT_TRUE(llvm::isa<ZerosAttr>(vars[1].getInitializer()));
  EXPECT_TRUE(llvm::isa<ZerosAttr>(vars[2].getInitializer()));
  EXPECT_TRUE(llvm::isa<OnesAttr>(vars[3].getInitializer()));
  for (VariableOp variable : vars)
    EXPECT_EQ(variable.getTensorType(), f32Tensor({5}));

  auto bn = first<BatchNormOp>(*module);
  ASSERT_TRUE(bn);
  EXPECT_EQ(bn.getEps().convertToDouble(), 1e-3);
  EXPECT_EQ(bn.getMomentum().convertToDouble(), 0.2);
  // The operands are the reads of weight, bias, running_mean, running_var.
  Strings read;
  for (Value operand : bn->getOperands().drop_front())
    read.push_back(operand.getDefiningOp<ReadOp>().getVariable().str());
  EXPECT_EQ(read, (Strings{"0.weight", "0.bias", "0.running_mean", "0.running_var"}));
  EXPECT_EQ(model.numParameters(), batchNormParameters(5));
}

TEST_F(ModulesTest, LayerNorm1dIsNeedlesComposition) {
  nn::LayerNorm1d norm(4, /*eps=*/1e-6);
  auto module = traceModel(norm, {{kDyn, 4}});
  ASSERT_TRUE(module) << allDiagnostics();
  EXPECT_EQ(variableNames(*module), (Strings{"weight", "bias"}));
  auto vars = variables(*module);
  EXPECT_EQ(vars[0].getTensorType(), f32Tensor({4}));
  EXPECT_TRUE(llvm::isa<OnesAttr>(vars[0].getInitializer()));
  EXPECT_TRUE(llvm::isa<ZerosAttr>(vars[1].getInitializer()));
  Strings names = opNames(forward(*module));
  // mean = sum(x, 1).reshape(N, 1) / 4; var alike from (x - mean)^2; + eps; ^0.5.
  EXPECT_EQ(llvm::count(names, "needle.summation"), 2);
  EXPECT_EQ(llvm::count(names, "needle.reshape"), 2);
  EXPECT_EQ(llvm::count(names, "needle.div_scalar"), 2);
  EXPECT_EQ(llvm::count(names, "needle.power_scalar"), 2);
  EXPECT_EQ(llvm::count(names, "needle.broadcast_to"), 4);
  auto epsAdd = first<AddScalarOp>(*module);
  ASSERT_TRUE(epsAdd);
  EXPECT_EQ(epsAdd.getScalar().convertToDouble(), 1e-6);
  auto sum = first<SummationOp>(*module);
  EXPECT_EQ(*sum.getAxes(), (llvm::ArrayRef<int64_t>{1}));
  auto divide = first<DivScalarOp>(*module);
  EXPECT_EQ(divide.getScalar().convertToDouble(), 4.0);
  EXPECT_EQ(forward(*module).getFunctionType().getResults()[0], f32Tensor({kDyn, 4}));
}

TEST_F(ModulesTest, FlattenKeepsTheBatch) {
  nn::Flatten flatten;
  auto module = traceModel(flatten, {{kDyn, 2, 3, 4}});
  ASSERT_TRUE(module) << allDiagnostics();
  auto reshape = first<ReshapeOp>(*module);
  ASSERT_TRUE(reshape);
  EXPECT_EQ(reshape.getShape(), (llvm::ArrayRef<int64_t>{-1, 24}));
  EXPECT_EQ(reshape.getType(), f32Tensor({kDyn, 24}));
  auto staticModule = traceModel(flatten, {{6, 2, 3, 4}});
  ASSERT_TRUE(staticModule) << allDiagnostics();
  EXPECT_EQ(first<ReshapeOp>(*staticModule).getShape(), (llvm::ArrayRef<int64_t>{6, 24}));
}

TEST_F(ModulesTest, ActivationsIdentityAndDropout) {
  nn::Sequential model{nn::ReLU(), nn::Tanh(), nn::Sigmoid(), nn::Identity(),
                       nn::Dropout(0.25)};
  auto module = traceModel(model, {{kDyn, 7}});
  ASSERT_TRUE(module) << allDiagnostics();
  EXPECT_EQ(opNames(forward(*module)),
            (Strings{"needle.relu", "needle.tanh", "needle.sigmoid", "needle.dropout"}));
  EXPECT_EQ(first<DropoutOp>(*module).getP().convertToDouble(), 0.25);
  EXPECT_TRUE(variables(*module).empty());
  EXPECT_EQ(nn::Dropout().numParameters(), 0);
}

TEST_F(ModulesTest, ResidualAddsTheInput) {
  nn::Residual residual(nn::Sequential{nn::Linear(3, 3), nn::ReLU()});
  auto module = traceModel(residual, {{kDyn, 3}});
  ASSERT_TRUE(module) << allDiagnostics();
  EXPECT_EQ(variableNames(*module), (Strings{"fn.0.weight", "fn.0.bias"}));
  func::FuncOp f = forward(*module);
  auto ret = llvm::cast<func::ReturnOp>(f.getBody().front().getTerminator());
  auto add = ret.getOperand(0).getDefiningOp<AddOp>();
  ASSERT_TRUE(add);
  EXPECT_TRUE(add.getLhs().getDefiningOp<ReluOp>());
  EXPECT_EQ(add.getRhs(), f.getArgument(0));
}

TEST_F(ModulesTest, SoftmaxLossTracesTheLossFunction) {
  nn::Sequential model{nn::Linear(6, 4)};
  nn::SoftmaxLoss loss;
  auto module = traceModel(model, {{kDyn, 6}}, &loss);
  ASSERT_TRUE(module) << allDiagnostics();
  auto lossFn = module->lookupSymbol<func::FuncOp>("loss");
  ASSERT_TRUE(lossFn);
  auto type = lossFn.getFunctionType();
  ASSERT_EQ(type.getNumInputs(), 2u);
  EXPECT_EQ(type.getInput(0), f32Tensor({kDyn, 6}));
  EXPECT_EQ(type.getInput(1),
            RankedTensorType::get({kDyn}, IntegerType::get(&context, 32)));
  EXPECT_EQ(type.getResult(0), f32Tensor({}));
  auto ret = llvm::cast<func::ReturnOp>(lossFn.getBody().front().getTerminator());
  auto softmax = ret.getOperand(0).getDefiningOp<SoftmaxLossOp>();
  ASSERT_TRUE(softmax);
  EXPECT_EQ(softmax.getLabels(), lossFn.getArgument(1));
  EXPECT_TRUE(softmax.getLogits().getDefiningOp<AddOp>());
  EXPECT_EQ(locationOf(softmax), "loc(\"loss\"(\"SoftmaxLoss\"))");
}

TEST_F(ModulesTest, LocationsNameTheModulePath) {
  auto model = examples::MLPResNet(20, 8, 2, 3);
  auto module = traceModel(model, {{kDyn, 20}});
  ASSERT_TRUE(module) << allDiagnostics();
  Strings batchNorms;
  for (auto bn : forward(*module).getOps<BatchNormOp>())
    batchNorms.push_back(locationOf(bn));
  EXPECT_EQ(batchNorms, (Strings{"loc(\"2.0.fn.1\"(\"BatchNorm1d\"))",
                                 "loc(\"2.0.fn.5\"(\"BatchNorm1d\"))",
                                 "loc(\"3.0.fn.1\"(\"BatchNorm1d\"))",
                                 "loc(\"3.0.fn.5\"(\"BatchNorm1d\"))"}));
  EXPECT_EQ(locationOf(first<DropoutOp>(*module)), "loc(\"2.0.fn.3\"(\"Dropout\"))");
  // The residual's add belongs to the Residual, the block's relu to its ReLU.
  EXPECT_EQ(locationOf(variables(*module).front()), "loc(\"0\"(\"Linear\"))");
}

//===----------------------------------------------------------------------===//
// Names, order and parameter counts
//===----------------------------------------------------------------------===//

TEST_F(ModulesTest, MLPResNetParameterCountsMatchTheFormula) {
  EXPECT_EQ(examples::MLPResNet(784).numParameters(),
            mlpResNetParameters(784, 100, 3, 10));
  EXPECT_EQ(mlpResNetParameters(784, 100, 3, 10), 110860);
  EXPECT_EQ(examples::MLPResNet(20, 16, 2, 5).numParameters(),
            mlpResNetParameters(20, 16, 2, 5));
  EXPECT_EQ(examples::MLPResNet(10, 6, 0, 4).numParameters(),
            mlpResNetParameters(10, 6, 0, 4));
  EXPECT_EQ(examples::ResidualBlock(8, 4).numParameters(), residualBlockParameters(8, 4));
  EXPECT_EQ(examples::ResidualBlock(8, 4, nn::layer<nn::LayerNorm1d>()).numParameters(),
            residualBlockParameters(8, 4));

  // The traced model declares exactly those parameters.
  auto model = examples::MLPResNet(784);
  nn::SoftmaxLoss loss;
  auto module = traceModel(model, {{kDyn, 784}}, &loss);
  ASSERT_TRUE(module) << allDiagnostics();
  EXPECT_EQ(tracedParameterCount(*module), 110860);
  EXPECT_EQ(variables(*module).size(), 2 + 3 * 12 + 2u);
}

TEST_F(ModulesTest, MLPResNetVariablesInNeedlesOrderAndNames) {
  auto model = examples::MLPResNet(784);
  auto module = traceModel(model, {{kDyn, 784}});
  ASSERT_TRUE(module) << allDiagnostics();
  Strings expected{"0.weight", "0.bias"};
  for (int block = 2; block < 5; ++block)
    for (const char *suffix :
         {"fn.0.weight", "fn.0.bias", "fn.1.weight", "fn.1.bias", "fn.1.running_mean",
          "fn.1.running_var", "fn.4.weight", "fn.4.bias", "fn.5.weight", "fn.5.bias",
          "fn.5.running_mean", "fn.5.running_var"})
      expected.push_back(std::to_string(block) + ".0." + suffix);
  expected.push_back("5.weight");
  expected.push_back("5.bias");
  EXPECT_EQ(variableNames(*module), expected);
  Strings stateDict;
  for (const auto &[name, variable] : model.namedVariables())
    stateDict.push_back(name);
  EXPECT_EQ(stateDict, expected);
  auto vars = variables(*module);
  EXPECT_EQ(vars[2].getTensorType(), f32Tensor({100, 50}));
  EXPECT_EQ(vars[9].getTensorType(), f32Tensor({1, 100}));
  EXPECT_EQ(vars.back().getTensorType(), f32Tensor({1, 10}));
}

TEST_F(ModulesTest, VariablesAreDeclaredInConstructionOrder) {
  // needle draws random values as modules are built: `second` first here,
  // although the Sequential lists it second.
  nn::Linear second(3, 2);
  nn::Linear firstLayer(4, 3);
  nn::Sequential model{std::move(firstLayer), std::move(second)};
  auto module = traceModel(model, {{kDyn, 4}});
  ASSERT_TRUE(module) << allDiagnostics();
  EXPECT_EQ(variableNames(*module),
            (Strings{"1.weight", "1.bias", "0.weight", "0.bias"}));
  Strings stateDict;
  for (const auto &[name, variable] : model.namedVariables())
    stateDict.push_back(name);
  EXPECT_EQ(stateDict, (Strings{"0.weight", "0.bias", "1.weight", "1.bias"}));
  // The forward still applies them in the Sequential's order.
  Strings matmulWeights;
  for (auto matmul : forward(*module).getOps<MatmulOp>())
    matmulWeights.push_back(matmul.getRhs().getDefiningOp<ReadOp>().getVariable().str());
  EXPECT_EQ(matmulWeights, (Strings{"0.weight", "1.weight"}));
}

TEST_F(ModulesTest, ASharedModuleIsDeclaredOnce) {
  auto shared = std::make_shared<nn::Linear>(3, 3);
  nn::Sequential model{shared, nn::ReLU(), shared};
  auto module = traceModel(model, {{kDyn, 3}});
  ASSERT_TRUE(module) << allDiagnostics();
  EXPECT_EQ(variableNames(*module), (Strings{"0.weight", "0.bias"}));
  EXPECT_EQ(model.numParameters(), linearParameters(3, 3));
  int reads = 0;
  for (auto read : forward(*module).getOps<ReadOp>())
    reads += read.getVariable() == "0.weight";
  EXPECT_EQ(reads, 2);
}

// A user-defined module: own parameter, registered children.
class ScaledMLP : public nn::Module {
public:
  ScaledMLP() : Module("ScaledMLP") {
    scale_ = &registerParameter("scale", {1, 2}, init::constant(0.5));
    hidden_ = &registerModule("hidden", nn::Linear(5, 2));
  }

protected:
  Tensor forward(const Tensor &x) const override {
    Tensor h = relu((*hidden_)(x));
    return h * read(*scale_).broadcast_to(h.shape());
  }

private:
  const nn::Variable *scale_;
  nn::Linear *hidden_;
};

TEST_F(ModulesTest, UserDefinedModule) {
  ScaledMLP model;
  auto module = traceModel(model, {{kDyn, 5}});
  ASSERT_TRUE(module) << allDiagnostics();
  EXPECT_EQ(variableNames(*module), (Strings{"scale", "hidden.weight", "hidden.bias"}));
  auto scale = llvm::dyn_cast<ConstantAttr>(variables(*module)[0].getInitializer());
  ASSERT_TRUE(scale);
  EXPECT_EQ(scale.getValue().convertToDouble(), 0.5);
  EXPECT_EQ(model.numParameters(), 2 + linearParameters(5, 2));
  EXPECT_EQ(locationOf(first<MulOp>(*module)), "loc(\"ScaledMLP\")");
  EXPECT_EQ(locationOf(first<MatmulOp>(*module)), "loc(\"hidden\"(\"Linear\"))");
}

//===----------------------------------------------------------------------===//
// Batch dimension
//===----------------------------------------------------------------------===//

TEST_F(ModulesTest, BatchDimensionDynamicOrStatic) {
  nn::Sequential model{nn::Linear(6, 4), nn::BatchNorm1d(4)};
  nn::SoftmaxLoss loss;
  auto dynamic = traceModel(model, {{kDyn, 6}}, &loss);
  ASSERT_TRUE(dynamic) << allDiagnostics();
  EXPECT_EQ(forward(*dynamic).getFunctionType().getInput(0), f32Tensor({kDyn, 6}));
  EXPECT_EQ(forward(*dynamic).getFunctionType().getResult(0), f32Tensor({kDyn, 4}));
  EXPECT_TRUE(first<mlir::tensor::DimOp>(*dynamic));

  auto fixed = traceModel(model, {{8, 6}}, &loss);
  ASSERT_TRUE(fixed) << allDiagnostics();
  EXPECT_EQ(forward(*fixed).getFunctionType().getResult(0), f32Tensor({8, 4}));
  auto lossType = fixed->lookupSymbol<func::FuncOp>("loss").getFunctionType();
  EXPECT_EQ(lossType.getInput(1),
            RankedTensorType::get({8}, IntegerType::get(&context, 32)));
  // A static batch needs no run-time sizes.
  EXPECT_FALSE(first<mlir::tensor::DimOp>(*fixed));
  EXPECT_FALSE(first<mlir::arith::ConstantIndexOp>(*fixed));
}

//===----------------------------------------------------------------------===//
// Trace-time errors name the op, the shapes and the layer
//===----------------------------------------------------------------------===//

TEST_F(ModulesTest, MismatchedLayersFailNamingTheLayer) {
  nn::Sequential model{nn::Linear(784, 100), nn::ReLU(), nn::Linear(50, 10)};
  EXPECT_FALSE(traceModel(model, {{kDyn, 784}}));
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "loc(\"2\"(\"Linear\"))", "'needle.matmul' op",
                      "[?, 100]", "[50, 10]", "while tracing @forward");
}

TEST_F(ModulesTest, BatchNormOfTheWrongWidthNamesItsPath) {
  auto model = examples::MLPResNet(20, 8, 2, 3);
  EXPECT_FALSE(traceModel(model, {{kDyn, 21}}));
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "loc(\"0\"(\"Linear\"))", "[?, 21]", "[20, 8]");

  diagnostics.clear();
  nn::Sequential narrow{nn::Linear(4, 3),
                        nn::Residual(nn::Sequential{nn::BatchNorm1d(5)})};
  EXPECT_FALSE(traceModel(narrow, {{kDyn, 4}}));
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "loc(\"1.fn.0\"(\"BatchNorm1d\"))",
                      "'needle.batch_norm' op", "[5]", "[?, 3]");
}

TEST_F(ModulesTest, ErrorsInTheLossFunction) {
  nn::Sequential model{nn::Linear(4, 3)};
  nn::SoftmaxLoss loss;
  frontend::TraceOptions options{&loss, TensorSpec{{kDyn, 2}, DType::i32}};
  EXPECT_FALSE(frontend::trace(context, model, {{kDyn, 4}}, options));
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "loc(\"loss\"(\"SoftmaxLoss\"))",
                      "'needle.softmax_loss' op", "[?, 2]", "while tracing @loss");
}

TEST_F(ModulesTest, InvalidLayerArguments) {
  nn::Linear empty(0, 3);
  EXPECT_FALSE(traceModel(empty, {{kDyn, 0}}));
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "loc(\"Linear\")", "kaiming_uniform",
                      "fan_in = 0");

  diagnostics.clear();
  nn::Sequential dropout{nn::Dropout(1.5)};
  EXPECT_FALSE(traceModel(dropout, {{kDyn, 3}}));
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "loc(\"0\"(\"Dropout\"))", "[0, 1)", "1.5");

  diagnostics.clear();
  nn::LayerNorm1d norm(3);
  EXPECT_FALSE(traceModel(norm, {{kDyn, 3, 2}}));
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "LayerNorm1d expects", "[?, 3, 2]");
}

// Reads a Linear that is not registered as a child.
class Unregistered : public nn::Module {
public:
  Unregistered() : Module("Unregistered") {}

protected:
  Tensor forward(const Tensor &x) const override { return inner_(x); }

private:
  nn::Linear inner_{3, 3};
};

TEST_F(ModulesTest, UnregisteredVariablesAreReported) {
  Unregistered model;
  EXPECT_FALSE(traceModel(model, {{kDyn, 3}}));
  EXPECT_CONTAINS_ALL(onlyDiagnostic(), "loc(\"Linear\")", "variable 'weight'",
                      "registerModule");
}

} // namespace
