// MLIR strided memref descriptors, the argument format of compiled entry
// points, and taking ownership of the output buffers a callee returns in them.
#pragma once

#include "runtime/Status.h"
#include "runtime/Tensor.h"

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace needle::runtime {

/// {void *allocated; void *aligned; int64_t offset; int64_t sizes[R];
///  int64_t strides[R];} stored as 3 + 2R 64-bit words, inline up to rank
/// kInlineRank (a call builds one per operand: no allocation each).
class MemRefDescriptor {
public:
  static constexpr size_t kInlineRank = 4;

  /// All zeros: an output descriptor for the callee to fill.
  explicit MemRefDescriptor(size_t rank);
  /// A contiguous row-major view of `data` with offset 0.
  static MemRefDescriptor contiguous(void *data, const Shape &shape);

  /// The pointer that goes into the `void **args` array; it moves with the
  /// descriptor.
  void *address() { return words(); }
  size_t rank() const { return rank_; }
  void *allocated() const { return pointerAt(0); }
  void *aligned() const { return pointerAt(1); }
  int64_t offset() const { return words()[2]; }
  int64_t size(size_t dim) const { return words()[3 + dim]; }
  int64_t stride(size_t dim) const { return words()[3 + rank_ + dim]; }

private:
  int64_t *words() { return heapWords_.empty() ? inlineWords_ : heapWords_.data(); }
  const int64_t *words() const {
    return heapWords_.empty() ? inlineWords_ : heapWords_.data();
  }
  void *pointerAt(size_t word) const;

  size_t rank_;
  int64_t inlineWords_[3 + 2 * kInlineRank] = {};
  std::vector<int64_t> heapWords_; // ranks above kInlineRank
};

/// Frees the buffers compiled code returns: with the artifact's exported
/// deallocator while the artifact is loaded (the block goes back to its
/// cache, so the next call writes warm memory), with free() once it is
/// unloaded or when it has none. Its blocks are plain malloc blocks, so both
/// are correct; an output never keeps an artifact (or its cache) loaded.
struct BufferRelease {
  std::weak_ptr<void> library;
  void (*function)(void *) = nullptr;
  void operator()(void *block) const;
};

/// Turns filled output descriptors into Tensors. A buffer the callee
/// malloc'd is adopted without a copy when it is contiguous and aligned, and
/// copied (then freed) otherwise. Buffers that are not the callee's to give
/// away (an input or variable passed straight through, MLIR's 0xdeadbeef
/// marker for constant globals) are copied and never freed; a buffer
/// returned in several outputs is freed once.
class OutputAdopter {
public:
  /// `runtimeBuffers`: [begin, begin + bytes) of every input and variable.
  OutputAdopter(std::vector<std::pair<const void *, size_t>> runtimeBuffers,
                BufferRelease release)
      : runtimeBuffers_(std::move(runtimeBuffers)), release_(std::move(release)) {}

  /// Claims the buffer of every descriptor so that each is freed exactly
  /// once, even when adopt() is never called for it (an error path).
  void claim(const MemRefDescriptor &descriptor);
  /// The tensor for a claimed descriptor; `expected` holds its manifest
  /// shape (kDynamicDim for dynamic dims), which the result must match.
  StatusOr<Tensor> adopt(const MemRefDescriptor &descriptor, DType dtype,
                         const Shape &expected);

private:
  bool ownedByRuntime(const void *pointer) const;
  const std::shared_ptr<void> *findOwner(const void *allocated) const;

  std::vector<std::pair<const void *, size_t>> runtimeBuffers_;
  BufferRelease release_;
  /// Callee buffers by `allocated` pointer (a few per call); freed when the
  /// last user drops.
  std::vector<std::pair<void *, std::shared_ptr<void>>> owners_;
};

} // namespace needle::runtime
