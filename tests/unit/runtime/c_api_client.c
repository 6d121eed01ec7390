/* A C program's use of the runtime, compiled as C to prove that
 * needle_runtime.h is a C header. CApiTest.cpp calls it. */
#include "runtime/needle_runtime.h"

#include <stdio.h>
#include <string.h>

/* Copies the status message into `error` and frees the status. */
static int failed(needle_status_t *status, char *error, size_t error_size) {
  if (!status)
    return 0;
  snprintf(error, error_size, "%s", needle_status_message(status));
  needle_status_free(status);
  return 1;
}

/* Loads `artifact`, sets w = [1, 2, 3] and b = [0, 0, 1], runs affine on
 * [[1, 2, 3], [4, 5, 6]], and copies the 6 results to `out`. Returns 0 on
 * success, else 1 with a message in `error`. */
int needle_c_client_affine(const char *artifact, float out[6], char *error,
                           size_t error_size) {
  needle_module_t *module = NULL;
  needle_tensor_t *w = NULL, *b = NULL, *x = NULL, *y = NULL;
  const float w_data[3] = {1, 2, 3}, b_data[3] = {0, 0, 1};
  const float x_data[6] = {1, 2, 3, 4, 5, 6};
  const int64_t vector_shape[1] = {3}, matrix_shape[2] = {2, 3};
  const needle_tensor_t *inputs[1];
  int result = 1;

  if (failed(needle_module_load(artifact, 0, NULL, &module), error, error_size) ||
      failed(needle_tensor_create(NEEDLE_DTYPE_F32, 1, vector_shape, w_data,
                                  sizeof w_data, &w), error, error_size) ||
      failed(needle_tensor_create(NEEDLE_DTYPE_F32, 1, vector_shape, b_data,
                                  sizeof b_data, &b), error, error_size) ||
      failed(needle_tensor_create(NEEDLE_DTYPE_F32, 2, matrix_shape, x_data,
                                  sizeof x_data, &x), error, error_size) ||
      failed(needle_module_set_variable(module, "w", w), error, error_size) ||
      failed(needle_module_set_variable(module, "b", b), error, error_size))
    goto done;
  inputs[0] = x;
  if (failed(needle_module_call(module, "affine", inputs, 1, &y, 1), error, error_size))
    goto done;
  if (needle_tensor_dtype(y) != NEEDLE_DTYPE_F32 || needle_tensor_rank(y) != 2 ||
      needle_tensor_shape(y)[0] != 2 || needle_tensor_shape(y)[1] != 3 ||
      needle_tensor_num_elements(y) != 6 || needle_tensor_byte_size(y) != 24) {
    snprintf(error, error_size, "unexpected output type");
    goto done;
  }
  memcpy(out, needle_tensor_data(y), 6 * sizeof(float));
  result = 0;

done:
  needle_tensor_free(y);
  needle_tensor_free(x);
  needle_tensor_free(b);
  needle_tensor_free(w);
  needle_module_free(module);
  return result;
}
