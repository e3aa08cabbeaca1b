"""A transform the visitor builds in the page (mode=own). Mirror of src/core/own/blocks.ts,
src/core/own/ownTransform.ts (the link value) and src/core/own/ownDegradation.ts (the operator).

A transform is T (5..50), up to 3 blocks applied in order at the same t, each at its strength
s = curve(t / T), and a 32×32 painted mask. Its link value, e.g. `20~gauss.l.4.4.0~darken.l.60`, is
parsed here with the same rules as parseTransform, except that anything parseTransform would have to
repair (drop, clamp or replace) is refused with a ValueError: a transform trained offline is exactly
the one named, or none.

OwnDegradation(transform, seed).apply(x0, t) takes [B, 3, H, W] in [-1, 1] like every operator in
training/ (the tensor is NCHW; the browser's NHWC is apply_nhwc), and gives the TypeScript apply's
numbers to float32 rounding (fixtures/parity/own.json, src/core/own/ownParity.test.ts): constants
(kernels, warps, the mask field, the noise field) are computed in float64 as JS does, then stored as
float32 as the TypeScript code stores them; the tensor arithmetic is float32 in the same order.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from rng import STREAM_OWN_NOISE, normals, seeds_for
from steps import batch_steps

# ---------------------------------------------------------------- blocks.ts

CURVES = ("linear", "ease-in", "ease-out")


def strength(curve: str, t: float, T: float) -> float:
    """The block's strength at step t of T, from 0 (nothing) to 1 (its parameters' full values)."""
    u = min(1.0, max(0.0, t / T))
    if curve == "ease-in":
        return u * u
    if curve == "ease-out":
        return 1 - (1 - u) * (1 - u)
    return u


@dataclass(frozen=True)
class ParamSpec:
    key: str
    label: str
    min: int
    max: int
    default: int
    unit: str  # 'px' | '°' | '%' | 'levels' | 'colour' | 'mode'
    choices: tuple[str, ...] | None = None


def _colour(key: str, label: str, value: int) -> ParamSpec:
    return ParamSpec(key, label, 0, 0xFFFFFF, value, "colour")


# Same kinds, keys, ranges, defaults and order as BLOCKS in blocks.ts (a link names values by position).
BLOCKS: dict[str, tuple[ParamSpec, ...]] = {
    "gauss": (ParamSpec("sx", "σ across", 0, 10, 6, "px"), ParamSpec("sy", "σ along", 0, 10, 1, "px"),
              ParamSpec("angle", "angle", 0, 179, 30, "°")),
    "motion": (ParamSpec("length", "length", 1, 40, 16, "px"), ParamSpec("angle", "angle", 0, 179, 0, "°")),
    "defocus": (ParamSpec("radius", "radius", 1, 16, 6, "px"),),
    "mask": (_colour("colour", "fill", 0x808080), ParamSpec("growth", "over t", 0, 1, 0, "mode", ("grows", "fades in"))),
    "pixelate": (ParamSpec("size", "block", 2, 32, 16, "px"),),
    "fade": (ParamSpec("amount", "amount", 1, 100, 100, "%"), _colour("colour", "colour", 0x808080)),
    "darken": (ParamSpec("amount", "amount", 1, 100, 90, "%"),),
    "contrast": (ParamSpec("amount", "amount", 1, 100, 90, "%"),),
    "posterize": (ParamSpec("levels", "levels at T", 2, 64, 3, "levels"),),
    "swirl": (ParamSpec("angle", "turn", -720, 720, 360, "°"), ParamSpec("radius", "radius", 10, 100, 70, "%")),
    "noise": (ParamSpec("sigma", "σ", 1, 100, 40, "%"),),
}
BLOCK_KINDS = tuple(BLOCKS)


@dataclass(frozen=True)
class Block:
    kind: str
    curve: str
    values: tuple[int, ...]  # one integer per entry of BLOCKS[kind], in that order

    def param(self, key: str) -> int:
        for spec, value in zip(BLOCKS[self.kind], self.values):
            if spec.key == key:
                return value
        raise KeyError(f'{self.kind} has no parameter "{key}"')


def default_block(kind: str) -> Block:
    return Block(kind, "linear", tuple(p.default for p in BLOCKS[kind]))


# ---------------------------------------------------------------- ownTransform.ts

MIN_T, MAX_T, MAX_BLOCKS, MASK_SIDE, MAX_LINK_LENGTH = 5, 50, 3, 32, 400
CURVE_CODES = {"linear": "l", "ease-in": "i", "ease-out": "o"}


def empty_mask() -> np.ndarray:
    return np.zeros(MASK_SIDE * MASK_SIDE, dtype=np.uint8)


@dataclass(frozen=True)
class OwnTransform:
    T: int
    blocks: tuple[Block, ...]
    mask: np.ndarray = field(default_factory=empty_mask, compare=False)  # MASK_SIDE² cells, 1 where painted, row-major


MASK_PRESETS = ("circle", "stripes", "scratch", "corner")


def mask_preset(preset: str) -> np.ndarray:
    """maskPreset of ownTransform.ts."""
    m = empty_mask()
    c = (MASK_SIDE - 1) / 2
    for y in range(MASK_SIDE):
        for x in range(MASK_SIDE):
            if preset == "circle":
                on = (x - c) ** 2 + (y - c) ** 2 <= 7.5 ** 2
            elif preset == "stripes":
                on = (y // 4) % 2 == 1 and 3 < y < 28
            elif preset == "scratch":
                on = abs(x - 0.8 * y - 3) <= 1.2
            elif preset == "corner":
                on = x >= 18 and y >= 18
            else:
                raise ValueError(f"unknown mask preset {preset!r} (known: {', '.join(MASK_PRESETS)})")
            m[y * MASK_SIDE + x] = 1 if on else 0
    return m


_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_B64_VALUE = {ch: i for i, ch in enumerate(_B64)}


def _to_base64url(data: bytes) -> str:
    """btoa, then + → -, / → _, the padding dropped (toBase64Url)."""
    out = []
    for i in range(0, len(data), 3):
        chunk = data[i:i + 3]
        n = int.from_bytes(chunk + bytes(3 - len(chunk)), "big")
        out.extend(_B64[(n >> (18 - 6 * j)) & 63] for j in range(len(chunk) + 1))
    return "".join(out)


def _from_base64url(text: str) -> bytes | None:
    """fromBase64Url: the character check, then atob's forgiving-base64 decoding (a length of 4k + 1
    fails; bits left over after the last whole byte are ignored, as atob ignores them)."""
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text) or len(text) % 4 == 1:
        return None
    bits = n_bits = 0
    out = bytearray()
    for ch in text:
        bits = (bits << 6) | _B64_VALUE[ch]
        n_bits += 6
        if n_bits >= 8:
            n_bits -= 8
            out.append((bits >> n_bits) & 255)
            bits &= (1 << n_bits) - 1
    return bytes(out)


def encode_mask(mask: np.ndarray) -> str:
    bits = np.asarray(mask, dtype=np.uint8).reshape(-1) != 0
    return _to_base64url(np.packbits(bits, bitorder="big").tobytes())


def decode_mask(text: str) -> np.ndarray | None:
    data = _from_base64url(text)
    if data is None or len(data) != MASK_SIDE * MASK_SIDE // 8:
        return None
    return np.unpackbits(np.frombuffer(data, dtype=np.uint8), bitorder="big").astype(np.uint8)


def encode_transform(transform: OwnTransform) -> str:
    blocks = []
    for block in transform.blocks:
        values = [format(v, "06x") if spec.unit == "colour" else str(v) for spec, v in zip(BLOCKS[block.kind], block.values)]
        parts = [block.kind, CURVE_CODES[block.curve], *values]
        if block.kind == "mask":
            parts.append(encode_mask(transform.mask))
        blocks.append(".".join(parts))
    return "~".join([str(transform.T), *blocks])


def _js_length(text: str) -> int:
    """text.length in JavaScript: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def parse_transform(text: str) -> OwnTransform:
    """The transform a link value names, read with parseTransform's rules; a ValueError where
    parseTransform would drop, clamp or replace anything (it would then train another transform)."""
    if not isinstance(text, str):
        raise ValueError(f"a transform's link value is a string, not {type(text).__name__}")
    if _js_length(text) > MAX_LINK_LENGTH:
        raise ValueError(f"the transform is {_js_length(text)} characters long (at most {MAX_LINK_LENGTH})")
    t_text, *block_texts = text.split("~")
    if not re.fullmatch(r"-?[0-9]+", t_text):
        raise ValueError(f"the transform does not start with its number of steps T: {t_text[:20]!r}")
    T = int(t_text)
    if not MIN_T <= T <= MAX_T:
        raise ValueError(f"T = {t_text[:20]} is outside {MIN_T}..{MAX_T}")
    if len(block_texts) > MAX_BLOCKS:
        raise ValueError(f"the transform names {len(block_texts)} blocks (at most {MAX_BLOCKS})")
    if not block_texts:
        raise ValueError("the transform names no block")
    blocks: list[Block] = []
    mask = empty_mask()
    for index, block_text in enumerate(block_texts):
        where = f"block {index + 1}"
        parts = block_text.split(".")
        kind = parts[0]
        curve_code = parts[1] if len(parts) > 1 else ""
        rest = parts[2:]
        if kind not in BLOCKS:
            raise ValueError(f'{where} is not a known block ("{kind[:20]}"; known: {", ".join(BLOCKS)})')
        if kind == "mask" and any(b.kind == "mask" for b in blocks):
            raise ValueError(f"{where} is a second painted mask: a transform has one")
        curve = next((c for c in CURVES if CURVE_CODES[c] == curve_code), None)
        if curve is None:
            raise ValueError(f'{where} ({kind}) has no valid schedule ("{curve_code[:10]}"; l, i or o)')
        specs = BLOCKS[kind]
        expected = len(specs) + (1 if kind == "mask" else 0)
        if len(rest) != expected:
            raise ValueError(f"{where} ({kind}) has {len(rest)} values, not {expected}")
        values = []
        for spec, raw in zip(specs, rest):
            if spec.unit == "colour":
                if not re.fullmatch(r"[0-9a-fA-F]{6}", raw):
                    raise ValueError(f'{where}\'s {spec.key} "{raw[:12]}" is not a colour (6 hex digits)')
                value = int(raw, 16)
            else:
                if not re.fullmatch(r"-?[0-9]{1,6}", raw):
                    raise ValueError(f'{where}\'s {spec.key} "{raw[:12]}" is not an integer')
                value = int(raw)
            if not spec.min <= value <= spec.max:
                raise ValueError(f"{where}'s {spec.key} {value} is outside {spec.min}..{spec.max}")
            values.append(value)
        if kind == "mask":
            decoded = decode_mask(rest[len(specs)])
            if decoded is None:
                raise ValueError(f"the painted mask in {where} is not a {MASK_SIDE}×{MASK_SIDE} bitmap "
                                 f"(base64url of {MASK_SIDE * MASK_SIDE // 8} bytes, {math.ceil(MASK_SIDE * MASK_SIDE / 6)} characters)")
            mask = decoded
        blocks.append(Block(kind, curve, tuple(values)))
    return OwnTransform(T, tuple(blocks), mask)


