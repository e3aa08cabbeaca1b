"""Export a UNet to the tfjs weights-manifest format read by src/core/model/loader.ts.

model.json holds the architecture (`modelTopology`), the degradation it was trained for,
and a standard tfjs `weightsManifest`; weights go to binary shards. Layouts are converted
to tfjs conventions: conv [out,in,kh,kw] -> [kh,kw,in,out], dense [out,in] -> [in,out].
Optional quantisation uses tfjs's own scheme (float16, or affine uint8 per tensor), which
tf.io.decodeWeights undoes on load.
"""
from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import torch

from unet import UNet

FORMAT = "cold-diffusion-unet/1"
SHARD_BYTES = 4 * 1024 * 1024


def tfjs_tensors(model: UNet) -> list[tuple[str, np.ndarray]]:
    """(name, array) in tfjs layout, in a fixed order."""
    out = []
    for name, p in model.state_dict().items():
        a = p.detach().cpu().float().numpy()
        if a.ndim == 4:
            a = a.transpose(2, 3, 1, 0)
        elif a.ndim == 2:
            a = a.transpose(1, 0)
        out.append((name, np.ascontiguousarray(a)))
    return out


def quantize(a: np.ndarray, mode: str) -> tuple[bytes, dict[str, Any] | None, np.ndarray]:
    """Returns (bytes, quantization spec, dequantised array as the browser will see it)."""
    if mode == "float32":
        return a.astype("<f4").tobytes(), None, a
    if mode == "float16":
        h = a.astype("<f2")
        return h.tobytes(), {"dtype": "float16"}, h.astype(np.float32)
    if mode == "uint8":
        lo, hi = float(a.min()), float(a.max())
        scale = (hi - lo) / 255.0 if hi > lo else 1.0
        q = np.clip(np.round((a - lo) / scale), 0, 255).astype(np.uint8)
        deq = (q.astype(np.float32) * np.float32(scale) + np.float32(lo)).astype(np.float32)
        return q.tobytes(), {"dtype": "uint8", "min": lo, "scale": scale}, deq
    raise ValueError(f"unknown quantization {mode!r}")


def export(model: UNet, out_dir: Path, degradation: dict[str, Any], quantization: str = "float32",
           extra: dict[str, Any] | None = None) -> dict[str, np.ndarray]:
    """Write model.json + shards. Returns the weights as the browser will decode them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("group1-shard*.bin"):
        old.unlink()
    specs, blobs, decoded = [], [], {}
    for name, a in tfjs_tensors(model):
        data, q, deq = quantize(a, quantization)
        spec: dict[str, Any] = {"name": name, "shape": list(a.shape), "dtype": "float32"}
        if q is not None:
            spec["quantization"] = q
        specs.append(spec)
        blobs.append(data)
        decoded[name] = deq
    payload = b"".join(blobs)
    n = max(1, math.ceil(len(payload) / SHARD_BYTES))
    paths = []
    for i in range(n):
        p = f"group1-shard{i + 1}of{n}.bin"
        (out_dir / p).write_bytes(payload[i * SHARD_BYTES:(i + 1) * SHARD_BYTES])
        paths.append(p)
    manifest = {
        "format": FORMAT,
        "modelTopology": model.topology(),
        "degradation": degradation,
        # Checked by the browser before use (tfjs ignores the field): a shard altered in transit or
        # in a cache is refused by name instead of quietly restoring worse.
        "weightsManifest": [{"paths": paths, "weights": specs, "sha256": [sha256_of(out_dir / p) for p in paths]}],
        "totalBytes": len(payload),
        **(extra or {}),
    }
    (out_dir / "model.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return decoded


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add_digests(model_dir: Path) -> None:
    """Writes the shards' SHA-256 into an already exported model.json (models exported before digests)."""
    manifest = json.loads((model_dir / "model.json").read_text())
    for group in manifest["weightsManifest"]:
        group["sha256"] = [sha256_of(model_dir / p) for p in group["paths"]]
    (model_dir / "model.json").write_text(json.dumps(manifest, indent=1) + "\n")


def load_decoded_into(model: UNet, decoded: dict[str, np.ndarray]) -> UNet:
    """Load browser-side (possibly quantised) weights back into a torch model, for
    measuring quantisation loss and writing parity fixtures."""
    state = {}
    for name, p in model.state_dict().items():
        a = decoded[name]
        if a.ndim == 4:
            a = a.transpose(3, 2, 0, 1)
        elif a.ndim == 2:
            a = a.transpose(1, 0)
        state[name] = torch.from_numpy(np.ascontiguousarray(a)).to(p.dtype)
    model.load_state_dict(state)
    return model


def read_tfjs(out_dir: Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Read an exported model back (dequantising), as the browser would."""
    manifest = json.loads((out_dir / "model.json").read_text())
    group = manifest["weightsManifest"][0]
    payload = b"".join((out_dir / p).read_bytes() for p in group["paths"])
    decoded, off = {}, 0
    for spec in group["weights"]:
        count = int(np.prod(spec["shape"])) if spec["shape"] else 1
        q = spec.get("quantization")
        if q is None:
            a = np.frombuffer(payload, "<f4", count, off); off += 4 * count
        elif q["dtype"] == "float16":
            a = np.frombuffer(payload, "<f2", count, off).astype(np.float32); off += 2 * count
        elif q["dtype"] == "uint8":
            a = np.frombuffer(payload, np.uint8, count, off).astype(np.float32) * np.float32(q["scale"]) + np.float32(q["min"]); off += count
        else:
            raise ValueError(q)
        decoded[spec["name"]] = a.reshape(spec["shape"]).astype(np.float32)
    return manifest, decoded


if __name__ == "__main__":
    import argparse
    parser = argparse.ArgumentParser(description="Adds SHA-256 digests of the shards to exported models' model.json.")
    parser.add_argument("--add-digests", type=Path, nargs="+", required=True, metavar="MODEL_DIR")
    for d in parser.parse_args().add_digests:
        add_digests(d)
        print(f"digests written: {d / 'model.json'}")
