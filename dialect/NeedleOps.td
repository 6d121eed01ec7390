//===- NeedleOps.td - needle operations --------------------*- tablegen -*-===//
//
// Operations follow needle's op set and semantics. Shapes must match exactly
// where needle requires it (there is no implicit broadcasting); a dynamic
// dimension (`?`) is compatible with any size and is checked at run time.
//
//===----------------------------------------------------------------------===//
#ifndef NEEDLE_OPS_TD
#define NEEDLE_OPS_TD

include "dialect/NeedleDialect.td"
include "dialect/NeedleAttrs.td"
include "dialect/DifferentiableOpInterface.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Ops with a vector-Jacobian product (DifferentiableOpInterface.td); the
// others carry Needle_NonDifferentiable<reason>.
defvar Needle_Differentiable =
    DeclareOpInterfaceMethods<Needle_DifferentiableOpInterface>;

//===----------------------------------------------------------------------===//
// Element-wise operations
//===----------------------------------------------------------------------===//

class Needle_BinaryOp<string mnemonic, string formula, list<Trait> traits = []>
    : Needle_Op<mnemonic, traits # [Pure, InferTypeOpAdaptor, Needle_Differentiable]> {
  let summary = "element-wise " # formula;
  let description = [{
    Computes `}] # formula # [{` element by element. Both operands have the
    same shape and element type (needle does not broadcast implicitly); the
    result has that shape, static wherever either operand's is.
  }];
  let arguments = (ins Needle_FloatTensor:$lhs, Needle_FloatTensor:$rhs);
  let results = (outs Needle_FloatTensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` custom<SameTypes>(type($lhs), type($rhs))";
}

def Needle_AddOp : Needle_BinaryOp<"add", "lhs + rhs", [Commutative]>;
def Needle_MulOp : Needle_BinaryOp<"mul", "lhs * rhs", [Commutative]>;
def Needle_DivOp : Needle_BinaryOp<"div", "lhs / rhs">;
def Needle_PowOp : Needle_BinaryOp<"pow", "lhs ^ rhs">;

class Needle_ScalarOp<string mnemonic, string formula>
    : Needle_Op<mnemonic, [Pure, SameOperandsAndResultType, Needle_Differentiable]> {
  let summary = "element-wise " # formula # " with a scalar";
  let description = [{
    Computes `}] # formula # [{` for every element of `x`; `scalar` is an f64
    attribute applied in the tensor's element type.
  }];
  let arguments = (ins Needle_FloatTensor:$x, F64Attr:$scalar);
  let results = (outs Needle_FloatTensor:$result);
  let assemblyFormat = "$x `,` $scalar attr-dict `:` type($x)";
  let hasFolder = 1;
}

def Needle_AddScalarOp : Needle_ScalarOp<"add_scalar", "x + scalar">;
def Needle_MulScalarOp : Needle_ScalarOp<"mul_scalar", "x * scalar">;
def Needle_DivScalarOp : Needle_ScalarOp<"div_scalar", "x / scalar">;
def Needle_PowerScalarOp : Needle_ScalarOp<"power_scalar", "x ^ scalar"> {
  let description = [{
    Computes `x ^ scalar` for every element of `x`. The exponent may be any
    real number; for a non-integer exponent a negative base gives NaN. The
    gradient is `scalar * x ^ (scalar - 1)` for any exponent (0 for 0).
  }];
}

class Needle_UnaryOp<string mnemonic, string formula, list<Trait> traits = []>
    : Needle_Op<mnemonic, traits # [Pure, SameOperandsAndResultType,
                                    Needle_Differentiable]> {
  let summary = "element-wise " # formula;
  let description = [{ Computes `}] # formula # [{` for every element of `x`. }];
  let arguments = (ins Needle_FloatTensor:$x);
  let results = (outs Needle_FloatTensor:$result);
  let assemblyFormat = "$x attr-dict `:` type($x)";
}

def Needle_NegateOp : Needle_UnaryOp<"negate", "-x", [Involution]>;
def Needle_ExpOp : Needle_UnaryOp<"exp", "e^x">;
def Needle_LogOp : Needle_UnaryOp<"log", "ln(x)">;
def Needle_ReluOp : Needle_UnaryOp<"relu", "max(x, 0)", [Idempotent]> {
  let description = [{
    Computes `max(x, 0)` for every element of `x`. Its derivative is taken as
    0 at 0, as needle does (the gradient is `relu_grad`).
  }];
}
def Needle_TanhOp : Needle_UnaryOp<"tanh", "tanh(x)">;
def Needle_SigmoidOp : Needle_UnaryOp<"sigmoid", "1 / (1 + e^-x)">;

