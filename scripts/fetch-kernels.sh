#!/usr/bin/env bash
# Test setup for `extract`: fetch the Debian kernels whose vDSOs are in samples/corpus and keep
# their vmlinuz in a cache. Uses apt with a private state directory, so the machine's own apt
# configuration is untouched. Safe to re-run: cached kernels are not fetched again.
# Debian drops superseded kernels from its indices; one the archive no longer serves is listed
# in $cache/UNAVAILABLE (the tests say so and skip it) instead of failing the setup.
# (samples/kernels/ keeps one real kernel in the repository, so extract is always tested.)
#   scripts/fetch-kernels.sh [CACHE_DIR]   (default: $VDSO_LAYOUT_KERNEL_CACHE or ~/.cache/vdso-layout/kernels)
set -euo pipefail
cache=${1:-${VDSO_LAYOUT_KERNEL_CACHE:-$HOME/.cache/vdso-layout/kernels}}
# package:arch  suite  file name in the cache    (corpus entry the images must match)
kernels=(
  "linux-image-6.1.0-56-amd64:amd64 bookworm-security vmlinuz-6.1.0-56-amd64"          # amd64-6.1.0-56-amd64
  "linux-image-6.1.0-56-arm64:arm64 bookworm-security vmlinuz-6.1.0-56-arm64"          # arm64-6.1.0-56-arm64
  "linux-image-6.1.0-50-armmp:armhf bookworm vmlinuz-6.1.0-50-armmp"                    # armhf-6.1.0-50-armmp
  "linux-image-6.1.0-50-s390x:s390x bookworm vmlinuz-6.1.0-50-s390x"                    # s390x-6.1.0-50-s390x
  "linux-image-6.1.0-50-5kc-malta:mips64el bookworm vmlinuz-6.1.0-50-5kc-malta"         # mips64el-6.1.0-50-5kc-malta
  "linux-binary-7.2.13+deb14-amd64:amd64 sid vmlinuz-7.2.13+deb14-amd64"                # amd64-7.2.13+deb14-amd64
  "linux-binary-7.2.13+deb14-s390x:s390x sid vmlinuz-7.2.13+deb14-s390x"                # s390x-7.2.13+deb14-s390x
  "linux-binary-7.2.13+deb14-riscv64:riscv64 sid vmlinuz-7.2.13+deb14-riscv64"          # riscv64-7.2.13+deb14-riscv64
)
mkdir -p "$cache"
missing=()
for k in "${kernels[@]}"; do
  set -- $k
  [ -s "$cache/$3" ] || grep -qx "$1" "$cache/UNAVAILABLE" 2>/dev/null || missing+=("$k")
done
[ ${#missing[@]} -eq 0 ] && { echo "kernels cached in $cache"; exit 0; }
command -v apt-get >/dev/null || { echo "fetch-kernels: no apt-get; those extract tests will be skipped" >&2; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs" "$work/x"
: > "$work/sources.list"
for k in "${missing[@]}"; do
  set -- $k
  case $2 in
    bookworm-security) line="deb http://deb.debian.org/debian-security bookworm-security main" ;;
    *) line="deb http://deb.debian.org/debian $2 main" ;;
  esac
  grep -qxF "$line" "$work/sources.list" || echo "$line" >> "$work/sources.list"
done
opts=(-o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o "Dir::Etc::SourceParts=/dev/null"
      -o "Dir::Etc::SourceList=$work/sources.list" -o "APT::Sandbox::User=root")
# Only the architectures still missing, so an index being resynced elsewhere does not matter.
for a in $(printf '%s\n' "${missing[@]}" | awk '{print $1}' | sed 's/.*://' | sort -u); do opts+=(-o "APT::Architectures::=$a"); done
# A failed index that is not needed is fine; a needed one makes that download fail below.
apt-get "${opts[@]}" -qq update || echo "fetch-kernels: some package indices failed to update (continuing)" >&2
for k in "${missing[@]}"; do
  set -- $k
  rm -f "$work"/debs/*.deb
  if ! ( cd "$work/debs" && apt-get "${opts[@]}" -qq download "$1" ) 2>"$work/err"; then
    if grep -qE "Unable to locate|has no installation candidate|Can't select" "$work/err"; then
      echo "fetch-kernels: $1 is no longer in the archive; its test is skipped" >&2
      echo "$1" >> "$cache/UNAVAILABLE"
      continue
    fi
    cat "$work/err" >&2; exit 1
  fi
  rm -rf "$work/x" && mkdir -p "$work/x"
  dpkg-deb --fsys-tarfile "$work"/debs/*.deb | tar -x -C "$work/x" --wildcards './boot/vmlinuz-*' './usr/lib/modules/*/vmlinuz' 2>/dev/null || true
  found=$(find "$work/x" -type f -name 'vmlinuz*' | head -1)
  [ -n "$found" ] || { echo "fetch-kernels: no vmlinuz in $1" >&2; exit 1; }
  cp "$found" "$cache/$3"
done
ls -l "$cache"
