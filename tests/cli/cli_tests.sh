#!/usr/bin/env bash
# CLI test cases for emgtwitch. Usage: cli_tests.sh EMGTWITCH NAME WORKDIR SHARED_DATA SRCDIR
# runs the function t_NAME in an empty WORKDIR/NAME. Exit 0 pass, 1 fail, 77 skipped.
set -uo pipefail
ETW=$1
name=$2
work=$3/$name
DATA=$4
SRC=$5
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }
need_data() { [ -e "$DATA/$1" ] || skip "$DATA/$1 not present"; }

# run STATUS CMD...: runs CMD with stdout in out.txt and stderr in err.txt, checks its status.
run() {
  local want=$1; shift
  "$@" >out.txt 2>err.txt
  local got=$?
  if [ "$got" != "$want" ]; then
    echo "--- stdout"; cat out.txt; echo "--- stderr"; cat err.txt
    fail "'$*' exited $got, expected $want"
  fi
}
# contains FILE TEXT: FILE holds TEXT (fixed string).
contains() { grep -qF -- "$2" "$1" || { cat "$1"; fail "$1 lacks '$2'"; }; }
lacks() { ! grep -qF -- "$2" "$1" || { cat "$1"; fail "$1 contains '$2'"; }; }

# png_size FILE: prints "WIDTH HEIGHT" from the PNG header (fails unless it is a PNG).
png_size() {
  [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "$1 is not a PNG"
  local w h
  w=$(od -An -tu1 -j16 -N4 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4}')
  h=$(od -An -tu1 -j20 -N4 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4}')
  echo "$w $h"
}

# need_cmd NAME: skip unless this build has the subcommand.
need_cmd() { "$ETW" --help | grep -q "^  $1 " || skip "no '$1' subcommand in this build"; }

# gen_csv FILE [SECONDS]: 2-channel CSV at 1000 Hz (time column, values in uV): 5 uV noise,
# a 20 uV offset on EMG1, and 40 ms bursts of 150 Hz (100 uV) at 3 s and 7 s.
gen_csv() {
  awk -v dur="${2:-10}" 'BEGIN { srand(1); fs = 1000; print "time_s,EMG1,EMG2";
    for (i = 0; i < fs * dur; i++) { t = i / fs; n1 = 0; n2 = 0;
      for (k = 0; k < 6; k++) { n1 += rand() - 0.5; n2 += rand() - 0.5 }
      b = ((t >= 3 && t < 3.04) || (t >= 7 && t < 7.04)) ? 100 * sin(2 * 3.14159265 * 150 * t) : 0;
      printf "%.3f,%.4f,%.4f\n", t, 5 * n1 + b + 20, 5 * n2 + 0.8 * b } }' >"$1"
}

# gen_sine FILE HZ: 1-channel CSV at 1000 Hz, 4 s of a 100 uV sine at HZ.
gen_sine() {
  awk -v f="$2" 'BEGIN { print "time_s,S"; for (i = 0; i < 4000; i++)
    printf "%.3f,%.5f\n", i / 1000, 100 * sin(2 * 3.14159265358979 * f * i / 1000) }' >"$1"
}

