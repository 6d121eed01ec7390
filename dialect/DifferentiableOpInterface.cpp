//===- DifferentiableOpInterface.cpp - per-op VJPs ------------------------===//
//
// The interface's generated definitions; the ops' VJPs live beside their
// families: ElementwiseVJPs.cpp, ShapeVJPs.cpp, NNVJPs.cpp.
//
//===----------------------------------------------------------------------===//
#include "dialect/DifferentiableOpInterface.h"

#include "dialect/DifferentiableOpInterface.cpp.inc"
