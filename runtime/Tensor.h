// Host tensors: a dtype, a shape and 64-byte-aligned storage.
//
// Copying a Tensor shares its storage (like a numpy array view of the whole
// buffer); clone() makes an independent copy. Storage is a shared_ptr whose
// deleter matches the allocation, so a buffer malloc'd by compiled code can be
// adopted with its artifact's deallocator as the deleter and never copied.
#pragma once

#include "runtime/Status.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace needle::runtime {

enum class DType : uint8_t { f32, f64, i32, i64 };

/// Bytes per element.
size_t dtypeSize(DType dtype);
/// "f32", "f64", "i32", "i64": the names used by manifests and tools.
const char *dtypeName(DType dtype);
StatusOr<DType> parseDType(std::string_view name);
/// numpy descr strings: "<f4", "<f8", "<i4", "<i8" (little-endian only).
const char *npyDescr(DType dtype);
StatusOr<DType> dtypeFromNpyDescr(std::string_view descr);
/// safetensors names: "F32", "F64", "I32", "I64".
const char *safetensorsDTypeName(DType dtype);
StatusOr<DType> dtypeFromSafetensorsName(std::string_view name);

/// Maps a C++ element type to its DType (float, double, int32_t, int64_t).
template <typename T> struct DTypeOf;
template <> struct DTypeOf<float> { static constexpr DType value = DType::f32; };
template <> struct DTypeOf<double> { static constexpr DType value = DType::f64; };
template <> struct DTypeOf<int32_t> { static constexpr DType value = DType::i32; };
template <> struct DTypeOf<int64_t> { static constexpr DType value = DType::i64; };

using Shape = std::vector<int64_t>;

/// Every buffer a Tensor owns starts on this boundary.
inline constexpr size_t kTensorAlignment = 64;

/// Product of the dims; an error for a negative dim or when the product (or
/// the byte size with `elementSize`) overflows int64.
StatusOr<int64_t> checkedElementCount(const Shape &shape, size_t elementSize = 1);
/// "[3, 5]"; a dim of -1 (dynamic, in manifests) prints as "?".
std::string formatShape(const Shape &shape);

/// Allocates `bytes` (at least 1) zeroed bytes on a kTensorAlignment boundary,
/// freed with free().
StatusOr<std::shared_ptr<void>> allocateAligned(size_t bytes);

class Tensor {
public:
  /// An empty f32 tensor of shape [0] with no storage.
  Tensor();

  /// A zero-filled tensor.
  static StatusOr<Tensor> zeros(DType dtype, Shape shape);
  /// Copies `byteCount` bytes, which must equal the tensor's byte size.
  static StatusOr<Tensor> fromBytes(DType dtype, Shape shape, const void *bytes,
                                    size_t byteCount);
  /// Takes `data` as storage without copying. The caller vouches that it holds
  /// at least the tensor's byte size; it must be kTensorAlignment-aligned.
  static StatusOr<Tensor> adopt(DType dtype, Shape shape,
                                std::shared_ptr<void> data);
  /// A tensor holding `values` (row-major) with the dtype of T.
  template <typename T>
  static StatusOr<Tensor> fromValues(Shape shape, const std::vector<T> &values) {
    return fromBytes(DTypeOf<T>::value, std::move(shape), values.data(),
                     values.size() * sizeof(T));
  }

  DType dtype() const { return dtype_; }
  const Shape &shape() const { return shape_; }
  size_t rank() const { return shape_.size(); }
  int64_t numElements() const { return numElements_; }
  size_t byteSize() const { return size_t(numElements_) * dtypeSize(dtype_); }

  void *data() { return data_.get(); }
  const void *data() const { return data_.get(); }
  /// Typed view of the data; nullptr when T does not match the dtype.
  template <typename T> T *dataAs() {
    return DTypeOf<T>::value == dtype_ ? static_cast<T *>(data_.get()) : nullptr;
  }
  template <typename T> const T *dataAs() const {
    return DTypeOf<T>::value == dtype_ ? static_cast<const T *>(data_.get())
                                       : nullptr;
  }
  /// Element `index` (row-major) converted to double, whatever the dtype.
  double elementAsDouble(int64_t index) const;

  /// A deep copy with its own storage.
  StatusOr<Tensor> clone() const;
  /// Same dtype, same shape and identical bytes.
  bool bitwiseEquals(const Tensor &other) const;
  /// "f32[2, 3]".
  std::string typeString() const;

private:
  Tensor(DType dtype, Shape shape, int64_t numElements,
         std::shared_ptr<void> data);

  DType dtype_;
  Shape shape_;
  int64_t numElements_;
  std::shared_ptr<void> data_;
};

} // namespace needle::runtime
