"""Registry of degradations (mirror of src/core/degradations/index.ts): each one's SPEC
(training/degradation_spec.py), declared in training/<id>.py.

train_model.sh asks it for what it needs:
  /usr/bin/python3 training/degradations.py recipe <id>          # train.py arguments of the shipped model
  /usr/bin/python3 training/degradations.py snapshots <id>       # its earlier checkpoints, name:step,… (may be empty)
  /usr/bin/python3 training/degradations.py T <id>
  /usr/bin/python3 training/degradations.py mixes-picture <id>   # yes or no
"""
from __future__ import annotations

import argparse

import animorph
import blur
import blur_to_flat
import decolorize
import inpaint
import noise
import pixelate
import snow
from degradation_spec import Degradation, DegradationSpec

# The restorers, in the order of EVAL.md.
DEGRADATIONS: list[DegradationSpec] = [blur.SPEC, pixelate.SPEC, inpaint.SPEC, snow.SPEC, decolorize.SPEC, noise.SPEC, animorph.SPEC]
# The generation mode's operators: blur to a flat colour, garments at 32 px and faces at 64 px.
GENERATION = blur_to_flat.SPEC
GENERATORS: list[DegradationSpec] = [blur_to_flat.SPEC, blur_to_flat.FACES_SPEC]
SPECS = {spec.id: spec for spec in [*DEGRADATIONS, *GENERATORS]}


def spec_of(id: str) -> DegradationSpec:
    if id not in SPECS:
        raise ValueError(f"unknown degradation {id!r} (known: {', '.join(SPECS)})")
    return SPECS[id]


def make_degradation(id: str) -> Degradation:
    return spec_of(id).create()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("query", choices=["recipe", "snapshots", "T", "mixes-picture"])
    p.add_argument("id")
    args = p.parse_args()
    if args.id not in SPECS:
        p.exit(2, f"no training recipe for {args.id!r}\n")
    spec = SPECS[args.id]
    if args.query == "recipe":
        print(" ".join(spec.recipe.train_arguments()))
    elif args.query == "snapshots":
        print(spec.recipe.snapshots)
    elif args.query == "T":
        print(spec.create().T)
    else:
        print("yes" if spec.mixes_picture else "no")


if __name__ == "__main__":
    main()
