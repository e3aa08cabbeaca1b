"""Small U-Net with a timestep embedding. Mirror of src/core/model/unet.ts.

Designed for in-browser speed (see docs/design.md): no normalisation layers, ReLU
(which tfjs fuses into the convolution), average-pool down / nearest up, and residual
blocks whose second convolution starts at zero so the untrained net is the identity.
The network predicts x0 as x_t + f(x_t, t).

space_to_depth=2 folds each 2×2 block of pixels into 12 channels before the stem and unfolds
the output the same way, so no convolution runs at full resolution: 2.2× less time per forward
in tfjs-wasm for the blur network (docs/design.md, "A network built for the browser"). The
channel order is TensorFlow's (tf.nn.space_to_depth): channel (i·2 + j)·3 + c holds colour c of
the pixel at row offset i, column offset j.
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


def space_to_depth(x: torch.Tensor, r: int) -> torch.Tensor:
    b, c, h, w = x.shape
    return x.reshape(b, c, h // r, r, w // r, r).permute(0, 3, 5, 1, 2, 4).reshape(b, r * r * c, h // r, w // r)


def depth_to_space(x: torch.Tensor, r: int) -> torch.Tensor:
    b, rrc, h, w = x.shape
    c = rrc // (r * r)
    return x.reshape(b, r, r, c, h, w).permute(0, 3, 4, 1, 5, 2).reshape(b, c, h * r, w * r)


class UNet(nn.Module):
    def __init__(self, channels: tuple[int, ...] = (32, 64, 128, 128), T: int = 40, space_to_depth: int = 1):
        super().__init__()
        if space_to_depth not in (1, 2):
            raise ValueError(f"space_to_depth must be 1 or 2, not {space_to_depth}")
        self.channels = tuple(channels)
        self.T = T
        self.space_to_depth = space_to_depth
        c = self.channels
        io = 3 * space_to_depth ** 2
        self.time_mlp1 = nn.Linear(EMBED_DIM, TIME_DIM)
        self.time_mlp2 = nn.Linear(TIME_DIM, TIME_DIM)
        self.stem = nn.Conv2d(io, c[0], 3, padding=1)
        self.enc = nn.ModuleList([ResBlock(ci) for ci in c])
        self.down = nn.ModuleList([nn.Conv2d(c[i - 1], c[i], 3, padding=1) for i in range(1, len(c))])
        self.mid = ResBlock(c[-1])
        self.up = nn.ModuleList([nn.Conv2d(c[i + 1] + c[i], c[i], 3, padding=1) for i in range(len(c) - 1)])
        self.dec = nn.ModuleList([ResBlock(c[i]) for i in range(len(c) - 1)])
        self.out = nn.Conv2d(c[0], io, 3, padding=1)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    @classmethod
    def from_topology(cls, topo: dict) -> "UNet":
        """The network a model.json's modelTopology (or a checkpoint's) describes."""
        return cls(tuple(topo["channels"]), T=topo["T"], space_to_depth=topo.get("spaceToDepth", 1))

    def topology(self) -> dict:
        topo = {"architecture": "unet", "channels": list(self.channels), "embedDim": EMBED_DIM, "timeDim": TIME_DIM, "T": self.T}
        if self.space_to_depth != 1:
            topo["spaceToDepth"] = self.space_to_depth
        return topo

    @property
    def downsampling(self) -> int:
        return 2 ** (len(self.channels) - 1) * self.space_to_depth

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        temb = F.relu(self.time_mlp2(F.relu(self.time_mlp1(timestep_embedding(t, self.T)))))
        r = self.space_to_depth
        h = F.relu(self.stem(space_to_depth(x, r) if r > 1 else x))
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
        out = self.out(h)
        return x + (depth_to_space(out, r) if r > 1 else out)


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