# col_stat FILE COL: mean and max |x| of a CSV column (header skipped).
col_stat() { awk -F, -v c="$2" 'NR > 1 { s += $c; a = $c < 0 ? -$c : $c; if (a > m) m = a; n++ }
  END { printf "%.6f %.6f %d\n", s / n, m, n }' "$1"; }

# ---- dispatcher and common behaviour ------------------------------------------------------
t_usage() {
  run 2 "$ETW"
  contains err.txt "usage: emgtwitch COMMAND"
  run 0 "$ETW" --help
  contains out.txt "commands:"
  contains out.txt "version"
  run 2 "$ETW" no-such-command
  contains err.txt "unknown command 'no-such-command'"
}

t_version() {
  run 0 "$ETW" version
  contains out.txt "emgtwitch 0."
  contains out.txt "FFT backend"
  run 0 "$ETW" --version
  contains out.txt "emgtwitch 0."
  run 2 "$ETW" version --bogus
  contains err.txt "unknown option '--bogus'"
  run 2 "$ETW" version extra
  contains err.txt "unexpected argument 'extra'"
}

# Every subcommand has --help with a usage line and examples, exit 0.
t_help_all() {
  run 0 "$ETW" --help
  local cmds
  cmds=$(awk '/^commands:/{on=1;next} on && /^  [a-z]/{print $1}' out.txt)
  [ -n "$cmds" ] || fail "no commands listed"
  for c in $cmds; do
    run 0 "$ETW" "$c" --help
    contains out.txt "usage: emgtwitch $c"
    contains out.txt "examples:"
    contains out.txt "exit status: 0 ok, 1 failed"
  done
}

# ---- filter ---------------------------------------------------------------------------------
t_filter_csv() {
  need_cmd filter
  gen_csv in.csv
  run 0 "$ETW" filter in.csv out.csv
  contains err.txt "band-pass 20-450 Hz"
  head -1 out.csv | grep -q "EMG1" || fail "labels not kept: $(head -1 out.csv)"
  read -r mean max n < <(col_stat out.csv 2)
  [ "$n" = 10000 ] || fail "expected 10000 frames, got $n"
  awk -v m="$mean" 'BEGIN { exit !(m > -1 && m < 1) }' || fail "offset not removed: mean $mean"
  awk -v m="$max" 'BEGIN { exit !(m > 50 && m < 130) }' || fail "bursts lost: max $max"
  # refuses to overwrite, then overwrites with --force
  run 1 "$ETW" filter in.csv out.csv
  contains err.txt "emgtwitch filter: out.csv: exists (use --force to overwrite)"
  run 0 "$ETW" filter --force --highpass 10 --zero-phase in.csv out.csv
  contains err.txt "zero-phase"
}

t_filter_formats() {
  need_cmd filter
  gen_csv in.csv 4
  for ext in edf bdf wav flac csv; do
    run 0 "$ETW" filter -q in.csv "out.$ext"
    [ -s "out.$ext" ] || fail "out.$ext is empty"
  done
  [ "$(head -c 8 out.edf)" = "0       " ] || fail "out.edf is not EDF"
  [ "$(head -c 4 out.wav)" = "RIFF" ] || fail "out.wav is not WAV"
  [ "$(head -c 4 out.flac)" = "fLaC" ] || fail "out.flac is not FLAC"
  # the EDF round trip keeps the labels and the frame count
  run 0 "$ETW" filter -q --no-filter out.edf back.csv
  head -1 back.csv | grep -q "EMG2" || fail "EDF lost the labels: $(head -1 back.csv)"
  read -r _ _ n < <(col_stat back.csv 2)
  [ "$n" -ge 4000 ] || fail "EDF round trip has $n frames, expected >= 4000"
  # stdout
  "$ETW" filter -q in.csv - --format csv >stdout.csv || fail "filter to stdout failed"
  head -1 stdout.csv | grep -q "EMG1" || fail "stdout lacks the header"
}

t_filter_errors() {
  need_cmd filter
  gen_csv in.csv 2
  run 1 "$ETW" filter missing.csv out.csv
  contains err.txt "emgtwitch filter: missing.csv: "
  printf 'not,a\nrecording\n' >bad.csv
  run 1 "$ETW" filter bad.csv out.csv
  contains err.txt "emgtwitch filter: bad.csv: "
  run 2 "$ETW" filter in.csv out.xyz
  contains err.txt "cannot tell the output format from 'out.xyz'"
  run 2 "$ETW" filter in.csv
  contains err.txt "needs one input and one output"
  run 2 "$ETW" filter --band 20 in.csv out.csv
  contains err.txt "is not LOW:HIGH"
  run 2 "$ETW" filter --order 99 in.csv out.csv
  contains err.txt "--order: 99 is outside [1, 8]"
  run 1 "$ETW" filter --lowpass 600 in.csv out.csv
  contains err.txt "emgtwitch filter: in.csv: cannot design the filter"
  run 1 "$ETW" filter -c NOPE in.csv out.csv
  contains err.txt "no channel matches 'NOPE'"
  [ ! -e out.csv ] || fail "a failed run left out.csv behind"
  ls | grep -q tmp && fail "a temporary file was left behind: $(ls)"
  return 0
}

# ---- envelope -------------------------------------------------------------------------------
t_envelope() {
  need_cmd envelope
  gen_sine sine.csv 100
  run 0 "$ETW" envelope --no-filter -k rms -w 50 sine.csv rms.csv
  # the RMS of a 100 uV sine is 70.7 uV once the window is full
  awk -F, 'NR > 1001 && ($2 < 69 || $2 > 72.5) { bad = $2 } END { exit bad != "" }' rms.csv ||
    fail "RMS of a 100 uV sine is not 70.7 uV"
  run 0 "$ETW" envelope --no-filter -k arv -w 50 sine.csv arv.csv
  # (63.7 uV for a continuous sine; 61.6 uV for 100 Hz sampled at 1 kHz: mean |sin(k 36 deg)|)
  awk -F, 'NR > 1001 && ($2 < 61 || $2 > 65) { bad = $2 } END { exit bad != "" }' arv.csv ||
    fail "ARV of a 100 uV sine is not 61.6 uV"
  run 2 "$ETW" envelope -k nope sine.csv x.csv
  contains err.txt "--kind: 'nope' is not one of: rectify arv rms tkeo"
}

# ---- plot -----------------------------------------------------------------------------------
t_plot() {
  need_cmd plot
  gen_csv in.csv
  run 0 "$ETW" plot in.csv -o fig.png --width 900 --height 700
  [ "$(png_size fig.png)" = "900 700" ] || fail "fig.png is $(png_size fig.png), not 900 700"
  [ "$(stat -c %s fig.png)" -gt 20000 ] || fail "fig.png is suspiciously small"
  run 0 "$ETW" plot in.csv -o fig.svg --start 2 --end 8 -c EMG2
  head -c 200 fig.svg | grep -q "<svg" || fail "fig.svg is not SVG"
  run 0 "$ETW" plot in.csv -o fig.pdf --no-detect
  [ "$(head -c 5 fig.pdf)" = "%PDF-" ] || fail "fig.pdf is not PDF"
  run 0 "$ETW" plot in.csv -o - --format png
  [ "$(png_size out.txt)" = "1400 690" ] || fail "stdout PNG is $(png_size out.txt)"
}

t_plot_errors() {
  need_cmd plot
  gen_csv in.csv 2
  run 2 "$ETW" plot in.csv
  contains err.txt "needs -o OUT.png"
  run 2 "$ETW" plot in.csv -o fig.gif
  contains err.txt "cannot tell the output format from 'fig.gif'"
  run 1 "$ETW" plot in.csv -o fig.png --start 100
  contains err.txt "emgtwitch plot: in.csv: the range 100"
  run 2 "$ETW" plot in.csv -o fig.png --width 10
  contains err.txt "--width: 10 is outside"
  [ ! -e fig.png ] || fail "a failed plot left fig.png"
}

# ---- psd ------------------------------------------------------------------------------------
t_psd() {
  need_cmd psd
  gen_sine sine.csv 100
  run 0 "$ETW" psd sine.csv -o psd.tsv
  contains err.txt "peak 100.0 Hz"
  head -1 psd.tsv | grep -q "^freq_hz	S" || fail "psd.tsv header: $(head -1 psd.tsv)"
  [ "$(wc -l <psd.tsv)" = 502 ] || fail "psd.tsv has $(wc -l <psd.tsv) lines, expected 502"
  # the largest bin is at 100 Hz
  peak=$(awk -F'\t' 'NR > 1 && $2 > m { m = $2; f = $1 } END { print f }' psd.tsv)
  [ "$peak" = 100 ] || fail "PSD peak at $peak Hz"
  run 0 "$ETW" psd sine.csv -o psd.png --width 700 --height 300
  [ "$(png_size psd.png)" = "700 300" ] || fail "psd.png is $(png_size psd.png)"
  run 1 "$ETW" psd sine.csv --nperseg 100000
  contains err.txt "fewer than one segment"
}

# ---- detect ---------------------------------------------------------------------------------
t_detect() {
  need_cmd detect
  gen_csv in.csv
  run 0 "$ETW" detect in.csv -o ev.tsv
  head -1 ev.tsv | grep -q "^onset	duration	trial_type	channel	" || fail "header: $(head -1 ev.tsv)"
  [ "$(grep -c "	twitch	" ev.tsv)" = 2 ] || { cat ev.tsv; fail "expected 2 twitches"; }
  awk -F'\t' 'NR == 2 && ($1 < 2.98 || $1 > 3.02) { exit 1 } NR == 3 && ($1 < 6.98 || $1 > 7.02) { exit 1 }' ev.tsv ||
    { cat ev.tsv; fail "onsets not at 3 s and 7 s"; }
  contains err.txt "in.csv: 2 twitches in 10.0 s (12.00 per minute)"
  # the summary's floor (median over the recording) agrees with the events' local floors
  contains err.txt "detection floor (RMS after pre-emphasis, median over the recording): EMG1"
  col=$(head -1 ev.tsv | tr '\t' '\n' | grep -n '^noise_floor$' | cut -d: -f1)
  sed -n 's/.*over the recording): EMG1 \([0-9.e+-]*\).*/\1/p' err.txt >floor.txt
  awk -F'\t' -v c="$col" -v s="$(cat floor.txt)" 'NR > 1 && ($c < 0.8 * s || $c > 1.25 * s) { exit 1 }
    END { if (NR < 3 || s + 0 <= 0) exit 1 }' ev.tsv ||
    { cat err.txt ev.tsv; fail "summary floor $(cat floor.txt) far from the events' floors"; }
  # stdout by default, CSV and JSON by extension
  run 0 "$ETW" detect -q in.csv
  [ "$(grep -c "	twitch	" out.txt)" = 2 ] || fail "stdout table"
  [ ! -s err.txt ] || fail "--quiet printed: $(cat err.txt)"
  run 0 "$ETW" detect -q in.csv -o ev.csv
  head -1 ev.csv | grep -q "^onset,duration,trial_type" || fail "CSV header"
  run 0 "$ETW" detect -q in.csv -o ev.json
  contains ev.json '"on_db"'
  contains ev.json '"trial_type"'
  # every detector parameter is an option
  run 0 "$ETW" detect -q --on-db 60 in.csv -o high.tsv
  [ "$(grep -c "	twitch	" high.tsv)" = 0 ] || fail "--on-db 60 still found twitches"
}

t_detect_batch() {
  need_cmd detect
  mkdir dir
  gen_csv dir/a.csv
  gen_csv dir/b.csv 5
  echo "ignored" >dir/notes.md
  run 0 "$ETW" detect -j 2 dir -o all.tsv
  head -1 all.tsv | grep -q "	file	" || fail "no file column: $(head -1 all.tsv)"
  [ "$(grep -c "dir/a.csv" all.tsv)" = 2 ] || fail "a.csv rows"
  [ "$(grep -c "dir/b.csv" all.tsv)" = 1 ] || fail "b.csv rows"
  contains err.txt "dir/a.csv: 2 twitches"
  contains err.txt "dir/b.csv: 1 twitch in 5.0 s"
  # a failing file fails the run (exit 1) but the others are still reported
  run 1 "$ETW" detect dir/a.csv missing.csv -o some.tsv
  contains err.txt "emgtwitch detect: missing.csv: "
  [ "$(grep -c "	twitch	" some.tsv)" = 2 ] || fail "the good file's events are missing"
}

t_detect_markers() {
  need_cmd detect
  gen_csv in.csv
  printf 'onset\tduration\n2.95\t0\n5.00\t0\n' >markers.tsv
  run 0 "$ETW" detect in.csv --markers markers.tsv --latency 0:200 -o ev.tsv
  [ "$(grep -c "	stimulus	" ev.tsv)" = 2 ] || { cat ev.tsv; fail "expected 2 stimulus rows"; }
  grep "^2.95" ev.tsv | grep -q "	yes	" || { cat ev.tsv; fail "the 2.95 s stimulus was answered"; }
  grep "^5	\|^5.0" ev.tsv | grep -q "	no" || { cat ev.tsv; fail "the 5 s stimulus was not answered"; }
  contains err.txt "1 of 2 stimuli answered"
  run 2 "$ETW" detect in.csv --markers nothing-here
  contains err.txt "--markers: 'nothing-here'"
  run 2 "$ETW" detect in.csv --no-such-param 3
  contains err.txt "unknown option '--no-such-param'"
  run 2 "$ETW" detect in.csv -p on_db=999
  contains err.txt "detector parameter 'on_db=999'"
}

t_detect_edf() {
  need_cmd detect
  gen_csv in.csv
  run 0 "$ETW" detect -q in.csv -o annotated.edf
  [ "$(head -c 8 annotated.edf)" = "0       " ] || fail "not an EDF file"
  grep -aq "twitch 1" annotated.edf || fail "no 'twitch 1' annotation"
  grep -aq "twitch 2" annotated.edf || fail "no 'twitch 2' annotation"
  # the annotations come back as markers
  run 0 "$ETW" detect annotated.edf --markers 'annotations:twitch*' --latency -10:10 -o ev.tsv
  contains err.txt "2 of 2 stimuli answered"
}

# EDF+D: the same recording with a 100 s gap before record 15 (1-s records) is detected
# segment by segment; events keep their true times (within 20 ms: the detector restarts its
# noise floor after the gap, which moves refined onsets a little) and none falls in the gap.
# gen_discontinuous [CMD]: c.edf = 30 s of the synth demo, d.edf = the same with a 100 s gap
# before record 15 (EDF+D, 1-s records); with CMD, runs `CMD -q` on d.edf (-> d.tsv) and on
# c.edf's 0-15 s (a.tsv) and 15-30 s (b.tsv).
gen_discontinuous() {
  need_cmd synth
  run 0 "$ETW" synth --preset demo -d 30 -o c.edf
  /usr/bin/python3 "$SRC/tests/cli/edf_to_discontinuous.py" c.edf d.edf 15 100 || fail "convert"
  [ $# = 0 ] && return
  need_cmd "$1"
  run 0 "$ETW" "$1" -q d.edf -o d.tsv
  run 0 "$ETW" "$1" -q c.edf --end 15 -o a.tsv
  run 0 "$ETW" "$1" -q c.edf --start 15 -o b.tsv
}

t_detect_discontinuous() {
  need_cmd detect
  gen_discontinuous
  run 0 "$ETW" info d.edf
  contains out.txt "EDF+D"
  contains out.txt "segments    2"
  contains out.txt "at 115.0000 s for 15.0000 s: frames 30720..61439"
  run 0 "$ETW" detect c.edf -o c.tsv
  run 0 "$ETW" detect d.edf -o d.tsv
  awk -F'\t' 'NR == FNR { if (FNR > 1) on[FNR] = $1; next }
    FNR > 1 && $1 < 14 { early++ }
    FNR > 1 && $1 >= 15 && $1 < 115 { print "in the gap: " $1; bad = 1 }
    FNR > 1 && $1 >= 116 { late++; hit = 0
      for (i in on) if (on[i] - ($1 - 100) < 0.02 && ($1 - 100) - on[i] < 0.02) hit = 1
      if (!hit) { print "no continuous counterpart: " $1; bad = 1 } }
    END { if (bad || early < 2 || late < 3) { print early, late; exit 1 } }' c.tsv d.tsv ||
    { cat c.tsv d.tsv; fail "event times of the discontinuous file"; }
  # before the gap the events are those of the continuous file
  [ "$(awk -F'\t' 'NR > 1 && $1 < 14' c.tsv)" = "$(awk -F'\t' 'NR > 1 && $1 < 14' d.tsv)" ] ||
    fail "events before the gap differ"
}

# The commands that would treat the samples as one stream across the gap (and detect's
# annotated signal output) refuse an EDF+D file, naming it and pointing to detect/info, and
# write nothing; the continuous file passes.
t_discontinuous_refused() {
  gen_discontinuous
  for cmd in "filter d.edf out.edf" "envelope d.edf out.csv" \
             "plot d.edf -o out.png" "detect d.edf -o out.edf"; do
    set -- $cmd
    need_cmd "$1"
    run 1 "$ETW" "$@"
    contains err.txt "emgtwitch $1: d.edf: discontinuous recording (EDF+D/BDF+D, 2 segments)"
    contains err.txt "\`emgtwitch detect\` (events tables) handles each segment"
    [ ! -e out.edf ] && [ ! -e out.csv ] && [ ! -e out.tsv ] && [ ! -e out.png ] ||
      fail "$1 wrote output for a discontinuous file"
  done
  run 0 "$ETW" filter -q c.edf out.edf
}

# psd of an EDF+D file averages the Welch windows of each segment, none across the gap: with
# two 15-s segments of equal window counts it is the mean of the continuous file's PSDs of
# 0-15 s and 15-30 s.
t_psd_discontinuous() {
  gen_discontinuous psd
  run 0 "$ETW" psd -q c.edf -o all.tsv
  cmp -s d.tsv all.tsv && fail "the PSD of the EDF+D file crosses the gap"
  paste a.tsv b.tsv d.tsv | awk -F'\t' 'NR > 1 { n = NF / 3; for (i = 2; i <= n; i++) {
      m = ($i + $(i + n)) / 2; e = $(i + 2 * n) - m; if (e < 0) e = -e
      if (e > 1e-6 * m + 1e-9) { print NR, i, m, $(i + 2 * n); bad = 1 } } }
    END { exit bad }' || fail "PSD of the EDF+D file is not the mean of its segments' PSDs"
  run 1 "$ETW" psd d.edf --nperseg 40000 -o x.tsv
  contains err.txt "psd: d.edf: no gap-free stretch of the recording holds one segment of 40000"
}

