//===- NeedleAttrs.td - variable kinds and initializers ----*- tablegen -*-===//
#ifndef NEEDLE_ATTRS_TD
#define NEEDLE_ATTRS_TD

include "dialect/NeedleDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Needle_VariableKind : I32EnumAttr<"VariableKind", "kind of a module-level variable", [
    I32EnumAttrCase<"parameter", 0>,
    I32EnumAttrCase<"buffer", 1>,
    I32EnumAttrCase<"optimizer_state", 2>]> {
  let cppNamespace = "::mlir::needle";
}

class Needle_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Needle_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

// An f64 parameter printed so that it parses back to the same bits.
def Needle_F64Param : APFloatParameter<"an f64 value"> {
  let parser = [{ ::mlir::needle::parseF64Parameter($_parser) }];
  let printer = [{ $_printer.printFloat($_self) }];
}

// Initializers carry needle's init functions (python/needle/init) and their
// arguments; the runtime evaluates them in variable declaration order from one
// numpy-compatible random stream.
def Needle_ZerosAttr : Needle_Attr<"Zeros", "zeros"> {
  let summary = "every element 0";
}
def Needle_OnesAttr : Needle_Attr<"Ones", "ones"> {
  let summary = "every element 1";
}
def Needle_ConstantAttr : Needle_Attr<"Constant", "constant"> {
  let summary = "every element `value`";
  let parameters = (ins Needle_F64Param:$value);
  let assemblyFormat = "`<` struct(params) `>`";
}
def Needle_SeedAttr : Needle_Attr<"Seed", "seed"> {
  let summary = "every element the runtime's seed";
  let description = [{
    The seed the runtime creates the module's variables with. It keys the
    counter-based random streams of compiled code (dropout masks), so runs
    with the same seed are reproducible and a checkpoint carries its streams.
  }];
}
def Needle_RandAttr : Needle_Attr<"Rand", "rand"> {
  let summary = "uniform in [low, high): u * (high - low) + low";
  let parameters = (ins Needle_F64Param:$low, Needle_F64Param:$high);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}
def Needle_RandnAttr : Needle_Attr<"Randn", "randn"> {
  let summary = "normal: n * std + mean";
  let parameters = (ins Needle_F64Param:$mean, Needle_F64Param:$std);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

class Needle_FanInitAttr<string name, string attrMnemonic, string formula>
    : Needle_Attr<name, attrMnemonic> {
  let summary = formula;
  let parameters = (ins "int64_t":$fan_in, "int64_t":$fan_out, Needle_F64Param:$gain);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}
def Needle_KaimingUniformAttr : Needle_FanInitAttr<"KaimingUniform", "kaiming_uniform",
    "rand(-b, b) with b = gain * sqrt(3 / fan_in); needle's relu gain is sqrt(2)">;
def Needle_KaimingNormalAttr : Needle_FanInitAttr<"KaimingNormal", "kaiming_normal",
    "randn(0, gain / sqrt(fan_in))">;
def Needle_XavierUniformAttr : Needle_FanInitAttr<"XavierUniform", "xavier_uniform",
    "rand(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out))">;
def Needle_XavierNormalAttr : Needle_FanInitAttr<"XavierNormal", "xavier_normal",
    "randn(0, gain * sqrt(2 / (fan_in + fan_out)))">;

def Needle_InitializerAttr : Attr<CPred<[{
    ::llvm::isa<::mlir::needle::ZerosAttr, ::mlir::needle::OnesAttr,
                ::mlir::needle::ConstantAttr, ::mlir::needle::SeedAttr,
                ::mlir::needle::RandAttr,
                ::mlir::needle::RandnAttr, ::mlir::needle::KaimingUniformAttr,
                ::mlir::needle::KaimingNormalAttr, ::mlir::needle::XavierUniformAttr,
                ::mlir::needle::XavierNormalAttr>($_self)}]>,
    "needle initializer attribute"> {
  let storageType = "::mlir::Attribute";
  let returnType = "::mlir::Attribute";
  let convertFromStorage = "$_self";
}

#endif // NEEDLE_ATTRS_TD
