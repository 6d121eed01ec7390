//===- NeedleOps.h - needle operations --------------------------*- C++ -*-===//
#ifndef NEEDLE_DIALECT_NEEDLEOPS_H
#define NEEDLE_DIALECT_NEEDLEOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialect/DifferentiableOpInterface.h"
#include "dialect/NeedleAttrs.h"
#include "dialect/NeedleDialect.h"

#define GET_OP_CLASSES
#include "dialect/NeedleOps.h.inc"

#endif // NEEDLE_DIALECT_NEEDLEOPS_H