# segment of an EDF+D file runs on each gap-free part and reports true times: its periods are
# those of the continuous file's 0-15 s and 15-30 s, the latter moved by the 100-s gap.
t_segment_discontinuous() {
  gen_discontinuous segment
  rows() { grep -v '^#' "$1" |
    awk -F'\t' -v add="$2" 'NR > 1 { printf "%s %.4f %.4f\n", $4, $1 + add, $2 }'; }
  { rows a.tsv 0; rows b.tsv 100; } | sort >want.txt
  rows d.tsv 0 | sort >got.txt
  [ -s want.txt ] && grep -q ' 1[12][0-9]\.' want.txt || fail "no period after the gap to compare"
  cmp -s want.txt got.txt || { diff want.txt got.txt; fail "periods of the EDF+D file"; }
}

# A file without bursts still gets its floor; one too short to learn a floor says so.
t_detect_no_events() {
  need_cmd detect
  awk 'BEGIN { srand(2); print "time_s,EMG1"; for (i = 0; i < 5000; i++) { n = 0
    for (k = 0; k < 6; k++) n += rand() - 0.5; printf "%.3f,%.4f\n", i / 1000, 5 * n } }' >q.csv
  run 0 "$ETW" detect q.csv -o q.tsv
  contains err.txt "0 twitches"
  contains err.txt "detection floor (RMS after pre-emphasis, median over the recording): EMG1 "
  grep -q "n/a" err.txt && fail "no floor for 5 s of noise: $(cat err.txt)"
  head -11 q.csv >short.csv
  run 0 "$ETW" detect short.csv -o short.tsv
  contains err.txt "EMG1 n/a (too short to learn)"
}