//===----------------------------------------------------------------------===//
// Shape operations
//===----------------------------------------------------------------------===//

def Needle_ReshapeOp : Needle_Op<"reshape", [Pure, InferTypeOpAdaptor, Needle_Differentiable]> {
  let summary = "reshape in row-major order";
  let description = [{
    Reinterprets `x` in row-major order with the shape `shape`. One entry may be
    -1: that dimension is inferred from the element count (it is dynamic when
    `x` has a dynamic dimension). Statically known element counts must agree.

    ```mlir
    %y = needle.reshape %x [-1, 784] : tensor<?x28x28xf32> -> tensor<?x784xf32>
    ```
  }];
  let arguments = (ins Needle_FloatTensor:$x, DenseI64ArrayAttr:$shape);
  let results = (outs Needle_FloatTensor:$result);
  let assemblyFormat = "$x $shape attr-dict `:` type($x) `->` type($result)";
  let hasFolder = 1;
}

def Needle_BroadcastToOp : Needle_Op<"broadcast_to",
    [Pure, InferTypeOpAdaptor, Needle_Differentiable]> {
  let summary = "numpy-style broadcast to a shape";
  let description = [{
    Broadcasts `x` to `shape` with numpy's rules: shapes are aligned on the
    right, a dimension of size 1 is repeated, missing leading dimensions are
    added. A dynamic target dimension takes its size from an `index` operand,
    as in `tensor.empty`:

    ```mlir
    %n = tensor.dim %y, %c0 : tensor<?x10xf32>
    %b = needle.broadcast_to %bias [%n, 10] : tensor<1x10xf32> -> tensor<?x10xf32>
    ```
  }];
  let arguments = (ins Needle_FloatTensor:$x, Variadic<Index>:$dynamic_sizes,
                       DenseI64ArrayAttr:$static_shape);
  let results = (outs Needle_FloatTensor:$result);
  let assemblyFormat = [{
    $x custom<DynamicIndexList>($dynamic_sizes, $static_shape) attr-dict
    `:` type($x) `->` type($result)
  }];
  let builders = [
    OpBuilder<(ins "::mlir::Value":$x, "::llvm::ArrayRef<::mlir::OpFoldResult>":$shape)>
  ];
  let hasFolder = 1;
}

def Needle_TransposeOp : Needle_Op<"transpose", [Pure, InferTypeOpAdaptor, Needle_Differentiable]> {
  let summary = "swap two axes";
  let description = [{
    Swaps the two axes in `axes` (needle's transpose; its default is the last
    two axes, which the builder without `axes` gives).
  }];
  let arguments = (ins Needle_FloatTensor:$x, DenseI64ArrayAttr:$axes);
  let results = (outs Needle_FloatTensor:$result);
  let assemblyFormat = "$x $axes attr-dict `:` type($x) `->` type($result)";
  let builders = [OpBuilder<(ins "::mlir::Value":$x)>];
  let hasFolder = 1;
}

class Needle_ReductionOp<string mnemonic, string what>
    : Needle_Op<mnemonic, [Pure, InferTypeOpAdaptor, Needle_Differentiable]> {
  let summary = what # " over axes";
  let description = [{
    Reduces `x` with }] # what # [{ over `axes` (all axes when absent) and
    removes the reduced axes, as needle does (no keepdims): reducing every axis
    gives a rank-0 tensor. Axes are distinct and in [0, rank).
  }];
  let arguments = (ins Needle_FloatTensor:$x, OptionalAttr<DenseI64ArrayAttr>:$axes);
  let results = (outs Needle_FloatTensor:$result);
  let assemblyFormat =
      "$x (`axes` $axes^)? attr-dict `:` type($x) `->` type($result)";
  let hasFolder = 1;
}

def Needle_SummationOp : Needle_ReductionOp<"summation", "a sum">;
def Needle_LogSumExpOp : Needle_ReductionOp<"logsumexp",
    "log(sum(exp(x))), computed stably as max + log(sum(exp(x - max)))">;

