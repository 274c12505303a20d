#!/usr/bin/env python3
"""The PyTorch side of Tractable's `race` benchmark suite.

Needs PyTorch; this script installs nothing. On Debian/Ubuntu:

    apt-get install python3-torch libopenblas0-openmp    # PyTorch 1.13 on OpenBLAS, as raced in docs/benchmarks.md

Without an OpenBLAS package, Debian's torch runs on the reference BLAS (libblas3), several times slower; the first
reply names the BLAS library in use.

Protocol (driven by bench/Tractable.Bench's `race` suite; JSON, one object per line):
    python3 peer.py CASE --threads N
    <- {"case": CASE, "parameters": P, "torch": VERSION}
    -> {"row": ROW, "seconds": S, "warmup": W}
    <- {"row": ROW, "calls": n, "seconds": t, "cpu_seconds": c, "items_per_call": k}
    -> {"quit": true}
    <- {"peak_rss_mib": M}
A row is `train:B` (forward, backward and an Adam step on a batch of B), `density:B` (log-likelihood of B examples
without gradients), `sample:B` (B examples), `generate-fast:B` / `generate-naive:B` (WaveNet: B sequences, items
are samples). `python3 peer.py --list` prints the cases and their rows.
"""
import json
import resource
import sys
import time

try:
    import torch
except ImportError:
    sys.stderr.write("PyTorch is not installed. On Debian/Ubuntu: apt-get install python3-torch\n")
    sys.exit(3)

import models

# case -> (constructor, data of a batch of b, rows)
CASES = {
    "realnvp": (lambda: models.RealNVP(), lambda b: torch.randn(b, 8),
                ["train:64", "train:256", "density:256", "sample:256"]),
    "maf": (lambda: models.MAF(), lambda b: torch.randn(b, 8),
            ["train:64", "train:256", "density:256", "sample:256"]),
    "glow": (lambda: models.Glow(coupling="split"), lambda b: torch.randint(0, 256, (b, 1, 28, 28)).float(),
             ["train:64", "density:64", "sample:64"]),
    "glow-masked": (lambda: models.Glow(coupling="masked"), lambda b: torch.randint(0, 256, (b, 1, 28, 28)).float(),
                    ["train:64", "density:64", "sample:64"]),
    "pixelcnn": (lambda: models.PixelCNN(block="plain"), lambda b: torch.randint(0, 256, (b, 1, 28, 28)).float(),
                 ["train:64", "density:64", "sample:16"]),
    "pixelcnn-bottleneck": (lambda: models.PixelCNN(block="bottleneck"),
                            lambda b: torch.randint(0, 256, (b, 1, 28, 28)).float(),
                            ["train:64", "density:64", "sample:16"]),
    "wavenet": (lambda: models.WaveNet(), lambda b: torch.randint(0, 256, (b, 1025)),
                ["train:16", "density:16", "generate-naive:1", "generate-fast:1", "generate-fast:16"]),
}

GENERATED_SAMPLES = {"generate-naive": 32, "generate-fast": 1024}


def make_step(model, data, optimizer, kind, batch):
    """A callable doing one unit of work, and the number of items it produces."""
    if kind == "train":
        x = data(batch)

        def train():
            optimizer.zero_grad()
            (-model.log_prob(x).mean()).backward()
            optimizer.step()
        return train, batch
    if kind == "density":
        x = data(batch)

        def density():
            with torch.no_grad():
                model.log_prob(x).sum().item()
        return density, batch
    if kind == "sample":
        def sample():
            with torch.no_grad():
                model.sample(batch).sum().item()
        return sample, batch
    length = GENERATED_SAMPLES[kind]
    generate = model.generate_fast if kind == "generate-fast" else model.generate_naive

    def run():
        with torch.no_grad():
            generate(batch, length)
    return run, batch * length


def main():
    if "--list" in sys.argv:
        for name, (_, _, rows) in CASES.items():
            print(name, " ".join(rows))
        return
    case = sys.argv[1]
    threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 1
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    build, data, _ = CASES[case]
    model = build()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    if hasattr(model, "levels") and isinstance(model, models.Glow):
        with torch.no_grad():
            model.log_prob(data(64))                     # ActNorm's data-dependent initialization, as Tractable's
    count = sum(p.numel() for p in model.parameters())
    reply({"case": case, "parameters": count, "torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas()})
    steps = {}
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("quit"):
            break
        row = request["row"]
        kind, batch = row.split(":")
        if row not in steps:
            steps[row] = make_step(model, data, optimizer, kind, int(batch))
        step, items = steps[row]
        model.train(kind == "train")
        for _ in range(request.get("warmup", 2)):
            step()
        calls, start, cpu = 0, time.perf_counter(), time.process_time()
        while calls == 0 or time.perf_counter() - start < request["seconds"]:
            step()
            calls += 1
        reply({"row": row, "calls": calls, "seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu,
               "items_per_call": items})
    reply({"peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def blas():
    """The BLAS library mapped into this process: Debian's torch takes whichever libblas.so.3 is installed, and the
    reference BLAS (libblas3) is many times slower than OpenBLAS (apt-get install libopenblas0-openmp)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line}
    return ", ".join(sorted(paths)) or "unknown"


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