# ---- synth ----------------------------------------------------------------------------------
t_synth() {
  need_cmd synth
  run 0 "$ETW" synth --preset clean -d 20 --seed 3 --nch 3 -o s.edf
  [ -s s_truth.tsv ] || fail "no s_truth.tsv"
  head -1 s_truth.tsv | grep -q "^onset	duration	trial_type	channel" || fail "truth header"
  n=$(grep -c "	twitch	" s_truth.tsv)
  [ "$n" -gt 2 ] || fail "only $n twitches in the truth"
  contains err.txt "3 channels, 20.0 s at 2048 Hz, preset clean, seed 3: $n twitches"
  head -c 8 s.edf | grep -q "^0 " || fail "s.edf is not EDF"
  # the same seed gives the same recording, another seed another one
  run 0 "$ETW" synth --preset clean -d 20 --seed 3 --nch 3 -o again.csv --truth again.tsv
  run 0 "$ETW" synth --preset clean -d 20 --seed 3 --nch 3 -o same.csv --truth same.tsv
  cmp -s again.csv same.csv || fail "same seed, different recordings"
  run 0 "$ETW" synth --preset clean -d 20 --seed 4 --nch 3 -o other.csv --truth other.tsv
  cmp -s again.csv other.csv && fail "different seeds, same recording"
  head -1 again.csv | grep -q "EMG3" || fail "labels EMG1..3: $(head -1 again.csv)"
  # markers become EDF+ annotations
  run 0 "$ETW" synth --preset demo -d 30 -o d.edf
  m=$(grep -c "	stimulus	" d_truth.tsv)
  [ "$(grep -ao stimulus d.edf | wc -l)" = "$m" ] || fail "$m stimuli in the truth, not in d.edf"
  run 2 "$ETW" synth --preset nope -o x.edf
  contains err.txt "--preset: 'nope' is not one of:"
  run 2 "$ETW" synth --fs 100 -o x.edf
  contains err.txt "--fs: 100 is outside [500, 20000]"
  run 1 "$ETW" synth -o s.edf
  contains err.txt "s.edf: exists (use --force to overwrite)"
}

