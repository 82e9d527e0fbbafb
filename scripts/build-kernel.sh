#!/usr/bin/env bash
# Build a small kernel for the gate: a tree (a git checkout, or Debian's linux-source-X.Y package),
# a patch series applied in order, tinyconfig + the arch's fragment in scripts/kconfig/ (+ yours),
# Debian's cross compiler, -j$(nproc). Leaves the kernel image and the vDSO .so.dbg images where
# scripts/qemu-check.sh --kernel/--vdso/--compat-vdso take them, and says where (OUT/build.env).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/build-kernel.sh --arch ARCH --source DIR|debian:linux-source-X.Y [--series DIR|PATCH...]
                               [--config FRAGMENT] --out DIR [--dry-run]

  --arch ARCH        amd64, arm64, armhf, ppc64el, sparc64, hppa, sh4, loong64, riscv64, s390x
                     or mips64el (Debian names; qemu-check.sh boots the result)
  --source DIR       a kernel tree (a git checkout when a series is applied: the patches go on a
                     worktree of its HEAD in OUT/src, your checkout is not touched)
  --source debian:linux-source-X.Y
                     Debian's source package (5.10 bullseye, 6.1 bookworm, 6.12 trixie), fetched
                     through a private apt state from the archives this machine's apt names;
                     unpacked once into OUT/src (a git repository of the pristine tree)
  --series DIR|PATCH...
                     git format-patch files applied in order (a directory: its *.patch files,
                     sorted); stops with the name of the first patch that does not apply
  --config FRAGMENT  a Kconfig fragment merged after scripts/kconfig/ARCH.config
  --out DIR          OUT/src (tree), OUT/build (objects: kept, so a rebuild is incremental),
                     OUT/build.log, OUT/build.env (KERNEL=, VDSO=, COMPAT_VDSO=, ...),
                     OUT/vdso-clock (a static program qemu-check.sh --program runs),
                     OUT/capture-init (and -compat: qemu-check.sh --init/--compat-init)
  --prepare-only     fetch, unpack and apply the series, then stop (no compiler needed)
  --dry-run          print the plan (tree, series, config, commands, image and vDSO paths), build nothing
  --jobs N           make -jN (default: nproc)
  --cache DIR        downloaded source packages (default: ~/.cache/vdso-layout/sources)

Exit: 0 built; 2 bad usage, a patch that does not apply, or a failed build (the log's tail is printed).
EOF
}

die() { echo "build-kernel: $*" >&2; exit 2; }
# The architectures with a recipe below, for the messages that list them.
recipes='amd64, arm64, armhf, ppc64el, sparc64, hppa, sh4, loong64, riscv64, s390x, mips64el'
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

arch='' source='' out='' dry='' prepare_only='' fragment='' jobs=$(nproc) cache=${VDSO_LAYOUT_SOURCE_CACHE:-$HOME/.cache/vdso-layout/sources}
series=() series_given=
while [ $# -gt 0 ]; do
  case $1 in
    --arch) arch=${2:?--arch needs a value}; shift 2 ;;
    --source) source=${2:?--source needs a directory or debian:linux-source-X.Y}; shift 2 ;;
    --series) series_given=1; shift; while [ $# -gt 0 ] && [[ $1 != --* ]]; do series+=("$1"); shift; done ;;
    --config) fragment=${2:?--config needs a file}; shift 2 ;;
    --out) out=${2:?--out needs a directory}; shift 2 ;;
    --jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
    --cache) cache=${2:?--cache needs a directory}; shift 2 ;;
    --dry-run) dry=1; shift ;;
    --prepare-only) prepare_only=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "build-kernel: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[ -n "$arch" ] || die "--arch is required ($recipes)"
[ -n "$source" ] || die "--source is required (a kernel tree, or debian:linux-source-X.Y)"
[ -n "$out" ] || die "--out is required"
[ -z "$fragment" ] || [ -r "$fragment" ] || die "$fragment: no such file (--config)"
[[ $jobs =~ ^[0-9]+$ ]] && [ "$jobs" -gt 0 ] || die "--jobs: expected a number, not '$jobs'"

