"""Checks of the PyTorch side: the operator, the samplers, the network and the export."""
from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from blur import Blur, blur_sigma, reflect_indices  # noqa: E402
from data import HELD_OUT, picture_key  # noqa: E402
from export_tfjs import export, load_decoded_into, read_tfjs  # noqa: E402
from metrics import psnr, sharpness, ssim  # noqa: E402
from samplers import SAMPLERS, improved, naive  # noqa: E402
from unet import UNet  # noqa: E402

torch.manual_seed(0)
D = Blur()


def test_schedule_matches_the_documented_values():
    assert abs(blur_sigma(20) - 6.0) < 0.01
    assert abs(blur_sigma(40) - 14.278) < 0.01
    assert D.radius == 43


def test_blur_is_identity_at_zero_and_keeps_constants():
    x = torch.rand(2, 3, 16, 20) * 2 - 1
    assert torch.equal(D.apply(x, 0), x)
    flat = torch.full((1, 3, 9, 9), 0.25)
    assert torch.allclose(D.apply(flat, 40), flat, atol=1e-6)


def impulse_response(t: int) -> torch.Tensor:
    x = torch.zeros(1, 3, 161, 161)
    x[..., 80, 80] = 1.0
    return Blur().apply(x, t)[0, 0].double()


@pytest.mark.parametrize("t", [6, 20, 40])
def test_blur_is_one_gaussian_of_the_composed_variance(t):
    h = impulse_response(t)
    assert abs(float(h.sum()) - 1) < 1e-5
    offsets = torch.arange(-80, 81, dtype=torch.float64)
    var_rows = float((h.sum(1) * offsets ** 2).sum())
    # Truncation at 3σ(T) removes 2.7 % of the variance at t = T (a Gaussian cut at 3σ);
    # below that it is negligible.
    tol = 0.03 if t == 40 else 0.005
    assert abs(var_rows - blur_sigma(t) ** 2) / blur_sigma(t) ** 2 < tol


def test_blur_matches_the_authors_sequential_blurs_closely():
    """t sampled Gaussians in a row (the authors' way) vs one of σ(t). Sampled Gaussians
    with σ < 1 carry less variance than σ², so the two differ by a few percent of the peak
    at small t; the closed form is the exact continuous composition."""
    one = impulse_response(6)
    seq = torch.zeros(1, 1, 161, 161, dtype=torch.float64)
    seq[..., 80, 80] = 1.0
    for i in range(6):
        s = 0.5 + 0.08 * i
        r = 3 * int(np.ceil(s)) + 2
        k = torch.exp(-0.5 * (torch.arange(-r, r + 1, dtype=torch.float64) / s) ** 2)
        k = k / k.sum()
        seq = torch.nn.functional.conv2d(seq, k.view(1, 1, -1, 1), padding=(r, 0))
        seq = torch.nn.functional.conv2d(seq, k.view(1, 1, 1, -1), padding=(0, r))
    assert float((one - seq[0, 0]).abs().max()) < 0.03 * float(one.max())


def test_blur_accepts_per_sample_steps():
    x = torch.rand(3, 3, 24, 24) * 2 - 1
    t = torch.tensor([0, 5, 40])
    y = D.apply(x, t)
    for i in range(3):
        assert torch.allclose(y[i:i + 1], D.apply(x[i:i + 1], int(t[i])), atol=1e-6)


def test_reflect_indices_handle_pads_larger_than_the_image():
    assert reflect_indices(3, 5).tolist() == [1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2, 1]


@pytest.mark.parametrize("s", [1, 3, 20, 40])
def test_samplers_return_x0_with_an_oracle_restorer(s):
    x0 = torch.rand(1, 3, 24, 24) * 2 - 1
    R = lambda x, t: x0  # noqa: E731
    xs = D.apply(x0, s)
    for name, fn in SAMPLERS.items():
        assert (fn(D, R, xs, s) - x0).abs().max() < 1e-5, name


def test_naive_and_improved_differ_for_a_wrong_restorer():
    x0 = torch.rand(1, 3, 24, 24) * 2 - 1
    other = torch.rand(1, 3, 24, 24) * 2 - 1
    R = lambda x, t: other  # noqa: E731
    xs = D.apply(x0, 4)
    assert torch.allclose(naive(D, R, xs, 4), other)
    assert torch.allclose(improved(D, R, xs, 4), xs - D.apply(other, 4) + other, atol=1e-6)


def test_untrained_unet_is_the_identity():
    m = UNet((8, 16, 16))
    x = torch.rand(2, 3, 32, 32)
    assert torch.equal(m(x, torch.tensor([3, 40])), x)


