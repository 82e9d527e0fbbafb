#!/bin/sh
# The vdso-layout LAVA test (lava/vdso-layout.yaml runs it on the device; busybox sh is enough).
# For each process -- this shell's own `sh`, and each shell given with -c (e.g. a 32-bit busybox
# for the compat ABI) -- it runs vdso-capture.sh (`vdso-layout capture-script`, kept in this
# directory) and prints the capture bundle on the console, so the job log carries it for the
# host's `vdso-layout check`. One result per process:
#   capture-TASK  pass when the bundle is complete (maps, aux vector, [vdso] bytes), else fail
#   layout-TASK   the layout verdict when vdso-layout runs on the device (pass/fail; unknown when
#                 it cannot judge); skip when it does not: then the host's check decides
# Results go to lava-test-case inside LAVA, else to OUTPUT/result.txt (test-definitions style).
#
# Usage: vdso-layout.sh [-c "NAME=COMMAND"]... [-a "CHECK-ARGS"] [-o OUTPUT]
#   -c compat="/compat/busybox sh"   another process to capture (COMMAND runs a POSIX sh)
#   -a "--profile x86-6.15"          arguments for an on-device `vdso-layout check`
set -u
here=$(cd "$(dirname "$0")" && pwd)
output=$here/output
check_args=
tasks="native=sh"
while getopts "c:a:o:" opt; do
  case $opt in
    c) [ -n "$OPTARG" ] && tasks="$tasks
$OPTARG" ;;
    a) check_args=$OPTARG ;;
    o) output=$OPTARG ;;
    *) echo "usage: $0 [-c NAME=COMMAND]... [-a CHECK-ARGS] [-o OUTPUT]" >&2; exit 2 ;;
  esac
done
mkdir -p "$output"
: > "$output/result.txt"

report() { # name result
  echo "$1 $2" >> "$output/result.txt"
  if command -v lava-test-case > /dev/null 2>&1; then lava-test-case "$1" --result "$2"
  else echo "vdso-layout-lava: $1 $2"; fi
}

# An on-device verdict needs the tool (Node); most DUTs have only the capture.
checker=
if command -v vdso-layout > /dev/null 2>&1; then checker=vdso-layout; fi

echo "vdso-layout-lava: kernel $(uname -r) $(uname -m)"
# One task a line, split without the read builtin: busybox 1.38's `read` fails in a 32-bit shell
# on a kernel without CONFIG_COMPAT_32BIT_TIME (vdso-capture.sh says why).
set -f
IFS='
'
for task in $tasks; do
  set +f
  unset IFS
  name=${task%%=*}
  cmd=${task#*=}
  bundle=$output/$name.bundle
  echo "vdso-layout-lava: task $name"
  # The bundle goes to the console (the job log) and to a file for an on-device check.
  # $cmd is word-split on purpose: "/compat/busybox sh".
  $cmd "$here/vdso-capture.sh" > "$bundle" 2>&1
  cat "$bundle"
  # Complete: the END marker, and the [vdso] bytes (od's first line of them is the ELF magic;
  # without root the bundle has the range but no bytes).
  if grep -q '^@@@VDSO-LAYOUT-BUNDLE [0-9]* END' "$bundle" && grep -q '^0*00000 7f 45 4c 46 ' "$bundle"; then
    report "capture-$name" pass
  else
    report "capture-$name" fail
  fi
  if [ -n "$checker" ]; then
    rc=0
    # shellcheck disable=SC2086 # CHECK-ARGS are several arguments
    $checker check "$bundle" $check_args || rc=$?
    case $rc in 0) report "layout-$name" pass ;; 1) report "layout-$name" fail ;; *) report "layout-$name" unknown ;; esac
  else
    echo "vdso-layout-lava: no vdso-layout on the device: the host's check on the job log gives the layout verdict"
    report "layout-$name" skip
  fi
done
echo "vdso-layout-lava: done"
