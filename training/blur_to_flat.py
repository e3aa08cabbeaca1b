"""Blur to a flat colour, for generation (the paper's blur generation). Mirror of
src/core/degradations/blurToFlat.ts.

The closed-form blur of blur.py with a schedule of its own per resolution, and at t = T the
image becomes its per-channel mean: a flat colour. Two data sets, two schedules:
- garments, 32×32 (Fashion-MNIST): T = 20, s_i = 0.4 + 0.2·i px, σ(T-1) ≈ 10.7 px;
- faces, 64×64 (DiceBear Personas): T = 30, s_i = 0.4 + 0.2·i px, σ(T-1) ≈ 19.4 px, about
  a third of the picture, as the 32-pixel one. Generation starts there: a colour drawn from a Gaussian fitted to the training
images' channel means, plus tiny per-pixel noise that breaks the symmetry (without it,
every sample of one colour would be the same image).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import torch

from blur import TRUNCATE_SIGMAS, Blur
from degradation_spec import DegradationSpec, FixtureCase, OperatorFixture, Recipe
from steps import batch_steps

FLAT_T = 20
FLAT_STEP_BASE = 0.4
FLAT_STEP_SLOPE = 0.2
FACES_T = 30
SYMMETRY_NOISE = 0.002


class BlurToFlat(Blur):
    id = "blur-to-flat"

    def __init__(self, T: int = FLAT_T, prior: dict[str, Any] | None = None, id: str = "blur-to-flat"):
        super().__init__(T, FLAT_STEP_BASE, FLAT_STEP_SLOPE)
        self.prior = prior
        self.id = id

    def apply(self, x0: torch.Tensor, t: torch.Tensor | int, seed=0) -> torch.Tensor:
        B = x0.shape[0]
        t = batch_steps(t, B, self.T)
        y = super().apply(x0, t)
        flat = x0.mean(dim=(2, 3), keepdim=True).expand_as(x0)
        return torch.where((t == self.T).view(B, 1, 1, 1), flat, y)

    def describe(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "T": self.T, "schedule": {"kind": "closed-form-gaussian-then-mean", "stepSigmaBase": FLAT_STEP_BASE,
                             "stepSigmaSlope": FLAT_STEP_SLOPE, "truncateSigmas": TRUNCATE_SIGMAS, "padding": "reflect"}}
        if self.prior is not None:
            d["start"] = self.prior
        return d


SPEC = DegradationSpec(
    id="blur-to-flat",
    create=BlurToFlat,
    recipe=Recipe(steps=6000, finetune_steps=0, quantization="uint8", channels="24,48,96", space_to_depth=None, crop=32, batch=64),
    fixture=OperatorFixture(),
    fits_colour_prior=True,
)

# Faces at 64×64: the restorers' network (space-to-depth, so the browser runs it fast), trained for
# about three hours of a 2-core machine (resumable: train_model.sh generate-faces).
FACES_SPEC = DegradationSpec(
    id="blur-to-flat-64",
    create=lambda: BlurToFlat(FACES_T, id="blur-to-flat-64"),
    recipe=Recipe(steps=60000, finetune_steps=0, quantization="float16", channels="48,96,128,128", space_to_depth=2, crop=64, batch=32),
    fixture=OperatorFixture(cases=(FixtureCase(0, 1, 64, 64), FixtureCase(5, 1, 48, 16))),
    fits_colour_prior=True,
)


def fit_colour_prior(means: np.ndarray, components: int = 1, seed: int = 0) -> dict[str, Any]:
    """The start's colour prior, fitted to the per-channel means [N, 3] (in [-1, 1]) of the training images.

    components = 1 (the authors' choice, and the shipped models'): one full-covariance Gaussian, with its
    Cholesky factor for sampling: {colourMean, colourCovariance, colourCholesky, noiseSigma}.
    components = K > 1: the same four keys (the single Gaussian of all the means, unchanged), plus
    "components": [{weight, colourMean, colourCholesky}, …], a K-component full-covariance Gaussian mixture
    fitted by EM (fit_gaussian_mixture: k-means++ start, fixed seed), heaviest component first."""
    mu = means.mean(axis=0)
    cov = np.cov(means, rowvar=False)
    chol = np.linalg.cholesky(cov + 1e-9 * np.eye(3))  # grayscale data: rank 1, jitter keeps it factorable
    prior: dict[str, Any] = {"colourMean": mu.round(6).tolist(), "colourCovariance": cov.round(8).tolist(),
                             "colourCholesky": chol.round(8).tolist(), "noiseSigma": SYMMETRY_NOISE}
    if components > 1:
        gm = fit_gaussian_mixture(means, components, seed=seed)
        prior["components"] = [{"weight": round(float(w), 6), "colourMean": m.round(6).tolist(),
                                "colourCholesky": np.linalg.cholesky(c).round(8).tolist()}
                               for w, m, c in zip(gm["weights"], gm["means"], gm["covariances"])]
    return prior


MIXTURE_REG = 1e-6  # added to every component's covariance diagonal (gray data have rank 1)


def gaussian_log_densities(x: np.ndarray, means: np.ndarray, covariances: np.ndarray) -> np.ndarray:
    """log N(x_n; mean_k, cov_k): [N, K]."""
    N, d = x.shape
    out = np.empty((N, len(means)))
    for k, (m, c) in enumerate(zip(means, covariances)):
        L = np.linalg.cholesky(c)
        z = np.linalg.solve(L, (x - m).T)  # [d, N]
        out[:, k] = -0.5 * (z ** 2).sum(axis=0) - np.log(np.diag(L)).sum() - 0.5 * d * np.log(2 * np.pi)
    return out


def mixture_log_likelihood(x: np.ndarray, gm: dict[str, np.ndarray]) -> np.ndarray:
    """Per-point log-likelihood [N] under a mixture {weights, means, covariances}."""
    a = gaussian_log_densities(x, gm["means"], gm["covariances"]) + np.log(gm["weights"])[None]
    top = a.max(axis=1, keepdims=True)
    return (top + np.log(np.exp(a - top).sum(axis=1, keepdims=True)))[:, 0]


def kmeans_plus_plus(x: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k starting centres: the first uniformly at random, each next one with probability ∝ squared
    distance to the nearest centre so far (Arthur & Vassilvitskii 2007)."""
    centres = [x[int(rng.integers(len(x)))]]
    for _ in range(1, k):
        d2 = ((x[:, None, :] - np.asarray(centres)[None]) ** 2).sum(axis=2).min(axis=1)
        p = d2 / d2.sum() if d2.sum() > 0 else np.full(len(x), 1 / len(x))
        centres.append(x[int(rng.choice(len(x), p=p))])
    return np.asarray(centres)


