// RUN: needle-opt %s --split-input-file --needle-parallelize-loops | FileCheck %s
// RUN: needle-opt %s --split-input-file --needle-parallelize-loops=min-elements=10000000 \
// RUN:   | FileCheck %s --check-prefix=LARGE

#rows = affine_map<(i, c) -> (i, c)>
#feature = affine_map<(i, c) -> (c)>

// An element-wise generic with a dynamic batch: rows are split into one
// contiguous range per thread when the runtime thread count is above one and
// the iteration space is large enough; otherwise the original generic runs.
// CHECK:       memref.global "public" @needle_num_threads : memref<i32> = dense<1>
// CHECK-LABEL: func.func @elementwise
// CHECK-SAME:    (%[[X:.*]]: memref<?x512xf32>, %[[S:.*]]: memref<512xf32>, %[[Y:.*]]: memref<?x512xf32>)
// CHECK:         %[[GLOBAL:.*]] = memref.get_global @needle_num_threads
// CHECK:         %[[N32:.*]] = memref.load %[[GLOBAL]][]
// CHECK:         %[[N:.*]] = arith.index_cast %[[N32]]
// CHECK:         %[[MANY:.*]] = arith.cmpi sgt, %[[N]], %c1
// CHECK:         %[[WORK:.*]] = arith.muli %{{.*}}, %c512
// CHECK:         %[[BIG:.*]] = arith.cmpi sge, %[[WORK]], %c65536
// CHECK:         %[[GO:.*]] = arith.andi %[[MANY]], %[[BIG]]
// CHECK:         scf.if %[[GO]] {
// CHECK:           %[[CHUNK:.*]] = affine.apply #{{.*}}()[%[[ROWS:.*]], %[[N]]]
// CHECK:           omp.parallel num_threads(%[[N32]] : i32) proc_bind(spread) {
// CHECK:             omp.wsloop {
// CHECK-NEXT:          omp.loop_nest (%[[T:.*]]) : index = (%c0{{.*}}) to (%[[N]]) step (%c1{{.*}})
// CHECK:                 %[[BEGIN:.*]] = affine.apply #{{.*}}(%[[T]])[%[[ROWS]], %[[N]]]
// CHECK:                 %[[REST:.*]] = arith.subi %[[ROWS]], %[[BEGIN]]
// CHECK:                 %[[MIN:.*]] = arith.minsi %[[CHUNK]], %[[REST]]
// CHECK:                 %[[LEN:.*]] = arith.maxsi %[[MIN]], %c0
// CHECK:                 %[[XPART:.*]] = memref.subview %[[X]][%[[BEGIN]], 0] [%[[LEN]], 512] [1, 1]
// CHECK:                 %[[YPART:.*]] = memref.subview %[[Y]][%[[BEGIN]], 0] [%[[LEN]], 512] [1, 1]
// CHECK:                 linalg.generic {{.*}} ins(%[[XPART]], %[[S]] : {{.*}}) outs(%[[YPART]] :
// CHECK:                 omp.yield
// CHECK:           omp.terminator
// CHECK:         } else {
// CHECK:           linalg.generic {{.*}} ins(%[[X]], %[[S]] : {{.*}}) outs(%[[Y]] :
// LARGE-LABEL: func.func @elementwise
// LARGE:         arith.cmpi sge, %{{.*}}, %c10000000
func.func @elementwise(%x: memref<?x512xf32>, %s: memref<512xf32>, %y: memref<?x512xf32>) {
  linalg.generic {indexing_maps = [#rows, #feature, #rows],
                  iterator_types = ["parallel", "parallel"]}
      ins(%x, %s : memref<?x512xf32>, memref<512xf32>) outs(%y : memref<?x512xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %r = arith.mulf %a, %b : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Static iteration spaces decide at compile time: a small one stays serial
// and the module gets no thread count; a large one tests only the threads.
// CHECK-NOT:   memref.global
// CHECK-LABEL: func.func @small
// CHECK-NOT:     omp.parallel
// LARGE-LABEL: func.func @small
// LARGE-NOT:     omp.parallel
func.func @small(%x: memref<16x512xf32>, %y: memref<16x512xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, c) -> (i, c)>, affine_map<(i, c) -> (i, c)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<16x512xf32>) outs(%y : memref<16x512xf32>) {
  ^bb0(%a: f32, %out: f32):
    %r = arith.negf %a : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A column reduction is split along its parallel innermost loop, in whole
// 16-element vectors: (1000 / n) rounded up to a multiple of 16.
// CHECK-DAG:   #[[COLUMNS:.*]] = affine_map<()[s0] -> (((1000 ceildiv s0) ceildiv 16) * 16)>
// CHECK-LABEL: func.func @column_sums
// CHECK:         %[[MANY:.*]] = arith.cmpi sgt
// CHECK-NEXT:    scf.if %[[MANY]] {
// CHECK:           affine.apply #[[COLUMNS]]()
// CHECK:           omp.parallel
// CHECK:             memref.subview %arg0[0, %{{.*}}] [4096, %{{.*}}] [1, 1]
// CHECK:             memref.subview %arg1[%{{.*}}] [%{{.*}}] [1]
// CHECK:             iterator_types = ["reduction", "parallel"]
// LARGE-LABEL: func.func @column_sums
// LARGE-NOT:     omp.parallel
func.func @column_sums(%x: memref<4096x1000xf32>, %sums: memref<1000xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, c) -> (i, c)>, affine_map<(i, c) -> (c)>],
                  iterator_types = ["reduction", "parallel"]}
      ins(%x : memref<4096x1000xf32>) outs(%sums : memref<1000xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.addf %acc, %a : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A reduction into per-block partial sums (BatchNorm's statistics sweep) is
// split along the reduction, at multiples of the block: each block is summed
// by one thread, in order. Operands read per block get block subviews. With
// fewer blocks than threads it is split along the features instead, in
// whole vectors.
// CHECK-DAG:   #[[COUNT:.*]] = affine_map<()[s0] -> (s0 ceildiv 128)>
// CHECK-DAG:   #[[ROWS:.*]] = affine_map<()[s0, s1] -> (((s0 ceildiv s1) ceildiv 128) * 128)>
// CHECK-DAG:   #[[FIRST:.*]] = affine_map<(d0)[s0, s1] -> ((d0 * (((s0 ceildiv s1) ceildiv 128) * 128)) floordiv 128)>
// CHECK-DAG:   #[[FEATURES:.*]] = affine_map<()[s0] -> (((256 ceildiv s0) ceildiv 16) * 16)>
// CHECK-LABEL: func.func @block_partials
// LARGE-LABEL: func.func @block_partials
// CHECK:         %[[N:.*]] = arith.index_cast
// CHECK:         scf.if
// CHECK-NEXT:      %[[BLOCKS:.*]] = affine.apply #[[COUNT]]()[%[[ROWS_X:.*]]]
// CHECK-NEXT:      %[[ENOUGH:.*]] = arith.cmpi sge, %[[BLOCKS]], %[[N]]
// CHECK-NEXT:      scf.if %[[ENOUGH]] {
// CHECK:             affine.apply #[[ROWS]]()
// CHECK:             omp.parallel
// CHECK:               omp.loop_nest (%[[T:.*]]) :
// CHECK:               %[[BEGIN:.*]] = affine.apply
// CHECK:               %[[LEN:.*]] = arith.maxsi
// CHECK:               memref.subview %arg0[%[[BEGIN]], 0] [%[[LEN]], 256] [1, 1]
// CHECK:               %[[B0:.*]] = affine.apply #[[FIRST]](%[[T]])
// CHECK:               %[[BN:.*]] = affine.apply #[[COUNT]]()[%[[LEN]]]
// CHECK:               memref.subview %arg1[%[[B0]], 0] [%[[BN]], 256] [1, 1]
// CHECK:               iterator_types = ["reduction", "parallel"]
// CHECK:           } else {
// CHECK:             affine.apply #[[FEATURES]]()
// CHECK:             omp.parallel
// CHECK:               %[[C0:.*]] = affine.apply
// CHECK:               %[[CLEN:.*]] = arith.maxsi
// CHECK:               memref.subview %arg0[0, %[[C0]]] [%{{.*}}, %[[CLEN]]] [1, 1]
// CHECK:               memref.subview %arg1[0, %[[C0]]] [%{{.*}}, %[[CLEN]]] [1, 1]
// CHECK:               iterator_types = ["reduction", "parallel"]
func.func @block_partials(%x: memref<?x256xf32>, %partials: memref<?x256xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, c) -> (i, c)>,
                                   affine_map<(i, c) -> (i floordiv 128, c)>],
                  iterator_types = ["reduction", "parallel"]}
      ins(%x : memref<?x256xf32>) outs(%partials : memref<?x256xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.addf %acc, %a : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A contraction is split by rows of A and C before register tiling; B is
// read whole by every thread.
// CHECK-LABEL: func.func @matmul
// CHECK-SAME:    (%[[A:.*]]: memref<?x300xf32>, %[[B:.*]]: memref<300x70xf32>, %[[C:.*]]: memref<?x70xf32>)
// CHECK:         omp.parallel
// CHECK:           %[[APART:.*]] = memref.subview %[[A]][%{{.*}}, 0] [%{{.*}}, 300] [1, 1]
// CHECK:           %[[CPART:.*]] = memref.subview %[[C]][%{{.*}}, 0] [%{{.*}}, 70] [1, 1]
// CHECK:           linalg.generic {{.*}} ins(%[[APART]], %[[B]] : {{.*}}) outs(%[[CPART]] :
func.func @matmul(%a: memref<?x300xf32>, %b: memref<300x70xf32>, %c: memref<?x70xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>,
                                   affine_map<(i, j, k) -> (k, j)>,
                                   affine_map<(i, j, k) -> (i, j)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<?x300xf32>, memref<300x70xf32>) outs(%c : memref<?x70xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A body that reads the split loop's index sees the full tensor's index:
// the part's linalg.index is offset by its first row. An input read per
// block of 8 rows makes ranges start at multiples of 8.
// CHECK-DAG:   #[[EIGHTS:.*]] = affine_map<()[s0, s1] -> (((s0 ceildiv s1) ceildiv 8) * 8)>
// CHECK-LABEL: func.func @row_index
// CHECK:         affine.apply #[[EIGHTS]]()
// CHECK:         omp.parallel
// CHECK:           %[[BEGIN:.*]] = affine.apply
// CHECK:           linalg.generic
// CHECK:             %[[I:.*]] = linalg.index 0 : index
// CHECK-NEXT:        %[[ROW:.*]] = arith.addi %[[I]], %[[BEGIN]] : index
// CHECK-NEXT:        arith.index_cast %[[ROW]]
// CHECK:         } else {
// CHECK:           linalg.index 0 : index
// CHECK-NOT:       arith.addi
// CHECK:           arith.index_cast
func.func @row_index(%scale: memref<?xf32>, %y: memref<?x512xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, c) -> (i floordiv 8)>,
                                   affine_map<(i, c) -> (i, c)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%scale : memref<?xf32>) outs(%y : memref<?x512xf32>) {
  ^bb0(%s: f32, %out: f32):
    %i = linalg.index 0 : index
    %n = arith.index_cast %i : index to i64
    %f = arith.uitofp %n : i64 to f32
    %r = arith.mulf %f, %s : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Nothing to split: a full reduction into one element, and a generic on
// tensors.
// CHECK-LABEL: func.func @unsplittable
// CHECK-NOT:     omp.parallel
func.func @unsplittable(%x: memref<1024x1024xf32>, %total: memref<f32>,
                        %t: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  linalg.generic {indexing_maps = [affine_map<(i, c) -> (i, c)>, affine_map<(i, c) -> ()>],
                  iterator_types = ["reduction", "reduction"]}
      ins(%x : memref<1024x1024xf32>) outs(%total : memref<f32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.addf %acc, %a : f32
    linalg.yield %r : f32
  }
  %n = linalg.generic {indexing_maps = [affine_map<(i, c) -> (i, c)>, affine_map<(i, c) -> (i, c)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%t : tensor<1024x1024xf32>) outs(%t : tensor<1024x1024xf32>) {
  ^bb0(%a: f32, %out: f32):
    %r = arith.negf %a : f32
    linalg.yield %r : f32
  } -> tensor<1024x1024xf32>
  return %n : tensor<1024x1024xf32>
}

// -----

// BatchNorm inference: a small per-feature producer (scale and shift) that
// only the split generic reads is run by every thread into its own stack
// buffers; the serial path keeps it, its heap buffers and their deallocs.
// CHECK-LABEL: func.func @private_producer
// CHECK-SAME:    (%[[X:.*]]: memref<?x512xf32>, %[[W:.*]]: memref<512xf32>, %[[V:.*]]: memref<512xf32>)
// CHECK-NOT:     memref.alloc() {{.*}} : memref<512xf32>
// CHECK:         %[[Y:.*]] = memref.alloc(%{{.*}}) {{.*}} : memref<?x512xf32>
// CHECK-NOT:     linalg.generic
// CHECK:         scf.if
// CHECK:           omp.parallel
// CHECK-NEXT:        %[[S:.*]] = memref.alloca() {alignment = 64 : i64} : memref<512xf32>
// CHECK-NEXT:        %[[T:.*]] = memref.alloca() {alignment = 64 : i64} : memref<512xf32>
// CHECK-NEXT:        linalg.generic {{.*}} ins(%[[W]], %[[V]] : {{.*}}) outs(%[[S]], %[[T]] :
// CHECK:             omp.wsloop
// CHECK:               %[[XPART:.*]] = memref.subview %[[X]]
// CHECK:               %[[YPART:.*]] = memref.subview %[[Y]]
// CHECK:               linalg.generic {{.*}} ins(%[[XPART]], %[[S]], %[[T]] : {{.*}}) outs(%[[YPART]] :
// CHECK:         } else {
// CHECK-NEXT:      %[[HS:.*]] = memref.alloc() {alignment = 64 : i64} : memref<512xf32>
// CHECK-NEXT:      %[[HT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<512xf32>
// CHECK-NEXT:      linalg.generic {{.*}} ins(%[[W]], %[[V]] : {{.*}}) outs(%[[HS]], %[[HT]] :
// CHECK:           linalg.generic {{.*}} ins(%[[X]], %[[HS]], %[[HT]] : {{.*}}) outs(%[[Y]] :
// CHECK:           memref.dealloc %[[HS]]
// CHECK-NEXT:      memref.dealloc %[[HT]]
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[Y]]
func.func @private_producer(%x: memref<?x512xf32>, %w: memref<512xf32>, %v: memref<512xf32>)
    -> memref<?x512xf32> {
  %c0 = arith.constant 0 : index
  %s = memref.alloc() {alignment = 64 : i64} : memref<512xf32>
  %t = memref.alloc() {alignment = 64 : i64} : memref<512xf32>
  linalg.generic {indexing_maps = [affine_map<(c) -> (c)>, affine_map<(c) -> (c)>,
                                   affine_map<(c) -> (c)>, affine_map<(c) -> (c)>],
                  iterator_types = ["parallel"]}
      ins(%w, %v : memref<512xf32>, memref<512xf32>) outs(%s, %t : memref<512xf32>, memref<512xf32>) {
  ^bb0(%a: f32, %b: f32, %o0: f32, %o1: f32):
    %r = math.sqrt %b : f32
    %q = arith.divf %a, %r : f32
    linalg.yield %q, %r : f32, f32
  }
  %n = memref.dim %x, %c0 : memref<?x512xf32>
  %y = memref.alloc(%n) {alignment = 64 : i64} : memref<?x512xf32>
  linalg.generic {indexing_maps = [affine_map<(i, c) -> (i, c)>, affine_map<(i, c) -> (c)>,
                                   affine_map<(i, c) -> (c)>, affine_map<(i, c) -> (i, c)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%x, %s, %t : memref<?x512xf32>, memref<512xf32>, memref<512xf32>)
      outs(%y : memref<?x512xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %out: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %m, %c : f32
    linalg.yield %r : f32
  }
  memref.dealloc %s : memref<512xf32>
  memref.dealloc %t : memref<512xf32>
  return %y : memref<?x512xf32>
}

// -----

// A producer stays before the region, computed once, when another op uses
// its result (here a copy to a variable, as BatchNorm training's running
// statistics are), when something between it and the split generic may
// write what it reads, or when it is large.
// CHECK-LABEL: func.func @shared_producers
// CHECK:         linalg.generic {{.*}} outs(%[[USED:.*]] : memref<512xf32>)
// CHECK:         linalg.generic {{.*}} outs(%[[CLOBBERED:.*]] : memref<512xf32>)
// CHECK:         memref.store
// CHECK:         linalg.generic {{.*}} outs(%[[BIGS:.*]] : memref<40x512xf32>)
// CHECK:         scf.if
// CHECK:           omp.parallel
// CHECK-NOT:         memref.alloca
// CHECK:             linalg.generic {{.*}} ins(%{{.*}}, %[[USED]], %[[CLOBBERED]], %[[BIGS]] :
// CHECK:         memref.copy %[[USED]], %arg2
func.func @shared_producers(%x: memref<?x512xf32>, %w: memref<512xf32>, %var: memref<512xf32>,
                            %big: memref<40x512xf32>, %y: memref<?x512xf32>) {
  %c0 = arith.constant 0 : index
  %f = arith.constant 1.0 : f32
  %used = memref.alloc() : memref<512xf32>
  linalg.generic {indexing_maps = [affine_map<(c) -> (c)>, affine_map<(c) -> (c)>],
                  iterator_types = ["parallel"]}
      ins(%w : memref<512xf32>) outs(%used : memref<512xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.sqrt %a : f32
    linalg.yield %r : f32
  }
  %clobbered = memref.alloc() : memref<512xf32>
  linalg.generic {indexing_maps = [affine_map<(c) -> (c)>, affine_map<(c) -> (c)>],
                  iterator_types = ["parallel"]}
      ins(%var : memref<512xf32>) outs(%clobbered : memref<512xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.sqrt %a : f32
    linalg.yield %r : f32
  }
  memref.store %f, %var[%c0] : memref<512xf32>
  %large = memref.alloc() : memref<40x512xf32>
  linalg.generic {indexing_maps = [affine_map<(r, c) -> (r, c)>, affine_map<(r, c) -> (r, c)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%big : memref<40x512xf32>) outs(%large : memref<40x512xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.sqrt %a : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, c) -> (i, c)>, affine_map<(i, c) -> (c)>,
                                   affine_map<(i, c) -> (c)>, affine_map<(i, c) -> (0, c)>,
                                   affine_map<(i, c) -> (i, c)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%x, %used, %clobbered, %large : memref<?x512xf32>, memref<512xf32>, memref<512xf32>,
          memref<40x512xf32>)
      outs(%y : memref<?x512xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %d: f32, %out: f32):
    %m = arith.mulf %a, %b : f32
    %n = arith.addf %m, %c : f32
    %r = arith.addf %n, %d : f32
    linalg.yield %r : f32
  }
  memref.copy %used, %var : memref<512xf32> to memref<512xf32>
  memref.dealloc %used : memref<512xf32>
  memref.dealloc %clobbered : memref<512xf32>
  memref.dealloc %large : memref<40x512xf32>
  return
}

// -----

// The size test counts the elements read: two full-size inputs of 32768
// points each are 65536 elements, split; one is not.
// CHECK-LABEL: func.func @two_inputs
// CHECK:         omp.parallel
// CHECK-LABEL: func.func @one_input
// CHECK-NOT:     omp.parallel
func.func @two_inputs(%a: memref<256x128xf32>, %b: memref<256x128xf32>, %y: memref<256x128xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, c) -> (i, c)>, affine_map<(i, c) -> (i, c)>,
                                   affine_map<(i, c) -> (i, c)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : memref<256x128xf32>, memref<256x128xf32>) outs(%y : memref<256x128xf32>) {
  ^bb0(%p: f32, %q: f32, %out: f32):
    %r = arith.addf %p, %q : f32
    linalg.yield %r : f32
  }
  return
}
func.func @one_input(%a: memref<256x128xf32>, %y: memref<256x128xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, c) -> (i, c)>, affine_map<(i, c) -> (i, c)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<256x128xf32>) outs(%y : memref<256x128xf32>) {
  ^bb0(%p: f32, %out: f32):
    %r = arith.negf %p : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A producer that reads what the split generic writes (here its first row)
// stays serial: another thread could overwrite that row before this one
// runs the producer.
// CHECK-LABEL: func.func @producer_reads_output
// CHECK:         linalg.generic {{.*}} outs(%[[S:.*]] : memref<512xf32>)
// CHECK:         scf.if
// CHECK:           omp.parallel
// CHECK-NOT:         memref.alloca
// CHECK:             linalg.generic {{.*}} ins(%{{.*}}, %[[S]] :
func.func @producer_reads_output(%x: memref<?x512xf32>, %y: memref<?x512xf32>) {
  %first = memref.subview %y[0, 0] [1, 512] [1, 1]
      : memref<?x512xf32> to memref<512xf32, strided<[1]>>
  %s = memref.alloc() : memref<512xf32>
  linalg.generic {indexing_maps = [affine_map<(c) -> (c)>, affine_map<(c) -> (c)>],
                  iterator_types = ["parallel"]}
      ins(%first : memref<512xf32, strided<[1]>>) outs(%s : memref<512xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.sqrt %a : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, c) -> (i, c)>, affine_map<(i, c) -> (c)>,
                                   affine_map<(i, c) -> (i, c)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%x, %s : memref<?x512xf32>, memref<512xf32>) outs(%y : memref<?x512xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %r = arith.mulf %a, %b : f32
    linalg.yield %r : f32
  }
  memref.dealloc %s : memref<512xf32>
  return
}

