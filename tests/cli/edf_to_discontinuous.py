#!/usr/bin/python3
"""Makes an EDF+D test file from an EDF+C one: marks it discontinuous and moves the time
stamp (the first TAL of the annotation signal, EDF+ specification, edfplus.info) of every
data record from FIRST on by GAP seconds, so the file has a gap before record FIRST.
Usage: edf_to_discontinuous.py IN.edf OUT.edf FIRST GAP"""
import sys

src, dst, first, gap = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
b = bytearray(open(src, 'rb').read())
ns, header, nrec = int(b[252:256]), int(b[184:192]), int(b[236:244])
b[192:197] = b'EDF+D'
spr = [int(b[256 + 216 * ns + 8 * i:264 + 216 * ns + 8 * i]) for i in range(ns)]
labels = [bytes(b[256 + 16 * i:272 + 16 * i]).strip() for i in range(ns)]
a = labels.index(b'EDF Annotations')
offset, record, size = 2 * sum(spr[:a]), 2 * sum(spr), 2 * spr[a]
for k in range(first, nrec):
    at = header + k * record + offset
    stamp, rest = bytes(b[at:at + size]).split(b'\x14\x14\x00', 1)
    new = b'+%g\x14\x14\x00' % (float(stamp) + gap) + rest
    assert new[size:].strip(b'\x00') == b'', 'no room for the longer time stamp'
    b[at:at + size] = new[:size]
open(dst, 'wb').write(b)
