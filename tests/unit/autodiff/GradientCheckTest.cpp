// Gradient checks: for each case, a @loss = sum(op(...) * r) over f64
// parameters (r a random input, so every cotangent element differs) is
// differentiated by needle-autodiff, compiled by needlec and run by the
// runtime; every gradient element must match the central finite difference
// (h = 1e-6) of the loss computed by the same artifact, to 1e-6 relative.
#include "tests/unit/autodiff/GradientSupport.h"
#include "tests/unit/e2e/E2ESupport.h"

#include <random>
#include <sstream>

using namespace needle::runtime;
using namespace needle::e2e;
using needle::autodiff_test::compileGradient;

namespace {

struct Variable {
  std::string name;
  Shape shape;
  double low = -1.0, high = 1.0;
  /// Values in [low, high] with a random sign: away from relu's kink.
  bool randomSign = false;
  std::string kind = "parameter";
  std::string initializer = "#needle.zeros";
};

struct Input {
  std::string declaration; // "%x: tensor<?x4xf64>"
  Tensor value;
};

struct GradCase {
  std::string name;
  std::vector<Variable> variables;
  std::vector<Input> inputs;
  std::vector<std::string> body; // computes %out
  std::string outType;
  Shape outShape;
};

void PrintTo(const GradCase &c, std::ostream *os) { *os << c.name; }

std::mt19937_64 &rng() {
  static std::mt19937_64 generator(20240611);
  return generator;
}

Tensor randomTensor(const Shape &shape, double low, double high, bool randomSign = false) {
  StatusOr<Tensor> tensor = Tensor::zeros(DType::f64, shape);
  std::uniform_real_distribution<double> uniform(low, high);
  std::bernoulli_distribution coin(0.5);
  for (int64_t i = 0; i < tensor->numElements(); ++i) {
    double value = uniform(rng());
    tensor->dataAs<double>()[i] = randomSign && coin(rng()) ? -value : value;
  }
  return *tensor;
}

std::string f64Type(const std::string &dims) {
  return "tensor<" + (dims.empty() ? "" : dims + "x") + "f64>";
}

std::string f64Type(const Shape &shape) {
  std::string dims;
  for (int64_t dim : shape)
    dims += (dims.empty() ? "" : "x") + std::to_string(dim);
  return f64Type(dims);
}

std::string modelText(const GradCase &c) {
  std::ostringstream os;
  for (const Variable &v : c.variables)
    os << "needle.variable " << v.kind << " @" << v.name << " : " << f64Type(v.shape)
       << " = " << v.initializer << "\n";
  os << "func.func @loss(";
  for (const Input &input : c.inputs)
    os << input.declaration << ", ";
  os << "%r: " << c.outType << ") -> tensor<f64> {\n";
  for (const Variable &v : c.variables)
    os << "  %" << v.name << " = needle.read @" << v.name << " : " << f64Type(v.shape)
       << "\n";
  for (const std::string &line : c.body)
    os << "  " << line << "\n";
  os << "  %weighted = needle.mul %out, %r : " << c.outType << "\n";
  if (c.outShape.empty()) {
    os << "  return %weighted : tensor<f64>\n}\n";
  } else {
    os << "  %loss = needle.summation %weighted : " << c.outType << " -> tensor<f64>\n"
       << "  return %loss : tensor<f64>\n}\n";
  }
  return os.str();
}

void checkGradients(const GradCase &c) {
  std::string artifact = compileGradient(c.name, modelText(c));
  ASSERT_FALSE(artifact.empty());
  ASSERT_FALSE(testing::Test::HasFailure());
  Module module = load(artifact);
  for (const Variable &v : c.variables)
    if (v.kind == "parameter")
      ASSERT_TRUE(
          module.setVariable(v.name, randomTensor(v.shape, v.low, v.high, v.randomSign))
              .ok());
  std::vector<Tensor> inputs;
  for (const Input &input : c.inputs)
    inputs.push_back(input.value);
  inputs.push_back(randomTensor(c.outShape, -1.0, 1.0));

  auto outputs = module.call("infer", inputs);
  ASSERT_TRUE(outputs.ok()) << outputs.status().message();
  std::vector<std::string> parameters;
  for (const VariableSpec &v : module.manifest().variables)
    if (v.kind == VariableKind::parameter)
      parameters.push_back(v.name);
  ASSERT_EQ(outputs->size(), 1 + parameters.size());

  auto lossAt = [&]() {
    auto result = module.call("infer", inputs);
    EXPECT_TRUE(result.ok()) << result.status().message();
    return result.ok() ? (*result)[0].elementAsDouble(0) : NAN;
  };
  const double h = 1e-6;
  for (size_t k = 0; k < parameters.size(); ++k) {
    const Tensor &gradient = (*outputs)[1 + k];
    Tensor value = *module.variable(parameters[k]);
    ASSERT_EQ(gradient.shape(), value.shape()) << parameters[k];
    for (int64_t i = 0; i < value.numElements(); ++i) {
      Tensor shifted = *value.clone();
      double original = value.dataAs<double>()[i];
      shifted.dataAs<double>()[i] = original + h;
      ASSERT_TRUE(module.setVariable(parameters[k], shifted).ok());
      double plus = lossAt();
      shifted.dataAs<double>()[i] = original - h;
      ASSERT_TRUE(module.setVariable(parameters[k], shifted).ok());
      double minus = lossAt();
      double difference = (plus - minus) / (2 * h);
      EXPECT_NEAR(gradient.elementAsDouble(i), difference, 1e-8 + 1e-6 * std::fabs(difference))
          << parameters[k] << "[" << i << "]";
    }
    ASSERT_TRUE(module.setVariable(parameters[k], value).ok());
  }
}

Variable param(const std::string &name, Shape shape, double low = -1.0, double high = 1.0) {
  return Variable{name, std::move(shape), low, high};
}

/// One element-wise op on parameters of shape 3x4.
GradCase elementwise(const std::string &name, const std::string &line,
                     std::vector<Variable> variables) {
  return {name, std::move(variables), {}, {line}, f64Type("3x4"), {3, 4}};
}

Input dynamicInput(const std::string &name, const std::string &dims, Shape shape,
                   double low = -1.0, double high = 1.0) {
  return {"%" + name + ": " + f64Type(dims), randomTensor(shape, low, high)};
}

Input labels(const std::vector<int64_t> &values) {
  return {"%labels: tensor<?xi64>",
          *Tensor::fromValues<int64_t>({int64_t(values.size())}, values)};
}

std::vector<GradCase> cases() {
  const std::string t = f64Type("3x4");
  std::vector<GradCase> all;
  auto ab = [](double low = -1.0, double high = 1.0) {
    return std::vector<Variable>{param("a", {3, 4}, low, high), param("b", {3, 4}, low, high)};
  };
  auto a = [](double low = -1.0, double high = 1.0) {
    return std::vector<Variable>{param("a", {3, 4}, low, high)};
  };
  all.push_back(elementwise("add", "%out = needle.add %a, %b : " + t, ab()));
  all.push_back(elementwise("mul", "%out = needle.mul %a, %b : " + t, ab()));
  {
    auto vars = ab();
    vars[1].low = 0.5, vars[1].high = 2.0, vars[1].randomSign = true;
    all.push_back(elementwise("div", "%out = needle.div %a, %b : " + t, vars));
  }
  {
    auto vars = ab(0.5, 2.0);
    vars[1].low = -1.5, vars[1].high = 1.5;
    all.push_back(elementwise("pow", "%out = needle.pow %a, %b : " + t, vars));
  }
  all.push_back(elementwise("add_scalar", "%out = needle.add_scalar %a, 1.5 : " + t, a()));
  all.push_back(elementwise("mul_scalar", "%out = needle.mul_scalar %a, -3.0 : " + t, a()));
  all.push_back(elementwise("div_scalar", "%out = needle.div_scalar %a, 4.0 : " + t, a()));
  all.push_back(elementwise("power_scalar_minus_1_5",
                            "%out = needle.power_scalar %a, -1.5 : " + t, a(0.5, 2.0)));
  all.push_back(elementwise("power_scalar_2_5", "%out = needle.power_scalar %a, 2.5 : " + t,
                            a(0.5, 2.0)));
  all.push_back(elementwise("negate", "%out = needle.negate %a : " + t, a()));
  all.push_back(elementwise("exp", "%out = needle.exp %a : " + t, a()));
  all.push_back(elementwise("log", "%out = needle.log %a : " + t, a(0.5, 2.0)));
  {
    auto vars = a(0.1, 1.0);
    vars[0].randomSign = true;
    all.push_back(elementwise("relu", "%out = needle.relu %a : " + t, vars));
  }
  all.push_back(elementwise("tanh", "%out = needle.tanh %a : " + t, a()));
  all.push_back(elementwise("sigmoid", "%out = needle.sigmoid %a : " + t, a(-3.0, 3.0)));
  {
    std::vector<Variable> vars{param("g", {3, 4}), param("x", {3, 4}, 0.1, 1.0)};
    vars[1].randomSign = true;
    all.push_back(elementwise("relu_grad", "%out = needle.relu_grad %g, %x : " + t, vars));
  }

  // Shape ops.
  all.push_back({"reshape", {param("a", {2, 6})}, {},
                 {"%out = needle.reshape %a [3, 4] : tensor<2x6xf64> -> tensor<3x4xf64>"},
                 t, {3, 4}});
  all.push_back({"reshape_dynamic_broadcast_to",
                 {param("a", {1, 6})},
                 {dynamicInput("x", "?x6", {4, 6})},
                 {"%c0 = arith.constant 0 : index",
                  "%n = tensor.dim %x, %c0 : tensor<?x6xf64>",
                  "%ab = needle.broadcast_to %a [%n, 6] : tensor<1x6xf64> -> tensor<?x6xf64>",
                  "%h = needle.mul %x, %ab : tensor<?x6xf64>",
                  "%out = needle.reshape %h [-1, 2, 3] : tensor<?x6xf64> -> tensor<?x2x3xf64>"},
                 f64Type("?x2x3"), {4, 2, 3}});
  all.push_back({"broadcast_to_new_axes", {param("a", {3})}, {},
                 {"%out = needle.broadcast_to %a [2, 4, 3] : tensor<3xf64> -> tensor<2x4x3xf64>"},
                 f64Type("2x4x3"), {2, 4, 3}});
  all.push_back({"broadcast_to_stretched", {param("a", {4, 1})}, {},
                 {"%out = needle.broadcast_to %a [2, 4, 5] : tensor<4x1xf64> -> tensor<2x4x5xf64>"},
                 f64Type("2x4x5"), {2, 4, 5}});
  all.push_back({"transpose", {param("a", {2, 3, 4})}, {},
                 {"%out = needle.transpose %a [0, 2] : tensor<2x3x4xf64> -> tensor<4x3x2xf64>"},
                 f64Type("4x3x2"), {4, 3, 2}});
  all.push_back({"flip", {param("a", {3, 4})}, {},
                 {"%out = needle.flip %a [0, 1] : tensor<3x4xf64>"}, t, {3, 4}});
  all.push_back({"stack", {param("a", {2, 3}), param("b", {2, 3})}, {},
                 {"%out = needle.stack %a, %b axis 1 : tensor<2x3xf64>, tensor<2x3xf64> -> "
                  "tensor<2x2x3xf64>"},
                 f64Type("2x2x3"), {2, 2, 3}});
  // The middle slice is unused: its cotangent is zero.
  all.push_back({"split", {param("a", {2, 3, 4})}, {},
                 {"%s:3 = needle.split %a axis 1 : tensor<2x3x4xf64> -> tensor<2x4xf64>, "
                  "tensor<2x4xf64>, tensor<2x4xf64>",
                  "%out = needle.add %s#0, %s#2 : tensor<2x4xf64>"},
                 f64Type("2x4"), {2, 4}});

  // Reductions.
  all.push_back({"summation_two_axes", {param("a", {2, 3, 4})}, {},
                 {"%out = needle.summation %a axes [0, 2] : tensor<2x3x4xf64> -> tensor<3xf64>"},
                 f64Type("3"), {3}});
  all.push_back({"summation_all", {param("a", {2, 3})}, {},
                 {"%out = needle.summation %a : tensor<2x3xf64> -> tensor<f64>"},
                 f64Type(""), {}});
  all.push_back({"summation_dynamic_middle_axis",
                 {param("a", {3, 4})},
                 {dynamicInput("x", "?x3x4", {2, 3, 4})},
                 {"%c0 = arith.constant 0 : index",
                  "%n = tensor.dim %x, %c0 : tensor<?x3x4xf64>",
                  "%ab = needle.broadcast_to %a [%n, 3, 4] : tensor<3x4xf64> -> tensor<?x3x4xf64>",
                  "%h = needle.mul %x, %ab : tensor<?x3x4xf64>",
                  "%out = needle.summation %h axes [1] : tensor<?x3x4xf64> -> tensor<?x4xf64>"},
                 f64Type("?x4"), {2, 4}});
  all.push_back({"logsumexp_rows", {param("a", {3, 4}, -2.0, 2.0)}, {},
                 {"%out = needle.logsumexp %a axes [1] : tensor<3x4xf64> -> tensor<3xf64>"},
                 f64Type("3"), {3}});
  all.push_back({"logsumexp_two_axes", {param("a", {2, 3, 4}, -2.0, 2.0)}, {},
                 {"%out = needle.logsumexp %a axes [0, 2] : tensor<2x3x4xf64> -> tensor<3xf64>"},
                 f64Type("3"), {3}});
  all.push_back({"logsumexp_all", {param("a", {2, 3}, -2.0, 2.0)}, {},
                 {"%out = needle.logsumexp %a : tensor<2x3xf64> -> tensor<f64>"}, f64Type(""),
                 {}});

  // matmul, with and without batch broadcasting.
  all.push_back({"matmul", {param("a", {3, 4}), param("b", {4, 2})}, {},
                 {"%out = needle.matmul %a, %b : tensor<3x4xf64>, tensor<4x2xf64> -> "
                  "tensor<3x2xf64>"},
                 f64Type("3x2"), {3, 2}});
  all.push_back({"matmul_batch_broadcast", {param("a", {2, 1, 3, 4}), param("b", {5, 4, 2})},
                 {},
                 {"%out = needle.matmul %a, %b : tensor<2x1x3x4xf64>, tensor<5x4x2xf64> -> "
                  "tensor<2x5x3x2xf64>"},
                 f64Type("2x5x3x2"), {2, 5, 3, 2}});
  all.push_back({"matmul_matrix_times_batch", {param("a", {3, 4}), param("b", {2, 4, 5})}, {},
                 {"%out = needle.matmul %a, %b : tensor<3x4xf64>, tensor<2x4x5xf64> -> "
                  "tensor<2x3x5xf64>"},
                 f64Type("2x3x5"), {2, 3, 5}});
  all.push_back({"matmul_dynamic_batch", {param("w", {4, 3})},
                 {dynamicInput("x", "?x4", {5, 4})},
                 {"%out = needle.matmul %x, %w : tensor<?x4xf64>, tensor<4x3xf64> -> "
                  "tensor<?x3xf64>"},
                 f64Type("?x3"), {5, 3}});

  // BatchNorm: x is a parameter too, so grad_x of batch_norm_train_grad is
  // checked directly.
  std::vector<Variable> bn{param("x", {6, 3}, -2.0, 2.0), param("w", {3}, 0.5, 1.5),
                           param("b", {3})};
  bn.push_back({"rm", {3}, 0, 0, false, "buffer", "#needle.zeros"});
  bn.push_back({"rv", {3}, 0, 0, false, "buffer", "#needle.ones"});
  all.push_back({"batch_norm_train", bn, {},
                 {"%y, %m, %i, %nm, %nv = needle.batch_norm_train %x, %w, %b, %rm, %rv "
                  "{eps = 1.0e-3} : tensor<6x3xf64>, tensor<3xf64>",
                  "needle.write @rm, %nm : tensor<3xf64>",
                  "needle.write @rv, %nv : tensor<3xf64>",
                  "%out = needle.add %y, %y : tensor<6x3xf64>"},
                 f64Type("6x3"), {6, 3}});
  // The statistics results used by the loss as well.
  all.push_back({"batch_norm_train_statistics", bn, {},
                 {"%y, %m, %i, %nm, %nv = needle.batch_norm_train %x, %w, %b, %rm, %rv "
                  "{unbiased_running_var} : tensor<6x3xf64>, tensor<3xf64>",
                  "%ys = needle.summation %y axes [0] : tensor<6x3xf64> -> tensor<3xf64>",
                  "%t0 = needle.add %ys, %m : tensor<3xf64>",
                  "%t1 = needle.add %t0, %i : tensor<3xf64>",
                  "%t2 = needle.add %t1, %nm : tensor<3xf64>",
                  "%out = needle.add %t2, %nv : tensor<3xf64>"},
                 f64Type("3"), {3}});
  // Traced (mode-agnostic) BatchNorm, specialised by the pass, dynamic batch.
  all.push_back({"batch_norm_dynamic_batch",
                 {param("W", {4, 3}), param("w", {3}, 0.5, 1.5), param("b", {3}),
                  {"rm", {3}, 0, 0, false, "buffer", "#needle.zeros"},
                  {"rv", {3}, 0, 0, false, "buffer", "#needle.ones"}},
                 {dynamicInput("in", "?x4", {5, 4})},
                 {"%h = needle.matmul %in, %W : tensor<?x4xf64>, tensor<4x3xf64> -> tensor<?x3xf64>",
                  "%out = needle.batch_norm %h, %w, %b, %rm, %rv : tensor<?x3xf64>, tensor<3xf64>"},
                 f64Type("?x3"), {5, 3}});
  // Inference form, with the statistics as parameters so that their
  // gradients are checked too.
  all.push_back({"batch_norm_infer",
                 {param("x", {5, 3}), param("w", {3}, 0.5, 1.5), param("b", {3}),
                  param("rm", {3}, -0.5, 0.5), param("rv", {3}, 0.5, 1.5)},
                 {},
                 {"%out = needle.batch_norm_infer %x, %w, %b, %rm, %rv {eps = 1.0e-2} : "
                  "tensor<5x3xf64>, tensor<3xf64>"},
                 f64Type("5x3"), {5, 3}});

  all.push_back({"softmax_loss",
                 {param("w", {4, 3}, -2.0, 2.0)},
                 {dynamicInput("x", "?x4", {6, 4}), labels({0, 2, 1, 1, 0, 2})},
                 {"%logits = needle.matmul %x, %w : tensor<?x4xf64>, tensor<4x3xf64> -> "
                  "tensor<?x3xf64>",
                  "%out = needle.softmax_loss %logits, %labels : tensor<?x3xf64>, "
                  "tensor<?xi64> -> tensor<f64>"},
                 f64Type(""), {}});

  // A residual block: Linear -> BatchNorm -> ReLU -> Linear, plus the input,
  // then a classifier; @W1's output is used twice (BatchNorm statistics and
  // normalisation), x twice (matmul and the residual).
  all.push_back({"residual_block",
                 {param("W1", {4, 4}), param("g", {4}, 0.5, 1.5), param("c", {4}),
                  param("W2", {4, 4}), param("W3", {4, 3}),
                  {"rm", {4}, 0, 0, false, "buffer", "#needle.zeros"},
                  {"rv", {4}, 0, 0, false, "buffer", "#needle.ones"},
                  param("unused", {2})},
                 {dynamicInput("x", "?x4", {6, 4}), labels({2, 0, 1, 2, 1, 0})},
                 {"%h = needle.matmul %x, %W1 : tensor<?x4xf64>, tensor<4x4xf64> -> tensor<?x4xf64>",
                  "%n = needle.batch_norm %h, %g, %c, %rm, %rv : tensor<?x4xf64>, tensor<4xf64>",
                  "%a = needle.relu %n : tensor<?x4xf64>",
                  "%h2 = needle.matmul %a, %W2 : tensor<?x4xf64>, tensor<4x4xf64> -> tensor<?x4xf64>",
                  "%res = needle.add %h2, %x : tensor<?x4xf64>",
                  "%logits = needle.matmul %res, %W3 : tensor<?x4xf64>, tensor<4x3xf64> -> "
                  "tensor<?x3xf64>",
                  "%out = needle.softmax_loss %logits, %labels : tensor<?x3xf64>, "
                  "tensor<?xi64> -> tensor<f64>"},
                 f64Type(""), {}});
  return all;
}

class GradientCheck : public testing::TestWithParam<GradCase> {};

TEST_P(GradientCheck, MatchesCentralDifferences) { checkGradients(GetParam()); }

INSTANTIATE_TEST_SUITE_P(Ops, GradientCheck, testing::ValuesIn(cases()),
                         [](const testing::TestParamInfo<GradCase> &info) {
                           return info.param.name;
                         });

// relu's derivative is 0 at 0 (needle's convention), also at -0: hand-derived.
TEST(GradientValues, ReluAtZero) {
  std::string model = R"(
    needle.variable parameter @p : tensor<6xf64> = #needle.zeros
    func.func @loss(%r: tensor<6xf64>) -> tensor<f64> {
      %p = needle.read @p : tensor<6xf64>
      %a = needle.relu %p : tensor<6xf64>
      %w = needle.mul %a, %r : tensor<6xf64>
      %l = needle.summation %w : tensor<6xf64> -> tensor<f64>
      return %l : tensor<f64>
    })";
  Module module = load(compileGradient("relu_at_zero", model));
  ASSERT_TRUE(module
                  .setVariable("p", *Tensor::fromValues<double>(
                                        {6}, {0.0, -1.0, 2.0, 0.5, 0.0, -0.0}))
                  .ok());
  auto outputs = module.call(
      "infer", {*Tensor::fromValues<double>({6}, {1.0, 2.0, 3.0, 4.0, 5.0, 6.0})});
  ASSERT_TRUE(outputs.ok()) << outputs.status().message();
  ASSERT_EQ(outputs->size(), 2u);
  EXPECT_EQ((*outputs)[0].elementAsDouble(0), 3.0 * 2.0 + 4.0 * 0.5);
  std::vector<double> expected{0.0, 0.0, 3.0, 4.0, 0.0, 0.0};
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ((*outputs)[1].elementAsDouble(i), expected[i]) << "element " << i;
}

