"""Blur degradation, closed form. Mirror of src/core/degradations/blur.ts.

The authors apply t Gaussian blurs in sequence (O(t) convolutions per call). Gaussians
compose: blurring with s_0, …, s_{t-1} equals one Gaussian of variance Σ s_i², so
D(x0, t) is a single separable Gaussian blur with σ(t) = sqrt(Σ_{i<t} s_i²).
The kernel length is fixed (sized for σ(T)), so the cost of a call does not depend on t.
Borders are reflected (no edge repeated), for any image size.

Schedule (128×128 working resolution, T = 40): s_i = 0.5 + 0.08·i px, giving
σ(T/2) ≈ 6.0 px and σ(T) ≈ 14.3 px.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from steps import batch_steps

BLUR_T = 40
BLUR_STEP_BASE = 0.5
BLUR_STEP_SLOPE = 0.08
TRUNCATE_SIGMAS = 3.0


def blur_sigma(t: int, base: float = BLUR_STEP_BASE, slope: float = BLUR_STEP_SLOPE) -> float:
    return math.sqrt(sum((base + slope * i) ** 2 for i in range(t)))


def kernel_radius(T: int = BLUR_T) -> int:
    return math.ceil(TRUNCATE_SIGMAS * blur_sigma(T))


def gaussian_kernel_1d(sigma: float, radius: int) -> torch.Tensor:
    """Normalised Gaussian taps at offsets -radius..radius (float64 for exactness)."""
    offsets = torch.arange(-radius, radius + 1, dtype=torch.float64)
    if sigma <= 0:
        k = (offsets == 0).to(torch.float64)
    else:
        k = torch.exp(-0.5 * (offsets / sigma) ** 2)
    return k / k.sum()


def reflect_indices(n: int, pad: int) -> torch.Tensor:
    """Indices of a reflect-padded axis (…2 1 | 0 1 2 … n-1 | n-2 …), valid for any pad."""
    i = torch.arange(-pad, n + pad)
    if n == 1:
        return torch.zeros_like(i)
    period = 2 * (n - 1)
    j = torch.remainder(i, period)
    return torch.where(j >= n, period - j, j)


class Blur:
    id = "blur"

    def __init__(self, T: int = BLUR_T, base: float = BLUR_STEP_BASE, slope: float = BLUR_STEP_SLOPE):
        self.T, self.base, self.slope = T, base, slope
        self.radius = math.ceil(TRUNCATE_SIGMAS * blur_sigma(T, base, slope))
        self.kernels = torch.stack([gaussian_kernel_1d(blur_sigma(t, base, slope), self.radius) for t in range(T + 1)]).float()

    def apply(self, x0: torch.Tensor, t: torch.Tensor | int) -> torch.Tensor:
        """x0: [B, C, H, W] in [-1, 1]; t: int or [B] ints in 0..T."""
        B, C, H, W = x0.shape
        t = batch_steps(t, B, self.T)
        k = self.kernels.to(x0.device, x0.dtype)[t]  # [B, K]
        K = k.shape[1]
        r = self.radius
        # Per-sample kernels: fold batch into channels so one grouped conv does all.
        weight_v = k.repeat_interleave(C, dim=0).view(B * C, 1, K, 1)
        weight_h = k.repeat_interleave(C, dim=0).view(B * C, 1, 1, K)
        y = x0.reshape(1, B * C, H, W)
        y = y.index_select(2, reflect_indices(H, r).to(x0.device))
        y = F.conv2d(y, weight_v, groups=B * C)
        y = y.index_select(3, reflect_indices(W, r).to(x0.device))
        y = F.conv2d(y, weight_h, groups=B * C)
        y = y.view(B, C, H, W)
        # t = 0 is the identity exactly (the delta kernel already gives it up to rounding).
        keep = (t == 0).view(B, 1, 1, 1)
        return torch.where(keep, x0, y)
