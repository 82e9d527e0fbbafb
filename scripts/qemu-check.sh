#!/usr/bin/env bash
# From a kernel to a verdict: boot a kernel under QEMU (TCG) with a busybox initramfs whose /init
# runs `vdso-layout capture-script` as root (a 64-bit task, plus a 32-bit compat task where the
# kernel has a compat ABI and Debian has a 32-bit busybox-static for it), power off, and run
# `vdso-layout check` on the raw serial log. The exit code is check's (0 match, 1 mismatch,
# 2 unreadable input) — and 2 also for a boot that failed (the reason is printed).
# shellcheck disable=SC1007 # `a= b=` sets empty variables (house style)
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/qemu-check.sh --arch ARCH (--kernel FILE | --debian PACKAGE[=VERSION]) [options] [-- CHECK-ARGS...]

Boot a kernel under QEMU with a busybox initramfs that runs `vdso-layout capture-script`, then run
`vdso-layout check` on the serial console log. Exit code: check's (0 match, 1 mismatch, 2 bad
input), and 2 for a boot that failed (timeout, kernel panic, missing QEMU or package).

  --arch ARCH            Debian architecture: amd64, i386, arm64, armhf, ppc64el, s390x, riscv64,
                         mips64el, loong64, sparc64 (QEMU sun4u; needs --init: Debian has no
                         busybox-static for it), hppa (32-bit, QEMU B160L; needs --init too),
                         sh4 (QEMU r2d; needs --init, likewise)
  --kernel FILE          a kernel image: your build's arch/*/boot/{bzImage,Image,zImage,vmlinuz*},
                         or vmlinux where QEMU boots it (mips64el, loong64)
  --debian PKG[=VER]     a Debian kernel package fetched with apt from the archives this machine's
                         apt is configured with: linux-image-6.1.0-50-amd64, or a metapackage such
                         as linux-image-amd64 (the current kernel of the suite); see --suite
  --suite "S..."         Debian suites searched for --debian and busybox-static (default for
                         --debian: bullseye bookworm trixie sid, the newest wins; for busybox-static
                         alone: this machine's own suite and sid)
  --vdso IMAGE           the build's vDSO image (vdso64.so.dbg, vdso.so, ...) for the 64-bit task;
                         without it check uses the [vdso] bytes the target dumped
  --compat-vdso IMAGE    the image for the 32-bit compat task (vdso32.so.dbg, ...)
  --no-compat            run the 64-bit task only
  --out DIR              output directory (default: ./qemu-out); DIR/console.log is the raw serial
                         log with the capture bundles; nothing is written outside DIR
  --timeout S            stop a boot that has not finished after S seconds (default: 600)
  --append ARGS          extra kernel command-line arguments
  --busybox FILE         a static busybox for ARCH instead of Debian's busybox-static
  --compat-busybox FILE  a static 32-bit busybox for the compat task
  --init FILE            a static capture-init program for ARCH (scripts/capture-init, which
                         scripts/build-kernel.sh builds) as /init instead of busybox and the capture
                         script: the same console lines and bundles, no busybox needed
  --compat-init FILE     its 32-bit build, run as the compat task (with --init)
  --program FILE         a static program for ARCH, run once in the initramfs before the capture
                         (its output lands in the console log), e.g. the vdso-clock program
                         scripts/build-kernel.sh builds, which shows the vDSO still tells the time
  --bios FILE            a firmware image for QEMU's -bios, for kernels that need firmware: a
                         loong64 6.1 kernel (no device-tree boot: CPUs, interrupt controllers and
                         the UART are found only in the ACPI tables a UEFI firmware installs) boots
                         its vmlinux.efi under Debian trixie's QEMU_EFI.fd (qemu-efi-loongarch64),
                         which needs a QEMU newer than 7.2 (7.2 refuses the 16 MiB image as its
                         ROM; trixie's 10.0 boots it)
  --cache DIR            keep downloaded packages in DIR (default: DIR/.cache of --out, kept
                         between runs)
  -h, --help             this text
  -- CHECK-ARGS...       passed to `vdso-layout check` unchanged (--format, --profile, -q, ...)

DIR/task-native.log and DIR/task-compat.log hold each task's part of the log. When --vdso or
--compat-vdso is given and the target ran two tasks, each task's bundle is checked
with its own image (two check runs on DIR/task-native.log and DIR/task-compat.log; the exit code
is 1 if either found a layout failure, else the worse of the two); otherwise one check run on DIR/console.log.

Needs: qemu-system-<arch>, cpio, gzip, dpkg-deb, apt-get (for --debian and busybox-static), node.
EOF
}

die() { echo "qemu-check: $*" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/scripts/lib/apt.sh"
. "$here/scripts/lib/options.sh"

arch= kernel= debian= suites= vdso= compat_vdso= no_compat= out=./qemu-out timeout_s=600 append= busybox= compat_busybox= cache= program=
init= compat_init= bios=
check_args=()
options_parse '--arch=arch --kernel=kernel --debian=debian --suite=suites --vdso=vdso --compat-vdso=compat_vdso
  --no-compat=no_compat:flag --out=out --timeout=timeout_s --append=append:may-be-empty --busybox=busybox
  --compat-busybox=compat_busybox --init=init --compat-init=compat_init --cache=cache --program=program --bios=bios --=check_args:rest' "$@"
[ -n "$arch" ] || die "--arch is required (amd64, i386, arm64, armhf, ppc64el, s390x, riscv64, mips64el, loong64, sparc64, hppa, sh4)"
[ -n "$kernel" ] || [ -n "$debian" ] || die "give --kernel FILE or --debian PACKAGE[=VERSION]"
[ -z "$kernel" ] || [ -z "$debian" ] || die "give either --kernel or --debian, not both"
options_seconds --timeout "$timeout_s"
[ -z "$compat_init" ] || [ -n "$init" ] || die "--compat-init needs --init (the compat task is run by the native one)"
[ -z "$init" ] || { [ -z "$busybox" ] && [ -z "$compat_busybox" ]; } || die "give --init or --busybox/--compat-busybox, not both"
for f in "$kernel" "$vdso" "$compat_vdso" "$busybox" "$compat_busybox" "$program" "$init" "$compat_init" "$bios"; do
  [ -z "$f" ] || [ -r "$f" ] || die "$f: no such file (or not readable)"
done

# Per architecture: QEMU binary and the Debian package holding it, machine arguments, console,
# the compat architecture whose busybox-static runs as the 32-bit task, the flavour of the
# kernel metapackage (for --debian linux-image-FLAVOUR) — all boot Debian's kernels with -kernel/-initrd.
compat_arch=
# shellcheck disable=SC2100,SC2054 # package names with dashes; QEMU's -M takes commas
case $arch in
  amd64) qemu=qemu-system-x86_64; qpkg=qemu-system-x86; machine=(-cpu max -m 512); console=ttyS0; compat_arch=i386 ;;
  i386) qemu=qemu-system-i386; qpkg=qemu-system-x86; machine=(-cpu max -m 512); console=ttyS0 ;;
  arm64) qemu=qemu-system-aarch64; qpkg=qemu-system-arm; machine=(-M virt -cpu max -m 1024); console=ttyAMA0; compat_arch=armhf ;;
  armhf) qemu=qemu-system-arm; qpkg=qemu-system-arm; machine=(-M virt,highmem=off -cpu cortex-a15 -m 1024); console=ttyAMA0 ;;
  ppc64el) qemu=qemu-system-ppc64; qpkg=qemu-system-ppc
           machine=(-M pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off -cpu power9 -m 1024); console=hvc0 ;;
  s390x) qemu=qemu-system-s390x; qpkg="qemu-system-s390x qemu-system-misc"; machine=(-M s390-ccw-virtio -m 1024); console= ;;
  riscv64) qemu=qemu-system-riscv64; qpkg="qemu-system-riscv qemu-system-misc"; machine=(-M virt -bios default -m 1024); console=ttyS0 ;;
  mips64el) qemu=qemu-system-mips64el; qpkg=qemu-system-mips; machine=(-M malta -cpu 5KEc -m 512); console=ttyS0; compat_arch=mipsel ;;
  loong64) qemu=qemu-system-loongarch64; qpkg="qemu-system-loongarch qemu-system-misc"; machine=(-M virt -cpu la464 -m 1024); console=ttyS0,115200 ;;
  # sun4u's OpenBIOS loads the ELF vmlinux; the SU (16550) serial port is ttyS0. sparc64 is a
  # Debian ports architecture: no busybox-static (for it or 32-bit sparc), so --init is the way in.
  sparc64) qemu=qemu-system-sparc64; qpkg=qemu-system-sparc; machine=(-M sun4u -m 512); console=ttyS0 ;;
  # QEMU's default hppa machine, the 32-bit B160L (7.2 has no other), loads the ELF vmlinux; ttyS0
  # is the 16550 on its Dino bridge. hppa is a ports architecture: no busybox-static, --init.
  hppa) qemu=qemu-system-hppa; qpkg=qemu-system-misc; machine=(-m 512); console=ttyS0 ;;
  # r2d (SH7751R) loads the zImage at 0x0c800000 and passes the command line and initrd in its
  # boot parameters. Its first serial port is the SCI, the second the SCIF (ttySC1): the console.
  # 64M of RAM is fixed (no -m). sh4 is a Debian ports architecture: no busybox-static, --init.
  sh4) qemu=qemu-system-sh4; qpkg=qemu-system-misc; machine=(-M r2d -serial null); console=ttySC1,115200 ;;
  *) die "--arch: unknown architecture '$arch' (amd64, i386, arm64, armhf, ppc64el, s390x, riscv64, mips64el, loong64, sparc64, hppa, sh4)" ;;
