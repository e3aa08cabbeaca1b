"""Measures what weight quantisation costs: exports the trained EMA weights as float32,
float16 and uint8 and evaluates each on the held-out images at T/2.

  /usr/bin/python3 training/quantization.py --run-dir training/runs/blur --json training/runs/blur/quantization.json
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import fetch_packages, held_out_images, list_pictures, split  # noqa: E402
from degradations import make_degradation  # noqa: E402
from evaluate import evaluate, load_exported  # noqa: E402
from export_tfjs import export  # noqa: E402
from unet import UNet  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--run-dir", type=Path, required=True)
    p.add_argument("--json", type=Path, required=True)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    ck = torch.load(args.run_dir / "checkpoint.pt")
    a = ck["args"]
    degradation = make_degradation(a["degradation"])
    model = UNet(tuple(int(c) for c in a["channels"].split(",")), T=degradation.T, space_to_depth=a.get("space_to_depth", 1))
    model.load_state_dict(ck["ema"])
    _, test = split(list_pictures(fetch_packages()))
    x = torch.from_numpy(held_out_images(test, 128)).permute(0, 3, 1, 2).float() / 127.5 - 1
    s = degradation.T // 2
    out = {"t": s, "images": len(x), "variants": {}}
    with tempfile.TemporaryDirectory() as tmp:
        reference = None
        for q in ("float32", "float16", "uint8"):
            d = Path(tmp) / q
            export(model, d, degradation.describe(), q)
            size = sum(f.stat().st_size for f in d.glob("*.bin"))
            m, _ = load_exported(d)
            with torch.no_grad():
                pred = m(x, torch.full((len(x),), s))
            reference = pred if reference is None else reference
            r = evaluate(m, degradation, x, [s])[str(s)]
            out["variants"][q] = {"bytes": size, "direct_psnr": r["direct"]["psnr"], "improved_psnr": r["improved"]["psnr"],
                                  "max_abs_diff_vs_float32": round(float((pred - reference).abs().max()), 5)}
            print(q, out["variants"][q], flush=True)
    args.json.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
