//===- NeedleAttrs.h - variable kinds and initializers ----------*- C++ -*-===//
#ifndef NEEDLE_DIALECT_NEEDLEATTRS_H
#define NEEDLE_DIALECT_NEEDLEATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "dialect/NeedleEnums.h.inc"

namespace mlir::needle {
/// Parses a float literal (1.0, -2.5e-3, or the hexadecimal bit pattern MLIR
/// prints for infinities and NaN) as an f64 APFloat. A decimal integer literal
/// is refused, as for builtin float attributes: write 1.0, not 1.
FailureOr<llvm::APFloat> parseF64Parameter(AsmParser &parser);
} // namespace mlir::needle

#define GET_ATTRDEF_CLASSES
#include "dialect/NeedleAttrs.h.inc"

#endif // NEEDLE_DIALECT_NEEDLEATTRS_H
