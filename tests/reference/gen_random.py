#!/usr/bin/env python3
"""Generates the reference data the runtime's unit tests compare against.

Run from anywhere with Debian's numpy (/usr/bin/python3 tests/reference/gen_random.py);
it rewrites, next to this file:

  random_reference.json  numpy's legacy RandomState (raw MT19937 words,
                         random_sample, standard_normal) for several seeds, and
                         needle's initializers applied in declaration order
                         from one seeded stream, as needle's Python code does.
  npy/*.npy              tiny arrays saved by numpy itself: ones the runtime
                         must read (and write byte for byte), and ones it must
                         refuse (fortran order, big-endian, other dtypes).
  safetensors/small.safetensors
                         a checkpoint laid out by hand from the safetensors
                         spec (no safetensors package needed).

The initializer formulas below are needle's (python/needle/init), written
independently of the C++ so that the tests compare two implementations.
"""
import json
import math
import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = [0, 1, 42, 1337, 4294967295]


# ---- needle's initializers (numpy backend) ----------------------------------

def rand(shape, low=0.0, high=1.0):
    return np.random.rand(*shape) * (high - low) + low


def randn(shape, mean=0.0, std=1.0):
    return np.random.randn(*shape) * std + mean


def kaiming_uniform(shape, fan_in, gain=math.sqrt(2)):
    bound = gain * math.sqrt(3 / fan_in)
    return rand(shape, -bound, bound)


def kaiming_normal(shape, fan_in, gain=math.sqrt(2)):
    std = gain / math.sqrt(fan_in)
    return randn(shape, 0.0, std)


def xavier_uniform(shape, fan_in, fan_out, gain=1.0):
    a = gain * math.sqrt(6 / (fan_in + fan_out))
    return rand(shape, -a, a)


def xavier_normal(shape, fan_in, fan_out, gain=1.0):
    std = gain * math.sqrt(2 / (fan_in + fan_out))
    return randn(shape, 0.0, std)


def initialize(shape, init):
    kind = init["kind"]
    args = {k: v for k, v in init.items() if k != "kind"}
    if kind == "zeros":
        return np.zeros(shape)
    if kind == "ones":
        return np.ones(shape)
    if kind == "constant":
        return np.full(shape, float(args["value"]))
    if kind == "rand":
        return rand(shape, args.get("low", 0.0), args.get("high", 1.0))
    if kind == "randn":
        return randn(shape, args.get("mean", 0.0), args.get("std", 1.0))
    if kind == "kaiming_uniform":
        return kaiming_uniform(shape, args["fan_in"], args.get("gain", math.sqrt(2)))
    if kind == "kaiming_normal":
        return kaiming_normal(shape, args["fan_in"], args.get("gain", math.sqrt(2)))
    if kind == "xavier_uniform":
        return xavier_uniform(shape, args["fan_in"], args["fan_out"], args.get("gain", 1.0))
    if kind == "xavier_normal":
        return xavier_normal(shape, args["fan_in"], args["fan_out"], args.get("gain", 1.0))
    raise ValueError(kind)


NUMPY_DTYPES = {"f32": np.float32, "f64": np.float64, "i32": np.int32, "i64": np.int64}

# Declaration order matters: one stream feeds every variable. n1 draws an odd
# number of normals, so n2 starts with numpy's cached second value; u draws
# uniforms in between, which must leave that cache alone; n3 then takes the
# value n2 left cached.
VARIABLES = [
    ("w1", "f32", [7, 4], {"kind": "kaiming_uniform", "fan_in": 7, "fan_out": 4,
                           "gain": math.sqrt(2)}),
    ("b1", "f32", [1, 4], {"kind": "kaiming_uniform", "fan_in": 4, "fan_out": 1}),
    ("n1", "f32", [3], {"kind": "randn", "mean": 0.5, "std": 2.0}),
    ("n2", "f64", [2, 2], {"kind": "kaiming_normal", "fan_in": 5, "fan_out": 2}),
    ("u", "f64", [5], {"kind": "rand", "low": -2.0, "high": 3.0}),
    ("n3", "f32", [], {"kind": "randn"}),
    ("xu", "f32", [3, 5], {"kind": "xavier_uniform", "fan_in": 3, "fan_out": 5}),
    ("xn", "f64", [2, 3], {"kind": "xavier_normal", "fan_in": 2, "fan_out": 3,
                           "gain": 1.5}),
    ("c", "f32", [2], {"kind": "constant", "value": 0.25}),
    ("z", "i64", [3], {"kind": "zeros"}),
    ("o", "i32", [2, 2], {"kind": "ones"}),
    ("ri", "i32", [6], {"kind": "rand", "low": -10, "high": 10}),
    ("ni", "i64", [3], {"kind": "randn", "std": 100.0}),
    ("empty", "f32", [0, 3], {"kind": "randn"}),
    ("last", "f64", [2], {"kind": "randn"}),
]


