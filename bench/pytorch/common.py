"""What the PyTorch twins of `nabla bench` share: the BLAS set-up, imports with a clear message, timing
statistics, interference from other processes, and the result line.

The twins run the workloads of `nabla bench` (same shapes, optimizer, batch, flags, timing method and result
fields) on PyTorch or numpy, so that `bench/compare` can put the two side by side. This module imports neither
torch nor numpy at the top, so that `bench/compare` (which only needs the standard library) can use
`blas_environment` too.

The BLAS set-up (`blas_environment`), applied before torch or numpy is imported, since OpenBLAS and OpenMP read
their variables when they load:
- OPENBLAS_CORETYPE=SKYLAKEX on a CPU with AVX-512: Debian's OpenBLAS 0.3.21 takes some AVX-512 CPUs for a generic
  one ("Prescott") and then runs its GEMMs about 4x slower. On a CPU without AVX-512 the variable is left alone
  (OpenBLAS's own choice is right there, and SKYLAKEX kernels would stop the process with an illegal instruction).
- OMP_WAIT_POLICY=PASSIVE: an OpenMP thread that waits sleeps instead of spinning, so it does not take a core
  from OpenBLAS's threads.
Threads: `--threads N` sets PyTorch's threads and OpenBLAS's, `--blas-threads M` OpenBLAS's alone. On 2 cores,
N PyTorch threads next to N OpenBLAS threads spin against each other and a training step is 3-4x slower; one
PyTorch thread over N OpenBLAS threads was the fastest set-up measured, and is what `bench/compare` asks for.
"""
import ctypes
import json
import os
import statistics
import sys
import time

INSTALL = ("sudo apt-get install python3-torch python3-numpy libopenblas0-pthread "
           "(Debian's packages; run the scripts with /usr/bin/python3)")

# The flags OpenBLAS's SKYLAKEX kernels use.
AVX512_FLAGS = ("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl")


def cpu_has_avx512():
    """True when /proc/cpuinfo lists every AVX-512 extension the SKYLAKEX kernels need."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return all(flag in flags for flag in AVX512_FLAGS)
    except OSError:
        pass
    return False


def blas_environment(env=None):
    """The environment PyTorch and numpy run best in on this machine (see the module's docstring): `env` (by
    default this process's) with OPENBLAS_CORETYPE and OMP_WAIT_POLICY added where they are not set already."""
    env = dict(os.environ if env is None else env)
    if "OPENBLAS_CORETYPE" not in env and cpu_has_avx512():
        env["OPENBLAS_CORETYPE"] = "SKYLAKEX"
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    return env


def openblas_pthread_path():
    """Debian's pthread build of OpenBLAS (package libopenblas0-pthread), or None when it is not installed. Without
    it numpy and PyTorch fall back to the reference BLAS and are many times slower."""
    for arch in ("x86_64-linux-gnu", "aarch64-linux-gnu"):
        path = f"/usr/lib/{arch}/openblas-pthread/libopenblas.so.0"
        if os.path.exists(path):
            return path
    return None


def set_up(threads, blas_threads=None):
    """Prepares this process before torch or numpy is imported: the BLAS environment and the thread counts
    (OpenBLAS's pool is its own and does not follow torch.set_num_threads, so it is set here)."""
    os.environ.update(blas_environment())
    os.environ["OMP_NUM_THREADS"] = str(threads)
    os.environ["OPENBLAS_NUM_THREADS"] = str(blas_threads if blas_threads is not None else threads)
    if openblas_pthread_path() is None:
        print("warning: libopenblas0-pthread is not installed, so the reference BLAS runs and the figures mean "
              "little; install it with: " + INSTALL, file=sys.stderr)


def import_torch(threads):
    """torch with `threads` threads of its own, or an exit naming the packages to install."""
    try:
        import torch
    except ImportError:
        sys.exit(f"PyTorch is not installed for {sys.executable}; install it with: {INSTALL}")
    torch.set_num_threads(threads)
    return torch


def import_numpy():
    """numpy, or an exit naming the packages to install."""
    try:
        import numpy
    except ImportError:
        sys.exit(f"numpy is not installed for {sys.executable}; install it with: {INSTALL}")
    return numpy


def add_common_arguments(parser, threads_help="PyTorch's threads, and OpenBLAS's unless --blas-threads"):
    """The flags every twin takes, as `nabla bench` does, plus --blas-threads and --out."""
    parser.add_argument("--threads", type=int, default=2, help=threads_help + " (default 2)")
    parser.add_argument("--blas-threads", type=int, default=None, help="OpenBLAS's threads, if not --threads")
    parser.add_argument("--tag", default="", help="a label copied into the result")
    parser.add_argument("--out", default=None, help="also write the result to this JSON file")


def stats(values):
    """Median, minimum, maximum and count, the form in which `nabla bench` reports repeated measurements."""
    values = list(values)
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def header(bench, args, torch=None):
    """The fields every result starts with: the workload, the threads, and what ran it."""
    result = {"bench": bench, "threads": args.threads, "tag": args.tag, "blas_threads": args.blas_threads,
              "python": sys.version.split()[0], "openblas": openblas_info(), "env": blas_variables()}
    if torch is not None:
        result["torch"] = torch.__version__
        result["torch_threads"] = torch.get_num_threads()
    return result


def blas_variables():
    """The environment variables that decide how the BLAS and OpenMP run."""
    keys = ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "OMP_WAIT_POLICY")
    return {k: os.environ.get(k) for k in keys}


