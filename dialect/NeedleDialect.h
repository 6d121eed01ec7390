//===- NeedleDialect.h - the needle dialect ---------------------*- C++ -*-===//
#ifndef NEEDLE_DIALECT_NEEDLEDIALECT_H
#define NEEDLE_DIALECT_NEEDLEDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialect/NeedleDialect.h.inc"

#endif // NEEDLE_DIALECT_NEEDLEDIALECT_H