# ---- eval -----------------------------------------------------------------------------------
t_eval() {
  need_cmd eval
  printf 'onset\tduration\ttrial_type\n1.0\t0.05\ttwitch\n2.0\t0.05\ttwitch\n3.0\t0.05\ttwitch\n4.0\t1\tecg\n' >truth.tsv
  printf 'onset,duration,trial_type\n1.01,0.06,twitch\n2.2,0.05,twitch\n3.0,0.05,twitch\n5,0.05,twitch\n' >det.csv
  run 0 "$ETW" eval --duration 60 det.csv truth.tsv
  head -1 out.txt | grep -q "^detections	truth	truths	detected	tp	fp	fn	sensitivity" || fail "header"
  # 3 truths, 4 detections: 1.01 and 3.0 pair (tolerance 50 ms), 2.2 and 5 do not
  sed -n 2p out.txt | cut -f3-9 | grep -q "^3	4	2	2	1	0.66666" || { cat out.txt; fail "counts"; }
  sed -n 2p out.txt | cut -f11,12 | grep -q "^2	5$" || { cat out.txt; fail "FA/min 2, onset bias 5 ms"; }
  run 0 "$ETW" eval -t 300 --duration 60 det.csv truth.tsv
  sed -n 2p out.txt | cut -f5 | grep -q "^3$" || { cat out.txt; fail "300 ms tolerance pairs 3"; }
  # several pairs add up
  run 0 "$ETW" eval --duration 60 det.csv truth.tsv det.csv truth.tsv -o score.json
  contains score.json '"(all)"'
  contains score.json '"tolerance_ms"'
  run 2 "$ETW" eval det.csv
  contains err.txt "needs pairs of files"
  printf 'start\tend\n' >bad.tsv
  run 1 "$ETW" eval bad.tsv truth.tsv
  contains err.txt "bad.tsv:1: the header names no 'onset' and 'duration' columns"
}