def openblas_info():
    """For each OpenBLAS loaded into this process: its file, the kernels it chose and its thread count, read from
    the library itself, so that a result shows whether the set-up took effect."""
    paths = []
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                fields = line.split()
                if len(fields) >= 6 and "openblas" in os.path.basename(fields[5]) and fields[5] not in paths:
                    paths.append(fields[5])
    except OSError:
        return []
    info = []
    for path in paths:
        entry = {"lib": path}
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            entry["corename"] = lib.openblas_get_corename().decode()
            entry["num_threads"] = lib.openblas_get_num_threads()
        except (OSError, AttributeError):
            pass   # a build with other symbol names: the path alone
        info.append(entry)
    return info


def peak_rss_mib():
    """The process's peak resident memory, in MiB (ru_maxrss is in KiB on Linux)."""
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class Interference:
    """CPU time other processes used while a measurement ran, as a context manager: the machine's busy time
    (/proc/stat, steal included) minus this process's own. On a small machine shared with other work, a
    `foreign_frac` above a few percent (of all cores over the interval) says the figure was disturbed."""

    @staticmethod
    def _busy_ticks():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return sum(v[:3]) + sum(v[5:8])   # user, nice, system, irq, softirq, steal

    def __enter__(self):
        self._busy = self._busy_ticks()
        self._own = sum(os.times()[:2])
        self._wall = time.perf_counter()
        return self

    def __exit__(self, *exc):
        wall = time.perf_counter() - self._wall
        own = sum(os.times()[:2]) - self._own
        busy = (self._busy_ticks() - self._busy) / os.sysconf("SC_CLK_TCK")
        foreign = max(0.0, busy - own)
        self.result = {"foreign_cpu_s": round(foreign, 3),
                       "foreign_frac": round(foreign / (wall * (os.cpu_count() or 1)), 4) if wall > 0 else 0.0,
                       "own_cpu_s": round(own, 3), "wall_s": round(wall, 3)}
        return False


def time_blocks(step, args):
    """The timing every workload shares: args.warmup untimed calls of step, then args.blocks blocks of
    args.steps_per_block calls. Returns the milliseconds per step of each block, and what other processes took of
    the CPU meanwhile (Interference.result)."""
    for _ in range(args.warmup):
        step()
    ms = []
    with Interference() as interference:
        for _ in range(args.blocks):
            start = time.perf_counter()
            for _ in range(args.steps_per_block):
                step()
            ms.append((time.perf_counter() - start) / args.steps_per_block * 1e3)
    return ms, interference.result


def emit(result, out=None):
    """Prints the result as one line, `RESULT {json}`, which `bench/compare` reads, and writes it to `out`."""
    print("RESULT " + json.dumps(result, sort_keys=True), flush=True)
    if out:
        if os.path.dirname(out):
            os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "w") as f:
            json.dump(result, f, indent=1, sort_keys=True)
            f.write("\n")
