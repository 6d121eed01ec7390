//===- ParallelizeLoops.cpp - large loop nests across threads (OpenMP) ----===//
//
// Memory-bound element-wise passes and per-feature reductions are most of a
// BatchNorm or a large batch's non-matmul time; one core cannot draw the
// memory bandwidth two can. Each large enough generic on buffers is split
// along one parallel loop into one contiguous range per thread, run by an
// OpenMP parallel region (libomp's thread pool); small ones stay serial,
// since a fork-join costs a few microseconds.
//
// A small producer whose results only the split generic reads (BatchNorm
// inference's per-feature scale and shift) is computed again by every
// thread into stack buffers instead of once before the region: the serial
// step and the other cores' reads of lines the first one just wrote cost
// more than the few thousand operations repeated.
//
//===----------------------------------------------------------------------===//
#include "compiler/transforms/Passes.h"
#include "runtime/Manifest.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include <numeric>

namespace mlir::needle {
#define GEN_PASS_DEF_NEEDLEPARALLELIZELOOPS
#include "compiler/transforms/Passes.h.inc"

namespace {

/// Split ranges along a generic's innermost (contiguous) loop are multiples
/// of this many elements: one 64-byte cache line of f32, one AVX-512 vector.
constexpr int64_t kInnerAlignment = 16;

/// Where to split a generic: along `loop`, at multiples of `alignment`.
/// `block` is the K of a reduction split into per-block partials (0 for a
/// parallel loop): each range is whole blocks.
struct Split {
  unsigned loop;
  int64_t alignment;
  int64_t block = 0;
};

/// How an indexing-map result reads `loop`: 1 for the plain dim, K for
/// `dim floordiv K`, 0 when it does not involve the loop, -1 otherwise.
int64_t getBlocking(AffineExpr result, unsigned loop) {
  if (auto dim = dyn_cast<AffineDimExpr>(result))
    return dim.getPosition() == loop ? 1 : 0;
  if (!result.isFunctionOfDim(loop))
    return 0;
  auto floorDiv = dyn_cast<AffineBinaryOpExpr>(result);
  if (!floorDiv || floorDiv.getKind() != AffineExprKind::FloorDiv)
    return -1;
  auto dim = dyn_cast<AffineDimExpr>(floorDiv.getLHS());
  auto divisor = dyn_cast<AffineConstantExpr>(floorDiv.getRHS());
  if (!dim || dim.getPosition() != loop || !divisor || divisor.getValue() <= 1)
    return -1;
  return divisor.getValue();
}

/// The loop to split, the outermost whose ranges run independently: each
/// operand reads it through at most one result, which is the loop itself or
/// `loop floordiv K` (other results must not involve it), and every output
/// is indexed by it, so threads write disjoint elements. A parallel loop is
/// indexed plainly; a reduction loop may be split only when every output
/// reads it as `loop floordiv K` (per-block partial results) for one K, at
/// multiples of K, which keeps each block's sum in one thread and in order.
/// Ranges start at multiples of every K any operand reads the loop through.
/// When that loop is such a reduction, a batch with fewer blocks than
/// threads leaves threads idle (BatchNorm's statistics of 128 rows are one
/// block), so the next splittable parallel loop comes second, for those.
SmallVector<Split, 2> findSplits(linalg::GenericOp op) {
  SmallVector<Split, 2> splits;
  for (auto [loop, iterator] : llvm::enumerate(op.getIteratorTypesArray())) {
    bool reduction = iterator == utils::IteratorType::reduction;
    int64_t block = 0;     // the K every output reads a reduction through
    int64_t alignment = 1; // ranges start at multiples of every K read
    bool splittable = true;
    for (OpOperand &operand : op->getOpOperands()) {
      SmallVector<int64_t> uses;
      for (AffineExpr result : op.getMatchingIndexingMap(&operand).getResults())
        if (int64_t blocking = getBlocking(result, loop))
          uses.push_back(blocking);
      if (uses.size() > 1 || llvm::is_contained(uses, -1)) {
        splittable = false;
        break;
      }
      if (!uses.empty())
        alignment = std::lcm(alignment, uses[0]);
      if (!op.isDpsInit(&operand))
        continue;
      if (uses.empty() || (!reduction && uses[0] != 1) ||
          (reduction && (uses[0] == 1 || (block && uses[0] != block))))
        splittable = false;
      else
        block = uses[0];
    }
    if (!splittable)
      continue;
    // Ranges along the innermost (contiguous) loop are whole vectors.
    if (loop + 1 == op.getNumLoops())
      alignment = std::lcm(alignment, kInnerAlignment);
    if (!splits.empty() && reduction)
      continue;
    splits.push_back(Split{unsigned(loop), alignment, reduction ? block : 0});
    if (!splits.front().block || splits.size() == 2)
      break;
  }
  return splits;
}

/// Elements `op` reads per point of its iteration space: its inputs indexed
/// by every loop (BatchNorm's statistics sweep reads four rows per step), at
/// least one. The size test weighs iterations by it.
int64_t getReadsPerIteration(linalg::GenericOp op) {
  int64_t reads = llvm::count_if(op.getDpsInputOperands(), [&](OpOperand *input) {
    AffineMap map = op.getMatchingIndexingMap(input);
    return llvm::all_of(llvm::seq<unsigned>(0, op.getNumLoops()),
                        [&](unsigned loop) { return map.isFunctionOfDim(loop); });
  });
  return std::max<int64_t>(reads, 1);
}

/// Producers larger than this stay serial (elements of iteration space), and
/// all of a split generic's private producers' results take at most this
/// many bytes of each thread's stack.
constexpr int64_t kMaxPrivateElements = 16384;
constexpr int64_t kMaxPrivateBytes = 64 << 10;

/// A generic each thread runs again for itself before its part of the
/// split generic, with the buffers it writes, which only those two use.
struct PrivateProducer {
  linalg::GenericOp producer;
  SmallVector<memref::AllocOp> buffers;     // the producer's inits, in order
  SmallVector<memref::DeallocOp> deallocs;  // after the split generic
};

/// The buffer `value` is a view of.
Value getViewSource(Value value) {
  while (auto view = value.getDefiningOp<ViewLikeOpInterface>())
    value = view.getViewSource();
  return value;
}

/// `producer` as a private producer of `op` (see findPrivateProducers), or
/// nothing. `written` holds the buffers `op` writes.
std::optional<PrivateProducer> getPrivateProducer(linalg::GenericOp producer,
                                                  linalg::GenericOp op,
                                                  ArrayRef<Value> written) {
  Block *block = op->getBlock();
  if (producer->getBlock() != block || !producer->isBeforeInBlock(op) ||
      !producer.hasPureBufferSemantics())
    return std::nullopt;
  SmallVector<int64_t> ranges = producer.getStaticLoopRanges();
  if (llvm::is_contained(ranges, ShapedType::kDynamic) ||
      llvm::product_of(ranges) > kMaxPrivateElements ||
      llvm::any_of(producer.getDpsInputs(),
                   [&](Value read) { return llvm::is_contained(written, getViewSource(read)); }) ||
      llvm::any_of(producer.getBody()->without_terminator(),
                   [](Operation &inner) { return !isMemoryEffectFree(&inner); }))
    return std::nullopt;

  PrivateProducer candidate{producer, {}, {}};
  for (Value init : producer.getDpsInits()) {
    auto alloc = init.getDefiningOp<memref::AllocOp>();
    if (!alloc || alloc->getBlock() != block || !alloc.getType().hasStaticShape() ||
        !alloc.getType().getElementType().isIntOrFloat() ||
        llvm::is_contained(producer.getDpsInputs(), init) ||
        llvm::is_contained(op.getDpsInits(), init))
      return std::nullopt;
    for (Operation *user : init.getUsers()) {
      if (user == producer || user == op)
        continue;
      auto dealloc = dyn_cast<memref::DeallocOp>(user);
      if (!dealloc || dealloc->getBlock() != block || !op->isBeforeInBlock(dealloc))
        return std::nullopt;
      candidate.deallocs.push_back(dealloc);
    }
    candidate.buffers.push_back(alloc);
  }
  // Its inputs must read the same at `op`: between the two, ops may only
  // allocate, or write buffers nothing but themselves, `op` and deallocs
  // use (the other private producers).
  auto writesOnlyFreshBuffers = [&](linalg::GenericOp generic) {
    return llvm::all_of(generic.getDpsInits(), [&](Value init) {
      return init.getDefiningOp<memref::AllocOp>() &&
             llvm::all_of(init.getUsers(), [&](Operation *user) {
               return user == generic || user == op || isa<memref::DeallocOp>(user);
             });
    });
  };
  for (Operation *between = producer->getNextNode(); between != op;
       between = between->getNextNode()) {
    auto effects = dyn_cast<MemoryEffectOpInterface>(between);
    auto generic = dyn_cast<linalg::GenericOp>(between);
    if (!isMemoryEffectFree(between) &&
        !(effects && effects.onlyHasEffect<MemoryEffects::Allocate>()) &&
        !(generic && writesOnlyFreshBuffers(generic)))
      return std::nullopt;
  }
  return candidate;
}

/// Bytes of stack the private copies of `p`'s results take.
int64_t getStackBytes(const PrivateProducer &p) {
  int64_t bytes = 0;
  for (memref::AllocOp alloc : p.buffers)
    bytes += alloc.getType().getNumElements() *
             llvm::divideCeil(alloc.getType().getElementTypeBitWidth(), 8);
  return bytes;
}

/// The producers of `op`'s inputs that every thread may run for itself: a
/// small static generic on buffers in `op`'s block, whose body only
/// computes (it reads nothing but its operands), whose every init is a
/// static memref.alloc that nothing but the producer, `op` (as an input)
/// and deallocs after `op` uses, and whose inputs nothing between it and
/// `op` may write, nor `op` itself (another thread's part may be written
/// before a thread runs the producer). Together their results take at most
/// kMaxPrivateBytes.
SmallVector<PrivateProducer> findPrivateProducers(linalg::GenericOp op) {
  SmallVector<PrivateProducer> found;
  SmallVector<Value> written = llvm::map_to_vector(op.getDpsInits(), getViewSource);
  int64_t stackBytes = 0;
  for (Value input : op.getDpsInputs()) {
    auto producer = dyn_cast_or_null<linalg::GenericOp>([&]() -> Operation * {
      for (Operation *user : input.getUsers())
        if (auto generic = dyn_cast<linalg::GenericOp>(user))
          if (generic != op && llvm::is_contained(generic.getDpsInits(), input))
            return generic;
      return nullptr;
    }());
    if (!producer ||
        llvm::any_of(found, [&](const PrivateProducer &p) { return p.producer == producer; }))
      continue;
    std::optional<PrivateProducer> candidate = getPrivateProducer(producer, op, written);
    if (!candidate || stackBytes + getStackBytes(*candidate) > kMaxPrivateBytes)
      continue;
    stackBytes += getStackBytes(*candidate);
    found.push_back(std::move(*candidate));
  }
  return found;
}

/// The `needle_num_threads` global the runtime sets before each call: the
/// number of threads the compiled code may use.
memref::GlobalOp getOrCreateThreadCount(ModuleOp module) {
  StringRef name = ::needle::runtime::kThreadCountSymbol;
  if (auto global = module.lookupSymbol<memref::GlobalOp>(name))
    return global;
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  auto type = MemRefType::get({}, b.getI32Type());
  return memref::GlobalOp::create(
      b, module.getLoc(), name, b.getStringAttr("public"), type,
      DenseElementsAttr::get(RankedTensorType::get({}, b.getI32Type()), int32_t(1)),
      /*constant=*/false, /*alignment=*/nullptr);
}

struct ParallelizeLoopsPass
    : impl::NeedleParallelizeLoopsBase<ParallelizeLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<std::pair<linalg::GenericOp, SmallVector<Split, 2>>> candidates;
    module.walk([&](linalg::GenericOp op) {
      if (!op.hasPureBufferSemantics() || op->getParentOfType<omp::ParallelOp>())
        return;
      SmallVector<Split, 2> splits = findSplits(op);
      if (!splits.empty())
        candidates.push_back({op, std::move(splits)});
    });
    // A producer every thread runs for itself is not split on its own.
    DenseMap<Operation *, SmallVector<PrivateProducer>> privates;
    DenseSet<Operation *> privateProducers;
    for (auto &[op, splits] : candidates)
      for (PrivateProducer &found : privates[op] = findPrivateProducers(op))
        privateProducers.insert(found.producer);
    memref::GlobalOp threadCount;
    for (auto &[op, splits] : candidates) {
      if (privateProducers.contains(op))
        continue;
      if (!threadCount)
        threadCount = getOrCreateThreadCount(module);
      parallelize(op, splits, privates[op], threadCount);
    }
    // A module that splits nothing reads no thread count (and does not link
    // the OpenMP runtime).
    if (threadCount && threadCount.getSymbolUses(module)->empty())
      threadCount.erase();
  }