# ---------------------------------------------------------------- ownDegradation.ts: constants


def js_round(x: float) -> int:
    """Math.round: halves go up (Python's round goes to even)."""
    r = math.floor(x)
    return r + 1 if x - r >= 0.5 else r


def _sequential_sum(a: np.ndarray) -> float:
    """A left-to-right float64 sum, as Array.reduce (numpy's sum is pairwise)."""
    return float(np.cumsum(np.asarray(a, dtype=np.float64).reshape(-1))[-1])


def normalised(taps: np.ndarray) -> np.ndarray:
    taps = np.asarray(taps, dtype=np.float64)
    return (taps / _sequential_sum(taps)).astype(np.float32)


def colour_values(rgb: int) -> tuple[float, float, float]:
    return tuple(v / 255 * 2 - 1 for v in ((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255))  # type: ignore[return-value]


def gaussian_kernel_2d(sx: float, sy: float, angle: float, radius: int) -> np.ndarray:
    """A Gaussian of σ sx across and sy along `angle` (degrees), [(2r+1)²] float32, row-major (dy, dx)."""
    a = angle * math.pi / 180
    c, sn = math.cos(a), math.sin(a)
    vx, vy = max(sx, 0.3) ** 2, max(sy, 0.3) ** 2
    offsets = np.arange(-radius, radius + 1, dtype=np.float64)
    dy, dx = np.meshgrid(offsets, offsets, indexing="ij")
    u = c * dx + sn * dy
    v = -sn * dx + c * dy
    return normalised(np.exp(-0.5 * ((u * u) / vx + (v * v) / vy)).reshape(-1))


def line_kernel(length: float, angle: float, radius: int) -> np.ndarray:
    """A streak of `length` pixels through the centre at `angle`: 8 samples per pixel, each split bilinearly."""
    k = 2 * radius + 1
    taps = np.zeros(k * k, dtype=np.float64)
    a = angle * math.pi / 180
    samples = max(1, math.ceil(length * 8))
    for i in range(samples):
        d = 0.0 if samples == 1 else ((i + 0.5) / samples - 0.5) * (length - 1)
        px = radius + d * math.cos(a)
        py = radius + d * math.sin(a)
        x0, y0 = math.floor(px), math.floor(py)
        fx, fy = px - x0, py - y0
        for ox, oy, w in ((0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)), (0, 1, (1 - fx) * fy), (1, 1, fx * fy)):
            xx, yy = x0 + ox, y0 + oy
            if 0 <= xx < k and 0 <= yy < k:
                taps[yy * k + xx] += w
    return normalised(taps)


