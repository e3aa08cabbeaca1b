"""Evaluates a generation model (blur to a flat colour) and writes, in the model folder, MODEL_CARD.md,
generation_eval.json (every figure of the card), samples.png and (when the run's history is there)
loss_curve.png; with a better colour prior it also rewrites model.json's "degradation"."start".

  /usr/bin/python3 training/generation_report.py --model public/models/generate --run-dir training/runs/generate --dataset fashion-mnist
  /usr/bin/python3 training/generation_report.py --model public/models/generate-faces --run-dir training/runs/generate-faces --dataset faces

The run folder is only read (history.json for the loss curve, checkpoint.pt for the float32-vs-shipped check);
when it is missing, figures measured from it are carried over from the previous generation_eval.json.

What is measured (held-out pictures: never trained on):
- restoration from blur at T/2 and from the flat colour at T (direct / naive / improved) on the first held-out pictures;
- FID needs an Inception network, and there is none offline here, so it is not computed. Instead a classifier
  two-sample test (C2ST, Lopez-Paz & Oquab 2017): a small CNN learns to tell generated pictures from held-out real
  ones (balanced classes, half of each to train on, the other half to measure; fixed seeds). 50 % accuracy means it
  cannot tell them apart; 95 % Wilson intervals. Sets: improved (Algorithm 2), naive (Algorithm 1), direct
  (one call R(x_T, T)), improved from the mixture colour prior, and two checks of the test itself: real pictures
  blurred to T/2 (it must tell: ≈ 100 %) and training vs held-out real pictures (it must not: ≈ 50 %);
- diversity (mean pairwise RMSE), novelty (RMSE to the nearest training picture, exact search) and near-duplicates,
  each beside the same figure for real held-out pictures;
- the colour prior: K-component Gaussian mixtures of the training pictures' channel means, K chosen by held-out
  log-likelihood, against the paper's single Gaussian.
"""
from __future__ import annotations

import argparse
import copy
import json
import math
import os
import re
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from blur import blur_sigma  # noqa: E402
from blur_to_flat import fit_colour_prior, fit_gaussian_mixture, mixture_log_likelihood, mixture_of, start_image  # noqa: E402
from data import DEFAULT_DATA_DIR, FACES_DIR, faces, fashion_mnist  # noqa: E402
from degradations import make_degradation  # noqa: E402
from evaluate import evaluate, load_exported, table  # noqa: E402
from metrics import psnr  # noqa: E402
from model_card import loss_plot  # noqa: E402
from samplers import direct, improved, naive  # noqa: E402

SHEET = 64            # samples on samples.png (seeds 0..63)
SAMPLES = 960         # generated pictures per C2ST set (seeds 0..959); 2 × 960 held-out faces fit in the 1 993
DIVERSITY = 480       # pictures per set for the pairwise figures (the first ones)
COMPONENTS = range(1, 7)  # mixture sizes tried for the colour prior
RESTORATION = {"fashion-mnist": 1000, "faces": 200}  # held-out pictures of the restoration table
SWEEP_SIGMAS = (0.002, 0.02, 0.05)
FID_NOTE = ("FID needs an Inception network (its ImageNet weights), and none is available offline here, so no FID is "
            "computed; the classifier two-sample test stands in for it.")


# ---------------------------------------------------------------------------------------------------------------- data

def load_split(dataset: str, data_dir: Path, split: str) -> np.ndarray:
    """uint8 [N, H, W, C]: C = 1 for Fashion-MNIST (gray), 3 for faces."""
    if dataset == "fashion-mnist":
        return fashion_mnist(data_dir, split)[..., None]
    if dataset == "faces":
        return faces(data_dir, split)
    raise ValueError(f"unknown dataset {dataset!r}")


def channel_means(images: np.ndarray) -> np.ndarray:
    """[N, 3] per-channel means on [-1, 1], computed exactly as train.py does for the prior it ships."""
    if images.shape[-1] == 1:
        gray = images.reshape(len(images), -1).mean(axis=1) / 127.5 - 1.0
        return np.repeat(gray[:, None], 3, axis=1)
    return images.reshape(len(images), -1, 3).mean(axis=1) / 127.5 - 1.0


def to_model(images: np.ndarray) -> torch.Tensor:
    """uint8 [N, H, W, C] -> float [N, 3, H, W] on [-1, 1] (gray repeated to RGB)."""
    x = torch.from_numpy(np.ascontiguousarray(images)).float().permute(0, 3, 1, 2) / 127.5 - 1
    return x.expand(len(x), 3, *x.shape[2:]).contiguous()


def to_pixels(x: torch.Tensor, channels: int) -> np.ndarray:
    """float [N, 3, H, W] on [-1, 1] -> uint8 [N, H, W, channels], as a screen shows it (8 bits per channel);
    channels = 1: the mean of the three (the gray data set's pictures are gray)."""
    x = x.clamp(-1, 1)
    if channels == 1:
        x = x.mean(dim=1, keepdim=True)
    return ((x + 1) * 127.5).round().to(torch.uint8).permute(0, 2, 3, 1).numpy()


def flip_half(images: np.ndarray, seed: int) -> np.ndarray:
    """Mirror a random half (fixed seed): the model learnt from randomly mirrored pictures."""
    flip = np.random.default_rng(seed).random(len(images)) < 0.5
    out = images.copy()
    out[flip] = out[flip, :, ::-1]
    return out


# --------------------------------------------------------------------------------------------------------- statistics

def wilson(correct: int, n: int, z: float = 1.959964) -> list[float]:
    """95 % Wilson score interval of a binomial proportion."""
    if n == 0:
        return [0.0, 1.0]
    p = correct / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return [round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)]


