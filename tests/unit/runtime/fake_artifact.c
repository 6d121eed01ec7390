/* A hand-written stand-in for a compiled artifact, following the ABI the
 * compiler implements (see runtime/Module.h): a JSON manifest behind
 * `needle_manifest_v1` and entry points `void f(void **args)` taking memref
 * descriptors for outputs, then inputs, then variables.
 *
 * Built several times with FAKE_VARIANT selecting a deliberately broken
 * manifest, so the runtime's error paths can be tested. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FAKE_GOOD 0
#define FAKE_BAD_VERSION 1
#define FAKE_MISSING_SYMBOL 2
#define FAKE_BAD_JSON 3
#define FAKE_CUDA 4
#define FAKE_NO_MANIFEST 5
#define FAKE_UNKNOWN_VARIABLE 6
#define FAKE_PLAIN_FREE 7 /* good, but without needle_buffer_free */

#ifndef FAKE_VARIANT
#define FAKE_VARIANT FAKE_GOOD
#endif

typedef struct {
  void *allocated, *aligned;
  int64_t offset;
} MemRef0;
typedef struct {
  void *allocated, *aligned;
  int64_t offset, sizes[1], strides[1];
} MemRef1;
typedef struct {
  void *allocated, *aligned;
  int64_t offset, sizes[2], strides[2];
} MemRef2;

#if FAKE_VARIANT == FAKE_BAD_VERSION
#define VERSION "2"
#else
#define VERSION "1"
#endif
#if FAKE_VARIANT == FAKE_CUDA
#define TARGET "cuda"
#else
#define TARGET "cpu"
#endif
#if FAKE_VARIANT == FAKE_MISSING_SYMBOL
#define EXTRA_ENTRY                                                            \
  ",{\"name\": \"ghost\", \"symbol\": \"fake_ghost\", \"inputs\": [], "         \
  "\"outputs\": [], \"variables\": [], \"writes\": []}"
#else
#define EXTRA_ENTRY ""
#endif
#if FAKE_VARIANT == FAKE_UNKNOWN_VARIABLE
#define AFFINE_VARIABLES "[\"w\", \"nope\"]"
#else
#define AFFINE_VARIABLES "[\"w\", \"b\"]"
#endif

#define MANIFEST                                                               \
  "{\"format\": \"needle-artifact\", \"format_version\": " VERSION ",\n"        \
  " \"compiler_version\": \"0.1.0-fake\", \"target\": \"" TARGET "\",\n"        \
  " \"triple\": \"x86_64-unknown-linux-gnu\",\n"                                \
  " \"entry_points\": [\n"                                                      \
  "  {\"name\": \"affine\", \"symbol\": \"fake_affine\",\n"                     \
  "   \"inputs\": [{\"name\": \"x\", \"dtype\": \"f32\", \"shape\": [-1, 3]}],\n" \
  "   \"outputs\": [{\"name\": \"y\", \"dtype\": \"f32\", \"shape\": [-1, 3]}],\n" \
  "   \"variables\": " AFFINE_VARIABLES ", \"writes\": []},\n"                  \
  "  {\"name\": \"step\", \"symbol\": \"fake_step\",\n"                         \
  "   \"inputs\": [{\"name\": \"lr\", \"dtype\": \"f32\", \"shape\": []}],\n"    \
  "   \"outputs\": [{\"name\": \"count\", \"dtype\": \"i64\", \"shape\": []}],\n" \
  "   \"variables\": [\"w\", \"counter\"], \"writes\": [\"w\", \"counter\"]},\n" \
  "  {\"name\": \"transpose\", \"symbol\": \"fake_transpose\",\n"               \
  "   \"inputs\": [{\"name\": \"m\", \"dtype\": \"f64\", \"shape\": [2, 3]}],\n" \
  "   \"outputs\": [{\"name\": \"t\", \"dtype\": \"f64\", \"shape\": [3, 2]}],\n" \
  "   \"variables\": [], \"writes\": []},\n"                                    \
  "  {\"name\": \"identity\", \"symbol\": \"fake_identity\",\n"                 \
  "   \"inputs\": [{\"name\": \"v\", \"dtype\": \"i32\", \"shape\": [-1]}],\n"   \
  "   \"outputs\": [{\"name\": \"v\", \"dtype\": \"i32\", \"shape\": [-1]}],\n"  \
  "   \"variables\": [], \"writes\": []},\n"                                    \
  "  {\"name\": \"twice\", \"symbol\": \"fake_twice\",\n"                       \
  "   \"inputs\": [],\n"                                                        \
  "   \"outputs\": [{\"name\": \"a\", \"dtype\": \"f32\", \"shape\": [2]},\n"    \
  "               {\"name\": \"b\", \"dtype\": \"f32\", \"shape\": [2]}],\n"     \
  "   \"variables\": [], \"writes\": []},\n"                                    \
  "  {\"name\": \"bad_shape\", \"symbol\": \"fake_bad_shape\",\n"               \
  "   \"inputs\": [],\n"                                                        \
  "   \"outputs\": [{\"name\": \"y\", \"dtype\": \"f32\", \"shape\": [2]}],\n"   \
  "   \"variables\": [], \"writes\": []}" EXTRA_ENTRY "],\n"                    \
  " \"variables\": [\n"                                                         \
  "  {\"name\": \"w\", \"kind\": \"parameter\", \"dtype\": \"f32\", \"shape\": [3],\n" \
  "   \"initializer\": {\"kind\": \"kaiming_uniform\", \"fan_in\": 3, \"fan_out\": 1}},\n" \
  "  {\"name\": \"b\", \"kind\": \"parameter\", \"dtype\": \"f32\", \"shape\": [3],\n" \
  "   \"initializer\": {\"kind\": \"constant\", \"value\": 0.5}},\n"             \
  "  {\"name\": \"counter\", \"kind\": \"buffer\", \"dtype\": \"i64\", \"shape\": [],\n" \
  "   \"initializer\": {\"kind\": \"zeros\"}}]}\n"

