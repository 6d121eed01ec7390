#include "runtime/Tensor.h"

#include <cstdlib>
#include <cstring>
#include <limits>

namespace needle::runtime {

namespace {
struct DTypeInfo {
  DType dtype;
  size_t size;
  const char *name;
  const char *npy;
  const char *safetensors;
};
constexpr DTypeInfo kDTypes[] = {
    {DType::f32, 4, "f32", "<f4", "F32"},
    {DType::f64, 8, "f64", "<f8", "F64"},
    {DType::i32, 4, "i32", "<i4", "I32"},
    {DType::i64, 8, "i64", "<i8", "I64"},
};
const DTypeInfo &info(DType dtype) { return kDTypes[static_cast<int>(dtype)]; }

// Printable form of an untrusted name for an error message.
std::string quoted(std::string_view text) {
  std::string out = "'";
  for (char c : text.substr(0, 64))
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (text.size() > 64)
    out += "...";
  return out + "'";
}
} // namespace

size_t dtypeSize(DType dtype) { return info(dtype).size; }
const char *dtypeName(DType dtype) { return info(dtype).name; }
const char *npyDescr(DType dtype) { return info(dtype).npy; }
const char *safetensorsDTypeName(DType dtype) { return info(dtype).safetensors; }

StatusOr<DType> parseDType(std::string_view name) {
  for (const DTypeInfo &d : kDTypes)
    if (name == d.name)
      return d.dtype;
  return Status::error("unknown dtype " + quoted(name) +
                       " (expected f32, f64, i32 or i64)");
}

StatusOr<DType> dtypeFromNpyDescr(std::string_view descr) {
  for (const DTypeInfo &d : kDTypes)
    if (descr == d.npy)
      return d.dtype;
  if (descr.size() == 3 && descr[0] == '>')
    return Status::error("big-endian dtype " + quoted(descr) +
                         " is not supported (only little-endian)");
  return Status::error("unsupported dtype " + quoted(descr) +
                       " (expected <f4, <f8, <i4 or <i8)");
}

StatusOr<DType> dtypeFromSafetensorsName(std::string_view name) {
  for (const DTypeInfo &d : kDTypes)
    if (name == d.safetensors)
      return d.dtype;
  return Status::error("unsupported safetensors dtype " + quoted(name) +
                       " (expected F32, F64, I32 or I64)");
}

StatusOr<int64_t> checkedElementCount(const Shape &shape, size_t elementSize) {
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (dim < 0)
      return Status::error("shape " + formatShape(shape) +
                           " has a negative dimension");
    if (dim != 0 && count > std::numeric_limits<int64_t>::max() / dim)
      return Status::error("shape " + formatShape(shape) +
                           " has too many elements");
    count *= dim;
  }
  if (elementSize > 1 &&
      count > std::numeric_limits<int64_t>::max() / int64_t(elementSize))
    return Status::error("shape " + formatShape(shape) + " is too large in bytes");
  return count;
}

std::string formatShape(const Shape &shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      out += ", ";
    out += shape[i] == -1 ? "?" : std::to_string(shape[i]);
  }
  return out + "]";
}

StatusOr<std::shared_ptr<void>> allocateAligned(size_t bytes) {
  // Round up so that vectorised code may read whole aligned blocks.
  size_t rounded = bytes == 0 ? kTensorAlignment : bytes;
  if (rounded > std::numeric_limits<size_t>::max() - kTensorAlignment)
    return Status::error("cannot allocate " + std::to_string(bytes) + " bytes");
  rounded = (rounded + kTensorAlignment - 1) / kTensorAlignment * kTensorAlignment;
  void *memory = nullptr;
  if (posix_memalign(&memory, kTensorAlignment, rounded) != 0 || !memory)
    return Status::error("cannot allocate " + std::to_string(bytes) + " bytes");
  std::memset(memory, 0, rounded);
  return std::shared_ptr<void>(memory, &std::free);
}

Tensor::Tensor() : dtype_(DType::f32), shape_{0}, numElements_(0) {}

Tensor::Tensor(DType dtype, Shape shape, int64_t numElements,
               std::shared_ptr<void> data)
    : dtype_(dtype), shape_(std::move(shape)), numElements_(numElements),
      data_(std::move(data)) {}

StatusOr<Tensor> Tensor::zeros(DType dtype, Shape shape) {
  NEEDLE_ASSIGN_OR_RETURN(int64_t count,
                          checkedElementCount(shape, dtypeSize(dtype)));
  NEEDLE_ASSIGN_OR_RETURN(auto storage,
                          allocateAligned(size_t(count) * dtypeSize(dtype)));
  return Tensor(dtype, std::move(shape), count, std::move(storage));
}

StatusOr<Tensor> Tensor::fromBytes(DType dtype, Shape shape, const void *bytes,
                                   size_t byteCount) {
  NEEDLE_ASSIGN_OR_RETURN(Tensor tensor, zeros(dtype, std::move(shape)));
  if (byteCount != tensor.byteSize())
    return Status::error(std::to_string(byteCount) + " bytes given for a " +
                         tensor.typeString() + " tensor of " +
                         std::to_string(tensor.byteSize()) + " bytes");
  if (byteCount)
    std::memcpy(tensor.data(), bytes, byteCount);
  return tensor;
}

StatusOr<Tensor> Tensor::adopt(DType dtype, Shape shape,
                               std::shared_ptr<void> data) {
  NEEDLE_ASSIGN_OR_RETURN(int64_t count,
                          checkedElementCount(shape, dtypeSize(dtype)));
  if (!data)
    return Status::error("cannot adopt a null buffer");
  if (reinterpret_cast<uintptr_t>(data.get()) % kTensorAlignment != 0)
    return Status::error("cannot adopt a buffer that is not " +
                         std::to_string(kTensorAlignment) + "-byte aligned");
  return Tensor(dtype, std::move(shape), count, std::move(data));
}

double Tensor::elementAsDouble(int64_t index) const {
  switch (dtype_) {
  case DType::f32: return dataAs<float>()[index];
  case DType::f64: return dataAs<double>()[index];
  case DType::i32: return dataAs<int32_t>()[index];
  case DType::i64: return double(dataAs<int64_t>()[index]);
  }
  return 0;
}

StatusOr<Tensor> Tensor::clone() const {
  return fromBytes(dtype_, shape_, data(), byteSize());
}

bool Tensor::bitwiseEquals(const Tensor &other) const {
  return dtype_ == other.dtype_ && shape_ == other.shape_ &&
         (byteSize() == 0 || std::memcmp(data(), other.data(), byteSize()) == 0);
}

std::string Tensor::typeString() const {
  return std::string(dtypeName(dtype_)) + formatShape(shape_);
}

} // namespace needle::runtime
