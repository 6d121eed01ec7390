//===- RecordEqualDims.cpp - input dims an entry needs equal --------------===//
//
// The runtime checks each input's static dims, but two dynamic dims can be
// required to agree by the ops between them: the batch of x and the length
// of the labels meet in softmax_loss. Compiled code assumes it and would read
// past the shorter buffer. This pass follows dynamic dims through the ops
// that carry them (a union-find over (value, dim)), unites those that an op
// requires equal, and records the groups that tie two or more input dims as
// `needle.equal_dims = [[[input, dim], ...], ...]`; the manifest carries them
// and the runtime refuses a call that breaks one. Ops it does not know add
// no constraint, so every recorded group is one the model really needs.
//
//===----------------------------------------------------------------------===//
#include "compiler/transforms/Passes.h"
#include "dialect/NeedleOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/EquivalenceClasses.h"

namespace mlir::needle {
#define GEN_PASS_DEF_NEEDLERECORDEQUALDIMS
#include "compiler/transforms/Passes.h.inc"

namespace {

using DimRef = std::pair<Value, int64_t>;

class EqualDims {
public:
  void unite(Value a, int64_t i, Value b, int64_t j) {
    if (isDynamic(a, i) && isDynamic(b, j))
      classes.unionSets(DimRef{a, i}, DimRef{b, j});
  }
  /// Dims i of `a` and of `b`, aligned from the right (numpy broadcasting
  /// takes a dynamic dim to equal the target's).
  void uniteRightAligned(Value a, Value b) {
    int64_t rankA = rank(a), rankB = rank(b);
    for (int64_t k = 1; k <= std::min(rankA, rankB); ++k)
      unite(a, rankA - k, b, rankB - k);
  }
  void uniteIndex(Value index, Value tensor, int64_t dim) {
    if (auto source = sizes.lookup(index); source.first)
      unite(source.first, source.second, tensor, dim);
  }
  void recordSize(Value index, Value tensor, int64_t dim) { sizes[index] = {tensor, dim}; }

  /// Groups of two or more argument dims of `func`.
  SmallVector<SmallVector<DimRef>> argumentGroups(func::FuncOp func) {
    SmallVector<SmallVector<DimRef>> groups;
    DenseMap<DimRef, size_t> groupOf;
    for (BlockArgument arg : func.getArguments())
      for (int64_t d = 0; d < rank(arg); ++d) {
        if (!isDynamic(arg, d) || !classes.contains(DimRef{arg, d}))
          continue;
        DimRef leader = classes.getLeaderValue(DimRef{arg, d});
        auto [it, inserted] = groupOf.try_emplace(leader, groups.size());
        if (inserted)
          groups.emplace_back();
        groups[it->second].push_back({arg, d});
      }
    llvm::erase_if(groups, [](auto &group) { return group.size() < 2; });
    return groups;
  }

  static int64_t rank(Value v) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    return type ? type.getRank() : 0;
  }
  static bool isDynamic(Value v, int64_t d) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    return type && d >= 0 && d < type.getRank() && type.isDynamicDim(d);
  }

private:
  llvm::EquivalenceClasses<DimRef> classes;
  DenseMap<Value, DimRef> sizes;
};

/// All tensor operands and results of `op` have the same shape.
void uniteSameShape(EqualDims &dims, Operation *op) {
  SmallVector<Value> tensors;
  for (Value v : llvm::concat<Value>(op->getOperands(), op->getResults()))
    if (isa<RankedTensorType>(v.getType()))
      tensors.push_back(v);
  for (Value v : ArrayRef(tensors).drop_front())
    if (EqualDims::rank(v) == EqualDims::rank(tensors.front()))
      for (int64_t d = 0; d < EqualDims::rank(v); ++d)
        dims.unite(tensors.front(), d, v, d);
}

