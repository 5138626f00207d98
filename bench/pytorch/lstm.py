"""The PyTorch twin of `nabla bench lstm`: a recurrent classifier that reads each 28 x 28 image as a sequence of
its 28 rows, input 28, hidden 128, batch-first, batch 64; the last hidden state goes through Linear(128, 10) and
cross-entropy; Adam with lr 1e-3.

Two measurements, as `nabla bench lstm`:
- timing (unless --no-time): ms per training step (zero the gradients, forward, cross-entropy, backward, Adam step) of
  each model in --time-models on a fixed random batch; --warmup untimed steps, then --blocks blocks of
  --steps-per-block steps, one figure per block, median, minimum and maximum;
- --grads: the gradient through time. One backward pass at PyTorch's default initialisation (seed 0: every weight
  and bias U(-1/sqrt(128), 1/sqrt(128))), and for every time step t the Frobenius norm of dLoss/dx_t over the
  batch (summed in float64), with the ratio of the first step's to the last's. On a random N(0, 1) batch, and on the
  first 64 Fashion-MNIST training images (pixels / 255) when --data names their directory.

With --train-epochs N, also the accuracy the recipe reaches: each model in --train-models trained on the whole
Fashion-MNIST training set (--data) for N epochs from --seed (weights and the shuffling), batch 64 reshuffled every
epoch, pixels / 255, Adam 1e-3, the 10 000 test images evaluated after each epoch: the twin of `nabla train --data
fashion-mnist --model lstm --hidden 128 --optimizer adam --lr 1e-3 --epochs N --seed S --no-standardize`; with
--standardize, the pixels standardized by the training set's mean and deviation, the twin of the same command without
--no-standardize.

Models: rnn (tanh), lstm, lstm_fb1 (an LSTM whose forget-gate bias starts at 1: bias_ih's forget slice 1,
bias_hh's 0; gate order i, f, g, o), gru.

    /usr/bin/python3 bench/pytorch/lstm.py --threads 2 [--time-models lstm,rnn] [--grads --no-time
        --data /usr/share/datasets/fashion-mnist]
    /usr/bin/python3 bench/pytorch/lstm.py --threads 2 --no-time --train-epochs 3 --seed 0 [--standardize]
        --data /usr/share/datasets/fashion-mnist
"""
import argparse
import gzip
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

FEATURES, HIDDEN, STEPS, BATCH, CLASSES = 28, 128, 28, 64, 10
MODELS = ("rnn", "lstm", "lstm_fb1", "gru")


def build(torch, model, seed=0):
    """The classifier of a model kind, its weights drawn from the seed."""
    if model not in MODELS:
        sys.exit(f"unknown model '{model}': use one of {', '.join(MODELS)}")
    nn = torch.nn

    class RecNet(nn.Module):
        def __init__(self):
            super().__init__()
            kind = {"rnn": nn.RNN, "gru": nn.GRU}.get(model, nn.LSTM)
            self.rnn = kind(FEATURES, HIDDEN, batch_first=True)
            if model == "lstm_fb1":
                with torch.no_grad():
                    self.rnn.bias_ih_l0[HIDDEN:2 * HIDDEN].fill_(1.0)
                    self.rnn.bias_hh_l0[HIDDEN:2 * HIDDEN].fill_(0.0)
            self.fc = nn.Linear(HIDDEN, CLASSES)

        def forward(self, x):
            _, h = self.rnn(x)
            if isinstance(h, tuple):
                h = h[0]
            return self.fc(h[-1])

    torch.manual_seed(seed)
    return RecNet()


def random_batch(torch, seed):
    """A random batch: inputs N(0, 1) of shape [64, 28, 28], labels uniform over the classes."""
    generator = torch.Generator().manual_seed(seed)
    return (torch.randn(BATCH, STEPS, FEATURES, generator=generator),
            torch.randint(0, CLASSES, (BATCH,), generator=generator))


def read_idx(directory, name, header):
    """The bytes of an IDX file of Fashion-MNIST (raw or .gz) after its header."""
    for path in (os.path.join(directory, name + ".gz"), os.path.join(directory, name)):
        if os.path.exists(path):
            with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
                return f.read()[header:]
    sys.exit(f"{os.path.join(directory, name)}(.gz) not found: install Debian's dataset-fashion-mnist "
             f"(sudo apt-get install dataset-fashion-mnist) or give --data DIR")


def fmnist(torch, directory, split):
    """A whole Fashion-MNIST split ("train" or "t10k") as images [N, 28, 28] in [0, 1] and labels."""
    pixels = read_idx(directory, split + "-images-idx3-ubyte", 16)
    labels = read_idx(directory, split + "-labels-idx1-ubyte", 8)
    x = torch.frombuffer(bytearray(pixels), dtype=torch.uint8).reshape(-1, STEPS, FEATURES).float() / 255.0
    return x, torch.frombuffer(bytearray(labels), dtype=torch.uint8).long()


def train_accuracy(torch, model, directory, epochs, seed, standardize):
    """Test accuracy after each of `epochs` epochs of the recipe on the whole training set, and seconds per epoch.
    With `standardize`, every pixel becomes (p - mean) / std, the mean and (population) standard deviation of all the
    training pixels, computed in float64: what `nabla train` does for a recurrent model unless --no-standardize."""
    x, y = fmnist(torch, directory, "train")
    x_test, y_test = fmnist(torch, directory, "t10k")
    if standardize:
        mean, std = float(x.double().mean()), float(x.double().std(unbiased=False))
        x, x_test = (x - mean) / std, (x_test - mean) / std
    net = build(torch, model, seed)
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    out = {"model": model, "seed": seed, "standardized": standardize, "epochs": []}
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        net.train()
        order = torch.randperm(x.shape[0])
        for i in range(0, x.shape[0], BATCH):
            index = order[i:i + BATCH]
            optimizer.zero_grad(set_to_none=True)
            loss_fn(net(x[index]), y[index]).backward()
            optimizer.step()
        seconds = time.perf_counter() - start
        net.eval()
        with torch.no_grad():
            correct = sum(int((net(x_test[i:i + 1000]).argmax(1) == y_test[i:i + 1000]).sum())
                          for i in range(0, x_test.shape[0], 1000))
        out["epochs"].append({"epoch": epoch, "train_s": seconds, "test_acc": correct / x_test.shape[0]})
    return out


