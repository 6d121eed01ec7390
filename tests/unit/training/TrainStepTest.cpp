// The compiled training step: needlec --optimizer=sgd|adam builds train_step
// (training-form forward, loss, gradients, optimizer update in place) and
// eval_loss. Losses are compared with tests/reference/gen_train.py (PyTorch,
// needle's formulas by hand) and with values derived by hand below; resuming
// from a checkpoint is compared bit for bit with an uninterrupted run.
#include "tests/unit/e2e/E2ESupport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <sys/resource.h>

using namespace needle::runtime;
using namespace needle::e2e;

namespace {

std::string trainReference(const std::string &name) {
  return std::string(NEEDLE_SOURCE_DIR) + "/tests/reference/train/" + name;
}

Tensor readReference(const std::string &name) {
  return readReferenceNpy("train/" + name);
}

/// Element `index` of the leading axis.
Tensor slice(const Tensor &t, int64_t index) {
  Shape shape(t.shape().begin() + 1, t.shape().end());
  Tensor part = *Tensor::zeros(t.dtype(), shape);
  std::memcpy(part.data(), static_cast<const char *>(t.data()) + index * part.byteSize(),
              part.byteSize());
  return part;
}

float scalar(const Tensor &t) { return float(t.elementAsDouble(0)); }

Tensor scalarF32(float value) { return *Tensor::fromValues<float>({}, {value}); }

/// The training data of gen_train.py: batch s % 3 at step s.
struct Batches {
  Tensor x = readReference("x.npy"), y = readReference("y.npy");
  std::vector<Tensor> at(int step) const {
    return {slice(x, step % x.shape()[0]), slice(y, step % y.shape()[0])};
  }
};

float trainStep(Module &module, const std::vector<Tensor> &inputs) {
  auto out = module.call("train_step", inputs);
  if (!out.ok()) {
    ADD_FAILURE() << out.status().message();
    return NAN;
  }
  EXPECT_EQ(out->size(), 1u);
  return scalar((*out)[0]);
}

// ---- against the PyTorch reference ------------------------------------------

struct ReferenceRun {
  const char *config; // tests/reference/train/<config>.npy
  const char *model;
  const char *flags; // the hyperparameters of gen_train.py's CONFIGS
};

// Test names and ctest listings show the configuration.
void PrintTo(const ReferenceRun &run, std::ostream *os) { *os << run.config; }

std::string modelPath(const std::string &model) {
  return model == "mlp" || model == "mlp_resnet" ? example(model + ".mlir")
                                                 : trainReference(model + ".mlir");
}

class TrainingRun : public testing::TestWithParam<ReferenceRun> {};

TEST_P(TrainingRun, LossesMatchReference) {
  const ReferenceRun &run = GetParam();
  std::string config = run.config;
  Module module = load(compile(modelPath(run.model), "train_" + config, run.flags), 0);
  Tensor expected = readReference(config + ".npy");
  int64_t steps = expected.numElements() - 1;
  Batches batches;
  bool scheduled = config == "mlp_sgd_schedule";
  Tensor schedule = scheduled ? readReference(config + "_lr.npy") : Tensor();
  for (int64_t step = 0; step < steps; ++step) {
    if (scheduled)
      ASSERT_TRUE(
          module.setVariable("lr", scalarF32(float(schedule.elementAsDouble(step))))
              .ok());
    float loss = trainStep(module, batches.at(step));
    double want = expected.elementAsDouble(step);
    EXPECT_NEAR(loss, want, 1e-5 * std::fabs(want)) << "train_step " << step;
  }
  // eval_loss after the last step sees the final parameters and running
  // statistics (inference form).
  auto eval = module.call("eval_loss", batches.at(0));
  ASSERT_TRUE(eval.ok()) << eval.status().message();
  double want = expected.elementAsDouble(steps);
  EXPECT_NEAR(scalar((*eval)[0]), want, 1e-5 * std::fabs(want)) << "eval_loss";
}

INSTANTIATE_TEST_SUITE_P(
    Reference, TrainingRun,
    testing::Values(
        ReferenceRun{"mlp_sgd", "mlp",
                     "--optimizer=sgd --lr=0.05 --momentum=0.9 "
                     "--weight-decay=1e-3"},
        ReferenceRun{"mlp_adam", "mlp",
                     "--optimizer=adam --lr=0.001 --weight-decay=1e-3"},
        ReferenceRun{"mlp_sgd_schedule", "mlp",
                     "--optimizer=sgd --lr=0.1 --momentum=0.5 --weight-decay=1e-3"},
        ReferenceRun{"mlp_resnet_sgd", "mlp_resnet_nodropout",
                     "--optimizer=sgd --lr=0.05 --momentum=0.9 --weight-decay=1e-3"},
        ReferenceRun{"mlp_resnet_adam", "mlp_resnet_nodropout",
                     "--optimizer=adam --lr=0.001 --beta1=0.85 --beta2=0.995 --eps=1e-7 "
                     "--weight-decay=1e-3"},
        // With its dropouts: masks from the runtime seed (0) and the step.
        ReferenceRun{"mlp_resnet_dropout_adam", "mlp_resnet",
                     "--optimizer=adam --lr=0.001 --weight-decay=1e-3"}),
    [](const testing::TestParamInfo<ReferenceRun> &info) { return info.param.config; });

// ---- hand-derived --------------------------------------------------------

// loss(x) = sum(x @ w) for w of shape 2x1: dloss/dw = the column sums of x.
constexpr const char *kLinearSum = R"mlir(
needle.variable parameter @w : tensor<2x1xf32> = #needle.constant<value = 0.5>
func.func @loss(%x: tensor<?x2xf32>) -> tensor<f32> {
  %w = needle.read @w : tensor<2x1xf32>
  %h = needle.matmul %x, %w : tensor<?x2xf32>, tensor<2x1xf32> -> tensor<?x1xf32>
  %l = needle.summation %h : tensor<?x1xf32> -> tensor<f32>
  return %l : tensor<f32>
}
)mlir";

