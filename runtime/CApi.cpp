// The C API: a thin layer over Module, Tensor and the file formats. Each
// function checks its handles, forwards, and turns a Status into a
// needle_status_t*. No C++ exception crosses the boundary: an allocation
// failure inside the runtime becomes an "out of memory" status.
#include "runtime/needle_runtime.h"

#include "runtime/Module.h"
#include "runtime/Npy.h"
#include "runtime/TensorText.h"

#include <new>

using namespace needle::runtime;

struct needle_status {
  std::string message;
};
struct needle_tensor {
  Tensor tensor;
};
struct needle_module {
  Module module;
};

static_assert(NEEDLE_DTYPE_F32 == int(DType::f32) &&
                  NEEDLE_DTYPE_F64 == int(DType::f64) &&
                  NEEDLE_DTYPE_I32 == int(DType::i32) &&
                  NEEDLE_DTYPE_I64 == int(DType::i64),
              "C and C++ dtype numbering must agree");

namespace {

// Returned when even the error cannot be allocated; never freed.
needle_status_t gOutOfMemory{"out of memory"};

needle_status_t *toC(const Status &status) {
  if (status.ok())
    return nullptr;
  auto *result = new (std::nothrow) needle_status_t;
  if (!result)
    return &gOutOfMemory;
  try {
    result->message = status.message();
  } catch (...) {
    delete result;
    return &gOutOfMemory;
  }
  return result;
}

needle_status_t *fail(const char *function, const char *what) {
  return toC(Status::error(std::string(function) + ": " + what));
}

// Runs `body` (returning a Status) and converts the result.
template <typename Body> needle_status_t *guard(Body body) {
  try {
    return toC(body());
  } catch (const std::bad_alloc &) {
    return &gOutOfMemory;
  } catch (...) {
    return toC(Status::error("internal error in the needle runtime"));
  }
}

needle_tensor_t *wrap(Tensor tensor) {
  return new needle_tensor_t{std::move(tensor)};
}

} // namespace

