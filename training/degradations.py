"""Registry of degradations (mirror of src/core/degradations/index.ts)."""
from __future__ import annotations

from typing import Any, Protocol

import torch

from animorph import Animorph
from blur import BLUR_STEP_BASE, BLUR_STEP_SLOPE, TRUNCATE_SIGMAS, Blur
from blur_to_flat import BlurToFlat
from decolorize import Decolorize
from inpaint import Inpaint
from noise import Noise
from pixelate import Pixelate
from snow import Snow


class Degradation(Protocol):
    id: str
    T: int

    def apply(self, x0: torch.Tensor, t: torch.Tensor | int, seed: int | list[int] = 0) -> torch.Tensor:
        """seed: one per sample, or one int for the batch; deterministic operators ignore it."""
        ...

    def describe(self) -> dict[str, Any]: ...


class BlurDegradation(Blur):
    def apply(self, x0: torch.Tensor, t: torch.Tensor | int, seed: int = 0) -> torch.Tensor:  # seed unused: blur is deterministic
        return super().apply(x0, t)

    def describe(self) -> dict[str, Any]:
        return {"id": "blur", "T": self.T, "schedule": {"kind": "closed-form-gaussian", "stepSigmaBase": BLUR_STEP_BASE,
                "stepSigmaSlope": BLUR_STEP_SLOPE, "truncateSigmas": TRUNCATE_SIGMAS, "padding": "reflect"}}


FACTORIES = {"blur": BlurDegradation, "pixelate": Pixelate, "inpaint": Inpaint, "snow": Snow, "decolorize": Decolorize, "noise": Noise,
             "animorph": Animorph, "blur-to-flat": BlurToFlat}


def make_degradation(id: str) -> Degradation:
    if id not in FACTORIES:
        raise ValueError(f"unknown degradation {id!r} (known: {', '.join(FACTORIES)})")
    return FACTORIES[id]()