// x = [[1, 2], [3, -6]]: gradient (4, -4), loss(w) = 4 w0 - 4 w1.
Tensor linearSumInput() { return *Tensor::fromValues<float>({2, 2}, {1, 2, 3, -6}); }

TEST(HandDerived, SgdWithMomentumAndWeightDecay) {
  // lr 0.5, momentum 0.75, wd 0.25, w = (0.5, 0.5):
  // step 1: g = (4.125, -3.875), u = 0.25 g = (1.03125, -0.96875),
  //         w = (-0.015625, 0.984375); the loss is the one before: 0.
  // step 2: g = (3.99609375, -3.75390625),
  //         u = 0.75 u + 0.25 g = (1.7724609375, -1.6650390625),
  //         w = (-0.90185546875, 1.81689453125); loss at step 2 = 4(-0.015625 - 0.984375)
  //         = -4.
  Module module = load(compile(writeModel("linear_sum_sgd", kLinearSum), "linear_sum_sgd",
                               "--optimizer=sgd --lr=0.5 --momentum=0.75 "
                               "--weight-decay=0.25"));
  EXPECT_EQ(trainStep(module, {linearSumInput()}), 0.0f);
  expectClose(*module.variable("sgd.u.w"),
              *Tensor::fromValues<float>({2, 1}, {1.03125f, -0.96875f}), 0, 0);
  EXPECT_EQ(trainStep(module, {linearSumInput()}), -4.0f);
  expectClose(*module.variable("w"),
              *Tensor::fromValues<float>({2, 1}, {-0.90185546875f, 1.81689453125f}), 1e-7,
              0);
}

