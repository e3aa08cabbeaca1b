"""Decolorize degradation. Mirror of src/core/degradations/decolorize.ts.

D(x0, t) = (1 - t/T)·x0 + (t/T)·gray(x0), gray = the channel mean (as the authors'
code), T = 20: colour fades linearly to gray.
"""
from __future__ import annotations

import torch

from steps import batch_steps

DECOLORIZE_T = 20


class Decolorize:
    id = "decolorize"

    def __init__(self, T: int = DECOLORIZE_T):
        self.T = T

    def apply(self, x0: torch.Tensor, t: torch.Tensor | int, seed: int = 0) -> torch.Tensor:
        B = x0.shape[0]
        t = batch_steps(t, B, self.T)
        a = (t.to(x0.dtype) / self.T).view(B, 1, 1, 1)
        gray = x0.mean(dim=1, keepdim=True).expand_as(x0)
        return (1 - a) * x0 + a * gray

    def describe(self) -> dict:
        return {"id": "decolorize", "T": self.T, "schedule": {"kind": "linear-to-channel-mean"}}
