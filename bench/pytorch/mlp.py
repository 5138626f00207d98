"""The PyTorch twin of `nabla bench mlp`: training steps per second of a 784-512-256-10 MLP.

Each hidden layer is Linear -> BatchNorm1d -> ReLU (Linear -> ReLU with --no-bn); cross-entropy loss; SGD with
momentum 0.9 and lr 0.01; one fixed random batch, so that only the step is timed, not data handling. A step is
what a training loop does per batch: zero the gradients, forward, loss, backward, optimizer step.

Timing, as `nabla bench mlp`: --warmup untimed steps, then --blocks blocks of --steps-per-block steps; each block
gives one samples/s figure, and the result reports their median, minimum and maximum.

    /usr/bin/python3 bench/pytorch/mlp.py --batch 128 --threads 2 [--no-bn]

`bench/compare mlp ...` runs it next to Nabla, with one PyTorch thread over --threads OpenBLAS threads.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

SIZES = (784, 512, 256, 10)


def build(nn, batch_norm):
    """The network: per hidden layer Linear, then BatchNorm1d when asked, then ReLU; a Linear to the classes."""
    layers = []
    for fan_in, fan_out in zip(SIZES[:-2], SIZES[1:-1]):
        layers.append(nn.Linear(fan_in, fan_out))
        if batch_norm:
            layers.append(nn.BatchNorm1d(fan_out))
        layers.append(nn.ReLU())
    layers.append(nn.Linear(SIZES[-2], SIZES[-1]))
    return nn.Sequential(*layers)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch", type=int, default=128, help="batch size (default 128)")
    parser.add_argument("--no-bn", action="store_true", help="leave out BatchNorm1d")
    parser.add_argument("--warmup", type=int, default=30, help="untimed steps first (default 30)")
    parser.add_argument("--blocks", type=int, default=5, help="timed blocks (default 5)")
    parser.add_argument("--steps-per-block", type=int, default=40, help="steps per block (default 40)")
    common.add_common_arguments(parser)
    args = parser.parse_args()

    common.set_up(args.threads, args.blas_threads)
    torch = common.import_torch(args.threads)
    torch.manual_seed(0)
    model = build(torch.nn, not args.no_bn)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    x = torch.randn(args.batch, SIZES[0])
    y = torch.randint(0, SIZES[-1], (args.batch,))

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()

    ms, interference = common.time_blocks(step, args)
    samples_per_s = [args.batch / m * 1e3 for m in ms]

    weights = sum(a * b for a, b in zip(SIZES[:-1], SIZES[1:]))
    flop_step = 6.0 * args.batch * weights   # forward 2BW + backward (dX, dW) 4BW; the matrix products only
    median = common.stats(samples_per_s)["median"]
    result = common.header("mlp", args, torch)
    result.update({
        "batch": args.batch, "bn": not args.no_bn,
        "samples_per_s": common.stats(samples_per_s), "ms_per_step": common.stats(ms),
        "gemm_flop_per_step": flop_step, "gemm_gflops_at_median": flop_step * median / args.batch / 1e9,
        "steps_timed": args.blocks * args.steps_per_block, "interference": interference,
    })
    s = result["samples_per_s"]
    print(f"mlp bn={not args.no_bn} batch={args.batch} threads={args.threads} "
          f"blas_threads={args.blas_threads or args.threads}: {s['median']:.0f} samples/s "
          f"(min {s['min']:.0f} max {s['max']:.0f}), {result['ms_per_step']['median']:.3f} ms/step, "
          f"{result['gemm_gflops_at_median']:.1f} GEMM-GFLOP/s, foreign CPU {interference['foreign_frac']:.3f}")
    common.emit(result, args.out)


if __name__ == "__main__":
    main()
