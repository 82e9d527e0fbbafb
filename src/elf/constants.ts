// Table-driven ELF constants (in the manner of Go's debug/elf). Only what a vDSO needs.

const EM = {
  SPARC: 2,
  I386: 3,
  M68K: 4,
  MIPS: 8,
  PARISC: 15,
  SPARC32PLUS: 18,
  PPC: 20,
  PPC64: 21,
  S390: 22,
  ARM: 40,
  SH: 42,
  SPARCV9: 43,
  IA_64: 50,
  X86_64: 62,
  OPENRISC: 92,
  ARC_COMPACT: 93,
  XTENSA: 94,
  ALTERA_NIOS2: 113,
  HEXAGON: 164,
  AARCH64: 183,
  MICROBLAZE: 189,
  ARC_COMPACT2: 195,
  RISCV: 243,
  CSKY: 252,
  LOONGARCH: 258,
  ALPHA: 0x9026,
} as const;

/** readelf's program header type names; processor-specific ones depend on e_machine. */
export function programTypeName(type: number, machine: number): string {
  const generic = PT_NAMES[type];
  if (generic !== undefined) return generic;
  const proc: Record<number, Record<number, string>> = {
    [EM.ARM]: { 0x70000001: 'EXIDX' },
    [EM.MIPS]: { 0x70000000: 'REGINFO', 0x70000001: 'RTPROC', 0x70000002: 'OPTIONS', 0x70000003: 'ABIFLAGS' },
    [EM.RISCV]: { 0x70000003: 'RISCV_ATTRIBUTES' },
    [EM.AARCH64]: { 0x70000002: 'AARCH64_MEMTAG_MTE' },
  };
  return proc[machine]?.[type] ?? `0x${type.toString(16)}`;
}

/**
 * e_machine → readelf's name (elfy has none for RISC-V 243 or LoongArch 258). The names of the
 * architectures without a profile are GNU readelf 2.40's, so that inspect names their images too.
 */
export const MACHINE_NAMES: Readonly<Record<number, string>> = {
  [EM.SPARC]: 'Sparc',
  [EM.I386]: 'Intel 80386',
  [EM.M68K]: 'MC68000',
  [EM.MIPS]: 'MIPS R3000',
  [EM.PARISC]: 'HPPA',
  [EM.SPARC32PLUS]: 'Sparc v8+',
  [EM.PPC]: 'PowerPC',
  [EM.PPC64]: 'PowerPC64',
  [EM.S390]: 'IBM S/390',
  [EM.ARM]: 'ARM',
  [EM.SH]: 'Renesas / SuperH SH',
  [EM.SPARCV9]: 'Sparc v9',
  [EM.IA_64]: 'Intel IA-64',
  [EM.X86_64]: 'Advanced Micro Devices X86-64',
  [EM.OPENRISC]: 'OpenRISC 1000',
  [EM.ARC_COMPACT]: 'ARCompact',
  [EM.XTENSA]: 'Tensilica Xtensa Processor',
  [EM.ALTERA_NIOS2]: 'Altera Nios II',
  [EM.HEXAGON]: 'QUALCOMM DSP6 Processor',
  [EM.AARCH64]: 'AArch64',
  [EM.MICROBLAZE]: 'Xilinx MicroBlaze',
  [EM.ARC_COMPACT2]: 'ARCv2',
  [EM.RISCV]: 'RISC-V',
  [EM.CSKY]: 'C-SKY',
  [EM.LOONGARCH]: 'LoongArch',
  [EM.ALPHA]: 'Alpha',
};

export const PT = {
  NULL: 0, LOAD: 1, DYNAMIC: 2, INTERP: 3, NOTE: 4, SHLIB: 5, PHDR: 6, TLS: 7,
  GNU_EH_FRAME: 0x6474e550, GNU_STACK: 0x6474e551, GNU_RELRO: 0x6474e552, GNU_PROPERTY: 0x6474e553,
} as const;

const PT_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(PT).map(([k, v]) => [v, k]),
);