void visit(EqualDims &dims, Operation *op) {
  if (auto dim = dyn_cast<tensor::DimOp>(op)) {
    if (std::optional<int64_t> index = dim.getConstantIndex())
      dims.recordSize(dim.getResult(), dim.getSource(), *index);
    return;
  }
  if (isa<AddOp, MulOp, DivOp, PowOp, AddScalarOp, MulScalarOp, DivScalarOp,
          PowerScalarOp, NegateOp, ExpOp, LogOp, ReluOp, TanhOp, SigmoidOp, FlipOp,
          DropoutOp, DropoutMaskOp, ReluGradOp>(op))
    return uniteSameShape(dims, op);
  if (isa<BatchNormOp, BatchNormTrainOp, BatchNormInferOp>(op)) {
    Value x = op->getOperand(0), y = op->getResult(0);
    for (int64_t d = 0; d < 2; ++d)
      dims.unite(x, d, y, d);
    return;
  }
  if (auto grad = dyn_cast<BatchNormTrainGradOp>(op)) {
    for (int64_t d = 0; d < 2; ++d) {
      dims.unite(grad.getGradY(), d, grad.getX(), d);
      dims.unite(grad.getX(), d, grad->getResult(0), d);
    }
    return;
  }
  if (auto matmul = dyn_cast<MatmulOp>(op)) {
    Value lhs = matmul.getLhs(), rhs = matmul.getRhs(), result = matmul.getResult();
    int64_t l = EqualDims::rank(lhs), r = EqualDims::rank(rhs), n = EqualDims::rank(result);
    dims.unite(lhs, l - 1, rhs, r - 2);
    dims.unite(lhs, l - 2, result, n - 2);
    dims.unite(rhs, r - 1, result, n - 1);
    return;
  }
  if (auto loss = dyn_cast<SoftmaxLossOp>(op))
    return dims.unite(loss.getLogits(), 0, loss.getLabels(), 0);
  if (auto oneHot = dyn_cast<OneHotOp>(op)) {
    for (int64_t d = 0; d < EqualDims::rank(oneHot.getLabels()); ++d)
      dims.unite(oneHot.getLabels(), d, oneHot.getResult(), d);
    return;
  }
  if (auto transpose = dyn_cast<TransposeOp>(op)) {
    ArrayRef<int64_t> axes = transpose.getAxes();
    for (int64_t d = 0; d < EqualDims::rank(transpose.getX()); ++d) {
      int64_t to = d == axes[0] ? axes[1] : d == axes[1] ? axes[0] : d;
      dims.unite(transpose.getX(), d, transpose.getResult(), to);
    }
    return;
  }
  if (auto broadcast = dyn_cast<BroadcastToOp>(op)) {
    dims.uniteRightAligned(broadcast.getX(), broadcast.getResult());
    auto type = broadcast.getResult().getType();
    unsigned next = 0;
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.isDynamicDim(d) && next < broadcast.getDynamicSizes().size())
        dims.uniteIndex(broadcast.getDynamicSizes()[next++], broadcast.getResult(), d);
    return;
  }
  if (isa<SummationOp, LogSumExpOp>(op)) {
    Value x = op->getOperand(0), result = op->getResult(0);
    auto axesAttr = op->getAttrOfType<DenseI64ArrayAttr>("axes");
    if (!axesAttr)
      return; // all axes: a scalar
    int64_t kept = 0;
    for (int64_t d = 0; d < EqualDims::rank(x); ++d)
      if (!llvm::is_contained(axesAttr.asArrayRef(), d))
        dims.unite(x, d, result, kept++);
    return;
  }
}

struct NeedleRecordEqualDims : impl::NeedleRecordEqualDimsBase<NeedleRecordEqualDims> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    EqualDims dims;
    func.walk([&](Operation *op) { visit(dims, op); });
    Builder b(func.getContext());
    SmallVector<Attribute> groups;
    for (const SmallVector<DimRef> &group : dims.argumentGroups(func)) {
      SmallVector<Attribute> members;
      for (auto [value, dim] : group)
        members.push_back(b.getDenseI64ArrayAttr(
            {int64_t(cast<BlockArgument>(value).getArgNumber()), dim}));
      groups.push_back(b.getArrayAttr(members));
    }
    if (groups.empty())
      func->removeAttr("needle.equal_dims");
    else
      func->setAttr("needle.equal_dims", b.getArrayAttr(groups));
  }
};

} // namespace
} // namespace mlir::needle
