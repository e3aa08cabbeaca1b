"""Held-out evaluation of an exported model: degraded input vs direct, naive and improved
sampling, at several start steps. Uses the weights exactly as the browser decodes them.

  /usr/bin/python3 training/evaluate.py --model public/models/blur --json training/runs/blur/eval.json
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import DEFAULT_DATA_DIR, digest, fetch_packages, held_out_images, list_pictures, split  # noqa: E402
from degradations import spec_of  # noqa: E402
from export_tfjs import load_decoded_into, read_tfjs  # noqa: E402
from metrics import laplacian_energy, psnr, rmse, ssim  # noqa: E402
from samplers import SAMPLERS  # noqa: E402
from unet import UNet  # noqa: E402


def load_exported(model_dir: Path) -> tuple[UNet, dict]:
    manifest, decoded = read_tfjs(model_dir)
    topo = manifest["modelTopology"]
    model = UNet.from_topology(topo)
    load_decoded_into(model, decoded)
    return model.eval(), manifest


class Seeded:
    """A degradation with its per-sample seeds fixed, for the samplers (which call apply(x, t))."""

    def __init__(self, degradation, seeds: list[int]):
        self.degradation, self.seeds, self.T = degradation, seeds, degradation.T

    def apply(self, x: torch.Tensor, t: int) -> torch.Tensor:
        return self.degradation.apply(x, t, seed=self.seeds)

    def __getattr__(self, name: str):
        # step_pair and the rest of the degradation (they need no seed).
        return getattr(self.degradation, name)


def evaluate(model: UNet, degradation, images: torch.Tensor, steps: list[int], batch: int = 16) -> dict:
    @torch.no_grad()
    def R(x: torch.Tensor, t: int) -> torch.Tensor:
        return model(x, torch.full((x.shape[0],), t, dtype=torch.long))

    results = {}
    for s in steps:
        per = {k: {"rmse": [], "psnr": [], "ssim": [], "energy": []} for k in ("degraded", "direct", "naive", "improved")}
        reference_energy = []
        for i in range(0, len(images), batch):
            x0 = images[i:i + batch]
            D = Seeded(degradation, list(range(i, i + len(x0))))  # image k always gets seed k (hole, snow, noise)
            xs = D.apply(x0, s)
            outs = {"degraded": xs}
            reference_energy += laplacian_energy(x0).tolist()
            with torch.no_grad():
                for name, fn in SAMPLERS.items():
                    outs[name] = fn(D, R, xs, s)
            for name, y in outs.items():
                per[name]["rmse"] += rmse(y, x0).tolist()
                per[name]["psnr"] += psnr(y, x0).tolist()
                per[name]["ssim"] += ssim(y, x0).tolist()
                per[name]["energy"] += laplacian_energy(y).tolist()
        # Sharpness of the set: total Laplacian energy over that of the originals. (A mean of
        # per-image ratios is dominated by near-flat crops, whose energy is almost zero.)
        results[str(s)] = {k: {"rmse": round(float(np.mean(d["rmse"])), 4), "psnr": round(float(np.mean(d["psnr"])), 4),
                               "ssim": round(float(np.mean(d["ssim"])), 4),
                               "sharpness": round(float(np.sum(d["energy"]) / np.sum(reference_energy)), 4)} for k, d in per.items()}
    return results


@torch.no_grad()
def examples_grid(model: UNet, degradation, x0: torch.Tensor, steps: list[int]):
    """Rows: pictures; per start step: original, degraded, direct, naive, improved."""
    from PIL import Image

    def R(x: torch.Tensor, t: int) -> torch.Tensor:
        return model(x, torch.full((x.shape[0],), t, dtype=torch.long))

    D = Seeded(degradation, list(range(0, 4 * len(x0), 4)))  # the seeds these images have in evaluate()
    columns = []
    for s in steps:
        xs = D.apply(x0, s)
        columns += [x0, xs] + [fn(D, R, xs, s) for fn in SAMPLERS.values()]
    grid = torch.cat([torch.cat(list(c), 1) for c in columns], 2)  # [3, rows·H, cols·W]
    return Image.fromarray(((grid.clamp(-1, 1) + 1) * 127.5).round().byte().permute(1, 2, 0).numpy())


def table(results: dict, T: int) -> str:
    lines = ["| start t | output | RMSE | PSNR (dB) | SSIM | sharpness |", "|---|---|---|---|---|---|"]
    for s, r in results.items():
        for k in ("degraded", "direct", "naive", "improved"):
            m = r[k]
            lines.append(f"| {s} | {k} | {m['rmse']:.4f} | {m['psnr']:.2f} | {m['ssim']:.3f} | {m['sharpness']:.2f} |")
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", type=Path, required=True)
    p.add_argument("--steps", default="", help="start steps, comma separated (default T/4,T/2,T)")
    p.add_argument("--size", type=int, default=128)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    p.add_argument("--json", type=Path)
    p.add_argument("--examples", type=Path, help="write a JPEG grid of a few held-out pictures at T/2 and T")
    p.add_argument("--unseen-mix", action="store_true",
                   help="animorph: mix each image with another held-out picture instead of the pool (z never seen in training)")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    model, manifest = load_exported(args.model)
    spec = spec_of(manifest["degradation"]["id"])
    degradation = spec.create()
    T = degradation.T
    steps = [int(s) for s in args.steps.split(",")] if args.steps else [T // 4, T // 2, T]
    _, test = split(list_pictures(fetch_packages(args.data_dir)))
    imgs = held_out_images(test, args.size)
    x = torch.from_numpy(imgs).permute(0, 3, 1, 2).float() / 127.5 - 1
    if args.unseen_mix:
        if not spec.mixes_picture:
            p.error("--unseen-mix is for degradations that mix in a picture")
        # Image k (seed k) gets image k + 4: the next held-out picture (each picture gives 4 images), never itself.
        degradation.pool = np.roll(imgs, -4, axis=0)
    t0 = time.time()
    results = evaluate(model, degradation, x, steps)
    out = {"model": str(args.model), "degradation": degradation.id, "T": T, "size": args.size,
           "images": len(imgs), "pictures": [q.key for q in test], "images_digest": digest(imgs),
           "seconds": round(time.time() - t0, 1), "results": results}
    print(table(results, T))
    print(f"{len(imgs)} held-out images ({len(test)} pictures), {out['seconds']} s", file=sys.stderr)
    if args.examples:
        examples_grid(model, degradation, x[::4][:5], [T // 2, T]).save(args.examples, quality=88)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
