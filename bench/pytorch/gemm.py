"""The numpy/PyTorch twin of `nabla bench gemm`: float32 matrix-product GFLOP/s.

At the shapes of `nabla bench gemm` (square 128 to 2048, and the three products of the MLP's first layer to its
last at batch 128), or at one shape given with --m --k --n. The product is written into an array allocated
beforehand (numpy.matmul(out=) or torch.mm(out=)), so that allocation is not timed. After 3 warm-up calls, each
of --repeats repeats runs as many calls as fill --min-time seconds, and gives 2·m·k·n·calls / time; the result
reports the median, minimum and maximum over the repeats. --op atb (C = Aᵀ·B, A stored k×m) and --op abt
(C = A·Bᵀ, B stored n×k) time the transposed products, on transposed views as the BLAS takes them.

    /usr/bin/python3 bench/pytorch/gemm.py --lib numpy --threads 2

--threads is the number of OpenBLAS threads (and PyTorch's, with --lib torch).
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

# label, m, k, n: C[m, n] = A[m, k] · B[k, n]
SHAPES = (
    ("sq128", 128, 128, 128),
    ("sq256", 256, 256, 256),
    ("sq512", 512, 512, 512),
    ("sq1024", 1024, 1024, 1024),
    ("sq2048", 2048, 2048, 2048),
    ("mlp1 128x784*784x512", 128, 784, 512),
    ("mlp2 128x512*512x256", 128, 512, 256),
    ("mlp3 128x256*256x10", 128, 256, 10),
)


def product(lib, np, torch, op, a, b, c):
    """A function that computes one product into c, with A and B stored as --op says."""
    if lib == "torch":
        a, b, c = torch.from_numpy(a), torch.from_numpy(b), torch.from_numpy(c)
        left = a.t() if op == "atb" else a
        right = b.t() if op == "abt" else b
        return lambda: torch.mm(left, right, out=c)
    left = a.T if op == "atb" else a
    right = b.T if op == "abt" else b
    return lambda: np.matmul(left, right, out=c)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lib", choices=("numpy", "torch"), default="numpy", help="numpy (default) or torch")
    parser.add_argument("--m", type=int, help="rows of A and C (with --k and --n: measure this one shape)")
    parser.add_argument("--k", type=int, help="columns of A, rows of B")
    parser.add_argument("--n", type=int, help="columns of B and C")
    parser.add_argument("--op", choices=("ab", "atb", "abt"), default="ab", help="the product (default ab)")
    parser.add_argument("--repeats", type=int, default=7, help="timed repeats (default 7)")
    parser.add_argument("--min-time", type=float, default=0.15, help="seconds per repeat (default 0.15)")
    common.add_common_arguments(parser, threads_help="OpenBLAS's threads, and PyTorch's with --lib torch")
    args = parser.parse_args()
    shapes = SHAPES
    if args.m is not None or args.k is not None or args.n is not None:
        if None in (args.m, args.k, args.n) or min(args.m, args.k, args.n) < 1:
            parser.error("give all of --m, --k and --n, each at least 1, to measure one shape")
        shapes = ((f"{args.m}x{args.k}*{args.k}x{args.n}", args.m, args.k, args.n),)

    common.set_up(args.threads, args.blas_threads)
    np = common.import_numpy()
    torch = common.import_torch(args.threads) if args.lib == "torch" else None

    rng = np.random.default_rng(0)
    results = []
    with common.Interference() as interference:
        for label, m, k, n in shapes:
            a = rng.standard_normal((k, m) if args.op == "atb" else (m, k), dtype=np.float32)
            b = rng.standard_normal((n, k) if args.op == "abt" else (k, n), dtype=np.float32)
            c = np.empty((m, n), dtype=np.float32)
            call = product(args.lib, np, torch, args.op, a, b, c)
            for _ in range(3):
                call()
            start = time.perf_counter()
            call()
            calls = max(1, int(args.min_time / max(time.perf_counter() - start, 1e-7)))
            flop = 2.0 * m * k * n
            gflops = []
            for _ in range(args.repeats):
                start = time.perf_counter()
                for _ in range(calls):
                    call()
                gflops.append(flop * calls / (time.perf_counter() - start) / 1e9)
            s = common.stats(gflops)
            s.update(label=label, m=m, k=k, n=n, iters=calls, us_per_call=flop / s["median"] / 1e3)
            if args.op != "ab":
                s["op"] = args.op
            results.append(s)
            print(f"{args.lib:5s} t={args.threads} {(label if args.op == 'ab' else args.op + ' ' + label):24s} "
                  f"{s['median']:8.1f} GFLOP/s (min {s['min']:.1f} max {s['max']:.1f}) "
                  f"{s['us_per_call']:.1f} us/call", flush=True)
    print(f"foreign CPU during the run: {interference.result['foreign_frac']:.3f} of the machine")
    result = common.header("gemm", args, torch)
    result.update({"lib": args.lib, "numpy": np.__version__, "interference": interference.result,
                   "results": results})
    common.emit(result, args.out)


if __name__ == "__main__":
    main()
