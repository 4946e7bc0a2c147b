"""Calling libemgtwitch from Python through its C API (ctypes + NumPy).

A small example binding, not a package: copy it next to your script. It covers Butterworth
design, the streaming filter cascade and the twitch detector; everything else in the C API
is reached the same way (declare argtypes/restype, pass NumPy buffers). The structures
below mirror include/emgtwitch/twitch.h field for field; tests/python checks the mirror
against the library by every parameter name.

    import numpy as np, emgtwitch as etw
    lib = etw.Library()                       # or Library("/path/libemgtwitch.so")
    sos = lib.butter("bandpass", 4, (20, 450), fs=2048)
    y = lib.sosfilt(sos, x)                   # x: (nch, n) or (n,) float32
    events = lib.detect(x, fs=2048, on_db=8)  # list of dicts, times in s and samples

The library is found from the ETW_LIBRARY environment variable, then the system's linker
path (ctypes.util.find_library).
"""
import ctypes
import ctypes.util
import os

import numpy as np

MAX_CHANNELS = 256
MASK_WORDS = MAX_CHANNELS // 64
FLAG_TWITCH = 0x0001
FILTER_TYPES = {"lowpass": 0, "highpass": 1, "bandpass": 2, "bandstop": 3}
PRECISIONS = {"double": 0, "float": 1, "auto": 2}


class TwitchConfig(ctypes.Structure):
    """etw_twitch_config."""
    _fields_ = [(name, ctypes.c_int if kind == "i" else ctypes.c_size_t if kind == "z"
                 else ctypes.c_double) for name, kind in [
        ("fs_hz", "d"), ("nch", "z"), ("highpass_hz", "d"), ("lowpass_hz", "d"),
        ("filter_order", "i"), ("emphasis_hz", "d"), ("mains_hz", "d"),
        ("mains_harmonics", "i"), ("notch_q", "d"), ("mains_probe_ms", "d"),
        ("settle_ms", "d"), ("envelope_ms", "d"), ("floor_window_ms", "d"), ("on_db", "d"),
        ("off_db", "d"), ("min_duration_ms", "d"), ("max_duration_ms", "d"),
        ("merge_gap_ms", "d"), ("refractory_ms", "d"), ("pre_quiet_ms", "d"),
        ("post_quiet_ms", "d"), ("min_snr_db", "d"), ("min_peak_db", "d"),
        ("noise_alarms_per_min", "d"), ("max_rise_ms", "d"), ("min_mean_freq_hz", "d"),
        ("max_spike_fraction", "d"), ("ecg_reject", "i"), ("ecg_rr_min_ms", "d"),
        ("ecg_rr_max_ms", "d"), ("ecg_tolerance", "d"), ("min_channels", "i"),
        ("coincidence_ms", "d"), ("clip_level", "d"), ("report_all", "i")]]


class TwitchEvent(ctypes.Structure):
    """etw_twitch_event."""
    _fields_ = [("onset", ctypes.c_int64), ("offset", ctypes.c_int64),
                ("peak", ctypes.c_int64)] + \
               [(name, ctypes.c_double) for name in (
                   "onset_s", "offset_s", "peak_s", "duration_s", "rise_time_s",
                   "peak_envelope", "peak_to_peak", "area", "snr_db", "floor")] + \
               [("phases", ctypes.c_int), ("turns", ctypes.c_int),
                ("mean_freq_hz", ctypes.c_double), ("median_freq_hz", ctypes.c_double),
                ("channel", ctypes.c_size_t), ("nchannels", ctypes.c_size_t),
                ("channel_mask", ctypes.c_uint64 * MASK_WORDS),
                ("confidence", ctypes.c_double), ("flags", ctypes.c_uint)]


class TwitchParam(ctypes.Structure):
    """etw_twitch_param."""
    _fields_ = [("name", ctypes.c_char_p), ("unit", ctypes.c_char_p),
                ("help", ctypes.c_char_p), ("min_value", ctypes.c_double),
                ("max_value", ctypes.c_double), ("is_integer", ctypes.c_int)]


class Error(Exception):
    """A non-zero etw_status: .status (the code) and .name (e.g. 'ETW_ERR_RANGE')."""

    def __init__(self, lib, status, what):
        self.status, self.name = status, lib._c.etw_status_name(status).decode()
        super().__init__("%s: %s (%s)" % (what, lib._c.etw_strerror(status).decode(),
                                           self.name))


def _planar(x):
    """(nch, n) float32 C-contiguous copy of x ((n,) is one channel) and its row pointers."""
    a = np.array(x, dtype=np.float32, order="C", ndmin=2, copy=True)
    if a.ndim != 2:
        raise ValueError("signal must be (n,) or (channels, n), got shape %s" % (a.shape,))
    rows = (ctypes.POINTER(ctypes.c_float) * a.shape[0])(
        *[row.ctypes.data_as(ctypes.POINTER(ctypes.c_float)) for row in a])
    return a, rows


