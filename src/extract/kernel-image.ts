// Is this a kernel rather than a vDSO? Users give `--vdso` the kernel they just built or booted;
// the headers below say so in a few bytes, so the message can point at `extract`. Pure.

const at = (b: Uint8Array, off: number, ascii: string) => off + ascii.length <= b.length && [...ascii].every((ch, i) => b[off + i] === ch.charCodeAt(0));
const bytesAt = (b: Uint8Array, off: number, want: number[]) => off + want.length <= b.length && want.every((v, i) => b[off + i] === v);
const u32le = (b: Uint8Array, off: number) => (off + 4 <= b.length ? (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0 : undefined);

/** What kind of kernel image the first bytes of a file are, or undefined when they are none. */
export function kernelImageKind(b: Uint8Array): string | undefined {
  // Documentation/arch/x86/boot.rst: the setup header's "HdrS" signature at 0x202.
  if (at(b, 0x202, 'HdrS')) return 'an x86 bzImage';
  // EFI zboot (drivers/firmware/efi/libstub/zboot-header.S): "MZ", then "zimg" at 4.
  if (at(b, 0, 'MZ') && at(b, 4, 'zimg')) return 'an EFI zboot kernel';
  // arm64 and riscv Image headers (Documentation/arch/arm64/booting.rst, riscv/boot-image-header.rst).
  if (bytesAt(b, 0x38, [0x41, 0x52, 0x4d, 0x64])) return 'an arm64 Image';
  if (bytesAt(b, 0x38, [0x52, 0x53, 0x43, 0x05])) return 'a riscv Image';
  // arch/arm/boot/compressed/head.S: the zImage magic 0x016f2818 at 0x24.
  if (u32le(b, 0x24) === 0x016f2818) return 'an arm zImage';
  // A vmlinux is an ELF executable (ET_EXEC); every vDSO is ET_DYN.
  if (bytesAt(b, 0, [0x7f, 0x45, 0x4c, 0x46]) && b.length > 0x12) {
    const type = b[5] === 2 ? (b[0x10] << 8) | b[0x11] : b[0x10] | (b[0x11] << 8);
    if (type === 2) return 'an ELF executable (a vmlinux?)';
  }
  if (bytesAt(b, 0, [0x1f, 0x8b])) return 'gzip-compressed (a vmlinux.gz?)';
  if (bytesAt(b, 0, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz-compressed (a vmlinux.xz?)';
  if (bytesAt(b, 0, [0x28, 0xb5, 0x2f, 0xfd])) return 'zstd-compressed (a vmlinux.zst?)';
  return undefined;
}
