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
echo "@@@MAPS"
cat /proc/$p/maps
echo "@@@AUXV"
od -A x -t x1 -v /proc/$p/auxv
vdso=
while read -r range perms off dev ino name; do
  case "$name" in
    "[vdso]") vdso=$range ;;
  esac
done < /proc/$p/maps
if [ -z "$vdso" ]; then
  echo "@@@VDSO-NONE no [vdso] mapping in /proc/$p/maps"
else
  start=${vdso%-*}
  end=${vdso#*-}
  bs=4096
  echo "@@@VDSO $start-$end"
  dd if=/proc/$p/mem bs=$bs skip=$(( 0x$start / bs )) count=$(( (0x$end - 0x$start) / bs )) 2>/dev/null | od -A x -t x1 -v
fi
echo "@@@VDSO-LAYOUT-BUNDLE 1 END"
