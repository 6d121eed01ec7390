//===- DropoutToLinalg.cpp - dropout masks from Philox4x32-10 -------------===//
//
// `dropout_mask` becomes one parallel generic over x's shape that computes a
// Philox4x32-10 block per element from its row-major index: stateless, so
// the mask needs no storage beyond its own result and fuses with the multiply
// that applies it. Philox (Salmon et al., "Parallel random numbers: as easy
// as 1, 2, 3", SC 2011) is ten rounds of two 32x32->64 multiplies and xors.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/LinalgBuilders.h"
#include "compiler/conversion/Patterns.h"
#include "dialect/NeedleOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

namespace mlir::needle {
namespace {

constexpr uint32_t kPhiloxM0 = 0xD2511F53, kPhiloxM1 = 0xCD9E8D57;
constexpr uint32_t kPhiloxW0 = 0x9E3779B9, kPhiloxW1 = 0xBB67AE85;
constexpr int kPhiloxRounds = 10;

/// The first output word of Philox4x32-10 for `counter` and `key` (i32s).
Value buildPhilox4x32(OpBuilder &b, Location loc, std::array<Value, 4> counter,
                      std::array<Value, 2> key) {
  Type i32 = b.getI32Type();
  auto constant = [&](uint32_t v) {
    return arith::ConstantOp::create(b, loc, b.getIntegerAttr(i32, int32_t(v))).getResult();
  };
  Value m0 = constant(kPhiloxM0), m1 = constant(kPhiloxM1);
  Value w0 = constant(kPhiloxW0), w1 = constant(kPhiloxW1);
  auto [c0, c1, c2, c3] = counter;
  auto [k0, k1] = key;
  for (int round = 0; round < kPhiloxRounds; ++round) {
    if (round > 0) {
      k0 = arith::AddIOp::create(b, loc, k0, w0);
      k1 = arith::AddIOp::create(b, loc, k1, w1);
    }
    auto p0 = arith::MulUIExtendedOp::create(b, loc, m0, c0);
    auto p1 = arith::MulUIExtendedOp::create(b, loc, m1, c2);
    Value n0 = arith::XOrIOp::create(
        b, loc, arith::XOrIOp::create(b, loc, p1.getHigh(), c1), k0);
    Value n2 = arith::XOrIOp::create(
        b, loc, arith::XOrIOp::create(b, loc, p0.getHigh(), c3), k1);
    c0 = n0;
    c1 = p1.getLow();
    c2 = n2;
    c3 = p0.getLow();
  }
  return c0;
}

/// The low and high 32 bits of an i64.
std::array<Value, 2> splitWords(OpBuilder &b, Location loc, Value value) {
  Type i32 = b.getI32Type();
  Value shift = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(32));
  Value high = arith::ShRUIOp::create(b, loc, value, shift);
  return {arith::TruncIOp::create(b, loc, i32, value),
          arith::TruncIOp::create(b, loc, i32, high)};
}

struct DropoutMaskToLinalg : OpConversionPattern<DropoutMaskOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(DropoutMaskOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto type = cast<RankedTensorType>(op.getMask().getType());
    int64_t rank = type.getRank();
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, adaptor.getX());
    SmallVector<Value> sizeValues =
        getValueOrCreateConstantIndexOp(rewriter, loc, sizes);
    Value init = createEmptyTensor(rewriter, loc, type, sizes);

    double p = op.getP().convertToDouble();
    // Drop when the word is below p * 2^32; p < 1, so the threshold fits.
    auto threshold = static_cast<uint32_t>(std::ldexp(p, 32));
    Type elementType = type.getElementType();

    // seed and step are rank 0: every loop reads the same element.
    AffineMap scalarMap = AffineMap::get(rank, 0, {}, context);
    SmallVector<AffineMap> maps{scalarMap, scalarMap,
                                AffineMap::getMultiDimIdentityMap(rank, context)};
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{adaptor.getSeed(), adaptor.getStep()},
        ValueRange{init}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Type i32 = b.getI32Type();
          // Row-major linear index of the element.
          Value index = arith::ConstantIndexOp::create(b, l, 0);
          for (int64_t d = 0; d < rank; ++d) {
            index = arith::MulIOp::create(b, l, index, sizeValues[d]);
            index = arith::AddIOp::create(b, l, index, linalg::IndexOp::create(b, l, d));
          }
          Value c0 = arith::IndexCastUIOp::create(b, l, i32, index);
          Value c1 = arith::ConstantOp::create(
              b, l, b.getIntegerAttr(i32, int32_t(uint32_t(op.getStream()))));
          auto [c2, c3] = splitWords(b, l, args[1]);
          auto [k0, k1] = splitWords(b, l, args[0]);
          Value word = buildPhilox4x32(b, l, {c0, c1, c2, c3}, {k0, k1});
          Value keep = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::uge, word,
              arith::ConstantOp::create(b, l, b.getIntegerAttr(i32, int32_t(threshold))));
          Value scale = createFloatConstant(b, l, elementType, 1.0 / (1.0 - p));
          Value zero = createFloatConstant(b, l, elementType, 0.0);
          linalg::YieldOp::create(b, l, ValueRange{arith::SelectOp::create(b, l, keep, scale, zero)});
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void populateDropoutToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<DropoutMaskToLinalg>(patterns.getContext());
}

} // namespace mlir::needle
