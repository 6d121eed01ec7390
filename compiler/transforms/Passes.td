//===- Passes.td - passes on the needle dialect ------------*- tablegen -*-===//
#ifndef NEEDLE_COMPILER_TRANSFORMS_PASSES_TD
#define NEEDLE_COMPILER_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def NeedleSpecialize : Pass<"needle-specialize", "::mlir::ModuleOp"> {
  let summary = "Rewrite mode-agnostic BatchNorm and Dropout for training or inference";
  let description = [{
    Traced models hold `needle.batch_norm` and `needle.dropout`, whose meaning
    depends on the mode. With `mode=infer`, batch_norm becomes
    `batch_norm_infer` (running statistics, no state change) and dropout the
    identity. With `mode=train`, batch_norm becomes `batch_norm_train` followed
    by writes of the new running statistics to the buffers they were read
    from, and dropout multiplies by a `dropout_mask` keyed by two buffers the
    pass declares: `dropout.seed` (the runtime seed) and `dropout.step` (a
    counter the function increments once per call), with one stream per
    dropout of the function in program order. `func` restricts the pass to
    one function; by default every function is specialised.
  }];
  let options = [
    Option<"mode", "mode", "std::string", /*default=*/"\"infer\"",
           "`train` or `infer`">,
    Option<"func", "func", "std::string", /*default=*/"\"\"",
           "the function to specialise (default: all)">,
  ];
  let dependentDialects = ["::mlir::needle::NeedleDialect",
                           "::mlir::arith::ArithDialect"];
}

