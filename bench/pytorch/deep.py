"""The PyTorch twin of `nabla bench deep`: a deep narrow network, 20 x (Linear(256, 256) + activation) then
Linear(256, 10), batch 128, on random data.

Two measurements, as `nabla bench deep`:
- timing (unless --no-time): ms per training step (zero the gradients, forward, cross-entropy, backward, SGD with
  momentum 0.9 and lr 0.01) of each variant in --time-variants; --warmup untimed steps, then --blocks blocks of
  --steps-per-block steps, one figure per block, median, minimum and maximum;
- --grads: for every variant, the Frobenius norm of each hidden layer's weight gradient after one backward pass
  (layer 1 next to the input, layer 20 next to the output layer) and the ratio of layer 1's to layer 20's: how
  much of the gradient reaches the first layer. The norms are summed in float64, since the squares of the
  N(0, 1) network's gradients overflow float32.

Variants (the initialisation applies to the 20 hidden layers; the output layer keeps PyTorch's default):
  sigmoid_default  Sigmoid, PyTorch's default init, W and b ~ U(-1/16, 1/16)
  relu_kaiming     ReLU, W from kaiming_normal_ (fan_in, relu), b = 0
  sigmoid_bn       Linear -> BatchNorm1d (training mode) -> Sigmoid, default init
  tanh_xavier      Tanh, W from xavier_uniform_ (gain 1), b = 0
  relu_normal1     ReLU, W ~ N(0, 1), b = 0: the gradients explode

    /usr/bin/python3 bench/pytorch/deep.py --threads 2 [--time-variants sigmoid_default] [--grads --no-time]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

DEPTH, WIDTH, CLASSES, BATCH = 20, 256, 10, 128
VARIANTS = ("sigmoid_default", "relu_kaiming", "sigmoid_bn", "tanh_xavier", "relu_normal1")


def build(torch, variant):
    """The network of a variant, from seed 0, and its 20 hidden Linear layers."""
    if variant not in VARIANTS:
        sys.exit(f"unknown variant '{variant}': use one of {', '.join(VARIANTS)}")
    nn = torch.nn
    torch.manual_seed(0)
    activation = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU, "tanh": nn.Tanh}[variant.split("_")[0]]
    layers, hidden = [], []
    for _ in range(DEPTH):
        linear = nn.Linear(WIDTH, WIDTH)
        if variant == "relu_kaiming":
            nn.init.kaiming_normal_(linear.weight, mode="fan_in", nonlinearity="relu")
        elif variant == "tanh_xavier":
            nn.init.xavier_uniform_(linear.weight, gain=1.0)
        elif variant == "relu_normal1":
            nn.init.normal_(linear.weight, 0.0, 1.0)
        if variant in ("relu_kaiming", "tanh_xavier", "relu_normal1"):
            nn.init.zeros_(linear.bias)
        hidden.append(linear)
        layers.append(linear)
        if variant == "sigmoid_bn":
            layers.append(nn.BatchNorm1d(WIDTH))
        layers.append(activation())
    layers.append(nn.Linear(WIDTH, CLASSES))
    return nn.Sequential(*layers), hidden


def batch(torch, seed):
    """A random batch: inputs N(0, 1), labels uniform over the classes."""
    generator = torch.Generator().manual_seed(seed)
    return (torch.randn(BATCH, WIDTH, generator=generator),
            torch.randint(0, CLASSES, (BATCH,), generator=generator))


def gradient_norms(torch, variant):
    """Each hidden layer's weight-gradient norm after one backward pass, and the first-to-last ratio."""
    model, hidden = build(torch, variant)
    model.train()
    x, y = batch(torch, 1)
    loss = torch.nn.CrossEntropyLoss()(model(x), y)
    loss.backward()
    norms = [float(layer.weight.grad.double().norm()) for layer in hidden]
    return {"variant": variant, "loss": float(loss), "hidden_weight_grad_fro": norms,
            "output_layer_weight_grad_fro": float(model[-1].weight.grad.double().norm()),
            "ratio_layer1_over_layer20": norms[0] / norms[-1] if norms[-1] else float("inf")}


def time_steps(torch, variant, args):
    """Milliseconds per training step of a variant, per block."""
    model, _ = build(torch, variant)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    x, y = batch(torch, 1)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        optimizer.step()

    ms, interference = common.time_blocks(step, args)
    flop = 6.0 * BATCH * (DEPTH * WIDTH * WIDTH + WIDTH * CLASSES)
    s = common.stats(ms)
    return {"variant": variant, "ms_per_step": s, "samples_per_s_median": BATCH / s["median"] * 1e3,
            "gemm_gflops_at_median": flop / s["median"] / 1e6, "interference": interference}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--grads", action="store_true", help="the hidden layers' weight-gradient norms")
    parser.add_argument("--time-variants", default="sigmoid_default,sigmoid_bn,relu_kaiming",
                        help="variants to time, comma-separated (default sigmoid_default,sigmoid_bn,relu_kaiming)")
    parser.add_argument("--no-time", action="store_true", help="skip the timing (with --grads)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed steps first (default 20)")
    parser.add_argument("--blocks", type=int, default=5, help="timed blocks (default 5)")
    parser.add_argument("--steps-per-block", type=int, default=30, help="steps per block (default 30)")
    common.add_common_arguments(parser)
    args = parser.parse_args()

    common.set_up(args.threads, args.blas_threads)
    torch = common.import_torch(args.threads)
    result = common.header("deep", args, torch)
    result.update({"depth": DEPTH, "width": WIDTH, "batch": BATCH})
    if args.grads:
        result["grads"] = []
        for variant in VARIANTS:
            g = gradient_norms(torch, variant)
            result["grads"].append(g)
            print(f"{variant:16s} loss={g['loss']:.4g} ratio L1/L20={g['ratio_layer1_over_layer20']:.3e} "
                  f"output layer {g['output_layer_weight_grad_fro']:.3e}")
            print("   norms L1..L20: " + " ".join(f"{n:.3e}" for n in g["hidden_weight_grad_fro"]), flush=True)
    if not args.no_time:
        result["timing"] = []
        for variant in args.time_variants.split(","):
            t = time_steps(torch, variant.strip(), args)
            result["timing"].append(t)
            s = t["ms_per_step"]
            print(f"{t['variant']:16s} {s['median']:.3f} ms/step (min {s['min']:.3f} max {s['max']:.3f}), "
                  f"{t['gemm_gflops_at_median']:.1f} GEMM-GFLOP/s, "
                  f"foreign CPU {t['interference']['foreign_frac']:.3f}", flush=True)
    common.emit(result, args.out)


if __name__ == "__main__":
    main()