  /// Splits `op` when it reads at least `minElements` elements (its
  /// iteration space's points weighed by getReadsPerIteration), into
  /// `scf.if (threads > 1 && work large) { omp.parallel { wsloop over
  /// thread ranges } } else { op }`; with a second split, the region is
  /// `scf.if (blocks >= threads) { first } else { second }`. Static
  /// iteration spaces decide the size test at compile time.
  void parallelize(linalg::GenericOp op, ArrayRef<Split> splits,
                   ArrayRef<PrivateProducer> privates, memref::GlobalOp threadCount) {
    SmallVector<int64_t> staticRanges = op.getStaticLoopRanges();
    int64_t reads = getReadsPerIteration(op);
    if (!llvm::is_contained(staticRanges, ShapedType::kDynamic) &&
        llvm::product_of(staticRanges) * reads < minElements)
      return;
    OpBuilder b(op);
    Location loc = op.getLoc();
    SmallVector<Range, 4> ranges =
        cast<linalg::LinalgOp>(op.getOperation()).createLoopRanges(b, loc);
    int64_t staticWork = reads;
    Value dynamicWork;
    for (Range range : ranges) {
      if (std::optional<int64_t> constant = getConstantIntValue(range.size)) {
        staticWork *= *constant;
      } else {
        Value size = getValueOrCreateConstantIndexOp(b, loc, range.size);
        dynamicWork = dynamicWork ? arith::MulIOp::create(b, loc, dynamicWork, size)
                                  : size;
      }
    }

    Value global = memref::GetGlobalOp::create(b, loc, threadCount.getType(),
                                               threadCount.getSymName());
    Value threads32 = memref::LoadOp::create(b, loc, global, ValueRange{});
    Value threads =
        arith::IndexCastOp::create(b, loc, b.getIndexType(), threads32);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    Value parallel =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, threads, one);
    if (dynamicWork) {
      Value work = arith::MulIOp::create(
          b, loc, dynamicWork, arith::ConstantIndexOp::create(b, loc, staticWork));
      Value large = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::sge, work,
          arith::ConstantIndexOp::create(b, loc, minElements));
      parallel = arith::AndIOp::create(b, loc, parallel, large);
    }
    auto ifOp = scf::IfOp::create(b, loc, parallel, /*withElseRegion=*/true);
    // The serial path runs everything as before; the private producers and
    // their buffers are needed there only.
    Operation *elseEnd = ifOp.elseBlock()->getTerminator();
    for (const PrivateProducer &p : privates) {
      for (memref::AllocOp alloc : p.buffers)
        alloc->moveBefore(elseEnd);
      p.producer->moveBefore(elseEnd);
    }
    op->moveBefore(elseEnd);
    for (const PrivateProducer &p : privates)
      for (memref::DeallocOp dealloc : p.deallocs)
        dealloc->moveBefore(elseEnd);

    b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
    if (splits.size() == 1) {
      createRegion(b, op, splits[0], ranges, threads32, threads, privates);
      return;
    }
    Value blocks = affine::makeComposedAffineApply(
        b, loc, b.getAffineSymbolExpr(0).ceilDiv(splits[0].block),
        {getValueOrCreateConstantIndexOp(b, loc, ranges[splits[0].loop].size)});
    Value enough =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, blocks, threads);
    auto choice = scf::IfOp::create(b, loc, enough, /*withElseRegion=*/true);
    for (auto [split, block] :
         llvm::zip(splits, std::array{choice.thenBlock(), choice.elseBlock()})) {
      b.setInsertionPoint(block->getTerminator());
      createRegion(b, op, split, ranges, threads32, threads, privates);
    }
  }

  /// At `b`: `op` split by `split` in an omp.parallel of `threads` threads,
  /// each running the private producers and then its part.
  void createRegion(OpBuilder &b, linalg::GenericOp op, Split split,
                    ArrayRef<Range> ranges, Value threads32, Value threads,
                    ArrayRef<PrivateProducer> privates) {
    Location loc = op.getLoc();
    unsigned loop = split.loop;
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    // Thread t runs [t * chunk, min((t + 1) * chunk, size)), chunk = size /
    // threads rounded up to the split's alignment.
    Value size = getValueOrCreateConstantIndexOp(b, loc, ranges[loop].size);
    AffineExpr s0 = b.getAffineSymbolExpr(0), s1 = b.getAffineSymbolExpr(1);
    AffineExpr chunkExpr =
        s0.ceilDiv(s1).ceilDiv(split.alignment) * split.alignment;
    Value chunk = affine::makeComposedAffineApply(b, loc, chunkExpr, {size, threads});

    omp::ParallelOperands clauses;
    clauses.numThreads = threads32;
    // Bound threads: an unbound worker starts on its creator's core, and
    // the scheduler takes hundreds of milliseconds to move it, during which
    // every fork-join waits for a shared core (80 us instead of 5 us).
    clauses.procBindKind =
        omp::ClauseProcBindKindAttr::get(b.getContext(), omp::ClauseProcBindKind::Spread);
    auto region = omp::ParallelOp::create(b, loc, clauses);
    b.createBlock(&region.getRegion());
    omp::TerminatorOp::create(b, loc);
    b.setInsertionPointToStart(&region.getRegion().front());
    // Each thread computes the private producers into its own stack.
    IRMapping privateBuffers;
    for (const PrivateProducer &p : privates) {
      for (memref::AllocOp alloc : p.buffers)
        privateBuffers.map(alloc.getResult(),
                           memref::AllocaOp::create(b, alloc.getLoc(), alloc.getType(),
                                                    alloc.getAlignmentAttr()));
      b.clone(*p.producer, privateBuffers);
    }
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    auto wsloop = omp::WsloopOp::create(b, loc, omp::WsloopOperands{});
    b.createBlock(&wsloop.getRegion());
    auto nest = omp::LoopNestOp::create(b, loc, /*collapse_num_loops=*/1,
                                        ValueRange{zero}, ValueRange{threads},
                                        ValueRange{one}, /*loop_inclusive=*/false,
                                        /*tile_sizes=*/nullptr);
    Block *body = b.createBlock(&nest.getRegion(), {}, {b.getIndexType()}, {loc});
    b.setInsertionPointToStart(body);
    Value thread = body->getArgument(0);
    AffineExpr d0 = b.getAffineDimExpr(0);
    Value begin = affine::makeComposedAffineApply(b, loc, d0 * s0, {thread, chunk});
    // min(chunk, size - begin), and 0 for the threads past the end.
    Value length = arith::MaxSIOp::create(
        b, loc,
        arith::MinSIOp::create(b, loc, chunk, arith::SubIOp::create(b, loc, size, begin)),
        zero);

    SmallVector<Value> operands;
    for (OpOperand &operand : op->getOpOperands()) {
      ArrayRef<AffineExpr> results = op.getMatchingIndexingMap(&operand).getResults();
      auto position = llvm::find_if(
          results, [&](AffineExpr result) { return getBlocking(result, loop) > 0; });
      if (position == results.end()) {
        operands.push_back(privateBuffers.lookupOrDefault(operand.get()));
        continue;
      }
      // Blocks [begin / K, ceil((begin + length) / K)): begin is a multiple of K.
      int64_t dim = position - results.begin();
      int64_t blocking = getBlocking(*position, loop);
      Value source = privateBuffers.lookupOrDefault(operand.get());
      auto type = cast<MemRefType>(source.getType());
      SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes;
      for (int64_t i = 0; i < type.getRank(); ++i)
        sizes.push_back(i == dim ? OpFoldResult(length)
                                 : memref::getMixedSize(b, loc, source, i));
      SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
      offsets[dim] = begin;
      if (blocking > 1) {
        offsets[dim] = affine::makeComposedFoldedAffineApply(
            b, loc, s0.floorDiv(blocking), {offsets[dim]});
        sizes[dim] = affine::makeComposedFoldedAffineApply(b, loc, s0.ceilDiv(blocking),
                                                           {sizes[dim]});
      }
      operands.push_back(
          memref::SubViewOp::create(b, loc, source, offsets, sizes, strides));
    }
    auto part = cast<linalg::GenericOp>(b.clone(*op));
    part->setOperands(operands);
    // The part iterates from 0: indices the body reads count from `begin`.
    SmallVector<linalg::IndexOp> indices;
    part.getRegion().walk([&](linalg::IndexOp index) {
      if (index.getDim() == loop)
        indices.push_back(index);
    });
    for (linalg::IndexOp index : indices) {
      OpBuilder inBody(index->getNextNode());
      auto shifted = arith::AddIOp::create(inBody, index.getLoc(), index, begin);
      index.getResult().replaceAllUsesExcept(shifted, shifted);
    }
    omp::YieldOp::create(b, loc);
  }
};

} // namespace
} // namespace mlir::needle
