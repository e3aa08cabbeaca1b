"""The app's sample gallery: held-out pictures (never trained on), centre-cropped and
resized to the 128×128 working resolution and stored as PNG, so every browser starts
from exactly the same pixels (a shared link must reproduce what the sender saw).

  /usr/bin/python3 training/make_samples.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import HELD_OUT, centre_square, fetch_packages, list_pictures, load_rgb  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "public" / "samples"
SIZE = 128

# id, picture key, title, author (from the package's debian/copyright), licence
SAMPLES = [
    ("ladybird", "mate-backgrounds/nature/LadyBird", "Ladybird", "Charles Barbin, 2008", "GPL-2+"),
    ("raindrops", "mate-backgrounds/nature/RainDrops", "Rain drops", "\"blackcombwhistler07\", 2008", "GPL-2+"),
    ("dandelion", "mate-backgrounds/nature/TwoWings", "Two wings", "Charles Barbin, 2008", "GPL-2+"),
    ("sunflower", "mate-backgrounds/nature/YellowFlower", "Yellow flower", "Charles Barbin, 2008", "GPL-2+"),
    ("forest", "plasma-workspace-wallpapers/Path", "Path", "KDE Visual Design Group, 2014", "GPL-2+"),
    ("cups", "plasma-workspace-wallpapers/ColorfulCups", "Colorful cups", "KDE Visual Design Group, 2014", "GPL-2+"),
    ("kite", "plasma-workspace-wallpapers/Kite", "Kite", "KDE Visual Design Group, 2014", "GPL-2+"),
    ("elephants", "mate-backgrounds/abstract/Elephants", "Elephants (painting)", "Wyng Stancikaite, 2020", "GPL-2+"),
    ("goldfish", "ukui-wallpapers/goldfish", "Goldfish (illustration)", "Ubuntu Kylin community contributors", "CC-BY-SA-3.0"),
]


def main() -> None:
    pictures = {p.key: p for p in list_pictures(fetch_packages())}
    OUT.mkdir(parents=True, exist_ok=True)
    entries = []
    for sid, key, title, author, licence in SAMPLES:
        assert key in HELD_OUT, f"{key} is a training picture; the gallery shows held-out ones only"
        p = pictures[key]
        Image.fromarray(centre_square(load_rgb(p.path, 1024), SIZE)).save(OUT / f"{sid}.png", optimize=True)
        entries.append({"id": sid, "file": f"{sid}.png", "title": title, "author": author, "license": licence,
                        "source": f"Debian package {p.package}: {p.path.name}"})
        print(f"{sid}: {key}")
    (ROOT / "src" / "samples.json").write_text(json.dumps(entries, indent=1) + "\n")


if __name__ == "__main__":
    main()