export const SHT = {
  NULL: 0, PROGBITS: 1, SYMTAB: 2, STRTAB: 3, RELA: 4, HASH: 5, DYNAMIC: 6, NOTE: 7, NOBITS: 8,
  REL: 9, SHLIB: 10, DYNSYM: 11, INIT_ARRAY: 14, FINI_ARRAY: 15, PREINIT_ARRAY: 16, GROUP: 17,
  SYMTAB_SHNDX: 18, GNU_ATTRIBUTES: 0x6ffffff5, GNU_HASH: 0x6ffffff6, GNU_LIBLIST: 0x6ffffff7,
  VERDEF: 0x6ffffffd, VERNEED: 0x6ffffffe, VERSYM: 0x6fffffff,
  ARM_EXIDX: 0x70000001, ARM_ATTRIBUTES: 0x70000003, MIPS_REGINFO: 0x70000006,
  MIPS_OPTIONS: 0x7000000d, MIPS_ABIFLAGS: 0x7000002a, RISCV_ATTRIBUTES: 0x70000003,
} as const;

/** readelf's section type names; processor-specific ones depend on e_machine. */
export function sectionTypeName(type: number, machine: number): string {
  const generic: Record<number, string> = {
    0: 'NULL', 1: 'PROGBITS', 2: 'SYMTAB', 3: 'STRTAB', 4: 'RELA', 5: 'HASH', 6: 'DYNAMIC', 7: 'NOTE',
    8: 'NOBITS', 9: 'REL', 10: 'SHLIB', 11: 'DYNSYM', 14: 'INIT_ARRAY', 15: 'FINI_ARRAY',
    16: 'PREINIT_ARRAY', 17: 'GROUP', 18: 'SYMTAB SECTION INDICES',
    0x6ffffff5: 'GNU_ATTRIBUTES', 0x6ffffff6: 'GNU_HASH', 0x6ffffff7: 'GNU_LIBLIST',
    0x6ffffffd: 'VERDEF', 0x6ffffffe: 'VERNEED', 0x6fffffff: 'VERSYM',
  };
  if (generic[type] !== undefined) return generic[type];
  const proc: Record<number, Record<number, string>> = {
    [EM.ARM]: { 0x70000001: 'ARM_EXIDX', 0x70000003: 'ARM_ATTRIBUTES' },
    [EM.AARCH64]: { 0x70000003: 'AARCH64_ATTRIBUTES' },
    [EM.RISCV]: { 0x70000003: 'RISCV_ATTRIBUTES' },
    [EM.MIPS]: { 0x70000006: 'MIPS_REGINFO', 0x7000000d: 'MIPS_OPTIONS', 0x7000002a: 'MIPS_ABIFLAGS' },
    [EM.PPC]: { 0x70000001: 'PPC_ATTRIBUTES' },
  };
  return proc[machine]?.[type] ?? `0x${type.toString(16)}`;
}

export const DT = {
  NULL: 0n, NEEDED: 1n, PLTRELSZ: 2n, PLTGOT: 3n, HASH: 4n, STRTAB: 5n, SYMTAB: 6n, RELA: 7n,
  RELASZ: 8n, RELAENT: 9n, STRSZ: 10n, SYMENT: 11n, SONAME: 14n, SYMBOLIC: 16n, FLAGS: 30n,
  GNU_HASH: 0x6ffffef5n, VERSYM: 0x6ffffff0n, FLAGS_1: 0x6ffffffbn, VERDEF: 0x6ffffffcn,
  VERDEFNUM: 0x6ffffffdn, VERNEED: 0x6ffffffen, VERNEEDNUM: 0x6fffffffn,
} as const;

export const DT_NAMES: ReadonlyMap<bigint, string> = new Map(
  Object.entries(DT).map(([k, v]) => [v, k]),
);