def test_space_to_depth_is_tensorflows_order_and_inverts():
    from unet import depth_to_space, space_to_depth
    x = torch.randn(2, 3, 8, 12)
    y = space_to_depth(x, 2)
    assert y.shape == (2, 12, 4, 6)
    # tf.nn.space_to_depth: channel (i·2 + j)·3 + c holds colour c at row offset i, column offset j.
    for i in range(2):
        for j in range(2):
            for c in range(3):
                assert torch.equal(y[:, (i * 2 + j) * 3 + c], x[:, c, i::2, j::2])
    assert torch.equal(depth_to_space(y, 2), x)


def test_space_to_depth_unet_is_the_identity_untrained_and_round_trips_its_topology(tmp_path):
    m = UNet((8, 16), T=40, space_to_depth=2)
    assert m.downsampling == 4 and m.stem.in_channels == 12 and m.out.out_channels == 12
    x = torch.rand(2, 3, 16, 24)
    assert torch.equal(m(x, torch.tensor([3, 40])), x)
    export(m, tmp_path, {"id": "blur", "T": 40}, "float32")
    manifest, _ = read_tfjs(tmp_path)
    assert manifest["modelTopology"]["spaceToDepth"] == 2
    assert UNet.from_topology(manifest["modelTopology"]).space_to_depth == 2
    assert "spaceToDepth" not in UNet((8, 16)).topology()  # older models read as they always did


@pytest.mark.parametrize("quantization,tol", [("float32", 0.0), ("float16", 1e-3), ("uint8", 0.05)])
def test_export_round_trip(tmp_path, quantization, tol):
    m = UNet((8, 16))
    with torch.no_grad():
        for p in m.parameters():
            p.normal_(0, 0.1)
    decoded = export(m, tmp_path, {"id": "blur", "T": 40}, quantization)
    manifest, read = read_tfjs(tmp_path)
    assert manifest["format"] == "cold-diffusion-unet/1"
    group = manifest["weightsManifest"][0]
    assert group["sha256"] == [hashlib.sha256((tmp_path / p).read_bytes()).hexdigest() for p in group["paths"]]
    for k, v in decoded.items():
        assert np.array_equal(read[k], v)
    back = load_decoded_into(UNet((8, 16)), read)
    for (k, a), b in zip(m.state_dict().items(), back.state_dict().values()):
        assert (a - b).abs().max() <= tol * (a.abs().max() + 1e-6), k


def test_metrics_behave():
    x = torch.rand(2, 3, 32, 32) * 2 - 1
    assert torch.isinf(psnr(x, x)).all() or (psnr(x, x) > 100).all()
    assert torch.allclose(ssim(x, x), torch.ones(2, dtype=torch.float64))
    assert (sharpness(D.apply(x, 10), x) < 0.2).all()


def test_held_out_split_groups_every_variant_of_a_picture():
    key = picture_key("plasma-workspace-wallpapers", Path("usr/share/wallpapers/Kite/contents/images/640x480.jpg"))
    dark = picture_key("plasma-workspace-wallpapers", Path("usr/share/wallpapers/Kite/contents/images_dark/640x480.jpg"))
    assert key == dark == "plasma-workspace-wallpapers/Kite" and key in HELD_OUT
    assert picture_key("mate-backgrounds", Path("usr/share/backgrounds/mate/abstract/Elephants_3840x2160.jpg")) == "mate-backgrounds/abstract/Elephants"
    assert picture_key("gnome-backgrounds", Path("usr/share/backgrounds/gnome/wood-d.webp")) == "gnome-backgrounds/wood"
    # Lomiri names differ only after the first "_"; sway's sizes are one picture.
    assert picture_key("lomiri-wallpapers-16.04", Path("usr/share/backgrounds/Picture_0B_by_freespace.jpg")) != \
        picture_key("lomiri-wallpapers-16.04", Path("usr/share/backgrounds/Picture_1A_by_freespace.jpg"))
    assert picture_key("sway-backgrounds", Path("usr/share/backgrounds/sway/Sway_Wallpaper_Blue_1366x768.png")) == \
        picture_key("sway-backgrounds", Path("usr/share/backgrounds/sway/Sway_Wallpaper_Blue_768x1024_Portrait.png"))


def test_the_animorph_pool_is_never_restored_and_never_trained_on():
    from data import MIX_POOL, Picture, split
    pics = [Picture(k, Path(k), k.split("/")[0]) for k in [*MIX_POOL, *HELD_OUT, "lomiri-wallpapers-16.04/life_by_Aitzol_Berasategi"]]
    train, test = split(pics)
    assert not {p.key for p in train + test} & set(MIX_POOL)
    assert [p.key for p in train] == ["lomiri-wallpapers-16.04/life_by_Aitzol_Berasategi"]


# --- the other degradations -------------------------------------------------------------

