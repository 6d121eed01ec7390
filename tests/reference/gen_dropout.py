#!/usr/bin/python3
"""Expected outputs of training-form Dropout (tests/unit/e2e/DropoutTest.cpp).

Philox4x32-10 is written out here from Salmon et al. (SC 2011) and checked
against the known-answer vectors of the Random123 distribution, independently
of the compiler's lowering. The mask rule is the one `needle.dropout_mask`
documents: the element at row-major index i keeps (scaled by 1 / (1 - p))
unless the first Philox word of counter (i, stream, step lo, step hi) and key
(seed lo, seed hi) is below p * 2^32.

Writes dropout/step<k>.npy: the model's forward_train output for
x = dropout/x.npy at steps 0, 1 and 2 with seed 7.
"""
import math
import os

import numpy as np

MASK = 0xFFFFFFFF


def philox4x32(counter, key, rounds=10):
    c0, c1, c2, c3 = counter
    k0, k1 = key
    for r in range(rounds):
        if r > 0:
            k0 = (k0 + 0x9E3779B9) & MASK
            k1 = (k1 + 0xBB67AE85) & MASK
        p0 = 0xD2511F53 * c0
        p1 = 0xCD9E8D57 * c2
        c0, c1, c2, c3 = ((p1 >> 32) ^ c1 ^ k0, p1 & MASK,
                          (p0 >> 32) ^ c3 ^ k1, p0 & MASK)
    return c0, c1, c2, c3


KNOWN_ANSWERS = [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((MASK,) * 4, (MASK, MASK), (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
     (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
]


def mask(shape, p, seed, step, stream):
    threshold = int(math.ldexp(p, 32))
    scale = np.float32(1.0 / (1.0 - p))
    out = np.empty(int(np.prod(shape)), dtype=np.float32)
    for i in range(out.size):
        word = philox4x32((i, stream, step & MASK, step >> 32),
                          (seed & MASK, seed >> 32))[0]
        out[i] = scale if word >= threshold else np.float32(0)
    return out.reshape(shape)


def main():
    for counter, key, expected in KNOWN_ANSWERS:
        assert philox4x32(counter, key) == expected, (counter, key)
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dropout")
    # examples of the model in dropout/model.mlir: two dropouts, p 0.3 and 0.5.
    x = (np.arange(6 * 7, dtype=np.float32).reshape(6, 7) - 20) / np.float32(8)
    np.save(os.path.join(here, "x.npy"), x)
    for step in range(3):
        y = x * mask(x.shape, 0.3, 7, step, 0)
        y = y * mask(x.shape, 0.5, 7, step, 1)
        np.save(os.path.join(here, "step%d.npy" % step), y.astype(np.float32))


if __name__ == "__main__":
    main()
