#!/usr/bin/python3
"""SciPy peer for bench_filter: scipy.signal.sosfilt on workload W (fs 2048 Hz,
butter(4, [20, 450], 'bandpass') + iirnotch(50, 30)), for 1, 8, 64 and 256 channels, on the
whole array at once and block by block with the state (zi) carried. float64 arrays, best of
several repetitions. Prints lines "whole NCH 0 MSPS" and "block NCH BLOCK MSPS" that
bench_filter --scipy FILE reads. Run with Debian's /usr/bin/python3 (it has SciPy).

usage: peer_scipy.py [--quick]
"""
import sys
import time

import numpy as np
from scipy import signal


def best_of(reps, fn):
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main():
    quick = "--quick" in sys.argv[1:]
    fs = 2048.0
    sos = np.vstack([signal.butter(4, [20, 450], "bandpass", fs=fs, output="sos"),
                     np.concatenate(signal.iirnotch(50, 30, fs=fs))])
    # many short repetitions: on a busy machine some of them run undisturbed
    total = 1 << 18
    block_total = 1 << (16 if quick else 18)
    reps = 10 if quick else 40
    rng = np.random.default_rng(1)
    for nch in (1, 8, 64, 256):
        x = rng.standard_normal((nch, total // nch)) * 1e-3
        t = best_of(reps, lambda: signal.sosfilt(sos, x, axis=-1))
        print(f"whole {nch} 0 {x.size / t / 1e6:.2f}", flush=True)
        xb = x[:, :max(block_total // nch, 4096)]
        for block in (16, 64, 256, 1024, 4096):
            def blockwise():
                zi = np.zeros((sos.shape[0], nch, 2))
                for i in range(0, xb.shape[1], block):
                    _, zi = signal.sosfilt(sos, xb[:, i:i + block], axis=-1, zi=zi)
            t = best_of(3 if quick else 5, blockwise)
            print(f"block {nch} {block} {xb.size / t / 1e6:.2f}", flush=True)


if __name__ == "__main__":
    main()