def as_json_values(array, dtype):
    flat = np.asarray(array, dtype=np.float64).reshape(-1).astype(NUMPY_DTYPES[dtype])
    if dtype.startswith("i"):
        return [int(v) for v in flat]
    return [float(v) for v in flat]  # exact: a float32 is a double too


def random_reference():
    out = {"mt19937": [], "random_sample": [], "standard_normal": [], "initializers": []}
    for seed in SEEDS:
        # randint over the whole uint32 range returns raw MT19937 words.
        state = np.random.RandomState(seed)
        words = state.randint(0, 2**32, size=1250, dtype=np.uint32)
        out["mt19937"].append({"seed": seed, "first": [int(w) for w in words[:8]],
                               "from_1240": [int(w) for w in words[1240:1250]]})
        state = np.random.RandomState(seed)
        out["random_sample"].append({"seed": seed, "values":
                                     [float(v) for v in state.random_sample(12)]})
        state = np.random.RandomState(seed)
        # An odd count, then a reseed-free continuation, exercises the cache.
        first = state.standard_normal(5)
        second = state.standard_normal(4)
        out["standard_normal"].append({"seed": seed, "values":
                                       [float(v) for v in np.concatenate([first, second])]})
    for seed in [0, 42, 1337]:
        np.random.seed(seed)
        variables = []
        for name, dtype, shape, init in VARIABLES:
            values = initialize(shape, init)
            variables.append({"name": name, "dtype": dtype, "shape": shape,
                              "initializer": init,
                              "values": as_json_values(values, dtype)})
        out["initializers"].append({"seed": seed, "variables": variables})
    return out


def write_npy_fixtures():
    directory = os.path.join(HERE, "npy")
    os.makedirs(directory, exist_ok=True)

    def save(name, array, version=None):
        with open(os.path.join(directory, name), "wb") as f:
            if version is None:
                np.save(f, array, allow_pickle=(array.dtype == object))
            else:
                np.lib.format.write_array(f, array, version=version)

    # Readable, and what the runtime's writer must reproduce byte for byte.
    save("f32_2x3.npy", (np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5) / 4)
    save("f64_scalar.npy", np.array(-1.25, dtype=np.float64))
    save("i32_4.npy", np.array([1, -2, 3, 2**31 - 1], dtype=np.int32))
    save("i64_2x0.npy", np.zeros((2, 0), dtype=np.int64))
    save("i64_3_v2.npy", np.array([-(2**63), 0, 2**63 - 1], dtype=np.int64), (2, 0))
    save("f32_2_v3.npy", np.array([1.5, -0.0], dtype=np.float32), (3, 0))
    # To refuse.
    save("bad_fortran.npy", np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))
    save("bad_big_endian.npy", np.arange(3, dtype=">f4"))
    save("bad_float16.npy", np.arange(3, dtype=np.float16))
    save("bad_object.npy", np.array([1, "a"], dtype=object))
    save("bad_structured.npy", np.zeros(2, dtype=[("a", "<f4"), ("b", "<i4")]))


def write_safetensors_fixture():
    directory = os.path.join(HERE, "safetensors")
    os.makedirs(directory, exist_ok=True)
    tensors = [  # sorted by name, as the runtime writes them
        ("bias", np.array([0.5, -1.0, 2.0], dtype="<f4"), "F32"),
        ("count", np.array(7, dtype="<i8"), "I64"),
        ("weight", np.arange(6, dtype="<f8").reshape(2, 3) / 8, "F64"),
    ]
    header = {"__metadata__": {"format": "needle-checkpoint"}}
    data = b""
    for name, array, dtype in tensors:
        raw = array.tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape),
                        "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(os.path.join(directory, "small.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


def main():
    with open(os.path.join(HERE, "random_reference.json"), "w") as f:
        json.dump(random_reference(), f, indent=1)
        f.write("\n")
    write_npy_fixtures()
    write_safetensors_fixture()


if __name__ == "__main__":
    main()
