#!/usr/bin/env bash
# Test setup for `extract`: fetch the Debian kernels whose vDSOs are in samples/corpus and keep
# their vmlinuz in a cache. Uses apt with a private state directory, so the machine's own apt
# configuration is untouched. Safe to re-run: cached kernels are not fetched again.
#   scripts/fetch-kernels.sh [CACHE_DIR]   (default: $VDSO_LAYOUT_KERNEL_CACHE or ~/.cache/vdso-layout/kernels)
set -euo pipefail
cache=${1:-${VDSO_LAYOUT_KERNEL_CACHE:-$HOME/.cache/vdso-layout/kernels}}
# package:arch  kernel file name: Debian bookworm 6.1.176-1 (samples/corpus/*-6.1.0-50-*) and
# bookworm-security 6.1.192-2 (samples/corpus/*-6.1.0-56-*).
kernels=(
  "linux-image-6.1.0-56-amd64:amd64 vmlinuz-6.1.0-56-amd64"
  "linux-image-6.1.0-56-arm64:arm64 vmlinuz-6.1.0-56-arm64"
  "linux-image-6.1.0-50-686-pae:i386 vmlinuz-6.1.0-50-686-pae"
  "linux-image-6.1.0-50-armmp:armhf vmlinuz-6.1.0-50-armmp"
  "linux-image-6.1.0-50-s390x:s390x vmlinuz-6.1.0-50-s390x"
  "linux-image-6.1.0-50-5kc-malta:mips64el vmlinuz-6.1.0-50-5kc-malta"
)
mkdir -p "$cache"
missing=()
for k in "${kernels[@]}"; do set -- $k; [ -s "$cache/$2" ] || missing+=("$1"); done
[ ${#missing[@]} -eq 0 ] && { echo "kernels cached in $cache"; exit 0; }
command -v apt-get >/dev/null || { echo "fetch-kernels: no apt-get; extract tests will be skipped" >&2; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs"
printf '%s\n' "deb http://deb.debian.org/debian bookworm main" \
  "deb http://deb.debian.org/debian-security bookworm-security main" > "$work/sources.list"
opts=(-o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o "Dir::Etc::SourceParts=/dev/null"
      -o "Dir::Etc::SourceList=$work/sources.list" -o "APT::Sandbox::User=root")
# Only the architectures still missing, so an index being resynced elsewhere does not matter.
for a in $(printf '%s\n' "${missing[@]}" | sed 's/.*://' | sort -u); do opts+=(-o "APT::Architectures::=$a"); done
# A failed index that is not needed is fine; a needed one makes the download below fail.
apt-get "${opts[@]}" -qq update || echo "fetch-kernels: some package indices failed to update (continuing)" >&2
( cd "$work/debs" && apt-get "${opts[@]}" -qq download "${missing[@]}" )
for deb in "$work"/debs/*.deb; do
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" --wildcards './boot/vmlinuz-*'
done
cp "$work"/boot/vmlinuz-* "$cache/"
ls -l "$cache"
