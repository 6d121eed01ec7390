//===- Tensor.cpp - symbolic tensors that record needle ops ---------------===//
#include "compiler/frontend/Tensor.h"
#include "compiler/frontend/Tracer.h"

#include "dialect/NeedleOps.h"
#include "dialect/NeedleShapes.h"

namespace needle::frontend {

using namespace mlir;
using namespace mlir::needle;

//===----------------------------------------------------------------------===//
// Types and sizes
//===----------------------------------------------------------------------===//

RankedTensorType Tensor::type() const {
  return value_ ? llvm::cast<RankedTensorType>(value_.getType()) : RankedTensorType();
}

int64_t Tensor::rank() const { return value_ ? type().getRank() : 0; }

std::vector<int64_t> Tensor::staticShape() const {
  if (!value_)
    return {};
  return std::vector<int64_t>(type().getShape().begin(), type().getShape().end());
}

Dim Tensor::dim(int64_t axis) const {
  if (!value_ || !tracer_)
    return Dim(kDynamic);
  return tracer_->dim(value_, axis);
}

Shape Tensor::shape() const {
  Shape sizes;
  for (int64_t axis = 0; axis < rank(); ++axis)
    sizes.push_back(dim(axis));
  return sizes;
}

Tensor Tensor::matmul(const Tensor &rhs) const { return frontend::matmul(*this, rhs); }
Tensor Tensor::reshape(ArrayRef<Dim> shape) const {
  return frontend::reshape(*this, shape);
}
Tensor Tensor::broadcast_to(ArrayRef<Dim> shape) const {
  return frontend::broadcast_to(*this, shape);
}
Tensor Tensor::transpose(std::optional<std::pair<int64_t, int64_t>> axes) const {
  return frontend::transpose(*this, axes);
}
Tensor Tensor::sum(std::optional<std::vector<int64_t>> axes) const {
  return summation(*this, std::move(axes));
}

//===----------------------------------------------------------------------===//
// Element-wise operations
//===----------------------------------------------------------------------===//

namespace {
template <typename OpT>
Tensor binary(StringRef name, const Tensor &lhs, const Tensor &rhs) {
  Tracer *tracer = Tracer::of(name, {lhs, rhs});
  if (!tracer)
    return {};
  return tracer->result(tracer->build<OpT>({lhs.value(), rhs.value()}));
}

/// Ops whose result has the operand's type: scalar and unary ops, dropout,
/// flip. `fill` sets the op's attributes.
template <typename OpT>
Tensor
sameType(StringRef name, const Tensor &x,
         function_ref<void(typename OpT::Properties &, Builder &)> fill = nullptr) {
  Tracer *tracer = Tracer::of(name, {x});
  if (!tracer)
    return {};
  typename OpT::Properties properties;
  Builder builder(&tracer->context());
  if (fill)
    fill(properties, builder);
  return tracer->result(tracer->build<OpT>({x.value()}, properties, {x.type()}));
}

template <typename OpT> Tensor scalarOp(StringRef name, const Tensor &x, double scalar) {
  return sameType<OpT>(name, x,
                       [&](typename OpT::Properties &properties, Builder &builder) {
                         properties.scalar = builder.getF64FloatAttr(scalar);
                       });
}
} // namespace

Tensor operator+(const Tensor &lhs, const Tensor &rhs) {
  return binary<AddOp>("add", lhs, rhs);
}
Tensor operator*(const Tensor &lhs, const Tensor &rhs) {
  return binary<MulOp>("mul", lhs, rhs);
}
Tensor operator/(const Tensor &lhs, const Tensor &rhs) {
  return binary<DivOp>("div", lhs, rhs);
}
// needle: a - b = a + (-b).
Tensor operator-(const Tensor &lhs, const Tensor &rhs) { return lhs + (-rhs); }
Tensor pow(const Tensor &base, const Tensor &exponent) {
  return binary<PowOp>("pow", base, exponent);
}

Tensor operator+(const Tensor &x, double scalar) {
  return scalarOp<AddScalarOp>("add_scalar", x, scalar);
}
Tensor operator-(const Tensor &x, double scalar) {
  return scalarOp<AddScalarOp>("add_scalar", x, -scalar);
}
Tensor operator*(const Tensor &x, double scalar) {
  return scalarOp<MulScalarOp>("mul_scalar", x, scalar);
}
Tensor operator/(const Tensor &x, double scalar) {
  return scalarOp<DivScalarOp>("div_scalar", x, scalar);
}
Tensor operator+(double scalar, const Tensor &x) { return x + scalar; }
Tensor operator-(double scalar, const Tensor &x) { return -x + scalar; }
Tensor operator*(double scalar, const Tensor &x) { return x * scalar; }
Tensor operator/(double scalar, const Tensor &x) { return pow(x, -1.0) * scalar; }
Tensor pow(const Tensor &base, double exponent) {
  return scalarOp<PowerScalarOp>("power_scalar", base, exponent);
}

Tensor operator-(const Tensor &x) { return sameType<NegateOp>("negate", x); }
Tensor exp(const Tensor &x) { return sameType<ExpOp>("exp", x); }
Tensor log(const Tensor &x) { return sameType<LogOp>("log", x); }
Tensor relu(const Tensor &x) { return sameType<ReluOp>("relu", x); }
Tensor tanh(const Tensor &x) { return sameType<TanhOp>("tanh", x); }
Tensor sigmoid(const Tensor &x) { return sameType<SigmoidOp>("sigmoid", x); }

//===----------------------------------------------------------------------===//
// Shape operations
//===----------------------------------------------------------------------===//

Tensor matmul(const Tensor &lhs, const Tensor &rhs) {
  return binary<MatmulOp>("matmul", lhs, rhs);
}

Tensor reshape(const Tensor &x, ArrayRef<Dim> shape) {
  Tracer *tracer = Tracer::of("reshape", {x});
  if (!tracer)
    return {};
  // The op's shape is static but for one -1, inferred from the element
  // count: a run-time size is that -1.
  SmallVector<int64_t> target;
  for (const Dim &dim : shape)
    target.push_back(dim.isStatic() ? dim.size() : -1);
  if (llvm::count(target, -1) > 1) {
    tracer->fail("'needle.reshape' of operand of shape " + formatShape(x.type()) +
                 " to " + formatShape(target) +
                 ": at most one dimension may be dynamic or -1");
    return {};
  }
  ReshapeOp::Properties properties;
  properties.shape = DenseI64ArrayAttr::get(&tracer->context(), target);
  return tracer->result(tracer->build<ReshapeOp>({x.value()}, properties));
}

Tensor broadcast_to(const Tensor &x, ArrayRef<Dim> shape) {
  Tracer *tracer = Tracer::of("broadcast_to", {x});
  if (!tracer)
    return {};
  SmallVector<Value> operands{x.value()};
  SmallVector<int64_t> target;
  for (const Dim &dim : shape) {
    target.push_back(dim.size());
    if (dim.isStatic())
      continue;
    if (!dim.value()) {
      tracer->fail("'needle.broadcast_to' of operand of shape " + formatShape(x.type()) +
                   " to " + formatShape(target) +
                   ": a dynamic size must come from Tensor::dim");
      return {};
    }
    operands.push_back(dim.value());
  }
  BroadcastToOp::Properties properties;
  properties.static_shape = DenseI64ArrayAttr::get(&tracer->context(), target);
  return tracer->result(tracer->build<BroadcastToOp>(operands, properties));
}

Tensor transpose(const Tensor &x, std::optional<std::pair<int64_t, int64_t>> axes) {
  Tracer *tracer = Tracer::of("transpose", {x});
  if (!tracer)
    return {};
  if (!axes && x.rank() < 2) {
    tracer->fail("'needle.transpose' of operand of shape " + formatShape(x.type()) +
                 ": the default axes are the last two, which needs rank 2 or more");
    return {};
  }
  std::pair<int64_t, int64_t> pair =
      axes.value_or(std::make_pair(x.rank() - 2, x.rank() - 1));
  TransposeOp::Properties properties;
  properties.axes = DenseI64ArrayAttr::get(&tracer->context(), {pair.first, pair.second});
  return tracer->result(tracer->build<TransposeOp>({x.value()}, properties));
}

template <typename OpT>
static Tensor reduction(StringRef name, const Tensor &x,
                        const std::optional<std::vector<int64_t>> &axes) {
  Tracer *tracer = Tracer::of(name, {x});
  if (!tracer)
    return {};
  typename OpT::Properties properties;
  if (axes)
    properties.axes = DenseI64ArrayAttr::get(&tracer->context(), *axes);
  return tracer->result(tracer->build<OpT>({x.value()}, properties));
}

Tensor summation(const Tensor &x, std::optional<std::vector<int64_t>> axes) {
  return reduction<SummationOp>("summation", x, axes);
}

Tensor logsumexp(const Tensor &x, std::optional<std::vector<int64_t>> axes) {
  return reduction<LogSumExpOp>("logsumexp", x, axes);
}

Tensor stack(ArrayRef<Tensor> tensors, int64_t axis) {
  Tracer *tracer = Tracer::of("stack", tensors);
  if (!tracer)
    return {};
  SmallVector<Value> operands;
  for (const Tensor &tensor : tensors)
    operands.push_back(tensor.value());
  StackOp::Properties properties;
  properties.axis = IntegerAttr::get(IntegerType::get(&tracer->context(), 64), axis);
  return tracer->result(tracer->build<StackOp>(operands, properties));
}

std::vector<Tensor> split(const Tensor &x, int64_t axis) {
  Tracer *tracer = Tracer::of("split", {x});
  if (!tracer)
    return {};
  SplitOp::Properties properties;
  properties.axis = IntegerAttr::get(IntegerType::get(&tracer->context(), 64), axis);
  Operation *op = tracer->build<SplitOp>({x.value()}, properties);
  std::vector<Tensor> results;
  if (op)
    for (unsigned i = 0; i < op->getNumResults(); ++i)
      results.push_back(tracer->result(op, i));
  return results;
}

Tensor flip(const Tensor &x, ArrayRef<int64_t> axes) {
  return sameType<FlipOp>("flip", x,
                          [&](FlipOp::Properties &properties, Builder &builder) {
                            properties.axes = builder.getDenseI64ArrayAttr(axes);
                          });
}

Tensor one_hot(const Tensor &labels, int64_t numClasses, DType dtype) {
  Tracer *tracer = Tracer::of("one_hot", {labels});
  if (!tracer)
    return {};
  // The result type follows the labels' shape; a bad count or a float
  // labels tensor is the verifier's to report.
  SmallVector<int64_t> shape(labels.type().getShape());
  shape.push_back(numClasses < 0 ? 0 : numClasses);
  auto type = RankedTensorType::get(shape, toElementType(tracer->context(), dtype));
  OneHotOp::Properties properties;
  properties.num_classes =
      IntegerAttr::get(IntegerType::get(&tracer->context(), 64), numClasses);
  return tracer->result(tracer->build<OneHotOp>({labels.value()}, properties, {type}));
}

//===----------------------------------------------------------------------===//
// nn-level operations
//===----------------------------------------------------------------------===//

Tensor batch_norm(const Tensor &x, const Tensor &weight, const Tensor &bias,
                  const Tensor &runningMean, const Tensor &runningVar, double eps,
                  double momentum) {
  Tracer *tracer = Tracer::of("batch_norm", {x, weight, bias, runningMean, runningVar});
  if (!tracer)
    return {};
  Builder builder(&tracer->context());
  BatchNormOp::Properties properties;
  properties.eps = builder.getF64FloatAttr(eps);
  properties.momentum = builder.getF64FloatAttr(momentum);
  return tracer->result(tracer->build<BatchNormOp>(
      {x.value(), weight.value(), bias.value(), runningMean.value(), runningVar.value()},
      properties));
}

Tensor dropout(const Tensor &x, double p) {
  return sameType<DropoutOp>("dropout", x,
                             [&](DropoutOp::Properties &properties, Builder &builder) {
                               properties.p = builder.getF64FloatAttr(p);
                             });
}

Tensor softmax_loss(const Tensor &logits, const Tensor &labels) {
  return binary<SoftmaxLossOp>("softmax_loss", logits, labels);
}

} // namespace needle::frontend
