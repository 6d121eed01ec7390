/* The needle runtime's C API: load an artifact, call its entry points, read
 * and write its variables and checkpoints, move tensors in and out.
 *
 * Objects are opaque handles. Every fallible call returns a needle_status_t*:
 * NULL on success, otherwise an error whose message the caller reads with
 * needle_status_message and releases with needle_status_free. On error,
 * output handles are set to NULL. Accessors that cannot fail on a valid
 * handle return their value directly.
 *
 * Artifacts are native code: loading one runs it. Load only trusted files.
 * A module must not be used from several threads at once. */
#ifndef NEEDLE_RUNTIME_H
#define NEEDLE_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct needle_status needle_status_t;
typedef struct needle_tensor needle_tensor_t;
typedef struct needle_module needle_module_t;

/* An integer rather than an enum type, so that a bad value from a caller
 * (or another language's binding) can be checked instead of being undefined. */
typedef int32_t needle_dtype_t;
enum {
  NEEDLE_DTYPE_F32 = 0,
  NEEDLE_DTYPE_F64 = 1,
  NEEDLE_DTYPE_I32 = 2,
  NEEDLE_DTYPE_I64 = 3,
};

/* ---- Status ---- */

/* The error message; "" for NULL (success). Valid until the status is freed. */
const char *needle_status_message(const needle_status_t *status);
/* Accepts NULL. */
void needle_status_free(needle_status_t *status);

/* ---- Tensors ---- */

/* A tensor of the given dtype and shape. `data` (row-major, `data_bytes`
 * long, which must equal the tensor's size) is copied; NULL gives zeros. */
needle_status_t *needle_tensor_create(needle_dtype_t dtype, size_t rank,
                                      const int64_t *shape, const void *data,
                                      size_t data_bytes,
                                      needle_tensor_t **out_tensor);
/* An inline tensor such as "2x3xf32=1 2 3 4 5 6", or "@file.npy". */
needle_status_t *needle_tensor_parse(const char *text,
                                     needle_tensor_t **out_tensor);
needle_status_t *needle_tensor_read_npy(const char *path,
                                        needle_tensor_t **out_tensor);
needle_status_t *needle_tensor_write_npy(const needle_tensor_t *tensor,
                                         const char *path);
/* Accepts NULL. */
void needle_tensor_free(needle_tensor_t *tensor);

needle_dtype_t needle_tensor_dtype(const needle_tensor_t *tensor);
size_t needle_tensor_rank(const needle_tensor_t *tensor);
/* `rank` dims; valid while the tensor lives. */
const int64_t *needle_tensor_shape(const needle_tensor_t *tensor);
int64_t needle_tensor_num_elements(const needle_tensor_t *tensor);
size_t needle_tensor_byte_size(const needle_tensor_t *tensor);
/* Row-major data, 64-byte aligned; writable. */
void *needle_tensor_data(needle_tensor_t *tensor);

/* ---- Modules ---- */

/* Loads an artifact. Variables are initialised from `seed` (as
 * np.random.seed), or loaded from `checkpoint` when it is not NULL. */
needle_status_t *needle_module_load(const char *path, uint32_t seed,
                                    const char *checkpoint,
                                    needle_module_t **out_module);
/* Accepts NULL. */
void needle_module_free(needle_module_t *module);

size_t needle_module_entry_point_count(const needle_module_t *module);
/* NULL when `index` is out of range. Valid while the module lives. */
const char *needle_module_entry_point_name(const needle_module_t *module,
                                           size_t index);
size_t needle_module_variable_count(const needle_module_t *module);
const char *needle_module_variable_name(const needle_module_t *module,
                                        size_t index);
needle_status_t *needle_module_output_count(const needle_module_t *module,
                                            const char *entry_point,
                                            size_t *out_count);

/* Calls an entry point. `outputs` receives `output_count` new tensors (which
 * must be the entry point's output count); the caller frees each. A refused
 * call (wrong count, dtype or shape) changes no variable. */
needle_status_t *needle_module_call(needle_module_t *module,
                                    const char *entry_point,
                                    const needle_tensor_t *const *inputs,
                                    size_t input_count,
                                    needle_tensor_t **outputs,
                                    size_t output_count);

/* A copy of a variable's current value. */
needle_status_t *needle_module_get_variable(const needle_module_t *module,
                                            const char *name,
                                            needle_tensor_t **out_tensor);
/* `value` must have the variable's dtype and shape. */
needle_status_t *needle_module_set_variable(needle_module_t *module,
                                            const char *name,
                                            const needle_tensor_t *value);
/* Every variable by name, as .safetensors, written atomically. */
needle_status_t *needle_module_save_checkpoint(const needle_module_t *module,
                                               const char *path);
/* All or nothing: on any mismatch the message lists every problem. */
needle_status_t *needle_module_load_checkpoint(needle_module_t *module,
                                               const char *path);
/* Threads the compiled code may use for its large loops; 0 restores the
 * default (NEEDLE_NUM_THREADS, else OMP_NUM_THREADS, else every hardware
 * thread). */
void needle_module_set_threads(needle_module_t *module, int threads);
int needle_module_threads(const needle_module_t *module);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* NEEDLE_RUNTIME_H */
