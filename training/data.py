"""Image data for training and evaluation, fetched from Debian packages.

Images come from Debian's wallpaper and background packages (photographs and artwork, GPL/CC
licensed): the four the first models were trained on, and since 2026-12-02 the Lomiri and sway
ones too (issue 11: no other image packages, so the held-out pictures stay unseen).
`apt-get download` + `dpkg -x` unpacks them without installing anything.
The held-out split is by *picture* (every size and dark/light variant of one wallpaper
goes to the same side), so no test picture is ever seen in training at another size.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

PACKAGES = ["plasma-workspace-wallpapers", "mate-backgrounds", "ukui-wallpapers", "gnome-backgrounds",
            "lomiri-wallpapers", "lomiri-wallpapers-16.04", "lomiri-wallpapers-20.04", "sway-backgrounds"]
IMAGE_EXTS = {".jpg", ".jpeg", ".png", ".webp"}
DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "data"

# Pictures kept out of training. Chosen by hand so the held-out set mixes photographs
# (animals, plants, water, cities) and artwork; the app's sample gallery is drawn from it.
HELD_OUT = {
    "mate-backgrounds/nature/LadyBird",
    "mate-backgrounds/nature/YellowFlower",
    "mate-backgrounds/nature/RainDrops",
    "mate-backgrounds/nature/Storm",
    "mate-backgrounds/nature/TwoWings",
    "mate-backgrounds/abstract/Elephants",
    "ukui-wallpapers/goldfish",
    "ukui-wallpapers/city",
    "ukui-wallpapers/calla",
    "plasma-workspace-wallpapers/Autumn",
    "plasma-workspace-wallpapers/ColorfulCups",
    "plasma-workspace-wallpapers/Path",
    "plasma-workspace-wallpapers/Kite",
    "gnome-backgrounds/wood",
}

# Animorphosis mixes one of these into the image (training/animorph.py writes them, centre-cropped
# to 128×128, to public/models/animorph/pool.bin). They are never restored: no model trains on
# them as x0 and none is held out. Credits: the package's copyright file.
MIX_POOL = {
    "lomiri-wallpapers-16.04/friends_by_Aitzol_Berasategi": ("Friends", "Aitzol Berasategi", "CC-BY-4.0"),
    "lomiri-wallpapers-20.04/Kleiber_by_Lukas_Baubkus": ("Kleiber", "Lukas Baubkus", "CC-BY-SA-3.0"),
    "lomiri-wallpapers-16.04/free_by_Peter_Nerlich": ("Free", "Peter Nerlich", "CC-BY-SA-4.0"),
    "lomiri-wallpapers-16.04/Picture_0B_by_freespace": ("Picture 0B", 'Trevor "Freespace"', "CC-BY-4.0"),
}


@dataclass(frozen=True)
class Picture:
    key: str          # package/group/name: identifies one picture across sizes and variants
    path: Path        # the largest file of that picture
    package: str


class PackageDownloadError(RuntimeError):
    pass


def download(pkg: str, into: Path) -> None:
    """`apt-get download PKG`, failing with the package's name and apt's own words."""
    try:
        done = subprocess.run(["apt-get", "download", pkg], cwd=into, capture_output=True, text=True)
    except FileNotFoundError as e:
        raise PackageDownloadError(f"cannot download Debian package {pkg}: apt-get is not installed") from e
    if done.returncode != 0 or not list(into.glob(f"{pkg}_*.deb")):
        said = (done.stderr or done.stdout).strip() or f"exit code {done.returncode}"
        raise PackageDownloadError(f"could not download Debian package {pkg} (apt-get download {pkg}): {said}"
                                   "\n(run 'apt-get update' first if the package lists are missing)")


def fetch_packages(data_dir: Path = DEFAULT_DATA_DIR, packages: list[str] | None = None) -> Path:
    """Download and unpack the wallpaper packages (idempotent). Returns the unpack root."""
    debs = data_dir / "debs"
    root = data_dir / "unpacked"
    debs.mkdir(parents=True, exist_ok=True)
    for pkg in packages or PACKAGES:
        target = root / pkg
        if target.exists() and any(target.rglob("*")):
            continue
        if not list(debs.glob(f"{pkg}_*.deb")):
            download(pkg, debs)
        deb = sorted(debs.glob(f"{pkg}_*.deb"))[-1]
        target.mkdir(parents=True, exist_ok=True)
        subprocess.run(["dpkg", "-x", str(deb), str(target)], check=True)
    return root


FASHION_PACKAGE = "dataset-fashion-mnist"


def fashion_mnist(data_dir: Path = DEFAULT_DATA_DIR, split: str = "train") -> np.ndarray:
    """Fashion-MNIST from Debian's package (MIT/Expat), zero-padded from 28×28 to 32×32:
    uint8 [N, 32, 32]. split "train" (60 000) or "test" (10 000, never trained on)."""
    import gzip
    root = fetch_packages(data_dir, [FASHION_PACKAGE])
    name = {"train": "train", "test": "t10k"}[split]
    with gzip.open(root / FASHION_PACKAGE / "usr/share/datasets/fashion-mnist" / f"{name}-images-idx3-ubyte.gz") as fh:
        images = np.frombuffer(fh.read(), dtype=np.uint8, offset=16).reshape(-1, 28, 28)
    return np.pad(images, ((0, 0), (2, 2), (2, 2)))


FACES_DIR = "faces"


def faces(data_dir: Path = DEFAULT_DATA_DIR, split: str = "train") -> np.ndarray:
    """DiceBear Personas avatars (design CC BY 4.0 by Draftbit), 64×64 RGB: uint8 [N, 64, 64, 3].
    Rendered from npm packages by scripts/render-faces.ts (faces.json says how many, and which
    held-out seeds were dropped as copies of training pictures); split "train" or "test" (never trained on)."""
    path = data_dir / FACES_DIR / f"{split}.u8"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: render it with `npx tsx scripts/render-faces.ts --out {data_dir / FACES_DIR}`")
    return np.fromfile(path, dtype=np.uint8).reshape(-1, 64, 64, 3)


def picture_key(package: str, rel: Path) -> str:
    parts = rel.parts
    if package == "plasma-workspace-wallpapers":
        # usr/share/wallpapers/<Name>/contents/images[_dark]/<WxH>.<ext>
        return f"{package}/{parts[3]}"
    stem = rel.stem
    if package.startswith("lomiri-wallpapers"):
        return f"{package}/{stem}"  # one file per picture; names like Picture_0B_by_x differ after the first "_"
    if package == "sway-backgrounds":
        return f"{package}/{'_'.join(stem.split('_')[:3])}"  # Sway_Wallpaper_Blue_<size>[_Portrait]
    for suffix in ("-d", "-l"):  # gnome light/dark variants
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
    stem = stem.split("_")[0]  # mate: Elephants_3840x2160 -> Elephants
    group = parts[-2]
    if package == "mate-backgrounds":
        return f"{package}/{group}/{stem}"
    return f"{package}/{stem}"


def list_pictures(root: Path) -> list[Picture]:
    best: dict[str, tuple[int, Path, str]] = {}
    for package in PACKAGES:
        if not (root / package).exists():
            continue
        for f in sorted((root / package).rglob("*")):
            if f.suffix.lower() not in IMAGE_EXTS or not f.is_file():
                continue
            key = picture_key(package, f.relative_to(root / package))
            with Image.open(f) as im:  # header only
                size = im.width * im.height
            if key not in best or size > best[key][0]:
                best[key] = (size, f, package)
    return [Picture(k, p, pkg) for k, (_, p, pkg) in sorted(best.items())]


def split(pictures: list[Picture]) -> tuple[list[Picture], list[Picture]]:
    train = [p for p in pictures if p.key not in HELD_OUT and p.key not in MIX_POOL]
    test = [p for p in pictures if p.key in HELD_OUT]
    present = {p.package for p in pictures}
    missing = {k for k in HELD_OUT if k.split("/")[0] in present} - {p.key for p in test}
    if missing:
        raise RuntimeError(f"held-out pictures not found: {sorted(missing)}")
    return train, test


def load_rgb(path: Path, max_side: int = 1024) -> Image.Image:
    img = Image.open(path)
    img.draft("RGB", (max_side, max_side))  # fast JPEG downscale on decode
    img = img.convert("RGB")
    scale = max_side / max(img.size)
    if scale < 1:
        img = img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))), Image.LANCZOS)
    return img


def centre_square(img: Image.Image, size: int) -> np.ndarray:
    """Centre crop to a square and resize: the same framing the app uses."""
    s = min(img.size)
    left, top = (img.width - s) // 2, (img.height - s) // 2
    sq = img.crop((left, top, left + s, top + s)).resize((size, size), Image.LANCZOS)
    return np.asarray(sq, dtype=np.uint8)


def pyramid(img: Image.Image, short_sides: tuple[int, ...]) -> list[np.ndarray]:
    """The picture at several scales, so random crops see both details and whole scenes."""
    levels = []
    for s in short_sides:
        scale = s / min(img.size)
        if scale > 1:
            continue
        w, h = max(s, round(img.width * scale)), max(s, round(img.height * scale))
        levels.append(np.asarray(img.resize((w, h), Image.LANCZOS), dtype=np.uint8))
    return levels


def held_out_images(test: list[Picture], size: int = 128, crops_per_picture: int = 3, seed: int = 1234) -> np.ndarray:
    """Evaluation images: each held-out picture centre-cropped whole, plus a few random
    square crops at other scales (fixed seed). uint8 [N, size, size, 3]."""
    rng = np.random.default_rng(seed)
    out = []
    for p in test:
        img = load_rgb(p.path, 1024)
        out.append(centre_square(img, size))
        for _ in range(crops_per_picture):
            s = int(rng.integers(size, min(img.size) // 2 + 1)) if min(img.size) // 2 > size else size
            left = int(rng.integers(0, img.width - s + 1))
            top = int(rng.integers(0, img.height - s + 1))
            crop = img.crop((left, top, left + s, top + s)).resize((size, size), Image.LANCZOS)
            out.append(np.asarray(crop, dtype=np.uint8))
    return np.stack(out)


def digest(arr: np.ndarray) -> str:
    return hashlib.sha256(arr.tobytes()).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description="The training and held-out pictures (Debian wallpaper packages).")
    parser.add_argument("--held-out-dir", type=Path,
                        help="write the 128×128 held-out evaluation images of the model cards here, as PNG (for `npm run eval`)")
    args = parser.parse_args()
    if args.held_out_dir:
        args.held_out_dir.mkdir(parents=True, exist_ok=True)
        imgs = held_out_images(split(list_pictures(fetch_packages()))[1])
        for i, a in enumerate(imgs):
            Image.fromarray(a).save(args.held_out_dir / f"heldout-{i:03d}.png")
        print(f"wrote {len(imgs)} images to {args.held_out_dir} (digest {digest(imgs)})")
        return
    pics = list_pictures(fetch_packages())
    tr, te = split(pics)
    print(f"{len(pics)} pictures: {len(tr)} train, {len(te)} held out", file=sys.stderr)
    for p in pics:
        print(("TEST " if p in te else "     ") + p.key, p.path.name)


if __name__ == "__main__":
    try:
        main()
    except PackageDownloadError as e:
        sys.exit(str(e))
