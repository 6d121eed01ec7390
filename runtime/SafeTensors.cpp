#include "runtime/SafeTensors.h"

#include "runtime/FileIO.h"
#include "runtime/Json.h"

#include <algorithm>
#include <vector>

namespace needle::runtime {

namespace {

constexpr uint64_t kMaxHeaderLength = uint64_t(100) << 20; // as the Rust crate
constexpr char kMetadataKey[] = "__metadata__";

struct Entry {
  std::string name;
  DType dtype;
  Shape shape;
  uint64_t begin, end;
};

Status entryError(const std::string &name, const std::string &what) {
  return Status::error("tensor '" + name + "': " + what);
}

StatusOr<Entry> parseEntry(const std::string &name, const JsonValue &info) {
  if (!info.isObject())
    return entryError(name, "header entry is not an object");
  for (const auto &member : info.members())
    if (member.first != "dtype" && member.first != "shape" &&
        member.first != "data_offsets")
      return entryError(name, "unexpected field '" + member.first + "'");
  const JsonValue *dtype = info.find("dtype");
  const JsonValue *shape = info.find("shape");
  const JsonValue *offsets = info.find("data_offsets");
  if (!dtype || !shape || !offsets)
    return entryError(name, "needs 'dtype', 'shape' and 'data_offsets'");
  if (!dtype->isString())
    return entryError(name, "'dtype' is not a string");
  StatusOr<DType> parsed = dtypeFromSafetensorsName(dtype->asString());
  if (!parsed.ok())
    return parsed.status().withContext("tensor '" + name + "'");
  Entry entry{name, *parsed, {}, 0, 0};
  if (!shape->isArray())
    return entryError(name, "'shape' is not an array");
  for (const JsonValue &dim : shape->elements()) {
    if (!dim.isInteger() || dim.asInt64() < 0)
      return entryError(name, "'shape' holds something other than a "
                              "non-negative integer");
    entry.shape.push_back(dim.asInt64());
  }
  if (!offsets->isArray() || offsets->elements().size() != 2 ||
      !offsets->elements()[0].isInteger() ||
      !offsets->elements()[1].isInteger() ||
      offsets->elements()[0].asInt64() < 0 ||
      offsets->elements()[1].asInt64() < offsets->elements()[0].asInt64())
    return entryError(name, "'data_offsets' must be [begin, end] with "
                            "0 <= begin <= end");
  entry.begin = uint64_t(offsets->elements()[0].asInt64());
  entry.end = uint64_t(offsets->elements()[1].asInt64());
  StatusOr<int64_t> count = checkedElementCount(entry.shape, dtypeSize(entry.dtype));
  if (!count.ok())
    return count.status().withContext("tensor '" + name + "'");
  uint64_t bytes = uint64_t(*count) * dtypeSize(entry.dtype);
  if (entry.end - entry.begin != bytes)
    return entryError(name, "data_offsets [" + std::to_string(entry.begin) +
                                ", " + std::to_string(entry.end) + "] span " +
                                std::to_string(entry.end - entry.begin) +
                                " bytes but " + dtypeName(entry.dtype) +
                                formatShape(entry.shape) + " needs " +
                                std::to_string(bytes));
  return entry;
}

StatusOr<std::map<std::string, std::string>> parseMetadata(const JsonValue &value) {
  if (!value.isObject())
    return Status::error("'__metadata__' is not an object");
  std::map<std::string, std::string> metadata;
  for (const auto &[key, item] : value.members()) {
    if (!item.isString())
      return Status::error("'__metadata__' value of '" + key +
                           "' is not a string");
    metadata[key] = item.asString();
  }
  return metadata;
}

StatusOr<SafeTensors> parseBody(std::string_view bytes) {
  if (bytes.size() < 8)
    return Status::error("truncated: " + std::to_string(bytes.size()) +
                         " bytes is too short for a .safetensors file");
  uint64_t headerLength = 0;
  for (int i = 0; i < 8; ++i)
    headerLength |= uint64_t(static_cast<unsigned char>(bytes[i])) << (8 * i);
  if (headerLength > kMaxHeaderLength)
    return Status::error("header length " + std::to_string(headerLength) +
                         " exceeds the limit of " +
                         std::to_string(kMaxHeaderLength));
  if (headerLength > bytes.size() - 8)
    return Status::error("header length " + std::to_string(headerLength) +
                         " goes beyond the end of the file (" +
                         std::to_string(bytes.size()) + " bytes)");
  std::string_view headerText = bytes.substr(8, headerLength);
  StatusOr<JsonValue> header = parseJson(headerText, {kMaxHeaderLength, 8});
  if (!header.ok())
    return header.status().withContext("header");
  if (!header->isObject())
    return Status::error("header is not a JSON object");

  SafeTensors file;
  std::vector<Entry> entries;
  for (const auto &[name, info] : header->members()) {
    if (name == kMetadataKey) {
      NEEDLE_ASSIGN_OR_RETURN(file.metadata, parseMetadata(info));
      continue;
    }
    NEEDLE_ASSIGN_OR_RETURN(Entry entry, parseEntry(name, info));
    entries.push_back(std::move(entry));
  }

  // The tensors must tile the data section: sorted by offset, each begins
  // where the previous one ended and the last ends at the end of the file.
  std::string_view data = bytes.substr(8 + headerLength);
  std::sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  uint64_t cursor = 0;
  for (const Entry &entry : entries) {
    if (entry.end > data.size())
      return entryError(entry.name, "data_offsets end " +
                                        std::to_string(entry.end) +
                                        " is beyond the data section (" +
                                        std::to_string(data.size()) + " bytes)");
    if (entry.begin < cursor)
      return entryError(entry.name, "data overlaps another tensor's");
    if (entry.begin > cursor)
      return Status::error("data bytes [" + std::to_string(cursor) + ", " +
                           std::to_string(entry.begin) +
                           ") belong to no tensor");
    cursor = entry.end;
    NEEDLE_ASSIGN_OR_RETURN(
        Tensor tensor, Tensor::fromBytes(entry.dtype, entry.shape,
                                         data.data() + entry.begin,
                                         entry.end - entry.begin));
    file.tensors.emplace(entry.name, std::move(tensor));
  }
  if (cursor != data.size())
    return Status::error("data bytes [" + std::to_string(cursor) + ", " +
                         std::to_string(data.size()) + ") belong to no tensor");
  return file;
}

} // namespace

StatusOr<SafeTensors> parseSafeTensors(std::string_view bytes,
                                       std::string_view name) {
  StatusOr<SafeTensors> file = parseBody(bytes);
  if (!file.ok())
    return file.status().withContext(name);
  return file;
}

StatusOr<SafeTensors> readSafeTensors(const std::string &path) {
  NEEDLE_ASSIGN_OR_RETURN(std::string bytes, readFile(path));
  return parseSafeTensors(bytes, path);
}

StatusOr<std::string> encodeSafeTensors(const SafeTensors &file) {
  JsonValue header = JsonValue::object();
  if (!file.metadata.empty()) {
    JsonValue metadata = JsonValue::object();
    for (const auto &[key, value] : file.metadata)
      metadata.set(key, JsonValue::string(value));
    header.set(kMetadataKey, std::move(metadata));
  }
  uint64_t offset = 0;
  for (const auto &[name, tensor] : file.tensors) {
    if (name == kMetadataKey)
      return Status::error("a tensor cannot be named '__metadata__'");
    JsonValue shape = JsonValue::array();
    for (int64_t dim : tensor.shape())
      shape.push(JsonValue::integer(dim));
    JsonValue offsets = JsonValue::array();
    offsets.push(JsonValue::integer(int64_t(offset)));
    offset += tensor.byteSize();
    offsets.push(JsonValue::integer(int64_t(offset)));
    JsonValue info = JsonValue::object();
    info.set("dtype", JsonValue::string(safetensorsDTypeName(tensor.dtype())));
    info.set("shape", std::move(shape));
    info.set("data_offsets", std::move(offsets));
    header.set(name, std::move(info));
  }
  std::string headerText = writeJson(header);
  headerText.append((8 - headerText.size() % 8) % 8, ' ');

  std::string out;
  out.reserve(8 + headerText.size() + offset);
  for (int i = 0; i < 8; ++i)
    out += char((uint64_t(headerText.size()) >> (8 * i)) & 0xFF);
  out += headerText;
  for (const auto &[name, tensor] : file.tensors)
    if (tensor.byteSize())
      out.append(static_cast<const char *>(tensor.data()), tensor.byteSize());
  return out;
}

Status writeSafeTensors(const std::string &path, const SafeTensors &file) {
  NEEDLE_ASSIGN_OR_RETURN(std::string bytes, encodeSafeTensors(file));
  return writeFileAtomically(path, bytes);
}

} // namespace needle::runtime
