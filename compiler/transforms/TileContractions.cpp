//===- TileContractions.cpp - register-tiled f32 matmuls on buffers -------===//
//
// C(i, j) += A(i, k) * B(k, j) on memrefs, lowered to loops over blocks of
// `tileRows` rows by `tileVectors` vectors of 16 columns, whose accumulators
// live in registers (scf.for iter_args) across the whole k loop: per k, one
// load of each B vector and one broadcast of each A element feed
// tileRows * tileVectors multiply-adds. The last column block is masked; rows
// left over by the row blocks run as blocks of one row. Per element the sum
// runs over k in ascending order from C's value with a multiply and an add,
// as the loops of convert-linalg-to-loops do, so results are unchanged.
// Defaults (4 rows x 1 vector) measured best on the MLP's 784/100/50/10-wide
// matmuls: wider blocks waste more masked lanes on 50- and 100-column results.
//
//===----------------------------------------------------------------------===//
#include "compiler/transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::needle {
#define GEN_PASS_DEF_NEEDLETILECONTRACTIONS
#include "compiler/transforms/Passes.h.inc"

namespace {

constexpr int64_t kLanes = 16;

/// The roles of a matched contraction's loops and operands.
struct ContractionPlan {
  unsigned i, j, k; // loop positions of the rows, columns, reduction
  OpOperand *a, *b, *c;
};

/// Whether `type` is f32 with unit stride along its last dimension.
bool isRowContiguousF32(MemRefType type) {
  if (!type.getElementType().isF32() || type.getRank() != 2)
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(type.getStridesAndOffset(strides, offset)) && strides.back() == 1;
}

/// Loop positions of the results of a 2-result projected permutation map.
std::optional<std::pair<unsigned, unsigned>> getDimPair(AffineMap map) {
  if (map.getNumResults() != 2 || !map.isProjectedPermutation(/*allowZeroInResults=*/false))
    return std::nullopt;
  return std::make_pair(map.getDimPosition(0), map.getDimPosition(1));
}

/// Matches a 2-D f32 contraction C(i, j) += A(i|k, k|i) * B(k, j) on buffers
/// where B and C are contiguous along j.
FailureOr<ContractionPlan> matchContraction(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumLoops() != 3 ||
      op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      op.getNumReductionLoops() != 1 || !linalg::isaContractionOpInterface(op))
    return failure();
  ContractionPlan plan;
  plan.c = op.getDpsInitOperand(0);
  auto outDims = getDimPair(op.getMatchingIndexingMap(plan.c));
  if (!outDims)
    return failure();
  plan.i = outDims->first;
  plan.j = outDims->second;
  plan.k = 3 - plan.i - plan.j;
  if (op.getIteratorTypesArray()[plan.k] != utils::IteratorType::reduction)
    return failure();
  plan.a = plan.b = nullptr;
  for (OpOperand *input : op.getDpsInputOperands()) {
    auto dims = getDimPair(op.getMatchingIndexingMap(input));
    if (!dims)
      return failure();
    if (*dims == std::make_pair(plan.k, plan.j))
      plan.b = input;
    else if (*dims == std::make_pair(plan.i, plan.k) ||
             *dims == std::make_pair(plan.k, plan.i))
      plan.a = input;
  }
  if (!plan.a || !plan.b)
    return failure();
  auto aType = dyn_cast<MemRefType>(plan.a->get().getType());
  auto bType = dyn_cast<MemRefType>(plan.b->get().getType());
  auto cType = dyn_cast<MemRefType>(plan.c->get().getType());
  if (!aType || !aType.getElementType().isF32() || !bType || !isRowContiguousF32(bType) ||
      !cType || !isRowContiguousF32(cType))
    return failure();
  return plan;
}

struct RegisterTileContraction : OpInterfaceRewritePattern<linalg::LinalgOp> {
  RegisterTileContraction(MLIRContext *context, int64_t rows, int64_t vectors)
      : OpInterfaceRewritePattern(context), tileRows(rows), tileVectors(vectors) {}

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<ContractionPlan> plan = matchContraction(op);
    if (failed(plan))
      return rewriter.notifyMatchFailure(op, "not a 2-D f32 contraction with "
                                             "j-contiguous rhs and result on buffers");
    Location loc = op.getLoc();
    SmallVector<Range> ranges = op.createLoopRanges(rewriter, loc);
    auto size = [&](unsigned dim) {
      return getValueOrCreateConstantIndexOp(rewriter, loc, ranges[dim].size);
    };
    Value rows = size(plan->i), cols = size(plan->j), depth = size(plan->k);
    Value tileRowsValue = arith::ConstantIndexOp::create(rewriter, loc, tileRows);
    Value rem = arith::RemUIOp::create(rewriter, loc, rows, tileRowsValue);
    Value fullRows = arith::SubIOp::create(rewriter, loc, rows, rem);
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    emitRowBlocks(rewriter, loc, *plan, op, tileRows, zero, fullRows, cols, depth);
    emitRowBlocks(rewriter, loc, *plan, op, 1, fullRows, rows, cols, depth);
    rewriter.eraseOp(op);
    return success();
  }