# The series: a directory's *.patch files in order, or the files as given.
patches=()
for s in "${series[@]}"; do
  if [ -d "$s" ]; then
    while IFS= read -r p; do patches+=("$p"); done < <(find "$s" -maxdepth 1 -name '*.patch' | sort)
  elif [ -r "$s" ]; then patches+=("$s")
  else die "$s: no such patch or directory (--series)"; fi
done
[ ${#series[@]} -eq 0 ] || [ ${#patches[@]} -gt 0 ] || die "--series ${series[*]}: no *.patch files"
for i in "${!patches[@]}"; do patches[i]=$(cd "$(dirname "${patches[i]}")" && pwd)/$(basename "${patches[i]}"); done

# The tree's release (VERSION.PATCHLEVEL): from its Makefile, or from the package name.
debian_pkg='' suite='' release=''
case $source in
  debian:*)
    debian_pkg=${source#debian:}
    [[ $debian_pkg =~ ^linux-source-([0-9]+\.[0-9]+)$ ]] || die "--source $source: expected debian:linux-source-X.Y (5.10, 6.1, 6.12)"
    release=${BASH_REMATCH[1]}
    case $release in 5.10) suite=bullseye ;; 6.1) suite=bookworm ;; 6.12) suite=trixie ;;
      *) die "--source $source: Debian ships linux-source-5.10 (bullseye), -6.1 (bookworm), -6.12 (trixie)" ;; esac ;;
  *)
    [ -f "$source/Makefile" ] || die "$source: not a kernel tree (no Makefile)"
    release=$(awk '/^VERSION *=/ { v = $3 } /^PATCHLEVEL *=/ { p = $3 } END { if (v != "") print v "." p }' "$source/Makefile")
    [ -n "$release" ] || die "$source/Makefile: no VERSION/PATCHLEVEL" ;;
esac
# at_least A.B — the tree's release is A.B or later.
at_least() { [ "$(printf '%s\n%s\n' "$1" "$release" | sort -V | head -1)" = "$1" ]; }

