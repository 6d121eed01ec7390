//===- DifferentiableOpInterface.h - per-op VJPs ----------------*- C++ -*-===//
#ifndef NEEDLE_DIALECT_DIFFERENTIABLEOPINTERFACE_H
#define NEEDLE_DIALECT_DIFFERENTIABLEOPINTERFACE_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpDefinition.h"

namespace mlir::needle::OpTrait {
/// Marks an op whose results autodiff treats as constants (see
/// DifferentiableOpInterface.td); the op gets a static
/// getNonDifferentiableReason() from its ODS declaration.
template <typename ConcreteType>
class NonDifferentiable
    : public ::mlir::OpTrait::TraitBase<ConcreteType, NonDifferentiable> {};
} // namespace mlir::needle::OpTrait

#include "dialect/DifferentiableOpInterface.h.inc"

#endif // NEEDLE_DIALECT_DIFFERENTIABLEOPINTERFACE_H