esac
[ -n "$no_compat" ] && compat_arch=
# capture-init runs every task itself: no busybox is fetched for either.
[ -z "$init" ] || compat_arch=
[ "$arch" != sparc64 ] || [ -n "$init" ] || [ -n "$busybox" ] || die "--arch sparc64: Debian has no busybox-static for sparc64; pass --init FILE (the capture-init build-kernel.sh makes: CAPTURE_INIT in its build.env)"
[ "$arch" != hppa ] || [ -n "$init" ] || [ -n "$busybox" ] || die "--arch hppa: Debian has no busybox-static for hppa; pass --init FILE (the capture-init build-kernel.sh makes: CAPTURE_INIT in its build.env)"
[ "$arch" != sh4 ] || [ -n "$init" ] || [ -n "$busybox" ] || die "--arch sh4: Debian has no busybox-static for sh4; pass --init FILE (the capture-init build-kernel.sh makes: CAPTURE_INIT in its build.env)"

# The package name depends on the Debian release (trixie split qemu-system-s390x and -riscv out of -misc).
install_hint() { local p; for p in $qpkg; do [[ $(apt-cache policy "$p" 2>/dev/null) == *"Candidate: "[0-9]* ]] && { echo "$p"; return; }; done; echo "${qpkg%% *}"; }
command -v "$qemu" >/dev/null 2>&1 || die "$qemu not found; install it with: apt-get install $(install_hint)"
command -v cpio >/dev/null 2>&1 || die "cpio not found; install it with: apt-get install cpio"
command -v node >/dev/null 2>&1 || die "node not found (Node.js 20 or later runs vdso-layout)"
[ -f "$here/dist/cli.js" ] || die "vdso-layout is not built: run 'npm ci' (or 'npm run build') in $here"