class TwoSampleCNN(torch.nn.Module):
    """The C2ST classifier: four 3×3 conv + ReLU + 2×2 average-pool blocks (16, 32, 64, 64 channels), global
    average pool, one logit."""

    def __init__(self, channels: int, widths: tuple[int, ...] = (16, 32, 64, 64)):
        super().__init__()
        layers, c = [], channels
        for w in widths:
            layers += [torch.nn.Conv2d(c, w, 3, padding=1), torch.nn.ReLU(), torch.nn.AvgPool2d(2)]
            c = w
        self.features = torch.nn.Sequential(*layers)
        self.head = torch.nn.Linear(c, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x).mean(dim=(2, 3)))[:, 0]


def c2st(real: np.ndarray, fake: np.ndarray, seed: int = 0, epochs: int = 15, batch: int = 64, lr: float = 1e-3) -> dict:
    """Classifier two-sample test of two uint8 [N, H, W, C] sets of equal size. Each set is shuffled (fixed seed)
    and halved: the first halves train a TwoSampleCNN (Adam, random mirroring; the epoch kept is the one best on a
    fifth of the training half held back for it), the second halves measure its accuracy. 0.5: indistinguishable."""
    n = min(len(real), len(fake))
    g = np.random.default_rng(seed)
    pr, pf = g.permutation(len(real))[:n], g.permutation(len(fake))[:n]
    half = n // 2
    x = np.concatenate([real[pr[:half]], fake[pf[:half]]])
    y = np.concatenate([np.zeros(half), np.ones(half)])
    xt = np.concatenate([real[pr[half:2 * half]], fake[pf[half:2 * half]]])
    yt = np.concatenate([np.zeros(half), np.ones(half)])
    order = g.permutation(len(x))
    x, y = x[order], y[order]
    n_val = max(2, len(x) // 5)
    xv, yv, x, y = x[:n_val], y[:n_val], x[n_val:], y[n_val:]

    def tensor(a: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(np.ascontiguousarray(a)).float().permute(0, 3, 1, 2) / 127.5 - 1

    X, Y, XV, XT = tensor(x), torch.from_numpy(y).float(), tensor(xv), tensor(xt)
    torch.manual_seed(seed)
    net = TwoSampleCNN(real.shape[-1])
    opt = torch.optim.Adam(net.parameters(), lr=lr)

    @torch.no_grad()
    def predict(a: torch.Tensor) -> np.ndarray:
        net.eval()
        out = np.concatenate([net(a[i:i + 256]).numpy() for i in range(0, len(a), 256)])
        net.train()
        return out > 0

    best, best_state, best_epoch = -1.0, None, 0
    gen = torch.Generator().manual_seed(seed)
    for epoch in range(epochs):
        perm = torch.randperm(len(X), generator=gen)
        for i in range(0, len(X), batch):
            idx = perm[i:i + batch]
            xb = X[idx]
            flip = torch.rand(len(idx), generator=gen) < 0.5
            xb = torch.where(flip[:, None, None, None], xb.flip(3), xb)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(net(xb), Y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        val = float((predict(XV) == (yv > 0.5)).mean())
        if val > best:
            best, best_state, best_epoch = val, copy.deepcopy(net.state_dict()), epoch + 1
    net.load_state_dict(best_state)
    correct = int((predict(XT) == (yt > 0.5)).sum())
    return {"accuracy": round(correct / len(yt), 4), "ci95": wilson(correct, len(yt)), "n_test": int(len(yt)),
            "n_train": int(len(X)), "n_val": int(n_val), "epoch": best_epoch}


def pixels_flat(images: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(images.reshape(len(images), -1)).float() / 255.0


def pairwise(images: np.ndarray) -> dict:
    """Mean RMSE (on [0, 1]) between two different pictures of the set, and each one's distance to its nearest other."""
    a = pixels_flat(images).double()
    sq = (a * a).sum(1)
    d = ((sq[:, None] + sq[None] - 2 * a @ a.T).clamp(min=0) / a.shape[1]).sqrt()
    off = ~torch.eye(len(a), dtype=torch.bool)
    nearest = d.masked_fill(~off, float("inf")).min(dim=1).values
    return {"mean": float(d[off].mean()), "nearest": nearest.numpy()}


def pooled(images: np.ndarray, factor: int) -> torch.Tensor:
    x = torch.from_numpy(np.ascontiguousarray(images)).float().permute(0, 3, 1, 2) / 255.0
    return torch.nn.functional.avg_pool2d(x, factor).reshape(len(images), -1)


def nearest_rmse(queries: np.ndarray, reference: np.ndarray, factor: int = 4, chunk: int = 8192) -> np.ndarray:
    """Exact RMSE (on [0, 1]) of each query picture to its nearest reference picture (uint8 [N, H, W, C] both).
    Average-pooling by `factor` can only shrink an RMSE (Jensen), so the pooled distance is a lower bound:
    the full-resolution distance is computed for candidates in order of that bound until the bound passes the
    best distance found."""
    q_low = pooled(queries, factor)
    bounds = torch.empty(len(queries), len(reference))
    for j in range(0, len(reference), chunk):
        r = pooled(reference[j:j + chunk], factor)
        bounds[:, j:j + chunk] = (torch.cdist(q_low, r) ** 2 / q_low.shape[1])
    bounds = bounds.clamp(min=0).sqrt()
    order = bounds.argsort(dim=1)
    out = np.empty(len(queries))
    flat_ref = reference.reshape(len(reference), -1)
    for i in range(len(queries)):
        q = queries[i].reshape(-1).astype(np.float32) / 255.0
        best, k = float("inf"), 0
        while k < len(reference) and float(bounds[i, order[i, k]]) < best:
            cand = order[i, k:k + 32].numpy()
            d = np.sqrt(((flat_ref[cand].astype(np.float32) / 255.0 - q) ** 2).mean(axis=1))
            best = min(best, float(d.min()))
            k += 32
        out[i] = best
    return out


# --------------------------------------------------------------------------------------------------------- the prior

def choose_components(train_means: np.ndarray, heldout_means: np.ndarray, candidates=COMPONENTS) -> dict:
    """Fits a mixture for each K and keeps the K with the highest held-out log-likelihood (BIC beside it)."""
    rows = []
    for k in candidates:
        gm = fit_gaussian_mixture(train_means, k)
        params = k * (3 + 6) + (k - 1)
        rows.append({"K": k, "train_loglik": round(gm["log_likelihood"], 4),
                     "heldout_loglik": round(float(mixture_log_likelihood(heldout_means, gm).mean()), 4),
                     "bic": round(-2 * gm["log_likelihood"] * len(train_means) + params * math.log(len(train_means)), 1)})
    chosen = max(rows, key=lambda r: r["heldout_loglik"])["K"]
    by_bic = min(rows, key=lambda r: r["bic"])["K"]
    return {"candidates": rows, "chosen_K": chosen, "bic_K": by_bic, "rule": "highest mean held-out log-likelihood"}


def same_start(a: dict, b: dict) -> bool:
    keys = ("colourMean", "colourCovariance", "colourCholesky", "noiseSigma")
    return all(json.dumps(a.get(k)) == json.dumps(b.get(k)) for k in keys)


def write_start(model_dir: Path, start: dict) -> bool:
    """Puts `start` into model.json's degradation (atomically); False if it was already there."""
    path = model_dir / "model.json"
    manifest = json.loads(path.read_text())
    if manifest["degradation"].get("start") == start:
        return False
    manifest["degradation"]["start"] = start
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(manifest, indent=1) + "\n")
    os.replace(tmp, path)
    return True


# -------------------------------------------------------------------------------------------------------- the sheet

def sheet(blocks: list[tuple[str, np.ndarray]], columns: int = 8, per_row: int = 2, scale: int = 1):
    """Labelled blocks of pictures (uint8 [64, H, W, C]), `per_row` blocks side by side."""
    from PIL import Image, ImageDraw
    h, w = blocks[0][1].shape[1:3]
    cell_h, cell_w = h + 2, w + 2
    rows = (len(blocks[0][1]) + columns - 1) // columns
    bw, bh, label_h, gap = columns * cell_w, rows * cell_h, 14, 8
    n_rows = (len(blocks) + per_row - 1) // per_row
    canvas = Image.new("RGB", (per_row * bw + (per_row - 1) * gap, n_rows * (bh + label_h) + (n_rows - 1) * gap), "white")
    draw = ImageDraw.Draw(canvas)
    for b, (label, pics) in enumerate(blocks):
        br, bc = divmod(b, per_row)
        x0, y0 = bc * (bw + gap), br * (bh + label_h + gap)
        draw.text((x0 + 2, y0 + 1), label, fill=(0, 0, 0))
        for k, pic in enumerate(pics):
            r, c = divmod(k, columns)
            rgb = np.repeat(pic, 3, axis=2) if pic.shape[2] == 1 else pic
            canvas.paste(Image.fromarray(rgb), (x0 + c * cell_w + 1, y0 + label_h + r * cell_h + 1))
    if scale > 1:
        canvas = canvas.resize((canvas.width * scale, canvas.height * scale), Image.NEAREST)
    return canvas


# ---------------------------------------------------------------------------------------------------------- running

def shipped_vs_float32(run_dir: Path, shipped, manifest: dict, D, x0: torch.Tensor, t: int) -> dict | None:
    """Direct-restoration PSNR at t of the float32 EMA weights (the checkpoint) vs the shipped ones; None if the
    checkpoint is missing or holds other weights than the export (a run still training)."""
    from unet import UNet
    path = run_dir / "checkpoint.pt"
    if not path.exists():
        return None
    ck = torch.load(path)
    if ck["step"] != manifest["training"]["steps"]:
        print(f"checkpoint at step {ck['step']}, export at step {manifest['training']['steps']}: no float32 comparison", file=sys.stderr)
        return None
    full = UNet(tuple(int(c) for c in ck["args"]["channels"].split(",")), T=D.T, space_to_depth=ck["args"].get("space_to_depth", 1))
    full.load_state_dict(ck["ema"])
    full.eval()
    with torch.no_grad():
        xt = D.apply(x0, t)
        tt = torch.full((len(x0),), t)
        a, b = full(xt, tt), shipped(xt, tt)
    return {"t": t, "float32_direct_psnr": round(float(psnr(a, x0).mean()), 3), "shipped_direct_psnr": round(float(psnr(b, x0).mean()), 3),
            "max_abs_diff": round(float((a - b).abs().max()), 4)}


def carried_from_card(card: Path) -> dict:
    """Figures of a card written before generation_eval.json existed (its run folder gone): the float32-vs-shipped
    check and the final training loss, so that regenerating the card keeps them."""
    if not card.exists():
        return {}
    text = card.read_text()
    out = {}
    m = re.search(r"Quantisation \(direct restoration at t = (\d+).*?float32 ([\d.]+) dB, shipped ([\d.]+) dB, largest pixel difference (\d[\d.]*\d)", text, re.S)
    if m:
        out["quantisation"] = {"t": int(m[1]), "float32_direct_psnr": float(m[2]), "shipped_direct_psnr": float(m[3]),
                               "max_abs_diff": float(m[4]), "carried": "from the previous card (run folder not present)"}
    m = re.search(r"Final training loss \(last\s+10 windows\) (\d[\d.]*\d)", text)
    if m:
        out["final_loss_last10"] = float(m[1])
    return out


def generate(D, R, prior: dict, seeds, size: int, samplers: dict, batch: int = 64) -> dict[str, torch.Tensor]:
    """Runs each sampler from the starts of `seeds`; returns float [N, 3, size, size] per sampler (and "start")."""
    out = {name: [] for name in ["start", *samplers]}
    seeds = list(seeds)
    for i in range(0, len(seeds), batch):
        starts = torch.cat([start_image(prior, s, size) for s in seeds[i:i + batch]])
        out["start"].append(starts)
        with torch.no_grad():
            for name, fn in samplers.items():
                out[name].append(fn(D, R, starts, D.T).clamp(-1, 1))
    return {k: torch.cat(v) for k, v in out.items()}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", type=Path, required=True)
    p.add_argument("--run-dir", type=Path, required=True, help="read only: history.json, checkpoint.pt")
    p.add_argument("--dataset", choices=["fashion-mnist", "faces"], help="default: the model's training.dataset")
    p.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--samples", type=int, default=SAMPLES, help="generated pictures per C2ST set")
    p.add_argument("--epochs", type=int, default=15, help="C2ST classifier epochs")
    p.add_argument("--restoration", type=int, help="held-out pictures of the restoration table (default 1000 Fashion-MNIST, 200 faces)")
    p.add_argument("--write-prior", action=argparse.BooleanOptionalAction, default=True,
                   help="put the better colour prior into model.json's degradation.start (--no-write-prior: only report it)")
    p.add_argument("--card-only", action="store_true", help="rewrite MODEL_CARD.md from the model's generation_eval.json")
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    model, manifest = load_exported(args.model)
    dataset = args.dataset or manifest["training"].get("dataset")
    if dataset not in ("fashion-mnist", "faces"):
        p.error(f"--dataset: the model says {dataset!r}")
    if args.card_only:
        return write_card(args, manifest, json.loads((args.model / "generation_eval.json").read_text()))
    previous = json.loads((args.model / "generation_eval.json").read_text()) if (args.model / "generation_eval.json").exists() else {}
    carried = carried_from_card(args.model / "MODEL_CARD.md")
    t_start = time.time()
    timings: dict[str, float] = {}

    def lap(name: str, t0: float) -> None:
        timings[name] = round(time.time() - t0, 1)
        print(f"{name}: {timings[name]} s", file=sys.stderr, flush=True)

    D = make_degradation(manifest["degradation"]["id"])
    T = D.T
    train = load_split(dataset, args.data_dir, "train")
    test = load_split(dataset, args.data_dir, "test")
    size, channels = train.shape[1], train.shape[3]
    if manifest["training"].get("crop") not in (None, size):
        p.error(f"the model was trained on {manifest['training']['crop']}-pixel pictures; {dataset} has {size}")
    n = min(args.samples, len(test) // 2)

    # The colour prior: the shipped one is the single Gaussian train.py fitted; mixtures compared on held-out means.
    t0 = time.time()
    train_means, test_means = channel_means(train), channel_means(test)
    single = fit_colour_prior(train_means)
    selection = choose_components(train_means, test_means)
    K = selection["chosen_K"]
    mixture = fit_colour_prior(train_means, components=K) if K > 1 else None
    shipped_start = manifest["degradation"]["start"]
    lap("colour prior", t0)

    # Restoration from T/2 and T.
    t0 = time.time()
    n_rest = args.restoration or RESTORATION[dataset]
    test_x = to_model(test[:n_rest])
    restoration = evaluate(model, D, test_x, [T // 2, T], batch=100)
    lap("restoration", t0)

    fast = copy.deepcopy(model).to(memory_format=torch.channels_last)  # oneDNN runs NHWC ~20 % faster; same weights

    @torch.no_grad()
    def R(x: torch.Tensor, t: int) -> torch.Tensor:
        return fast(x.contiguous(memory_format=torch.channels_last), torch.full((x.shape[0],), t, dtype=torch.long)).contiguous()

    # Generation: seeds 0..n-1 from the single Gaussian (the paper's and the shipped prior), all three samplers.
    t0 = time.time()
    gen = generate(D, R, single, range(n), size, {"improved": improved, "naive": naive, "direct": direct})
    lap("sampling (single Gaussian: improved, naive, direct)", t0)
    sets = {name: to_pixels(gen[name], channels) for name in ("improved", "naive", "direct")}
    if mixture is not None:
        t0 = time.time()
        gen_mix = generate(D, R, mixture, range(n), size, {"improved": improved})
        sets["improved_mixture"] = to_pixels(gen_mix["improved"], channels)
        lap(f"sampling (mixture K = {K}: improved)", t0)
    channel_spread = float((gen["improved"] - gen["improved"].mean(dim=1, keepdim=True)).abs().mean()) if channels == 1 else None

    # Real pictures: held-out 0..n-1 against every generated set; held-out n..2n-1 blurred to T/2; training pictures.
    real = flip_half(test[:n], seed=1)
    blurred = to_pixels(D.apply(to_model(test[n:2 * n]), T // 2), channels)
    train_pick = np.random.default_rng(2).choice(len(train), n, replace=False)
    train_real = flip_half(train[train_pick], seed=3)

    t0 = time.time()
    c2 = {}
    for name, fake in [*sets.items(), ("blurred_real_T2", blurred), ("training_vs_heldout_real", train_real)]:
        c2[name] = c2st(real, fake, seed=0, epochs=args.epochs)
        print(f"C2ST {name}: {c2[name]}", file=sys.stderr, flush=True)
    lap("C2ST", t0)

    # Diversity, novelty, near-duplicates.
    t0 = time.time()
    m = min(DIVERSITY, n)
    div = {name: pairwise(a[:m]) for name, a in [*sets.items(), ("heldout_real", test[:m])]}
    repeat_threshold = float(np.percentile(div["heldout_real"]["nearest"], 1))
    novelty_sets = {"improved": sets["improved"], "heldout_real": test[:n]}
    if mixture is not None:
        novelty_sets["improved_mixture"] = sets["improved_mixture"]
    nearest = {name: nearest_rmse(a, train) for name, a in novelty_sets.items()}
    copy_threshold = float(np.percentile(nearest["heldout_real"], 1))
    lap("diversity and novelty", t0)

    # How much the symmetry-breaking noise alone varies the result: one colour (the prior's mean), 16 seeds.
    t0 = time.time()
    sweep = {}
    for sigma in SWEEP_SIGMAS:
        starts = torch.cat([start_image(single, seed, size, colour=single["colourMean"], noise_sigma=sigma) for seed in range(16)])
        with torch.no_grad():
            f = improved(D, R, starts, T).clamp(-1, 1).reshape(16, -1)
        d = torch.cdist(f, f) / (f.shape[1] ** 0.5) / 2
        sweep[str(sigma)] = round(float(d[~torch.eye(16, dtype=torch.bool)].mean()), 4)
    lap("noise sweep", t0)

    # Which prior is better: the lower C2ST accuracy of improved samples (ties: the single Gaussian).
    better_is_mixture = mixture is not None and c2["improved_mixture"]["accuracy"] < c2["improved"]["accuracy"]
    better = mixture if better_is_mixture else single
    written = False
    if args.write_prior:
        written = write_start(args.model, better)

    # The sheet: the better prior's starts, improved and naive samples (seeds 0..63), and 64 held-out pictures.
    if better_is_mixture:
        sheet_gen = generate(D, R, mixture, range(SHEET), size, {"improved": improved, "naive": naive})
    else:
        sheet_gen = {k: gen[k][:SHEET] for k in ("start", "improved", "naive")}
    sheet([(f"improved (Algorithm 2), seeds 0-{SHEET - 1}", to_pixels(sheet_gen["improved"], channels)),
           (f"held-out real pictures 0-{SHEET - 1}", test[:SHEET]),
           ("starts x_T (flat colour + noise)", to_pixels(sheet_gen["start"], channels)),
           ("naive (Algorithm 1), same seeds", to_pixels(sheet_gen["naive"], channels))],
          scale=2 if size <= 32 else 1).save(args.model / "samples.png")

    quantisation = shipped_vs_float32(args.run_dir, model, manifest, D, test_x, T // 2)
    if quantisation is None:
        quantisation = previous.get("quantisation") or carried.get("quantisation")
    history_path = args.run_dir / "history.json"
    if history_path.exists():
        history = json.loads(history_path.read_text())
        tail = [h["loss"] for h in history[-10:]]
        final_loss = round(sum(tail) / len(tail), 4)
        loss_curve = loss_plot(history, args.model / "loss_curve.png")
    else:
        final_loss = previous.get("final_loss_last10", carried.get("final_loss_last10"))
        loss_curve = (args.model / "loss_curve.png").exists()

    def rounded(a) -> float:
        return round(float(np.mean(a)), 4)

    report = {
        "model": str(args.model), "dataset": dataset, "size": size, "T": T, "trained_steps": manifest["training"]["steps"],
        "fid": None, "fid_note": FID_NOTE,
        "restoration_pictures": n_rest, "restoration": restoration,
        "c2st": {"samples_per_set": n, "seeds": f"0-{n - 1}", "real": f"held-out pictures 0-{n - 1}, a random half mirrored (seed 1)",
                 "blurred_real": f"held-out pictures {n}-{2 * n - 1} blurred to t = {T // 2}",
                 "training_real": f"{n} random training pictures (seed 2), a random half mirrored (seed 3)",
                 "classifier": "TwoSampleCNN: 4 × (3×3 conv, ReLU, 2×2 average pool), 16-32-64-64 channels, global average pool, linear; "
                               f"Adam 1e-3, batch 64, random mirroring, up to {args.epochs} epochs, the epoch best on a held-back fifth of the training half",
                 "split": "per set, half of each class trains (a fifth of it held back to pick the epoch), the other half is measured",
                 "pixels": "8-bit, as shown on screen" + (" (gray: channel mean)" if channels == 1 else ""),
                 "interval": "95 % Wilson score interval", "results": c2},
        "diversity": {"pictures": m, "mean_pairwise_rmse": {k: round(v["mean"], 4) for k, v in div.items()},
                      "repeat_threshold": round(repeat_threshold, 4),
                      "repeat_threshold_rule": f"1st percentile of the {m} held-out pictures' RMSE to the nearest other of them",
                      "share_with_a_nearer_other": {k: round(float((v["nearest"] < repeat_threshold).mean()), 4) for k, v in div.items()}},
        "novelty": {"pictures": n, "train_pictures": len(train), "reference": "every training picture (exact nearest neighbour)",
                    "nearest_train_rmse_mean": {k: rounded(v) for k, v in nearest.items()},
                    "nearest_train_rmse_min": {k: round(float(v.min()), 4) for k, v in nearest.items()},
                    "near_duplicate_threshold": round(copy_threshold, 4),
                    "near_duplicate_rule": f"1st percentile of the {n} held-out real pictures' RMSE to their nearest training picture",
                    "near_duplicate_share": {k: round(float((v < copy_threshold).mean()), 4) for k, v in nearest.items()}},
        "colour_prior": {"single": single, "shipped_start_is_the_single_gaussian": same_start(single, shipped_start),
                         "shipped_start_components": len(mixture_of(shipped_start) or []) or 1,
                         "selection": selection, "mixture": mixture,
                         "c2st_improved": {"K=1": c2["improved"], **({f"K={K}": c2["improved_mixture"]} if mixture else {})},
                         "better": f"K={K}" if better_is_mixture else "K=1",
                         "rule": "lower C2ST accuracy of improved samples (a tie keeps K = 1)",
                         "written_to_model_json": bool(args.write_prior), "model_json_changed": written},
        "noise_only_diversity": sweep,
        "contrast": {"improved_std": round(float(gen["improved"].std(dim=(1, 2, 3)).mean()), 4),
                     "naive_std": round(float(gen["naive"].std(dim=(1, 2, 3)).mean()), 4),
                     "direct_std": round(float(gen["direct"].std(dim=(1, 2, 3)).mean()), 4),
                     "heldout_std": round(float(to_model(test[:n]).std(dim=(1, 2, 3)).mean()), 4)},
        "improved_channel_spread": None if channel_spread is None else round(channel_spread, 5),
        "quantisation": quantisation, "final_loss_last10": final_loss, "loss_curve": bool(loss_curve),
        "threads": args.threads, "timings_s": timings, "seconds": round(time.time() - t_start, 1),
    }
    (args.model / "generation_eval.json").write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps({k: report[k] for k in ("c2st", "diversity", "novelty", "seconds")}, indent=1))
    write_card(args, json.loads((args.model / "model.json").read_text()), report)


# -------------------------------------------------------------------------------------------------------------- card

def dataset_text(dataset: str, data_dir: Path) -> dict:
    if dataset == "fashion-mnist":
        return {"title": "Fashion-MNIST", "things": "garments", "heldout": "Fashion-MNIST test images", "data": [
            "- Fashion-MNIST (Zalando Research, MIT licence), from Debian's `dataset-fashion-mnist`: 60 000 training images,",
            "  28×28 gray, zero-padded to 32×32 and repeated to RGB, random horizontal flips. The 10 000 test images are never trained on."],
            "limits": ["- Gray 32×32 garments only; with one gray level as the only large random choice, samples of similar colours look",
                       "  alike, and the shapes are plain (tops, bags, trousers), not detailed garments."]}
    meta = json.loads((data_dir / FACES_DIR / "faces.json").read_text())
    seeds = meta["test"] + meta["testDroppedAsCopiesOfTraining"]
    version = meta["style"].rsplit("@", 1)[-1]
    return {"title": "faces", "things": "faces", "heldout": "held-out faces", "data": [
        f"- Personas by Draftbit, CC BY 4.0, via DiceBear (@dicebear/personas {version}, MIT code), rendered by scripts/render-faces.ts:",
        f"  {meta['train']:,} training pictures (seeds train-0…train-{meta['train'] - 1}; {meta['distinctTraining']:,} distinct), "
        f"{meta['size']}×{meta['size']} RGB, one of {len(meta['backgrounds'])} pastel",
        f"  backgrounds each ({', '.join('#' + b for b in meta['backgrounds'])}), random horizontal flips.",
        f"- Held-out: seeds test-0…test-{seeds - 1} minus {meta['testDroppedAsCopiesOfTraining']} pixel copies of training pictures "
        f"({meta['test']:,} pictures), never trained on.",
        f"- Digests (SHA-256 of the pixel files): training {meta['trainDigest'][:16]}…, held-out {meta['testDigest'][:16]}…."],
        "limits": [f"- Cartoon avatars of one style only ({meta['size']}×{meta['size']}); the picture's background colour is most of its mean colour,",
                   "  so the colour drawn at the start mostly decides the background."]}


def pct(r: dict) -> str:
    return f"{100 * r['accuracy']:.1f} % [{100 * r['ci95'][0]:.1f}, {100 * r['ci95'][1]:.1f}]"


def write_card(args: argparse.Namespace, manifest: dict, report: dict) -> None:
    dataset = report["dataset"]
    text = dataset_text(dataset, args.data_dir)
    T, size = report["T"], report["size"]
    tr = manifest["training"]
    topo = manifest["modelTopology"]
    weights = manifest["weightsManifest"][0]["weights"]
    bytes_ = sum(f.stat().st_size for f in args.model.glob("*.bin"))
    sched = manifest["degradation"]["schedule"]
    prior = report["colour_prior"]
    single = prior["single"]
    c2 = report["c2st"]["results"]
    n = report["c2st"]["samples_per_set"]
    div, nov = report["diversity"], report["novelty"]
    sigma_end = blur_sigma(T - 1, sched["stepSigmaBase"], sched["stepSigmaSlope"])
    shipped = manifest["degradation"]["start"]
    shipped_k = len(mixture_of(shipped) or []) or 1
    planned = re.search(r"--steps (\d+)", tr.get("command", ""))
    still_training = planned is not None and tr["steps"] < int(planned[1])
    if dataset == "fashion-mnist":
        colour_text = (f"mean {single['colourMean'][0]:.3f}, variance {single['colourCovariance'][0][0]:.4f} on [−1, 1]; the data are gray, "
                       "so the three channels move together")
    else:
        colour_text = "mean (" + ", ".join(f"{v:.3f}" for v in single["colourMean"]) + ") RGB on [−1, 1], full covariance"
    prior_rows = ["| K | mean log-likelihood, training | held-out | BIC |", "|---|---|---|---|"]
    for r in prior["selection"]["candidates"]:
        prior_rows.append(f"| {r['K']} | {r['train_loglik']:.3f} | {r['heldout_loglik']:.3f} | {r['bic']:.0f} |")
    K = prior["selection"]["chosen_K"]
    c2_rows = ["| generated (or check) set | C2ST accuracy [95 % interval] |", "|---|---|",
               f"| improved (Algorithm 2), single-Gaussian colour | {pct(c2['improved'])} |",
               *([f"| improved, {K}-component mixture colour | {pct(c2['improved_mixture'])} |"] if "improved_mixture" in c2 else []),
               f"| naive (Algorithm 1) | {pct(c2['naive'])} |",
               f"| direct, one call R(x_T, T) | {pct(c2['direct'])} |",
               f"| check: real pictures blurred to t = {T // 2} (must be told apart) | {pct(c2['blurred_real_T2'])} |",
               f"| check: training vs held-out real pictures (must not) | {pct(c2['training_vs_heldout_real'])} |"]
    dv, share = div["mean_pairwise_rmse"], div["share_with_a_nearer_other"]
    nm, nd = nov["nearest_train_rmse_mean"], nov["near_duplicate_share"]
    if "improved_mixture" in c2:
        verdict = (f"The {K}-component mixture ({'chosen' if prior['better'] != 'K=1' else 'not chosen'}): C2ST accuracy of improved samples "
                   f"{pct(c2['improved_mixture'])} against {pct(c2['improved'])} with one Gaussian (same seeds, same real pictures"
                   f"{'; the intervals overlap' if c2['improved_mixture']['ci95'][1] >= c2['improved']['ci95'][0] and c2['improved']['ci95'][1] >= c2['improved_mixture']['ci95'][0] else ''}).")
    else:
        verdict = "The held-out likelihood chose one component: the single Gaussian stays."
    if prior["written_to_model_json"]:
        where = (f"The report writes the better prior ({prior['better']}) into model.json's \"degradation\".\"start\"; "
                 f"the shipped model.json now holds {'a ' + str(shipped_k) + '-component mixture' if shipped_k > 1 else 'the single Gaussian'}.")
    else:
        where = (f"This report was run with --no-write-prior: model.json keeps its {'mixture' if shipped_k > 1 else 'single Gaussian'} "
                 f"(the better one measured here: {prior['better']}).")
    lines = [
        f"# Model card: {args.model.name} (blur to a flat colour, {text['title']})",
        "",
        f"Generates new {text['things']} from a flat colour, as in the paper's blur generation: the network undoes a blur that ends in",
        "the image's mean colour, and the improved sampler (Algorithm 2) runs it from that colour plus faint noise.",
        *(["", f"**Interim:** measured on the export at step {tr['steps']:,} of a run still training; the figures will change."] if still_training else []),
        "",
        "## Model",
        f"- U-Net, channels {topo['channels']}"
        + (f", space-to-depth {topo['spaceToDepth']}" if topo.get("spaceToDepth", 1) > 1 else "")
        + f", timestep embedding; predicts x0 as x_t + f(x_t, t). "
        f"{sum(int(np.prod(w['shape'])) for w in weights):,} parameters, stored as "
        f"{weights[0].get('quantization', {}).get('dtype', 'float32')}: {bytes_ / 1024 / 1024:.2f} MB.",
        "",
        "## Degradation",
        f"Closed-form Gaussian blur at {size}×{size}, T = {T}, s_i = {sched['stepSigmaBase']} + {sched['stepSigmaSlope']}·i px "
        f"(σ(T−1) ≈ {sigma_end:.1f} px), reflected borders; at t = T the per-channel mean (a flat colour). training/blur_to_flat.py ↔",
        "src/core/degradations/blurToFlat.ts, checked against each other to 1e-4.",
        (f"Start of generation: a colour from a {shipped_k}-component full-covariance Gaussian mixture fitted to the training images' channel "
         f"means (below; the single Gaussian of them: {colour_text}),"
         if shipped_k > 1 else
         f"Start of generation: a colour from one full-covariance Gaussian fitted to the training images' channel means ({colour_text}),"),
        f"plus per-pixel noise σ = {single['noiseSigma']} (\"broken symmetry\"); both from the seed, with",
        "the generator both languages share (training/rng.py ↔ src/core/degradations/rng.ts, stream 4; a mixture's component from stream 6).",
        "",
        "## Data",
        *text["data"],
        "",
        "## Training",
        f"- {tr['steps']} steps, batch {tr['batch']}, L1 loss, t uniform in 1..T, Adam with warm-up and cosine decay, EMA 0.999 (shipped),",
        f"  bf16 autocast on CPU, 2 threads. Wall time {tr['wall_minutes']} min on a 2-core CPU machine."
        + (f" Final training loss (last 10 windows) {report['final_loss_last10']:.4f}." if report.get("final_loss_last10") is not None else ""),
        "- Loss curve: " + ("![loss curve](loss_curve.png)" if report.get("loss_curve") else "history.json in the run folder"),
        f"- Command: `{tr['command']}`",
        "",
        f"## Results ({text['heldout']}, never trained on)",
        f"Restoration from t (first {report['restoration_pictures']:,} {text['heldout']}; PSNR, SSIM, RMSE on [0, 1], sharpness = Laplacian energy vs originals):",
        "",
        table(report["restoration"], T),
        "",
        "### Generation: is it like the real pictures?",
        "No FID: it needs an Inception network, and there is none offline here. Instead, a classifier two-sample test (C2ST):",
        f"a small CNN learns to tell {n} generated pictures (seeds 0–{n - 1}) from {n} held-out real ones (half of each to train",
        f"on, a fifth of that held back to pick the epoch; the other half, {c2['improved']['n_test']} pictures, to measure), 8-bit pixels"
        + (" (gray: channel mean)" if size <= 32 and dataset == "fashion-mnist" else "") + ", fixed seeds.",
        "50 % means it cannot tell them apart, 100 % that every picture gives itself away. The two checks show the test can tell",
        "a mild defect and does not flag real pictures.",
        "",
        *c2_rows,
        "",
        f"Diversity, novelty, copies (RMSE on [0, 1]; pairwise figures on the first {div['pictures']} pictures of each set, nearest",
        f"training picture by exact search over all {nov['train_pictures']:,} for {nov['pictures']} pictures):",
        f"- diversity, mean RMSE between two pictures: improved {dv['improved']:.3f}, naive {dv['naive']:.3f}, direct {dv['direct']:.3f}"
        + (f", mixture {dv['improved_mixture']:.3f}" if "improved_mixture" in dv else "") + f"; real held-out {dv['heldout_real']:.3f};",
        f"- novelty, RMSE to the nearest training picture: improved {nm['improved']:.3f}"
        + (f", mixture {nm['improved_mixture']:.3f}" if "improved_mixture" in nm else "")
        + f", real held-out {nm['heldout_real']:.3f} (a model copying its data would sit near 0);",
        f"- near-copies of training pictures: below {nov['near_duplicate_threshold']:.4f}, the 1st percentile of real held-out pictures'",
        f"  nearest-training distance (so 1 % of real pictures by definition): improved {100 * nd['improved']:.1f} %"
        + (f", mixture {100 * nd['improved_mixture']:.1f} %" if "improved_mixture" in nd else "") + ";",
        f"- repeats among samples: a nearer other sample than {div['repeat_threshold']:.4f}, the 1st percentile of the held-out pictures'",
        f"  distance to their nearest other: improved {100 * share['improved']:.1f} %, naive {100 * share['naive']:.1f} %, direct {100 * share['direct']:.1f} %"
        + (f", mixture {100 * share['improved_mixture']:.1f} %" if "improved_mixture" in share else "") + ";",
        f"- contrast, pixel standard deviation per picture: improved {report['contrast']['improved_std']:.3f}, naive {report['contrast']['naive_std']:.3f}, "
        f"direct {report['contrast']['direct_std']:.3f}, real {report['contrast']['heldout_std']:.3f}"
        + (f"; improved samples' channels differ from their gray mean by {report['improved_channel_spread']:.4f} on average." if report.get("improved_channel_spread") is not None else "."),
    ]
    q = report.get("quantisation")
    if q:
        lines.append(f"Quantisation (direct restoration at t = {q['t']}, same held-out pictures as the table): float32 "
                     f"{q['float32_direct_psnr']:.2f} dB, shipped {q['shipped_direct_psnr']:.2f} dB, largest pixel difference {q['max_abs_diff']}"
                     + (" (carried over from the previous card: the run folder is not here)." if q.get("carried") else "."))
    lines += [
        "",
        f"![samples](samples.png) Improved samples (seeds 0–{SHEET - 1}) beside {SHEET} held-out real pictures; below, the starts and the naive samples",
        f"of the same seeds ({prior['better'].replace('K=1', 'single-Gaussian')} colour prior{'' if prior['better'] == 'K=1' else ' mixture'}).",
        "",
        "### The colour prior: one Gaussian or a mixture?",
        f"Full-covariance Gaussian mixtures of the training pictures' channel means, fitted by EM (k-means++ start, 3 restarts, fixed seeds;",
        f"training/blur_to_flat.py fit_colour_prior(means, components=K)), scored on the held-out pictures' means:",
        "",
        *prior_rows,
        "",
        f"Chosen by {prior['selection']['rule']}: K = {K}"
        + (f" (BIC agrees)" if prior["selection"]["bic_K"] == K else f" (BIC would take K = {prior['selection']['bic_K']})")
        + (f"; the largest K tried, the likelihood still rising slowly." if K == prior["selection"]["candidates"][-1]["K"] else "."),
        verdict,
        f"Rule: {prior['rule']}. {where}",
        "A mixture start draws its component from the seed (rng stream 6: the first k with cumsum(weights)[k] > u), then the colour",
        "as before from that component's mean and Cholesky factor; the top-level colourMean/colourCholesky stay the single Gaussian.",
        "",
        "## Limits",
        *text["limits"],
        "- With the colour fixed, the noise alone varies the result by a mean pairwise RMSE of "
        + ", ".join(f"{v:.3f} at σ = {k}" for k, v in report["noise_only_diversity"].items())
        + "; more noise gives more variety but visible speckle and broken shapes, so the app keeps the paper's σ = 0.002.",
        "- No FID (no Inception network offline); the C2ST's small classifier sees less than an Inception network would, so 50 %",
        "  here is a weaker claim than a low FID. Its accuracy depends on the sample count and the classifier: compare figures within",
        "  this card, not with the paper's FIDs.",
        f"- Figures: generation_eval.json beside this card ({report['seconds']:.0f} s on {report['threads']} thread{'s' if report['threads'] > 1 else ''}, "
        "training/generation_report.py).",
        "",
        "## Reproduce",
        "```",
        f"bash training/train_model.sh {args.model.name}",
        "```",
        "",
    ]
    (args.model / "MODEL_CARD.md").write_text("\n".join(lines))
    print(f"wrote {args.model / 'MODEL_CARD.md'}")


if __name__ == "__main__":
    main()