// softmax_loss's gradient is (softmax - one_hot) / N; with equal logits the
// softmax is 1/K: hand-derived (1/3 - one_hot) / 2.
TEST(GradientValues, SoftmaxLossUniformLogits) {
  std::string model = R"(
    needle.variable parameter @z : tensor<2x3xf64> = #needle.zeros
    func.func @loss(%y: tensor<2xi64>) -> tensor<f64> {
      %z = needle.read @z : tensor<2x3xf64>
      %l = needle.softmax_loss %z, %y : tensor<2x3xf64>, tensor<2xi64> -> tensor<f64>
      return %l : tensor<f64>
    })";
  Module module = load(compileGradient("softmax_uniform", model));
  auto outputs = module.call("infer", {*Tensor::fromValues<int64_t>({2}, {2, 0})});
  ASSERT_TRUE(outputs.ok()) << outputs.status().message();
  EXPECT_NEAR((*outputs)[0].elementAsDouble(0), std::log(3.0), 1e-15);
  std::vector<double> expected{1.0 / 6, 1.0 / 6, (1.0 / 3 - 1) / 2,
                               (1.0 / 3 - 1) / 2, 1.0 / 6, 1.0 / 6};
  for (int i = 0; i < 6; ++i)
    EXPECT_NEAR((*outputs)[1].elementAsDouble(i), expected[i], 1e-15) << "element " << i;
}

} // namespace
