// Whole-file reads and crash-safe whole-file writes, shared by the .npy and
// .safetensors readers and writers. Errors name the path.
#pragma once

#include "runtime/Status.h"

#include <string>
#include <string_view>

namespace needle::runtime {

/// Reads a regular file whole; refuses files larger than `maxBytes`.
StatusOr<std::string> readFile(const std::string &path,
                               size_t maxBytes = size_t(1) << 40);

/// Replaces `path` with `bytes` atomically: writes "<path>.tmp.<pid>", fsyncs
/// it, renames it over `path` and fsyncs the directory. On any failure the
/// temporary file is removed and an existing `path` is left untouched.
Status writeFileAtomically(const std::string &path, std::string_view bytes);

} // namespace needle::runtime