private:
  /// Rows [lb, ub) in blocks of `blockRows` (ub - lb a multiple of it).
  void emitRowBlocks(OpBuilder &b, Location loc, const ContractionPlan &plan,
                     linalg::LinalgOp op, int64_t blockRows, Value lb, Value ub,
                     Value cols, Value depth) const {
    Value rowStep = arith::ConstantIndexOp::create(b, loc, blockRows);
    Value colStep = arith::ConstantIndexOp::create(b, loc, kLanes * tileVectors);
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    auto vecType = VectorType::get({kLanes}, b.getF32Type());
    auto maskType = VectorType::get({kLanes}, b.getI1Type());
    Value a = plan.a->get(), bMat = plan.b->get(), c = plan.c->get();
    AffineMap aMap = op.getMatchingIndexingMap(plan.a);
    bool aIsTransposed = aMap.getDimPosition(0) == plan.k;

    scf::ForOp::create(b, loc, lb, ub, rowStep, ValueRange{},
                       [&](OpBuilder &b, Location loc, Value i0, ValueRange) {
      scf::ForOp::create(b, loc, zero, cols, colStep, ValueRange{},
                         [&](OpBuilder &b, Location loc, Value j0, ValueRange) {
        // Column offsets and masks of each vector of the block.
        Value left = arith::SubIOp::create(b, loc, cols, j0);
        SmallVector<Value> colIdx, masks;
        for (int64_t w = 0; w < tileVectors; ++w) {
          Value offset = arith::ConstantIndexOp::create(b, loc, w * kLanes);
          colIdx.push_back(arith::AddIOp::create(b, loc, j0, offset));
          Value count = arith::SubIOp::create(b, loc, left, offset);
          masks.push_back(vector::CreateMaskOp::create(b, loc, maskType, ValueRange{count}));
        }
        Value passthru = arith::ConstantOp::create(
            b, loc, vecType, DenseElementsAttr::get(vecType, b.getF32FloatAttr(0.0f)));
        SmallVector<Value> rowIdx, accs;
        for (int64_t r = 0; r < blockRows; ++r) {
          Value offset = arith::ConstantIndexOp::create(b, loc, r);
          rowIdx.push_back(arith::AddIOp::create(b, loc, i0, offset));
          for (int64_t w = 0; w < tileVectors; ++w)
            accs.push_back(vector::MaskedLoadOp::create(
                b, loc, vecType, c, ValueRange{rowIdx[r], colIdx[w]}, masks[w], passthru));
        }
        auto kLoop = scf::ForOp::create(
            b, loc, zero, depth, one, accs,
            [&](OpBuilder &b, Location loc, Value k, ValueRange iterAccs) {
          SmallVector<Value> bVecs;
          for (int64_t w = 0; w < tileVectors; ++w)
            bVecs.push_back(vector::MaskedLoadOp::create(
                b, loc, vecType, bMat, ValueRange{k, colIdx[w]}, masks[w], passthru));
          SmallVector<Value> next;
          for (int64_t r = 0; r < blockRows; ++r) {
            SmallVector<Value> aIdx = aIsTransposed ? SmallVector<Value>{k, rowIdx[r]}
                                                    : SmallVector<Value>{rowIdx[r], k};
            Value scalar = memref::LoadOp::create(b, loc, a, aIdx);
            Value splat = vector::BroadcastOp::create(b, loc, vecType, scalar);
            for (int64_t w = 0; w < tileVectors; ++w) {
              Value product = arith::MulFOp::create(b, loc, splat, bVecs[w]);
              next.push_back(arith::AddFOp::create(
                  b, loc, iterAccs[r * tileVectors + w], product));
            }
          }
          scf::YieldOp::create(b, loc, next);
        });
        for (int64_t r = 0; r < blockRows; ++r)
          for (int64_t w = 0; w < tileVectors; ++w)
            vector::MaskedStoreOp::create(b, loc, c, ValueRange{rowIdx[r], colIdx[w]},
                                          masks[w], kLoop.getResult(r * tileVectors + w));
        scf::YieldOp::create(b, loc);
      });
      scf::YieldOp::create(b, loc);
    });
  }

  int64_t tileRows, tileVectors;
};

struct NeedleTileContractions
    : impl::NeedleTileContractionsBase<NeedleTileContractions> {
  using NeedleTileContractionsBase::NeedleTileContractionsBase;

  void runOnOperation() override {
    if (tileRows < 1 || tileVectors < 1) {
      getOperation().emitError("needle-tile-contractions: tile-rows (")
          << tileRows << ") and tile-vectors (" << tileVectors << ") must be positive";
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    patterns.add<RegisterTileContraction>(&getContext(), tileRows, tileVectors);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace mlir::needle
