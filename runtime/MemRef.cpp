#include "runtime/MemRef.h"

#include "runtime/Manifest.h"

#include <cstdlib>
#include <cstring>

namespace needle::runtime {

static_assert(sizeof(void *) == sizeof(int64_t),
              "memref descriptors assume 64-bit pointers");

namespace {
// What MLIR's memref.get_global lowering stores as `allocated`: the buffer is
// a constant in the artifact and must never be freed.
void *const kMlirGlobalMarker = reinterpret_cast<void *>(uintptr_t(0xdeadbeef));
} // namespace

MemRefDescriptor::MemRefDescriptor(size_t rank) : rank_(rank) {
  if (rank > kInlineRank)
    heapWords_.assign(3 + 2 * rank, 0);
}

MemRefDescriptor MemRefDescriptor::contiguous(void *data, const Shape &shape) {
  MemRefDescriptor descriptor(shape.size());
  int64_t *words = descriptor.words();
  std::memcpy(&words[0], &data, sizeof data);
  std::memcpy(&words[1], &data, sizeof data);
  // Unsigned: with a zero dim the tensor is empty but a stride may exceed
  // int64; its value is then irrelevant and must not be undefined.
  uint64_t stride = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    words[3 + i] = shape[i];
    words[3 + shape.size() + i] = static_cast<int64_t>(stride);
    stride *= static_cast<uint64_t>(shape[i]);
  }
  return descriptor;
}

void *MemRefDescriptor::pointerAt(size_t word) const {
  void *pointer;
  std::memcpy(&pointer, &words()[word], sizeof pointer);
  return pointer;
}

void BufferRelease::operator()(void *block) const {
  // The lock keeps the artifact loaded for the duration of the call.
  if (std::shared_ptr<void> loaded = function ? library.lock() : nullptr)
    function(block);
  else
    std::free(block);
}

bool OutputAdopter::ownedByRuntime(const void *pointer) const {
  auto address = reinterpret_cast<uintptr_t>(pointer);
  for (const auto &[begin, bytes] : runtimeBuffers_) {
    auto start = reinterpret_cast<uintptr_t>(begin);
    if (begin && address >= start && address < start + (bytes ? bytes : 1))
      return true;
  }
  return false;
}

const std::shared_ptr<void> *OutputAdopter::findOwner(const void *allocated) const {
  for (const auto &[block, owner] : owners_)
    if (block == allocated)
      return &owner;
  return nullptr;
}

void OutputAdopter::claim(const MemRefDescriptor &descriptor) {
  void *allocated = descriptor.allocated();
  if (!allocated || allocated == kMlirGlobalMarker || findOwner(allocated) ||
      ownedByRuntime(allocated) || ownedByRuntime(descriptor.aligned()))
    return;
  owners_.emplace_back(allocated, std::shared_ptr<void>(allocated, release_));
}

StatusOr<Tensor> OutputAdopter::adopt(const MemRefDescriptor &descriptor,
                                      DType dtype, const Shape &expected) {
  size_t rank = descriptor.rank();
  Shape shape(rank);
  bool matches = rank == expected.size();
  for (size_t i = 0; i < rank; ++i) {
    shape[i] = descriptor.size(i);
    if (shape[i] < 0 || (matches && expected[i] != kDynamicDim &&
                         expected[i] != shape[i]))
      matches = false;
  }
  if (!matches)
    return Status::error("came back with shape " + formatShape(shape) +
                         " but the manifest says " + formatShape(expected));
  size_t elementSize = dtypeSize(dtype);
  NEEDLE_ASSIGN_OR_RETURN(int64_t count, checkedElementCount(shape, elementSize));
  if (count == 0)
    return Tensor::zeros(dtype, shape);
  if (!descriptor.aligned())
    return Status::error("came back with a null buffer for shape " +
                         formatShape(shape));

  const char *data = static_cast<const char *>(descriptor.aligned()) +
                     descriptor.offset() * int64_t(elementSize);
  bool contiguous = true;
  int64_t expectedStride = 1;
  for (size_t i = rank; i-- > 0;) {
    if (shape[i] != 1 && descriptor.stride(i) != expectedStride)
      contiguous = false;
    expectedStride *= shape[i];
  }

  const std::shared_ptr<void> *owner = findOwner(descriptor.allocated());
  if (contiguous && owner && reinterpret_cast<uintptr_t>(data) % kTensorAlignment == 0) {
    // Aliasing constructor: points at `data`, keeps the malloc'd block alive.
    return Tensor::adopt(dtype, shape,
                         std::shared_ptr<void>(*owner, const_cast<char *>(data)));
  }

  NEEDLE_ASSIGN_OR_RETURN(Tensor copy, Tensor::zeros(dtype, shape));
  char *out = static_cast<char *>(copy.data());
  if (contiguous) {
    std::memcpy(out, data, copy.byteSize());
    return copy;
  }
  std::vector<int64_t> index(rank, 0);
  for (int64_t n = 0; n < count; ++n) {
    int64_t offset = 0;
    for (size_t i = 0; i < rank; ++i)
      offset += index[i] * descriptor.stride(i);
    std::memcpy(out + n * int64_t(elementSize), data + offset * int64_t(elementSize),
                elementSize);
    for (size_t i = rank; i-- > 0;) {
      if (++index[i] < shape[i])
        break;
      index[i] = 0;
    }
  }
  return copy;
}

} // namespace needle::runtime