def fmnist_batch(torch, directory):
    """The first 64 Fashion-MNIST training images as [64, 28, 28] in [0, 1], and their labels."""
    x, y = fmnist(torch, directory, "train")
    return x[:BATCH].clone(), y[:BATCH].clone()


def gradient_through_time(torch, model, x, y):
    """||dLoss/dx_t|| for t = 1..28 after one backward pass at initialisation, and the first-to-last ratio."""
    net = build(torch, model)
    x = x.clone().requires_grad_(True)
    loss = torch.nn.CrossEntropyLoss()(net(x), y)
    loss.backward()
    g = x.grad.double()
    steps = [float(g[:, t, :].norm()) for t in range(STEPS)]
    return {"model": model, "loss": float(loss), "steps": steps,
            "ratio_first_last": steps[0] / steps[-1] if steps[-1] else float("inf")}


def time_steps(torch, model, args):
    """Milliseconds per training step of a model, per block."""
    net = build(torch, model)
    net.train()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    x, y = random_batch(torch, 1)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss_fn(net(x), y).backward()
        optimizer.step()

    ms, interference = common.time_blocks(step, args)
    gates = {"rnn": 1, "gru": 3}.get(model, 4)
    # the products: forward 2·N·T·G·H·(I + H) multiply-adds counted as flops, backward twice that, plus the head
    flop = 6.0 * BATCH * STEPS * gates * HIDDEN * (FEATURES + HIDDEN) + 6.0 * BATCH * HIDDEN * CLASSES
    s = common.stats(ms)
    return {"model": model, "ms_per_step": s, "samples_per_s_median": BATCH / s["median"] * 1e3,
            "gemm_flop_per_step": flop, "gemm_gflops_at_median": flop / s["median"] / 1e6,
            "interference": interference}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--grads", action="store_true", help="the gradient norm at every time step")
    parser.add_argument("--data", default=None, help="with --grads: the Fashion-MNIST directory, for a real batch")
    parser.add_argument("--time-models", default="lstm,rnn",
                        help="models to time, comma-separated, from rnn, lstm, lstm_fb1, gru (default lstm,rnn)")
    parser.add_argument("--no-time", action="store_true", help="skip the timing (with --grads)")
    parser.add_argument("--warmup", type=int, default=10, help="untimed steps first (default 10)")
    parser.add_argument("--blocks", type=int, default=5, help="timed blocks (default 5)")
    parser.add_argument("--steps-per-block", type=int, default=20, help="steps per block (default 20)")
    parser.add_argument("--train-epochs", type=int, default=0,
                        help="train each of --train-models this many epochs on Fashion-MNIST (--data)")
    parser.add_argument("--train-models", default="lstm", help="models to train, comma-separated (default lstm)")
    parser.add_argument("--seed", type=int, default=0, help="with --train-epochs: the seed (default 0)")
    parser.add_argument("--standardize", action="store_true",
                        help="with --train-epochs: standardize the pixels by the training set's mean and deviation")
    common.add_common_arguments(parser)
    args = parser.parse_args()

    common.set_up(args.threads, args.blas_threads)
    torch = common.import_torch(args.threads)
    result = common.header("lstm", args, torch)
    result.update({"features": FEATURES, "hidden": HIDDEN, "steps": STEPS, "batch": BATCH})
    if args.grads:
        inputs = [("random_normal",) + random_batch(torch, 1)]
        if args.data:
            inputs.append(("fashion_mnist_first64",) + fmnist_batch(torch, args.data))
        result["grads"] = []
        for name, x, y in inputs:
            for model in MODELS:
                g = gradient_through_time(torch, model, x, y)
                g["input"] = name
                result["grads"].append(g)
                print(f"{name:22s} {model:8s} loss={g['loss']:.4f} ratio t1/t28={g['ratio_first_last']:.3e}")
                print("   t=1..28: " + " ".join(f"{v:.2e}" for v in g["steps"]), flush=True)
    if args.train_epochs:
        if not args.data:
            sys.exit("--train-epochs trains on Fashion-MNIST: give --data DIR (e.g. /usr/share/datasets/fashion-mnist)")
        result["training"] = []
        for model in args.train_models.split(","):
            t = train_accuracy(torch, model.strip(), args.data, args.train_epochs, args.seed, args.standardize)
            result["training"].append(t)
            for e in t["epochs"]:
                print(f"{t['model']:8s} seed {args.seed} epoch {e['epoch']}: test accuracy {e['test_acc']:.4f} "
                      f"({e['train_s']:.1f} s)", flush=True)
    if not args.no_time:
        result["timing"] = []
        for model in args.time_models.split(","):
            t = time_steps(torch, model.strip(), args)
            result["timing"].append(t)
            s = t["ms_per_step"]
            print(f"{t['model']:8s} {s['median']:.3f} ms/step (min {s['min']:.3f} max {s['max']:.3f}), "
                  f"{t['gemm_gflops_at_median']:.1f} GEMM-GFLOP/s, "
                  f"foreign CPU {t['interference']['foreign_frac']:.3f}", flush=True)
    common.emit(result, args.out)


if __name__ == "__main__":
    main()