TEST(HandDerived, AdamBiasCorrectionAndStepCount) {
  // lr 0.1, beta1 0.5, beta2 0.75, eps 1e-8, no weight decay. g = (4, -4) every step,
  // so m_hat = g and v_hat = g^2 after bias correction: each step moves each
  // weight by lr * 4 / (4 + 1e-8) = 0.1 (to float precision) against its gradient.
  Module module =
      load(compile(writeModel("linear_sum_adam", kLinearSum), "linear_sum_adam",
                   "--optimizer=adam --lr=0.1 --beta1=0.5 --beta2=0.75 --eps=1e-8"));
  for (int step = 1; step <= 3; ++step) {
    float loss = trainStep(module, {linearSumInput()});
    // loss before step s: 4 (0.5 - 0.1 (s - 1)) - 4 (0.5 + 0.1 (s - 1)) = -0.8 (s - 1)
    EXPECT_NEAR(loss, -0.8 * (step - 1), 1e-6) << "step " << step;
    Tensor t = *module.variable("adam.t");
    EXPECT_EQ(t.dtype(), DType::f64);
    EXPECT_EQ(t.elementAsDouble(0), double(step));
    // m = (1 - 0.5^s) g, v = (1 - 0.75^s) g^2: the state before correction.
    double m = (1 - std::pow(0.5, step)) * 4, v = (1 - std::pow(0.75, step)) * 16;
    EXPECT_NEAR(module.variable("adam.m.w")->elementAsDouble(0), m, 1e-6 * m);
    EXPECT_NEAR(module.variable("adam.v.w")->elementAsDouble(1), v, 1e-6 * v);
  }
  expectClose(*module.variable("w"), *Tensor::fromValues<float>({2, 1}, {0.2f, 0.8f}),
              1e-6, 0);
}

// ---- state, checkpoints, learning rate ---------------------------------------

std::map<std::string, Tensor> snapshot(const Module &module) {
  std::map<std::string, Tensor> values;
  for (const std::string &name : module.variableNames())
    values[name] = *module.variable(name);
  return values;
}

TEST(TrainStep, ManifestListsStateAndWrites) {
  Module module = load(
      compile(example("mlp.mlir"), "mlp_adam_manifest", "--optimizer=adam --lr=0.003"));
  const Manifest &manifest = module.manifest();
  const EntryPointSpec *step = manifest.findEntryPoint("train_step");
  ASSERT_TRUE(step);
  ASSERT_EQ(step->inputs.size(), 2u);
  EXPECT_EQ(step->inputs[0].shape, (Shape{kDynamicDim, 784}));
  EXPECT_EQ(step->inputs[1].dtype, DType::i32);
  ASSERT_EQ(step->outputs.size(), 1u);
  EXPECT_EQ(step->outputs[0].shape, Shape{});
  // The constant hyperparameters are recorded with the entry.
  EXPECT_NE(
      step->description.find("adam(beta1=0.9, beta2=0.999, eps=1e-08, weight_decay=0)"),
      std::string::npos)
      << step->description;
  ASSERT_TRUE(manifest.findEntryPoint("eval_loss"));
  ASSERT_TRUE(manifest.findEntryPoint("infer"));

  const VariableSpec *lr = manifest.findVariable("lr");
  ASSERT_TRUE(lr);
  EXPECT_EQ(lr->kind, VariableKind::optimizerState);
  EXPECT_EQ(lr->shape, Shape{});
  EXPECT_FLOAT_EQ(scalar(*module.variable("lr")), 0.003f);
  const VariableSpec *t = manifest.findVariable("adam.t");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->dtype, DType::f64);

  // Every parameter with its m and v is written, and the running statistics;
  // the learning rate is only read.
  std::vector<std::string> expectedWrites;
  for (const VariableSpec &variable : manifest.variables) {
    if (variable.kind == VariableKind::parameter)
      EXPECT_TRUE(manifest.findVariable("adam.m." + variable.name) &&
                  manifest.findVariable("adam.v." + variable.name))
          << variable.name;
    if (variable.name != "lr")
      expectedWrites.push_back(variable.name);
  }
  std::vector<std::string> writes = step->writes;
  std::sort(writes.begin(), writes.end());
  std::sort(expectedWrites.begin(), expectedWrites.end());
  EXPECT_EQ(writes, expectedWrites);
  EXPECT_EQ(manifest.variables.size(), 8u + 2 * 6 + 2);
}

