"""Writes EVAL.md from the evaluation of every shipped model (public/models/<id>/eval.json,
written by training/evaluate.py in train_model.sh), and checks the paper's pattern.

  /usr/bin/python3 training/eval_report.py            # EVAL.md at the repository root
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import MIX_POOL  # noqa: E402
from degradations import DEGRADATIONS, spec_of  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = ["degraded", "direct", "naive", "improved"]


def checks(id: str, r: dict) -> list[tuple[str, bool]]:
    out = [("improved beats the degraded input on RMSE", r["improved"]["rmse"] < r["degraded"]["rmse"]),
           ("direct beats the degraded input on RMSE (the network itself restores)", r["direct"]["rmse"] < r["degraded"]["rmse"]),
           ("improved beats naive on RMSE", r["improved"]["rmse"] < r["naive"]["rmse"])]
    if spec_of(id).checks_sharpness:
        out.append(("improved is sharper than direct", r["improved"]["sharpness"] > r["direct"]["sharpness"]))
    return out


def main() -> None:
    order = [spec.id for spec in DEGRADATIONS]
    evals = {}
    for id in order:
        p = ROOT / "public" / "models" / id / "eval.json"
        if p.exists():
            evals[id] = json.loads(p.read_text())
    if not evals:
        sys.exit("no public/models/*/eval.json: run training/evaluate.py --model public/models/<id> --json public/models/<id>/eval.json")
    first = next(iter(evals.values()))
    lines = [
        "# Evaluation: every degradation at t = T/2 and t = T",
        "",
        f"Held-out set: {first['images']} images at 128×128 from {len(first['pictures'])} pictures of the Debian wallpaper packages that no",
        "model was trained on (every size and variant of each held-out picture is excluded from training): each picture",
        "centre-cropped whole, plus 3 random square crops at other scales (fixed seed). Image digest "
        f"{first['images_digest']}. Get them as PNG with `/usr/bin/python3 training/data.py --held-out-dir DIR`.",
        f"Seeded degradations ({', '.join(spec.id for spec in DEGRADATIONS if spec.seeded)}) give image k the seed k ("
        + "; ".join(f"{spec.id}: pool picture k mod {len(MIX_POOL)}" for spec in DEGRADATIONS if spec.mixes_picture) + ").",
        "",
        "Reproduce one row with the browser's own TypeScript code under Node:",
        "`npm run eval -- --degradation <id> --t <k> --images DIR [--json]`, or with PyTorch:",
        "`/usr/bin/python3 training/evaluate.py --model public/models/<id> --steps <k>` (the two agree: the operators and",
        "the network are parity-tested to 1e-4 / 1e-3; checked once end to end: `npm run eval -- --degradation inpaint --t 25`",
        "gave 21.06 / 31.37 / 25.29 / 30.63 dB for the inpaint model of 2026-12-01, as its PyTorch evaluation did). This file: `/usr/bin/python3 training/eval_report.py`.",
        "",
        "Metrics are means over the images; RMSE on [0, 1]; sharpness = the set's total Laplacian energy over the",
        "originals' (1 is ideal, blurry output is below 1, noise and artefacts push it above).",
        "",
        "The paper's pattern (its Table 1-3, approximate): improved beats the degraded input everywhere; for blur, improved",
        "is far better than naive (naive collapses); direct has slightly lower pixel error but improved is sharper.",
        "",
    ]
    for id, ev in evals.items():
        T = ev["T"]
        lines += [f"## {id} (T = {T})", "", "| t | output | RMSE | PSNR (dB) | SSIM | sharpness |", "|---|---|---|---|---|---|"]
        for t in (str(T // 2), str(T)):
            if t not in ev["results"]:
                continue
            for k in OUTPUTS:
                m = ev["results"][t][k]
                lines.append(f"| {t} | {k} | {m['rmse']:.4f} | {m['psnr']:.2f} | {m['ssim']:.3f} | {m['sharpness']:.2f} |")
        lines.append("")
        for t in (str(T // 2), str(T)):
            if t in ev["results"]:
                verdicts = ", ".join(f"{name}: {'yes' if ok else '**no**'}" for name, ok in checks(id, ev["results"][t]))
                lines.append(f"- t = {t}: {verdicts}.")
        note = spec_of(id).eval_note
        if note:
            lines += ["", note]
        lines.append("")
    missing = [id for id in order if id not in evals]
    if missing:
        lines += [f"Not evaluated (no shipped model): {', '.join(missing)}.", ""]
    (ROOT / "EVAL.md").write_text("\n".join(lines))
    print(f"wrote {ROOT / 'EVAL.md'} ({', '.join(evals)})")


if __name__ == "__main__":
    main()
