"""The paper's samplers, exactly as in the README (Algorithms 1 and 2 of Bansal et al. 2022).
Mirror of src/core/samplers.ts (which yields every frame; here only the result is needed)."""
from __future__ import annotations

from typing import Callable

import torch

Restorer = Callable[[torch.Tensor, int], torch.Tensor]


def direct(D, R: Restorer, x_s: torch.Tensor, s: int) -> torch.Tensor:
    return R(x_s, s)


def step_pair(D, x_s: torch.Tensor, x0: torch.Tensor, s: int) -> tuple[torch.Tensor, torch.Tensor]:
    """D(x̂0, s) and D(x̂0, s-1) as a sampler may compute them: from x_s, s, x̂0 and D only.
    Gaussian noise re-noises with the estimate ε̂ (Noise.step_pair), never the noise that made x_t."""
    if hasattr(D, "step_pair"):
        return D.step_pair(x_s, x0, s)
    return D.apply(x0, s), D.apply(x0, s - 1)


def naive(D, R: Restorer, x_s: torch.Tensor, s: int) -> torch.Tensor:
    """Algorithm 1: x_{s-1} = D(x̂0, s-1)."""
    x = x_s
    for step in range(s, 0, -1):
        x0 = R(x, step)
        x = step_pair(D, x, x0, step)[1]
    return x


def improved(D, R: Restorer, x_s: torch.Tensor, s: int) -> torch.Tensor:
    """Algorithm 2 (TACoS): x_{s-1} = x_s - D(x̂0, s) + D(x̂0, s-1)."""
    x = x_s
    for step in range(s, 0, -1):
        x0 = R(x, step)
        at_s, at_prev = step_pair(D, x, x0, step)
        x = x - at_s + at_prev
    return x


SAMPLERS = {"direct": direct, "naive": naive, "improved": improved}
