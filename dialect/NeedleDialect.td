//===- NeedleDialect.td - the needle dialect ---------------*- tablegen -*-===//
#ifndef NEEDLE_DIALECT_TD
#define NEEDLE_DIALECT_TD

include "mlir/IR/OpBase.td"

def Needle_Dialect : Dialect {
  let name = "needle";
  let cppNamespace = "::mlir::needle";
  let summary = "Static-graph operations of needle-style neural networks";
  let description = [{
    The needle dialect holds models as traced from needle-style modules: tensor
    operations with needle's semantics (no implicit broadcasting), BatchNorm and
    Dropout in mode-agnostic and specialised forms, and module-level variables
    (parameters, buffers, optimizer state) read and written by name. Values are
    builtin ranked tensors; the batch dimension may be dynamic.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 0;
}

class Needle_Op<string mnemonic, list<Trait> traits = []>
    : Op<Needle_Dialect, mnemonic, traits>;

// Value types. The element type is never fixed: f32 and f64 both verify.
def Needle_FloatTensor : RankedTensorOf<[AnyFloat]>;
def Needle_IntTensor : RankedTensorOf<[AnySignlessInteger]>;
def Needle_ScalarFloatTensor : 0DTensorOf<[AnyFloat]>;

#endif // NEEDLE_DIALECT_TD
