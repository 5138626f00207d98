"""The PyTorch twin of `nabla bench fmnist`: Fashion-MNIST end to end.

784-256-128-10 with Linear -> BatchNorm1d -> ReLU per hidden layer, cross-entropy, Adam with lr 1e-3 (or, with
--opt sgd, SGD with lr 0.05 and momentum 0.9), batch 128, --epochs epochs (default 5), the training set
reshuffled every epoch, then the 10 000 test images evaluated (BatchNorm's running statistics) after each epoch.
Pixels are scaled to [0, 1] with no other normalisation. The whole training set is one float32 tensor and a
batch is an index selection, with no DataLoader, so that data handling costs as little as Nabla's.

Reports the training seconds of each epoch (their median is what `bench/compare fmnist` compares), the test
accuracy, and the process's peak memory. The first epoch's time includes whatever PyTorch does on first use.

    /usr/bin/python3 bench/pytorch/fmnist.py --threads 2 [--data /usr/share/datasets/fashion-mnist]

The data: the four IDX files (raw or .gz) of Debian's dataset-fashion-mnist, or of any directory given.
"""
import time

PROCESS_START = time.perf_counter()

import argparse  # noqa: E402
import gzip  # noqa: E402
import os  # noqa: E402
import struct  # noqa: E402
import sys  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def read_idx(np, path):
    """An IDX file of unsigned bytes (magic 0 0 8 ndim, then ndim big-endian sizes, then the data)."""
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        data = f.read()
    zero, kind, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or kind != 0x08:
        sys.exit(f"{path}: not an IDX file of unsigned bytes")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    values = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if values.size != int(np.prod(dims)):
        sys.exit(f"{path}: {values.size} values where the header says {dims}")
    return values.reshape(dims)


def load(np, torch, directory):
    """Training images and labels, test images and labels, as tensors: images float32 [N, 784] in [0, 1]."""
    arrays = []
    for name in FILES:
        path = next((os.path.join(directory, name + ext) for ext in ("", ".gz")
                     if os.path.exists(os.path.join(directory, name + ext))), None)
        if path is None:
            sys.exit(f"{os.path.join(directory, name)}(.gz) not found: install Debian's dataset-fashion-mnist "
                     f"(sudo apt-get install dataset-fashion-mnist) or give --data DIR")
        arrays.append(read_idx(np, path))
    x_train, y_train, x_test, y_test = arrays
    images = [torch.from_numpy(x.reshape(-1, 784).astype(np.float32) / 255.0) for x in (x_train, x_test)]
    labels = [torch.from_numpy(y.astype(np.int64)) for y in (y_train, y_test)]
    return images[0], labels[0], images[1], labels[1]


def accuracy(torch, model, x, y):
    """The fraction of correct answers, in evaluation mode, in batches of 1000."""
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, x.shape[0], 1000):
            correct += int((model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum())
    return correct / x.shape[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist",
                        help="directory of the four IDX files (default /usr/share/datasets/fashion-mnist)")
    parser.add_argument("--opt", choices=("adam", "sgd"), default="adam",
                        help="adam (lr 1e-3, default) or sgd (lr 0.05, momentum 0.9)")
    parser.add_argument("--epochs", type=int, default=5, help="epochs (default 5)")
    parser.add_argument("--batch", type=int, default=128, help="batch size (default 128)")
    parser.add_argument("--seed", type=int, default=0, help="seed (default 0)")
    common.add_common_arguments(parser)
    args = parser.parse_args()

    common.set_up(args.threads, args.blas_threads)
    np = common.import_numpy()
    torch = common.import_torch(args.threads)
    torch.manual_seed(args.seed)
    import_s = time.perf_counter() - PROCESS_START

    start = time.perf_counter()
    x_train, y_train, x_test, y_test = load(np, torch, args.data)
    load_s = time.perf_counter() - start

    nn = torch.nn
    model = nn.Sequential(nn.Linear(784, 256), nn.BatchNorm1d(256), nn.ReLU(),
                          nn.Linear(256, 128), nn.BatchNorm1d(128), nn.ReLU(),
                          nn.Linear(128, 10))
    if args.opt == "adam":
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    else:
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()

    epochs = []
    with common.Interference() as interference:
        for epoch in range(1, args.epochs + 1):
            start = time.perf_counter()
            model.train()
            order = torch.randperm(x_train.shape[0])
            loss_sum, batches = 0.0, 0
            for i in range(0, x_train.shape[0], args.batch):
                index = order[i:i + args.batch]
                optimizer.zero_grad(set_to_none=True)
                loss = loss_fn(model(x_train[index]), y_train[index])
                loss.backward()
                optimizer.step()
                loss_sum += loss.item()
                batches += 1
            train_s = time.perf_counter() - start
            start = time.perf_counter()
            test_acc = accuracy(torch, model, x_test, y_test)
            eval_s = time.perf_counter() - start
            epochs.append({"epoch": epoch, "train_s": train_s, "eval_s": eval_s, "epoch_total_s": train_s + eval_s,
                           "train_loss": loss_sum / batches, "test_acc": test_acc, "batches": batches})
            print(f"epoch {epoch} train {train_s:.3f}s eval {eval_s:.3f}s loss {loss_sum / batches:.4f} "
                  f"test_acc {test_acc:.4f}", flush=True)

    result = common.header("fmnist", args, torch)
    result.update({
        "opt": args.opt, "seed": args.seed, "batch": args.batch, "epochs": epochs,
        "import_s": import_s, "load_s": load_s,
        "train_s_stats": common.stats(e["train_s"] for e in epochs),
        "epoch_total_s_stats": common.stats(e["epoch_total_s"] for e in epochs),
        "final_test_acc": epochs[-1]["test_acc"],
        "in_process_wall_s": time.perf_counter() - PROCESS_START,
        "peak_rss_mib": common.peak_rss_mib(), "interference": interference.result,
    })
    print(f"{args.opt}: final acc {result['final_test_acc']:.4f}, median train/epoch "
          f"{result['train_s_stats']['median']:.3f}s, peak RSS {result['peak_rss_mib']:.0f} MiB, "
          f"foreign CPU {interference.result['foreign_frac']:.3f}", flush=True)
    common.emit(result, args.out)


if __name__ == "__main__":
    main()
