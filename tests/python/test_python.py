"""Checks examples/python/emgtwitch.py against the built library: Butterworth design and
filtering against SciPy, the ctypes mirror of etw_twitch_config field by field, errors, and
detection against the emgtwitch command on the same samples (which also checks the mirror of
etw_twitch_event). Usage: test_python.py WORKDIR, with ETW_LIBRARY, ETW_CLI and PYTHONPATH
set (tests/python/CMakeLists.txt). Exit 77 = skipped (no NumPy/SciPy)."""
import csv
import os
import subprocess
import sys

try:
    import numpy as np
    from scipy import signal
except ImportError:
    print("NumPy/SciPy missing: skipped")
    sys.exit(77)

import emgtwitch as etw

FAILURES = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        FAILURES.append(what)


def test_butter(lib):
    for btype, order, cutoff, fs in [("lowpass", 4, 450.0, 2048.0),
                                     ("highpass", 8, 10.0, 10000.0),
                                     ("bandpass", 4, (20.0, 450.0), 2048.0),
                                     ("bandstop", 3, (45.0, 55.0), 1000.0)]:
        ours = lib.butter(btype, order, cutoff, fs)
        ref = signal.butter(order, cutoff, btype, fs=fs, output="sos")
        err = np.max(np.abs(ours - ref) / np.maximum(np.abs(ref), 1e-300))
        check(ours.shape == ref.shape and err < 1e-9,
              "butter %s %d %s: %s sections, max rel. error %.1e" % (btype, order, cutoff,
                                                                     ours.shape[0], err))
    try:
        lib.butter("lowpass", 4, 1500.0, 2048.0)
        check(False, "cutoff above Nyquist raises")
    except etw.Error as e:
        check(e.name == "ETW_ERR_NYQUIST" and "Nyquist" in str(e), "above Nyquist: %s" % e)


def test_sosfilt(lib):
    rng = np.random.default_rng(5)
    fs = 2048.0
    sos = np.vstack([lib.butter("bandpass", 4, (20.0, 450.0), fs),
                     np.hstack(signal.iirnotch(50.0, 30.0, fs=fs))])
    x = rng.standard_normal((3, 20000)).astype(np.float32) * 1e-3
    ref = signal.sosfilt(sos, x.astype(np.float64), axis=1)
    for precision in ("double", "float"):
        y = lib.sosfilt(sos, x, precision)
        err = np.max(np.abs(y - ref)) / np.max(np.abs(ref))
        check(y.shape == x.shape and err < 1e-5,
              "sosfilt W, 3 channels, %s: error %.1e of peak" % (precision, err))
    y1 = lib.sosfilt(sos, x[1])
    check(y1.shape == (20000,), "one channel as a 1-D array")


def test_config_mirror(lib):
    """Every parameter read by name through the C API equals the ctypes field."""
    params = lib.parameters()
    for preset in ("default", "ltr"):
        cfg = lib.config(2048.0, 4, preset)
        bad = []
        for k, p in enumerate(params):
            # a distinct in-range value in every field, then read back by name
            lo, hi = p["min_value"], p["max_value"]
            value = lo + (hi - lo) * (k + 1) / (len(params) + 2)
            value = float(round(value)) if p["is_integer"] else value
            setattr(cfg, p["name"], int(value) if p["is_integer"] else value)
            got = etw.ctypes.c_double()
            st = lib._c.etw_twitch_config_get(etw.ctypes.byref(cfg), p["name"].encode(),
                                              etw.ctypes.byref(got))
            if st != 0 or got.value != value:
                bad.append(p["name"])
        check(not bad and len(params) == len(etw.TwitchConfig._fields_) - 2,
              "config mirror (%s): %d parameters, mismatched %s" % (preset, len(params), bad))
    try:
        lib.config(2048.0, 1, on_db=-5)
        check(False, "on_db=-5 raises")
    except etw.Error as e:
        check(e.name == "ETW_ERR_RANGE", "on_db=-5: %s" % e)


def test_detect(lib, work):
    """Same samples through the library from Python and through `emgtwitch detect`."""
    fs, n = 1000.0, 10000
    rng = np.random.default_rng(3)
    t = np.arange(n) / fs
    burst = np.where(((t >= 3) & (t < 3.04)) | ((t >= 7) & (t < 7.04)),
                     100 * np.sin(2 * np.pi * 150 * t), 0.0)
    x = np.vstack([rng.standard_normal(n) * 2 + burst + 20,
                   rng.standard_normal(n) * 2 + 0.8 * burst])
    path = os.path.join(work, "py_in.csv")
    with open(path, "w") as f:
        f.write("time_s,EMG1,EMG2\n")
        for i in range(n):
            f.write("%.3f,%.4f,%.4f\n" % (t[i], x[0, i], x[1, i]))
    # the values the command reads: the text, rounded to float like the CSV reader does
    x = np.loadtxt(path, delimiter=",", skiprows=1, usecols=(1, 2)).T.astype(np.float32)
    events = lib.detect(x, fs)
    twitches = [e for e in events if e["twitch"]]
    check(len(twitches) == 2 and abs(twitches[0]["onset_s"] - 3) < 0.02 and
          abs(twitches[1]["onset_s"] - 7) < 0.02,
          "detect: twitches at %s s" % [round(e["onset_s"], 3) for e in twitches])
    tsv = os.path.join(work, "py_ev.tsv")
    subprocess.run([os.environ["ETW_CLI"], "detect", "-q", "--force", path, "-o", tsv],
                   check=True)
    with open(tsv) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    fields = [("onset", "onset_s"), ("duration", "duration_s"), ("peak_envelope",
              "peak_envelope"), ("snr_db", "snr_db"), ("noise_floor", "floor"),
              ("phases", "phases"), ("turns", "turns"), ("mean_freq", "mean_freq_hz"),
              ("confidence", "confidence")]
    same = len(rows) == len(twitches)
    for row, e in zip(rows, twitches):
        same &= row["channel"] == "EMG%d" % (e["channel"] + 1)
        for col, key in fields:
            same &= abs(float(row[col]) - e[key]) <= 1e-6 * max(1.0, abs(e[key]))
    check(same, "detect: %d events equal to the command's table in %s" % (len(rows),
                                                                           [c for c, _ in fields]))


def main():
    work = sys.argv[1]
    os.makedirs(work, exist_ok=True)
    lib = etw.Library()
    print("libemgtwitch", lib.version)
    test_butter(lib)
    test_sosfilt(lib)
    test_config_mirror(lib)
    test_detect(lib, work)
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        sys.exit(1)


main()
