#include "runtime/TensorText.h"

#include "runtime/Npy.h"

#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <vector>

namespace needle::runtime {

namespace {

bool isSeparator(char c) {
  return c == ' ' || c == ',' || c == '\t' || c == '\n' || c == '\r';
}

std::vector<std::string_view> splitValues(std::string_view text) {
  std::vector<std::string_view> values;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && isSeparator(text[pos]))
      ++pos;
    size_t start = pos;
    while (pos < text.size() && !isSeparator(text[pos]))
      ++pos;
    if (pos > start)
      values.push_back(text.substr(start, pos - start));
  }
  return values;
}

template <typename T> Status parseNumber(std::string_view token, T &value) {
  std::string_view digits = token;
  if (digits.size() > 1 && digits[0] == '+' && digits[1] != '-')
    digits.remove_prefix(1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec == std::errc::result_out_of_range)
    return Status::error("value '" + std::string(token) + "' is out of range for " +
                         dtypeName(DTypeOf<T>::value));
  if (ec != std::errc() || end != digits.data() + digits.size())
    return Status::error("'" + std::string(token) + "' is not " +
                         (std::is_integral_v<T> ? "an integer" : "a number"));
  return Status();
}

template <typename T>
Status parseValues(const std::vector<std::string_view> &tokens, Tensor &tensor) {
  T *out = tensor.dataAs<T>();
  for (size_t i = 0; i < tokens.size(); ++i)
    NEEDLE_RETURN_IF_ERROR(parseNumber(tokens[i], out[i]));
  return Status();
}

Status parseInto(const std::vector<std::string_view> &tokens, Tensor &tensor) {
  switch (tensor.dtype()) {
  case DType::f32: return parseValues<float>(tokens, tensor);
  case DType::f64: return parseValues<double>(tokens, tensor);
  case DType::i32: return parseValues<int32_t>(tokens, tensor);
  case DType::i64: return parseValues<int64_t>(tokens, tensor);
  }
  return Status();
}

StatusOr<Tensor> parseLiteralBody(std::string_view text) {
  size_t equals = text.find('=');
  if (equals == std::string_view::npos)
    return Status::error("expected SHAPExDTYPE=VALUES, e.g. 2x3xf32=1 2 3 4 5 6");
  std::string_view type = text.substr(0, equals);
  Shape shape;
  size_t x;
  while ((x = type.find('x')) != std::string_view::npos) {
    std::string_view dim = type.substr(0, x);
    int64_t value = -1;
    auto [end, ec] = std::from_chars(dim.data(), dim.data() + dim.size(), value);
    if (dim.empty() || ec != std::errc() || end != dim.data() + dim.size() || value < 0)
      return Status::error("bad dimension '" + std::string(dim) + "'");
    shape.push_back(value);
    type.remove_prefix(x + 1);
  }
  NEEDLE_ASSIGN_OR_RETURN(DType dtype, parseDType(type));
  NEEDLE_ASSIGN_OR_RETURN(Tensor tensor, Tensor::zeros(dtype, shape));
  std::vector<std::string_view> tokens = splitValues(text.substr(equals + 1));
  if (int64_t(tokens.size()) != tensor.numElements())
    return Status::error("expected " + std::to_string(tensor.numElements()) +
                         " value(s) for " + tensor.typeString() + " but got " +
                         std::to_string(tokens.size()));
  NEEDLE_RETURN_IF_ERROR(parseInto(tokens, tensor));
  return tensor;
}

std::string formatElement(const Tensor &tensor, int64_t index) {
  char buffer[64];
  switch (tensor.dtype()) {
  case DType::f32:
    std::snprintf(buffer, sizeof buffer, "%g", double(tensor.dataAs<float>()[index]));
    break;
  case DType::f64:
    std::snprintf(buffer, sizeof buffer, "%g", tensor.dataAs<double>()[index]);
    break;
  case DType::i32:
    std::snprintf(buffer, sizeof buffer, "%" PRId32, tensor.dataAs<int32_t>()[index]);
    break;
  case DType::i64:
    std::snprintf(buffer, sizeof buffer, "%" PRId64, tensor.dataAs<int64_t>()[index]);
    break;
  }
  return buffer;
}

// Prints dimension `dim` of the block starting at row-major `offset`.
void formatBlock(const Tensor &tensor, size_t dim, int64_t offset,
                 const std::vector<int64_t> &strides, bool elide,
                 const TensorFormat &format, std::string &out) {
  int64_t size = tensor.shape()[dim];
  bool last = dim + 1 == tensor.rank();
  std::string separator = last ? ", " : ",\n" + std::string(dim + 1, ' ');
  out += '[';
  for (int64_t i = 0; i < size; ++i) {
    if (elide && size > 2 * format.edgeItems && i == format.edgeItems) {
      out += "..." + separator;
      i = size - format.edgeItems;
    }
    if (last)
      out += formatElement(tensor, offset + i);
    else
      formatBlock(tensor, dim + 1, offset + i * strides[dim], strides, elide,
                  format, out);
    if (i + 1 < size)
      out += separator;
  }
  out += ']';
}

} // namespace

StatusOr<Tensor> parseTensorLiteral(std::string_view text) {
  StatusOr<Tensor> tensor = parseLiteralBody(text);
  if (!tensor.ok()) {
    std::string shown(text.substr(0, 40));
    if (text.size() > 40)
      shown += "...";
    return tensor.status().withContext("bad tensor '" + shown + "'");
  }
  return tensor;
}

StatusOr<Tensor> parseTensorArgument(std::string_view text) {
  if (!text.empty() && text[0] == '@')
    return readNpy(std::string(text.substr(1)));
  return parseTensorLiteral(text);
}

StatusOr<Tensor> parseVariableValue(std::string_view text, DType dtype,
                                    const Shape &shape) {
  if (text.find('=') == std::string_view::npos && (text.empty() || text[0] != '@')) {
    NEEDLE_ASSIGN_OR_RETURN(Tensor tensor, Tensor::zeros(dtype, shape));
    std::vector<std::string_view> token = splitValues(text);
    if (token.size() != 1)
      return Status::error("expected one number, a tensor or @FILE.npy, got '" +
                           std::string(text) + "'");
    // Parse once into a one-element tensor, then broadcast its bytes.
    NEEDLE_ASSIGN_OR_RETURN(Tensor scalar, Tensor::zeros(dtype, {}));
    NEEDLE_RETURN_IF_ERROR(parseInto(token, scalar));
    size_t size = dtypeSize(dtype);
    for (int64_t i = 0; i < tensor.numElements(); ++i)
      std::memcpy(static_cast<char *>(tensor.data()) + i * size, scalar.data(), size);
    return tensor;
  }
  NEEDLE_ASSIGN_OR_RETURN(Tensor tensor, parseTensorArgument(text));
  if (tensor.dtype() != dtype || tensor.shape() != shape)
    return Status::error("value is " + tensor.typeString() + " but " +
                         std::string(dtypeName(dtype)) + formatShape(shape) +
                         " is needed");
  return tensor;
}

std::string formatTensor(const Tensor &tensor, const TensorFormat &format) {
  if (tensor.rank() == 0)
    return formatElement(tensor, 0);
  std::vector<int64_t> strides(tensor.rank(), 1);
  for (size_t i = tensor.rank() - 1; i-- > 0;)
    strides[i] = strides[i + 1] * tensor.shape()[i + 1];
  std::string out;
  formatBlock(tensor, 0, 0, strides, tensor.numElements() > format.threshold,
              format, out);
  return out;
}

} // namespace needle::runtime
