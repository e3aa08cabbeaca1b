"""Pixelate (super-resolution). Mirror of src/core/degradations/pixelate.ts.

Step i halves the resolution once more, so D(x0, t) is t successive 2× bicubic
downsamplings (Keys a = -0.75, half-pixel centres, clamped borders: what
F.interpolate(scale_factor=0.5, mode="bicubic", align_corners=False) computes, written
out so both languages do the same four taps) followed by a nearest upsampling by 2^t.
T = 4 at 128×128: 64, 32, 16, then 8×8 blocks of 16 px.
"""
from __future__ import annotations

import torch

from steps import batch_steps

PIXELATE_T = 4
# Keys cubic at distances 1.5, 0.5, 0.5, 1.5: the taps of an exact 2× reduction.
HALVING_TAPS = (-0.09375, 0.59375, 0.59375, -0.09375)


def halve(x: torch.Tensor, dim: int) -> torch.Tensor:
    n = x.shape[dim]
    j = torch.arange(n // 2)
    out = torch.zeros(())
    for k, w in enumerate(HALVING_TAPS):
        out = out + w * x.index_select(dim, (2 * j - 1 + k).clamp(0, n - 1))
    return out


class Pixelate:
    id = "pixelate"

    def __init__(self, T: int = PIXELATE_T):
        self.T = T

    def apply(self, x0: torch.Tensor, t: torch.Tensor | int, seed=0) -> torch.Tensor:
        B, C, H, W = x0.shape
        t = batch_steps(t, B, self.T)
        out = x0.clone()
        for level in range(1, self.T + 1):
            rows = (t == level).nonzero().flatten()
            if len(rows) == 0:
                continue
            f = 2 ** level
            if H % f or W % f:
                raise ValueError(f"pixelate step {level} needs sides divisible by {f}, got {H}×{W}")
            y = x0[rows]
            for _ in range(level):
                y = halve(halve(y, 2), 3)
            out[rows] = y.repeat_interleave(f, dim=2).repeat_interleave(f, dim=3)
        return out

    def describe(self) -> dict:
        return {"id": "pixelate", "T": self.T, "schedule": {"kind": "cumulative-bicubic-halving", "taps": list(HALVING_TAPS),
                "upsample": "nearest"}}
