"""Parity fixtures: what PyTorch computes, for the TypeScript tests to match.

  /usr/bin/python3 training/make_fixtures.py               # all committed fixtures
  /usr/bin/python3 training/make_fixtures.py --model DIR --out FILE   # outputs of one exported model
  /usr/bin/python3 training/make_fixtures.py --own-only     # only fixtures/parity/own.json

Tensors are stored NHWC (the browser's layout) as base64 little-endian float32.
"""
from __future__ import annotations

import argparse
import base64
import json
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from blur import Blur  # noqa: E402
from degradation_spec import DegradationSpec  # noqa: E402
from degradations import DEGRADATIONS, GENERATORS, make_degradation  # noqa: E402
from evaluate import load_exported  # noqa: E402
from export_tfjs import export, load_decoded_into  # noqa: E402
from samplers import SAMPLERS  # noqa: E402
from metrics import psnr, rmse, sharpness, ssim  # noqa: E402
from unet import UNet  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "parity"


def enc(x: torch.Tensor) -> dict:
    """NCHW tensor -> {shape (NHWC), data}."""
    a = x.detach().permute(0, 2, 3, 1).contiguous().numpy().astype("<f4")
    return {"shape": list(a.shape), "data": base64.b64encode(a.tobytes()).decode()}


def test_images(seed: int, n: int, h: int, w: int) -> torch.Tensor:
    """Smooth gradients, hard edges and noise: everything a blur and a net can get wrong."""
    g = torch.Generator().manual_seed(seed)
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, h), torch.linspace(-1, 1, w), indexing="ij")
    base = torch.stack([xx, yy, (xx * yy)], 0)
    edges = ((xx > 0.1) ^ (yy < -0.3)).float() * 1.2 - 0.6
    imgs = []
    for i in range(n):
        noise = torch.rand(3, h, w, generator=g) * 2 - 1
        imgs.append((0.5 * base + 0.3 * edges + 0.4 * noise * (i + 1) / n).clamp(-1, 1))
    return torch.stack(imgs)


def randomised_unet(channels: tuple[int, ...], T: int, seed: int, space_to_depth: int = 1) -> UNet:
    """A net with every weight random (the zero-initialised ones too), so parity is tested
    on every path, not only on the identity."""
    torch.manual_seed(seed)
    m = UNet(channels, T=T, space_to_depth=space_to_depth)
    with torch.no_grad():
        for p in m.parameters():
            p.normal_(0, 0.5 / max(1, p.shape[1] if p.ndim > 1 else 1) ** 0.5 * (3 if p.ndim == 4 else 1) ** -1)
    return m.eval()


def network_outputs(model: UNet, x: torch.Tensor, steps: list[int], sampler_start: int | None, degradation: str = "blur") -> dict:
    D = make_degradation(degradation)
    with torch.no_grad():
        res = {"input": enc(x), "predict": {str(t): enc(model(x, torch.full((x.shape[0],), t))) for t in steps}}
        if sampler_start is not None:
            R = lambda z, t: model(z, torch.full((z.shape[0],), t))  # noqa: E731
            xs = D.apply(x, sampler_start)
            res["samplers"] = {"start": sampler_start, "x_start": enc(xs),
                               **{k: enc(fn(D, R, xs, sampler_start)) for k, fn in SAMPLERS.items()}}
    return res


def write(path: Path, obj: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj) + "\n")
    print(f"wrote {path} ({path.stat().st_size // 1024} KiB)")


def metrics_fixture() -> dict:
    ref = test_images(11, 1, 32, 40)
    D = Blur()
    cases = []
    for name, x in (("blurred", D.apply(ref, 6)), ("noisy", (ref + 0.2 * torch.randn(ref.shape, generator=torch.Generator().manual_seed(3))).clamp(-1.2, 1.2))):
        cases.append({"name": name, "image": enc(x), "psnr": float(psnr(x, ref)), "rmse": float(rmse(x, ref)),
                      "ssim": float(ssim(x, ref)), "sharpness": float(sharpness(x, ref))})
    return {"reference": enc(ref), "cases": cases}


