"""What a degradation declares besides its operator: the SPEC at the end of training/<id>.py,
collected in training/degradations.py. The model card, EVAL.md, the parity fixtures and the
training recipe of train_model.sh are made from it, so none of them names a degradation.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Protocol

import torch


class Degradation(Protocol):
    id: str
    T: int

    def apply(self, x0: torch.Tensor, t: torch.Tensor | int, seed: int | list[int] = 0) -> torch.Tensor:
        """seed: one per sample, or one int for the batch; deterministic operators ignore it."""
        ...

    def describe(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Recipe:
    """train.py's arguments for the shipped model (train_model.sh), chosen per degradation.
    None leaves train.py's default (and the argument off the command line)."""
    steps: int
    finetune_steps: int
    # uint8 where the measured loss was negligible, else float16 (each model card's quantisation table).
    quantization: str
    # Earlier checkpoints of the same run (about 3 % and 15 % of it), shipped as <id>-early/ and <id>-mid/: "early:645,mid:3225".
    snapshots: str = ""
    channels: str = "48,96,128,128"
    # 2: space-to-depth at full resolution, 2.2× less time per step in the browser (docs/design.md).
    space_to_depth: int | None = 2
    crop: int | None = None
    batch: int | None = None

    def train_arguments(self) -> list[str]:
        """Without --snapshots, which train_model.sh passes even when empty."""
        named = [("--channels", self.channels), ("--space-to-depth", self.space_to_depth), ("--steps", self.steps),
                 ("--finetune-steps", self.finetune_steps), ("--crop", self.crop), ("--batch", self.batch),
                 ("--quantization", self.quantization), ("--log-every", 20)]
        return [word for name, value in named if value is not None for word in (name, str(value))]


@dataclass(frozen=True)
class FixtureCase:
    """`count` test images (make_fixtures.test_images) of height×width drawn from image_seed,
    degraded with `seed` (None: a deterministic operator; the case then records no seed)."""
    image_seed: int
    count: int
    height: int
    width: int
    seed: int | None = None


@dataclass(frozen=True)
class OperatorFixture:
    """fixtures/parity/<id>.json: the operator's outputs on test images, which the TypeScript tests match."""
    # Two seeds, one above 2^31 to test the unsigned arithmetic; the image seed is the seed mod 97.
    cases: tuple[FixtureCase, ...] = (FixtureCase(0, 1, 32, 32, seed=0), FixtureCase(3_000_000_017 % 97, 1, 48, 16, seed=3_000_000_017))
    steps: tuple[int, ...] | None = None  # None: 0, 1, T/2 and T
    attributes: tuple[str, ...] = ()  # the operator's attributes written beside T, for the TypeScript side to check


@dataclass(frozen=True)
class DegradationSpec:
    id: str
    create: Callable[[], Degradation]
    recipe: Recipe
    fixture: OperatorFixture
    # Model card: "A small U-Net R(x_t, t) ≈ x0 that <task>".
    task: str = ""
    # Model card, "Degradation" section; each line is formatted with the model's degradation description
    # (model.json "degradation": {T}, {schedule[…]}), so braces are fields.
    operator_text: tuple[str, ...] = ()
    # operator_text already ends with T and the PyTorch ↔ TypeScript parity, in its own words;
    # otherwise the card adds the standard lines.
    own_parity_text: bool = False
    # EVAL.md: why the numbers differ from the paper's, written after reading them.
    eval_note: str = ""
    # A seed fixes its randomness (hole centre, snow layer, noise, the mixed-in picture).
    seeded: bool = False
    # It mixes in a picture from its pool (public/models/<id>/pool.json): the card lists the pool, and
    # train_model.sh also evaluates it with pictures from outside the pool (evaluate.py --unseen-mix).
    mixes_picture: bool = False
    # Generation starts from a colour Gaussian that train.py fits to the training images (its `prior`).
    fits_colour_prior: bool = False
    # The paper's pattern for it includes improved sampling being sharper than direct: EVAL.md checks that too.
    checks_sharpness: bool = False
    # PSNR of docs/design.md's calibration run, {start step: {output: dB}}: a column of the card's table.
    calibration: dict[str, dict[str, float]] | None = None
