//===- Passes.td - passes on the needle dialect ------------*- tablegen -*-===//
#ifndef NEEDLE_COMPILER_TRANSFORMS_PASSES_TD
#define NEEDLE_COMPILER_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def NeedleSpecialize : Pass<"needle-specialize", "::mlir::func::FuncOp"> {
  let summary = "Rewrite mode-agnostic BatchNorm and Dropout for training or inference";
  let description = [{
    Traced models hold `needle.batch_norm` and `needle.dropout`, whose meaning
    depends on the mode. With `mode=infer`, batch_norm becomes
    `batch_norm_infer` (running statistics, no state change) and dropout the
    identity. With `mode=train`, batch_norm becomes `batch_norm_train` followed
    by writes of the new running statistics to the buffers they were read
    from; dropout keeps its training meaning.
  }];
  let options = [
    Option<"mode", "mode", "std::string", /*default=*/"\"infer\"",
           "`train` or `infer`">,
  ];
  let dependentDialects = ["::mlir::needle::NeedleDialect"];
}

#endif // NEEDLE_COMPILER_TRANSFORMS_PASSES_TD