# Per arch: kernel ARCH, cross compiler (and its Debian package), make target, image, vDSO images
# (as built, relative to the build directory) for the tree's era.
compat_vdso='' compat_alt='' compat_cross='' compat_ccpkg='' compat_m32=''
# Extra flags and sources for the static programs (vdso-clock, capture-init) where the target's
# libc cannot be used as it is (loong64).
prog_flags=() prog_libs=()
case $arch in
  amd64) karch=x86_64; cross=x86_64-linux-gnu-; ccpkg=gcc-x86-64-linux-gnu; target=bzImage; image=arch/x86/boot/bzImage
         vdso=arch/x86/entry/vdso/vdso64.so.dbg; compat_vdso=arch/x86/entry/vdso/vdso32.so.dbg ;;
  arm64) karch=arm64; cross=aarch64-linux-gnu-; ccpkg=gcc-aarch64-linux-gnu; target=Image; image=arch/arm64/boot/Image
         vdso=arch/arm64/kernel/vdso/vdso.so.dbg
         # The AArch32 compat vDSO (CONFIG_COMPAT_VDSO) is built by a 32-bit compiler named by
         # CROSS_COMPILE_COMPAT (arch/arm64/Kconfig: depends on "$(CROSS_COMPILE_COMPAT)" != "" for
         # gcc; 5.10, 6.1, 6.12). Its debug image is arch/arm64/kernel/vdso32/vdso.so.dbg in 5.10 and
         # 6.1, vdso32.so.dbg in 6.12 (renamed in between; the build takes whichever it finds).
         compat_cross=arm-linux-gnueabihf-; compat_ccpkg=gcc-arm-linux-gnueabihf
         if at_least 6.12; then compat_vdso=arch/arm64/kernel/vdso32/vdso32.so.dbg; compat_alt=arch/arm64/kernel/vdso32/vdso.so.dbg
         else compat_vdso=arch/arm64/kernel/vdso32/vdso.so.dbg; compat_alt=arch/arm64/kernel/vdso32/vdso32.so.dbg; fi ;;
  armhf) karch=arm; cross=arm-linux-gnueabihf-; ccpkg=gcc-arm-linux-gnueabihf; target=zImage; image=arch/arm/boot/zImage
         # A 32-bit ARMv7 kernel for QEMU's virt machine (qemu-check.sh: -M virt,highmem=off -cpu
         # cortex-a15), which loads the zImage with -kernel and hands it its device tree. The vDSO
         # comes with CONFIG_VDSO (arch/arm/mm/Kconfig: AEABI, MMU and CPU_V7; its clock reads the
         # arch timer's counter); arch/arm/vdso/Makefile links vdso.so.raw, vdsomunge
         # copies it to vdso.so.dbg with the float-ABI flag cleared, and the kernel embeds vdso.so,
         # its objcopy -S (arch/arm/vdso/vdso.S): vdso.so.dbg is the image's debug twin. No compat
         # task (a 32-bit kernel).
         vdso=arch/arm/vdso/vdso.so.dbg ;;
  ppc64el) karch=powerpc; cross=powerpc64le-linux-gnu-; ccpkg=gcc-powerpc64le-linux-gnu; target=vmlinux; image=vmlinux
         # QEMU pseries boots the ELF vmlinux. powerpc embeds the unstripped image; 5.19 merged
         # arch/powerpc/kernel/vdso32 and vdso64 into arch/powerpc/kernel/vdso.
         if at_least 5.19; then vdso=arch/powerpc/kernel/vdso/vdso64.so.dbg; else vdso=arch/powerpc/kernel/vdso64/vdso64.so.dbg; fi ;;
  sparc64) karch=sparc64; cross=sparc64-linux-gnu-; ccpkg=gcc-sparc64-linux-gnu; target=vmlinux; image=vmlinux
         # QEMU sun4u (OpenBIOS) loads the ELF vmlinux. The vDSO is always built on sparc64 (no
         # Kconfig option); vdso32 comes with CONFIG_COMPAT (arch/sparc/vdso/Makefile, 5.10-6.12).
         # Debian has no busybox-static for sparc64 (a ports architecture), so the initramfs runs
         # the static capture-init program built below instead.
         # The same compiler builds the 32-bit capture-init (-m32, libc6-dev-sparc-sparc64-cross).
         vdso=arch/sparc/vdso/vdso64.so.dbg; compat_vdso=arch/sparc/vdso/vdso32.so.dbg; compat_m32=-m32 ;;
  hppa) karch=parisc; cross=hppa-linux-gnu-; ccpkg=gcc-hppa-linux-gnu; target=vmlinux; image=vmlinux
         # 32-bit PA-RISC for QEMU's B160L (the only hppa machine in QEMU 7.2), which loads the ELF
         # vmlinux. The vDSO (5.18+: signal trampolines only) is always built, vdso32 on a 32-bit
         # kernel (arch/parisc/kernel/Makefile); vdso32.so itself is the image the kernel embeds
         # (no .dbg). Debian has no busybox-static for hppa (a ports architecture): capture-init.
         at_least 5.18 || die "--arch hppa: parisc has no vDSO before 5.18 (this tree is $release)"
         vdso=arch/parisc/kernel/vdso32/vdso32.so ;;
  sh4) karch='sh'; cross=${VDSO_LAYOUT_SH4_CROSS:-sh4-linux-gnu-}; ccpkg=gcc-sh4-linux-gnu; target=zImage; image=arch/sh/boot/zImage
         # Bookworm's gcc-sh4-linux-gnu (gcc 12.2.0-13cross1) drops the tst before a branch on a
         # loaded value at -O1 and up (`return x ? 3 : 7` reads no x): its kernel hangs in the
         # zImage decompressor, and bookworm's libc6-dev-sh4-cross libc.a spins in
         # __libc_start_main. Trixie's gcc 14 and libc are right: VDSO_LAYOUT_SH4_CROSS names
         # such a toolchain's prefix on a bookworm host.
         # QEMU r2d loads the zImage. sh's vDSO is the one-page "vsyscall" image (CONFIG_VSYSCALL):
         # vsyscall-trapa.so, linked stripped (-s) and embedded as it is, so there is no .so.dbg.
         # No compat task. Debian has no busybox-static for sh4 (a ports architecture): capture-init.
         vdso=arch/sh/kernel/vsyscall/vsyscall-trapa.so ;;
  loong64) karch=loongarch; cross=${VDSO_LAYOUT_LOONG64_CROSS:-loongarch64-linux-gnu-}; ccpkg=gcc-loongarch64-linux-gnu
         # The EFI-stub image, for QEMU's virt machine with its UEFI firmware (qemu-check.sh --bios):
         # 6.1's LoongArch has no device-tree boot, and its CPUs, interrupt controllers and UART are
         # found only in the ACPI tables the firmware installs (QEMU's own direct boot of the ELF
         # vmlinux gives none: this 6.1 vmlinux printed nothing, not even to earlycon, under QEMU 7.2
         # or 10.0). vmlinux itself is built on the way (the .efi is its objcopy). vdso.so.dbg is the
         # unstripped image (arch/loongarch/vdso/Makefile in 6.1; the kernel embeds the stripped
         # vdso.so). Debian has no loongarch cross compiler before trixie (gcc-loongarch64-linux-gnu,
         # gcc 14): VDSO_LAYOUT_LOONG64_CROSS names the prefix of one unpacked elsewhere on an older
         # host. capture-init is /init (no busybox-static needed),
         # linked without glibc: Debian's loong64 glibc is built for LSX (gcc's -msimd=lsx there), which
         # LoongArch kernels before 6.5 do not enable for user tasks (a glibc-linked static /init dies
         # with SIGILL in __libc_setup_tls on 6.1), so the two programs get scripts/capture-init/minilibc.c.
         prog_flags=(-nostdlib -msimd=none -fno-stack-protector -fno-pie -no-pie); prog_libs=("$here/scripts/capture-init/minilibc.c" -lgcc)
         at_least 5.19 || die "--arch loong64: LoongArch was merged in 5.19 (this tree is $release)"
         target=vmlinux.efi; image=arch/loongarch/boot/vmlinux.efi
         vdso=arch/loongarch/vdso/vdso.so.dbg ;;
  riscv64) karch=riscv; cross=riscv64-linux-gnu-; ccpkg=gcc-riscv64-linux-gnu; target=Image; image=arch/riscv/boot/Image
         # QEMU virt boots the Image under OpenSBI (-bios default). The vDSO is built with MMU
         # (arch/riscv/kernel/Makefile: obj-$(CONFIG_MMU) += vdso.o vdso/); vdso.so.dbg is the
         # unstripped image (the kernel embeds vdso.so). The rv32 compat vDSO (CONFIG_COMPAT, 5.19+:
         # arch/riscv/kernel/compat_vdso/compat_vdso.so.dbg) is built by the same compiler
         # (COMPAT_CC := $(CC) with -march=rv32), but there is no rv32 task to run it: Debian has no
         # riscv32 port (no busybox-static, no libc), so the fragment leaves COMPAT off and the gate
         # boots the 64-bit task only.
         vdso=arch/riscv/kernel/vdso/vdso.so.dbg ;;
  s390x) karch=s390; cross=s390x-linux-gnu-; ccpkg=gcc-s390x-linux-gnu; target=bzImage; image=arch/s390/boot/bzImage
         # QEMU s390-ccw-virtio loads the bzImage (the IPL image; arch/s390/Makefile KBUILD_IMAGE).
         # The vDSO is always built (arch/s390/kernel/Makefile: obj-y += vdso64/); vdso64.so.dbg is
         # the unstripped image (the kernel embeds vdso64.so). The 31-bit compat vDSO (CONFIG_COMPAT:
         # obj-$(CONFIG_COMPAT) += vdso32/, arch/s390/kernel/vdso32/vdso32.so.dbg in 6.1) is
         # built by the same compiler (-m31), but there is no 31-bit task to run it: Debian has no
         # s390 (31-bit) port (no busybox-static, no libc), so the fragment leaves COMPAT off and the
         # gate boots the 64-bit task only.
         vdso=arch/s390/kernel/vdso64/vdso64.so.dbg ;;
  mips64el) karch=mips; cross=mips64el-linux-gnuabi64-; ccpkg=gcc-mips64el-linux-gnuabi64; target=vmlinux; image=vmlinux
         # QEMU malta loads the ELF vmlinux (qemu-check.sh: -M malta -cpu 5KEc, a MIPS64 R2 core;
         # the fragment builds a 64-bit little-endian Malta kernel for CPU_MIPS64_R2). The vDSO is
         # always built (arch/mips/Kbuild: obj-y += vdso/); arch/mips/vdso/Makefile
         # links vdso.so.dbg.raw, and genvdso copies it to vdso.so.dbg and patches it as it does the
         # stripped vdso.so the kernel embeds (vdso-image.c): vdso.so.dbg is the n64 image's debug
         # twin. With MIPS32_O32 the o32 image is vdso-o32.so.dbg, built by the same compiler
         # (-mabi=32); Debian's mipsel busybox-static runs as the o32 compat task (qemu-check.sh's
         # compat arch for mips64el), and the same compiler builds the 32-bit capture-init
         # (-mabi=32, with libc6-dev-mips32-mips64el-cross). No n32 task: Debian has no n32 port.
         vdso=arch/mips/vdso/vdso.so.dbg; compat_vdso=arch/mips/vdso/vdso-o32.so.dbg; compat_m32=-mabi=32 ;;
  *) die "--arch: '$arch' has no build recipe yet ($recipes)" ;;
