//===- Init.cpp - needle's parameter initialisers -------------------------===//
#include "compiler/frontend/Init.h"

#include "dialect/NeedleAttrs.h"

#include "mlir/IR/Diagnostics.h"

#include <cmath>

namespace needle::init {

using Kind = Initializer::Kind;

Initializer zeros() { return Initializer{Kind::Zeros}; }
Initializer ones() { return Initializer{Kind::Ones}; }

Initializer constant(double value) {
  Initializer init{Kind::Constant};
  init.value = value;
  return init;
}

Initializer rand(double low, double high) {
  Initializer init{Kind::Rand};
  init.low = low;
  init.high = high;
  return init;
}

Initializer randn(double mean, double std) {
  Initializer init{Kind::Randn};
  init.mean = mean;
  init.std = std;
  return init;
}

static Initializer fanInit(Kind kind, int64_t fanIn, int64_t fanOut, double gain) {
  Initializer init{kind};
  init.fanIn = fanIn;
  init.fanOut = fanOut;
  init.gain = gain;
  return init;
}

Initializer kaiming_uniform(int64_t fanIn, int64_t fanOut) {
  return fanInit(Kind::KaimingUniform, fanIn, fanOut, std::sqrt(2.0));
}
Initializer kaiming_normal(int64_t fanIn, int64_t fanOut) {
  return fanInit(Kind::KaimingNormal, fanIn, fanOut, std::sqrt(2.0));
}
Initializer xavier_uniform(int64_t fanIn, int64_t fanOut, double gain) {
  return fanInit(Kind::XavierUniform, fanIn, fanOut, gain);
}
Initializer xavier_normal(int64_t fanIn, int64_t fanOut, double gain) {
  return fanInit(Kind::XavierNormal, fanIn, fanOut, gain);
}

mlir::Attribute toAttribute(const Initializer &init, mlir::Location loc) {
  using namespace mlir::needle;
  mlir::MLIRContext *context = loc.getContext();
  auto emitError = [&] { return mlir::emitError(loc); };
  llvm::APFloat gain(init.gain);
  switch (init.kind) {
  case Kind::Zeros:
    return ZerosAttr::get(context);
  case Kind::Ones:
    return OnesAttr::get(context);
  case Kind::Constant:
    return ConstantAttr::get(context, llvm::APFloat(init.value));
  case Kind::Rand:
    return RandAttr::getChecked(emitError, context, llvm::APFloat(init.low),
                                llvm::APFloat(init.high));
  case Kind::Randn:
    return RandnAttr::getChecked(emitError, context, llvm::APFloat(init.mean),
                                 llvm::APFloat(init.std));
  case Kind::KaimingUniform:
    return KaimingUniformAttr::getChecked(emitError, context, init.fanIn, init.fanOut,
                                          gain);
  case Kind::KaimingNormal:
    return KaimingNormalAttr::getChecked(emitError, context, init.fanIn, init.fanOut,
                                         gain);
  case Kind::XavierUniform:
    return XavierUniformAttr::getChecked(emitError, context, init.fanIn, init.fanOut,
                                         gain);
  case Kind::XavierNormal:
    return XavierNormalAttr::getChecked(emitError, context, init.fanIn, init.fanOut,
                                        gain);
  }
  return {};
}

} // namespace needle::init
