//===- NeedleAttrs.h - variable kinds and initializers ----------*- C++ -*-===//
#ifndef NEEDLE_DIALECT_NEEDLEATTRS_H
#define NEEDLE_DIALECT_NEEDLEATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "dialect/NeedleEnums.h.inc"

namespace mlir::needle {
/// Parses a float literal (an integer literal is accepted) as an f64 APFloat.
FailureOr<llvm::APFloat> parseF64Parameter(AsmParser &parser);
} // namespace mlir::needle

#define GET_ATTRDEF_CLASSES
#include "dialect/NeedleAttrs.h.inc"

#endif // NEEDLE_DIALECT_NEEDLEATTRS_H