esac
# The compiler for the host's own arch may lack the triplet prefix.
if [ "$arch" = amd64 ] && [ "$(uname -m)" = x86_64 ] && ! command -v "${cross}gcc" >/dev/null 2>&1; then cross=; fi
arch_fragment=$here/scripts/kconfig/$arch.config
[ -r "$arch_fragment" ] || die "no config fragment for $arch ($arch_fragment)"

if [ -n "$dry" ]; then out=$(realpath -m "$out")
else mkdir -p "$out" 2>/dev/null || die "cannot create $out"; out=$(cd "$out" && pwd); fi
src=$out/src build=$out/build log=$out/build.log
kmake=(make -C "$src" O="$build" ARCH="$karch" CROSS_COMPILE="$cross" ${compat_cross:+CROSS_COMPILE_COMPAT="$compat_cross"})

plan() {
  echo "build-kernel: arch $arch (ARCH=$karch CROSS_COMPILE=${cross:-none}${compat_cross:+ CROSS_COMPILE_COMPAT=$compat_cross}, compiler package(s) $ccpkg${compat_ccpkg:+ $compat_ccpkg})"
  if [ -n "$debian_pkg" ]; then echo "source: Debian $debian_pkg ($suite), unpacked into $src"
  elif [ -n "$series_given" ]; then echo "source: $source (release $release), HEAD checked out as a worktree in $src"
  else echo "source: $source (release $release), built in place"; fi
  echo "release: $release"
  echo "series: ${#patches[@]} patch(es)"
  local p; for p in "${patches[@]}"; do echo "  patch: $p"; done
  echo "config: tinyconfig + $arch_fragment${fragment:+ + $fragment}"
  echo "command: ${kmake[*]} tinyconfig"
  echo "command: $src/scripts/kconfig/merge_config.sh -m -O $build $build/.config $arch_fragment${fragment:+ $fragment}"
  echo "command: ${kmake[*]} olddefconfig"
  echo "command: ${kmake[*]} -j$jobs $target"
  echo "image: $build/$image"
  echo "vdso: $build/$vdso"
  if [ -n "$compat_alt" ] && ! at_least 6.12 && at_least 6.2; then echo "compat-vdso: $build/$compat_vdso or $build/$compat_alt (when the config has a compat vDSO)"
  elif [ -n "$compat_vdso" ]; then echo "compat-vdso: $build/$compat_vdso (when the config has a compat vDSO)"; fi
  echo "env: $out/build.env"
}
if [ -n "$dry" ]; then
  [ -n "$debian_pkg" ] || [ -n "$series_given" ] || { src=$(cd "$source" && pwd); kmake=(make -C "$src" O="$build" ARCH="$karch" CROSS_COMPILE="$cross" ${compat_cross:+CROSS_COMPILE_COMPAT="$compat_cross"}); }
  plan; exit 0
