"""The restorer file of a transform of your own, written from a network trained here: the same zip the
page's "Download the restorer" writes (src/core/own/modelFile.ts): model.json (architecture, weights
manifest with the SHA-256 digest of weights.bin, degradation {id: own, T, transform}, training) and
weights.bin (float32, in the manifest's order). The page opens it by drop or picker like its own.

  /usr/bin/python3 training/own_model_file.py --model training/runs/own-<key>/model --out restorer.zip

Before packing it measures what the page's training panel shows for the file: held-out PSNR at
t = T/2 of the input, direct, naive and improved on the page's held-out gallery pictures (goldfish,
ladybird, kite: public/samples; never trained on, data.HELD_OUT), plus the whole held-out wallpaper set.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import zipfile
from pathlib import Path

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evaluate import Seeded, load_exported  # noqa: E402
from metrics import psnr  # noqa: E402
from own_transform import OwnDegradation, encode_transform, parse_transform  # noqa: E402
from samplers import SAMPLERS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# The page's held-out pictures (src/core/own/trainingSession.ts, HELD_OUT_SAMPLES).
HELD_OUT_SAMPLES = ("goldfish", "ladybird", "kite")
# The degradation's seed of the page's held-out evaluation (trainingSession.ts, EVALUATION_SEED).
EVALUATION_SEED = 1


def held_out_samples() -> torch.Tensor:
    pictures = [np.asarray(Image.open(ROOT / "public" / "samples" / f"{name}.png").convert("RGB"), dtype=np.float32) for name in HELD_OUT_SAMPLES]
    return torch.from_numpy(np.stack(pictures)).permute(0, 3, 1, 2) / 127.5 - 1.0


@torch.no_grad()
def held_out_psnr(model, degradation: OwnDegradation, x0: torch.Tensor) -> dict:
    """Mean PSNR at t = T/2 of the input and of each sampler's result, as the page's panel reports it."""
    t = max(1, degradation.T // 2)

    def R(x: torch.Tensor, s: int) -> torch.Tensor:
        return model(x, torch.full((x.shape[0],), s, dtype=torch.long))

    D = Seeded(degradation, [EVALUATION_SEED] * len(x0))
    xs = D.apply(x0, t)
    out = {"t": t, "input": round(float(psnr(xs, x0).mean()), 2)}
    for name, sampler in SAMPLERS.items():
        out[name] = round(float(psnr(sampler(D, R, xs, t), x0).mean()), 2)
    return out


def pack(model_dir: Path, out: Path, training: dict) -> dict:
    """Writes the zip; returns its model.json. The weights must be float32 (export quantization float32)."""
    manifest = json.loads((model_dir / "model.json").read_text())
    group = manifest["weightsManifest"][0]
    if any("quantization" in w for w in group["weights"]):
        raise SystemExit(f"{model_dir}: the restorer file holds float32 weights; export with --quantization float32")
    if manifest["degradation"].get("id") != "own":
        raise SystemExit(f"{model_dir} is a model for {manifest['degradation'].get('id')!r}, not for a transform of your own")
    transform = manifest["degradation"]["transform"]
    if encode_transform(parse_transform(transform)) != transform:
        raise SystemExit(f"{model_dir}: its transform is not in its written form: {transform}")
    weights = b"".join((model_dir / p).read_bytes() for p in group["paths"])
    if len(weights) != manifest["totalBytes"]:
        raise SystemExit(f"{model_dir}: {len(weights)} bytes of weights, the manifest says {manifest['totalBytes']}")
    packed = {
        "format": manifest["format"],
        "modelTopology": manifest["modelTopology"],
        "degradation": manifest["degradation"],
        "weightsManifest": [{"paths": ["weights.bin"], "weights": group["weights"], "sha256": [hashlib.sha256(weights).hexdigest()]}],
        "totalBytes": len(weights),
        "training": training,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr("model.json", json.dumps(packed, indent=1, ensure_ascii=False))
        z.writestr("weights.bin", weights)
    return packed


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", type=Path, required=True, help="a directory train.py exported (--degradation own, --quantization float32)")
    p.add_argument("--out", type=Path, required=True, help="the restorer file to write (.zip)")
    p.add_argument("--no-eval", action="store_true", help="pack without measuring (tests)")
    args = p.parse_args()
    model, manifest = load_exported(args.model)
    degradation = OwnDegradation(manifest["degradation"]["transform"], seed=EVALUATION_SEED)
    given = manifest.get("training", {})
    training = {
        "recipe": "offline",
        "channels": manifest["modelTopology"]["channels"],
        "steps": given.get("steps"),
        "seconds": round(60 * given.get("wall_minutes", 0)),
        "backend": "PyTorch (CPU)",
        "trainedIn": "training/ (npm run train -- own)",
        "loss": "l1",
        "optimizer": "Adam",
        "crop": given.get("crop"),
        "batch": given.get("batch"),
        "trainPictures": given.get("train_pictures"),
        "packages": given.get("packages"),
        "heldOut": list(HELD_OUT_SAMPLES),
        "command": given.get("command"),
    }
    if not args.no_eval:
        training["heldOutPsnr"] = held_out_psnr(model, degradation, held_out_samples())
        print(f"held out (goldfish, ladybird, kite) from t = {training['heldOutPsnr']['t']}: " +
              ", ".join(f"{k} {v:.2f} dB" for k, v in training["heldOutPsnr"].items() if k != "t"))
    pack(args.model, args.out, training)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB): open it in the page (mode=own, the same transform) by drop or picker")


if __name__ == "__main__":
    main()
