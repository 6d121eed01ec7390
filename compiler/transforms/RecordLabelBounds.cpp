//===- RecordLabelBounds.cpp - the class count each label input needs -----===//
//
// Labels index the classes: needle's one_hot (np.eye(n)[y]) refuses a label
// outside [0, n), while compiled code would silently pick no class. For each
// integer argument used directly as the labels of softmax_loss or one_hot,
// this pass records the class count as `needle.label_bounds = [[input, n]]`;
// the manifest carries it and the runtime refuses a call with a label out of
// range.
//
//===----------------------------------------------------------------------===//
#include "compiler/transforms/Passes.h"
#include "dialect/NeedleOps.h"

namespace mlir::needle {
#define GEN_PASS_DEF_NEEDLERECORDLABELBOUNDS
#include "compiler/transforms/Passes.h.inc"

namespace {

struct NeedleRecordLabelBounds
    : impl::NeedleRecordLabelBoundsBase<NeedleRecordLabelBounds> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // The smallest class count each argument is used with.
    llvm::MapVector<unsigned, int64_t> bounds;
    auto record = [&](Value labels, int64_t classes) {
      auto arg = dyn_cast<BlockArgument>(labels);
      if (!arg || arg.getOwner() != &func.getBody().front() ||
          ShapedType::isDynamic(classes))
        return;
      auto [it, inserted] = bounds.try_emplace(arg.getArgNumber(), classes);
      if (!inserted)
        it->second = std::min(it->second, classes);
    };
    func.walk([&](Operation *op) {
      if (auto loss = dyn_cast<SoftmaxLossOp>(op))
        record(loss.getLabels(), loss.getLogits().getType().getDimSize(1));
      else if (auto oneHot = dyn_cast<OneHotOp>(op))
        record(oneHot.getLabels(), oneHot.getNumClasses());
    });
    Builder b(func.getContext());
    SmallVector<Attribute> entries;
    for (auto [input, classes] : bounds)
      entries.push_back(b.getDenseI64ArrayAttr({int64_t(input), classes}));
    if (entries.empty())
      func->removeAttr("needle.label_bounds");
    else
      func->setAttr("needle.label_bounds", b.getArrayAttr(entries));
  }
};

} // namespace
} // namespace mlir::needle