fi

# git prepares the tree (a Debian package recorded, a series applied); a plain tree built in place
# (a CI checkout without git in its container: files only) needs none.
[ -z "$debian_pkg" ] && [ -z "$series_given" ] || git --version >/dev/null 2>&1 || die "git not found (the tree is prepared and the series applied with git)"
gitq() { git -c user.name=build-kernel -c user.email=build-kernel@invalid -c core.autocrlf=false "$@"; }

# The tree: prepared once, reset to its pristine state on every run (so a rerun rebuilds only
# what the patches touch).
t0=$SECONDS
if [ -n "$debian_pkg" ]; then
  want="debian:$debian_pkg"
  if [ "$(git -C "$src" config --get vdso-layout.source 2>/dev/null || true)" != "$want" ]; then
    . "$here/scripts/lib/apt.sh"
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found: give --source DIR"
    rm -rf "$src"; mkdir -p "$cache" "$src"
    apt_private_init "$cache/apt-$suite" "$suite" "all" || exit 2
    echo "build-kernel: updating package indices for $suite" >&2
    apt_private_update || apt_private_update || echo "build-kernel: some package indices failed to update (continuing)" >&2
    version=$(apt_version "$debian_pkg:all"); [ -n "$version" ] || die "$debian_pkg not found in $suite"
    deb=$(ls "$cache/${debian_pkg}_${version//:/%3a}_all.deb" 2>/dev/null || apt_download "$debian_pkg:all=$version" "$cache") || die "could not download $debian_pkg=$version"
    echo "build-kernel: unpacking $(basename "$deb")" >&2
    dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$debian_pkg.tar.xz" | tar -xJ -C "$src" --strip-components=1 || die "could not unpack $deb"
    # Debian's top .gitignore ignores everything at the top level: add by force.
    gitq -C "$src" init -q && gitq -C "$src" add -f -A && gitq -C "$src" commit -q -m "$debian_pkg $version" || die "git could not record $src"
    gitq -C "$src" config vdso-layout.source "$want"; gitq -C "$src" config vdso-layout.version "$version"
  fi
  source_desc="$debian_pkg $(git -C "$src" config --get vdso-layout.version) (Debian $suite)"
