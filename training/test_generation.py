"""Checks of the generation side: the colour prior (one Gaussian or a mixture), the start image, and the
measures of training/generation_report.py (C2ST, nearest neighbours)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from blur_to_flat import (SYMMETRY_NOISE, choose_component, fit_colour_prior, fit_gaussian_mixture,  # noqa: E402
                          mixture_log_likelihood, start_image)
from generation_report import c2st, nearest_rmse, wilson  # noqa: E402
from rng import STREAM_COLOUR_COMPONENT, STREAM_GENERATE, normals, uniforms  # noqa: E402


def single_gaussian_before_mixtures(means: np.ndarray) -> dict:
    """fit_colour_prior as it was before it learnt mixtures (the shipped models' priors come from it)."""
    mu = means.mean(axis=0)
    cov = np.cov(means, rowvar=False)
    chol = np.linalg.cholesky(cov + 1e-9 * np.eye(3))
    return {"colourMean": mu.round(6).tolist(), "colourCovariance": cov.round(8).tolist(),
            "colourCholesky": chol.round(8).tolist(), "noiseSigma": SYMMETRY_NOISE}


def start_before_mixtures(prior: dict, seed: int, size: int, channels: int = 3) -> torch.Tensor:
    z = normals(seed, STREAM_GENERATE, channels + size * size * channels)
    colour = np.asarray(prior["colourMean"]) + np.asarray(prior["colourCholesky"]) @ z[:channels]
    noise = z[channels:].reshape(size, size, channels) * prior["noiseSigma"]
    return torch.from_numpy((colour[None, None, :] + noise).transpose(2, 0, 1).astype(np.float32))[None]


def clusters(seed: int = 0):
    g = np.random.default_rng(seed)
    weights = np.array([0.5, 0.3, 0.2])
    centres = np.array([[-0.6, 0.2, 0.5], [0.5, 0.5, -0.4], [0.1, -0.7, 0.0]])
    scales = np.array([0.05, 0.08, 0.03])
    label = g.choice(3, size=6000, p=weights)
    return centres[label] + g.normal(size=(6000, 3)) * scales[label, None], weights, centres, scales


def test_the_mixture_fit_recovers_well_separated_clusters():
    x, weights, centres, scales = clusters()
    gm = fit_gaussian_mixture(x, 3, seed=0)
    assert np.allclose(gm["weights"], weights, atol=0.02)  # heaviest first, as the clusters are listed
    assert np.allclose(gm["means"], centres, atol=0.01)
    for c, s in zip(gm["covariances"], scales):
        assert np.allclose(c, s ** 2 * np.eye(3), atol=0.2 * s ** 2)
    # more components than one fit the data better, and the fit is a pure function of (data, K, seed)
    assert gm["log_likelihood"] > fit_gaussian_mixture(x, 1)["log_likelihood"] + 1
    again = fit_gaussian_mixture(x, 3, seed=0)
    assert all(np.array_equal(gm[k], again[k]) for k in ("weights", "means", "covariances"))
    assert mixture_log_likelihood(x[:10], gm).shape == (10,)


@pytest.mark.parametrize("gray", [False, True])
def test_one_component_is_byte_for_byte_the_single_gaussian_of_before(gray):
    g = np.random.default_rng(5)
    means = g.normal([-0.5, -0.2, 0.1], [0.2, 0.1, 0.3], size=(500, 3))
    if gray:  # Fashion-MNIST: the three channels equal (rank 1)
        means = np.repeat(means[:, :1], 3, axis=1)
    before = json.dumps(single_gaussian_before_mixtures(means))
    assert json.dumps(fit_colour_prior(means)) == before
    assert json.dumps(fit_colour_prior(means, components=1)) == before
    # K > 1 keeps those keys as they were and adds the components
    mix = fit_colour_prior(means, components=3)
    assert json.dumps({k: mix[k] for k in json.loads(before)}) == before
    assert [sorted(c) for c in mix["components"]] == [["colourCholesky", "colourMean", "weight"]] * 3
    assert abs(sum(c["weight"] for c in mix["components"]) - 1) < 1e-5


def test_the_component_is_the_first_whose_running_sum_passes_u():
    w = [0.2, 0.3, 0.5]
    assert [choose_component(w, u) for u in (0.0, 0.1999, 0.2, 0.4999, 0.5, 0.99)] == [0, 0, 1, 1, 2, 2]
    assert choose_component([0.3, 0.3, 0.399999], 0.9999995) == 2  # rounded weights summing below u: the last


def test_a_mixture_start_draws_its_component_from_stream_6_and_its_colour_as_before():
    comps = [{"weight": 0.25, "colourMean": [-0.8, -0.8, -0.8], "colourCholesky": [[0.1, 0, 0], [0.02, 0.1, 0], [0, 0, 0.1]]},
             {"weight": 0.5, "colourMean": [0.0, 0.3, -0.3], "colourCholesky": [[0.2, 0, 0], [0, 0.05, 0], [0.01, 0, 0.05]]},
             {"weight": 0.25, "colourMean": [0.7, 0.7, 0.7], "colourCholesky": [[0.05, 0, 0], [0, 0.05, 0], [0, 0, 0.05]]}]
    prior = {"colourMean": [0.0] * 3, "colourCovariance": [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
             "colourCholesky": [[1, 0, 0], [0, 1, 0], [0, 0, 1]], "noiseSigma": 0.01, "components": comps}
    seen = set()
    for seed in range(40):
        u = float(uniforms(seed, STREAM_COLOUR_COMPONENT, 1)[0])
        k = 0 if u < 0.25 else 1 if u < 0.75 else 2
        z = normals(seed, STREAM_GENERATE, 3 + 4 * 4 * 3)
        colour = np.asarray(comps[k]["colourMean"]) + np.asarray(comps[k]["colourCholesky"]) @ z[:3]
        want = torch.from_numpy((colour[None, None] + z[3:].reshape(4, 4, 3) * 0.01).transpose(2, 0, 1).astype(np.float32))[None]
        assert torch.equal(start_image(prior, seed, 4), want)
        seen.add(k)
    assert seen == {0, 1, 2}
    # one component, or none: the single Gaussian, exactly as before mixtures
    for p in (dict(prior, components=comps[:1]), {k: v for k, v in prior.items() if k != "components"}):
        assert torch.equal(start_image(p, 7, 4), start_before_mixtures(prior, 7, 4))


def test_start_image_is_unchanged_for_a_single_gaussian_and_takes_a_colour_and_a_noise_level():
    g = np.random.default_rng(5)
    prior = fit_colour_prior(g.normal([-0.5, -0.2, 0.1], [0.2, 0.1, 0.3], size=(500, 3)))
    for seed, size in ((0, 8), (2_999_999_999, 16)):
        assert torch.equal(start_image(prior, seed, size), start_before_mixtures(prior, seed, size))
    drawn = start_image(prior, 3, 8)
    fixed = start_image(prior, 3, 8, colour=[0.25, -0.5, 0.75])
    # the same noise (from the seed) on the given colour
    noise = drawn - drawn.mean(dim=(2, 3), keepdim=True)
    assert torch.allclose(fixed - fixed.mean(dim=(2, 3), keepdim=True), noise, atol=1e-6)
    assert torch.allclose(fixed.mean(dim=(2, 3))[0], torch.tensor([0.25, -0.5, 0.75]), atol=2e-3)
    z = normals(3, STREAM_GENERATE, 3 + 8 * 8 * 3)
    want = torch.tensor([0.25, -0.5, 0.75])[:, None, None] + torch.from_numpy(z[3:].reshape(8, 8, 3).transpose(2, 0, 1)) * 0.05
    assert torch.allclose(start_image(prior, 3, 8, colour=(0.25, -0.5, 0.75), noise_sigma=0.05)[0], want.float(), atol=1e-6)
    assert torch.equal(start_image(prior, 3, 8, noise_sigma=0.0), start_image(prior, 3, 8, noise_sigma=0.0)[:, :, :1, :1].expand(1, 3, 8, 8))
    with pytest.raises(ValueError):
        start_image(prior, 3, 8, colour=[0.1, 0.2])


def noisy_squares(seed: int, n: int, level: float) -> np.ndarray:
    g = np.random.default_rng(seed)
    return np.clip(g.normal(level, 30, size=(n, 16, 16, 1)), 0, 255).astype(np.uint8)


def test_c2st_tells_two_different_sets_apart_and_not_two_draws_of_one():
    apart = c2st(noisy_squares(0, 200, 80), noisy_squares(1, 200, 170), seed=0, epochs=4)
    assert apart["accuracy"] > 0.95 and apart["n_test"] == 200
    same = c2st(noisy_squares(2, 200, 128), noisy_squares(3, 200, 128), seed=0, epochs=4)
    assert 0.38 < same["accuracy"] < 0.62
    assert same["ci95"][0] < 0.5 < same["ci95"][1]
    assert c2st(noisy_squares(2, 200, 128), noisy_squares(3, 200, 128), seed=0, epochs=4) == same  # fixed seeds


def test_wilson_interval():
    assert wilson(50, 100) == [0.4038, 0.5962]
    lo, hi = wilson(100, 100)
    assert hi == 1.0 and 0.96 < lo < 0.97


def test_nearest_rmse_is_the_exact_nearest_neighbour():
    g = np.random.default_rng(0)
    ref = g.integers(0, 256, size=(300, 16, 16, 3), dtype=np.uint8)
    q = np.concatenate([ref[:3], g.integers(0, 256, size=(5, 16, 16, 3), dtype=np.uint8)])
    got = nearest_rmse(q, ref, factor=4)
    a = q.reshape(len(q), -1).astype(np.float64) / 255
    b = ref.reshape(len(ref), -1).astype(np.float64) / 255
    brute = np.sqrt(((a[:, None] - b[None]) ** 2).mean(axis=2)).min(axis=1)
    assert np.allclose(got, brute, atol=1e-6)
    assert np.all(got[:3] == 0)
