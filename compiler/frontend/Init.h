//===- Init.h - needle's parameter initialisers -----------------*- C++ -*-===//
//
// needle's init functions (python/needle/init) as descriptions: a module
// records how each variable is created, and the runtime creates it from the
// seed in declaration order, so a traced model starts from the same values as
// needle after np.random.seed(seed).
//
//===----------------------------------------------------------------------===//
#ifndef NEEDLE_COMPILER_FRONTEND_INIT_H
#define NEEDLE_COMPILER_FRONTEND_INIT_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/Location.h"

#include <cstdint>

namespace needle::init {

/// How a variable is created; the arguments each kind uses are named after
/// needle's.
struct Initializer {
  enum class Kind {
    Zeros,
    Ones,
    Constant,
    Rand,
    Randn,
    KaimingUniform,
    KaimingNormal,
    XavierUniform,
    XavierNormal
  };
  Kind kind = Kind::Zeros;
  double value = 0.0;            // constant
  double low = 0.0, high = 1.0;  // rand
  double mean = 0.0, std = 1.0;  // randn
  int64_t fanIn = 0, fanOut = 0; // kaiming_*, xavier_*
  double gain = 1.0;             // kaiming_*, xavier_*
};

Initializer zeros();
Initializer ones();
Initializer constant(double value);
Initializer rand(double low = 0.0, double high = 1.0);
Initializer randn(double mean = 0.0, double std = 1.0);
/// needle's kaiming_* take nonlinearity="relu" only: gain sqrt(2).
Initializer kaiming_uniform(int64_t fanIn, int64_t fanOut);
Initializer kaiming_normal(int64_t fanIn, int64_t fanOut);
Initializer xavier_uniform(int64_t fanIn, int64_t fanOut, double gain = 1.0);
Initializer xavier_normal(int64_t fanIn, int64_t fanOut, double gain = 1.0);

/// The dialect's initializer attribute; null (after a diagnostic at `loc`)
/// when the arguments are invalid, e.g. fan_in 0 from a Linear(0, n).
mlir::Attribute toAttribute(const Initializer &init, mlir::Location loc);

} // namespace needle::init

#endif // NEEDLE_COMPILER_FRONTEND_INIT_H