def disk_kernel(r: float, radius: int) -> np.ndarray:
    """A disk of radius r: each tap weighs the share of its pixel inside the disk (4×4 subsamples)."""
    k = 2 * radius + 1
    sub = (np.arange(4) + 0.5) / 4 - 0.5  # exact in binary, as are the offsets below
    pos = np.arange(k, dtype=np.float64) - radius
    py = pos[:, None, None, None] + sub[None, None, :, None]  # [y, x, sy, sx]
    px = pos[None, :, None, None] + sub[None, None, None, :]
    inside = (px ** 2 + py ** 2 <= r * r).sum(axis=(2, 3))
    taps = (inside / 16).reshape(-1)
    taps[radius * k + radius] = max(taps[radius * k + radius], 1e-6)
    return normalised(taps)


def crop_kernel(taps: np.ndarray, radius: int, pad: int) -> np.ndarray:
    """The middle (2·pad+1)² of a (2·radius+1)² kernel, renormalised (a picture too small to reflect the whole kernel)."""
    k = 2 * radius + 1
    out = np.asarray(taps, dtype=np.float32).reshape(k, k)[radius - pad:radius + pad + 1, radius - pad:radius + pad + 1]
    out = out.astype(np.float64)
    return (out / _sequential_sum(out)).astype(np.float32).reshape(-1)


