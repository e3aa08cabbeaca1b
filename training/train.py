"""Train the restoration network R(x_t, t) ≈ x0 for one degradation, with checkpoints.

Every batch is a pure function of (seed, step), so a run resumed from its checkpoint
sees exactly the data it would have seen uninterrupted.

  LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 \
  /usr/bin/python3 training/train.py --degradation blur --run-dir training/runs/blur \
      --out public/models/blur
"""
from __future__ import annotations

import argparse
import copy
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from blur_to_flat import fit_colour_prior  # noqa: E402
from data import DEFAULT_DATA_DIR, PACKAGES, faces, fashion_mnist, fetch_packages, list_pictures, load_rgb, pyramid, split  # noqa: E402
from degradations import spec_of  # noqa: E402
from export_tfjs import export  # noqa: E402
from own_transform import OwnDegradation  # noqa: E402
from unet import UNet, count_parameters  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--degradation", default="blur", help="a degradation id, or own (with --transform)")
    p.add_argument("--transform", default="", help="with --degradation own: the link value of own= (a transform made in the page)")
    p.add_argument("--run-dir", type=Path, required=True, help="logs and checkpoints (never committed)")
    p.add_argument("--out", type=Path, required=True, help="where model.json and shards are written")
    p.add_argument("--channels", default="32,64,128,128")
    p.add_argument("--space-to-depth", type=int, default=1, choices=[1, 2],
                   help="2: fold 2×2 pixels into channels before the stem (no convolution at full resolution)")
    p.add_argument("--steps", type=int, default=7000, help="steps on --crop crops")
    p.add_argument("--crop", type=int, default=64)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--finetune-steps", type=int, default=800, help="extra steps on --finetune-crop crops")
    p.add_argument("--finetune-crop", type=int, default=128)
    p.add_argument("--finetune-batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=2e-4)
    p.add_argument("--lr-final", type=float, default=2e-5)
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--ema", type=float, default=0.999)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--bf16", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--channels-last", action=argparse.BooleanOptionalAction, default=True,
                   help="NHWC tensors: oneDNN trains this U-Net 15-20 %% faster (docs/design.md)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--packages", default=",".join(PACKAGES))
    p.add_argument("--dataset", default="wallpapers", choices=["wallpapers", "fashion-mnist", "faces"],
                   help="fashion-mnist: 32×32 garments for generation (use --crop 32 --finetune-steps 0); "
                        "faces: 64×64 avatars (scripts/render-faces.ts; --crop 64 --finetune-steps 0)")
    p.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    p.add_argument("--pyramid", default="96,128,160,224,320,448,640", help="short sides of the scales crops are taken from")
    p.add_argument("--checkpoint-every", type=float, default=5.0, help="minutes")
    p.add_argument("--export-every", type=float, default=15.0, help="minutes (0: only at the end)")
    p.add_argument("--quantization", default="float16", choices=["float32", "float16", "uint8"])
    p.add_argument("--log-every", type=int, default=50)
    p.add_argument("--snapshots", default="",
                   help="name:step,… e.g. early:465,mid:2325: the network after that many steps (its raw weights, not the EMA) "
                        "is exported to <out>-<name>/ as uint8, for the app's restorer-quality control")
    return p.parse_args(argv)


class ArraySampler:
    """Whole small images, random horizontal flips: gray [N, H, W] (Fashion-MNIST, replicated
    to RGB) or RGB [N, H, W, 3] (faces)."""

    def __init__(self, images: np.ndarray):
        self.images = images

    def batch(self, rng: np.random.Generator, n: int, size: int) -> torch.Tensor:
        if size != self.images.shape[1]:
            raise ValueError(f"this dataset is {self.images.shape[1]}×{self.images.shape[2]}; crop {size} asked")
        a = self.images[rng.integers(len(self.images), size=n)]
        flip = rng.random(n) < 0.5
        a = np.where(flip.reshape((n,) + (1,) * (a.ndim - 1)), a[:, :, ::-1], a)
        x = torch.from_numpy(np.ascontiguousarray(a)).float()
        x = x[:, None].expand(n, 3, size, size) if x.ndim == 3 else x.permute(0, 3, 1, 2)
        return x / 127.5 - 1.0


class CropSampler:
    def __init__(self, levels: list[list[np.ndarray]]):
        self.levels = levels

    def batch(self, rng: np.random.Generator, n: int, size: int) -> torch.Tensor:
        out = np.empty((n, size, size, 3), dtype=np.uint8)
        for k in range(n):
            pic = self.levels[int(rng.integers(len(self.levels)))]
            fitting = [a for a in pic if a.shape[0] >= size and a.shape[1] >= size]
            a = fitting[int(rng.integers(len(fitting)))]
            y = int(rng.integers(a.shape[0] - size + 1))
            x = int(rng.integers(a.shape[1] - size + 1))
            c = a[y:y + size, x:x + size]
            if rng.random() < 0.5:
                c = c[:, ::-1]
            if rng.random() < 0.5:
                c = c[::-1, :]
            out[k] = c
        x = torch.from_numpy(out).permute(0, 3, 1, 2).float()
        return x / 127.5 - 1.0