def Needle_MatmulOp : Needle_Op<"matmul", [Pure, InferTypeOpAdaptor, Needle_Differentiable]> {
  let summary = "batched matrix product with needle broadcasting";
  let description = [{
    Multiplies the last two dimensions: `(..., m, k) x (..., k, n) -> (..., m, n)`.
    Leading (batch) dimensions broadcast with numpy's rules; both operands have
    rank 2 or more. The gradient of an operand sums over the batch
    dimensions it was broadcast along.
  }];
  let arguments = (ins Needle_FloatTensor:$lhs, Needle_FloatTensor:$rhs);
  let results = (outs Needle_FloatTensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)";
}

def Needle_StackOp : Needle_Op<"stack", [Pure, InferTypeOpAdaptor, Needle_Differentiable]> {
  let summary = "stack tensors of one shape along a new axis";
  let description = [{
    Stacks one or more tensors of the same shape along a new axis `axis` in
    [0, rank]: the result has rank + 1 dimensions, `axis` of size #inputs.
  }];
  let arguments = (ins Variadic<Needle_FloatTensor>:$inputs, I64Attr:$axis);
  let results = (outs Needle_FloatTensor:$result);
  let assemblyFormat =
      "$inputs `axis` $axis attr-dict `:` type($inputs) `->` type($result)";
}

def Needle_SplitOp : Needle_Op<"split", [Pure, InferTypeOpAdaptor, Needle_Differentiable]> {
  let summary = "split a tensor into the slices of one axis";
  let description = [{
    The inverse of `stack`: one result per index of `axis` (whose size must
    be static), each with that axis removed.
  }];
  let arguments = (ins Needle_FloatTensor:$x, I64Attr:$axis);
  let results = (outs Variadic<Needle_FloatTensor>:$results);
  let assemblyFormat =
      "$x `axis` $axis attr-dict `:` type($x) `->` type($results)";
}

