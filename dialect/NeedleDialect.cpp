//===- NeedleDialect.cpp - the needle dialect -----------------------------===//
#include "dialect/NeedleDialect.h"
#include "dialect/NeedleAttrs.h"
#include "dialect/NeedleOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::needle;

FailureOr<llvm::APFloat> mlir::needle::parseF64Parameter(AsmParser &parser) {
  double value;
  if (parser.parseFloat(value))
    return failure();
  return llvm::APFloat(value);
}

#include "dialect/NeedleDialect.cpp.inc"
#include "dialect/NeedleEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialect/NeedleAttrs.cpp.inc"

void NeedleDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialect/NeedleOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialect/NeedleAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Initializer verifiers
//===----------------------------------------------------------------------===//

LogicalResult RandAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               APFloat lowValue, APFloat highValue) {
  double low = lowValue.convertToDouble(), high = highValue.convertToDouble();
  if (!std::isfinite(low) || !std::isfinite(high) || low > high)
    return emitError() << "rand needs finite low <= high, got low = " << low
                       << ", high = " << high;
  return success();
}

LogicalResult RandnAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                APFloat meanValue, APFloat stdValue) {
  double mean = meanValue.convertToDouble(), std = stdValue.convertToDouble();
  if (!std::isfinite(mean) || !std::isfinite(std) || std < 0)
    return emitError() << "randn needs a finite mean and std >= 0, got mean = "
                       << mean << ", std = " << std;
  return success();
}

static LogicalResult verifyFans(function_ref<InFlightDiagnostic()> emitError,
                                StringRef name, int64_t fanIn, int64_t fanOut,
                                double gain) {
  if (fanIn <= 0 || fanOut < 0)
    return emitError() << name << " needs fan_in > 0 and fan_out >= 0, got fan_in = "
                       << fanIn << ", fan_out = " << fanOut;
  if (!std::isfinite(gain) || gain <= 0)
    return emitError() << name << " needs a finite positive gain, got " << gain;
  return success();
}

#define NEEDLE_FAN_VERIFY(ATTR, NAME)                                          \
  LogicalResult ATTR::verify(function_ref<InFlightDiagnostic()> emitError,     \
                             int64_t fanIn, int64_t fanOut, APFloat gain) {    \
    return verifyFans(emitError, NAME, fanIn, fanOut, gain.convertToDouble()); \
  }
NEEDLE_FAN_VERIFY(KaimingUniformAttr, "kaiming_uniform")
NEEDLE_FAN_VERIFY(KaimingNormalAttr, "kaiming_normal")
NEEDLE_FAN_VERIFY(XavierUniformAttr, "xavier_uniform")
NEEDLE_FAN_VERIFY(XavierNormalAttr, "xavier_normal")
#undef NEEDLE_FAN_VERIFY
