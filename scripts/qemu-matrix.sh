#!/usr/bin/env bash
# Every architecture x every Debian suite kernel apt can fetch: boot each under QEMU with
# scripts/qemu-check.sh and check it against the vDSO images `vdso-layout extract` pulls out of
# that same kernel (the 64-bit image for the native task, the compat image for the 32-bit one).
# Prints a table arch x kernel x verdict. This is how the profiles stay honest when a new kernel
# appears in the archive.
# shellcheck disable=SC1007 # `a= b=` sets empty variables (house style)
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/qemu-matrix.sh [--out DIR] [--suites "S..."] [--arches "A..."] [--timeout S] [--cache DIR]

  --out DIR        where everything goes (default: ./qemu-matrix): DIR/matrix.tsv, DIR/matrix.md
                   and one directory per boot (console.log, extracted images, check output)
  --suites "S..."  Debian suites (default: bullseye bookworm trixie sid)
  --arches "A..."  architectures, optionally ARCH:FLAVOUR (default: amd64 i386 arm64 armhf:armmp
                   armhf:armmp-lpae ppc64el s390x riscv64 mips64el loong64)
  --timeout S      per boot (default: 900; TCG on a small machine is slow)
  --cache DIR      keep downloaded packages (default: DIR/cache)
Exit code: 0 all passed, 1 some check failed, 2 some kernel could not be fetched, booted or read.
EOF
}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/scripts/lib/apt.sh"
. "$here/scripts/lib/options.sh"

out=./qemu-matrix suites="bullseye bookworm trixie sid" timeout_s=900 cache=
arches="amd64 i386 arm64 armhf:armmp armhf:armmp-lpae ppc64el s390x riscv64 mips64el loong64"
die() { echo "qemu-matrix: $*" >&2; exit 2; }
options_parse '--out=out --suites=suites --arches=arches --timeout=timeout_s --cache=cache' "$@"
# Checked before anything is downloaded.
options_seconds --timeout "$timeout_s"
# Suites and arches are lists of words: anything a shell would glob or split oddly is refused.
[[ $suites =~ ^[a-z0-9.\ -]+$ ]] || die "--suites: expected Debian suite names separated by spaces, not '$suites'"
[[ $arches =~ ^[a-z0-9:\ -]+$ ]] || die "--arches: expected ARCH[:FLAVOUR] words separated by spaces, not '$arches'"
mkdir -p -- "$out" 2>/dev/null || die "--out: cannot create directory '$out'"
out=$(cd -- "$out" && pwd)
cache=${cache:-$out/cache}
mkdir -p -- "$cache" 2>/dev/null || die "--cache: cannot create directory '$cache'"
cache=$(cd -- "$cache" && pwd)
flavour_of() { case $1 in *:*) echo "${1#*:}" ;; amd64) echo amd64 ;; i386) echo 686-pae ;; arm64) echo arm64 ;; armhf) echo armmp ;;
  ppc64el) echo powerpc64le ;; s390x) echo s390x ;; riscv64) echo riscv64 ;; mips64el) echo 5kc-malta ;; loong64) echo loong64 ;; *) echo "$1" ;; esac; }

