// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file -verify-diagnostics

// Mode-agnostic ops have no single meaning to lower: each one is named.

func.func @dropout(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'needle.dropout' op must be specialised (needle-specialize) before lowering}}
  %0 = needle.dropout %x, 0.1 : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

func.func @batch_norm(%x: tensor<?x3xf32>, %w: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<?x3xf32> {
  %0 = needle.relu %x : tensor<?x3xf32>
  // expected-error @+1 {{'needle.batch_norm' op must be specialised (needle-specialize) before lowering}}
  %1 = needle.batch_norm %0, %w, %b, %m, %v : tensor<?x3xf32>, tensor<3xf32>
  return %1 : tensor<?x3xf32>
}
