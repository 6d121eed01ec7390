//===- NeedleShapes.h - shape rules shared by needle ops --------*- C++ -*-===//
//
// Shape arithmetic with dynamic dimensions, used by type inference and by the
// frontend. A dynamic dimension is ShapedType::kDynamic and is compatible with
// any size.
//
//===----------------------------------------------------------------------===//
#ifndef NEEDLE_DIALECT_NEEDLESHAPES_H
#define NEEDLE_DIALECT_NEEDLESHAPES_H

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <string>

namespace mlir::needle {

/// "[4, ?, 10]": how diagnostics print shapes.
std::string formatShape(ArrayRef<int64_t> shape);
std::string formatShape(Type type);

/// Whether two dimensions can be equal at run time.
bool areCompatibleDims(int64_t a, int64_t b);

/// The more static of two compatible dimensions.
int64_t joinDims(int64_t a, int64_t b);

/// Equal ranks and pairwise compatible dimensions.
bool areCompatibleShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b);

/// numpy broadcasting of two shapes (right-aligned; size 1 stretches). None
/// when two static dimensions differ and neither is 1.
std::optional<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> a,
                                                    ArrayRef<int64_t> b);

} // namespace mlir::needle

#endif // NEEDLE_DIALECT_NEEDLESHAPES_H
