"""Does PyTorch give the same weights on another number of threads? The question Nabla's DeterminismTest answers
for Nabla (yes, bit for bit), asked of PyTorch on the CPU.

Trains the same network from the same seed on the same batches (784-256-128-10 with BatchNorm1d and ReLU, Adam,
lr 1e-3, random batches of 64) for --steps steps, once per thread count, and counts the weights that differ from
the run on one thread.

    /usr/bin/python3 tools/pytorch-determinism.py [--steps 200]

It needs Debian's python3-torch.
"""
import argparse

import torch


def train(threads, steps):
    """The weights after `steps` steps on `threads` threads, from seed 0."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    nn = torch.nn
    model = nn.Sequential(nn.Linear(784, 256), nn.BatchNorm1d(256), nn.ReLU(),
                          nn.Linear(256, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Linear(128, 10))
    optimizer = torch.optim.Adam(model.parameters(), 1e-3)
    data = torch.Generator().manual_seed(1)
    for _ in range(steps):
        x = torch.rand(64, 784, generator=data)
        y = torch.randint(0, 10, (64,), generator=data)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return [p.detach().clone() for p in model.parameters()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    args = parser.parse_args()
    reference = train(1, args.steps)
    total = sum(w.numel() for w in reference)
    print(f"PyTorch {torch.__version__}, {args.steps} steps")
    for threads in (2, 3, 8):
        weights = train(threads, args.steps)
        differ = sum(int((a != b).sum()) for a, b in zip(reference, weights))
        largest = max(float((a - b).abs().max()) for a, b in zip(reference, weights))
        print(f"{threads} threads: {differ} of {total} weights differ from 1 thread's (largest difference {largest:.3g})")


if __name__ == "__main__":
    main()
