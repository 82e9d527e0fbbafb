#!/bin/sh
# vdso-layout capture bundle v1: this shell's own /proc/PID/maps, auxv and [vdso]
# bytes (one process, so AT_SYSINFO_EHDR and the addresses agree). Needs cat, od, dd.
# Reading /proc/PID/mem needs root (or ptrace rights); without it the bundle says so.
# Usage on the target:  sh vdso-capture.sh      then: npx vdso-layout check console.log
p=$$
echo
echo "@@@VDSO-LAYOUT-BUNDLE 1 BEGIN"
echo "uname-r: $(uname -r 2>/dev/null)"
echo "uname-m: $(uname -m 2>/dev/null)"
echo "pagesize: $(getconf PAGESIZE 2>/dev/null || getconf PAGE_SIZE 2>/dev/null)"
echo "pid: $p"
# NR_CPUS - 1: LoongArch's [vvar] holds a record per possible CPU, so its size needs NR_CPUS.
echo "kernel-max: $(cat /sys/devices/system/cpu/kernel_max 2>/dev/null)"
echo "@@@MAPS"
cat /proc/$p/maps
echo "@@@AUXV"
od -A x -t x1 -v /proc/$p/auxv
vdso=
# No `while read` here: busybox 1.38's ash waits in `read` with ppoll(), which a 32-bit task gets
# as the 32-bit-time syscall, missing (ENOSYS) on a 64-bit kernel without
# CONFIG_COMPAT_32BIT_TIME: its `read` fails at once. So split cat's output into lines, then
# fields (no pathname expansion: [vdso] is a pattern).
set -f
IFS='
'
# shellcheck disable=SC2013 # lines on purpose, split by the IFS above
for line in $(cat /proc/$p/maps); do
  IFS=' '
  # shellcheck disable=SC2086 # the fields of one maps line
  set -- $line
  if [ $# -eq 6 ] && [ "$6" = "[vdso]" ]; then vdso=$1; fi
done
unset IFS
set +f
if [ -z "$vdso" ]; then
  echo "@@@VDSO-NONE no [vdso] mapping in /proc/$p/maps"
else
  start=${vdso%-*}
  end=${vdso#*-}
  echo "@@@VDSO $start-$end"
  # In 4K blocks, counted from the addresses less their last three hex digits: shell arithmetic
  # is signed 64-bit (dash clamps, bash and ash wrap), and sparc64 maps the vDSO above 2^63.
  dd if=/proc/$p/mem bs=4096 skip=$(( 0x${start%???} )) count=$(( 0x${end%???} - 0x${start%???} )) 2>/dev/null | od -A x -t x1 -v
fi
echo "@@@VDSO-LAYOUT-BUNDLE 1 END"
