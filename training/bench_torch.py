"""Native PyTorch on a shipped model, for the benchmark's baseline (scripts/bench-browser.ts).

Writes, for the model: the input it timed (x_t of two samples, NCHW float32), PyTorch's output,
the network as ONNX (for onnxruntime-web, same weights) and the median forward times.
  /usr/bin/python3 training/bench_torch.py --model public/models/blur --out bench/tmp/blur --threads 1,2
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from degradations import make_degradation  # noqa: E402
from evaluate import load_exported  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def bench_input(T: int, degradation_id: str, size: int) -> tuple[torch.Tensor, int]:
    """Two gallery pictures degraded to t = T/2: what a step of the app feeds the network."""
    from PIL import Image
    pics = [np.asarray(Image.open(ROOT / "public" / "samples" / f"{n}.png").convert("RGB").resize((size, size)), dtype=np.float32)
            for n in ("ladybird", "kite")]
    x0 = torch.from_numpy(np.stack(pics)).permute(0, 3, 1, 2) / 127.5 - 1
    t = T // 2
    D = make_degradation(degradation_id)
    with torch.no_grad():
        return D.apply(x0, torch.full((2,), t), seed=[1, 1]), t


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--repeats", type=int, default=20)
    p.add_argument("--size", type=int, default=128)
    a = p.parse_args()
    model, manifest = load_exported(a.model)
    a.out.mkdir(parents=True, exist_ok=True)
    x, t = bench_input(model.T, manifest["degradation"]["id"], a.size)
    steps = torch.full((2,), t)
    times = {}
    with torch.no_grad():
        y = model(x, steps)
        for n in (int(s) for s in a.threads.split(",")):
            torch.set_num_threads(n)
            for _ in range(3):
                model(x, steps)
            runs = []
            for _ in range(a.repeats):
                t0 = time.perf_counter()
                model(x, steps)
                runs.append((time.perf_counter() - t0) * 1000)
            times[str(n)] = {"median_ms": statistics.median(runs), "min_ms": min(runs), "runs": len(runs)}
    x.numpy().astype("<f4").tofile(a.out / "input.bin")
    y.numpy().astype("<f4").tofile(a.out / "output-torch.bin")
    torch.onnx.export(model, (x, steps), a.out / "model.onnx", input_names=["x", "t"], output_names=["x0"], opset_version=13)
    info = {"model": str(a.model), "t": t, "shape": list(x.shape), "torch": torch.__version__, "times": times,
            "parameters": sum(p.numel() for p in model.parameters()), "topology": manifest["modelTopology"]}
    (a.out / "torch.json").write_text(json.dumps(info, indent=1) + "\n")
    print(json.dumps(info))


if __name__ == "__main__":
    main()
