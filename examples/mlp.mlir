// Sequential(Linear(784, 100), BatchNorm1d(100), ReLU(), Linear(100, 10)).
module {
  needle.variable parameter @"0.weight" : tensor<784x100xf32> = #needle.kaiming_uniform<fan_in = 784, fan_out = 100, gain = 1.4142135623730951>
  needle.variable parameter @"0.bias" : tensor<1x100xf32> = #needle.kaiming_uniform<fan_in = 100, fan_out = 1, gain = 1.4142135623730951>
  needle.variable parameter @"1.weight" : tensor<100xf32> = #needle.ones
  needle.variable parameter @"1.bias" : tensor<100xf32> = #needle.zeros
  needle.variable buffer @"1.running_mean" : tensor<100xf32> = #needle.zeros
  needle.variable buffer @"1.running_var" : tensor<100xf32> = #needle.ones
  needle.variable parameter @"3.weight" : tensor<100x10xf32> = #needle.kaiming_uniform<fan_in = 100, fan_out = 10, gain = 1.4142135623730951>
  needle.variable parameter @"3.bias" : tensor<1x10xf32> = #needle.kaiming_uniform<fan_in = 10, fan_out = 1, gain = 1.4142135623730951>

  func.func @forward(%x: tensor<?x784xf32>) -> tensor<?x10xf32> {
    %c0 = arith.constant 0 : index
    %0 = needle.read @"0.weight" : tensor<784x100xf32>
    %1 = needle.read @"0.bias" : tensor<1x100xf32>
    %2 = needle.matmul %x, %0 : tensor<?x784xf32>, tensor<784x100xf32> -> tensor<?x100xf32>
    %3 = tensor.dim %2, %c0 : tensor<?x100xf32>
    %4 = needle.broadcast_to %1 [%3, 100] : tensor<1x100xf32> -> tensor<?x100xf32>
    %5 = needle.add %2, %4 : tensor<?x100xf32>
    %6 = needle.read @"1.weight" : tensor<100xf32>
    %7 = needle.read @"1.bias" : tensor<100xf32>
    %8 = needle.read @"1.running_mean" : tensor<100xf32>
    %9 = needle.read @"1.running_var" : tensor<100xf32>
    %10 = needle.batch_norm %5, %6, %7, %8, %9 : tensor<?x100xf32>, tensor<100xf32>
    %11 = needle.relu %10 : tensor<?x100xf32>
    %12 = needle.read @"3.weight" : tensor<100x10xf32>
    %13 = needle.read @"3.bias" : tensor<1x10xf32>
    %14 = needle.matmul %11, %12 : tensor<?x100xf32>, tensor<100x10xf32> -> tensor<?x10xf32>
    %15 = tensor.dim %14, %c0 : tensor<?x10xf32>
    %16 = needle.broadcast_to %13 [%15, 10] : tensor<1x10xf32> -> tensor<?x10xf32>
    %17 = needle.add %14, %16 : tensor<?x10xf32>
    return %17 : tensor<?x10xf32>
  }
  func.func @loss(%x: tensor<?x784xf32>, %y: tensor<?xi32>) -> tensor<f32> {
    %c0 = arith.constant 0 : index
    %0 = needle.read @"0.weight" : tensor<784x100xf32>
    %1 = needle.read @"0.bias" : tensor<1x100xf32>
    %2 = needle.matmul %x, %0 : tensor<?x784xf32>, tensor<784x100xf32> -> tensor<?x100xf32>
    %3 = tensor.dim %2, %c0 : tensor<?x100xf32>
    %4 = needle.broadcast_to %1 [%3, 100] : tensor<1x100xf32> -> tensor<?x100xf32>
    %5 = needle.add %2, %4 : tensor<?x100xf32>
    %6 = needle.read @"1.weight" : tensor<100xf32>
    %7 = needle.read @"1.bias" : tensor<100xf32>
    %8 = needle.read @"1.running_mean" : tensor<100xf32>
    %9 = needle.read @"1.running_var" : tensor<100xf32>
    %10 = needle.batch_norm %5, %6, %7, %8, %9 : tensor<?x100xf32>, tensor<100xf32>
    %11 = needle.relu %10 : tensor<?x100xf32>
    %12 = needle.read @"3.weight" : tensor<100x10xf32>
    %13 = needle.read @"3.bias" : tensor<1x10xf32>
    %14 = needle.matmul %11, %12 : tensor<?x100xf32>, tensor<100x10xf32> -> tensor<?x10xf32>
    %15 = tensor.dim %14, %c0 : tensor<?x10xf32>
    %16 = needle.broadcast_to %13 [%15, 10] : tensor<1x10xf32> -> tensor<?x10xf32>
    %17 = needle.add %14, %16 : tensor<?x10xf32>
    %18 = needle.softmax_loss %17, %y : tensor<?x10xf32>, tensor<?xi32> -> tensor<f32>
    return %18 : tensor<f32>
  }
}