def lr_at(step: int, total: int, args: argparse.Namespace) -> float:
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    frac = (step - args.warmup) / max(1, total - args.warmup)
    return args.lr_final + 0.5 * (args.lr - args.lr_final) * (1 + math.cos(math.pi * min(1.0, frac)))


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    args.run_dir.mkdir(parents=True, exist_ok=True)
    log = open(args.run_dir / "train.log", "a", buffering=1)

    def say(msg: str) -> None:
        print(msg, flush=True)
        log.write(msg + "\n")

    if args.degradation == "own":
        if not args.transform:
            raise SystemExit("--degradation own needs --transform '<the link value of own=>'")
        if args.dataset != "wallpapers":
            raise SystemExit("a transform of your own trains on pictures (--dataset wallpapers)")
        degradation = OwnDegradation(args.transform, seed=args.seed)
        spec = None
    else:
        spec = spec_of(args.degradation)
        degradation = spec.create()
    if args.dataset == "fashion-mnist":
        images = fashion_mnist(args.data_dir, "train")
        sampler = ArraySampler(images)
        levels = images
        if spec and spec.fits_colour_prior:
            gray = images.reshape(len(images), -1).mean(axis=1) / 127.5 - 1.0
            degradation.prior = fit_colour_prior(np.repeat(gray[:, None], 3, axis=1))
        say(f"data: {len(images)} Fashion-MNIST training images (32×32)")
    elif args.dataset == "faces":
        images = faces(args.data_dir, "train")
        sampler = ArraySampler(images)
        levels = images
        if spec and spec.fits_colour_prior:
            degradation.prior = fit_colour_prior(images.reshape(len(images), -1, 3).mean(axis=1) / 127.5 - 1.0)
        say(f"data: {len(images)} faces (64×64, scripts/render-faces.ts)")
    else:
        sampler, levels = wallpaper_sampler(args, say)
    train(args, say, degradation, sampler, len(levels))


def wallpaper_sampler(args: argparse.Namespace, say) -> tuple[CropSampler, list]:
    packages = args.packages.split(",")
    root = fetch_packages(args.data_dir, packages)
    train_pics = [p for p in split(list_pictures(root))[0] if p.package in packages]  # held-out pictures never train
    sides = tuple(int(s) for s in args.pyramid.split(","))
    t0 = time.time()
    levels = []
    for p in train_pics:
        img = load_rgb(p.path, max(sides) * 2)
        lv = pyramid(img, sides)
        if lv:
            levels.append(lv)
    say(f"data: {len(levels)} training pictures from {packages}, pyramid {sides}, loaded in {time.time() - t0:.1f}s")
    return CropSampler(levels), levels


class ThreadFallback:
    """Two threads are 1.5-2× faster on an idle 2-core machine but ~10× slower when another
    process takes a core (docs/design.md): fall back to one thread when the rate
    collapses, and try two again a minute later."""

    def __init__(self, threads: int, say):
        self.wanted = self.threads = threads
        self.say = say
        self.best_rate: dict[tuple[int, int], float] = {}
        self.switched_at = time.time()

    def update(self, rate: float, size: int, now: float) -> None:
        key = (self.threads, size)
        self.best_rate[key] = max(self.best_rate.get(key, 0.0), rate)
        if self.threads > 1 and rate < 0.5 * self.best_rate[key]:
            self.threads = 1; torch.set_num_threads(1); self.switched_at = now
            self.say(f"throughput collapsed ({rate:.0f} < half of {self.best_rate[key]:.0f} img/s): 1 thread")
        elif self.threads < self.wanted and now - self.switched_at > 60:
            self.threads = self.wanted; torch.set_num_threads(self.threads); self.switched_at = now