from degradations import DEGRADATIONS, SPECS, make_degradation  # noqa: E402
from rng import normals, uniforms  # noqa: E402


def test_rng_is_uniform_and_normal_and_stateless():
    u = uniforms(3, 1, 20000)
    assert 0 <= u.min() and u.max() < 1 and abs(u.mean() - 0.5) < 0.01
    n = normals(3, 2, 20000)
    assert abs(n.mean()) < 0.03 and abs(n.std() - 1) < 0.03
    # Value i does not depend on how many were drawn. Not bit for bit: numpy's SIMD log and cos
    # round the last bit differently by the array's memory alignment (seen under tcmalloc).
    for count in (1, 8, 10, 16, 1000):
        assert np.allclose(normals(3, 2, count), n[:count], rtol=0, atol=1e-12)
    assert not np.allclose(normals(3, 2, 10), normals(3, 2, 11)[1:], rtol=0, atol=1e-3)


@pytest.mark.parametrize("id", sorted(SPECS))
def test_every_degradation_is_the_identity_at_zero_and_changes_the_image_at_T(id):
    D = make_degradation(id)
    x = torch.rand(2, 3, 32, 32) * 2 - 1
    assert torch.equal(D.apply(x, 0, seed=[4, 5]), x)
    assert float((D.apply(x, D.T, seed=[4, 5]) - x).abs().mean()) > 0.05
    d = D.describe()
    assert d["id"] == id and d["T"] == D.T


def test_pixelate_is_torch_bicubic_halving_then_nearest():
    import torch.nn.functional as F
    x = torch.rand(1, 3, 32, 32) * 2 - 1
    y = x
    for _ in range(2):
        y = F.interpolate(y, scale_factor=0.5, mode="bicubic", align_corners=False)
    expected = F.interpolate(y, scale_factor=4, mode="nearest")
    assert torch.allclose(make_degradation("pixelate").apply(x, 2), expected, atol=1e-5)