def fit_gaussian_mixture(x: np.ndarray, k: int, seed: int = 0, restarts: int = 3, iterations: int = 300,
                         tol: float = 1e-5, reg: float = MIXTURE_REG) -> dict[str, Any]:
    """K full-covariance Gaussians fitted to x [N, d] by EM. Each restart (seeds seed, seed+1, …) starts from
    k-means++ centres refined by 10 Lloyd steps (hard assignments give the first weights, means and covariances);
    EM stops when the mean log-likelihood per point gains less than tol, or after `iterations` steps;
    the restart with the highest training log-likelihood wins. Components come heaviest first.
    Returns {weights [K], means [K, d], covariances [K, d, d], log_likelihood (mean per point), iterations}."""
    x = np.asarray(x, dtype=np.float64)
    N, d = x.shape
    eye = reg * np.eye(d)
    best = None
    for r in range(restarts if k > 1 else 1):
        rng = np.random.default_rng([seed, r])
        centres = kmeans_plus_plus(x, k, rng)
        for _ in range(10):
            label = ((x[:, None, :] - centres[None]) ** 2).sum(axis=2).argmin(axis=1)
            centres = np.array([x[label == j].mean(axis=0) if (label == j).any() else centres[j] for j in range(k)])
        resp = np.zeros((N, k))
        resp[np.arange(N), label] = 1.0
        previous = -np.inf
        for it in range(iterations):
            # M step
            nk = resp.sum(axis=0) + 1e-12
            weights = nk / N
            means = (resp.T @ x) / nk[:, None]
            covs = np.empty((k, d, d))
            for j in range(k):
                c = x - means[j]
                covs[j] = (resp[:, j, None] * c).T @ c / nk[j] + eye
            # E step
            a = gaussian_log_densities(x, means, covs) + np.log(weights)[None]
            top = a.max(axis=1, keepdims=True)
            norm = top + np.log(np.exp(a - top).sum(axis=1, keepdims=True))
            resp = np.exp(a - norm)
            ll = float(norm.mean())
            if ll - previous < tol:
                break
            previous = ll
        if best is None or ll > best["log_likelihood"]:
            order = np.argsort(-weights, kind="stable")
            best = {"weights": weights[order], "means": means[order], "covariances": covs[order],
                    "log_likelihood": ll, "iterations": it + 1}
    return best


