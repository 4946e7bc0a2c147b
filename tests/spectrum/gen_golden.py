#!/usr/bin/python3
"""Golden Welch spectra for test_spectrum, from scipy.signal.welch.

Run with Debian's /usr/bin/python3 (it has SciPy):  /usr/bin/python3 gen_golden.py > golden_welch.txt
The input signal is integer arithmetic scaled by powers of two, so test_spectrum.c rebuilds it
bit for bit (see golden_signal() there) and only the spectra are stored.
"""
import numpy as np
import scipy
import scipy.signal

N = 5000
FS = 1000.0


def golden_signal():
    state = 12345
    x = np.empty(N, dtype=np.float64)
    for i in range(N):
        state = (state * 1664525 + 1013904223) % 2**32
        noise = (state >> 16) - 32768
        tri = abs(i % 20 - 10) - 5
        x[i] = noise * 2.0**-15 + tri * 2.0**-4 + 0.25
    assert np.array_equal(x.astype(np.float32).astype(np.float64), x)
    return x


CONFIGS = [
    # nperseg, noverlap, nfft, detrend, scaling
    (256, 128, 256, "constant", "density"),
    (200, 50, 200, False, "spectrum"),
    (255, 100, 300, "constant", "density"),
    (128, 0, 255, "constant", "spectrum"),
]

x = golden_signal()
print("# scipy %s: scipy.signal.welch(x, fs=%g, window='hann', ...) of golden_signal()"
      % (scipy.__version__, FS))
print("# per block: nperseg noverlap nfft detrend(0 none, 1 constant) scaling(0 density,"
      " 1 spectrum) nfreq, then nfreq PSD values")
for nperseg, noverlap, nfft, detrend, scaling in CONFIGS:
    f, p = scipy.signal.welch(x, fs=FS, window="hann", nperseg=nperseg, noverlap=noverlap,
                              nfft=nfft, detrend=detrend, return_onesided=True,
                              scaling=scaling, average="mean")
    print("%d %d %d %d %d %d" % (nperseg, noverlap, nfft, 0 if detrend is False else 1,
                                 0 if scaling == "density" else 1, len(p)))
    for v in p:
        print("%.17g" % v)
