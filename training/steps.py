"""The step argument every operator takes: one int for the batch, or one per sample."""
from __future__ import annotations

import torch


def batch_steps(t: torch.Tensor | int, batch: int, T: int) -> torch.Tensor:
    """t as a [batch] long tensor, checked to lie in 0..T."""
    if isinstance(t, int):
        t = torch.full((batch,), t, dtype=torch.long)
    t = t.to(torch.long)
    if t.shape != (batch,):
        raise ValueError(f"{tuple(t.shape)} steps for a batch of {batch}")
    if bool((t < 0).any()) or bool((t > T).any()):
        raise ValueError(f"t must be in 0..{T}")
    return t
