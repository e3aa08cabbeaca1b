"""Writes MODEL_CARD.md (and loss_curve.png) beside an exported model, from the run's
history, evaluation and quantisation measurements.

  /usr/bin/python3 training/model_card.py --model public/models/blur --run-dir training/runs/blur
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import HELD_OUT, MIX_POOL  # noqa: E402
from degradations import spec_of  # noqa: E402

# What models trained before the data grew (2026-12-02) were trained on; their model.json does not list it.
FIRST_PACKAGES = ["plasma-workspace-wallpapers", "mate-backgrounds", "ukui-wallpapers", "gnome-backgrounds"]

def degradation_text(deg: dict) -> list[str]:
    spec = spec_of(deg["id"])
    lines = [line.format(**deg) for line in spec.operator_text]
    if spec.own_parity_text:
        return lines
    return [*lines, f"T = {deg['T']}. Same code in PyTorch (training/{deg['id']}.py) and TypeScript",
            f"(src/core/degradations/{deg['id']}.ts), checked against each other to 1e-4"
            + ("; seeded values come from one counter-based generator written in both languages (training/rng.py ↔"
               " src/core/degradations/rng.ts)." if spec.seeded else ".")]


def calibration_gains(cal: dict[str, float]) -> str:
    return f" (calibration: {cal['direct'] - cal['degraded']:+.1f} and {cal['improved'] - cal['degraded']:+.1f}); "


def loss_plot(history: list[dict], out: Path) -> bool:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, ax = plt.subplots(figsize=(6, 3), dpi=100)
    for crop in sorted({h["crop"] for h in history}):
        pts = [h for h in history if h["crop"] == crop]
        ax.plot([h["step"] for h in pts], [h["loss"] for h in pts], lw=0.8, label=f"{crop}×{crop} crops")
    ax.set_xlabel("step")
    ax.set_ylabel("L1 loss (train batches)")
    ax.set_yscale("log")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    return True


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--model", type=Path, required=True)
    p.add_argument("--run-dir", type=Path, required=True)
    args = p.parse_args()
    manifest = json.loads((args.model / "model.json").read_text())
    history = json.loads((args.run_dir / "history.json").read_text())
    ev = json.loads((args.run_dir / "eval.json").read_text())
    qpath = args.run_dir / "quantization.json"
    quant = json.loads(qpath.read_text()) if qpath.exists() else None
    tr = manifest["training"]
    topo = manifest["modelTopology"]
    deg = manifest["degradation"]
    spec = spec_of(deg["id"])
    calibration = spec.calibration
    T = deg["T"]
    size = sum(f.stat().st_size for f in args.model.glob("*.bin"))
    plotted = loss_plot(history, args.model / "loss_curve.png")

    def w(m: dict) -> str:
        return f"{m['psnr']:.2f} | {m['ssim']:.3f} | {m['rmse']:.4f} | {m['sharpness']:.2f}"

    rows = []
    for s, r in ev["results"].items():
        for k in ("degraded", "direct", "naive", "improved"):
            cal = calibration.get(s, {}).get(k) if calibration else None
            rows.append(f"| {s} | {k} | {w(r[k])} |" + (f" {cal if cal is not None else '–'} |" if calibration else ""))
    half = ev["results"].get(str(T // 2))
    losses = [h["loss"] for h in history]
    log = args.run_dir / "train.log"  # the layout is not in the command (it is train.py's default), only in its log
    channels_last = log.exists() and "channels-last True" in log.read_text()
    tail = losses[-10:]
    lines = [
        f"# Model card: `{args.model.name}` (cold diffusion restorer for {deg['id']})",
        "",
        f"A small U-Net R(x_t, t) ≈ x0 that {spec.task}, trained by this project",
        "from scratch on CPU. It is what the page downloads and runs in the browser.",
        "",
        "## Network",
        f"- U-Net, channels {topo['channels']} (one residual block per level, average-pool down, nearest up, skip concatenation),",
        *([f"  each {topo['spaceToDepth']}×{topo['spaceToDepth']} block of pixels folded into channels before the stem and unfolded after the output"
           " convolution (space-to-depth: no convolution at full resolution, docs/design.md),"] if topo.get("spaceToDepth", 1) > 1 else []),
        f"  timestep embedding (sinusoidal {topo['embedDim']} → MLP {topo['timeDim']}, added as a bias in every block); ReLU, no normalisation",
        "  (fast in tfjs: convolution, bias and ReLU fuse). Predicts x0 as x_t + f(x_t, t).",
        f"- {sum(1 for _ in manifest['weightsManifest'][0]['weights'])} tensors, "
        f"{sum(math.prod(w['shape']) for w in manifest['weightsManifest'][0]['weights']):,} parameters; "
        f"stored as {manifest['weightsManifest'][0]['weights'][0].get('quantization', {}).get('dtype', 'float32')}: {size / 1024 / 1024:.2f} MB "
        f"in {len(manifest['weightsManifest'][0]['paths'])} shard(s).",
        "",
        "## Degradation",
        *degradation_text(deg),
        "",
        "## Data",
        f"- Training: {tr['train_pictures']} pictures (photographs and artwork) from the Debian packages {', '.join(tr.get('packages', FIRST_PACKAGES))}",
        "  (unpacked with `apt-get download` + `dpkg -x`; GPL-2+, CC-BY, CC-BY-SA or CC0). Random crops taken from each picture at 7 scales",
        "  (short side 96 to 640 px), flipped horizontally and vertically.",
        f"- Held out (never trained on, all sizes and variants of each): {len(HELD_OUT)} pictures: "
        + ", ".join(sorted(k.split('/')[-1] for k in HELD_OUT)) + ".",
        f"  Evaluation images: each held-out picture centre-cropped whole to 128×128 (as the app frames it) plus 3 random",
        f"  square crops at other scales (fixed seed): {ev['images']} images (digest {ev['images_digest']}). The app's sample gallery",
        "  comes from these pictures too.",
        *([f"- Mixed in (z): the {len(MIX_POOL)} pictures of [pool.json](pool.json) ("
           + ", ".join(f"{t} by {a}, {lic}" for t, a, lic in MIX_POOL.values())
           + "), never used as x0 for training or evaluation. The network knows this pool: see the last section for z from outside it."]
          if spec.mixes_picture else []),
        "",
        "## Training",
        f"- {tr['steps']} steps: {tr['steps'] - tr['finetune_steps']} on {tr['crop']}×{tr['crop']} crops (batch {tr['batch']}), then "
        f"{tr['finetune_steps']} on {tr['finetune_crop']}×{tr['finetune_crop']} crops (batch 16).",
        "- L1 loss, t uniform in 1..T; Adam, lr 2e-4 (200 warm-up steps) cosine to 2e-5; EMA of weights 0.999 (the EMA is shipped);",
        "  bf16 autocast on CPU" + (", channels-last (NHWC) layout" if channels_last else "")
        + "; Debian PyTorch 1.13, tcmalloc, 2 threads (1 when the machine was busy).",
        f"- Wall time: {tr['wall_minutes']} min on a 2-core CPU machine (no GPU). Final training loss (mean of the last 10 logged",
        f"  windows): {sum(tail) / len(tail):.4f}; first logged: {losses[0]:.4f}.",
        "- Loss curve: " + ("![loss curve](loss_curve.png)" if plotted else "history.json in the run folder (matplotlib not installed)"),
        "",
        "## Held-out results (128×128)",
        "PSNR (dB) | SSIM | RMSE on [0, 1], means over the images | sharpness = total Laplacian energy of the outputs over that of",
        "the originals (1 is ideal; blurry results fall below, artefacts can push it above).",
        *(["The last column is the calibration run of [docs/design.md](../../../docs/design.md) (PSNR, different held-out photos: compare",
           "the gaps to the degraded input, not the absolute values)."] if calibration else []),
        "",
        "| start t | output | PSNR | SSIM | RMSE | sharpness |" + (" calibration PSNR |" if calibration else ""),
        "|---|---|---|---|---|---|" + ("---|" if calibration else ""),
        *rows,
        "",
    ]
    if (args.model / "heldout_examples.jpg").exists():
        lines += ["Held-out pictures (rows), at t = T/2 (left five) and t = T (right five): original, degraded, direct, naive, improved.",
                  "", "![held-out examples](heldout_examples.jpg)", ""]
    if half:
        lines += [
            f"At t = T/2: direct {half['direct']['psnr'] - half['degraded']['psnr']:+.2f} dB and improved "
            f"{half['improved']['psnr'] - half['degraded']['psnr']:+.2f} dB over the degraded input"
            + (calibration_gains(calibration[str(T // 2)]) if calibration else "; ")
            + f"naive {half['naive']['psnr'] - half['degraded']['psnr']:+.2f} dB.",
            "",
        ]
    if quant:
        lines += ["## Quantisation (measured at t = T/2 on the held-out images)", "",
                  "| weights | size | direct PSNR | improved PSNR | max |Δ x̂0| vs float32 |", "|---|---|---|---|---|"]
        for q, v in quant["variants"].items():
            lines.append(f"| {q} | {v['bytes'] / 1024 / 1024:.2f} MB | {v['direct_psnr']:.2f} | {v['improved_psnr']:.2f} | {v['max_abs_diff_vs_float32']} |")
        lines.append("")
    unseen = args.run_dir / "eval_unseen_mix.json"
    if spec.mixes_picture and unseen.exists():
        u = json.loads(unseen.read_text())
        lines += ["## Mixed-in pictures from outside the pool (generalisation)",
                  "The same held-out images, each mixed with another held-out picture instead of a pool picture: z the network",
                  "has never seen. The pool is part of D, as the app uses it; this table says how much the model relies on knowing it.", "",
                  "| start t | output | PSNR | SSIM | RMSE | sharpness |", "|---|---|---|---|---|---|"]
        for s_, r in u["results"].items():
            for k in ("degraded", "direct", "naive", "improved"):
                lines.append(f"| {s_} | {k} | {w(r[k])} |")
        lines.append("")
    lines += snapshot_section(args.model)
    lines += [
        "## Reproduce",
        "```",
        f"bash training/train_model.sh {deg['id']}     # data, training, export, evaluation, this card, parity fixture",
        "```",
        f"Evaluation alone: `/usr/bin/python3 training/evaluate.py --model public/models/{deg['id']}` (PyTorch), or",
        f"`npm run eval -- --degradation {deg['id']} --t {T // 2} --images DIR` (the browser's TypeScript code under Node; held-out",
        "images: `/usr/bin/python3 training/data.py --held-out-dir DIR`).",
        f"Training command of this run: `{tr['command']}`",
        "",
        "## Limits",
        f"- Trained on {tr.get('train_pictures', 'about 60')} wallpapers, for minutes on a CPU: it restores what the degraded image still implies, and cannot",
        "  recover what the degradation removed completely (at t = T the result is plausible, not the original).",
        "- Working resolution 128×128; the degradation is defined in pixels at that size.",
        "",
    ]
    (args.model / "MODEL_CARD.md").write_text("\n".join(lines))
    print(f"wrote {args.model / 'MODEL_CARD.md'}")


SNAPSHOT_NAMES = ("early", "mid")


def snapshot_section(model_dir: Path) -> list[str]:
    """The earlier checkpoints of the same run (<model>-early/, <model>-mid/), which the app offers
    as poorer restorers, with their held-out PSNR."""
    found = []
    for name in SNAPSHOT_NAMES:
        d = model_dir.parent / f"{model_dir.name}-{name}"
        if (d / "model.json").exists() and (d / "eval.json").exists():
            found.append((name, d, json.loads((d / "model.json").read_text())["training"], json.loads((d / "eval.json").read_text())))
    if not found:
        return []
    steps = sorted(found[0][3]["results"], key=int)
    lines = ["## Earlier checkpoints of this run (the app's restorer control)",
             "The network after a few percent of the same training run, exported as uint8 (its raw weights, not the EMA), so a",
             "class can watch a poor restorer break naive sampling while improved sampling still restores. Held-out PSNR (dB),",
             "degraded → direct / naive / improved:", "",
             "| checkpoint | steps | " + " | ".join(f"t = {s}" for s in steps) + " |",
             "|---|---|" + "---|" * len(steps)]
    for name, d, tr, ev in found:
        cells = []
        for s in steps:
            r = ev["results"][s]
            cells.append(f"{r['degraded']['psnr']:.1f} → {r['direct']['psnr']:.1f} / {r['naive']['psnr']:.1f} / {r['improved']['psnr']:.1f}")
        lines.append(f"| `{d.name}` ({name}) | {tr['steps']} of {tr['of_steps']} ({100 * tr['steps'] / tr['of_steps']:.0f} %) | " + " | ".join(cells) + " |")
    return lines + [""]


if __name__ == "__main__":
    main()