// -----

// A producer whose body reads memory itself (here what the split generic
// writes) stays serial too.
// CHECK-LABEL: func.func @producer_body_loads
// CHECK:         linalg.generic {{.*}} outs(%[[S:.*]] : memref<512xf32>)
// CHECK:         scf.if
// CHECK:           omp.parallel
// CHECK-NOT:         memref.alloca
// CHECK:             linalg.generic {{.*}} ins(%{{.*}}, %[[S]] :
func.func @producer_body_loads(%x: memref<?x512xf32>, %y: memref<?x512xf32>) {
  %c0 = arith.constant 0 : index
  %s = memref.alloc() : memref<512xf32>
  linalg.generic {indexing_maps = [affine_map<(c) -> (c)>], iterator_types = ["parallel"]}
      outs(%s : memref<512xf32>) {
  ^bb0(%o: f32):
    %c = linalg.index 0 : index
    %v = memref.load %y[%c0, %c] : memref<?x512xf32>
    linalg.yield %v : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, c) -> (i, c)>, affine_map<(i, c) -> (c)>,
                                   affine_map<(i, c) -> (i, c)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%x, %s : memref<?x512xf32>, memref<512xf32>) outs(%y : memref<?x512xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %r = arith.mulf %a, %b : f32
    linalg.yield %r : f32
  }
  memref.dealloc %s : memref<512xf32>
  return
}
