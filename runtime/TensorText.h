// Tensors as text, for tools and embedders: parsing inline tensors such as
// "2x3xf32=1 2 3 4 5 6" and printing tensors readably (numpy-style nested
// brackets, elided with "..." when large).
#pragma once

#include "runtime/Status.h"
#include "runtime/Tensor.h"

#include <string>
#include <string_view>

namespace needle::runtime {

/// "DIMxDIMx...xDTYPE=VALUES": dims are non-negative integers, the dtype is
/// f32/f64/i32/i64, values are separated by spaces and/or commas and must
/// number exactly the product of the dims. A scalar has no dims ("f32=1.5");
/// an empty tensor has no values ("0x3xf32="). Floats accept inf and nan;
/// integers must be integral and in range.
StatusOr<Tensor> parseTensorLiteral(std::string_view text);

/// "@PATH" reads a .npy file; anything else is a literal.
StatusOr<Tensor> parseTensorArgument(std::string_view text);

/// A value for a variable of the given dtype and shape: a bare number
/// ("0.5") fills every element; otherwise a tensor argument, which must have
/// exactly that dtype and shape.
StatusOr<Tensor> parseVariableValue(std::string_view text, DType dtype,
                                    const Shape &shape);

struct TensorFormat {
  /// Tensors with more elements than this are elided...
  int64_t threshold = 1000;
  /// ...to this many items at each end of every dimension.
  int64_t edgeItems = 3;
};

/// Nested brackets, e.g. "[[1, 2, 3],\n [4, 5, 6]]"; floats with 6
/// significant digits, integers exactly.
std::string formatTensor(const Tensor &tensor, const TensorFormat &format = {});

} // namespace needle::runtime
