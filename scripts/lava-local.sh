#!/usr/bin/env bash
# Run the vdso-layout LAVA job with LAVA's own dispatcher (`lava-run`, Debian's lava-dispatcher)
# on this machine, then check the job log: the proof that the job, the test definition and
# `check`'s LAVA log reader work together. A Debian kernel (or your build) boots under QEMU from
# tmpfs with a busybox ramdisk; LAVA adds its test overlay to the ramdisk, logs in, runs
# lava/vdso-layout.yaml (cloned with git from --repository, default this checkout's HEAD: commit
# first), and writes its log; `vdso-layout check` reads that log. Exit code: check's
# (0 match, 1 mismatch, 2 unreadable), and 2 when the job itself did not complete.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/lava-local.sh --arch amd64|arm64 (--kernel FILE | --debian PACKAGE[=VERSION])
                             [--busybox FILE [--compat-busybox FILE]] [--device-types DIR]
                             [--out DIR] [--repository GIT] [--revision REV] [--no-compat] [-- CHECK-ARGS...]

  --arch ARCH        amd64 (lava/jobs/qemu-x86_64.yaml.jinja2) or arm64 (qemu-arm64.yaml.jinja2)
  --kernel FILE      a kernel image (bzImage / Image) to boot
  --debian PKG[=VER] a Debian kernel package (linux-image-amd64: the current one), fetched with apt
                     from the archives this machine's apt is configured with
  --suite "S..."     suites searched (default: bookworm, or trixie bookworm for --debian)
  --out DIR          everything goes here (default ./lava-out): job.yaml, device.yaml, the ramdisk,
                     lava-run.log (the job log: LAVA's YAML entries), result.yaml
  --repository GIT   where the job clones the test definition from (default: this checkout)
  --revision REV     the commit the job checks out
  --no-compat        capture the native task only
  --busybox FILE     a static busybox for the ramdisk instead of Debian's busybox-static
  --compat-busybox F a static 32-bit busybox (i386 / armhf) for the compat task
  --device-types DIR lava-server's device-types directory (with qemu.jinja2 and base.jinja2)
                     With --kernel, --busybox, --compat-busybox (or --no-compat) and the device
                     types at hand, nothing is fetched and apt is not used.
  -- CHECK-ARGS      passed to `vdso-layout check` (--profile, --format, ...)

Needs: lava-run (apt-get install lava-dispatcher), qemu-system-x86 / qemu-system-arm, cpio,
python3-jinja2, and lava-server's device-type templates (taken from the lava-server package
with apt-get download when /usr/share/lava-server/device-types is not there).
EOF
}
die() { echo "lava-local: $*" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/scripts/lib/apt.sh"

arch='' kernel='' debian='' suites='' out=./lava-out repository=$here revision='' no_compat='' busybox='' compat_busybox='' dt=''
check_args=()
while [ $# -gt 0 ]; do
  case $1 in
    --arch) arch=${2:?}; shift 2 ;;
    --kernel) kernel=${2:?}; shift 2 ;;
    --debian) debian=${2:?}; shift 2 ;;
    --suite) suites=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --repository) repository=${2:?}; shift 2 ;;
    --revision) revision=${2:?}; shift 2 ;;
    --no-compat) no_compat=1; shift ;;
    --busybox) busybox=${2:?}; shift 2 ;;
    --compat-busybox) compat_busybox=${2:?}; shift 2 ;;
    --device-types) dt=${2:?}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; check_args=("$@"); break ;;
    *) echo "lava-local: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
case $arch in
  amd64) template=qemu-x86_64 qemu=qemu-system-x86_64 qpkg=qemu-system-x86 compat_arch=i386 ;;
  arm64) template=qemu-arm64 qemu=qemu-system-aarch64 qpkg=qemu-system-arm compat_arch=armhf ;;
  *) die "--arch: amd64 or arm64, not '$arch'" ;;
