// needle's MLPResNet(784, hidden_dim=100, num_blocks=3, num_classes=10,
// norm=BatchNorm1d, drop_prob=0.1): Linear-ReLU, three
// Residual(Linear(100,50)-BatchNorm1d-ReLU-Dropout-Linear(50,100)-BatchNorm1d)-ReLU
// blocks, Linear(100,10). Variables are declared in needle's construction
// order and named like a PyTorch state_dict; the batch dimension is dynamic.
module {
  needle.variable parameter @"0.weight" : tensor<784x100xf32> = #needle.kaiming_uniform<fan_in = 784, fan_out = 100, gain = 1.4142135623730951>
  needle.variable parameter @"0.bias" : tensor<1x100xf32> = #needle.kaiming_uniform<fan_in = 100, fan_out = 1, gain = 1.4142135623730951>
  needle.variable parameter @"2.0.fn.0.weight" : tensor<100x50xf32> = #needle.kaiming_uniform<fan_in = 100, fan_out = 50, gain = 1.4142135623730951>
  needle.variable parameter @"2.0.fn.0.bias" : tensor<1x50xf32> = #needle.kaiming_uniform<fan_in = 50, fan_out = 1, gain = 1.4142135623730951>
  needle.variable parameter @"2.0.fn.1.weight" : tensor<50xf32> = #needle.ones
  needle.variable parameter @"2.0.fn.1.bias" : tensor<50xf32> = #needle.zeros
  needle.variable buffer @"2.0.fn.1.running_mean" : tensor<50xf32> = #needle.zeros
  needle.variable buffer @"2.0.fn.1.running_var" : tensor<50xf32> = #needle.ones
  needle.variable parameter @"2.0.fn.4.weight" : tensor<50x100xf32> = #needle.kaiming_uniform<fan_in = 50, fan_out = 100, gain = 1.4142135623730951>
  needle.variable parameter @"2.0.fn.4.bias" : tensor<1x100xf32> = #needle.kaiming_uniform<fan_in = 100, fan_out = 1, gain = 1.4142135623730951>
  needle.variable parameter @"2.0.fn.5.weight" : tensor<100xf32> = #needle.ones
  needle.variable parameter @"2.0.fn.5.bias" : tensor<100xf32> = #needle.zeros
  needle.variable buffer @"2.0.fn.5.running_mean" : tensor<100xf32> = #needle.zeros
  needle.variable buffer @"2.0.fn.5.running_var" : tensor<100xf32> = #needle.ones
  needle.variable parameter @"3.0.fn.0.weight" : tensor<100x50xf32> = #needle.kaiming_uniform<fan_in = 100, fan_out = 50, gain = 1.4142135623730951>
  needle.variable parameter @"3.0.fn.0.bias" : tensor<1x50xf32> = #needle.kaiming_uniform<fan_in = 50, fan_out = 1, gain = 1.4142135623730951>
  needle.variable parameter @"3.0.fn.1.weight" : tensor<50xf32> = #needle.ones
  needle.variable parameter @"3.0.fn.1.bias" : tensor<50xf32> = #needle.zeros
  needle.variable buffer @"3.0.fn.1.running_mean" : tensor<50xf32> = #needle.zeros
  needle.variable buffer @"3.0.fn.1.running_var" : tensor<50xf32> = #needle.ones
  needle.variable parameter @"3.0.fn.4.weight" : tensor<50x100xf32> = #needle.kaiming_uniform<fan_in = 50, fan_out = 100, gain = 1.4142135623730951>
  needle.variable parameter @"3.0.fn.4.bias" : tensor<1x100xf32> = #needle.kaiming_uniform<fan_in = 100, fan_out = 1, gain = 1.4142135623730951>
  needle.variable parameter @"3.0.fn.5.weight" : tensor<100xf32> = #needle.ones
  needle.variable parameter @"3.0.fn.5.bias" : tensor<100xf32> = #needle.zeros
  needle.variable buffer @"3.0.fn.5.running_mean" : tensor<100xf32> = #needle.zeros
  needle.variable buffer @"3.0.fn.5.running_var" : tensor<100xf32> = #needle.ones
  needle.variable parameter @"4.0.fn.0.weight" : tensor<100x50xf32> = #needle.kaiming_uniform<fan_in = 100, fan_out = 50, gain = 1.4142135623730951>
  needle.variable parameter @"4.0.fn.0.bias" : tensor<1x50xf32> = #needle.kaiming_uniform<fan_in = 50, fan_out = 1, gain = 1.4142135623730951>
  needle.variable parameter @"4.0.fn.1.weight" : tensor<50xf32> = #needle.ones
  needle.variable parameter @"4.0.fn.1.bias" : tensor<50xf32> = #needle.zeros
  needle.variable buffer @"4.0.fn.1.running_mean" : tensor<50xf32> = #needle.zeros
  needle.variable buffer @"4.0.fn.1.running_var" : tensor<50xf32> = #needle.ones
  needle.variable parameter @"4.0.fn.4.weight" : tensor<50x100xf32> = #needle.kaiming_uniform<fan_in = 50, fan_out = 100, gain = 1.4142135623730951>
  needle.variable parameter @"4.0.fn.4.bias" : tensor<1x100xf32> = #needle.kaiming_uniform<fan_in = 100, fan_out = 1, gain = 1.4142135623730951>
  needle.variable parameter @"4.0.fn.5.weight" : tensor<100xf32> = #needle.ones
  needle.variable parameter @"4.0.fn.5.bias" : tensor<100xf32> = #needle.zeros
  needle.variable buffer @"4.0.fn.5.running_mean" : tensor<100xf32> = #needle.zeros
  needle.variable buffer @"4.0.fn.5.running_var" : tensor<100xf32> = #needle.ones
  needle.variable parameter @"5.weight" : tensor<100x10xf32> = #needle.kaiming_uniform<fan_in = 100, fan_out = 10, gain = 1.4142135623730951>
  needle.variable parameter @"5.bias" : tensor<1x10xf32> = #needle.kaiming_uniform<fan_in = 10, fan_out = 1, gain = 1.4142135623730951>

  func.func @forward(%x: tensor<?x784xf32>) -> tensor<?x10xf32> {
    %c0 = arith.constant 0 : index
    %0 = needle.read @"0.weight" : tensor<784x100xf32>
    %1 = needle.read @"0.bias" : tensor<1x100xf32>
    %2 = needle.matmul %x, %0 : tensor<?x784xf32>, tensor<784x100xf32> -> tensor<?x100xf32>
    %3 = tensor.dim %2, %c0 : tensor<?x100xf32>
    %4 = needle.broadcast_to %1 [%3, 100] : tensor<1x100xf32> -> tensor<?x100xf32>
    %5 = needle.add %2, %4 : tensor<?x100xf32>
    %6 = needle.relu %5 : tensor<?x100xf32>
    %7 = needle.read @"2.0.fn.0.weight" : tensor<100x50xf32>
    %8 = needle.read @"2.0.fn.0.bias" : tensor<1x50xf32>
    %9 = needle.matmul %6, %7 : tensor<?x100xf32>, tensor<100x50xf32> -> tensor<?x50xf32>
    %10 = tensor.dim %9, %c0 : tensor<?x50xf32>
    %11 = needle.broadcast_to %8 [%10, 50] : tensor<1x50xf32> -> tensor<?x50xf32>
    %12 = needle.add %9, %11 : tensor<?x50xf32>
    %13 = needle.read @"2.0.fn.1.weight" : tensor<50xf32>
    %14 = needle.read @"2.0.fn.1.bias" : tensor<50xf32>
    %15 = needle.read @"2.0.fn.1.running_mean" : tensor<50xf32>
    %16 = needle.read @"2.0.fn.1.running_var" : tensor<50xf32>
    %17 = needle.batch_norm %12, %13, %14, %15, %16 : tensor<?x50xf32>, tensor<50xf32>
    %18 = needle.relu %17 : tensor<?x50xf32>
    %19 = needle.dropout %18, 0.1 : tensor<?x50xf32>
    %20 = needle.read @"2.0.fn.4.weight" : tensor<50x100xf32>
    %21 = needle.read @"2.0.fn.4.bias" : tensor<1x100xf32>
    %22 = needle.matmul %19, %20 : tensor<?x50xf32>, tensor<50x100xf32> -> tensor<?x100xf32>
    %23 = tensor.dim %22, %c0 : tensor<?x100xf32>
    %24 = needle.broadcast_to %21 [%23, 100] : tensor<1x100xf32> -> tensor<?x100xf32>
    %25 = needle.add %22, %24 : tensor<?x100xf32>
    %26 = needle.read @"2.0.fn.5.weight" : tensor<100xf32>
    %27 = needle.read @"2.0.fn.5.bias" : tensor<100xf32>
    %28 = needle.read @"2.0.fn.5.running_mean" : tensor<100xf32>
    %29 = needle.read @"2.0.fn.5.running_var" : tensor<100xf32>
    %30 = needle.batch_norm %25, %26, %27, %28, %29 : tensor<?x100xf32>, tensor<100xf32>
    %31 = needle.add %30, %6 : tensor<?x100xf32>
    %32 = needle.relu %31 : tensor<?x100xf32>
    %33 = needle.read @"3.0.fn.0.weight" : tensor<100x50xf32>
    %34 = needle.read @"3.0.fn.0.bias" : tensor<1x50xf32>
    %35 = needle.matmul %32, %33 : tensor<?x100xf32>, tensor<100x50xf32> -> tensor<?x50xf32>
    %36 = tensor.dim %35, %c0 : tensor<?x50xf32>
    %37 = needle.broadcast_to %34 [%36, 50] : tensor<1x50xf32> -> tensor<?x50xf32>
    %38 = needle.add %35, %37 : tensor<?x50xf32>
    %39 = needle.read @"3.0.fn.1.weight" : tensor<50xf32>
    %40 = needle.read @"3.0.fn.1.bias" : tensor<50xf32>
    %41 = needle.read @"3.0.fn.1.running_mean" : tensor<50xf32>
    %42 = needle.read @"3.0.fn.1.running_var" : tensor<50xf32>
    %43 = needle.batch_norm %38, %39, %40, %41, %42 : tensor<?x50xf32>, tensor<50xf32>
    %44 = needle.relu %43 : tensor<?x50xf32>
    %45 = needle.dropout %44, 0.1 : tensor<?x50xf32>
    %46 = needle.read @"3.0.fn.4.weight" : tensor<50x100xf32>
    %47 = needle.read @"3.0.fn.4.bias" : tensor<1x100xf32>
    %48 = needle.matmul %45, %46 : tensor<?x50xf32>, tensor<50x100xf32> -> tensor<?x100xf32>
    %49 = tensor.dim %48, %c0 : tensor<?x100xf32>
    %50 = needle.broadcast_to %47 [%49, 100] : tensor<1x100xf32> -> tensor<?x100xf32>
    %51 = needle.add %48, %50 : tensor<?x100xf32>
    %52 = needle.read @"3.0.fn.5.weight" : tensor<100xf32>
    %53 = needle.read @"3.0.fn.5.bias" : tensor<100xf32>
    %54 = needle.read @"3.0.fn.5.running_mean" : tensor<100xf32>
    %55 = needle.read @"3.0.fn.5.running_var" : tensor<100xf32>
    %56 = needle.batch_norm %51, %52, %53, %54, %55 : tensor<?x100xf32>, tensor<100xf32>
    %57 = needle.add %56, %32 : tensor<?x100xf32>
    %58 = needle.relu %57 : tensor<?x100xf32>
    %59 = needle.read @"4.0.fn.0.weight" : tensor<100x50xf32>
    %60 = needle.read @"4.0.fn.0.bias" : tensor<1x50xf32>
    %61 = needle.matmul %58, %59 : tensor<?x100xf32>, tensor<100x50xf32> -> tensor<?x50xf32>
    %62 = tensor.dim %61, %c0 : tensor<?x50xf32>
    %63 = needle.broadcast_to %60 [%62, 50] : tensor<1x50xf32> -> tensor<?x50xf32>
    %64 = needle.add %61, %63 : tensor<?x50xf32>
    %65 = needle.read @"4.0.fn.1.weight" : tensor<50xf32>
    %66 = needle.read @"4.0.fn.1.bias" : tensor<50xf32>
    %67 = needle.read @"4.0.fn.1.running_mean" : tensor<50xf32>
    %68 = needle.read @"4.0.fn.1.running_var" : tensor<50xf32>
    %69 = needle.batch_norm %64, %65, %66, %67, %68 : tensor<?x50xf32>, tensor<50xf32>
    %70 = needle.relu %69 : tensor<?x50xf32>
    %71 = needle.dropout %70, 0.1 : tensor<?x50xf32>
    %72 = needle.read @"4.0.fn.4.weight" : tensor<50x100xf32>
    %73 = needle.read @"4.0.fn.4.bias" : tensor<1x100xf32>
    %74 = needle.matmul %71, %72 : tensor<?x50xf32>, tensor<50x100xf32> -> tensor<?x100xf32>
    %75 = tensor.dim %74, %c0 : tensor<?x100xf32>
    %76 = needle.broadcast_to %73 [%75, 100] : tensor<1x100xf32> -> tensor<?x100xf32>
    %77 = needle.add %74, %76 : tensor<?x100xf32>
    %78 = needle.read @"4.0.fn.5.weight" : tensor<100xf32>
    %79 = needle.read @"4.0.fn.5.bias" : tensor<100xf32>
    %80 = needle.read @"4.0.fn.5.running_mean" : tensor<100xf32>
    %81 = needle.read @"4.0.fn.5.running_var" : tensor<100xf32>
    %82 = needle.batch_norm %77, %78, %79, %80, %81 : tensor<?x100xf32>, tensor<100xf32>
    %83 = needle.add %82, %58 : tensor<?x100xf32>
    %84 = needle.relu %83 : tensor<?x100xf32>
    %85 = needle.read @"5.weight" : tensor<100x10xf32>
    %86 = needle.read @"5.bias" : tensor<1x10xf32>
    %87 = needle.matmul %84, %85 : tensor<?x100xf32>, tensor<100x10xf32> -> tensor<?x10xf32>
    %88 = tensor.dim %87, %c0 : tensor<?x10xf32>
    %89 = needle.broadcast_to %86 [%88, 10] : tensor<1x10xf32> -> tensor<?x10xf32>
    %90 = needle.add %87, %89 : tensor<?x10xf32>
    return %90 : tensor<?x10xf32>
  }
  func.func @loss(%x: tensor<?x784xf32>, %y: tensor<?xi32>) -> tensor<f32> {
    %c0 = arith.constant 0 : index
    %0 = needle.read @"0.weight" : tensor<784x100xf32>
    %1 = needle.read @"0.bias" : tensor<1x100xf32>
    %2 = needle.matmul %x, %0 : tensor<?x784xf32>, tensor<784x100xf32> -> tensor<?x100xf32>
    %3 = tensor.dim %2, %c0 : tensor<?x100xf32>
    %4 = needle.broadcast_to %1 [%3, 100] : tensor<1x100xf32> -> tensor<?x100xf32>
    %5 = needle.add %2, %4 : tensor<?x100xf32>
    %6 = needle.relu %5 : tensor<?x100xf32>
    %7 = needle.read @"2.0.fn.0.weight" : tensor<100x50xf32>
    %8 = needle.read @"2.0.fn.0.bias" : tensor<1x50xf32>
    %9 = needle.matmul %6, %7 : tensor<?x100xf32>, tensor<100x50xf32> -> tensor<?x50xf32>
    %10 = tensor.dim %9, %c0 : tensor<?x50xf32>
    %11 = needle.broadcast_to %8 [%10, 50] : tensor<1x50xf32> -> tensor<?x50xf32>
    %12 = needle.add %9, %11 : tensor<?x50xf32>
    %13 = needle.read @"2.0.fn.1.weight" : tensor<50xf32>
    %14 = needle.read @"2.0.fn.1.bias" : tensor<50xf32>
    %15 = needle.read @"2.0.fn.1.running_mean" : tensor<50xf32>
    %16 = needle.read @"2.0.fn.1.running_var" : tensor<50xf32>
    %17 = needle.batch_norm %12, %13, %14, %15, %16 : tensor<?x50xf32>, tensor<50xf32>
    %18 = needle.relu %17 : tensor<?x50xf32>
    %19 = needle.dropout %18, 0.1 : tensor<?x50xf32>
    %20 = needle.read @"2.0.fn.4.weight" : tensor<50x100xf32>
    %21 = needle.read @"2.0.fn.4.bias" : tensor<1x100xf32>
    %22 = needle.matmul %19, %20 : tensor<?x50xf32>, tensor<50x100xf32> -> tensor<?x100xf32>
    %23 = tensor.dim %22, %c0 : tensor<?x100xf32>
    %24 = needle.broadcast_to %21 [%23, 100] : tensor<1x100xf32> -> tensor<?x100xf32>
    %25 = needle.add %22, %24 : tensor<?x100xf32>
    %26 = needle.read @"2.0.fn.5.weight" : tensor<100xf32>
    %27 = needle.read @"2.0.fn.5.bias" : tensor<100xf32>
    %28 = needle.read @"2.0.fn.5.running_mean" : tensor<100xf32>
    %29 = needle.read @"2.0.fn.5.running_var" : tensor<100xf32>
    %30 = needle.batch_norm %25, %26, %27, %28, %29 : tensor<?x100xf32>, tensor<100xf32>
    %31 = needle.add %30, %6 : tensor<?x100xf32>
    %32 = needle.relu %31 : tensor<?x100xf32>
    %33 = needle.read @"3.0.fn.0.weight" : tensor<100x50xf32>
    %34 = needle.read @"3.0.fn.0.bias" : tensor<1x50xf32>
    %35 = needle.matmul %32, %33 : tensor<?x100xf32>, tensor<100x50xf32> -> tensor<?x50xf32>
    %36 = tensor.dim %35, %c0 : tensor<?x50xf32>
    %37 = needle.broadcast_to %34 [%36, 50] : tensor<1x50xf32> -> tensor<?x50xf32>
    %38 = needle.add %35, %37 : tensor<?x50xf32>
    %39 = needle.read @"3.0.fn.1.weight" : tensor<50xf32>
    %40 = needle.read @"3.0.fn.1.bias" : tensor<50xf32>
    %41 = needle.read @"3.0.fn.1.running_mean" : tensor<50xf32>
    %42 = needle.read @"3.0.fn.1.running_var" : tensor<50xf32>
    %43 = needle.batch_norm %38, %39, %40, %41, %42 : tensor<?x50xf32>, tensor<50xf32>
    %44 = needle.relu %43 : tensor<?x50xf32>
    %45 = needle.dropout %44, 0.1 : tensor<?x50xf32>
    %46 = needle.read @"3.0.fn.4.weight" : tensor<50x100xf32>
    %47 = needle.read @"3.0.fn.4.bias" : tensor<1x100xf32>
    %48 = needle.matmul %45, %46 : tensor<?x50xf32>, tensor<50x100xf32> -> tensor<?x100xf32>
    %49 = tensor.dim %48, %c0 : tensor<?x100xf32>
    %50 = needle.broadcast_to %47 [%49, 100] : tensor<1x100xf32> -> tensor<?x100xf32>
    %51 = needle.add %48, %50 : tensor<?x100xf32>
    %52 = needle.read @"3.0.fn.5.weight" : tensor<100xf32>
    %53 = needle.read @"3.0.fn.5.bias" : tensor<100xf32>
    %54 = needle.read @"3.0.fn.5.running_mean" : tensor<100xf32>
    %55 = needle.read @"3.0.fn.5.running_var" : tensor<100xf32>
    %56 = needle.batch_norm %51, %52, %53, %54, %55 : tensor<?x100xf32>, tensor<100xf32>
    %57 = needle.add %56, %32 : tensor<?x100xf32>
    %58 = needle.relu %57 : tensor<?x100xf32>
    %59 = needle.read @"4.0.fn.0.weight" : tensor<100x50xf32>
    %60 = needle.read @"4.0.fn.0.bias" : tensor<1x50xf32>
    %61 = needle.matmul %58, %59 : tensor<?x100xf32>, tensor<100x50xf32> -> tensor<?x50xf32>
    %62 = tensor.dim %61, %c0 : tensor<?x50xf32>
    %63 = needle.broadcast_to %60 [%62, 50] : tensor<1x50xf32> -> tensor<?x50xf32>
    %64 = needle.add %61, %63 : tensor<?x50xf32>
    %65 = needle.read @"4.0.fn.1.weight" : tensor<50xf32>
    %66 = needle.read @"4.0.fn.1.bias" : tensor<50xf32>
    %67 = needle.read @"4.0.fn.1.running_mean" : tensor<50xf32>
    %68 = needle.read @"4.0.fn.1.running_var" : tensor<50xf32>
    %69 = needle.batch_norm %64, %65, %66, %67, %68 : tensor<?x50xf32>, tensor<50xf32>
    %70 = needle.relu %69 : tensor<?x50xf32>
    %71 = needle.dropout %70, 0.1 : tensor<?x50xf32>
    %72 = needle.read @"4.0.fn.4.weight" : tensor<50x100xf32>
    %73 = needle.read @"4.0.fn.4.bias" : tensor<1x100xf32>
    %74 = needle.matmul %71, %72 : tensor<?x50xf32>, tensor<50x100xf32> -> tensor<?x100xf32>
    %75 = tensor.dim %74, %c0 : tensor<?x100xf32>
    %76 = needle.broadcast_to %73 [%75, 100] : tensor<1x100xf32> -> tensor<?x100xf32>
    %77 = needle.add %74, %76 : tensor<?x100xf32>
    %78 = needle.read @"4.0.fn.5.weight" : tensor<100xf32>
    %79 = needle.read @"4.0.fn.5.bias" : tensor<100xf32>
    %80 = needle.read @"4.0.fn.5.running_mean" : tensor<100xf32>
    %81 = needle.read @"4.0.fn.5.running_var" : tensor<100xf32>
    %82 = needle.batch_norm %77, %78, %79, %80, %81 : tensor<?x100xf32>, tensor<100xf32>
    %83 = needle.add %82, %58 : tensor<?x100xf32>
    %84 = needle.relu %83 : tensor<?x100xf32>
    %85 = needle.read @"5.weight" : tensor<100x10xf32>
    %86 = needle.read @"5.bias" : tensor<1x10xf32>
    %87 = needle.matmul %84, %85 : tensor<?x100xf32>, tensor<100x10xf32> -> tensor<?x10xf32>
    %88 = tensor.dim %87, %c0 : tensor<?x10xf32>
    %89 = needle.broadcast_to %86 [%88, 10] : tensor<1x10xf32> -> tensor<?x10xf32>
    %90 = needle.add %87, %89 : tensor<?x10xf32>
    %91 = needle.softmax_loss %90, %y : tensor<?x10xf32>, tensor<?xi32> -> tensor<f32>
    return %91 : tensor<f32>
  }
}