def block_average_matrix(block_size: int, n: int) -> np.ndarray:
    """One axis of a block average: pixel i takes the mean of its block (blocks from 0; the last may be shorter)."""
    m = np.zeros((n, n), dtype=np.float32)
    for i in range(n):
        start = (i // block_size) * block_size
        end = min(n, start + block_size)
        m[i, start:end] = np.float32(1 / (end - start))
    return m


def swirl_warp(turn: float, radius_share: float, height: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Where each output pixel reads from under a swirl: ([4, H·W] source indices, [4, H·W] float32
    bilinear weights), corners in the order (x0, y0), (x1, y0), (x0, y1), (x1, y1), borders clamped."""
    cx, cy = (width - 1) / 2, (height - 1) / 2
    R = radius_share * math.hypot(cx, cy)
    y, x = np.meshgrid(np.arange(height, dtype=np.float64), np.arange(width, dtype=np.float64), indexing="ij")
    dx, dy = x - cx, y - cy
    r = np.hypot(dx, dy)
    with np.errstate(divide="ignore", invalid="ignore"):
        theta = np.where(r < R, (turn * math.pi / 180) * (1 - r / R) ** 2, 0.0)
    c, s = np.cos(theta), np.sin(theta)
    sx = np.minimum(width - 1, np.maximum(0, cx + c * dx - s * dy))
    sy = np.minimum(height - 1, np.maximum(0, cy + s * dx + c * dy))
    x0, y0 = np.floor(sx), np.floor(sy)
    x1, y1 = np.minimum(width - 1, x0 + 1), np.minimum(height - 1, y0 + 1)
    fx, fy = sx - x0, sy - y0
    index = np.stack([y0 * width + x0, y0 * width + x1, y1 * width + x0, y1 * width + x1]).reshape(4, -1).astype(np.int64)
    weight = np.stack([(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy]).reshape(4, -1).astype(np.float32)
    return index, weight


def signed_distance(mask: np.ndarray) -> np.ndarray:
    """Per mask cell, float32: the distance to the nearest clear cell − 0.5 where painted, 0.5 − the
    distance to the nearest painted cell where clear (MASK_SIDE where there is no such cell)."""
    side = MASK_SIDE
    mask = np.asarray(mask).reshape(-1) != 0
    cells = np.arange(side * side)
    xs, ys = cells % side, cells // side
    d2 = (xs[:, None] - xs[None, :]) ** 2 + (ys[:, None] - ys[None, :]) ** 2  # exact integers

    def nearest(among: np.ndarray) -> np.ndarray:
        if not among.any():
            return np.full(side * side, float(side))
        return np.sqrt(np.where(among[None, :], d2, np.iinfo(np.int64).max).min(axis=1).astype(np.float64))

    return np.where(mask, nearest(~mask) - 0.5, 0.5 - nearest(mask)).astype(np.float32)


def mask_field(mask: np.ndarray, grown: float, height: int, width: int) -> np.ndarray:
    """The painted mask's coverage at H×W (0..1), [H, W] float32; maskField of ownDegradation.ts."""
    side = MASK_SIDE
    out = np.zeros((height, width), dtype=np.float32)
    if not np.asarray(mask).any():
        return out
    signed = signed_distance(mask).astype(np.float64).reshape(side, side)
    deepest = float(signed.max())
    threshold = (1 - grown) * deepest
    scale = width / side

    def axis(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        p = np.minimum(side - 1, np.maximum(0, ((np.arange(n) + 0.5) * side) / n - 0.5))
        p0 = np.floor(p)
        return p0.astype(np.int64), p - p0, np.minimum(side - 1, p0 + 1).astype(np.int64)

    v0, fv, v1 = (a[:, None] for a in axis(height))
    u0, fu, u1 = (a[None, :] for a in axis(width))
    d = (1 - fv) * ((1 - fu) * signed[v0, u0] + fu * signed[v0, u1]) + fv * ((1 - fu) * signed[v1, u0] + fu * signed[v1, u1])
    return np.minimum(1, np.maximum(0, (d - threshold) * scale + 0.5)).astype(np.float32)


def noise_field(seed: int, height: int, width: int) -> np.ndarray:
    """The noise block's field, [3, H, W] float32 (rng stream 7, index (y·W + x)·3 + c)."""
    return normals(seed, STREAM_OWN_NOISE, height * width * 3).astype(np.float32).reshape(height, width, 3).transpose(2, 0, 1)


# ---------------------------------------------------------------- ownDegradation.ts: the operator


def _f32(value: float, like: torch.Tensor) -> torch.Tensor:
    """A JS number used as a tfjs scalar: rounded to float32 first."""
    return torch.tensor(value, dtype=torch.float32, device=like.device)


def convolve(x: torch.Tensor, radius: int, kernel: np.ndarray) -> torch.Tensor:
    """A depthwise convolution with reflected borders; the kernel is (2r+1)² taps summing to 1."""
    if radius == 0:
        return x
    _, C, H, W = x.shape
    pad = min(radius, H - 1, W - 1)  # reflection needs a border shorter than the side
    taps = crop_kernel(kernel, radius, pad) if pad < radius else kernel
    kk = 2 * pad + 1
    weight = torch.from_numpy(np.ascontiguousarray(taps)).to(device=x.device, dtype=x.dtype).view(1, 1, kk, kk).expand(C, 1, kk, kk)
    padded = F.pad(x, (pad, pad, pad, pad), mode="reflect") if pad > 0 else x
    return F.conv2d(padded, weight, groups=C)


class OwnDegradation:
    id = "own"

    def __init__(self, transform: OwnTransform | str, seed: int = 0):
        self.transform = parse_transform(transform) if isinstance(transform, str) else transform
        self.T = self.transform.T
        self.seed = seed
        self.seeded = any(b.kind == "noise" for b in self.transform.blocks)
        self._arrays: dict[tuple, Any] = {}

    @property
    def key(self) -> str:
        """The link value that names this transform."""
        return encode_transform(self.transform)

    def describe(self) -> dict[str, Any]:
        return {"id": "own", "T": self.T, "transform": self.key}

    def _cached(self, key: tuple, build):
        if key not in self._arrays:
            self._arrays[key] = build()
        return self._arrays[key]

    def apply(self, x0: torch.Tensor, t: torch.Tensor | int, seed: int | list[int] | None = None) -> torch.Tensor:
        """x0: [B, 3, H, W]; t: int or [B] ints in 0..T; seed: the noise field's, one int or one per
        sample (None: the instance's seed). Samples with the same t (and seed) are degraded together."""
        B, C, H, W = x0.shape
        if C != 3:
            raise ValueError(f"own transform: x0 must be [B, 3, H, W], got {tuple(x0.shape)}")
        steps = batch_steps(t, B, self.T).tolist()
        seeds = seeds_for(self.seed if seed is None else seed, B)
        groups: dict[tuple[int, int], list[int]] = {}
        for row, (step, s) in enumerate(zip(steps, seeds)):
            groups.setdefault((step, s if self.seeded else 0), []).append(row)
        if len(groups) == 1:
            (step, s), = groups
            return self._apply_all(x0, step, s)
        out = x0.clone()
        for (step, s), rows in groups.items():
            index = torch.tensor(rows, device=x0.device)
            out[index] = self._apply_all(x0[index], step, s)
        return out

    def apply_nhwc(self, x: torch.Tensor, t: torch.Tensor | int, seed: int | list[int] | None = None) -> torch.Tensor:
        """apply on the browser's layout, [B, H, W, 3]."""
        return self.apply(x.permute(0, 3, 1, 2), t, seed).permute(0, 2, 3, 1).contiguous()

    def _apply_all(self, x: torch.Tensor, t: int, seed: int) -> torch.Tensor:
        y = x
        for index, block in enumerate(self.transform.blocks):
            s = strength(block.curve, t, self.T)
            if s > 0:
                y = self._block(y, block, s, index, t, seed)
        return y.clone() if y is x else y

    def _block(self, x: torch.Tensor, block: Block, s: float, index: int, t: int, seed: int) -> torch.Tensor:
        _, _, H, W = x.shape
        p = block.param
        kind = block.kind
        if kind == "gauss":
            sx, sy = p("sx") * s, p("sy") * s
            radius = math.ceil(3 * max(sx, sy))
            return convolve(x, radius, self._cached(("k", index, t), lambda: gaussian_kernel_2d(sx, sy, p("angle"), radius)))
        if kind == "motion":
            length = 1 + (p("length") - 1) * s
            radius = math.ceil(length / 2)
            return convolve(x, radius, self._cached(("k", index, t), lambda: line_kernel(length, p("angle"), radius)))
        if kind == "defocus":
            r = p("radius") * s
            radius = math.ceil(r)
            return convolve(x, radius, self._cached(("k", index, t), lambda: disk_kernel(r, radius)))
        if kind == "pixelate":
            size = js_round(1 + (p("size") - 1) * s)
            if size <= 1:
                return x
            rows = torch.from_numpy(self._cached(("p", size, H), lambda: block_average_matrix(size, H))).to(device=x.device, dtype=x.dtype)
            cols = torch.from_numpy(self._cached(("p", size, W), lambda: block_average_matrix(size, W))).to(device=x.device, dtype=x.dtype)
            return torch.matmul(torch.matmul(rows, x), cols.T)
        if kind == "fade":
            a = (p("amount") / 100) * s
            colour = torch.tensor(colour_values(p("colour")), dtype=torch.float32, device=x.device).view(1, 3, 1, 1)
            return x * _f32(1 - a, x) + colour * _f32(a, x)
        if kind == "darken":
            a = (p("amount") / 100) * s
            return (x + 1) * _f32(1 - a, x) - 1
        if kind == "contrast":
            a = (p("amount") / 100) * s
            mean = x.mean(dim=(1, 2, 3), keepdim=True)
            return mean + (x - mean) * _f32(1 - a, x)
        if kind == "posterize":
            levels = max(2, js_round(math.exp((1 - s) * math.log(256) + s * math.log(p("levels")))))
            u = (x.clamp(-1, 1) + 1) * _f32((levels - 1) / 2, x)
            return torch.round(u) * _f32(2 / (levels - 1), x) - 1  # torch.round, like tf.round, rounds halves to even
        if kind == "swirl":
            index_, weight = self._cached(("w", index, t, H, W), lambda: swirl_warp(p("angle") * s, p("radius") / 100, H, W))
            B, C = x.shape[:2]
            flat = x.reshape(B, C, H * W)
            total = None
            for corner in range(4):
                term = flat[:, :, torch.from_numpy(index_[corner]).to(x.device)] * torch.from_numpy(weight[corner]).to(x.device)
                total = term if total is None else total + term
            return total.reshape(B, C, H, W)
        if kind == "noise":
            # One field per seed and size, shared by every noise block (as the TypeScript cache shares it); only the
            # instance's own seed is kept, since training passes a new seed per batch (the field takes milliseconds).
            build = lambda: noise_field(seed, H, W)  # noqa: E731
            field_ = torch.from_numpy(self._cached(("noise", H, W), build) if seed == self.seed else build()).to(device=x.device, dtype=x.dtype)
            return x + field_ * _f32((p("sigma") / 100) * 2 * s, x)
        if kind == "mask":
            fades_in = p("growth") == 1
            m = self._cached(("m", index, t, H, W), lambda: mask_field(self.transform.mask, 1 if fades_in else s, H, W))
            if not (m > 0).any():
                return x
            coverage = torch.from_numpy(m).to(x.device).view(1, 1, H, W) * _f32(s if fades_in else 1, x)
            colour = torch.tensor(colour_values(p("colour")), dtype=torch.float32, device=x.device).view(1, 3, 1, 1)
            return x * (1 - coverage) + colour * coverage
        raise ValueError(f"unknown block {kind!r}")
