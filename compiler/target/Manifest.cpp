//===- Manifest.cpp - the artifact's embedded manifest --------------------===//
//
// The manifest is what the runtime knows of an artifact: the entry points
// with their tensor signatures and the variables with their initializers.
// Schema: runtime/Manifest.h.
//
//===----------------------------------------------------------------------===//
#include "compiler/target/Manifest.h"
#include "dialect/NeedleOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/JSON.h"

using namespace mlir;
using namespace mlir::needle;
namespace json = llvm::json;

namespace needle {

static FailureOr<std::string> dtypeName(Operation *op, Type type) {
  if (type.isF32())
    return std::string("f32");
  if (type.isF64())
    return std::string("f64");
  if (type.isSignlessInteger(32))
    return std::string("i32");
  if (type.isSignlessInteger(64))
    return std::string("i64");
  return op->emitError() << "element type " << type
                         << " is not supported by the runtime (f32, f64, i32, i64)";
}

static FailureOr<json::Object> tensorSpec(Operation *op, StringRef name, Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return op->emitError() << "'" << name << "' has type " << type
                           << "; entry points take and return ranked tensors";
  auto dtype = dtypeName(op, tensor.getElementType());
  if (failed(dtype))
    return failure();
  json::Array shape;
  for (int64_t dim : tensor.getShape())
    shape.push_back(ShapedType::isDynamic(dim) ? int64_t(-1) : dim);
  // json::Value borrows StringRefs; the names must be owned copies.
  return json::Object{{"name", name.str()}, {"dtype", *dtype}, {"shape", std::move(shape)}};
}

static json::Object initializerSpec(Attribute init) {
  auto fans = [](StringRef kind, auto attr) {
    return json::Object{{"kind", kind.str()},
                        {"fan_in", attr.getFanIn()},
                        {"fan_out", attr.getFanOut()},
                        {"gain", attr.getGain().convertToDouble()}};
  };
  return llvm::TypeSwitch<Attribute, json::Object>(init)
      .Case([](ZerosAttr) { return json::Object{{"kind", "zeros"}}; })
      .Case([](OnesAttr) { return json::Object{{"kind", "ones"}}; })
      .Case([](ConstantAttr a) {
        return json::Object{{"kind", "constant"},
                            {"value", a.getValue().convertToDouble()}};
      })
      .Case([](SeedAttr) { return json::Object{{"kind", "seed"}}; })
      .Case([](RandAttr a) {
        return json::Object{{"kind", "rand"},
                            {"low", a.getLow().convertToDouble()},
                            {"high", a.getHigh().convertToDouble()}};
      })
      .Case([](RandnAttr a) {
        return json::Object{{"kind", "randn"},
                            {"mean", a.getMean().convertToDouble()},
                            {"std", a.getStd().convertToDouble()}};
      })
      .Case([&](KaimingUniformAttr a) { return fans("kaiming_uniform", a); })
      .Case([&](KaimingNormalAttr a) { return fans("kaiming_normal", a); })
      .Case([&](XavierUniformAttr a) { return fans("xavier_uniform", a); })
      .Case([&](XavierNormalAttr a) { return fans("xavier_normal", a); });
}

static json::Array stringList(Operation *op, StringRef attrName) {
  json::Array list;
  if (auto array = op->getAttrOfType<ArrayAttr>(attrName))
    for (auto name : array.getAsValueRange<StringAttr>())
      list.push_back(name.str());
  return list;
}

FailureOr<std::string> buildManifest(ModuleOp module, StringRef target,
                                     StringRef triple) {
  json::Array variables;
  for (auto variable : module.getOps<VariableOp>()) {
    auto spec = tensorSpec(variable, variable.getSymName(), variable.getTensorType());
    if (failed(spec))
      return failure();
    (*spec)["kind"] = stringifyVariableKind(variable.getKind()).str();
    (*spec)["initializer"] = initializerSpec(variable.getInitializer());
    variables.push_back(std::move(*spec));
  }

  json::Array entries;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal() || !func.isPublic())
      continue;
    json::Array inputs, outputs;
    for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
      if (func.getArgAttr(i, "needle.variable"))
        continue;
      auto nameAttr = func.getArgAttrOfType<StringAttr>(i, "needle.name");
      std::string name = nameAttr ? nameAttr.str() : "input" + std::to_string(i);
      auto spec = tensorSpec(func, name, type);
      if (failed(spec))
        return failure();
      inputs.push_back(std::move(*spec));
    }
    for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
      auto spec = tensorSpec(func, "output" + std::to_string(i), type);
      if (failed(spec))
        return failure();
      outputs.push_back(std::move(*spec));
    }
    json::Object spec{
        {"name", func.getSymName().str()},
        {"symbol", (kEntrySymbolPrefix + func.getSymName()).str()},
        {"inputs", std::move(inputs)},
        {"outputs", std::move(outputs)},
        {"variables", stringList(func, "needle.variables")},
        {"writes", stringList(func, "needle.writes")},
    };
    // Input dims the entry's ops need equal (needle-record-equal-dims).
    if (auto groups = func->getAttrOfType<ArrayAttr>("needle.equal_dims")) {
      json::Array list;
      for (auto group : groups.getAsRange<ArrayAttr>()) {
        json::Array members;
        for (auto member : group.getAsRange<DenseI64ArrayAttr>())
          members.push_back(json::Array{member[0], member[1]});
        list.push_back(std::move(members));
      }
      spec["equal_dims"] = std::move(list);
    }
    // Class counts of label inputs (needle-record-label-bounds).
    if (auto bounds = func->getAttrOfType<ArrayAttr>("needle.label_bounds")) {
      json::Array list;
      for (auto bound : bounds.getAsRange<DenseI64ArrayAttr>())
        list.push_back(json::Array{bound[0], bound[1]});
      spec["label_bounds"] = std::move(list);
    }
    // What the entry does beyond its signature (a training step's optimizer).
    if (auto description = func->getAttrOfType<StringAttr>("needle.description"))
      spec["description"] = description.str();
    entries.push_back(std::move(spec));
  }

  json::Object manifest{
      {"format", "needle-artifact"},
      {"format_version", kManifestFormatVersion},
      {"compiler_version", kCompilerVersion},
      {"target", target.str()},
      {"triple", triple.str()},
      {"entry_points", std::move(entries)},
      {"variables", std::move(variables)},
  };
  std::string text;
  llvm::raw_string_ostream os(text);
  os << json::Value(std::move(manifest));
  return text;
}

} // namespace needle
