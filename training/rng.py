"""Seeded randomness that TypeScript reproduces (src/core/degradations/rng.ts), uniforms bit for bit.

A counter-based generator: value i of stream s under seed k is fmix32 (MurmurHash3's
finaliser) of a key mixed from (k, s) plus i·golden. No state, so any value can be
computed on its own, in any order, in both languages, with integer arithmetic only.
Normals use Box-Muller in float64 on pairs of uniforms; they agree to a few units in the last
place, not bit for bit (numpy's SIMD log and cos round by memory alignment; V8's Math differs too).
"""
from __future__ import annotations

import numpy as np

GOLDEN = 0x9E3779B9
STREAM_HOLE, STREAM_SNOW, STREAM_NOISE, STREAM_GENERATE, STREAM_MIX = 1, 2, 3, 4, 5
STREAM_COLOUR_COMPONENT = 6  # which mixture component a generated sample's colour comes from (blur_to_flat.start_image)
STREAM_OWN_NOISE, STREAM_OWN_TRAINING = 7, 8  # a transform the visitor makes (own_transform.py): its noise field, its training batches


def fmix32(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.uint32).copy()
    x ^= x >> np.uint32(16)
    x *= np.uint32(0x85EBCA6B)
    x ^= x >> np.uint32(13)
    x *= np.uint32(0xC2B2AE35)
    x ^= x >> np.uint32(16)
    return x


def stream_key(seed: int, stream: int) -> int:
    return int(fmix32(np.array([(seed ^ (GOLDEN * (stream + 1))) & 0xFFFFFFFF], dtype=np.uint32))[0])


def hashes(seed: int, stream: int, count: int) -> np.ndarray:
    i = np.arange(count, dtype=np.uint32)
    return fmix32(i * np.uint32(GOLDEN) + np.uint32(stream_key(seed, stream)))


def uniforms(seed: int, stream: int, count: int) -> np.ndarray:
    """count floats in [0, 1), multiples of 2^-24 (exact in float32)."""
    return (hashes(seed, stream, count) >> np.uint32(8)).astype(np.float64) * 2.0 ** -24


def normals(seed: int, stream: int, count: int) -> np.ndarray:
    """count standard normals (float64), Box-Muller on value pairs (2j, 2j+1)."""
    h = (hashes(seed, stream, 2 * count) >> np.uint32(8)).astype(np.float64)
    u1 = (h[0::2] + 0.5) * 2.0 ** -24
    u2 = h[1::2] * 2.0 ** -24
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


def seeds_for(seed, batch: int) -> list[int]:
    """One seed per sample: an int is shared by the whole batch."""
    if isinstance(seed, (int, np.integer)):
        return [int(seed)] * batch
    seeds = [int(s) for s in seed]
    if len(seeds) != batch:
        raise ValueError(f"{len(seeds)} seeds for a batch of {batch}")
    return seeds
