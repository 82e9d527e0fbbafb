#!/usr/bin/env bash
# Boot an x86_64 KERNEL under QEMU with a busybox initramfs running `vdso-layout capture-script`
# and save the raw serial console log as OUT.log (how samples/qemu/amd64-6.1.0-56-console.log was
# made). scripts/qemu-check.sh does this for every architecture, and runs check as well; this is
# that script with the check left out.
#   scripts/qemu-capture.sh KERNEL OUT.log      (then: vdso-layout check OUT.log)
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: scripts/qemu-capture.sh KERNEL OUT.log" >&2; exit 2; }
kernel=$1 log=$2
dir=$(mktemp -d "$(dirname "$log")/.qemu-capture.XXXXXX")
trap 'rm -rf "$dir"' EXIT
rc=0
bash "$(dirname "$0")/qemu-check.sh" --arch amd64 --kernel "$kernel" --out "$dir" -- --quiet >/dev/null || rc=$?
[ -s "$dir/console.log" ] && cp "$dir/console.log" "$log"
# A boot failure (2) is the script's; a check verdict is not this script's business.
[ "$rc" -eq 2 ] && exit 2
exit 0
