// needle-run end to end on the fake artifact: output format, files, state
// across --repeat, checkpoints, and the one-line error contract.
#include "runtime/Npy.h"
#include "runtime/SafeTensors.h"

#include "TestSupport.h"

#include <algorithm>
#include <cstdio>
#include <sys/wait.h>

using namespace needle::runtime;
using namespace needle::runtime::testing;

namespace {

#define EXPECT_CONTAINS(haystack, needle)                                      \
  EXPECT_NE((haystack).find(needle), std::string::npos) << (haystack)

struct ToolRun {
  int code;
  std::string out, err;
};

ToolRun needleRun(const ScratchDir &dir, const std::string &arguments) {
  std::string errPath = dir.file("stderr.txt");
  std::string command = std::string(NEEDLE_RUN_PATH) + " " + arguments + " 2>" + errPath;
  ToolRun run{-1, "", ""};
  FILE *pipe = popen(command.c_str(), "r");
  if (!pipe)
    return run;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
    run.out.append(buffer, n);
  int status = pclose(pipe);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.err = readBytes(errPath);
  return run;
}

const std::string kModel = NEEDLE_FAKE_GOOD;

TEST(NeedleRun, ListsEntryPointsAndVariables) {
  ScratchDir dir;
  ToolRun run = needleRun(dir, kModel + " --list");
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_CONTAINS(run.out, "  affine(x: f32[?, 3]) -> (y: f32[?, 3])\n");
  EXPECT_CONTAINS(run.out, "  step(lr: f32[]) -> (count: i64[])\n    writes: w, counter\n");
  EXPECT_CONTAINS(run.out, "  w: parameter f32[3], kaiming_uniform(fan_in=3, gain=1.41421)\n");
  EXPECT_CONTAINS(run.out, "  counter: buffer i64[], zeros\n");
}

TEST(NeedleRun, PrintsResultsOfInlineInputs) {
  ScratchDir dir;
  ToolRun run = needleRun(dir, kModel + " --function=affine --set w=2 --set=b=3xf32=0,1,2"
                                    " '--input=2x3xf32=1 2 3 4 5 6'");
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out, "y: f32[2, 3]\n[[2, 5, 8],\n [8, 11, 14]]\n");
  EXPECT_EQ(run.err, "");
}

TEST(NeedleRun, ReadsAndWritesNpyFiles) {
  ScratchDir dir;
  ASSERT_OK(writeNpy(dir.file("x.npy"), *Tensor::fromValues<float>({1, 3}, {1, 2, 3})));
  ToolRun run = needleRun(dir, kModel + " --function=affine --set w=1 --set b=0.5 --input=@" +
                               dir.file("x.npy") + " --output=@" + dir.file("y.npy"));
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out, "");
  StatusOr<Tensor> y = readNpy(dir.file("y.npy"));
  ASSERT_OK(y);
  EXPECT_TRUE(y->bitwiseEquals(*Tensor::fromValues<float>({1, 3}, {1.5f, 2.5f, 3.5f})));
}

TEST(NeedleRun, RepeatKeepsStateAndCheckpointsCarryIt) {
  ScratchDir dir;
  std::string checkpoint = dir.file("c.safetensors");
  ToolRun first = needleRun(dir, kModel + " --function=step --input=f32=0.5 --repeat=3"
                                      " --seed=7 --save-checkpoint=" + checkpoint);
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_EQ(first.out, "count: i64[]\n3\n");
  StatusOr<SafeTensors> saved = readSafeTensors(checkpoint);
  ASSERT_OK(saved);
  EXPECT_EQ(saved->tensors.at("counter").dataAs<int64_t>()[0], 3);

  ToolRun second = needleRun(dir, kModel + " --function=step --input=f32=0 --checkpoint=" +
                                  checkpoint);
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_EQ(second.out, "count: i64[]\n4\n");
}

TEST(NeedleRun, ErrorsAreOneClearLine) {
  ScratchDir dir;
  struct Case {
    std::string arguments, message;
  };
  for (const Case &c : std::vector<Case>{
           {kModel + " --function=affine --input=2x2xf32=1,2,3,4",
            "affine: input 0 ('x') has shape [2, 2] but the entry point expects [?, 3]"},
           {kModel + " --function=affine", "affine: expected 1 input(s) but got 0"},
           {kModel + " --function=nope", "no entry point 'nope'"},
           {kModel, "--function=NAME is required"},
           {"--list", "no model given"},
           {kModel + " --function=affine --bogus", "unknown flag '--bogus'"},
           {kModel + " --function=step --seed=-1", "--seed needs an integer"},
           {kModel + " --function=step --repeat=0", "--repeat needs a positive integer"},
           {kModel + " --function=step --device=cuda", "not supported by this build's CPU executor"},
           {kModel + " --function=step --input=@" + dir.file("missing.npy"), "cannot open"},
           {kModel + " --function=step --input=f32=1 --set ghost=1", "no variable 'ghost'"},
           {kModel + " --function=step --input=f32=1 --set w=1,2", "--set w:"},
           {kModel + " --function=step --input=f32=1 --output=a.npy --output=b.npy",
            "2 --output flags but 'step' has 1 output(s)"},
           {std::string(NEEDLE_FAKE_BAD_VERSION) + " --list", "format version 2"},
       }) {
    ToolRun run = needleRun(dir, c.arguments);
    EXPECT_NE(run.code, 0) << c.arguments;
    EXPECT_EQ(run.err.rfind("needle-run: error: ", 0), 0u) << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    EXPECT_CONTAINS(run.err, c.message);
  }
}

TEST(NeedleRun, HelpExitsZero) {
  ScratchDir dir;
  ToolRun run = needleRun(dir, "--help");
  EXPECT_EQ(run.code, 0);
  EXPECT_CONTAINS(run.out, "usage: needle-run MODEL.so");
}

} // namespace