mkdir -p -- "$out" 2>/dev/null || die "--out: cannot create directory '$out'"
out=$(cd -- "$out" && pwd)
[ -w "$out" ] || die "--out: directory '$out' is not writable"
work=$out/.work
rm -rf "$work" "$out/console.log" "$out/task-native.log" "$out/task-compat.log"
mkdir -p "$work/root/bin" "$work/root/proc" "$work/root/sys" "$work/root/dev" 2>/dev/null || die "cannot create $work"
# The package cache outlives a run (.work is removed at every start).
cache=${cache:-$out/.cache}
mkdir -p -- "$cache" 2>/dev/null || die "--cache: cannot create directory '$cache'"
cache=$(cd -- "$cache" && pwd)

# A private apt state in the output directory (never the machine's) for the suites asked for.
apt_ready=
apt_setup() {
  [ -z "$apt_ready" ] || return 0
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: pass --kernel and --busybox instead of fetching Debian packages"
  local s=$1 arches=$2
  apt_private_init "$work/apt" "$s" "$arches" || exit 2
  echo "qemu-check: updating package indices for $s ($arches)" >&2
  apt_private_update || apt_private_update || echo "qemu-check: some package indices failed to update (continuing with those that did)" >&2
  apt_ready=1
}
# deb_file PKG:ARCH[=VER] — download (or reuse from the cache) a package, print its path.
deb_file() {
  local spec=$1 name=${1%%:*} a=${1#*:} ver
  a=${a%%=*}
  case $spec in *=*) ver=${spec#*=} ;; *) ver=$(apt_version "$name:$a") ;; esac
  [ -n "$ver" ] || { echo "qemu-check: package $name:$a not found in the Debian suites searched ($suites_used)" >&2; return 1; }
  local f v
  f=$(ls "$cache/${name}_${ver//:/%3a}_$a.deb" 2>/dev/null || true)
  [ -z "$f" ] || { echo "$f"; return 0; }
  f=$(apt_download "$name:$a=$ver" "$cache") && { echo "$f"; return 0; }
  echo "qemu-check: could not download $name:$a=$ver" >&2
  # An index can list a file the archive no longer has: any other version of a helper package will do.
  case $spec in *=*) return 1 ;; esac
  for v in $(apt-cache "${APT_OPTS[@]}" madison "$name:$a" 2>/dev/null | awk -F' [|] ' '{ print $2 }' | grep -vxF "$ver"); do
    f=$(apt_download "$name:$a=$v" "$cache") && { echo "qemu-check: using $name:$a=$v instead" >&2; echo "$f"; return 0; }
  done
  return 1
}
machine_suite() {
  apt_debian_uris >/dev/null 2>&1 || true
  apt_configured_sources 2>/dev/null | awk -v want="$APT_DEBIAN_URI" '$1 == want && $2 !~ /[-\/]/ && !seen++ { print $2 }'
}

