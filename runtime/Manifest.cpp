#include "runtime/Manifest.h"

#include "runtime/Json.h"

#include <set>

namespace needle::runtime {

namespace {

constexpr size_t kMaxRank = 32;

StatusOr<const JsonValue *> member(const JsonValue &object, const char *key,
                                   JsonValue::Kind kind) {
  const JsonValue *value = object.find(key);
  if (!value)
    return Status::error(std::string("missing field '") + key + "'");
  if (value->kind() != kind)
    return Status::error(std::string("field '") + key + "' is " +
                         JsonValue::kindName(value->kind()) + ", expected " +
                         JsonValue::kindName(kind));
  return value;
}

StatusOr<std::string> stringMember(const JsonValue &object, const char *key) {
  NEEDLE_ASSIGN_OR_RETURN(const JsonValue *value,
                          member(object, key, JsonValue::Kind::String));
  return value->asString();
}

StatusOr<std::string> nameMember(const JsonValue &object) {
  NEEDLE_ASSIGN_OR_RETURN(std::string name, stringMember(object, "name"));
  if (name.empty())
    return Status::error("field 'name' is empty");
  return name;
}

bool isCIdentifier(const std::string &s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9'))
    return false;
  for (char c : s)
    if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9')))
      return false;
  return true;
}

// `minDim` is kDynamicDim for entry point shapes and 0 for variables.
StatusOr<Shape> parseShape(const JsonValue &object, int64_t minDim) {
  NEEDLE_ASSIGN_OR_RETURN(const JsonValue *array,
                          member(object, "shape", JsonValue::Kind::Array));
  if (array->elements().size() > kMaxRank)
    return Status::error("shape has more than " + std::to_string(kMaxRank) +
                         " dimensions");
  Shape shape;
  for (const JsonValue &dim : array->elements()) {
    if (!dim.isInteger() || dim.asInt64() < minDim)
      return Status::error(minDim < 0 ? "bad shape: dims must be integers >= 0 "
                                        "or -1 (dynamic)"
                                      : "bad shape: dims must be integers >= 0");
    shape.push_back(dim.asInt64());
  }
  Shape staticPart = shape;
  for (int64_t &dim : staticPart)
    dim = dim < 0 ? 0 : dim;
  NEEDLE_RETURN_IF_ERROR(checkedElementCount(staticPart, 8).status());
  return shape;
}

StatusOr<DType> parseDTypeMember(const JsonValue &object) {
  NEEDLE_ASSIGN_OR_RETURN(std::string name, stringMember(object, "dtype"));
  return parseDType(name);
}

StatusOr<TensorSpec> parseTensorSpec(const JsonValue &json) {
  if (!json.isObject())
    return Status::error("is not an object");
  TensorSpec spec;
  NEEDLE_ASSIGN_OR_RETURN(spec.name, nameMember(json));
  NEEDLE_ASSIGN_OR_RETURN(spec.dtype, parseDTypeMember(json));
  NEEDLE_ASSIGN_OR_RETURN(spec.shape, parseShape(json, kDynamicDim));
  return spec;
}

StatusOr<std::vector<std::string>> parseNameList(const JsonValue &object,
                                                 const char *key) {
  NEEDLE_ASSIGN_OR_RETURN(const JsonValue *array,
                          member(object, key, JsonValue::Kind::Array));
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (const JsonValue &name : array->elements()) {
    if (!name.isString())
      return Status::error(std::string("'") + key + "' holds a non-string");
    if (!seen.insert(name.asString()).second)
      return Status::error(std::string("'") + key + "' lists '" +
                           name.asString() + "' twice");
    names.push_back(name.asString());
  }
  return names;
}

// Errors name the variable, or its index when it has no usable name.
StatusOr<VariableSpec> parseVariable(const JsonValue &json, size_t index) {
  VariableSpec spec;
  Status named = json.isObject() ? Status() : Status::error("is not an object");
  if (named.ok()) {
    StatusOr<std::string> name = nameMember(json);
    named = name.status();
    if (name.ok())
      spec.name = *name;
  }
  if (!named.ok())
    return named.withContext("variable " + std::to_string(index));
  auto parse = [&]() -> Status {
    NEEDLE_ASSIGN_OR_RETURN(std::string kind, stringMember(json, "kind"));
    if (kind == "parameter")
      spec.kind = VariableKind::parameter;
    else if (kind == "buffer")
      spec.kind = VariableKind::buffer;
    else if (kind == "optimizer_state")
      spec.kind = VariableKind::optimizerState;
    else
      return Status::error("unknown kind '" + kind +
                           "' (expected parameter, buffer or optimizer_state)");
    NEEDLE_ASSIGN_OR_RETURN(spec.dtype, parseDTypeMember(json));
    NEEDLE_ASSIGN_OR_RETURN(spec.shape, parseShape(json, 0));
    NEEDLE_ASSIGN_OR_RETURN(const JsonValue *init,
                            member(json, "initializer", JsonValue::Kind::Object));
    NEEDLE_ASSIGN_OR_RETURN(spec.initializer, parseInitializer(*init));
    return Status();
  };
  NEEDLE_RETURN_IF_ERROR(parse().withContext("variable '" + spec.name + "'"));
  return spec;
}

StatusOr<std::vector<TensorSpec>> parseTensorSpecs(const JsonValue &entry,
                                                   const char *key,
                                                   const char *what) {
  NEEDLE_ASSIGN_OR_RETURN(const JsonValue *array,
                          member(entry, key, JsonValue::Kind::Array));
  std::vector<TensorSpec> specs;
  for (size_t i = 0; i < array->elements().size(); ++i) {
    StatusOr<TensorSpec> spec = parseTensorSpec(array->elements()[i]);
    if (!spec.ok())
      return spec.status().withContext(std::string(what) + " " + std::to_string(i));
    specs.push_back(std::move(*spec));
  }
  return specs;
}

/// `[a, b]` with two integers as (a, b); anything else as (-1, -1).
std::pair<int64_t, int64_t> integerPair(const JsonValue &json) {
  if (!json.isArray() || json.elements().size() != 2 || !json.elements()[0].isInteger() ||
      !json.elements()[1].isInteger())
    return {-1, -1};
  return {json.elements()[0].asInt64(), json.elements()[1].asInt64()};
}

StatusOr<EntryPointSpec> parseEntryPoint(const JsonValue &json, size_t index,
                                         const Manifest &manifest) {
  EntryPointSpec entry;
  Status named = json.isObject() ? Status() : Status::error("is not an object");
  if (named.ok()) {
    StatusOr<std::string> name = nameMember(json);
    named = name.status();
    if (name.ok())
      entry.name = *name;
  }
  if (!named.ok())
    return named.withContext("entry point " + std::to_string(index));
  auto context = "entry point '" + entry.name + "'";
  auto parse = [&]() -> Status {
    NEEDLE_ASSIGN_OR_RETURN(entry.symbol, stringMember(json, "symbol"));
    if (!isCIdentifier(entry.symbol))
      return Status::error("symbol '" + entry.symbol +
                           "' is not a C identifier");
    NEEDLE_ASSIGN_OR_RETURN(entry.inputs, parseTensorSpecs(json, "inputs", "input"));
    NEEDLE_ASSIGN_OR_RETURN(entry.outputs,
                            parseTensorSpecs(json, "outputs", "output"));
    NEEDLE_ASSIGN_OR_RETURN(entry.variables, parseNameList(json, "variables"));
    NEEDLE_ASSIGN_OR_RETURN(entry.writes, parseNameList(json, "writes"));
    if (json.find("description")) {
      NEEDLE_ASSIGN_OR_RETURN(entry.description, stringMember(json, "description"));
    }
    if (const JsonValue *groups = json.find("equal_dims")) {
      if (!groups->isArray())
        return Status::error("'equal_dims' is not an array");
      for (const JsonValue &group : groups->elements()) {
        if (!group.isArray())
          return Status::error("'equal_dims' has a group that is not an array");
        auto &members = entry.equalDims.emplace_back();
        for (const JsonValue &member : group.elements()) {
          auto [input, dim] = integerPair(member);
          if (input < 0 || size_t(input) >= entry.inputs.size() || dim < 0 ||
              size_t(dim) >= entry.inputs[input].shape.size())
            return Status::error("'equal_dims' names no dim of an input");
          members.emplace_back(size_t(input), size_t(dim));
        }
      }
    }
    if (const JsonValue *bounds = json.find("label_bounds")) {
      if (!bounds->isArray())
        return Status::error("'label_bounds' is not an array");
      for (const JsonValue &bound : bounds->elements()) {
        auto [input, classes] = integerPair(bound);
        if (input < 0 || size_t(input) >= entry.inputs.size() || classes < 0 ||
            (entry.inputs[input].dtype != DType::i32 &&
             entry.inputs[input].dtype != DType::i64))
          return Status::error("'label_bounds' names no integer input");
        entry.labelBounds.emplace_back(size_t(input), classes);
      }
    }
    for (const std::string &name : entry.variables)
      if (!manifest.findVariable(name))
        return Status::error("uses unknown variable '" + name + "'");
    std::set<std::string> used(entry.variables.begin(), entry.variables.end());
    for (const std::string &name : entry.writes)
      if (!used.count(name))
        return Status::error("writes '" + name +
                             "', which is not in its 'variables'");
    return Status();
  };
  NEEDLE_RETURN_IF_ERROR(parse().withContext(context));
  return entry;
}

} // namespace

const char *variableKindName(VariableKind kind) {
  switch (kind) {
  case VariableKind::parameter: return "parameter";
  case VariableKind::buffer: return "buffer";
  case VariableKind::optimizerState: return "optimizer_state";
  }
  return "?";
}

const EntryPointSpec *Manifest::findEntryPoint(std::string_view name) const {
  for (const EntryPointSpec &entry : entryPoints)
    if (entry.name == name)
      return &entry;
  return nullptr;
}

const VariableSpec *Manifest::findVariable(std::string_view name) const {
  for (const VariableSpec &variable : variables)
    if (variable.name == name)
      return &variable;
  return nullptr;
}

StatusOr<Manifest> parseManifest(std::string_view text) {
  StatusOr<JsonValue> parsed = parseJson(text, {size_t(16) << 20, 32});
  if (!parsed.ok())
    return parsed.status().withContext("manifest is not valid JSON");
  const JsonValue &root = *parsed;
  if (!root.isObject())
    return Status::error("manifest is not a JSON object");
  auto inManifest = [](const Status &status) {
    return status.withContext("manifest");
  };

  Manifest manifest;
  StatusOr<std::string> format = stringMember(root, "format");
  if (!format.ok())
    return inManifest(format.status());
  if (*format != "needle-artifact")
    return Status::error("manifest format is '" + *format +
                         "', expected 'needle-artifact'");
  const JsonValue *version = root.find("format_version");
  if (!version || !version->isInteger())
    return Status::error("manifest: missing or non-integer 'format_version'");
  if (version->asInt64() != kManifestFormatVersion)
    return Status::error("artifact format version " +
                         std::to_string(version->asInt64()) +
                         " is not supported (this runtime reads version " +
                         std::to_string(kManifestFormatVersion) + ")");
  StatusOr<std::string> target = stringMember(root, "target");
  if (!target.ok())
    return inManifest(target.status());
  if (*target == "cuda")
    return Status::error("artifact target 'cuda' is not supported by this "
                         "build's CPU executor");
  if (*target != "cpu")
    return Status::error("unknown artifact target '" + *target +
                         "' (this runtime runs 'cpu')");
  manifest.target = *target;

  auto parseRest = [&]() -> Status {
    NEEDLE_ASSIGN_OR_RETURN(manifest.compilerVersion,
                            stringMember(root, "compiler_version"));
    if (root.find("triple")) {
      NEEDLE_ASSIGN_OR_RETURN(manifest.triple, stringMember(root, "triple"));
    }
    NEEDLE_ASSIGN_OR_RETURN(const JsonValue *variables,
                            member(root, "variables", JsonValue::Kind::Array));
    for (size_t i = 0; i < variables->elements().size(); ++i) {
      NEEDLE_ASSIGN_OR_RETURN(VariableSpec variable,
                              parseVariable(variables->elements()[i], i));
      if (manifest.findVariable(variable.name))
        return Status::error("variable '" + variable.name +
                             "' is declared twice");
      manifest.variables.push_back(std::move(variable));
    }
    NEEDLE_ASSIGN_OR_RETURN(const JsonValue *entries,
                            member(root, "entry_points", JsonValue::Kind::Array));
    for (size_t i = 0; i < entries->elements().size(); ++i) {
      NEEDLE_ASSIGN_OR_RETURN(
          EntryPointSpec entry,
          parseEntryPoint(entries->elements()[i], i, manifest));
      if (manifest.findEntryPoint(entry.name))
        return Status::error("entry point '" + entry.name +
                             "' is declared twice");
      manifest.entryPoints.push_back(std::move(entry));
    }
    return Status();
  };
  NEEDLE_RETURN_IF_ERROR(inManifest(parseRest()));
  return manifest;
}

} // namespace needle::runtime
