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

"t_$name"
