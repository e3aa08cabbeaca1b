"""The paper's samplers, exactly as in the README (Algorithms 1 and 2 of Bansal et al. 2022).
Mirror of src/core/samplers.ts (which yields every frame; here only the result is needed)."""
from __future__ import annotations

from typing import Callable

import torch

Restorer = Callable[[torch.Tensor, int], torch.Tensor]


def direct(D, R: Restorer, x_s: torch.Tensor, s: int) -> torch.Tensor:
    return R(x_s, s)


def naive(D, R: Restorer, x_s: torch.Tensor, s: int) -> torch.Tensor:
    """Algorithm 1: x_{s-1} = D(x̂0, s-1)."""
    x = x_s
    for step in range(s, 0, -1):
        x0 = R(x, step)
        x = D.apply(x0, step - 1)
    return x


def improved(D, R: Restorer, x_s: torch.Tensor, s: int) -> torch.Tensor:
    """Algorithm 2 (TACoS): x_{s-1} = x_s - D(x̂0, s) + D(x̂0, s-1)."""
    x = x_s
    for step in range(s, 0, -1):
        x0 = R(x, step)
        x = x - D.apply(x0, step) + D.apply(x0, step - 1)
    return x


SAMPLERS = {"direct": direct, "naive": naive, "improved": improved}