def mixture_of(prior: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The prior's mixture components, or None when it is one Gaussian (no "components", or only one)."""
    comps = prior.get("components")
    return comps if comps is not None and len(comps) > 1 else None


def choose_component(weights: list[float], u: float) -> int:
    """The first k with cumsum(weights)[k] > u (sums taken left to right in float64), the last if none."""
    acc = 0.0
    for k, w in enumerate(weights):
        acc += w
        if acc > u:
            return k
    return len(weights) - 1


def start_image(prior: dict[str, Any], seed: int, size: int, channels: int = 3, colour=None,
                noise_sigma: float | None = None) -> torch.Tensor:
    """x_T of a generated sample [1, channels, size, size]: a drawn colour + symmetry noise, from the shared
    seeded generator (rng.py). The rule, mirrored exactly by the TypeScript side:
    - z = normals(seed, STREAM_GENERATE = 4, channels + size·size·channels): channels normals for the
      colour, then one per pixel and channel, NHWC order;
    - one Gaussian (no "components", or only one): colour = colourMean + colourCholesky @ z[:channels];
    - a mixture ("components", more than one): u = uniforms(seed, STREAM_COLOUR_COMPONENT = 6, 1)[0];
      the component is the first k with cumsum(weights)[k] > u, sums taken left to right (the last
      component if none); colour = components[k].colourMean + components[k].colourCholesky @ z[:channels];
    - colour (optional): a fixed RGB triple in [-1, 1] replacing the drawn one (z and the noise unchanged);
    - noise = z[channels:] · σ, σ = noise_sigma if given, else prior["noiseSigma"];
    - x_T = colour (per channel) + noise."""
    from rng import STREAM_COLOUR_COMPONENT, STREAM_GENERATE, normals, uniforms
    z = normals(seed, STREAM_GENERATE, channels + size * size * channels)
    if colour is not None:
        colour = np.asarray(colour, dtype=np.float64)
        if colour.shape != (channels,):
            raise ValueError(f"colour must have {channels} values, got {colour.shape}")
    else:
        comps = mixture_of(prior)
        if comps is None:
            mean, chol = prior["colourMean"], prior["colourCholesky"]
        else:
            k = choose_component([c["weight"] for c in comps], float(uniforms(seed, STREAM_COLOUR_COMPONENT, 1)[0]))
            mean, chol = comps[k]["colourMean"], comps[k]["colourCholesky"]
        colour = np.asarray(mean) + np.asarray(chol) @ z[:channels]
    sigma = prior["noiseSigma"] if noise_sigma is None else noise_sigma
    noise = z[channels:].reshape(size, size, channels) * sigma
    x = (colour[None, None, :] + noise).transpose(2, 0, 1)
    return torch.from_numpy(x.astype(np.float32))[None]