def NeedleFreezeVariables : Pass<"needle-freeze-variables", "::mlir::ModuleOp"> {
  let summary = "Replace every variable by its value in a checkpoint";
  let description = [{
    For an inference-only artifact: each `needle.read` becomes an
    `arith.constant` holding the variable's value in the `.safetensors`
    checkpoint (which must hold every variable with its dtype and shape;
    other tensors are ignored), and the declarations are removed. A
    `needle.write` is an error: frozen state cannot change.
  }];
  let options = [
    Option<"checkpointPath", "checkpoint", "std::string", /*default=*/"",
           "the .safetensors checkpoint to take the values from">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def NeedleFoldBatchNorm : Pass<"needle-fold-batch-norm", "::mlir::func::FuncOp"> {
  let summary = "Fold inference BatchNorm into the Linear before it";
  let description = [{
    `batch_norm_infer(x @ W + broadcast(b), w, bn_b, mean, var)` with every
    parameter constant (after needle-freeze-variables) becomes
    `x @ W' + broadcast(b')` with `s = w / sqrt(var + eps)`, `W' = W * s`
    (per output column) and `b' = (b - mean) * s + bn_b`; without a Linear
    bias, `b' = bn_b - mean * s`. The folded values are computed in double
    and rounded once. The Linear's result must have no other user.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def NeedleAutodiff : Pass<"needle-autodiff", "::mlir::ModuleOp"> {
  let summary = "Build the gradient function of a loss (reverse mode, per-op VJPs)";
  let description = [{
    For the function `func` (default `loss`), already in training form
    (`--needle-specialize=mode=train`) and returning one rank-0 float tensor,
    adds a public `@<func>_grad` with the same arguments returning the loss
    and then one gradient per `parameter` variable of the module, in
    declaration order, each with the variable's type and the result
    attribute `needle.gradient_of = @<variable>`. A parameter the loss does
    not depend on gets zeros. The gradient function repeats the original's
    computation and side effects (writes of buffers) once, then builds each
    op's vector-Jacobian product (DifferentiableOpInterface) in reverse
    order: the cotangents of values used more than once are summed, nothing
    is computed for values no parameter depends on, and reads of buffers and
    optimizer state are constants. `@<func>` itself is left unchanged.
  }];
  let options = [
    Option<"funcName", "func", "std::string", /*default=*/"\"loss\"",
           "the function to differentiate">,
  ];
  let dependentDialects = [
    "::mlir::needle::NeedleDialect", "::mlir::arith::ArithDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def NeedleRecordEqualDims : Pass<"needle-record-equal-dims", "::mlir::func::FuncOp"> {
  let summary = "Record which dynamic input dims the function needs equal";
  let description = [{
    Follows dynamic dims through the ops that carry them and records, as
    `needle.equal_dims = [[[input, dim], ...], ...]`, the groups of argument
    dims that the function's ops require to be equal (e.g. the batch of the
    inputs and the length of the labels meet in `softmax_loss`). The manifest
    carries the groups and the runtime refuses calls that break them, which
    compiled code would otherwise read out of bounds.
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def NeedleRecordLabelBounds : Pass<"needle-record-label-bounds", "::mlir::func::FuncOp"> {
  let summary = "Record the class count of each label argument";
  let description = [{
    For each argument used directly as the labels of `softmax_loss` or
    `one_hot`, records `needle.label_bounds = [[input, classes], ...]`: the
    manifest carries it and the runtime refuses labels outside [0, classes),
    as needle's one_hot does.
  }];
}

def NeedleVariablesToArguments : Pass<"needle-variables-to-arguments", "::mlir::ModuleOp"> {
  let summary = "Pass the variables each public function uses as trailing arguments";
  let description = [{
    The runtime owns every variable's buffer and passes it to compiled code.
    For each public function, the variables it reads or writes become extra
    tensor arguments, in declaration order; reads become uses of the current
    value and the last value written is materialised into the argument's
    buffer with `bufferization.materialize_in_destination ... in writable`,
    which bufferises to a write of the runtime's buffer. The function records the names
    in `needle.variables` and the written ones in `needle.writes`; each
    added argument carries `needle.variable`. Variable declarations stay for
    the manifest.
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect"];
}

def NeedleTileContractions : Pass<"needle-tile-contractions", "::mlir::func::FuncOp"> {
  let summary = "Lower 2-D f32 matmuls on buffers to register-tiled vector loops";
  let description = [{
    Rewrites each 2-D f32 contraction C(i, j) += A(i, k) * B(k, j) on memrefs
    (linalg.matmul, or a generic with the same semantics in any loop order; A
    may be read transposed, A(k, i)) whose B and C have unit stride along j
    into loops over blocks of `tile-rows` rows by `tile-vectors` vectors of 16
    columns. The block's accumulators stay in registers across the k loop
    (loaded from C before it, stored after it), so each k step loads one
    vector of B per column vector and one element of A per row and performs
    rows x vectors multiply-adds. The last column block is masked; rows left
    over run in blocks of one row. Every element still sums its products in
    ascending k from C's value, with a separate multiply and add, so results
    are those of the plain loops. Other contractions are left alone.
  }];
  let options = [
    Option<"tileRows", "tile-rows", "int64_t", /*default=*/"4",
           "rows of C per register block">,
    Option<"tileVectors", "tile-vectors", "int64_t", /*default=*/"1",
           "16-wide column vectors of C per register block">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

def NeedleFoldTransposeIntoContraction
    : Pass<"needle-fold-transpose-into-contraction", "::mlir::func::FuncOp"> {
  let summary = "Read transposed contraction operands in place instead of copying them";
  let description = [{
    For a contraction on tensors (linalg.matmul, batch_matmul, or a generic
    contraction) with an input produced by `linalg.transpose`, reads the
    transpose's input directly through the indexing map composed with the
    permutation (the named op is generalised first); the transpose, when it
    has no other use, disappears. Only inputs that are not indexed by the
    result's innermost loop are folded (the lhs of x^T @ dy): an input read
    along that loop (the rhs of dy @ w^T) would lose its contiguous rows,
    which vectorised and register-tiled code needs, so its copy is kept.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def NeedleDeallocAfterLastUse
    : Pass<"needle-dealloc-after-last-use", "::mlir::func::FuncOp"> {
  let summary = "Move each memref.dealloc right after the last use of its buffer";
  let description = [{
    The ownership-based deallocation pipeline frees a block's buffers at the
    block's end, so every temporary of a function is live until it returns.
    For a `memref.dealloc` of a `memref.alloc` in the same block, this pass
    moves the dealloc right after the last op of the block that uses the
    buffer or a view of it (view-like ops followed transitively; a use inside
    a region counts as a use by the op holding the region). Buffers that may
    escape (reaching a terminator, or an op other than a view that returns a
    memref) keep their dealloc where it is. Peak memory drops to the live set,
    and malloc reuses freed memory for later buffers instead of growing its
    heap and returning the top to the kernel at every call.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def NeedleForwardCopiedBuffers
    : Pass<"needle-forward-copied-buffers", "::mlir::func::FuncOp"> {
  let summary = "Compute into the destination of a memref.copy instead of a temporary";
  let description = [{
    For `memref.copy %temp, %dest` where `%temp` is a `memref.alloc` of the
    same block and type, used only by linalg ops before the copy (and freed),
    and `%dest` (a block argument or a value defined before the allocation)
    is never viewed and not used from the first op writing `%temp` to the
    copy, except by that first op when it is an all-parallel
    `linalg.generic` reading `%dest` at the element it writes into `%temp`
    (the same permutation map), the pass replaces `%temp` by `%dest` and
    drops the copy and the dealloc. This is the shape
    of a training step's variable updates (new Adam moments and weights
    computed element-wise from the old ones, copied into the variables at
    the end): it saves one pass over every updated variable and the
    temporaries kept alive until the copies.

    When `%temp` serves for something else first (a weight's gradient
    buffer, read by weight decay and the moments, then reused for the new
    weight), the last op that touches `%temp` or `%dest` before the copy,
    if it is an all-parallel `linalg.generic` writing all of `%temp`
    without reading its old value (and `%dest` only at the element it
    writes), writes `%dest` instead and the copy goes, provided `%temp` is
    only freed after the copy.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def NeedleParallelizeLoops : Pass<"needle-parallelize-loops", "::mlir::ModuleOp"> {
  let summary = "Split large linalg generics on buffers across threads with OpenMP";
  let description = [{
    Each `linalg.generic` on memrefs that reads at least `min-elements`
    elements (its iteration space's points times its inputs indexed by every
    loop; tested at run time when sizes are dynamic) is split along its
    outermost loop whose ranges are independent: a parallel loop that every
    output is indexed by, or a reduction that every output reads as
    `loop floordiv K` (per-block partial sums), split at multiples of K;
    every operand reads the loop plainly, as `floordiv K`, or not at all.
    A reduction split runs only when there are at least as many blocks as
    threads; otherwise the next splittable parallel loop is split. The split runs in `omp.parallel num_threads(n) { omp.wsloop }` over
    n contiguous ranges, one per thread, each a copy of the generic on
    subviews whose `linalg.index` of the split loop is offset by the range's
    start; ranges along the innermost loop are whole 16-element vectors.
    Results are bit-identical for every n. n is read from the public global
    `needle_num_threads`, which the runtime sets; with n = 1 or a small
    iteration space the original generic runs.

    A small static producer whose results (fresh buffers) only the split
    generic reads, and whose inputs nothing writes in between, is run by
    every thread into `memref.alloca`s at the start of the region instead
    of once before it (BatchNorm inference's scale and shift).
  }];
  let options = [
    Option<"minElements", "min-elements", "int64_t", /*default=*/"65536",
           "the fewest elements read worth a fork-join">,
  ];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::omp::OpenMPDialect",
                           "::mlir::scf::SCFDialect"];
}

def NeedleFillPerDestination : Pass<"needle-fill-per-destination", "::mlir::func::FuncOp"> {
  let summary = "Give every destination of a shared linalg.fill its own fill";
  let description = [{
    CSE merges identical fills of `tensor.empty` (the zero inits of the
    matmuls and reductions of one shape); One-Shot Bufferize then allocates
    the merged fill once, keeps it alive to its last use and copies it into
    a new buffer for every destination. Before bufferisation, this pass
    clones the empty and the fill in front of every destination use but one
    (the first, when all uses are destinations), so that each fills its own
    buffer in place.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"];
}

def NeedleContractionLoopOrder : Pass<"needle-contraction-loop-order", "::mlir::func::FuncOp"> {
  let summary = "Put the reduction loop of matmuls outside the innermost parallel loop";
  let description = [{
    A matmul lowered to loops in (i, j, k) order accumulates along k with a
    strided read of the right operand, a float reduction LLVM cannot
    vectorise without reassociation. In (i, k, j) order the innermost loop
    walks rows of the right operand and of the result contiguously and
    vectorises as is. The pass generalises contractions whose last loop is a
    reduction and interchanges it with the last parallel loop. It is a stop-gap
    until contractions are tiled and vectorised explicitly.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def NeedleSynthesizeTrainStep : Pass<"needle-synthesize-train-step", "::mlir::ModuleOp"> {
  let summary = "Build a training step from a loss gradient and an optimizer";
  let description = [{
    Turns `@<func>_grad` (as `needle-autodiff` makes it: the loss's
    arguments, returning the loss and one gradient per `parameter` variable,
    each result marked `needle.gradient_of = @<parameter>`) into the public
    function `@<entry>` with the same arguments, returning the loss only. After
    the gradient it applies one optimizer step to every parameter and writes
    the new parameters and optimizer state with `needle.write`; buffer writes
    of the gradient function (BatchNorm running statistics) are kept.
    `@<func>_grad` is consumed.

    The optimizers are needle's, in element type arithmetic:
    - `sgd`: g = grad + weight_decay * p; u = momentum * u + (1 - momentum) * g;
      p = p - lr * u. `u` is the variable `sgd.u.<p>` (zeros); with momentum 0
      it equals g and no state is kept.
    - `adam`: t = t + 1; g = grad + weight_decay * p;
      m = beta1 * m + (1 - beta1) * g; v = beta2 * v + (1 - beta2) * g * g;
      p = p - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps).
      `m`, `v` are `adam.m.<p>`, `adam.v.<p>` (zeros); the step count is the
      f64 scalar `adam.t` and the bias corrections are computed in f64 and
      rounded once, as needle's Python floats are.
    Weight decay applies to every parameter. The learning rate is the scalar
    variable `lr` (initialised to `lr`), so the runtime can change it between
    steps; the other hyperparameters are constants, recorded in the entry's
    `needle.description`. Every added variable has kind `optimizer_state`.
  }];
  let options = [
    Option<"func", "func", "std::string", /*default=*/"\"loss\"",
           "the differentiated function: its gradient is @<func>_grad">,
    Option<"entry", "entry", "std::string", /*default=*/"\"train_step\"",
           "name of the training-step function">,
    Option<"optimizer", "optimizer", "std::string", /*default=*/"\"sgd\"",
           "`sgd` or `adam`">,
    Option<"lr", "lr", "double", /*default=*/"0.01",
           "initial value of the learning-rate variable">,
    Option<"momentum", "momentum", "double", /*default=*/"0.0", "SGD momentum">,
    Option<"weightDecay", "weight-decay", "double", /*default=*/"0.0",
           "L2 weight decay, added to every parameter's gradient">,
    Option<"beta1", "beta1", "double", /*default=*/"0.9", "Adam beta1">,
    Option<"beta2", "beta2", "double", /*default=*/"0.999", "Adam beta2">,
    Option<"eps", "eps", "double", /*default=*/"1e-8", "Adam epsilon">,
  ];
  let dependentDialects = ["::mlir::needle::NeedleDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::tensor::TensorDialect"];
}

#endif // NEEDLE_COMPILER_TRANSFORMS_PASSES_TD