extern "C" {

const char *needle_status_message(const needle_status_t *status) {
  return status ? status->message.c_str() : "";
}

void needle_status_free(needle_status_t *status) {
  if (status != &gOutOfMemory)
    delete status;
}

needle_status_t *needle_tensor_create(needle_dtype_t dtype, size_t rank,
                                      const int64_t *shape, const void *data,
                                      size_t data_bytes,
                                      needle_tensor_t **out_tensor) {
  if (!out_tensor)
    return fail(__func__, "out_tensor is NULL");
  *out_tensor = nullptr;
  if (dtype < NEEDLE_DTYPE_F32 || dtype > NEEDLE_DTYPE_I64)
    return fail(__func__, "unknown dtype");
  if (rank && !shape)
    return fail(__func__, "shape is NULL");
  return guard([&]() -> Status {
    Shape dims(shape, shape + rank);
    StatusOr<Tensor> tensor =
        data ? Tensor::fromBytes(DType(dtype), dims, data, data_bytes)
             : Tensor::zeros(DType(dtype), dims);
    if (!tensor.ok())
      return tensor.status();
    *out_tensor = wrap(std::move(*tensor));
    return Status();
  });
}

needle_status_t *needle_tensor_parse(const char *text,
                                     needle_tensor_t **out_tensor) {
  if (!out_tensor || !text)
    return fail(__func__, "NULL argument");
  *out_tensor = nullptr;
  return guard([&]() -> Status {
    NEEDLE_ASSIGN_OR_RETURN(Tensor tensor, parseTensorArgument(text));
    *out_tensor = wrap(std::move(tensor));
    return Status();
  });
}

needle_status_t *needle_tensor_read_npy(const char *path,
                                        needle_tensor_t **out_tensor) {
  if (!out_tensor || !path)
    return fail(__func__, "NULL argument");
  *out_tensor = nullptr;
  return guard([&]() -> Status {
    NEEDLE_ASSIGN_OR_RETURN(Tensor tensor, readNpy(path));
    *out_tensor = wrap(std::move(tensor));
    return Status();
  });
}

needle_status_t *needle_tensor_write_npy(const needle_tensor_t *tensor,
                                         const char *path) {
  if (!tensor || !path)
    return fail(__func__, "NULL argument");
  return guard([&] { return writeNpy(path, tensor->tensor); });
}

void needle_tensor_free(needle_tensor_t *tensor) { delete tensor; }

needle_dtype_t needle_tensor_dtype(const needle_tensor_t *tensor) {
  return needle_dtype_t(tensor->tensor.dtype());
}
size_t needle_tensor_rank(const needle_tensor_t *tensor) {
  return tensor->tensor.rank();
}
const int64_t *needle_tensor_shape(const needle_tensor_t *tensor) {
  return tensor->tensor.shape().data();
}
int64_t needle_tensor_num_elements(const needle_tensor_t *tensor) {
  return tensor->tensor.numElements();
}
size_t needle_tensor_byte_size(const needle_tensor_t *tensor) {
  return tensor->tensor.byteSize();
}
void *needle_tensor_data(needle_tensor_t *tensor) {
  return tensor->tensor.data();
}

needle_status_t *needle_module_load(const char *path, uint32_t seed,
                                    const char *checkpoint,
                                    needle_module_t **out_module) {
  if (!out_module || !path)
    return fail(__func__, "NULL argument");
  *out_module = nullptr;
  return guard([&]() -> Status {
    LoadOptions options;
    options.seed = seed;
    if (checkpoint)
      options.checkpoint = checkpoint;
    NEEDLE_ASSIGN_OR_RETURN(Module module, Module::load(path, options));
    *out_module = new needle_module_t{std::move(module)};
    return Status();
  });
}

void needle_module_free(needle_module_t *module) { delete module; }

size_t needle_module_entry_point_count(const needle_module_t *module) {
  return module->module.manifest().entryPoints.size();
}
const char *needle_module_entry_point_name(const needle_module_t *module,
                                           size_t index) {
  const auto &entries = module->module.manifest().entryPoints;
  return index < entries.size() ? entries[index].name.c_str() : nullptr;
}
size_t needle_module_variable_count(const needle_module_t *module) {
  return module->module.manifest().variables.size();
}
const char *needle_module_variable_name(const needle_module_t *module,
                                        size_t index) {
  const auto &variables = module->module.manifest().variables;
  return index < variables.size() ? variables[index].name.c_str() : nullptr;
}

needle_status_t *needle_module_output_count(const needle_module_t *module,
                                            const char *entry_point,
                                            size_t *out_count) {
  if (!module || !entry_point || !out_count)
    return fail(__func__, "NULL argument");
  const EntryPointSpec *entry = module->module.manifest().findEntryPoint(entry_point);
  if (!entry)
    return toC(Status::error(std::string("no entry point '") + entry_point + "'"));
  *out_count = entry->outputs.size();
  return nullptr;
}

needle_status_t *needle_module_call(needle_module_t *module,
                                    const char *entry_point,
                                    const needle_tensor_t *const *inputs,
                                    size_t input_count,
                                    needle_tensor_t **outputs,
                                    size_t output_count) {
  if (!module || !entry_point || (input_count && !inputs) ||
      (output_count && !outputs))
    return fail(__func__, "NULL argument");
  for (size_t i = 0; i < output_count; ++i)
    outputs[i] = nullptr;
  return guard([&]() -> Status {
    const EntryPointSpec *entry =
        module->module.manifest().findEntryPoint(entry_point);
    if (entry && entry->outputs.size() != output_count)
      return Status::error(std::string(entry_point) + ": room for " +
                           std::to_string(output_count) + " output(s) but it has " +
                           std::to_string(entry->outputs.size()));
    std::vector<Tensor> arguments;
    for (size_t i = 0; i < input_count; ++i) {
      if (!inputs[i])
        return Status::error(std::string(entry_point) + ": input " +
                             std::to_string(i) + " is NULL");
      arguments.push_back(inputs[i]->tensor);
    }
    NEEDLE_ASSIGN_OR_RETURN(std::vector<Tensor> results,
                            module->module.call(entry_point, arguments));
    for (size_t i = 0; i < results.size(); ++i)
      outputs[i] = wrap(std::move(results[i]));
    return Status();
  });
}

needle_status_t *needle_module_get_variable(const needle_module_t *module,
                                            const char *name,
                                            needle_tensor_t **out_tensor) {
  if (!module || !name || !out_tensor)
    return fail(__func__, "NULL argument");
  *out_tensor = nullptr;
  return guard([&]() -> Status {
    NEEDLE_ASSIGN_OR_RETURN(Tensor value, module->module.variable(name));
    *out_tensor = wrap(std::move(value));
    return Status();
  });
}

needle_status_t *needle_module_set_variable(needle_module_t *module,
                                            const char *name,
                                            const needle_tensor_t *value) {
  if (!module || !name || !value)
    return fail(__func__, "NULL argument");
  return guard([&] { return module->module.setVariable(name, value->tensor); });
}

needle_status_t *needle_module_save_checkpoint(const needle_module_t *module,
                                               const char *path) {
  if (!module || !path)
    return fail(__func__, "NULL argument");
  return guard([&] { return module->module.saveCheckpoint(path); });
}

needle_status_t *needle_module_load_checkpoint(needle_module_t *module,
                                               const char *path) {
  if (!module || !path)
    return fail(__func__, "NULL argument");
  return guard([&] { return module->module.loadCheckpoint(path); });
}

void needle_module_set_threads(needle_module_t *module, int threads) {
  if (module)
    module->module.setThreads(threads);
}

int needle_module_threads(const needle_module_t *module) {
  return module ? module->module.threads() : 0;
}

} // extern "C"