#if FAKE_VARIANT == FAKE_BAD_JSON
const char needle_manifest_v1[] = "{\"format\": \"needle-artifact\", \"format_version\": 1,";
#elif FAKE_VARIANT == FAKE_NO_MANIFEST
const char some_other_symbol[] = MANIFEST;
#else
const char needle_manifest_v1[] = MANIFEST;
#endif

/* A 64-byte-aligned block inside a malloc'd one, as MLIR's aligned alloc
 * lowering makes: `allocated` is what free() takes, `aligned` the data. */
static void alignedAlloc(size_t bytes, void **allocated, void **aligned) {
  char *block = malloc(bytes + 64);
  uintptr_t address = ((uintptr_t)block + 63) & ~(uintptr_t)63;
  *allocated = block;
  *aligned = (void *)address;
}

/* The data pointer of affine's last output, so a test can see that the
 * runtime adopted it without a copy. */
void *fake_last_affine_output;

/* affine(x: f32[n, 3]; w, b: f32[3]) -> y = x * w + b (row-wise). */
void fake_affine(void **args) {
  MemRef2 *y = args[0];
  const MemRef2 *x = args[1];
  const MemRef1 *w = args[2], *b = args[3];
  int64_t n = x->sizes[0];
  alignedAlloc((size_t)(n * 3) * sizeof(float), &y->allocated, &y->aligned);
  y->offset = 0;
  y->sizes[0] = n;
  y->sizes[1] = 3;
  y->strides[0] = 3;
  y->strides[1] = 1;
  const float *xs = (const float *)x->aligned + x->offset;
  const float *ws = w->aligned, *bs = b->aligned;
  float *ys = y->aligned;
  fake_last_affine_output = ys;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < 3; ++j)
      ys[i * 3 + j] = xs[i * x->strides[0] + j * x->strides[1]] * ws[j] + bs[j];
}

/* step(lr: f32[]; w: f32[3], counter: i64[]) -> count: a fake training step
 * with gradient 1: w -= lr, counter += 1, returns the new counter. The output
 * comes from plain malloc (16-byte aligned), so the runtime must copy it. */
void fake_step(void **args) {
  MemRef0 *count = args[0];
  const MemRef0 *lr = args[1];
  const MemRef1 *w = args[2];
  const MemRef0 *counter = args[3];
  float rate = *(const float *)lr->aligned;
  float *ws = w->aligned;
  for (int64_t j = 0; j < w->sizes[0]; ++j)
    ws[j] -= rate;
  int64_t *c = counter->aligned;
  *c += 1;
  int64_t *out = malloc(sizeof(int64_t));
  *out = *c;
  count->allocated = count->aligned = out;
  count->offset = 0;
}

/* transpose(m: f64[2, 3]) -> t: returned as a strided view of a copy of m
 * (sizes [3, 2], strides [1, 3]), which the runtime must gather. */
void fake_transpose(void **args) {
  MemRef2 *t = args[0];
  const MemRef2 *m = args[1];
  double *copy = malloc(6 * sizeof(double));
  memcpy(copy, m->aligned, 6 * sizeof(double));
  t->allocated = t->aligned = copy;
  t->offset = 0;
  t->sizes[0] = 3;
  t->sizes[1] = 2;
  t->strides[0] = 1;
  t->strides[1] = 3;
}

/* identity(v) -> v: hands back the input's own buffer, which the runtime
 * owns; it must copy it and never free it. */
void fake_identity(void **args) {
  MemRef1 *out = args[0];
  const MemRef1 *in = args[1];
  *out = *in;
}

/* twice() -> (a, b): one 64-byte-aligned block returned in both outputs
 * (a at offset 0, b 64 bytes in); both are adopted without a copy and the
 * block must be freed exactly once. */
void fake_twice(void **args) {
  MemRef1 *a = args[0], *b = args[1];
  void *allocated, *aligned;
  alignedAlloc(32 * sizeof(float), &allocated, &aligned);
  float *buffer = aligned;
  buffer[0] = 1, buffer[1] = 2, buffer[16] = 3, buffer[17] = 4;
  a->allocated = b->allocated = allocated;
  a->aligned = b->aligned = aligned;
  a->offset = 0;
  b->offset = 16;
  a->sizes[0] = b->sizes[0] = 2;
  a->strides[0] = b->strides[0] = 1;
}

/* bad_shape() -> y: f32[2] per the manifest, but returns 3 elements. */
void fake_bad_shape(void **args) {
  MemRef1 *y = args[0];
  float *buffer = calloc(3, sizeof(float));
  y->allocated = y->aligned = buffer;
  y->offset = 0;
  y->sizes[0] = 3;
  y->strides[0] = 1;
}

#if FAKE_VARIANT != FAKE_PLAIN_FREE
/* The deallocator compiled artifacts export: the runtime frees the outputs
 * it adopted through it. Counted, so a test can see that it does. */
int fake_buffer_frees;
void needle_buffer_free(void *block) {
  ++fake_buffer_frees;
  free(block);
}
#endif