esac
[ -n "$no_compat" ] && compat_arch=
[ -n "$kernel" ] || [ -n "$debian" ] || die "give --kernel FILE or --debian PACKAGE[=VERSION]"
for f in "$kernel" "$busybox" "$compat_busybox"; do [ -z "$f" ] || [ -r "$f" ] || die "$f: no such file"; done
command -v lava-run >/dev/null 2>&1 || die "lava-run not found; install it with: apt-get install lava-dispatcher"
command -v "$qemu" >/dev/null 2>&1 || die "$qemu not found; install it with: apt-get install $qpkg"
command -v cpio >/dev/null 2>&1 || die "cpio not found; install it with: apt-get install cpio"
py=/usr/bin/python3; [ -x "$py" ] || py=python3
"$py" -c "import jinja2, yaml" 2>/dev/null || die "python3-jinja2 not found; install it with: apt-get install python3-jinja2"
[ -f "$here/dist/cli.js" ] || die "vdso-layout is not built: run 'npm ci' (or 'npm run build') in $here"

mkdir -p "$out"; out=$(cd "$out" && pwd)
work=$out/.work
rm -rf "$work" "$out/lava" "$out/lava-run.log"
mkdir -p "$work/root/bin" "$work/root/proc" "$work/root/sys" "$work/root/dev" "$work/root/etc" "$work/root/tmp" "$out/debs"

suites_used=${suites:-bookworm}
[ -z "$debian" ] || suites_used=${suites:-trixie bookworm}
[ -n "$dt" ] || dt=/usr/share/lava-server/device-types
if [ -n "$debian" ] || [ -z "$busybox" ] || { [ -n "$compat_arch" ] && [ -z "$compat_busybox" ]; } || [ ! -f "$dt/qemu.jinja2" ]; then
  apt_private_init "$work/apt" "$suites_used" "$arch${compat_arch:+ $compat_arch}" || exit 2
  echo "lava-local: updating package indices for $suites_used" >&2
  apt_private_update || echo "lava-local: some package indices failed to update (continuing with those that did)" >&2
