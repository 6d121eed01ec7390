//===- Passes.h - passes on the needle dialect ------------------*- C++ -*-===//
#ifndef NEEDLE_COMPILER_TRANSFORMS_PASSES_H
#define NEEDLE_COMPILER_TRANSFORMS_PASSES_H

#include "dialect/NeedleDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir::needle {

#define GEN_PASS_DECL
#include "compiler/transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/transforms/Passes.h.inc"

} // namespace mlir::needle

#endif // NEEDLE_COMPILER_TRANSFORMS_PASSES_H