tsv=$out/matrix.tsv
printf 'suite\tarch\tflavour\tpackage\tversion\timages\tverdict\tseconds\tdetail\n' > "$tsv"
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$tsv"; printf '%-9s %-9s %-12s %-34s %-7s %s\n' "$1" "$2" "$3" "$4 $5" "$7" "$9" >&2; }
worst=0
read -r -a suite_list <<< "$suites"
read -r -a arch_list <<< "$arches"
for suite in "${suite_list[@]}"; do
  all=$(for a in "${arch_list[@]}"; do echo "${a%%:*}"; done | sort -u | tr '\n' ' ')
  apt_private_init "$out/apt-$suite" "$suite" "$all" || exit 2
  apt_private_update || true # what failed is told per architecture (apt_arch_state)
  for a in "${arch_list[@]}"; do
    arch=${a%%:*} flavour=$(flavour_of "$a") pkg= ver=
    mapfile -t cands < <(apt_kernel_candidates "$arch" "$flavour" | head -20)
    [ ${#cands[@]} -eq 0 ] || read -r pkg ver <<< "${cands[0]}"
    if [ -z "$pkg" ]; then
      case $(apt_arch_state "$suite" "$arch") in
        absent) row "$suite" "$arch" "$flavour" - - - "n/a" 0 "$suite has no $arch" ;;
        ok) row "$suite" "$arch" "$flavour" - - - "n/a" 0 "no linux-image-$flavour in $suite" ;;
        *) row "$suite" "$arch" "$flavour" - - - ERROR 0 "the $suite index for $arch failed to update"; worst=2 ;;
      esac
      continue
    fi
    # Kernels are updated through the security suite too: say so when its index could not be read.
    stale=
    case $suite in sid|unstable) ;; *) [ "$(apt_arch_state "$suite-security" "$arch")" != failed ] || stale=" ($suite-security index failed: a newer kernel may exist)" ;; esac
    run=$out/$suite-$arch-$flavour
    rm -rf "$run"; mkdir -p "$run/kernel" "$run/images"
    # The current kernel, or (when the archive does not serve the file its index lists) the next newest.
    deb=
    for c in "${cands[@]}"; do
      read -r p v <<< "$c"
      binpkg=${p/#linux-image-/linux-binary-}
      [ -n "$(apt_version "$binpkg:$arch")" ] || binpkg=$p
      deb=$(ls "$cache/${binpkg}_${v//:/%3a}_$arch.deb" 2>/dev/null || apt_download "$binpkg:$arch=$v" "$cache" 2>>"$run/download.log") && break
      deb=
    done
    if [ -z "$deb" ]; then row "$suite" "$arch" "$flavour" "$pkg" "$ver" - ERROR 0 "download failed (${#cands[@]} candidates)"; worst=2; continue; fi
    [ "$p $v" = "$pkg $ver" ] || stale="$stale (current $pkg $ver: the archive does not serve it)"
    pkg=$p ver=$v
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$run/kernel" --wildcards './boot/vmlinu*' './usr/lib/modules/*/vmlinu*' 2>/dev/null || true
    kernel=$(find "$run/kernel" -type f -name 'vmlinu*' | sort | head -1)
    [ -n "$kernel" ] || { row "$suite" "$arch" "$flavour" "$pkg" "$ver" - ERROR 0 "no image in the package"; worst=2; continue; }
    # The images of this very kernel; native = the 64-bit one (the first, for vdso/vdso-cfi), compat = the 32-bit one of the compat ABI.
    args=(--arch "$arch" --kernel "$kernel" --out "$run/boot" --timeout "$timeout_s" --cache "$cache" --suite "$suite")
    if node "$here/bin/vdso-layout.js" extract "$kernel" -o "$run/images" --json > "$run/extract.json" 2> "$run/extract.err"; then
      read -r native compat names < <(node -e '
        const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const arch = process.argv[2];
        const im = j.images; const is64 = (i) => i.class === 64 && (i.abi === null || i.abi === "n64");
        const native = im.find(is64) ?? im[0];
        const compatArch = { amd64: "i386", arm64: "arm", mips64el: "mips" }[arch];
        const compat = im.find((i) => i !== native && i.arch === compatArch && (i.abi === null || i.abi === "o32"));
        console.log(native?.file ?? "-", compat?.file ?? "-", im.map((i) => i.name).join(","));' "$run/extract.json" "$arch")
      args+=(--vdso "$native")
      [ "$compat" = - ] || args+=(--compat-vdso "$compat")
    else
      # Still boot it: check then compares with the [vdso] bytes the target dumped, and the row says why.
      names="extract failed"
      stale="$stale (no --vdso: $(sed 's/^vdso-layout: [^:]*: //' "$run/extract.err" | head -1 | cut -c1-110))"
    fi
    t0=$SECONDS rc=0
    bash "$here/scripts/qemu-check.sh" "${args[@]}" > "$run/check.txt" 2> "$run/qemu-check.err" || rc=$?
    secs=$((SECONDS - t0))
    case $rc in
      0) verdict=pass; detail="$(grep -ac '^ok ' "$run/check.txt") task(s) ok" ;;
      1) verdict=FAIL; detail="$(grep -ac '^ok ' "$run/check.txt") ok, $(grep -ac '^FAIL ' "$run/check.txt") failed: $(grep -aoE '^error\[[a-z-]+\]' "$run/check.txt" | sort -u | sed 's/^error\[//; s/\]$//' | paste -sd, -); profile $(grep -a -m1 -oE '^FAIL .*profile [^,]+' "$run/check.txt" | sed 's/.*profile //')"
         [ $worst -ge 1 ] || worst=1 ;;
      *) verdict=ERROR; worst=2
         detail="$(grep -a '^qemu-check:' "$run/qemu-check.err" | grep -avE '^qemu-check: (updating|booting|kernel |some package|captured|using)' | head -1 || true)" ;;
    esac
    row "$suite" "$arch" "$flavour" "$pkg" "$ver" "$names" "$verdict" "$secs" "$detail$stale"
  done
done
# The table, as Markdown too.
awk -F'\t' 'NR == 1 { print "| " $1 " | " $2 " | " $3 " | kernel | images | verdict | s | detail |"; print "|---|---|---|---|---|---|---|---|"; next }
  { print "| " $1 " | " $2 " | " $3 " | " $4 " " $5 " | " $6 " | " $7 " | " $8 " | " $9 " |" }' "$tsv" > "$out/matrix.md"
cat "$out/matrix.md"
exit $worst
