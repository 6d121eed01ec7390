#include "runtime/Npy.h"

#include "runtime/FileIO.h"

#include <cstring>
#include <optional>

namespace needle::runtime {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLength = 6;
constexpr size_t kAlign = 64;              // numpy's ARRAY_ALIGN
constexpr size_t kGrowthAxisMaxDigits = 21; // numpy's spare header space
constexpr size_t kMaxHeaderLength = size_t(1) << 20;

struct NpyHeader {
  std::string descr;
  bool fortranOrder = false;
  Shape shape;
};

// Parses the Python-literal dict of an .npy header, e.g.
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// accepting exactly the subset numpy writes (any quotes, any spacing).
class HeaderParser {
public:
  explicit HeaderParser(std::string_view text) : text_(text) {}

  StatusOr<NpyHeader> parse() {
    NpyHeader header;
    bool seenDescr = false, seenOrder = false, seenShape = false;
    skipSpace();
    if (!consume('{'))
      return fail("expected '{'");
    while (true) {
      skipSpace();
      if (consume('}'))
        break;
      NEEDLE_ASSIGN_OR_RETURN(std::string key, parseString());
      skipSpace();
      if (!consume(':'))
        return fail("expected ':' after '" + key + "'");
      skipSpace();
      if (key == "descr" && !seenDescr) {
        seenDescr = true;
        if (peek() == '[')
          return fail("structured dtypes are not supported");
        NEEDLE_ASSIGN_OR_RETURN(header.descr, parseString());
      } else if (key == "fortran_order" && !seenOrder) {
        seenOrder = true;
        NEEDLE_ASSIGN_OR_RETURN(header.fortranOrder, parseBool());
      } else if (key == "shape" && !seenShape) {
        seenShape = true;
        NEEDLE_ASSIGN_OR_RETURN(header.shape, parseShape());
      } else {
        return fail("unexpected or repeated key '" + key + "'");
      }
      skipSpace();
      if (consume('}'))
        break;
      if (!consume(','))
        return fail("expected ',' or '}'");
    }
    skipSpace();
    if (pos_ != text_.size())
      return fail("unexpected text after the dict");
    if (!seenDescr || !seenOrder || !seenShape)
      return fail("the dict must have 'descr', 'fortran_order' and 'shape'");
    return header;
  }

private:
  Status fail(const std::string &what) const {
    return Status::error("malformed header: " + what);
  }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool consume(char c) {
    if (peek() != c || pos_ >= text_.size())
      return false;
    ++pos_;
    return true;
  }
  void skipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\t'))
      ++pos_;
  }

  StatusOr<std::string> parseString() {
    char quote = peek();
    if (quote != '\'' && quote != '"')
      return fail("expected a quoted string");
    ++pos_;
    size_t end = text_.find(quote, pos_);
    if (end == std::string_view::npos || end - pos_ > 64)
      return fail("unterminated or overlong string");
    std::string value(text_.substr(pos_, end - pos_));
    if (value.find('\\') != std::string::npos)
      return fail("escapes in strings are not supported");
    pos_ = end + 1;
    return value;
  }

  StatusOr<bool> parseBool() {
    if (text_.substr(pos_, 4) == "True") {
      pos_ += 4;
      return true;
    }
    if (text_.substr(pos_, 5) == "False") {
      pos_ += 5;
      return false;
    }
    return fail("expected True or False for 'fortran_order'");
  }

  StatusOr<Shape> parseShape() {
    if (!consume('('))
      return fail("expected a tuple for 'shape'");
    Shape shape;
    bool trailingComma = false;
    while (true) {
      skipSpace();
      if (consume(')'))
        break;
      if (peek() == '-')
        return fail("negative dimension in 'shape'");
      NEEDLE_ASSIGN_OR_RETURN(int64_t dim, parseDim());
      shape.push_back(dim);
      if (shape.size() > 64)
        return fail("'shape' has more than 64 dimensions");
      skipSpace();
      trailingComma = consume(',');
      if (!trailingComma) {
        skipSpace();
        if (consume(')'))
          break;
        return fail("expected ',' or ')' in 'shape'");
      }
    }
    // "(3)" is the integer 3 in Python, not a tuple.
    if (shape.size() == 1 && !trailingComma)
      return fail("'shape' is not a tuple");
    return shape;
  }