def test_seeded_degradations_use_one_seed_per_sample():
    x = torch.rand(1, 3, 32, 32).expand(2, 3, 32, 32) * 2 - 1
    for id in ("inpaint", "snow", "noise", "animorph"):
        D = make_degradation(id)
        same = D.apply(x, D.T // 2, seed=[7, 7])
        assert torch.equal(same[0], same[1]), id
        diff = D.apply(x, D.T // 2, seed=[7, 8])
        assert float((diff[0] - diff[1]).abs().max()) > 0.1, id
        assert torch.equal(D.apply(x[:1], D.T // 2, seed=7)[0], same[0]), id


def test_snow_only_brightens_and_inpaint_only_shrinks_towards_gray():
    x = torch.rand(1, 3, 32, 32) * 2 - 1
    assert float((make_degradation("snow").apply(x, 30, seed=1) - x).min()) >= -1e-6
    y = make_degradation("inpaint").apply(x, 30, seed=1)
    assert bool((y.abs() <= x.abs() + 1e-6).all())


def test_examples_grid_has_one_row_per_picture_and_five_columns_per_step():
    from evaluate import examples_grid
    m = UNet((8, 16), T=4).eval()
    img = examples_grid(m, make_degradation("pixelate"), torch.rand(3, 3, 32, 32) * 2 - 1, [2, 4])
    assert img.size == (32 * 10, 32 * 3)


def test_a_failed_package_download_names_the_package_and_says_why(tmp_path):
    from data import PackageDownloadError, download
    with pytest.raises(PackageDownloadError, match="no-such-package-for-this-test"):
        download("no-such-package-for-this-test", tmp_path)


def test_noise_samplers_never_read_the_noise_that_made_x_t(monkeypatch):
    import noise as noise_module
    from noise import Noise
    D = Noise()
    x0 = torch.rand(2, 3, 16, 16) * 2 - 1
    xs = D.apply(x0, 30, seed=[4, 5])

    def refuse(*_):
        raise AssertionError("a sampler read the noise that made x_t")
    monkeypatch.setattr(noise_module, "noise_field", refuse)
    oracle = lambda x, t: x0  # noqa: E731
    for fn in (naive, improved):
        # With the true x0 the estimated noise is the true noise: both end at x0.
        assert torch.allclose(fn(D, oracle, xs, 30), x0, atol=1e-4)
    # A poor restorer: the honest samplers still run (and improved is DDIM: naive takes the same step).
    poor = lambda x, t: x * 0.5  # noqa: E731
    assert torch.allclose(naive(D, poor, xs, 30), improved(D, poor, xs, 30), atol=1e-5)


def test_animorph_samplers_never_read_the_picture_that_made_x_t(monkeypatch):
    import animorph as animorph_module
    D = make_degradation("animorph")
    x0 = torch.rand(2, 3, 32, 32) * 2 - 1
    xs = D.apply(x0, 30, seed=[4, 5])

    def refuse(*_):
        raise AssertionError("a sampler read the picture that made x_t")
    monkeypatch.setattr(animorph_module, "pool_field", refuse)
    for fn in (naive, improved):
        assert torch.allclose(fn(D, lambda x, t: x0, xs, 30), x0, atol=1e-4)


def test_animorph_mixes_in_the_seeds_picture_whole_at_the_working_size_and_checks_its_digest(tmp_path):
    import shutil
    from animorph import POOL_DIR, PoolError, load_pool
    D = make_degradation("animorph")
    n = D.pool.shape[0]
    z = D.apply(torch.zeros(1, 3, 128, 128), D.T, seed=n + 2)[0]
    assert torch.allclose(z, torch.from_numpy(D.pool[2].transpose(2, 0, 1).astype(np.float32)) / 127.5 - 1, atol=1e-6)
    for f in ("pool.json", "pool.bin"):
        shutil.copy(POOL_DIR / f, tmp_path / f)
    raw = bytearray((tmp_path / "pool.bin").read_bytes())
    raw[5] ^= 0xFF
    (tmp_path / "pool.bin").write_bytes(bytes(raw))
    with pytest.raises(PoolError, match="SHA-256"):
        load_pool(tmp_path)


# --- the registry: what each degradation declares ------------------------------------------

def test_the_registry_is_eval_mds_order_and_each_module_declares_its_spec():
    import importlib
    assert [spec.id for spec in DEGRADATIONS] == ["blur", "pixelate", "inpaint", "snow", "decolorize", "noise", "animorph"]
    for id, spec in SPECS.items():
        # a size suffix ("blur-to-flat-64") names a variant declared beside its family's SPEC
        module = importlib.import_module(re.sub(r"-\d+$", "", id).replace("-", "_"))
        assert any(value is spec for value in vars(module).values())
        assert spec.create().id == id


@pytest.mark.parametrize("spec", DEGRADATIONS, ids=lambda spec: spec.id)
def test_every_restorer_has_its_card_and_report_texts(spec):
    from model_card import degradation_text
    assert spec.task and spec.eval_note
    text = degradation_text(spec.create().describe())
    assert f"T = {spec.create().T}" in " ".join(text) and "1e-4" in text[-1]


@pytest.mark.parametrize("id", sorted(SPECS))
def test_seeded_is_what_the_operator_does(id):
    D = make_degradation(id)
    x = torch.rand(1, 3, 32, 32) * 2 - 1
    differs = not torch.equal(D.apply(x, D.T // 2, seed=1), D.apply(x, D.T // 2, seed=2))
    assert differs == SPECS[id].seeded


@pytest.mark.parametrize("id", sorted(SPECS))
def test_every_recipe_is_a_train_py_command_line(id):
    from train import parse_args
    recipe = SPECS[id].recipe
    args = parse_args(["--run-dir", "run", "--out", "model", *recipe.train_arguments(), "--snapshots", recipe.snapshots])
    assert (args.steps, args.finetune_steps, args.quantization, args.channels) == \
        (recipe.steps, recipe.finetune_steps, recipe.quantization, recipe.channels)
    assert all(0 < int(pair.split(":")[1]) < recipe.steps for pair in recipe.snapshots.split(",") if pair)


def test_train_model_sh_gets_the_recipe_and_an_unknown_id_fails(monkeypatch, capsys):
    import degradations
    monkeypatch.setattr(sys, "argv", ["degradations.py", "recipe", "pixelate"])
    degradations.main()
    assert capsys.readouterr().out == "--channels 48,96,128,128 --space-to-depth 2 --steps 12000 --finetune-steps 1200 --quantization uint8 --log-every 20\n"
    monkeypatch.setattr(sys, "argv", ["degradations.py", "snapshots", "nothing-like-this"])
    with pytest.raises(SystemExit) as raised:
        degradations.main()
    assert raised.value.code == 2 and "no training recipe for 'nothing-like-this'" in capsys.readouterr().err


def test_training_falls_back_to_one_thread_when_the_rate_collapses_and_tries_two_a_minute_later():
    from train import ThreadFallback
    said = []
    before = torch.get_num_threads()
    try:
        threads = ThreadFallback(2, said.append)
        threads.update(1000.0, 64, now=0.0)
        threads.update(400.0, 64, now=1.0)
        assert threads.threads == 1 and said == ["throughput collapsed (400 < half of 1000 img/s): 1 thread"]
        threads.update(400.0, 64, now=30.0)
        assert threads.threads == 1
        threads.update(400.0, 64, now=62.0)
        assert threads.threads == 2
    finally:
        torch.set_num_threads(before)