class Library:
    """libemgtwitch loaded with the prototypes this example uses."""

    def __init__(self, path=None):
        path = path or os.environ.get("ETW_LIBRARY") or ctypes.util.find_library("emgtwitch")
        if not path:
            raise OSError("libemgtwitch not found: set ETW_LIBRARY or install the library")
        c = self._c = ctypes.CDLL(path)
        P, st, z, d = ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t, ctypes.c_double
        floats = ctypes.POINTER(ctypes.POINTER(ctypes.c_float))
        sos = ctypes.POINTER(ctypes.c_double * 6)
        for name, res, args in [
                ("etw_strerror", ctypes.c_char_p, [st]),
                ("etw_status_name", ctypes.c_char_p, [st]),
                ("etw_version_string", ctypes.c_char_p, []),
                ("etw_butter_sections", z, [st, st]),
                ("etw_butter", st, [st, st, d, d, d, sos, z, ctypes.POINTER(z)]),
                ("etw_cascade_create", st, [sos, z, z, ctypes.POINTER(P)]),
                ("etw_cascade_set_precision", st, [P, st]),
                ("etw_cascade_process", st, [P, floats, floats, z]),
                ("etw_cascade_destroy", None, [P]),
                ("etw_twitch_config_default", st, [d, z, ctypes.POINTER(TwitchConfig)]),
                ("etw_twitch_config_ltr", st, [d, z, ctypes.POINTER(TwitchConfig)]),
                ("etw_twitch_config_set", st, [ctypes.POINTER(TwitchConfig), ctypes.c_char_p]),
                ("etw_twitch_config_get", st, [ctypes.POINTER(TwitchConfig), ctypes.c_char_p,
                                               ctypes.POINTER(d)]),
                ("etw_twitch_config_validate", st, [ctypes.POINTER(TwitchConfig)]),
                ("etw_twitch_param_count", z, []),
                ("etw_twitch_param_info", ctypes.POINTER(TwitchParam), [z]),
                ("etw_twitch_detect", st, [ctypes.POINTER(TwitchConfig), floats, z,
                                           ctypes.POINTER(TwitchEvent), z, ctypes.POINTER(z)])]:
            f = getattr(c, name)
            f.restype, f.argtypes = res, args
        self.version = c.etw_version_string().decode()

    def _check(self, status, what):
        if status != 0:
            raise Error(self, status, what)

    def butter(self, btype, order, cutoff, fs):
        """Butterworth sections (n, 6) as scipy.signal.butter(order, cutoff, btype, fs=fs,
        output='sos'); cutoff is one frequency (Hz) or a (low, high) pair."""
        low, high = (cutoff, 0.0) if np.isscalar(cutoff) else cutoff
        kind = FILTER_TYPES[btype]
        n = self._c.etw_butter_sections(kind, order)
        out = np.zeros((max(n, 1), 6))
        got = ctypes.c_size_t()
        self._check(self._c.etw_butter(kind, order, low, high, fs,
                                       out.ctypes.data_as(ctypes.POINTER(ctypes.c_double * 6)),
                                       out.shape[0], ctypes.byref(got)),
                    "butter(%s, %d, %s, fs=%g)" % (btype, order, cutoff, fs))
        return out[:got.value]

    def sosfilt(self, sos, x, precision="double"):
        """Causal filtering of x ((n,) or (channels, n)) by a fresh cascade, as float32."""
        s = np.ascontiguousarray(sos, dtype=np.float64)
        a, rows = _planar(x)
        cas = ctypes.c_void_p()
        self._check(self._c.etw_cascade_create(
            s.ctypes.data_as(ctypes.POINTER(ctypes.c_double * 6)), s.shape[0], a.shape[0],
            ctypes.byref(cas)), "cascade")
        try:
            self._check(self._c.etw_cascade_set_precision(cas, PRECISIONS[precision]),
                        "precision")
            self._check(self._c.etw_cascade_process(cas, rows, rows, a.shape[1]), "process")
        finally:
            self._c.etw_cascade_destroy(cas)
        return a if np.ndim(x) == 2 else a[0]

    def config(self, fs, nch, preset="default", **params):
        """A validated detector configuration: the preset ('default' or 'ltr') with the
        given parameters (names of the parameter table) set."""
        cfg = TwitchConfig()
        make = {"default": self._c.etw_twitch_config_default,
                "ltr": self._c.etw_twitch_config_ltr}[preset]
        self._check(make(fs, nch, ctypes.byref(cfg)), "preset %s" % preset)
        for name, value in params.items():
            assignment = "%s=%r" % (name, value)
            self._check(self._c.etw_twitch_config_set(ctypes.byref(cfg), assignment.encode()),
                        assignment)
        self._check(self._c.etw_twitch_config_validate(ctypes.byref(cfg)), "configuration")
        return cfg

    def parameters(self):
        """The parameter table: list of dicts name, unit, help, min_value, max_value,
        is_integer."""
        out = []
        for i in range(self._c.etw_twitch_param_count()):
            p = self._c.etw_twitch_param_info(i).contents
            out.append({"name": p.name.decode(), "unit": p.unit.decode(),
                        "help": p.help.decode(), "min_value": p.min_value,
                        "max_value": p.max_value, "is_integer": bool(p.is_integer)})
        return out

    def detect(self, x, fs, preset="default", **params):
        """Twitch detection over a whole signal ((n,) or (channels, n)); every event as a
        dict of the etw_twitch_event fields (channels: the list of involved channels,
        twitch: whether it was classified as one)."""
        a, rows = _planar(x)
        cfg = self.config(fs, a.shape[0], preset, **params)
        cap, found = 256, ctypes.c_size_t()
        while True:
            buf = (TwitchEvent * cap)()
            st = self._c.etw_twitch_detect(ctypes.byref(cfg), rows, a.shape[1], buf, cap,
                                           ctypes.byref(found))
            if st == 0 or found.value <= cap:
                self._check(st, "detect")
                break
            cap = found.value
        events = []
        for e in buf[:found.value]:
            ev = {name: getattr(e, name) for name, _ in TwitchEvent._fields_
                  if name != "channel_mask"}
            ev["channels"] = [c for c in range(a.shape[0])
                              if e.channel_mask[c // 64] >> (c % 64) & 1]
            ev["twitch"] = bool(e.flags & FLAG_TWITCH)
            events.append(ev)
        return events