def operator_fixture(spec: DegradationSpec) -> dict:
    D = spec.create()
    steps = spec.fixture.steps or sorted({0, 1, D.T // 2, D.T})
    cases = []
    for case in spec.fixture.cases:
        x = test_images(case.image_seed, case.count, case.height, case.width)
        seeded = {} if case.seed is None else {"seed": case.seed}
        cases.append({**seeded, "input": enc(x), "outputs": {str(t): enc(D.apply(x, t, **seeded)) for t in steps}})
    return {"T": D.T, **{name: getattr(D, name) for name in spec.fixture.attributes}, "cases": cases}


def generation_start_fixture() -> dict:
    from blur_to_flat import fit_colour_prior, start_image
    g = np.random.default_rng(5)
    prior = fit_colour_prior(g.normal([-0.5, -0.2, 0.1], [0.2, 0.1, 0.3], size=(500, 3)))  # a full-rank colour Gaussian
    return {"start": prior, "cases": [{"seed": seed, "size": size, "image": enc(start_image(prior, seed, size))}
                                      for seed, size in ((0, 8), (2_999_999_999, 16))]}


def rng_fixture() -> dict:
    from rng import hashes, normals, uniforms
    return {"cases": [{"seed": seed, "stream": stream, "hashes": hashes(seed, stream, 8).tolist(),
                       "uniforms": uniforms(seed, stream, 8).tolist(), "normals": normals(seed, stream, 8).tolist()}
                      for seed, stream in ((0, 1), (7, 3), (4_294_967_295, 2), (123456789, 1))]}


def own_fixture() -> dict:
    """fixtures/parity/own.json: transforms the visitor could build (own_transform.py), every block kind,
    curve and mask mode at least once, on non-square pictures (and tiny ones, where kernels are cropped).
    Each case stores its link value: the TypeScript test rebuilds the transform with parseTransform."""
    from own_transform import OwnDegradation, encode_mask, mask_preset
    masks = {name: encode_mask(mask_preset(name)) for name in ("circle", "stripes", "scratch", "corner")}
    full = encode_mask(np.ones(32 * 32, dtype=np.uint8))  # nothing clear: the distance to a clear cell is the side
    spread = lambda T: sorted({0, 1, 2, 3, T // 4, T // 2, (3 * T) // 4, T - 1, T})  # noqa: E731
    # (link, seed, [(image seed, count, height, width)], steps: None for every t in 0..T)
    plan = [
        ("6~gauss.l.4.2.30", 0, [(21, 2, 24, 20), (22, 1, 3, 4)], None),
        ("7~motion.i.15.40~darken.o.60", 0, [(23, 2, 21, 17)], None),
        ("5~defocus.o.5~contrast.i.70", 0, [(24, 2, 24, 20), (25, 1, 5, 3)], None),
        (f"8~mask.l.f2efe6.0.{masks['circle']}", 0, [(26, 2, 24, 20)], None),
        (f"6~mask.i.102030.1.{masks['scratch']}~fade.o.80.3366cc", 0, [(27, 2, 16, 22)], None),
        ("10~pixelate.o.7", 0, [(28, 2, 24, 20)], spread(10)),
        ("5~posterize.o.3~gauss.i.0.6.150", 0, [(29, 2, 21, 17)], None),
        ("12~swirl.l.-540.80", 0, [(30, 2, 21, 17)], spread(12)),
        ("6~noise.l.30", 3_000_000_017, [(31, 2, 21, 17)], None),
        ("20~gauss.i.3.1.120~swirl.o.300.60~noise.l.25", 5, [(32, 2, 24, 20)], spread(20)),
        (f"50~pixelate.o.6~mask.o.804020.0.{masks['stripes']}~posterize.i.8", 0, [(33, 2, 24, 20)], spread(50)),
        (f"5~mask.l.ffffff.1.{masks['corner']}~motion.l.5.90", 0, [(34, 1, 12, 9)], None),
        (f"5~mask.o.000000.0.{full}~defocus.l.16", 0, [(35, 1, 10, 13)], None),
    ]
    cases = []
    for link, seed, images, steps in plan:
        D = OwnDegradation(link, seed)
        assert D.key == link, (D.key, link)
        for image_seed, count, height, width in images:
            x = test_images(image_seed, count, height, width)
            cases.append({"link": link, "seed": seed, "input": enc(x),
                          "outputs": {str(t): enc(D.apply(x, t)) for t in (steps or range(D.T + 1))}})
    return {"cases": cases}


def own_file_fixture() -> None:
    """fixtures/parity/own-file/: a restorer file as the offline command writes it (own_model_file.py) for a
    transform of your own, with a random network, and what it computes: the page must open it and agree."""
    import tempfile

    from own_model_file import pack
    from own_transform import OwnDegradation
    link = "6~gauss.l.3.1.45~darken.i.40"
    model = randomised_unet((8, 16), T=6, seed=13, space_to_depth=2)
    d = FIXTURES / "own-file"
    with tempfile.TemporaryDirectory() as tmp:
        decoded = export(model, Path(tmp), {"id": "own", "T": 6, "transform": link}, "float32")
        pack(Path(tmp), d / "restorer.zip", {"recipe": "offline", "steps": 0, "trainedIn": "training/make_fixtures.py"})
    browser_view = load_decoded_into(randomised_unet((8, 16), 6, 0, space_to_depth=2), decoded)
    D = OwnDegradation(link)
    R = lambda z, t: browser_view(z, torch.full((z.shape[0],), t))  # noqa: E731
    x = test_images(7, 1, 16, 20)
    with torch.no_grad():
        xs = D.apply(x, 4)
        write(d / "outputs.json", {"transform": link, "input": enc(x), "predict": {str(t): enc(R(x, t)) for t in (1, 3, 6)},
                                   "samplers": {"start": 4, "x_start": enc(xs), **{k: enc(fn(D, R, xs, 4)) for k, fn in SAMPLERS.items()}}})


def committed_fixtures(only: str | None = None) -> None:
    """only: write just the operator fixtures (the network fixtures are bound to their random shards),
    or ("own") just fixtures/parity/own.json."""
    if only == "own":
        write(FIXTURES / "own.json", own_fixture())
        own_file_fixture()
        return
    write(FIXTURES / "rng.json", rng_fixture())
    for spec in [*DEGRADATIONS, *GENERATORS]:
        write(FIXTURES / f"{spec.id}.json", operator_fixture(spec))
    write(FIXTURES / "own.json", own_fixture())
    own_file_fixture()
    write(FIXTURES / "generation-start.json", generation_start_fixture())
    if only == "operators":
        return
    write(FIXTURES / "metrics.json", metrics_fixture())
    model = randomised_unet((8, 16, 16), T=40, seed=7)
    x = test_images(3, 2, 16, 24)
    for q in ("float32", "float16", "uint8"):
        d = FIXTURES / f"unet-{q}"
        decoded = export(model, d, {"id": "blur", "T": 40}, q)
        browser_view = load_decoded_into(randomised_unet((8, 16, 16), 40, 0), decoded)
        write(d / "outputs.json", network_outputs(browser_view, x, [1, 13, 40], 3 if q == "float32" else None))
    space_to_depth_fixture()


def space_to_depth_fixture() -> None:
    """The space-to-depth variant: its fold, unfold and 12-channel stem and output, on every path."""
    model = randomised_unet((8, 16), T=40, seed=11, space_to_depth=2)
    d = FIXTURES / "unet-space-to-depth"
    decoded = export(model, d, {"id": "blur", "T": 40}, "float32")
    browser_view = load_decoded_into(randomised_unet((8, 16), 40, 0, space_to_depth=2), decoded)
    write(d / "outputs.json", network_outputs(browser_view, test_images(5, 2, 16, 24), [1, 13, 40], 3))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--model", type=Path, help="an exported model dir; writes its outputs on --image-size test images")
    p.add_argument("--out", type=Path)
    p.add_argument("--image-size", type=int, default=32)
    p.add_argument("--image", type=Path, help="a PNG to use as input instead of a synthetic pattern")
    p.add_argument("--steps", default="1,20")
    p.add_argument("--sampler-start", type=int, default=2)
    p.add_argument("--operators-only", action="store_true", help="rewrite only the rng and operator fixtures")
    p.add_argument("--own-only", action="store_true", help="rewrite only fixtures/parity/own.json and own-file/ (the visitor's transforms)")
    args = p.parse_args()
    torch.set_num_threads(1)
    if args.model:
        model, manifest = load_exported(args.model)
        if args.image:
            from PIL import Image
            a = np.asarray(Image.open(args.image).convert("RGB"), dtype=np.float32)
            x = torch.from_numpy(a).permute(2, 0, 1)[None] / 127.5 - 1
            top = (x.shape[2] - args.image_size) // 2
            left = (x.shape[3] - args.image_size) // 2
            x = x[:, :, top:top + args.image_size, left:left + args.image_size]  # centre crop: keeps the fixture small
        else:
            x = test_images(5, 1, args.image_size, args.image_size)
        write(args.out, network_outputs(model, x, [int(s) for s in args.steps.split(",")], args.sampler_start, manifest["degradation"]["id"]))
    else:
        committed_fixtures("own" if args.own_only else "operators" if args.operators_only else None)


if __name__ == "__main__":
    main()