needs_busybox=
[ -n "$busybox" ] || [ -n "$init" ] || needs_busybox=1
[ -z "$compat_arch" ] || [ -n "$compat_busybox" ] || needs_busybox=1
if [ -n "$debian" ]; then
  suites_used=${suites:-bullseye bookworm trixie sid}
elif [ -n "$needs_busybox" ]; then
  ms=$(machine_suite); suites_used=${suites:-${ms:-bookworm} sid}
fi
if [ -n "$debian" ] || [ -n "$needs_busybox" ]; then apt_setup "$suites_used" "$arch${compat_arch:+ $compat_arch}"; fi

# The kernel: a Debian package resolves to the image file inside it (a metapackage to the kernel
# package it depends on; a linux-image package to the linux-binary package holding the image).
if [ -n "$debian" ]; then
  pkg=${debian%%=*}; want=; case $debian in *=*) want=${debian#*=} ;; esac
  if ! [[ $pkg =~ ^linux-(image|binary)-[0-9]+\.[0-9]+ ]] && [ -z "$want" ]; then # a metapackage
    read -r pkg want < <(apt_kernel_package "$arch" "${pkg#linux-image-}") || true
    [ -n "$pkg" ] || die "no kernel for $debian:$arch in $suites_used"
  fi
  binpkg=${pkg/#linux-image-/linux-binary-}
  [ -n "$(apt_version "$binpkg:$arch")" ] && pkg=$binpkg
  deb=$(deb_file "$pkg:$arch${want:+=$want}") || exit 2
  mkdir -p "$work/kernel"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work/kernel" --wildcards './boot/vmlinu*' './usr/lib/modules/*/vmlinu*' 2>/dev/null || true
  kernel=$(find "$work/kernel" -type f -name 'vmlinu*' | sort | head -1)
  [ -n "$kernel" ] || die "no kernel image (boot/vmlinuz-*) in $(basename "$deb")"
  echo "qemu-check: kernel $(basename "$deb") -> $kernel" >&2
fi

# busybox-static for the target (and the compat task), unpacked from Debian's packages.
busybox_from_deb() {
  local a=$1 dest=$2 deb x=$work/bb-$1
  deb=$(deb_file "busybox-static:$a") || return 1
  mkdir -p "$x"; dpkg-deb -x "$deb" "$x"
  local bb=$x/bin/busybox
  [ -f "$bb" ] || bb=$x/usr/bin/busybox # after usrmerge
  [ -f "$bb" ] || { echo "qemu-check: no bin/busybox in $(basename "$deb")" >&2; return 1; }
  cp "$bb" "$dest"
}
if [ -n "$init" ]; then :
elif [ -n "$busybox" ]; then cp "$busybox" "$work/root/bin/busybox"
else busybox_from_deb "$arch" "$work/root/bin/busybox" || die "no busybox-static for $arch (pass --busybox FILE)"; fi
if [ -n "$compat_arch" ]; then
  mkdir -p "$work/root/compat"
  if [ -n "$compat_busybox" ]; then cp "$compat_busybox" "$work/root/compat/busybox"
  elif ! busybox_from_deb "$compat_arch" "$work/root/compat/busybox"; then
    echo "qemu-check: no busybox-static for $compat_arch: the compat task is skipped" >&2; rm -rf "$work/root/compat"; compat_arch=
  fi
fi
chmod +x "$work/root/bin/busybox" "$work/root/compat/busybox" 2>/dev/null || true
if [ -n "$compat_init" ] && [ -z "$no_compat" ]; then mkdir -p "$work/root/compat"; cp "$compat_init" "$work/root/compat/capture-init"; chmod +x "$work/root/compat/capture-init"; fi
if [ -n "$program" ]; then cp "$program" "$work/root/program"; chmod +x "$work/root/program"; fi

# /init: the capture script for each task between markers; then power off (three ways, since not
# every machine honours the first; -no-reboot turns a reboot into QEMU exiting).
node "$here/bin/vdso-layout.js" capture-script > "$work/root/vdso-capture.sh"
if [ -n "$init" ]; then cp "$init" "$work/root/init"; rm -f "$work/root/vdso-capture.sh"
else cat > "$work/root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
# Only emergencies on the console from here: a kernel message printed while a capture is dumped
# lands inside its lines (the reader copes with the usual shapes; this makes them rare).
echo 1 > /proc/sys/kernel/printk 2>/dev/null
echo "vdso-layout-qemu: booted $(uname -r) $(uname -m)"
if [ -x /program ]; then
  echo "vdso-layout-qemu: program"
  /program || echo "vdso-layout-qemu: the program exited with $?"
fi
echo "vdso-layout-qemu: task native"
/bin/busybox sh /vdso-capture.sh
if [ -x /compat/busybox ]; then
  echo "vdso-layout-qemu: task compat"
  /compat/busybox sh /vdso-capture.sh || echo "vdso-layout-qemu: the compat task could not run"
fi
echo "vdso-layout-qemu: done"
poweroff -f
sleep 3
echo o > /proc/sysrq-trigger
reboot -f
INIT
fi
chmod +x "$work/root/init"
( cd "$work/root" && find . | cpio -o -H newc --quiet | gzip -1 ) > "$work/initramfs.gz"

# QEMU before 8.1 loads only an ELF vmlinux on loongarch (Debian's loong64 vmlinuz is EFI zboot).
# With a firmware (--bios) the firmware loads the kernel, an EFI application.
if [ "$arch" = loong64 ] && [ -z "$bios" ] && [ "$(head -c 4 "$kernel" | od -An -tx1 | tr -d ' ')" != 7f454c46 ]; then
  qv=$("$qemu" --version | awk 'NR == 1 { print $4 }')
  case $qv in [0-7].*|8.0*) die "$qemu $qv boots only an ELF vmlinux on loongarch, and $(basename "$kernel") is not one: pass --kernel vmlinux from the build tree, or use QEMU 8.1 or later (Debian trixie's)" ;; esac
fi

cmdline="panic=-1 ${console:+console=$console }$append"
log=$out/console.log
echo "qemu-check: booting $arch under $qemu (timeout ${timeout_s}s); console log: $log" >&2
: > "$log" # before QEMU starts, so the watch below never looks for a file not yet there
"$qemu" "${machine[@]}" ${bios:+-bios "$bios"} -smp 1 -display none -vga none -nic none -monitor none -serial stdio -no-reboot \
  -kernel "$kernel" -initrd "$work/initramfs.gz" -append "$cmdline" < /dev/null > "$log" 2> "$work/qemu.stderr" &
qpid=$!
# Watch the log: done (the last marker), a panic, or the timeout; QEMU's own exit ends the wait.
start=$SECONDS reason=
while kill -0 "$qpid" 2>/dev/null; do
  if grep -aq 'vdso-layout-qemu: done' "$log"; then sleep 5; reason='done'; break; fi
  if grep -aq 'Kernel panic - not syncing' "$log"; then sleep 2; reason=panic; break; fi
  if [ $((SECONDS - start)) -ge "$timeout_s" ]; then reason=timeout; break; fi
  sleep 1
done
kill "$qpid" 2>/dev/null && wait "$qpid" 2>/dev/null || wait "$qpid" 2>/dev/null || true
tail_log() { echo "--- last lines of $log:" >&2; tr -d '\r' < "$log" | tail -n "${1:-25}" >&2; }
if grep -aq 'Kernel panic - not syncing' "$log"; then
  echo "qemu-check: kernel panic during the boot ($arch, $(basename "$kernel"))" >&2; tail_log 30; exit 2
fi
if ! grep -aq 'vdso-layout-qemu: done' "$log"; then
  if [ "$reason" = timeout ]; then echo "qemu-check: timeout: the boot did not finish within ${timeout_s}s (QEMU stopped)" >&2
  else echo "qemu-check: QEMU exited before the capture finished" >&2; [ -s "$work/qemu.stderr" ] && sed 's/^/  qemu: /' "$work/qemu.stderr" >&2; fi
  tail_log; exit 2
fi
grep -aq 'VDSO-LAYOUT-BUNDLE 1 END' "$log" || { echo "qemu-check: the boot finished but printed no complete capture bundle" >&2; tail_log; exit 2; }
ran_compat=; grep -aq 'vdso-layout-qemu: task compat' "$log" && ran_compat=1
echo "qemu-check: captured ($(grep -ac 'VDSO-LAYOUT-BUNDLE 1 END' "$log") bundle(s)) in $((SECONDS - start))s" >&2

# Each task's part of the log on its own (DIR/task-native.log, DIR/task-compat.log), for
# reports per task; then one check run on the raw log, unless images were given for a two-task
# capture: then each task's part is checked with its own image.
# The directory goes through the environment: awk -v would read a backslash in it as an escape.
tr -d '\r' < "$log" | VL_OUT=$out awk '{ o = ENVIRON["VL_OUT"] } /vdso-layout-qemu: task native/ { f = o "/task-native.log" } /vdso-layout-qemu: task compat/ { f = o "/task-compat.log" }
  /vdso-layout-qemu: done/ { f = "" } f != "" { print > f }'
vl() { node "$here/bin/vdso-layout.js" "$@"; }
if [ -n "$ran_compat" ] && { [ -n "$vdso" ] || [ -n "$compat_vdso" ]; }; then
  rc=0
  vl check "$out/task-native.log" ${vdso:+--vdso "$vdso"} "${check_args[@]}" || rc=$?
  rc2=0
  vl check "$out/task-compat.log" ${compat_vdso:+--vdso "$compat_vdso"} "${check_args[@]}" || rc2=$?
  # check's own precedence across the two runs: a layout failure (1) is never hidden by an
  # unreadable capture (2); 2 only when nothing failed.
  if [ "$rc" -eq 1 ] || [ "$rc2" -eq 1 ]; then exit 1; fi
  [ "$rc2" -gt "$rc" ] && rc=$rc2
  exit "$rc"
fi
vl check "$log" ${vdso:+--vdso "$vdso"} "${check_args[@]}"
