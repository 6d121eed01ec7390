// A single BatchNorm1d(3) (eps 1e-5, momentum 0.1); @loss applies SoftmaxLoss
// to its output, treating the 3 features as class scores.
module {
  needle.variable parameter @"0.weight" : tensor<3xf32> = #needle.ones
  needle.variable parameter @"0.bias" : tensor<3xf32> = #needle.zeros
  needle.variable buffer @"0.running_mean" : tensor<3xf32> = #needle.zeros
  needle.variable buffer @"0.running_var" : tensor<3xf32> = #needle.ones

  func.func @forward(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
    %c0 = arith.constant 0 : index
    %0 = needle.read @"0.weight" : tensor<3xf32>
    %1 = needle.read @"0.bias" : tensor<3xf32>
    %2 = needle.read @"0.running_mean" : tensor<3xf32>
    %3 = needle.read @"0.running_var" : tensor<3xf32>
    %4 = needle.batch_norm %x, %0, %1, %2, %3 : tensor<?x3xf32>, tensor<3xf32>
    return %4 : tensor<?x3xf32>
  }
  func.func @loss(%x: tensor<?x3xf32>, %y: tensor<?xi32>) -> tensor<f32> {
    %c0 = arith.constant 0 : index
    %0 = needle.read @"0.weight" : tensor<3xf32>
    %1 = needle.read @"0.bias" : tensor<3xf32>
    %2 = needle.read @"0.running_mean" : tensor<3xf32>
    %3 = needle.read @"0.running_var" : tensor<3xf32>
    %4 = needle.batch_norm %x, %0, %1, %2, %3 : tensor<?x3xf32>, tensor<3xf32>
    %5 = needle.softmax_loss %4, %y : tensor<?x3xf32>, tensor<?xi32> -> tensor<f32>
    return %5 : tensor<f32>
  }
}