def Needle_FlipOp : Needle_Op<"flip", [Pure, SameOperandsAndResultType, Needle_Differentiable]> {
  let summary = "reverse the order of elements along axes";
  let description = [{ Reverses `x` along each of `axes` (distinct, in [0, rank)). }];
  let arguments = (ins Needle_FloatTensor:$x, DenseI64ArrayAttr:$axes);
  let results = (outs Needle_FloatTensor:$result);
  let assemblyFormat = "$x $axes attr-dict `:` type($x)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Neural-network operations
//===----------------------------------------------------------------------===//

defvar Needle_BatchNormOperands = (ins Needle_FloatTensor:$x,
    Needle_FloatTensor:$weight, Needle_FloatTensor:$bias,
    Needle_FloatTensor:$running_mean, Needle_FloatTensor:$running_var);
defvar Needle_BatchNormFormat = [{
  $x `,` $weight `,` $bias `,` $running_mean `,` $running_var attr-dict `:`
  type($x) `,` custom<SameTypes>(type($weight), type($bias), type($running_mean),
                                 type($running_var))
}];

def Needle_BatchNormOp : Needle_Op<"batch_norm", [Pure, InferTypeOpAdaptor, Needle_Differentiable]> {
  let summary = "BatchNorm1d as traced, before mode specialisation";
  let description = [{
    needle's BatchNorm1d on `x` of shape (N, C) with per-feature `weight`,
    `bias`, `running_mean` and `running_var` of shape (C). Its meaning depends
    on the mode: `needle-specialize` rewrites it into `batch_norm_train` plus
    writes of the running statistics, or into `batch_norm_infer`.
    Autodiff refuses it (specialise first).
  }];
  let arguments = !con(Needle_BatchNormOperands,
      (ins DefaultValuedAttr<F64Attr, "1e-5">:$eps,
           DefaultValuedAttr<F64Attr, "0.1">:$momentum));
  let results = (outs Needle_FloatTensor:$y);
  let assemblyFormat = Needle_BatchNormFormat;
  let hasVerifier = 1;
}

def Needle_BatchNormTrainOp : Needle_Op<"batch_norm_train", [Pure, InferTypeOpAdaptor, Needle_Differentiable]> {
  let summary = "BatchNorm1d, training form";
  let description = [{
    Normalises with batch statistics: `mean = sum(x, 0) / N`,
    `var = sum((x - mean)^2, 0) / N` (biased), `invstd = 1 / sqrt(var + eps)`,
    `y = weight * (x - mean) * invstd + bias`. Returns also `mean` and `invstd`
    (the fused gradient needs them) and the new running statistics
    `(1 - momentum) * running + momentum * stat`, where the variance statistic
    is the biased `var`, or `var * N / (N - 1)` with `unbiased_running_var`
    (PyTorch's behaviour). The op is pure: writing the new statistics back is
    the caller's job. A batch of one is allowed (var = 0).
  }];
  let arguments = !con(Needle_BatchNormOperands,
      (ins DefaultValuedAttr<F64Attr, "1e-5">:$eps,
           DefaultValuedAttr<F64Attr, "0.1">:$momentum,
           UnitAttr:$unbiased_running_var));
  let results = (outs Needle_FloatTensor:$y, Needle_FloatTensor:$batch_mean,
      Needle_FloatTensor:$batch_invstd, Needle_FloatTensor:$new_running_mean,
      Needle_FloatTensor:$new_running_var);
  let assemblyFormat = Needle_BatchNormFormat;
  let hasVerifier = 1;
}

def Needle_BatchNormInferOp : Needle_Op<"batch_norm_infer", [Pure, InferTypeOpAdaptor, Needle_Differentiable]> {
  let summary = "BatchNorm1d, inference form";
  let description = [{
    `y = weight * (x - running_mean) / sqrt(running_var + eps) + bias`: a
    per-feature scale and shift; no state changes.
  }];
  let arguments = !con(Needle_BatchNormOperands,
      (ins DefaultValuedAttr<F64Attr, "1e-5">:$eps));
  let results = (outs Needle_FloatTensor:$y);
  let assemblyFormat = Needle_BatchNormFormat;
  let hasVerifier = 1;
}

def Needle_BatchNormTrainGradOp : Needle_Op<"batch_norm_train_grad",
    [Pure, InferTypeOpAdaptor, Needle_Differentiable]> {
  let summary = "closed-form gradient of batch_norm_train";
  let description = [{
    With `xhat = (x - batch_mean) * batch_invstd`:
    `grad_x = weight * batch_invstd / N * (N * grad_y - sum(grad_y, 0) - xhat * sum(grad_y * xhat, 0))`,
    `grad_weight = sum(grad_y * xhat, 0)`, `grad_bias = sum(grad_y, 0)`.
    Autodiff builds it for `batch_norm_train`; it has no gradient itself
    (second-order gradients of BatchNorm are refused with a diagnostic).
  }];
  let arguments = (ins Needle_FloatTensor:$grad_y, Needle_FloatTensor:$x,
      Needle_FloatTensor:$weight, Needle_FloatTensor:$batch_mean,
      Needle_FloatTensor:$batch_invstd);
  let results = (outs Needle_FloatTensor:$grad_x, Needle_FloatTensor:$grad_weight,
      Needle_FloatTensor:$grad_bias);
  let assemblyFormat = [{
    $grad_y `,` $x `,` $weight `,` $batch_mean `,` $batch_invstd attr-dict `:`
    custom<SameTypes>(type($grad_y), type($x)) `,`
    custom<SameTypes>(type($weight), type($batch_mean), type($batch_invstd))
  }];
}

def Needle_DropoutOp : Needle_Op<"dropout", [SameOperandsAndResultType, Needle_Differentiable]> {
  let summary = "Dropout as traced, before mode specialisation";
  let description = [{
    needle's Dropout(p): in training, each element is zeroed with probability
    `p` and kept ones are scaled by 1 / (1 - p); in inference it is the
    identity. `p` is in [0, 1). Not `Pure`: in training it draws random bits.
    Autodiff refuses it (specialise first).
  }];
  let arguments = (ins Needle_FloatTensor:$x, F64Attr:$p);
  let results = (outs Needle_FloatTensor:$result);
  let assemblyFormat = "$x `,` $p attr-dict `:` type($x)";
  let hasVerifier = 1;
}

def Needle_OneHotOp : Needle_Op<"one_hot", [Pure,
    Needle_NonDifferentiable<"its operand is integer labels and its result is piecewise constant">]> {
  let summary = "one-hot encoding of integer labels";
  let description = [{
    Maps integer labels of shape S to a float tensor of shape S x
    `num_classes`: 1 at the label's index, 0 elsewhere (a label outside
    [0, num_classes) gives a zero row). The element type is the result's.
  }];
  let arguments = (ins Needle_IntTensor:$labels, I64Attr:$num_classes);
  let results = (outs Needle_FloatTensor:$result);
  let assemblyFormat =
      "$labels `,` $num_classes attr-dict `:` type($labels) `->` type($result)";
  let builders = [OpBuilder<(ins "::mlir::Value":$labels, "int64_t":$numClasses,
                                 "::mlir::Type":$elementType)>];
  let hasVerifier = 1;
}

def Needle_SoftmaxLossOp : Needle_Op<"softmax_loss", [Pure, InferTypeOpAdaptor, Needle_Differentiable]> {
  let summary = "mean softmax cross-entropy (needle's SoftmaxLoss)";
  let description = [{
    For logits (N, K) and integer labels (N):
    `sum(logsumexp(logits, 1) - sum(logits * one_hot(labels), 1)) / N`,
    a rank-0 tensor. logsumexp is computed stably (max subtracted).
  }];
  let arguments = (ins Needle_FloatTensor:$logits, Needle_IntTensor:$labels);
  let results = (outs Needle_ScalarFloatTensor:$loss);
  let assemblyFormat =
      "$logits `,` $labels attr-dict `:` type($logits) `,` type($labels) `->` type($loss)";
}

def Needle_ReluGradOp : Needle_Op<"relu_grad",
    [Pure, InferTypeOpAdaptor, Needle_Differentiable]> {
  let summary = "gradient of relu: grad_y where x > 0, else 0";
  let description = [{
    The vector-Jacobian product of `relu`: `grad_y` where `x > 0` and 0
    elsewhere (at 0 and for NaN too: relu's derivative at 0 is taken as 0).
    Both operands have the same shape and element type; the result has that
    shape, static wherever either operand's is.
  }];
  let arguments = (ins Needle_FloatTensor:$grad_y, Needle_FloatTensor:$x);
  let results = (outs Needle_FloatTensor:$grad_x);
  let assemblyFormat =
      "$grad_y `,` $x attr-dict `:` custom<SameTypes>(type($grad_y), type($x))";
}

//===----------------------------------------------------------------------===//
// Variables
//===----------------------------------------------------------------------===//

def Needle_VariableOp : Needle_Op<"variable",
    [Symbol, HasParent<"::mlir::ModuleOp">,
     Needle_NonDifferentiable<"a declaration: it computes nothing">]> {
  let summary = "a module-level variable: parameter, buffer or optimizer state";
  let description = [{
    Declares state that lives in the runtime between calls: `kind` is
    `parameter` (trained), `buffer` (updated, never differentiated, e.g.
    BatchNorm running statistics) or `optimizer_state`. The type has a static
    shape. `initializer` says how the runtime creates it; variables are
    initialised in declaration order from one random stream.

    ```mlir
    needle.variable parameter @"0.weight" : tensor<784x100xf32>
        = #needle.kaiming_uniform<fan_in = 784, fan_out = 100, gain = 1.4142135623730951>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
      TypeAttrOf<AnyRankedTensor>:$type, Needle_VariableKind:$kind,
      Needle_InitializerAttr:$initializer);
  let assemblyFormat =
      "$kind $sym_name `:` $type `=` $initializer attr-dict";
  let extraClassDeclaration = [{
    ::mlir::RankedTensorType getTensorType() {
      return ::llvm::cast<::mlir::RankedTensorType>(getType());
    }
  }];
  let hasVerifier = 1;
}

def Needle_ReadOp : Needle_Op<"read",
    [DeclareOpInterfaceMethods<SymbolUserOpInterface>, MemoryEffects<[MemRead]>,
     Needle_Differentiable]> {
  let summary = "read the current value of a variable";
  let description = [{
    The current value of a variable. Gradients reach parameters through
    their reads (autodiff sums the cotangents of every read of a parameter);
    reads of buffers and optimizer state are constants to autodiff.
  }];
  let arguments = (ins FlatSymbolRefAttr:$variable);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$variable attr-dict `:` type($result)";
  let builders = [OpBuilder<(ins "::mlir::needle::VariableOp":$variable)>];
}

def Needle_WriteOp : Needle_Op<"write",
    [DeclareOpInterfaceMethods<SymbolUserOpInterface>, MemoryEffects<[MemWrite]>,
     Needle_NonDifferentiable<"a state update: buffers are not differentiated">]> {
  let summary = "replace the value of a variable";
  let description = [{
    Later reads in the same call see `value`; the runtime keeps it for later
    calls. The type matches the variable's.
  }];
  let arguments = (ins FlatSymbolRefAttr:$variable, AnyRankedTensor:$value);
  let assemblyFormat = "$variable `,` $value attr-dict `:` type($value)";
}

#endif // NEEDLE_OPS_TD