elif [ -n "$series_given" ]; then
  # The checkout may be another user's (a CI container's root on the runner's workspace): git is
  # told it is safe for this command only, as the user asked for this tree.
  gits() { gitq -c safe.directory="$(cd "$source" && pwd)" -C "$source" "$@"; }
  gits rev-parse --verify -q HEAD >/dev/null || die "$source: a series needs a git checkout (or use --source debian:linux-source-X.Y)"
  head=$(gits rev-parse HEAD)
  if ! [ -e "$src/.git" ]; then rm -rf "$src"; gits worktree add -q --detach "$src" "$head" || die "git worktree add $src failed"; fi
  gitq -C "$src" checkout -q --detach "$head" || die "cannot check out $head in $src"
  source_desc="$(cd "$source" && pwd) at $head"
else
  src=$(cd "$source" && pwd); kmake=(make -C "$src" O="$build" ARCH="$karch" CROSS_COMPILE="$cross" ${compat_cross:+CROSS_COMPILE_COMPAT="$compat_cross"})
  # Its commit, for provenance, when it is a git checkout: read-only, so a checkout another user
  # owns (a CI container's root on the runner's workspace) is read too.
  head=$(git -c safe.directory="$src" -C "$src" rev-parse -q --verify HEAD 2>/dev/null || true)
  source_desc="$src${head:+ at $head}"
