"""PyTorch's dense conv3d (cuDNN) and fp32 GEMM on the GPU machine: the dense side of issue 10's
figures, set beside GpuBenchmark's sparse ones. Writes one JSON object a line to <out>/dense.jsonl.

    python3 sparse-cuda/bench/dense_conv3d.py <out>
"""
import json
import sys
import time

import torch


def median_ms(fn, warmup=3, runs=10):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        times.append((time.perf_counter() - start) * 1e3)
    times.sort()
    return (times[runs // 2 - 1] + times[runs // 2]) / 2


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    torch.backends.cuda.matmul.allow_tf32 = False  # fp32, like our kernels
    torch.backends.cudnn.allow_tf32 = False
    dev = torch.device("cuda")
    rows = []
    n = 8192
    a = torch.randn(n, n, device=dev)
    b = torch.randn(n, n, device=dev)
    ms = median_ms(lambda: a @ b)
    rows.append({"case": "torch.mm fp32", "n": n, "ms": ms, "gflops": 2 * n ** 3 / (ms * 1e6),
                 "device": torch.cuda.get_device_name()})
    del a, b
    for c in (32, 64):
        for grid in (128, 256):
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats()
            conv = torch.nn.Conv3d(c, c, 3, padding=1, bias=False).to(dev)
            x = torch.randn(1, c, grid, grid, grid, device=dev, requires_grad=True)
            with torch.no_grad():
                fwd = median_ms(lambda: conv(x))
            peak_fwd = torch.cuda.max_memory_allocated()
            torch.cuda.reset_peak_memory_stats()

            def step():
                y = conv(x)
                y.backward(torch.ones_like(y))

            train = median_ms(step)
            rows.append({"case": "torch conv3d dense", "c": c, "grid": grid, "forwardMs": fwd,
                         "forwardBackwardMs": train, "forwardPeakBytes": peak_fwd,
                         "trainPeakBytes": torch.cuda.max_memory_allocated()})
            del conv, x
    with open(f"{out}/dense.jsonl", "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    for r in rows:
        print(r)


if __name__ == "__main__":
    main()