class Training:
    """One run: the network, its EMA and optimiser, and where they are (resumed from the checkpoint if there is one)."""

    def __init__(self, args: argparse.Namespace, say, degradation, sampler, train_images: int):
        self.args, self.say, self.degradation, self.sampler, self.train_images = args, say, degradation, sampler, train_images
        channels = tuple(int(c) for c in args.channels.split(","))
        self.layout = torch.channels_last if args.channels_last else torch.contiguous_format
        self.model = UNet(channels, T=degradation.T, space_to_depth=args.space_to_depth).to(memory_format=self.layout)
        self.ema = copy.deepcopy(self.model).requires_grad_(False)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=args.lr)
        self.total = args.steps + args.finetune_steps
        self.step, self.wall, self.history = 0, 0.0, []
        self.checkpoint_path = args.run_dir / "checkpoint.pt"
        if self.checkpoint_path.exists():
            ck = torch.load(self.checkpoint_path)
            self.model.load_state_dict(ck["model"]); self.ema.load_state_dict(ck["ema"]); self.opt.load_state_dict(ck["opt"])
            self.step, self.wall, self.history = ck["step"], ck["wall"], ck["history"]
            say(f"resumed at step {self.step} ({self.wall / 60:.1f} min so far)")
        say(f"model: channels {channels}, space-to-depth {args.space_to_depth}, {count_parameters(self.model)} parameters; {self.total} steps; threads {args.threads}; bf16 {args.bf16}; channels-last {args.channels_last}")

    def loop(self) -> None:
        args = self.args
        snapshots = {int(v): k for k, v in (pair.split(":") for pair in args.snapshots.split(",") if pair)}
        threads = ThreadFallback(args.threads, self.say)
        last_ckpt = last_export = time.time()
        window_loss, window_n, window_t = 0.0, 0, time.time()
        self.model.train()
        while self.step < self.total:
            fine = self.step >= args.steps
            size, bs = (args.finetune_crop, args.finetune_batch) if fine else (args.crop, args.batch)
            loss = self.train_step(size, bs)
            self.step += 1
            window_loss += loss; window_n += 1
            if self.step in snapshots:
                self.export_snapshot(snapshots[self.step])
            if self.step % args.log_every == 0 or self.step == self.total:
                now = time.time()
                dt = now - window_t
                self.wall += dt
                rate = window_n * bs / dt
                self.history.append({"step": self.step, "loss": round(window_loss / window_n, 5), "minutes": round(self.wall / 60, 2), "crop": size})
                self.say(f"step {self.step}/{self.total} crop {size} loss {window_loss / window_n:.4f} lr {lr_at(self.step, self.total, args):.2e} {rate:.0f} img/s {self.wall / 60:.1f} min threads {threads.threads}")
                threads.update(rate, size, now)
                window_loss, window_n, window_t = 0.0, 0, now
            if time.time() - last_ckpt > args.checkpoint_every * 60:
                self.save_checkpoint(); last_ckpt = time.time()
            if args.export_every > 0 and time.time() - last_export > args.export_every * 60:
                self.export(); last_export = time.time()
                self.say(f"exported to {args.out} at step {self.step}")

    def train_step(self, size: int, bs: int) -> float:
        """One optimiser step on the batch of (seed, step); returns its loss."""
        args = self.args
        rng = np.random.default_rng([args.seed, self.step])
        x0 = self.sampler.batch(rng, bs, size)
        t = torch.from_numpy(rng.integers(1, self.degradation.T + 1, size=bs))
        seeds = rng.integers(2**31, size=bs).tolist()  # per sample: hole centre, snow layer, noise
        with torch.no_grad():
            xt = self.degradation.apply(x0, t, seed=seeds).contiguous(memory_format=self.layout)
        for g in self.opt.param_groups:
            g["lr"] = lr_at(self.step, self.total, args)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
            pred = self.model(xt, t)
        loss = (pred.float() - x0).abs().mean()
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        with torch.no_grad():
            for pe, pm in zip(self.ema.parameters(), self.model.parameters()):
                pe.lerp_(pm, 1 - args.ema)
        return float(loss)

    def save_checkpoint(self) -> None:
        args = self.args
        torch.save({"model": self.model.state_dict(), "ema": self.ema.state_dict(), "opt": self.opt.state_dict(),
                    "step": self.step, "wall": self.wall, "history": self.history,
                    "args": vars(args) | {"run_dir": str(args.run_dir), "out": str(args.out), "data_dir": str(args.data_dir)}},
                   self.checkpoint_path.with_suffix(".tmp"))
        os.replace(self.checkpoint_path.with_suffix(".tmp"), self.checkpoint_path)

    def export(self) -> None:
        """The EMA weights, to --out, and the loss history beside the checkpoint."""
        args = self.args
        train_info = {"steps": self.step, "wall_minutes": round(self.wall / 60, 1), "final_loss": self.history[-1]["loss"] if self.history else None,
                      "crop": args.crop, "batch": args.batch, "finetune_crop": args.finetune_crop,
                      "finetune_steps": args.finetune_steps, "train_pictures": self.train_images, "dataset": args.dataset,
                      **({"packages": args.packages.split(",")} if args.dataset == "wallpapers" else {}), "command": " ".join(sys.argv)}
        export(self.ema, args.out, self.degradation.describe(), args.quantization, {"training": train_info})
        (args.run_dir / "history.json").write_text(json.dumps(self.history))

    def export_snapshot(self, name: str) -> None:
        out = self.args.out.parent / f"{self.args.out.name}-{name}"
        export(self.model, out, self.degradation.describe(), "uint8",
               {"training": {"steps": self.step, "of_steps": self.total, "snapshot_of": self.args.out.name, "weights": "raw (not the EMA)",
                             "wall_minutes": round(self.wall / 60, 1), "command": " ".join(sys.argv)}})
        self.say(f"snapshot '{name}' (step {self.step}) exported to {out}")


def train(args: argparse.Namespace, say, degradation, sampler, train_images: int) -> None:
    run = Training(args, say, degradation, sampler, train_images)
    run.loop()
    run.save_checkpoint()
    run.export()
    say(f"done: {run.step} steps in {run.wall / 60:.1f} min, final loss {run.history[-1]['loss'] if run.history else float('nan')}; exported to {args.out}")

if __name__ == "__main__":
    main()
