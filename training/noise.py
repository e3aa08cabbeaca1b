"""Gaussian noise ("hot" diffusion, the baseline). Mirror of src/core/degradations/noise.ts.

D(x0, t) = sqrt(ᾱ_t)·x0 + sqrt(1 - ᾱ_t)·ε with ε ~ N(0, I) fixed for the run by the seed
(rng.py stream 3, index (y·W + x)·3 + c), only to make x_t: the samplers never see it
(step_pair estimates it, as the authors' get_x2_bar_from_xt does). Cosine schedule ᾱ_t = f(t)/f(0),
f(t) = cos²(((t/T + s)/(1 + s))·π/2), s = 0.008. T = 50 (the authors use 200; 50 keeps a
browser run short, and the cosine schedule is defined for any T).
"""
from __future__ import annotations

import math

import numpy as np
import torch

from degradation_spec import DegradationSpec, OperatorFixture, Recipe
from rng import STREAM_NOISE, normals, seeds_for
from steps import batch_steps

NOISE_T = 50
COSINE_OFFSET = 0.008


def alpha_bar(t: int, T: int = NOISE_T) -> float:
    f = lambda u: math.cos((u / T + COSINE_OFFSET) / (1 + COSINE_OFFSET) * math.pi / 2) ** 2  # noqa: E731
    return f(t) / f(0)


def noise_field(seed: int, h: int, w: int) -> torch.Tensor:
    """ε for one image, [3, H, W] float32."""
    return torch.from_numpy(normals(seed, STREAM_NOISE, h * w * 3).reshape(h, w, 3).transpose(2, 0, 1).astype(np.float32))


class Noise:
    id = "noise"

    def __init__(self, T: int = NOISE_T):
        self.T = T
        self.alpha_bars = [alpha_bar(t, T) for t in range(T + 1)]

    def apply(self, x0: torch.Tensor, t: torch.Tensor | int, seed=0) -> torch.Tensor:
        B, C, H, W = x0.shape
        t = batch_steps(t, B, self.T)
        eps = torch.stack([self.field(s, H, W) for s in seeds_for(seed, B)])
        ab = torch.tensor([self.alpha_bars[int(k)] for k in t], dtype=torch.float64)
        a = ab.sqrt().float().view(B, 1, 1, 1)
        b = (1 - ab).sqrt().float().view(B, 1, 1, 1)
        return torch.where((t == 0).view(B, 1, 1, 1), x0, a * x0 + b * eps)

    def field(self, seed: int, h: int, w: int) -> torch.Tensor:
        """What the signal fades into, [3, H, W]: here Gaussian noise (animorph.py: a picture)."""
        return noise_field(seed, h, w)

    def step_pair(self, x_s: torch.Tensor, x0: torch.Tensor, s: int) -> tuple[torch.Tensor, torch.Tensor]:
        """D(x̂0, s) and D(x̂0, s-1) with the noise estimated from what the sampler has:
        ε̂ = (x_s − √ᾱ_s·x̂0)/√(1 − ᾱ_s). Improved sampling is then DDIM (and naive the same step)."""
        a_s, a_p = self.alpha_bars[s], self.alpha_bars[s - 1]
        eps = (x_s - math.sqrt(a_s) * x0) / math.sqrt(max(1 - a_s, 1e-12))
        return math.sqrt(a_s) * x0 + math.sqrt(1 - a_s) * eps, math.sqrt(a_p) * x0 + math.sqrt(1 - a_p) * eps

    def describe(self) -> dict:
        return {"id": "noise", "T": self.T, "schedule": {"kind": "cosine", "offset": COSINE_OFFSET, "rng": "fmix32-counter/3"}}


SPEC = DegradationSpec(
    id="noise",
    create=Noise,
    # uint8 cost direct 0.46 dB; a 2 200-step space-to-depth trial was 4 dB worse (BENCHMARKS.md)
    recipe=Recipe(steps=18000, finetune_steps=1800, quantization="float16"),
    fixture=OperatorFixture(),
    task="removes Gaussian noise (the classic \"hot\" diffusion, for contrast)",
    operator_text=("D(x0, t) = sqrt(ᾱ_t)·x0 + sqrt(1 − ᾱ_t)·ε, cosine schedule (offset 0.008), ε ~ N(0, I) drawn from a seed (one per",
                   "image here) only to make x_t. The samplers never see it: each step estimates it from x_s and x̂0,",
                   "ε̂ = (x_s − √ᾱ_s·x̂0)/√(1 − ᾱ_s), as the authors' code does; improved sampling is then DDIM and naive takes the same step."),
    eval_note="The samplers never see the noise that made x_t: each step estimates it, ε̂ = (x_s − √ᾱ_s·x̂0)/√(1 − ᾱ_s), as "
              "the authors' code does, so improved sampling is DDIM and naive takes exactly the same step (hence the equal rows: "
              "\"improved beats naive: no\" means a tie). Trained to its budget on the wider data set (before: "
              "2 200 steps, 5.8 min), first on the plain 24-48-96-96 network (8 800 steps, 44.5 min), then on the space-to-depth "
              "48-96-128-128 one every restorer uses (2.2× less time per forward in the browser; 8 800 steps in 33.4 min, then "
              "19 800 steps in 50.9 min in channels-last layout): the network's one call (direct) went from 16.7 to 25.9, 26.1 "
              "and then 27.0 dB at T/2. Iterating added 5 dB to the weakest network, nothing to the 8 800-step ones, and costs "
              "0.4 dB against this one (SSIM 0.697 against 0.732): iterating paid off while the network's single guess was poor; "
              "with a good guess, each re-noise with the estimated ε̂ presumably carries x̂0's error into the next step. At t = T (ᾱ ≈ 0) nothing of x0 is left and every output is a guess: direct's "
              "guess is a smooth average (11.3 dB), iterating commits to detail that is not there (9.8 dB). Until 2026-12-01 "
              "the samplers re-used the seed's noise and improved showed 29.3 dB: an oracle's number, not a denoiser's.",
    seeded=True,
)