# synth -> detect -> eval on a clean recording: the detector finds most twitches.
t_pipeline() {
  need_cmd eval
  run 0 "$ETW" synth --preset clean --snr 15:20 -d 60 --seed 5 -o clean.edf
  run 0 "$ETW" detect -q clean.edf -o clean_events.tsv
  run 0 "$ETW" eval clean_events.tsv clean_truth.tsv
  sed -n 2p out.txt | awk -F'\t' '{ exit !($8 >= 0.5) }' || { cat out.txt; fail "sensitivity < 0.5 at 15-20 dB"; }
}

# A progress bar on a terminal, none in a pipe.
t_progress() {
  need_cmd detect
  command -v script >/dev/null || skip "no 'script' to give the command a terminal"
  gen_csv in.csv
  script -qec "'$ETW' detect -q in.csv -o tty.tsv" /dev/null >tty.txt </dev/null || fail "detect under script"
  grep -q "detect \[#" tty.txt || { od -c tty.txt | head; fail "no progress bar on a terminal"; }
  run 0 "$ETW" detect -q in.csv -o pipe.tsv
  [ ! -s err.txt ] || fail "progress output without a terminal: $(od -c err.txt | head -3)"
}

# ---- segment --------------------------------------------------------------------------------
t_segment() {
  need_cmd segment
  # 10 s at 1000 Hz: 5 uV noise, 1 s contractions (80 uV, 120 Hz) at 3 s and 6 s
  awk 'BEGIN { srand(2); print "time_s,EMG"; for (i = 0; i < 10000; i++) { t = i / 1000; n = 0
    for (k = 0; k < 6; k++) n += rand() - 0.5
    b = ((t >= 3 && t < 4) || (t >= 6 && t < 7)) ? 80 * sin(2 * 3.14159265 * 120 * t) : 0
    printf "%.3f,%.4f\n", t, 5 * n + b } }' >c.csv
  for m in hodges bonato tkeo lidierth; do
    run 0 "$ETW" segment -m "$m" c.csv -o "$m.tsv"
    head -1 "$m.tsv" | grep -q "^onset	duration	trial_type	channel" || fail "$m: header"
    [ "$(grep -c "	activity	" "$m.tsv")" = 2 ] || { cat "$m.tsv"; fail "$m: expected 2 periods"; }
    awk -F'\t' 'NR == 2 && ($1 < 2.95 || $1 > 3.1) { exit 1 } NR == 3 && ($1 < 5.95 || $1 > 6.1) { exit 1 }' "$m.tsv" ||
      { cat "$m.tsv"; fail "$m: onsets not near 3 s and 6 s"; }
    contains err.txt "c.csv: EMG: 2 activity periods ($m)"
  done
  run 2 "$ETW" segment -m nope c.csv
  contains err.txt "--method: 'nope' is not one of"
  run 1 "$ETW" segment -p nope=3 c.csv
  contains err.txt "-p 'nope=3': no such parameter"
}

