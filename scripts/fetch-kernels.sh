#!/usr/bin/env bash
# Test setup for `extract`: fetch the *current* Debian kernel of each (suite, architecture, flavour)
# below and keep its image in a cache, with a manifest the tests read (kernels.tsv).
#   scripts/fetch-kernels.sh [CACHE_DIR]   (default: $VDSO_LAYOUT_KERNEL_CACHE or ~/.cache/vdso-layout/kernels)
#   scripts/fetch-kernels.sh --list        the entries, one per line
#   scripts/fetch-kernels.sh --verify-dbg [CACHE_DIR]   also compare build-ids with Debian's -dbg
#                                          package (0.4-0.9 GB each: not for every CI run)
#
# - The archives are the Debian ones this machine's apt is configured with (scripts/lib/apt.sh);
#   only suites are added, in a private apt state (the machine's own apt state is untouched).
# - "Current" is what the suite's linux-image-FLAVOUR metapackage depends on (else its newest
#   image of that flavour), so nothing pins a version the archive will drop.
# - A kernel that cannot be resolved because an index failed to update is never recorded as gone:
#   the previously cached kernel (if any) stays, and the run says so.
# - What is fetched is verified independently of any corpus copy: every vDSO `vdso-layout extract`
#   finds in it carries the Linux version note of the package's upstream version (when the tool is
#   built; the tests check it again).
# samples/kernels/ keeps one real kernel in the repository, so extract is always tested.
# shellcheck disable=SC1007 # `a= b=` sets empty variables (house style)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/scripts/lib/apt.sh"

# suite arch flavour — chosen to cover every container and compression extract handles.
entries=(
  "bookworm amd64 amd64"          # bzImage, xz + x86 BCJ; vdso64, x32, vdso32
  "bookworm arm64 arm64"          # raw arm64 Image, uncompressed; vdso + compat vdso32
  "bookworm armhf armmp"          # zImage, xz + ARM BCJ
  "bookworm s390x s390x"          # s390 vmlinuz, xz; vdso64 + vdso32
  "bookworm mips64el 5kc-malta"   # self-extracting MIPS ELF, xz; n64, o32, n32
  "sid amd64 amd64"               # bzImage, zstd
  "sid s390x s390x"               # s390 vmlinuz, zstd
  "sid riscv64 riscv64"           # EFI PE; vdso and vdso-cfi
)
if [ "${1:-}" = --list ]; then printf '%s\n' "${entries[@]}"; exit 0; fi
# VDSO_LAYOUT_FETCH_ONLY="bookworm s390x" keeps the entries that start with it (a one-off check).
if [ -n "${VDSO_LAYOUT_FETCH_ONLY:-}" ]; then
  kept=(); for e in "${entries[@]}"; do [[ $e == "$VDSO_LAYOUT_FETCH_ONLY"* ]] && kept+=("$e"); done; entries=("${kept[@]}")
fi
die() { echo "fetch-kernels: $*" >&2; exit 2; }
verify_dbg=
if [ "${1:-}" = --verify-dbg ]; then verify_dbg=1; shift; fi
case ${1:-} in
  -h|--help) sed -n '4,7s/^#   \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
  -*) die "unknown option '$1' (usage: scripts/fetch-kernels.sh [--list | [--verify-dbg] [CACHE_DIR]])" ;;