fi
if [ "$src" = "$out/src" ]; then gitq -C "$src" reset -q --hard && gitq -C "$src" clean -q -fdx || die "cannot reset $src"; fi
for p in "${patches[@]}"; do
  if ! gitq -C "$src" apply --whitespace=nowarn "$p" 2> "$out/apply.err"; then
    echo "build-kernel: $(basename "$p") does not apply to $source_desc:" >&2; sed 's/^/  /' "$out/apply.err" >&2
    echo "APPLY-FAILED $(basename "$p")" > "$out/status"; exit 2
  fi
  echo "build-kernel: applied $(basename "$p")" >&2
done
prep_s=$((SECONDS - t0))
if [ -n "$prepare_only" ]; then echo "PREPARED" > "$out/status"; echo "build-kernel: $src is ready ($source_desc${patches:+ + ${#patches[@]} patch(es)})" >&2; exit 0; fi
command -v "${cross}gcc" >/dev/null 2>&1 || die "${cross}gcc not found; install it with: apt-get install $ccpkg"
# Bookworm's sh4 gcc 12 miscompiles the kernel (the recipe above): its build boots to nothing.
if [ "$arch" = sh4 ]; then
  gccv=$("${cross}gcc" -dumpversion 2>/dev/null || true)
  [ "${gccv%%.*}" -gt 12 ] 2>/dev/null || die "--arch sh4: ${cross}gcc is gcc ${gccv:-of unknown version}, and gcc 12 miscompiles the kernel (a branch on a loaded value loses its tst: the zImage hangs before its first console line); set VDSO_LAYOUT_SH4_CROSS to the prefix of a newer sh4 toolchain (Debian trixie's gcc-sh4-linux-gnu, gcc 14, is right)"
fi
# Without it arm64's Kconfig silently drops COMPAT_VDSO and the 32-bit task would run unchecked.
[ -z "$compat_cross" ] || command -v "${compat_cross}gcc" >/dev/null 2>&1 || die "${compat_cross}gcc not found (the compat vDSO needs it); install it with: apt-get install $compat_ccpkg"
for t in make flex bison bc; do command -v $t >/dev/null 2>&1 || die "$t not found (apt-get install build-essential flex bison bc libelf-dev libssl-dev)"; done

# Configure (only when the fragments or the tree's Kconfig changed would it matter; always cheap).
t1=$SECONDS
mkdir -p "$build"
fail() { echo "build-kernel: $1 failed; last lines of $log:" >&2; tail -n 30 "$log" >&2; echo "BUILD-FAILED $1" > "$out/status"; exit 2; }
: > "$log"
{ "${kmake[@]}" tinyconfig && "$src/scripts/kconfig/merge_config.sh" -m -O "$build" "$build/.config" "$arch_fragment" ${fragment:+"$fragment"} \
  && "${kmake[@]}" olddefconfig; } >> "$log" 2>&1 || fail configure