const STT_NAMES = ['NOTYPE', 'OBJECT', 'FUNC', 'SECTION', 'FILE', 'COMMON', 'TLS'] as const;
const STB_NAMES = ['LOCAL', 'GLOBAL', 'WEAK'] as const;
export const STV_NAMES = ['DEFAULT', 'INTERNAL', 'HIDDEN', 'PROTECTED'] as const;

export const symbolTypeName = (t: number): string => STT_NAMES[t] ?? (t === 10 ? 'IFUNC' : `${t}`);
export const symbolBindName = (b: number): string => STB_NAMES[b] ?? (b === 10 ? 'UNIQUE' : `${b}`);

export const SHF_ALLOC = 0x2n;

/** MIPS e_flags bit that marks the n32 ABI in an ELFCLASS32 object. */
const EF_MIPS_ABI2 = 0x20;

export type ArchName =
  | 'x86_64' | 'i386' | 'x32' | 'aarch64' | 'arm' | 'ppc64' | 'ppc64le' | 'ppc' | 'ppcle'
  | 's390x' | 's390' | 'riscv64' | 'riscv32' | 'mips64' | 'mips' | 'loongarch64' | 'loongarch32'
  | 'sparc64' | 'sparc' | 'parisc64' | 'parisc' | 'sh'
  // Tasks of the architectures vdso-layout has no profile for (layout/arch.ts FOREIGN): named so
  // that their images are refused by name.
  | 'alpha' | 'm68k' | 'ia64' | 'csky' | 'hexagon' | 'arc'
  | 'xtensa' | 'microblaze' | 'nios2' | 'openrisc';

export type MipsAbi = 'n64' | 'n32' | 'o32';

/** The Linux arch a process of this image runs under, and (for MIPS) its ABI. */
export function deriveArch(machine: number, elfClass: 32 | 64, endian: 'le' | 'be', flags: number):
  { arch: ArchName; abi?: MipsAbi } | undefined {
  switch (machine) {
    case EM.X86_64: return { arch: elfClass === 64 ? 'x86_64' : 'x32' };
    case EM.I386: return { arch: 'i386' };
    case EM.AARCH64: return { arch: 'aarch64' };
    case EM.ARM: return { arch: 'arm' };
    case EM.PPC64: return { arch: endian === 'le' ? 'ppc64le' : 'ppc64' };
    case EM.PPC: return { arch: endian === 'le' ? 'ppcle' : 'ppc' };
    case EM.S390: return { arch: elfClass === 64 ? 's390x' : 's390' };
    case EM.RISCV: return { arch: elfClass === 64 ? 'riscv64' : 'riscv32' };
    case EM.LOONGARCH: return { arch: elfClass === 64 ? 'loongarch64' : 'loongarch32' };
    case EM.SPARCV9: return { arch: 'sparc64' };
    case EM.SPARC: case EM.SPARC32PLUS: return { arch: 'sparc' };
    // parisc64 kernels embed a 64-bit vDSO too, though no 64-bit userland exists (arch/parisc/Kconfig).
    case EM.PARISC: return { arch: elfClass === 64 ? 'parisc64' : 'parisc' };
    case EM.SH: return { arch: 'sh' };
    case EM.ALPHA: return { arch: 'alpha' };
    case EM.M68K: return { arch: 'm68k' };
    case EM.IA_64: return { arch: 'ia64' };
    case EM.CSKY: return { arch: 'csky' };
    case EM.HEXAGON: return { arch: 'hexagon' };
    case EM.ARC_COMPACT: case EM.ARC_COMPACT2: return { arch: 'arc' };
    case EM.XTENSA: return { arch: 'xtensa' };
    case EM.MICROBLAZE: return { arch: 'microblaze' };
    case EM.ALTERA_NIOS2: return { arch: 'nios2' };
    case EM.OPENRISC: return { arch: 'openrisc' };
    case EM.MIPS:
      if (elfClass === 64) return { arch: 'mips64', abi: 'n64' };
      return (flags & EF_MIPS_ABI2) !== 0 ? { arch: 'mips64', abi: 'n32' } : { arch: 'mips', abi: 'o32' };
    default: return undefined;
  }
}
