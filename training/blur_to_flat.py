"""Blur to a flat colour, for generation (the paper's blur generation). Mirror of
src/core/degradations/blurToFlat.ts.

The closed-form blur of blur.py with its own schedule at 32×32 (T = 20, s_i = 0.4 + 0.2·i
px, so σ(T-1) ≈ 10.7 px), and at t = T the image becomes its per-channel mean: a flat
colour. Generation starts there: a colour drawn from a Gaussian fitted to the training
images' channel means, plus tiny per-pixel noise that breaks the symmetry (without it,
every sample of one colour would be the same image).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import torch

from blur import TRUNCATE_SIGMAS, Blur
from degradation_spec import DegradationSpec, OperatorFixture, Recipe
from steps import batch_steps

FLAT_T = 20
FLAT_STEP_BASE = 0.4
FLAT_STEP_SLOPE = 0.2
SYMMETRY_NOISE = 0.002


class BlurToFlat(Blur):
    id = "blur-to-flat"

    def __init__(self, T: int = FLAT_T, prior: dict[str, Any] | None = None):
        super().__init__(T, FLAT_STEP_BASE, FLAT_STEP_SLOPE)
        self.prior = prior

    def apply(self, x0: torch.Tensor, t: torch.Tensor | int, seed=0) -> torch.Tensor:
        B = x0.shape[0]
        t = batch_steps(t, B, self.T)
        y = super().apply(x0, t)
        flat = x0.mean(dim=(2, 3), keepdim=True).expand_as(x0)
        return torch.where((t == self.T).view(B, 1, 1, 1), flat, y)

    def describe(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "T": self.T, "schedule": {"kind": "closed-form-gaussian-then-mean", "stepSigmaBase": FLAT_STEP_BASE,
                             "stepSigmaSlope": FLAT_STEP_SLOPE, "truncateSigmas": TRUNCATE_SIGMAS, "padding": "reflect"}}
        if self.prior is not None:
            d["start"] = self.prior
        return d


SPEC = DegradationSpec(
    id="blur-to-flat",
    create=BlurToFlat,
    recipe=Recipe(steps=6000, finetune_steps=0, quantization="uint8", channels="24,48,96", space_to_depth=None, crop=32, batch=64),
    fixture=OperatorFixture(),
    fits_colour_prior=True,
)


def fit_colour_prior(means: np.ndarray) -> dict[str, Any]:
    """One full-covariance Gaussian over the per-channel means [N, 3] (in [-1, 1]) of the
    training images (the authors' 1-component mixture), with its Cholesky factor for sampling."""
    mu = means.mean(axis=0)
    cov = np.cov(means, rowvar=False)
    chol = np.linalg.cholesky(cov + 1e-9 * np.eye(3))  # grayscale data: rank 1, jitter keeps it factorable
    return {"colourMean": mu.round(6).tolist(), "colourCovariance": cov.round(8).tolist(),
            "colourCholesky": chol.round(8).tolist(), "noiseSigma": SYMMETRY_NOISE}


def start_image(prior: dict[str, Any], seed: int, size: int, channels: int = 3) -> torch.Tensor:
    """x_T of a generated sample: drawn colour + symmetry noise, from the shared seeded generator
    (rng.py stream 4: 3 normals for the colour, then one per pixel and channel, NHWC order)."""
    from rng import STREAM_GENERATE, normals
    z = normals(seed, STREAM_GENERATE, channels + size * size * channels)
    colour = np.asarray(prior["colourMean"]) + np.asarray(prior["colourCholesky"]) @ z[:channels]
    noise = z[channels:].reshape(size, size, channels) * prior["noiseSigma"]
    x = (colour[None, None, :] + noise).transpose(2, 0, 1)
    return torch.from_numpy(x.astype(np.float32))[None]