# A fragment line the tree's Kconfig dropped is reported (merge_config's own warning is buried in the log).
missing=$(cat "$arch_fragment" ${fragment:+"$fragment"} | grep -E '^CONFIG_[A-Za-z0-9_]+=' | while IFS= read -r l; do grep -qxF "$l" "$build/.config" || echo "${l%%=*}"; done | tr '\n' ' ')
[ -z "$missing" ] || echo "build-kernel: not in the final .config (the tree's Kconfig does not allow them): $missing" >&2
"${kmake[@]}" -j"$jobs" "$target" >> "$log" 2>&1 || fail build
build_s=$((SECONDS - t1))
[ -f "$build/$image" ] || fail "image $image"
[ -f "$build/$vdso" ] || { found=$(cd "$build" && find arch -name 'vdso*64.so.dbg' -o -path '*/vdso/vdso.so.dbg' | head -1); [ -n "$found" ] && vdso=$found || fail "vDSO image $vdso"; }
compat=
if [ -n "$compat_vdso" ] && [ -f "$build/$compat_vdso" ]; then compat=$build/$compat_vdso
elif [ -n "$compat_alt" ] && [ -f "$build/$compat_alt" ]; then compat=$build/$compat_alt; fi
# The fragment asks for the compat vDSO: a build without it is a failed build, not a quieter gate.
if [ -z "$compat" ] && [ -n "$compat_cross" ] && grep -qx 'CONFIG_COMPAT_VDSO=y' "$build/.config"; then fail "compat vDSO image $compat_vdso"; fi

# The vDSO clock program for the initramfs (static; needs the cross libc, libc6-dev-ARCH-cross).
clock=
if "${cross}gcc" -static -O2 "${prog_flags[@]}" -o "$out/vdso-clock" "$here/scripts/vdso-clock/vdso-clock.c" "${prog_libs[@]}" 2>> "$log"; then clock=$out/vdso-clock
else echo "build-kernel: the vdso-clock program did not build (no static libc for ${cross:-the host}?): boots run without it" >&2; fi

# capture-init: the initramfs's /init where no busybox-static exists for the target (sparc64), and
# its 32-bit build for the compat task where one compiler does both (-m32: sparc64; -mabi=32: mips64el).
init='' compat_init=''
if "${cross}gcc" -static -O2 "${prog_flags[@]}" -o "$out/capture-init" "$here/scripts/capture-init/capture-init.c" "${prog_libs[@]}" 2>> "$log"; then init=$out/capture-init
else echo "build-kernel: the capture-init program did not build (no static libc for ${cross:-the host}?)" >&2; fi
if [ -n "$compat_m32" ] && [ -n "$compat" ]; then
  if "${cross}gcc" $compat_m32 -static -O2 -o "$out/capture-init-compat" "$here/scripts/capture-init/capture-init.c" 2>> "$log"; then compat_init=$out/capture-init-compat
  else echo "build-kernel: the 32-bit capture-init did not build (no 32-bit static libc: libc6-dev-sparc-sparc64-cross, lib32gcc-12-dev-sparc64-cross for sparc64; libc6-dev-mips32-mips64el-cross, lib32gcc-12-dev-mips64el-cross for mips64el?)" >&2; fi
fi

compiler=$("${cross}gcc" --version | head -1)
{
  echo "ARCH=$arch"
  echo "KERNEL=$build/$image"
  echo "VDSO=$build/$vdso"
  echo "COMPAT_VDSO=$compat"
  echo "PROGRAM=$clock"
  echo "CAPTURE_INIT=$init"
  echo "COMPAT_CAPTURE_INIT=$compat_init"
  printf 'SOURCE=%q\n' "$source_desc"
  printf 'COMPILER=%q\n' "$compiler"
  printf 'CONFIG=%q\n' "tinyconfig + scripts/kconfig/$arch.config${fragment:+ + $fragment}"
  printf 'PATCHES=%q\n' "$(for p in "${patches[@]}"; do basename "$p"; done | tr '\n' ' ' | sed 's/ $//')"
  echo "UNAME_RELEASE=$(cat "$build/include/config/kernel.release" 2>/dev/null)"
  echo "PREPARE_SECONDS=$prep_s"
  echo "BUILD_SECONDS=$build_s"
} > "$out/build.env"
echo "BUILT" > "$out/status"
echo "build-kernel: built $arch ($source_desc${patches:+ + ${#patches[@]} patch(es)}) in ${build_s}s: $build/$image" >&2
cat "$out/build.env"