  StatusOr<int64_t> parseDim() {
    size_t start = pos_;
    int64_t value = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      int digit = text_[pos_] - '0';
      if (value > (INT64_MAX - digit) / 10)
        return fail("dimension too large in 'shape'");
      value = value * 10 + digit;
      ++pos_;
    }
    if (pos_ == start)
      return fail("expected an integer in 'shape'");
    return value;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

uint32_t readLittleEndian(std::string_view bytes, size_t offset, size_t width) {
  uint32_t value = 0;
  for (size_t i = 0; i < width; ++i)
    value |= uint32_t(static_cast<unsigned char>(bytes[offset + i])) << (8 * i);
  return value;
}

StatusOr<Tensor> parseNpyBody(std::string_view bytes) {
  if (bytes.size() < kMagicLength + 2)
    return Status::error("truncated: " + std::to_string(bytes.size()) +
                         " bytes is too short for an .npy file");
  if (std::memcmp(bytes.data(), kMagic, kMagicLength) != 0)
    return Status::error("not an .npy file (bad magic)");
  int major = static_cast<unsigned char>(bytes[6]);
  int minor = static_cast<unsigned char>(bytes[7]);
  if (major < 1 || major > 3 || minor != 0)
    return Status::error("unsupported .npy format version " +
                         std::to_string(major) + "." + std::to_string(minor));
  size_t lengthWidth = major == 1 ? 2 : 4;
  size_t headerStart = kMagicLength + 2 + lengthWidth;
  if (bytes.size() < headerStart)
    return Status::error("truncated: the header length is cut off");
  size_t headerLength = readLittleEndian(bytes, kMagicLength + 2, lengthWidth);
  if (headerLength > kMaxHeaderLength)
    return Status::error("header length " + std::to_string(headerLength) +
                         " is implausibly large");
  if (headerLength > bytes.size() - headerStart)
    return Status::error("header length " + std::to_string(headerLength) +
                         " goes beyond the end of the file (" +
                         std::to_string(bytes.size()) + " bytes)");
  std::string_view headerText = bytes.substr(headerStart, headerLength);
  NEEDLE_ASSIGN_OR_RETURN(NpyHeader header, HeaderParser(headerText).parse());

  if (header.descr == "|O" || header.descr == "O")
    return Status::error("object arrays are not supported");
  StatusOr<DType> dtype = dtypeFromNpyDescr(header.descr);
  if (!dtype.ok())
    return dtype.status();
  if (header.fortranOrder)
    return Status::error("fortran_order True is not supported (C order only)");
  NEEDLE_ASSIGN_OR_RETURN(int64_t count,
                          checkedElementCount(header.shape, dtypeSize(*dtype)));
  uint64_t expected = uint64_t(count) * dtypeSize(*dtype);
  uint64_t present = bytes.size() - headerStart - headerLength;
  if (present < expected)
    return Status::error("data is shorter than the shape says: shape " +
                         formatShape(header.shape) + " needs " +
                         std::to_string(expected) + " bytes but the file has " +
                         std::to_string(present));
  if (present > expected)
    return Status::error("the file has " + std::to_string(present - expected) +
                         " bytes after the data of shape " +
                         formatShape(header.shape));
  return Tensor::fromBytes(*dtype, header.shape,
                           bytes.data() + headerStart + headerLength, expected);
}

std::string shapeRepr(const Shape &shape) {
  std::string out = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      out += ", ";
    out += std::to_string(shape[i]);
  }
  if (shape.size() == 1)
    out += ",";
  return out + ")";
}

} // namespace

StatusOr<Tensor> parseNpy(std::string_view bytes, std::string_view name) {
  StatusOr<Tensor> tensor = parseNpyBody(bytes);
  if (!tensor.ok())
    return tensor.status().withContext(name);
  return tensor;
}

StatusOr<Tensor> readNpy(const std::string &path) {
  NEEDLE_ASSIGN_OR_RETURN(std::string bytes, readFile(path));
  return parseNpy(bytes, path);
}

StatusOr<std::string> encodeNpy(const Tensor &tensor, int version) {
  if (version < 0 || version > 3)
    return Status::error("cannot write .npy format version " +
                         std::to_string(version));
  // Mirrors numpy.lib.format._write_array_header and _wrap_header.
  std::string header = std::string("{'descr': '") + npyDescr(tensor.dtype()) +
                       "', 'fortran_order': False, 'shape': " +
                       shapeRepr(tensor.shape()) + ", }";
  if (!tensor.shape().empty())
    header.append(kGrowthAxisMaxDigits -
                      std::to_string(tensor.shape()[0]).size(),
                  ' ');
  auto prefixLength = [](int v) { return kMagicLength + 2 + (v == 1 ? 2 : 4); };
  auto paddedLength = [&](int v) {
    size_t withNewline = header.size() + 1;
    size_t pad = kAlign - (prefixLength(v) + withNewline) % kAlign;
    return withNewline + pad;
  };
  if (version == 0)
    version = paddedLength(1) <= 0xFFFF ? 1 : 2;
  size_t headerLength = paddedLength(version);
  if (version == 1 && headerLength > 0xFFFF)
    return Status::error("header too long for .npy format version 1");

  std::string out(kMagic, kMagicLength);
  out += char(version);
  out += '\0';
  for (size_t i = 0; i < (version == 1 ? 2u : 4u); ++i)
    out += char((headerLength >> (8 * i)) & 0xFF);
  out += header;
  out.append(headerLength - header.size() - 1, ' ');
  out += '\n';
  if (tensor.byteSize())
    out.append(static_cast<const char *>(tensor.data()), tensor.byteSize());
  return out;
}

Status writeNpy(const std::string &path, const Tensor &tensor, int version) {
  NEEDLE_ASSIGN_OR_RETURN(std::string bytes, encodeNpy(tensor, version));
  return writeFileAtomically(path, bytes);
}

} // namespace needle::runtime
