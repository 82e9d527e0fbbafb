#!/usr/bin/env bash
# The patch author's walk-through, for real: boot KERNEL under QEMU with a busybox initramfs
# whose init runs `vdso-layout capture-script`, and save the raw serial console log.
#   scripts/qemu-capture.sh KERNEL OUT.log      (x86_64 kernels; needs busybox-static, cpio, qemu-system-x86)
# Then: vdso-layout check OUT.log [--vdso path/to/vdso64.so.dbg]
# samples/qemu/ holds a log made this way from Debian's linux-image-6.1.0-56-amd64.
set -euo pipefail
kernel=$1; out=$2
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/bin" "$work/root/proc" "$work/root/sys" "$work/root/dev"
cp "$(command -v busybox)" "$work/root/bin/busybox"
node "$here/bin/vdso-layout.js" capture-script > "$work/root/vdso-capture.sh"
cat > "$work/root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
echo "booted: $(uname -r)"
sh /vdso-capture.sh
poweroff -f
INIT
chmod +x "$work/root/init"
( cd "$work/root" && find . | cpio -o -H newc 2>/dev/null | gzip ) > "$work/initramfs.gz"
timeout 300 qemu-system-x86_64 -m 512 -nographic -no-reboot -kernel "$kernel" -initrd "$work/initramfs.gz" \
  -append "console=ttyS0 panic=-1" > "$out" 2>&1 || true
grep -aq "VDSO-LAYOUT-BUNDLE 1 END" "$out" || { echo "qemu-capture: no complete bundle in $out" >&2; exit 1; }
