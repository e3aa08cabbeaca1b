"""Image quality metrics on [-1, 1] images, reported on the [0, 1] scale.
Mirror of src/core/metrics.ts."""
from __future__ import annotations

import torch
import torch.nn.functional as F


def to_unit(x: torch.Tensor) -> torch.Tensor:
    return ((x.clamp(-1, 1) + 1) / 2).double()


def rmse(x: torch.Tensor, ref: torch.Tensor) -> torch.Tensor:
    """Per image."""
    return ((to_unit(x) - to_unit(ref)) ** 2).flatten(1).mean(1).sqrt()


def psnr(x: torch.Tensor, ref: torch.Tensor) -> torch.Tensor:
    """Per image, dB, peak 1."""
    mse = ((to_unit(x) - to_unit(ref)) ** 2).flatten(1).mean(1)
    return 10 * torch.log10(1.0 / mse.clamp_min(1e-12))


def _gaussian_window(size: int = 11, sigma: float = 1.5) -> torch.Tensor:
    g = torch.exp(-0.5 * ((torch.arange(size, dtype=torch.float64) - size // 2) / sigma) ** 2)
    g = g / g.sum()
    return g


def ssim(x: torch.Tensor, ref: torch.Tensor) -> torch.Tensor:
    """Per image: mean SSIM (Wang et al. 2004: 11×11 Gaussian window σ 1.5, K1 .01, K2 .03,
    'valid' region), averaged over channels."""
    a, b = to_unit(x), to_unit(ref)
    C = a.shape[1]
    g = _gaussian_window()
    wv = g.view(1, 1, -1, 1).repeat(C, 1, 1, 1)
    wh = g.view(1, 1, 1, -1).repeat(C, 1, 1, 1)

    def filt(z: torch.Tensor) -> torch.Tensor:
        return F.conv2d(F.conv2d(z, wv, groups=C), wh, groups=C)

    mu_a, mu_b = filt(a), filt(b)
    saa = filt(a * a) - mu_a ** 2
    sbb = filt(b * b) - mu_b ** 2
    sab = filt(a * b) - mu_a * mu_b
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    m = ((2 * mu_a * mu_b + c1) * (2 * sab + c2)) / ((mu_a ** 2 + mu_b ** 2 + c1) * (saa + sbb + c2))
    return m.flatten(1).mean(1)


def laplacian_energy(x: torch.Tensor) -> torch.Tensor:
    """Mean squared response of the 4-neighbour Laplacian (interior pixels), per image."""
    u = to_unit(x)
    lap = -4 * u[:, :, 1:-1, 1:-1] + u[:, :, :-2, 1:-1] + u[:, :, 2:, 1:-1] + u[:, :, 1:-1, :-2] + u[:, :, 1:-1, 2:]
    return (lap ** 2).flatten(1).mean(1)


def sharpness(x: torch.Tensor, ref: torch.Tensor) -> torch.Tensor:
    """Laplacian energy of x over that of the original, per image: 1.0 is ideal, blur < 1."""
    return laplacian_energy(x) / laplacian_energy(ref).clamp_min(1e-12)