esac
[ $# -le 1 ] || die "one CACHE_DIR at most, not $# arguments"
cache=${1:-${VDSO_LAYOUT_KERNEL_CACHE:-$HOME/.cache/vdso-layout/kernels}}
[ -n "$cache" ] || die "CACHE_DIR is empty"
mkdir -p -- "$cache" 2>/dev/null || die "cannot create the cache directory '$cache'"
manifest=$cache/kernels.tsv
touch "$manifest"
rm -f "$cache/UNAVAILABLE" # written by older versions of this script; nothing is "gone for good" now

command -v apt-get >/dev/null || { echo "fetch-kernels: no apt-get; the extract tests of fetched kernels will be skipped (and fail under CI=true)" >&2; exit 0; }
work=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Manifest lines: suite arch flavour status package version file note (tab-separated).
#   status ok: file holds the kernel of package=version; unresolved: the last attempt could not
#   reach the index (a previous ok line is kept instead when there is one); absent: the suite's
#   indices were all fetched and have no kernel of that flavour.
set_entry() { # key line
  grep -v "^$1	" "$manifest" > "$work/m" || true
  printf '%s\n' "$2" >> "$work/m"
  sort "$work/m" > "$manifest"
}
upstream_of() { local v=${1#*:}; v=${v%%-*}; v=${v%%+*}; v=${v%%~*}; echo "$v"; }
# LINUX_VERSION_CODE clamps the sublevel at 255 (5.10.262 reads 5.10.255 in a version note).
note_of() { local a b c; IFS=. read -r a b c <<< "$(upstream_of "$1")"; c=${c:-0}; [ "$c" -gt 255 ] && c=255; echo "$a.$b.$c"; }

verify() { # file version — every image's Linux note is the package's upstream version
  local file=$1 want notes
  [ -f "$here/dist/cli.js" ] && command -v node >/dev/null || return 0
  want=$(note_of "$2")
  notes=$(node "$here/bin/vdso-layout.js" extract "$file" --json 2>"$work/xerr" | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const j = JSON.parse(s); console.log(j.images.map((i) => i.kernelVersion ?? "none").join(" ")); });') || {
    echo "fetch-kernels: extract failed on $file: $(head -1 "$work/xerr")" >&2; return 1; }
  [ -n "$notes" ] || { echo "fetch-kernels: no vDSO image found in $file" >&2; return 1; }
  for n in $notes; do
    [ "$n" = "$want" ] || { echo "fetch-kernels: $file: an image's Linux note says $n, the package is $2 ($want)" >&2; return 1; }
  done
  echo "fetch-kernels: verified $(basename "$file"): $(wc -w <<< "$notes") image(s), Linux note $want = package $2" >&2
}

# file PKG-dbg:ARCH=VER — the unstripped vDSOs Debian ships in the -dbg package (from the same
# build) have the build-ids of the images extracted from the kernel.
verify_dbg() {
  local file=$1 spec=$2 deb dbg
  [ -f "$here/dist/cli.js" ] || { echo "fetch-kernels: --verify-dbg needs the tool built (npm ci)" >&2; return 1; }
  rm -rf "$work/dbg"; mkdir -p "$work/dbg/x" "$work/dbg/img"
  deb=$(apt_download "$spec" "$work/dbg") || { echo "fetch-kernels: could not download $spec" >&2; return 1; }
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work/dbg/x" --wildcards '*/vdso*/*.so' '*/vdso*/*.so.dbg' 2>/dev/null || true
  rm -f "$deb"
  mapfile -t dbg < <(find "$work/dbg/x" -type f \( -name '*.so' -o -name '*.so.dbg' \) | sort)
  [ ${#dbg[@]} -gt 0 ] || { echo "fetch-kernels: no vDSO in $spec" >&2; return 1; }
  node "$here/bin/vdso-layout.js" extract "$file" -o "$work/dbg/img" >/dev/null
  ids() { node "$here/bin/vdso-layout.js" inspect "$@" --json | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).images.map((i) => i.buildId).sort().join(" ")))'; }
  local want got
  want=$(ids "$work/dbg/img"/*.so); got=$(ids "${dbg[@]}")
  # The -dbg package may hold fewer images (s390 installs only vdso64): each must be in the kernel.
  for id in $got; do
    [[ " $want " == *" $id "* ]] || { echo "fetch-kernels: $file: $spec has build-id $id, which no image in the kernel has ($want)" >&2; return 1; }
  done
  echo "fetch-kernels: verified $(basename "$file") against $spec: build-id(s) $got" >&2
}

failed=0
for suite in $(printf '%s\n' "${entries[@]}" | awk '{print $1}' | sort -u); do
  arches=$(printf '%s\n' "${entries[@]}" | awk -v s="$suite" '$1 == s {print $2}' | sort -u | tr '\n' ' ')
  apt_private_init "$work/apt-$suite" "$suite" "$arches" || exit 1
  # A mirror being synced fails an index now and then: retry before calling anything unresolved.
  pause=${VDSO_LAYOUT_RETRY_SLEEP:-5}
  apt_private_update || { sleep "$pause"; apt_private_init "$work/apt-$suite" "$suite" "$arches"; apt_private_update; } ||
    { sleep $((3 * pause)); apt_private_init "$work/apt-$suite" "$suite" "$arches"; apt_private_update; } || echo "fetch-kernels: some $suite indices failed to update" >&2
  for e in "${entries[@]}"; do
    # shellcheck disable=SC2086 # an entry is three words
    set -- $e
    [ "$1" = "$suite" ] || continue
    arch=$2 flavour=$3 key="$1	$2	$3" pkg= ver=
    read -r pkg ver < <(apt_kernel_package "$arch" "$flavour") || true
    if [ -z "${pkg:-}" ]; then
      state=$(apt_arch_state "$suite" "$arch")
      if [ "$state" != failed ]; then
        echo "fetch-kernels: $suite has no $flavour kernel for $arch ($([ "$state" = absent ] && echo "no $arch in $suite" || echo "no such package"))" >&2
        set_entry "$key" "$key	absent	-	-	-	$suite has no linux-image-$flavour for $arch"
      elif grep -q "^$key	ok	" "$manifest"; then
        echo "fetch-kernels: $suite $arch $flavour: index not updated; keeping the cached kernel" >&2
      else
        set_entry "$key" "$key	unresolved	-	-	-	the $suite index for $arch failed to update"; failed=1
      fi
      continue
    fi
    file=vmlinuz-${pkg#linux-image-}
    if grep -qF "$key	ok	$pkg	$ver	$file	" "$manifest" && [ -s "$cache/$file" ]; then continue; fi
    # The current kernel; if the archive does not serve the file its index lists (a 404 while a
    # mirror syncs), the suite's next newest of that series, and the manifest says so.
    rm -rf "$work/debs" "$work/x"; mkdir -p "$work/debs" "$work/x"
    deb= note=
    while read -r p v; do
      binpkg=${p/#linux-image-/linux-binary-}
      [ -n "$(apt_version "$binpkg:$arch")" ] || binpkg=$p
      if deb=$(apt_download "$binpkg:$arch=$v" "$work/debs" 2>"$work/err"); then break; fi
      sed -n 's/ *\[IP:.*//; /^E:/p' "$work/err" >&2; deb=
    done < <(apt_kernel_candidates "$arch" "$flavour" | head -20)
    if [ -z "$deb" ]; then echo "fetch-kernels: could not download $pkg:$arch=$ver (nor an older one)" >&2; failed=1; continue; fi
    if [ "$p $v" != "$pkg $ver" ]; then
      note="current $pkg $ver not served by the archive"; echo "fetch-kernels: $note; using $p $v" >&2
      pkg=$p ver=$v file=vmlinuz-${p#linux-image-}
    fi
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work/x" --wildcards './boot/vmlinu*' './usr/lib/modules/*/vmlinu*' 2>/dev/null || true
    found=$(find "$work/x" -type f -name 'vmlinu*' | sort | head -1)
    [ -n "$found" ] || { echo "fetch-kernels: no kernel image in $(basename "$deb")" >&2; failed=1; continue; }
    if ! verify "$found" "$ver"; then failed=1; continue; fi
    if [ -n "$verify_dbg" ] && ! verify_dbg "$found" "$pkg-dbg:$arch=$ver"; then failed=1; continue; fi
    old=$(awk -F'\t' -v k="$key" '$1"\t"$2"\t"$3 == k && $4 == "ok" {print $7}' "$manifest")
    [ -z "$old" ] || [ "$old" = "$file" ] || rm -f "$cache/$old"
    cp "$found" "$cache/$file"
    set_entry "$key" "$key	ok	$pkg	$ver	$file	$(basename "$deb")${note:+; $note}"
    echo "fetch-kernels: $suite $arch $flavour: $pkg $ver -> $cache/$file" >&2
  done
done
column -t -s '	' "$manifest" 2>/dev/null || cat "$manifest"
exit $failed