TEST(TrainStep, CheckpointResumesBitForBit) {
  std::pair<const char *, const char *> runs[] = {
      {"resume_adam", "--optimizer=adam --lr=0.001 --weight-decay=1e-3"},
      {"resume_sgd", "--optimizer=sgd --lr=0.05 --momentum=0.9 --weight-decay=1e-3"}};
  for (auto [name, flags] : runs) {
    SCOPED_TRACE(flags);
    std::string artifact = compile(example("mlp.mlir"), name, flags);
    Batches batches;
    Module straight = load(artifact, 5);
    std::vector<float> losses;
    for (int step = 0; step < 5; ++step)
      losses.push_back(trainStep(straight, batches.at(step)));

    Module first = load(artifact, 5);
    for (int step = 0; step < 3; ++step)
      EXPECT_EQ(trainStep(first, batches.at(step)), losses[step]);
    std::string checkpoint = tempDir() + "/resume.safetensors";
    ASSERT_TRUE(first.saveCheckpoint(checkpoint).ok());
    Module resumed = load(artifact, 0, checkpoint);
    for (int step = 3; step < 5; ++step)
      EXPECT_EQ(trainStep(resumed, batches.at(step)), losses[step]) << "step " << step;

    std::map<std::string, Tensor> want = snapshot(straight), got = snapshot(resumed);
    ASSERT_EQ(want.size(), got.size());
    for (auto &[name, value] : want)
      EXPECT_TRUE(got[name].bitwiseEquals(value)) << name;
  }
}

TEST(TrainStep, LearningRateSetAtRunTimeTakesEffect) {
  Module module = load(compile(example("mlp.mlir"), "mlp_lr",
                               "--optimizer=sgd --lr=0.05 --momentum=0.9 "
                               "--weight-decay=1e-3"));
  Batches batches;
  ASSERT_TRUE(module.setVariable("lr", scalarF32(0.0f)).ok());
  std::map<std::string, Tensor> before = snapshot(module);
  trainStep(module, batches.at(0));
  std::map<std::string, Tensor> after = snapshot(module);
  // lr 0: parameters stay bit for bit; momentum and running statistics move.
  for (const VariableSpec &variable : module.manifest().variables) {
    bool moves = variable.kind != VariableKind::parameter && variable.name != "lr";
    EXPECT_EQ(!after[variable.name].bitwiseEquals(before[variable.name]), moves)
        << variable.name;
  }
  ASSERT_TRUE(module.setVariable("lr", scalarF32(0.05f)).ok());
  trainStep(module, batches.at(1));
  EXPECT_FALSE(module.variable("3.weight")->bitwiseEquals(after["3.weight"]));
}

TEST(TrainStep, EvalLossChangesNoState) {
  Module module = load(compile(example("mlp.mlir"), "mlp_eval", "--optimizer=sgd"));
  Batches batches;
  std::map<std::string, Tensor> before = snapshot(module);
  auto first = module.call("eval_loss", batches.at(0));
  auto second = module.call("eval_loss", batches.at(0));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_TRUE((*first)[0].bitwiseEquals((*second)[0]));
  for (auto &[name, value] : snapshot(module))
    EXPECT_TRUE(value.bitwiseEquals(before[name])) << name;
  EXPECT_TRUE(module.manifest().findEntryPoint("eval_loss")->writes.empty());
}