fi
# fetch PKG:ARCH[=VER] — the .deb's path; packages are kept in DIR/debs between runs.
fetch() {
  local name=${1%%:*} a=${1#*:} ver f
  a=${a%%=*}
  case $1 in *=*) ver=${1#*=} ;; *) ver=$(apt_version "$name:$a") ;; esac
  f=$out/debs/${name}_${ver//:/%3a}_$a.deb
  [ -n "$ver" ] && [ -f "$f" ] && { echo "$f"; return 0; }
  apt_download "$name:$a${ver:+=$ver}" "$out/debs" || die "could not download $1 from $suites_used"
}

if [ -n "$debian" ]; then
  pkg=${debian%%=*}; want=; case $debian in *=*) want=${debian#*=} ;; esac
  if ! [[ $pkg =~ ^linux-(image|binary)-[0-9]+\.[0-9]+ ]] && [ -z "$want" ]; then
    read -r pkg want < <(apt_kernel_package "$arch" "${pkg#linux-image-}") || true
    [ -n "$pkg" ] || die "no kernel for $debian:$arch in $suites_used"
  fi
  deb=$(fetch "$pkg:$arch${want:+=$want}")
  mkdir -p "$work/kernel"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work/kernel" --wildcards './boot/vmlinu*' 2>/dev/null || true
  kernel=$(find "$work/kernel" -type f -name 'vmlinu*' | sort | head -1)
  [ -n "$kernel" ] || die "no boot/vmlinuz-* in $(basename "$deb")"
  echo "lava-local: kernel $(basename "$deb")" >&2
fi
cp "$kernel" "$out/kernel"

# The ramdisk: Debian's busybox-static (and the 32-bit one for the compat task), an /init that
# leaves a root shell on the console for LAVA (prompt "/ # "). LAVA adds its overlay to it.
busybox_from() { # ARCH DEST
  local deb x=$work/bb-$1 bb
  deb=$(fetch "busybox-static:$1"); mkdir -p "$x"; dpkg-deb -x "$deb" "$x"
  bb=$x/bin/busybox; [ -f "$bb" ] || bb=$x/usr/bin/busybox
  [ -f "$bb" ] || die "no busybox in $(basename "$deb")"
  install -D -m 0755 "$bb" "$2"
}
if [ -n "$busybox" ]; then install -D -m 0755 "$busybox" "$work/root/bin/busybox"; else busybox_from "$arch" "$work/root/bin/busybox"; fi
compat_shell=
if [ -n "$compat_arch" ]; then
  if [ -n "$compat_busybox" ]; then install -D -m 0755 "$compat_busybox" "$work/root/compat/busybox"
  else busybox_from "$compat_arch" "$work/root/compat/busybox"; fi
  compat_shell="compat=/compat/busybox sh"
fi
cat > "$work/root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin HOME=/root
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /root
# Emergencies only on the console: a kernel message printed while a capture is dumped would land
# inside its lines (the reader copes with the usual shapes; this makes them rare).
echo 1 > /proc/sys/kernel/printk 2>/dev/null
echo "vdso-layout-lava: ramdisk up, $(uname -r) $(uname -m)"
exec setsid cttyhack sh -l
INIT
echo 'export PS1="/ # "' > "$work/root/etc/profile"
chmod +x "$work/root/init"
( cd "$work/root" && find . | cpio -o -H newc --quiet | gzip -1 ) > "$out/ramdisk.cpio.gz"

# LAVA's qemu device type (lava-server ships it; a worker without lava-server takes it from the package).
if [ ! -f "$dt/qemu.jinja2" ]; then
  srv=$(fetch "lava-server:all"); mkdir -p "$work/lava-server"; dpkg-deb -x "$srv" "$work/lava-server"
  dt=$work/lava-server/usr/share/lava-server/device-types
  [ -f "$dt/qemu.jinja2" ] || die "no device-types/qemu.jinja2 in $(basename "$srv")"
fi

# Render the job template and the device dictionary with the job's context, as lava-server does.
"$py" - "$here/lava" "$dt" "$template" "$out" "file://$out/kernel" "file://$out/ramdisk.cpio.gz" "$repository" "$revision" "$compat_shell" <<'PY'
import sys, yaml, jinja2
lava, dt, template, out, kernel_url, ramdisk_url, repository, revision, compat = sys.argv[1:]
env = jinja2.Environment(loader=jinja2.FileSystemLoader([lava + "/jobs", lava + "/devices", dt]), autoescape=False, trim_blocks=True)
job = env.get_template(template + ".yaml.jinja2").render(
    kernel_url=kernel_url, ramdisk_url=ramdisk_url, repository=repository, revision=revision, compat_shell=compat)
open(out + "/job.yaml", "w").write(job)
context = yaml.safe_load(job).get("context", {})
device = env.get_template("qemu-vdso-01.jinja2").render(**context)
yaml.safe_load(device)
open(out + "/device.yaml", "w").write(device)
PY

echo "lava-local: lava-run $out/job.yaml (log: $out/lava-run.log)" >&2
start=$SECONDS rc=0
lava-run --job-id 1 --output-dir "$out/lava" --device "$out/device.yaml" "$out/job.yaml" 2> "$out/lava-run.log" > "$out/lava-run.stdout" || rc=$?
cp "$out/lava/result.yaml" "$out/result.yaml" 2>/dev/null || true
echo "lava-local: lava-run exited $rc after $((SECONDS - start))s" >&2
if ! grep -q '"msg": {"case": "job", "definition": "lava", "result": "pass"' "$out/lava-run.log"; then
  echo "lava-local: the job did not complete; the last entries of $out/lava-run.log:" >&2
  tail -n 15 "$out/lava-run.log" | cut -c1-300 >&2
  exit 2
fi
# The device's own results (lava-test-case): capture-TASK, layout-TASK.
sed -nE 's/.*"msg": \{"case": "((capture|layout)-[a-z0-9]+)", "definition": "[^"]*",.* "result": "([a-z]+)".*/lava-local: device result \1 \3/p' "$out/lava-run.log" >&2
node "$here/bin/vdso-layout.js" check "$out/lava-run.log" "${check_args[@]}"
