// numpy .npy files (format versions 1, 2 and 3), C order, little-endian
// f32/f64/i32/i64 only. The reader treats the file as hostile: every length
// and shape is checked against the bytes actually present before use.
#pragma once

#include "runtime/Status.h"
#include "runtime/Tensor.h"

#include <string>
#include <string_view>

namespace needle::runtime {

/// Decodes .npy bytes; `name` (usually the path) prefixes error messages.
StatusOr<Tensor> parseNpy(std::string_view bytes, std::string_view name);
StatusOr<Tensor> readNpy(const std::string &path);

/// Encodes with the header numpy itself writes (np.save), byte for byte.
/// `version` 0 picks the oldest version that can hold the header, as numpy
/// does; 1, 2 or 3 force one.
StatusOr<std::string> encodeNpy(const Tensor &tensor, int version = 0);
/// Writes atomically (see writeFileAtomically).
Status writeNpy(const std::string &path, const Tensor &tensor, int version = 0);

} // namespace needle::runtime