// A training step's temporaries come back from the artifact's block cache on
// the next step instead of from fresh pages: glibc returns large freed blocks
// to the kernel (munmap, or trimming the heap), and faulting them back in
// took a quarter of a step at batch 1000 on one thread.
TEST(TrainStep, SteadyStateFaultsInNoNewPages) {
  Module module = load(compile(example("mlp.mlir"), "mlp_faults", "--optimizer=sgd"));
  module.setThreads(1); // libomp's start-up would count too
  const int64_t batch = 1000;
  std::vector<float> x(batch * 784);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = float(i % 97) / 97.0f;
  std::vector<int32_t> y(batch);
  for (int64_t i = 0; i < batch; ++i)
    y[i] = int32_t(i % 10);
  std::vector<Tensor> inputs = {*Tensor::fromValues<float>({batch, 784}, x),
                                *Tensor::fromValues<int32_t>({batch}, y)};
  for (int step = 0; step < 3; ++step)
    trainStep(module, inputs);
  auto minorFaults = [] {
    rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_minflt;
  };
  long before = minorFaults();
  for (int step = 0; step < 10; ++step)
    trainStep(module, inputs);
  // Without the cache: about 370 per step here.
  EXPECT_LT(minorFaults() - before, 50) << "page faults in 10 steady-state steps";
}

// The batch of x and the length of the labels meet in softmax_loss; the
// manifest says so and the runtime refuses a call where they differ, before
// any variable changes (compiled code would read past the shorter buffer).
TEST(TrainStep, MismatchedBatchOfLabelsIsRefused) {
  Module module = load(compile(example("mlp.mlir"), "mlp_batch_check", "--optimizer=sgd"));
  const EntryPointSpec *step = module.manifest().findEntryPoint("train_step");
  ASSERT_EQ(step->equalDims.size(), 1u);
  EXPECT_EQ(step->equalDims[0], (std::vector<std::pair<size_t, size_t>>{{0, 0}, {1, 0}}));
  Batches batches;
  std::vector<Tensor> inputs = batches.at(0);
  Tensor shortLabels = *Tensor::fromValues<int32_t>({3}, {1, 2, 3});
  std::map<std::string, Tensor> before = snapshot(module);
  for (const char *entry : {"train_step", "eval_loss"}) {
    auto out = module.call(entry, {inputs[0], shortLabels});
    ASSERT_FALSE(out.ok()) << entry;
    EXPECT_NE(out.status().message().find("dim 0 of input 1 ('input1', shape [3]) must "
                                          "equal dim 0 of input 0 ('input0', shape [16, 784])"),
              std::string::npos)
        << out.status().message();
  }
  for (auto &[name, value] : snapshot(module))
    EXPECT_TRUE(value.bitwiseEquals(before[name])) << name;
}

// Labels outside [0, classes) are refused, as needle's one_hot refuses
// them, before any variable changes.
TEST(TrainStep, LabelOutsideTheClassesIsRefused) {
  Module module = load(compile(example("mlp.mlir"), "mlp_label_check", "--optimizer=sgd"));
  EXPECT_EQ(module.manifest().findEntryPoint("train_step")->labelBounds,
            (std::vector<std::pair<size_t, int64_t>>{{1, 10}}));
  Batches batches;
  std::vector<Tensor> inputs = batches.at(0);
  std::map<std::string, Tensor> before = snapshot(module);
  for (int32_t label : {10, -1}) {
    Tensor labels = inputs[1];
    labels.dataAs<int32_t>()[7] = label;
    auto out = module.call("train_step", {inputs[0], labels});
    ASSERT_FALSE(out.ok()) << label;
    EXPECT_NE(out.status().message().find("holds the label " + std::to_string(label) +
                                          " at element 7, outside [0, 10)"),
              std::string::npos)
        << out.status().message();
  }
  for (auto &[name, value] : snapshot(module))
    EXPECT_TRUE(value.bitwiseEquals(before[name])) << name;
}

} // namespace
