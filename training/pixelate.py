"""Pixelate (super-resolution). Mirror of src/core/degradations/pixelate.ts.

Step i halves the resolution once more, so D(x0, t) is t successive 2× bicubic
downsamplings (Keys a = -0.75, half-pixel centres, clamped borders: what
F.interpolate(scale_factor=0.5, mode="bicubic", align_corners=False) computes, written
out so both languages do the same four taps) followed by a nearest upsampling by 2^t.
T = 4 at 128×128: 64, 32, 16, then 8×8 blocks of 16 px.
"""
from __future__ import annotations

import torch

from degradation_spec import DegradationSpec, OperatorFixture, Recipe
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


SPEC = DegradationSpec(
    id="pixelate",
    create=Pixelate,
    recipe=Recipe(steps=12000, finetune_steps=1200, quantization="uint8"),
    fixture=OperatorFixture(),
    task="undoes pixelation (4× to 16× super-resolution)",
    operator_text=("D(x0, t) = t successive 2× bicubic downsamplings (Keys a = −0.75, taps −0.09375, 0.59375, 0.59375, −0.09375,",
                   "clamped borders) then a nearest upsampling by 2^t: at 128×128, t = 1..4 gives 64², 32², 16², 8² blocks."),
    eval_note="Retrained 2026-12-02 on the wider data set and the space-to-depth network, to its budget (13 200 steps, "
              "49 min; before: 5 500 steps, 22 min, 33.0 dB improved at T/2). Improved beats the input, naive and direct on "
              "RMSE, PSNR and SSIM at both steps (+3.3 dB over the input at T/2, direct +3.0), but it is hardly sharper than "
              "direct (equal at T/2, 0.022 against 0.021 at T), unlike the paper's blur result (it reports no sharpness for "
              "super-resolution, and there direct is ahead on SSIM and RMSE). With T = 4 each step doubles the resolution; "
              "the network's L1 estimates from coarse levels are smooth, and when the network is consistent the improved "
              "update makes x_(s−1) ≈ D(x̂0, s−1), a coarser view of that smooth estimate, so only the last, t = 1 estimate "
              "adds detail. The degraded input's high 'sharpness' is its block edges, not detail.",
    checks_sharpness=True,
)
