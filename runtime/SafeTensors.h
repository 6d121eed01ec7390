// .safetensors files: an 8-byte little-endian header length, a JSON header
// {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__":
// {string: string}}, then the data. Checkpoints use this format.
//
// The reader checks the header length against the file, every offset against
// the data section and the dtype/shape, and that the tensors tile the data
// section exactly (no overlap, no gap, nothing left over).
#pragma once

#include "runtime/Status.h"
#include "runtime/Tensor.h"

#include <map>
#include <string>
#include <string_view>

namespace needle::runtime {

struct SafeTensors {
  /// Sorted by name, which is also the order the writer lays out the data.
  std::map<std::string, Tensor> tensors;
  std::map<std::string, std::string> metadata;
};

/// Decodes .safetensors bytes; `name` (usually the path) prefixes errors.
StatusOr<SafeTensors> parseSafeTensors(std::string_view bytes,
                                       std::string_view name);
StatusOr<SafeTensors> readSafeTensors(const std::string &path);

/// Deterministic encoding: tensors in name order, header padded with spaces
/// to a multiple of 8 bytes so the data section stays aligned.
StatusOr<std::string> encodeSafeTensors(const SafeTensors &file);
/// Writes atomically (see writeFileAtomically): a failed write leaves any
/// existing file untouched.
Status writeSafeTensors(const std::string &path, const SafeTensors &file);

} // namespace needle::runtime