t_segment_biceps() {
  need_data bsnb_biceps_bursts/emg_bursts_derived.edf
  need_cmd segment
  run 0 "$ETW" segment "$DATA/bsnb_biceps_bursts/emg_bursts_derived.edf" -o biceps.tsv
  [ "$(grep -c "	activity	" biceps.tsv)" = 9 ] || { cat biceps.tsv; fail "the 9 biceps contractions"; }
}

# ---- real recordings (../shared/data) --------------------------------------------------------
t_shared_data() {
  need_data bsnb_biceps_bursts/emg_bursts_derived.edf
  need_cmd detect
  local edf="$DATA/bsnb_biceps_bursts/emg_bursts_derived.edf"
  run 0 "$ETW" filter -q "$edf" biceps.csv
  read -r mean _ n < <(col_stat biceps.csv 2)
  [ "$n" = 28000 ] || fail "biceps: $n frames, expected 28000 (28 s at 1000 Hz)"
  run 0 "$ETW" detect "$edf" "$DATA/biosppy_bitalino/emg.txt" -o ev.tsv
  contains err.txt "emg_bursts_derived.edf: "
  contains err.txt "emg.txt: "
  run 0 "$ETW" plot "$edf" -o biceps.png --width 1000 --height 500
  [ "$(png_size biceps.png)" = "1000 500" ] || fail "biceps.png size"
  run 0 "$ETW" psd "$DATA/physionet_emgdb/emg_healthy.hea" -o healthy.tsv
  contains err.txt "emg_healthy.hea: "
}

"t_$name"
