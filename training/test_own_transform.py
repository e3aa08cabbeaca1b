"""Checks of training/own_transform.py, the PyTorch mirror of a transform the visitor builds (mode=own).
Parity with the TypeScript operator is src/core/own/ownParity.test.ts on fixtures/parity/own.json."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from own_transform import (BLOCK_KINDS, BLOCKS, CURVES, MASK_PRESETS, Block, OwnDegradation, OwnTransform,  # noqa: E402
                           decode_mask, default_block, empty_mask, encode_mask, encode_transform, js_round, mask_field,
                           mask_preset, parse_transform, strength)
from rng import STREAM_OWN_NOISE, STREAM_OWN_TRAINING  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = encode_mask(mask_preset("scratch"))


def pictures(n: int = 2, h: int = 24, w: int = 20, seed: int = 0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return torch.rand(n, 3, h, w, generator=g) * 2 - 1


def test_streams_match_rng_ts():
    text = (ROOT / "src/core/degradations/rng.ts").read_text()
    assert f"STREAM_OWN_NOISE = {STREAM_OWN_NOISE};" in text
    assert f"STREAM_OWN_TRAINING = {STREAM_OWN_TRAINING};" in text


def test_block_table_matches_blocks_ts():
    """Same kinds, parameter keys, ranges, defaults and order as BLOCKS in src/core/own/blocks.ts."""
    text = (ROOT / "src/core/own/blocks.ts").read_text()
    body = text[text.index("export const BLOCKS = {"):text.index("} as const satisfies")]
    starts = [(m.start(), m.group(1)) for m in re.finditer(r"^  (\w+): \{$", body, re.M)]
    assert [kind for _, kind in starts] == list(BLOCK_KINDS)
    for (start, kind), (end, _) in zip(starts, [*starts[1:], (len(body), "")]):
        section = body[start:end]
        found = []
        for m in re.finditer(r"key: '(\w+)', label: '[^']*', min: (-?\d+), max: (-?\d+), default: (-?\d+)|colour\('(\w+)', '[^']*', (0x[0-9a-f]+)\)", section):
            if m.group(1):
                found.append((m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))))
            else:
                found.append((m.group(5), 0, 0xFFFFFF, int(m.group(6), 16)))
        assert found == [(p.key, p.min, p.max, p.default) for p in BLOCKS[kind]], kind


def test_strength_curves():
    for curve in CURVES:
        assert strength(curve, 0, 20) == 0 and strength(curve, 20, 20) == 1
    assert strength("linear", 5, 20) == 0.25
    assert strength("ease-in", 5, 20) == 0.0625
    assert strength("ease-out", 5, 20) == 1 - 0.75 * 0.75
    assert strength("linear", 30, 20) == 1  # clamped, as in blocks.ts


def test_js_round_rounds_halves_up():
    assert [js_round(v) for v in (0.5, 1.5, 2.5, 2.4999, -0.5, 3.0)] == [1, 2, 3, 2, 0, 3]


@pytest.mark.parametrize("link", [
    "20~gauss.l.4.4.0~darken.l.60",
    "5~defocus.o.8~contrast.i.50",
    f"20~mask.l.f2efe6.0.{SCRATCH}",
    "20~gauss.l.4.4.0~fade.o.75.d8dde3",
    "20~swirl.l.360.70~fade.i.40.808080",
    "50~swirl.i.-720.10~posterize.o.64~noise.l.100",
    f"7~pixelate.l.32~mask.o.000000.1.{encode_mask(mask_preset('circle'))}~motion.i.40.179",
])
def test_link_values_round_trip(link):
    transform = parse_transform(link)
    assert encode_transform(transform) == link
    assert OwnDegradation(link).key == link


def test_every_default_block_round_trips():
    for kind in BLOCK_KINDS:
        for curve in CURVES:
            t = OwnTransform(12, (Block(kind, curve, default_block(kind).values),), mask_preset("corner"))
            back = parse_transform(encode_transform(t))
            assert back == t and np.array_equal(back.mask, t.mask if kind == "mask" else empty_mask())


def test_fixture_links_round_trip():
    """The links of fixtures/parity/own.json, which the TypeScript test reads back with parseTransform
    and re-encodes to the same text (so encode_mask agrees with encodeMask)."""
    path = ROOT / "fixtures/parity/own.json"
    if not path.exists():
        pytest.skip("no fixtures/parity/own.json (make_fixtures.py --own-only)")
    links = {c["link"] for c in json.loads(path.read_text())["cases"]}
    assert links and all(encode_transform(parse_transform(link)) == link for link in links)


def test_masks_round_trip_as_171_characters():
    g = np.random.default_rng(0)
    for mask in [*(mask_preset(p) for p in MASK_PRESETS), empty_mask(), np.ones(1024, np.uint8), (g.random(1024) < 0.5).astype(np.uint8)]:
        text = encode_mask(mask)
        assert len(text) == 171 and re.fullmatch(r"[A-Za-z0-9_-]+", text)
        assert np.array_equal(decode_mask(text), mask)
    # Bit 0 is the top-left cell, the most significant bit of the first byte (encodeMask).
    one = empty_mask()
    one[0] = 1
    assert encode_mask(one).startswith("gA")


def test_mask_decoding_mirrors_atob():
    assert decode_mask(SCRATCH[:-1]) is None  # 127 bytes
    assert decode_mask(SCRATCH + "A") is None  # 172 characters: 129 bytes
    assert decode_mask(SCRATCH + "AA") is None  # 4k + 1 characters: atob fails
    assert decode_mask(SCRATCH[:-1] + "+") is None  # not base64url
    assert decode_mask(SCRATCH[:-1] + "=") is None
    assert decode_mask("") is None
    # The last character carries 2 bits past the last byte; atob ignores them, and so does decode_mask.
    last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".index(SCRATCH[-1])
    assert last & 3 == 0
    loose = SCRATCH[:-1] + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[last | 3]
    assert np.array_equal(decode_mask(loose), mask_preset("scratch"))


@pytest.mark.parametrize("link", [
    "", "gauss.l.4.4.0", "x~gauss.l.4.4.0", "20.0~gauss.l.4.4.0", "+20~gauss.l.4.4.0", "٢٠~darken.l.50",  # T is not an integer
    "4~gauss.l.4.4.0", "51~gauss.l.4.4.0", "-5~gauss.l.4.4.0",  # T outside 5..50
    "20", "20~",  # no block
    "20~blur.l.4", "20~__proto__.l.4", "20~Gauss.l.4.4.0",  # unknown block
    "20~gauss.x.4.4.0", "20~gauss.linear.4.4.0", "20~gauss", "20~gauss..4.4.0",  # bad curve
    "20~gauss.l.4.4", "20~gauss.l.4.4.0.0", "20~fade.l.50", "20~mask.l.808080.0",  # wrong value count
    "20~gauss.l.11.4.0", "20~gauss.l.4.4.180", "20~darken.l.0", "20~darken.l.101", "20~swirl.l.-721.50",
    "20~posterize.l.1", "20~pixelate.l.1", "20~mask.l.808080.2." + SCRATCH, "20~motion.l.1234567.0",  # out of range
    "20~darken.l.5a", "20~darken.l. 5", "20~darken.l.+5", "20~darken.l.1_0", "20~darken.l.50\n", "20~darken.l.٥",  # not integers
    "20~fade.l.50.12345", "20~fade.l.50.1234567", "20~fade.l.50.gggggg", "20~fade.l.50.0x1234",  # bad colours
    "20~gauss.l.1.1.0~darken.l.5~fade.l.5.000000~contrast.l.5",  # 4 blocks
    f"20~mask.l.808080.0.{SCRATCH}~mask.l.000000.1.{SCRATCH}",  # a second mask
    "20~mask.l.808080.0.", "20~mask.l.808080.0.abc", f"20~mask.l.808080.0.{SCRATCH}A", f"20~mask.l.808080.0.{SCRATCH[:-1]}+",  # bad bitmap
    "20~gauss.l.4.4.0~" + "darken.l.5" + "0" * 400,  # too long
])
def test_refuses_what_parse_transform_would_repair(link):
    with pytest.raises(ValueError):
        parse_transform(link)


def test_refuses_with_a_clear_message():
    with pytest.raises(ValueError, match="not a known block"):
        parse_transform("20~blur.l.4")
    with pytest.raises(ValueError, match=r"outside 0\.\.10"):
        parse_transform("20~gauss.l.11.4.0")
    with pytest.raises(ValueError, match="second painted mask"):
        parse_transform(f"20~mask.l.808080.0.{SCRATCH}~mask.l.000000.1.{SCRATCH}")
    with pytest.raises(ValueError, match="32×32 bitmap"):
        parse_transform("20~mask.l.808080.0.abc")


def test_negative_zero_reads_as_zero():
    """parseTransform takes "-0" as a number in range (JavaScript's -0); so does parse_transform."""
    assert parse_transform("20~gauss.l.4.4.-0").blocks[0].values == (4, 4, 0)


@pytest.mark.parametrize("kind", BLOCK_KINDS)
def test_every_block_is_the_identity_at_zero_and_keeps_the_shape_and_range(kind):
    x = pictures()
    for curve in CURVES:
        D = OwnDegradation(OwnTransform(10, (Block(kind, curve, default_block(kind).values),), mask_preset("circle")), seed=4)
        assert torch.equal(D.apply(x, 0), x)
        for t in (1, 5, 10):
            y = D.apply(x, t)
            assert y.shape == x.shape and y.dtype == x.dtype and torch.isfinite(y).all()
            if kind != "noise":  # every other block mixes, averages or rounds values of [-1, 1]
                assert float(y.min()) >= -1 - 1e-5 and float(y.max()) <= 1 + 1e-5, (kind, curve, t)
        assert float((D.apply(x, 10) - x).abs().max()) > 0.05, (kind, curve)


def test_tiny_and_thin_pictures():
    """Kernels wider than the picture are cropped and renormalised; a 1-pixel side has no border to reflect."""
    for h, w in ((1, 1), (1, 7), (3, 2), (5, 3)):
        x = pictures(1, h, w)
        for link in ("5~gauss.l.10.10.0", "5~defocus.l.16", "5~motion.l.40.45", "5~pixelate.l.32", "5~swirl.l.720.100",
                     f"5~mask.l.808080.0.{SCRATCH}"):
            y = OwnDegradation(link).apply(x, 5)
            assert y.shape == x.shape and torch.isfinite(y).all(), (link, h, w)


def test_blurs_keep_a_flat_picture_flat():
    x = torch.full((1, 3, 24, 20), 0.3)
    for link in ("5~gauss.l.7.2.33", "5~motion.l.20.70", "5~defocus.l.9", "5~pixelate.l.7", "5~swirl.l.400.80", "5~contrast.l.80"):
        assert float((OwnDegradation(link).apply(x, 3) - x).abs().max()) < 1e-6, link


def test_noise_field_follows_the_seed():
    x = pictures()
    a = OwnDegradation("10~noise.l.40", seed=1)
    assert torch.equal(a.apply(x, 7), OwnDegradation("10~noise.l.40", seed=1).apply(x, 7))
    assert not torch.equal(a.apply(x, 7), OwnDegradation("10~noise.l.40", seed=2).apply(x, 7))
    # σ = 40 % of the range [-1, 1] at T: a standard deviation of 0.8.
    assert abs(float((a.apply(x, 10) - x).std()) - 0.8) < 0.05


def test_per_sample_steps_and_seeds_match_one_at_a_time():
    x = pictures(4)
    D = OwnDegradation("20~gauss.i.3.1.120~swirl.o.300.60~noise.l.25", seed=9)
    t = torch.tensor([0, 7, 20, 7])
    seeds = [3, 5, 5, 6]
    y = D.apply(x, t, seed=seeds)
    for i in range(4):
        assert torch.equal(y[i:i + 1], D.apply(x[i:i + 1], int(t[i]), seed=seeds[i]))
    with pytest.raises(ValueError):
        D.apply(x, 21)
    with pytest.raises(ValueError):
        D.apply(x[:, :1], 3)


def test_nhwc_is_the_same_operator():
    x = pictures(2, 16, 22)
    D = OwnDegradation(f"9~mask.o.102030.0.{encode_mask(mask_preset('stripes'))}~posterize.l.4")
    assert torch.equal(D.apply_nhwc(x.permute(0, 2, 3, 1), 6), D.apply(x, 6).permute(0, 2, 3, 1))


def test_mask_grows_from_the_middle_or_fades_in():
    mask = mask_preset("circle")
    full = mask_field(mask, 1.0, 32, 32)
    early = mask_field(mask, 0.3, 32, 32)
    assert (early <= full + 1e-7).all() and early.sum() < full.sum()
    assert full[16, 16] == 1 and full[0, 0] == 0
    assert mask_field(empty_mask(), 1.0, 8, 8).max() == 0
    x = pictures()
    assert torch.equal(OwnDegradation(OwnTransform(10, (Block("mask", "linear", (0, 0)),), empty_mask())).apply(x, 10), x)
    fading = OwnDegradation(OwnTransform(10, (Block("mask", "linear", (0xFFFFFF, 1)),), np.ones(1024, np.uint8)))
    assert torch.allclose(fading.apply(x, 5), 0.5 * x + 0.5, atol=1e-6)


def test_offline_training_writes_a_restorer_file_the_page_reads(tmp_path):
    """train.py --degradation own (a few steps on random pictures), then own_model_file.py's pack: the zip
    holds model.json (the transform, T, float32 weights, the digest of weights.bin) and weights.bin."""
    import hashlib
    import zipfile

    from own_model_file import pack
    from train import ArraySampler, parse_args, train
    link = "8~gauss.l.3.1.45~darken.i.40"
    args = parse_args(["--degradation", "own", "--transform", link, "--run-dir", str(tmp_path / "run"), "--out", str(tmp_path / "model"),
                       "--channels", "8,16", "--space-to-depth", "2", "--steps", "3", "--finetune-steps", "0", "--crop", "16", "--batch", "2",
                       "--quantization", "float32", "--export-every", "0", "--threads", "1", "--no-bf16"])
    (tmp_path / "run").mkdir()
    images = np.random.default_rng(0).integers(0, 256, size=(4, 16, 16, 3), dtype=np.uint8)
    train(args, lambda _msg: None, OwnDegradation(link), ArraySampler(images), 4)
    packed = pack(tmp_path / "model", tmp_path / "restorer.zip", {"recipe": "offline", "steps": 3})
    with zipfile.ZipFile(tmp_path / "restorer.zip") as z:
        assert sorted(z.namelist()) == ["model.json", "weights.bin"]
        manifest = json.loads(z.read("model.json"))
        weights = z.read("weights.bin")
    assert manifest == packed
    assert manifest["degradation"] == {"id": "own", "T": 8, "transform": link}
    assert manifest["training"] == {"recipe": "offline", "steps": 3}
    assert manifest["weightsManifest"][0]["sha256"] == [hashlib.sha256(weights).hexdigest()]
    assert len(weights) == manifest["totalBytes"] == 4 * sum(int(np.prod(w["shape"])) for w in manifest["weightsManifest"][0]["weights"])


def test_a_restorer_file_is_float32_and_for_a_transform_of_your_own(tmp_path):
    from export_tfjs import export
    from own_model_file import pack
    from unet import UNet
    net = UNet((8, 16), T=6, space_to_depth=2)
    export(net, tmp_path / "q", {"id": "own", "T": 6, "transform": "6~darken.l.40"}, "float16")
    with pytest.raises(SystemExit, match="float32"):
        pack(tmp_path / "q", tmp_path / "a.zip", {})
    export(net, tmp_path / "b", {"id": "blur", "T": 6}, "float32")
    with pytest.raises(SystemExit, match="not for a transform of your own"):
        pack(tmp_path / "b", tmp_path / "b.zip", {})
