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

Models: rnn (tanh), lstm, lstm_fb1 (an LSTM whose forget-gate bias starts at 1: bias_ih's forget slice 1,
bias_hh's 0; gate order i, f, g, o), gru.

    /usr/bin/python3 bench/pytorch/lstm.py --threads 2 [--time-models lstm,rnn] [--grads --no-time
        --data /usr/share/datasets/fashion-mnist]
"""
import argparse
import gzip
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

FEATURES, HIDDEN, STEPS, BATCH, CLASSES = 28, 128, 28, 64, 10
MODELS = ("rnn", "lstm", "lstm_fb1", "gru")


def build(torch, model):
    """The classifier of a model kind, from seed 0."""
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

    torch.manual_seed(0)
    return RecNet()


def random_batch(torch, seed):
    """A random batch: inputs N(0, 1) of shape [64, 28, 28], labels uniform over the classes."""
    generator = torch.Generator().manual_seed(seed)
    return (torch.randn(BATCH, STEPS, FEATURES, generator=generator),
            torch.randint(0, CLASSES, (BATCH,), generator=generator))


def fmnist_batch(torch, directory):
    """The first 64 Fashion-MNIST training images as [64, 28, 28] in [0, 1], and their labels."""
    def read(name, header, count):
        for path in (os.path.join(directory, name + ".gz"), os.path.join(directory, name)):
            if os.path.exists(path):
                with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
                    return f.read(header + count)[header:]
        sys.exit(f"{os.path.join(directory, name)}(.gz) not found: install Debian's dataset-fashion-mnist "
                 f"(sudo apt-get install dataset-fashion-mnist) or give --data DIR")
    pixels = read("train-images-idx3-ubyte", 16, BATCH * STEPS * FEATURES)
    labels = read("train-labels-idx1-ubyte", 8, BATCH)
    x = torch.tensor(list(pixels), dtype=torch.float32).reshape(BATCH, STEPS, FEATURES) / 255.0
    return x, torch.tensor(list(labels), dtype=torch.int64)


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
