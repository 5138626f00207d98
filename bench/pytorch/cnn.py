"""The PyTorch twin of `nabla train --model cnn` on Fashion-MNIST: the network
nn.Sequential(Conv2d(1, 32, 3, padding=1), BatchNorm2d(32), ReLU(), MaxPool2d(2),
              Conv2d(32, 64, 3, padding=1), BatchNorm2d(64), ReLU(), MaxPool2d(2),
              Flatten(), Linear(3136, 128), ReLU(), Linear(128, 10)), cross-entropy.

Two measurements:
- --time (the default): ms per training step (zero the gradients, forward, cross-entropy, backward, SGD step with
  momentum 0.9 and lr 0.01) on a fixed random batch of --batch images (default 64); --warmup untimed steps, then
  --blocks blocks of --steps-per-block steps, one figure per block, median, minimum and maximum;
- --fmnist DIR: training end to end, Adam with lr 1e-3, batches of --batch (default 128 here, as for the
  MLP twin), --epochs epochs (default 3) reshuffled with torch.randperm, the test set evaluated in evaluation mode
  after each epoch; training seconds per epoch, test accuracy per epoch and the peak RSS.

PyTorch's convolutions run through oneDNN on its own OpenMP threads: give --threads 2 --blas-threads 1.

    /usr/bin/python3 bench/pytorch/cnn.py --threads 2 --blas-threads 1 [--batch 64]
    /usr/bin/python3 bench/pytorch/cnn.py --fmnist /usr/share/datasets/fashion-mnist --threads 2 --blas-threads 1
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def build(torch):
    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))


def flop_per_sample():
    """Multiply-adds times 2 of the convolutions and the Linear layers, forward only."""
    return 2.0 * (28 * 28 * 32 * 9 + 14 * 14 * 64 * 32 * 9 + 3136 * 128 + 128 * 10)


def time_steps(torch, args):
    torch.manual_seed(0)
    model = build(torch)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    x = torch.randn(args.batch, 1, 28, 28)
    y = torch.randint(0, 10, (args.batch,))

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        optimizer.step()

    ms, interference = common.time_blocks(step, args)
    s = common.stats(ms)
    flop = 3.0 * flop_per_sample() * args.batch   # forward, and the input and weight gradients
    return {"ms_per_step": s, "samples_per_s": common.stats(args.batch / m * 1e3 for m in ms),
            "flop_per_step": flop, "gflops_at_median": flop / s["median"] / 1e6, "interference": interference}


def train_fmnist(torch, args):
    import numpy
    import fmnist
    x_train, y_train, x_test, y_test = fmnist.load(numpy, torch, args.fmnist)
    x_train, x_test = x_train.reshape(-1, 1, 28, 28), x_test.reshape(-1, 1, 28, 28)
    torch.manual_seed(args.seed)
    model = build(torch)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    epochs = []
    for epoch in range(1, args.epochs + 1):
        model.train()
        start = time.perf_counter()
        order = torch.randperm(x_train.shape[0])
        for i in range(0, x_train.shape[0], args.batch):
            index = order[i:i + args.batch]
            optimizer.zero_grad(set_to_none=True)
            loss_fn(model(x_train[index]), y_train[index]).backward()
            optimizer.step()
        train_s = time.perf_counter() - start
        accuracy = fmnist.accuracy(torch, model, x_test, y_test)
        epochs.append({"epoch": epoch, "train_s": train_s, "test_acc": accuracy})
        print(f"epoch {epoch}: train {train_s:.1f} s, test accuracy {accuracy:.4f}", flush=True)
    return {"epochs": epochs, "train_s_stats": common.stats(e["train_s"] for e in epochs),
            "final_test_acc": epochs[-1]["test_acc"], "peak_rss_mib": common.peak_rss_mib()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--time", action="store_true", help="time the training step (the default without --fmnist)")
    parser.add_argument("--fmnist", default=None, help="train on the Fashion-MNIST IDX files in this directory")
    parser.add_argument("--batch", type=int, default=None, help="batch size (default 64 for --time, 128 for --fmnist)")
    parser.add_argument("--epochs", type=int, default=3, help="epochs of --fmnist (default 3)")
    parser.add_argument("--seed", type=int, default=0, help="seed of --fmnist (default 0)")
    parser.add_argument("--warmup", type=int, default=10, help="untimed steps first (default 10)")
    parser.add_argument("--blocks", type=int, default=5, help="timed blocks (default 5)")
    parser.add_argument("--steps-per-block", type=int, default=20, help="steps per block (default 20)")
    common.add_common_arguments(parser)
    args = parser.parse_args()

    common.set_up(args.threads, args.blas_threads)
    torch = common.import_torch(args.threads)
    result = common.header("cnn", args, torch)
    if args.time or not args.fmnist:
        args.batch = args.batch or 64
        timing = time_steps(torch, args)
        result.update({"batch": args.batch, "timing": timing})
        s = timing["ms_per_step"]
        print(f"cnn batch {args.batch}: {s['median']:.2f} ms/step (min {s['min']:.2f} max {s['max']:.2f}), "
              f"{timing['gflops_at_median']:.1f} GFLOP/s, foreign CPU {timing['interference']['foreign_frac']:.3f}",
              flush=True)
    if args.fmnist:
        args.batch = args.batch or 128
        result.update({"fmnist_batch": args.batch, "fmnist": train_fmnist(torch, args)})
    common.emit(result, args.out)


if __name__ == "__main__":
    main()
