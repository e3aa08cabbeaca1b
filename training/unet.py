"""Small U-Net with a timestep embedding. Mirror of src/core/model/unet.ts.

Designed for in-browser speed (see docs/design.md): no normalisation layers, ReLU
(which tfjs fuses into the convolution), average-pool down / nearest up, and residual
blocks whose second convolution starts at zero so the untrained net is the identity.
The network predicts x0 as x_t + f(x_t, t).
"""
from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

EMBED_DIM = 64
TIME_DIM = 128


def timestep_embedding(t: torch.Tensor, T: int, dim: int = EMBED_DIM) -> torch.Tensor:
    """Sinusoidal embedding of t rescaled to 0..1000 (so every T uses the same frequencies)."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = (t.float() * (1000.0 / T))[:, None] * freqs[None, :]
    return torch.cat([torch.sin(args), torch.cos(args)], dim=1)


class ResBlock(nn.Module):
    def __init__(self, c: int):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1)
        self.time = nn.Linear(TIME_DIM, c)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1)
        nn.init.zeros_(self.conv2.weight)
        nn.init.zeros_(self.conv2.bias)

    def forward(self, x: torch.Tensor, temb: torch.Tensor) -> torch.Tensor:
        h = F.relu(self.conv1(x) + self.time(temb)[:, :, None, None])
        return x + self.conv2(h)


class UNet(nn.Module):
    def __init__(self, channels: tuple[int, ...] = (32, 64, 128, 128), T: int = 40):
        super().__init__()
        self.channels = tuple(channels)
        self.T = T
        c = self.channels
        self.time_mlp1 = nn.Linear(EMBED_DIM, TIME_DIM)
        self.time_mlp2 = nn.Linear(TIME_DIM, TIME_DIM)
        self.stem = nn.Conv2d(3, c[0], 3, padding=1)
        self.enc = nn.ModuleList([ResBlock(ci) for ci in c])
        self.down = nn.ModuleList([nn.Conv2d(c[i - 1], c[i], 3, padding=1) for i in range(1, len(c))])
        self.mid = ResBlock(c[-1])
        self.up = nn.ModuleList([nn.Conv2d(c[i + 1] + c[i], c[i], 3, padding=1) for i in range(len(c) - 1)])
        self.dec = nn.ModuleList([ResBlock(c[i]) for i in range(len(c) - 1)])
        self.out = nn.Conv2d(c[0], 3, 3, padding=1)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    @property
    def downsampling(self) -> int:
        return 2 ** (len(self.channels) - 1)

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        temb = F.relu(self.time_mlp2(F.relu(self.time_mlp1(timestep_embedding(t, self.T)))))
        h = F.relu(self.stem(x))
        skips = []
        for level, block in enumerate(self.enc):
            if level > 0:
                h = F.relu(self.down[level - 1](F.avg_pool2d(h, 2)))
            h = block(h, temb)
            skips.append(h)
        h = self.mid(h, temb)
        for level in reversed(range(len(self.channels) - 1)):
            h = F.interpolate(h, scale_factor=2, mode="nearest")
            h = F.relu(self.up[level](torch.cat([h, skips[level]], dim=1)))
            h = self.dec[level](h, temb)
        return x + self.out(h)


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
