// Architecture names as users type them (uname -m, kernel ARCH, Debian) → the kernel's arch
// family, and which task ABIs run on it (native and compat).
import type { ArchName } from '../elf/index.js';
import { UsageError } from '../errors.js';

export type KernelFamily = 'x86' | 'arm64' | 'arm' | 'powerpc' | 's390' | 'riscv' | 'mips' | 'loongarch' | 'sparc' | 'parisc' | 'sh';

/**
 * The other architectures Linux runs (kernel ARCH names), which have no profile here. They are
 * named so that their names, images and library paths are refused by name: judged against one
 * of the families above, their lines could pass as another architecture's layout.
 */
export type ForeignArch = 'alpha' | 'm68k' | 'ia64' | 'csky' | 'hexagon' | 'arc'
  | 'xtensa' | 'microblaze' | 'nios2' | 'openrisc';
export const FOREIGN: readonly ForeignArch[] = ['alpha', 'm68k', 'ia64', 'csky', 'hexagon', 'arc',
  'xtensa', 'microblaze', 'nios2', 'openrisc'];
/** Those with 64-bit kernels (alpha, ia64); the rest are 32-bit only. */
export const FOREIGN_64: readonly ForeignArch[] = ['alpha', 'ia64'];
/** Those with 32-bit kernels (alpha and ia64 have none). */
export const FOREIGN_32: readonly ForeignArch[] = FOREIGN.filter((f) => f !== 'alpha' && f !== 'ia64');

export interface ArchChoice {
  family: KernelFamily; kernelBits: 32 | 64; task: ArchName;
  /**
   * The name is a 32-bit arm userland's (uname -m armv8l, armv7l…; Debian armhf, armel), not a
   * kernel's: such a task runs on an arm kernel or on arm64's compat, and the lines tell which.
   */
  armTask?: true;
  /** As the user wrote it (parseArch), for messages. */
  name?: string;
}

const choice = (family: KernelFamily, kernelBits: 32 | 64, task: ArchName): ArchChoice => ({ family, kernelBits, task });
const X86_64 = choice('x86', 64, 'x86_64');
const I386 = choice('x86', 32, 'i386');
const AARCH64 = choice('arm64', 64, 'aarch64');
const ARM = choice('arm', 32, 'arm');
const ARM_TASK: ArchChoice = { ...ARM, armTask: true };
const PPC64LE = choice('powerpc', 64, 'ppc64le');
const PPC64 = choice('powerpc', 64, 'ppc64');
const PPC = choice('powerpc', 32, 'ppc');
const PPCLE = choice('powerpc', 32, 'ppcle');
const S390X = choice('s390', 64, 's390x');
const RISCV64 = choice('riscv', 64, 'riscv64');
const RISCV32 = choice('riscv', 32, 'riscv32');
const MIPS64 = choice('mips', 64, 'mips64');
const MIPS = choice('mips', 32, 'mips');
const LOONGARCH64 = choice('loongarch', 64, 'loongarch64');
// sparc64 kernels only: 32-bit sparc kernels map no vDSO (arch/sparc/Kbuild builds vdso/ for
// CONFIG_SPARC64 alone). A 32-bit sparc task runs as sparc64's compat, and its uname -m says sparc64.
const SPARC64 = choice('sparc', 64, 'sparc64');
const X32 = choice('x86', 64, 'x32');
// PA-RISC: 32-bit kernels (uname -m parisc) and 64-bit ones (parisc64), whose userland is 32-bit
// all the same ("there is no 64bit userland on PA-RISC", arch/parisc/Kconfig): Debian's hppa
// tasks run on either, and the lines' width tells which.
const PARISC = choice('parisc', 32, 'parisc');
const PARISC64 = choice('parisc', 64, 'parisc64');
// SuperH: 32-bit kernels only (sh64 was removed in 5.8 and never had a vDSO).
const SH = choice('sh', 32, 'sh');

const NAMES: Record<string, ArchChoice> = {
  // uname -m
  x86_64: X86_64, i386: I386, i486: I386, i586: I386, i686: I386, aarch64: AARCH64, armv7l: ARM_TASK,
  armv6l: ARM_TASK, armv5tel: ARM_TASK, armv8l: ARM_TASK, ppc64le: PPC64LE, ppc64: PPC64, ppc: PPC, ppcle: PPCLE,
  s390x: S390X, riscv64: RISCV64, riscv32: RISCV32, mips64: MIPS64, mips: MIPS,
  loongarch64: LOONGARCH64, sparc64: SPARC64, sparcv9: SPARC64, parisc: PARISC, parisc64: PARISC64,
  // kernel ARCH
  x86: X86_64, arm64: AARCH64, arm: ARM, powerpc: PPC64LE, s390: S390X, riscv: RISCV64, loongarch: LOONGARCH64, sparc: SPARC64,
  sh: SH,
  // Debian
  amd64: X86_64, armhf: ARM_TASK, armel: ARM_TASK, ppc64el: PPC64LE, mips64el: MIPS64, mipsel: MIPS,
  loong64: LOONGARCH64, x32: X32, hppa: PARISC, hppa64: PARISC64,
};

const ARCH_NAMES = Object.keys(NAMES);

/**
 * The names of the architectures without a profile, as uname -m, kernel ARCH, Debian and their
 * toolchains spell them (sh4a, hppa, or1k…). ELF images name their tasks by the same keys.
 */
const FOREIGN_NAMES: Record<string, ForeignArch> = {
  alpha: 'alpha', m68k: 'm68k', ia64: 'ia64', csky: 'csky', hexagon: 'hexagon', arc: 'arc', arceb: 'arc',
  arcv2: 'arc', xtensa: 'xtensa', microblaze: 'microblaze', microblazeel: 'microblaze', nios2: 'nios2',
  openrisc: 'openrisc', or1k: 'openrisc',
};

/** The architecture without a profile this name (or task) is one of, if it is. */
export const foreignArch = (name: string): ForeignArch | undefined => FOREIGN_NAMES[name.trim().toLowerCase()];

/** Why a capture of a foreign architecture is not judged, for every message that says so. */
export const noProfileFor = (arches: string): string =>
  `vdso-layout has no profile for ${arches} kernels (only for ${Object.keys(TASKS_OF).join(', ')})`;

export function parseArch(name: string): ArchChoice {
  const key = name.trim().toLowerCase();
  // Every ARM kernel's uname -m spelling (armv4tl, armv5tejl, armv7b, armv8l…: cpu_architecture()
  // and the endianness), and big-endian arm64's.
  // SuperH's: the CPU (sh2, sh2a, sh3, sh4, sh4a, sh4al-dsp), "eb" on big-endian (arch/sh/kernel/setup.c).
  const c = NAMES[key] ?? (/^armv[4-8][a-z]*[lb]$/.test(key) ? ARM_TASK : key === 'aarch64_be' ? AARCH64
    : /^sh[2-4]a?(?:l-dsp)?(?:eb)?$/.test(key) ? SH : undefined);
  if (!c) {
    const foreign = foreignArch(key);
    if (foreign) throw new UsageError(`architecture '${name}': ${noProfileFor(foreign)}`);
    throw new UsageError(`unknown architecture '${name}' (expected one of: ${ARCH_NAMES.join(', ')})`);
  }
  return { ...c, name: key }; // a copy: several names share one choice
}

/** The family whose kernels run tasks of this ABI natively. */
export function familyOfTask(task: ArchName): KernelFamily {
  switch (task) {
    case 'x86_64': case 'i386': case 'x32': return 'x86';
    case 'aarch64': return 'arm64';
    case 'arm': return 'arm';
    case 'ppc64': case 'ppc64le': case 'ppc': case 'ppcle': return 'powerpc';
    case 's390x': case 's390': return 's390';
    case 'riscv64': case 'riscv32': return 'riscv';
    case 'mips64': case 'mips': return 'mips';
    case 'loongarch64': case 'loongarch32': return 'loongarch';
    case 'sparc64': case 'sparc': return 'sparc';
    case 'parisc64': case 'parisc': return 'parisc';
    case 'sh': return 'sh';
    default: throw new UsageError(`the image is ${task}'s: ${noProfileFor(foreignArch(task)!)}, so no layout can judge a capture by it`);
  }
}

/** Families with 32-bit kernels (a 32-bit capture rules the others out). */
export const HAS_32BIT_KERNELS: ReadonlySet<KernelFamily> = new Set<KernelFamily>(['x86', 'arm', 'powerpc', 'mips', 'riscv', 'parisc', 'sh']);

/** Families whose kernels are 32-bit only (arm: a 64-bit ARM kernel is arm64; sh). */
export const ONLY_32BIT_KERNELS: ReadonlySet<KernelFamily> = new Set<KernelFamily>(['arm', 'sh']);

/** Task ABIs whose addresses are 32 bits (x32 too: ILP32 on a 64-bit kernel). */
export const TASKS_32: ReadonlySet<ArchName> = new Set<ArchName>(['i386', 'x32', 'arm', 'ppc', 'ppcle', 's390', 'riscv32', 'mips', 'sparc', 'parisc', 'sh']);

/** Task ABIs a kernel family runs: the first is native, the rest are compat. */
export const TASKS_OF: Record<KernelFamily, ArchName[]> = {
  x86: ['x86_64', 'i386', 'x32'], arm64: ['aarch64', 'arm'], arm: ['arm'],
  powerpc: ['ppc64le', 'ppc64', 'ppc', 'ppcle'], s390: ['s390x', 's390'], riscv: ['riscv64', 'riscv32'],
  mips: ['mips64', 'mips'], loongarch: ['loongarch64'], sparc: ['sparc64', 'sparc'], parisc: ['parisc64', 'parisc'], sh: ['sh'],
};

/**
 * The machine a capture's uname -m names. armv8l and armv8b are what arm64 kernels print for a
 * compat task (COMPAT_UTS_MACHINE in arch/arm64/include/asm/compat.h; a 32-bit ARM kernel on an
 * ARMv8 CPU prints armv7l): a 64-bit kernel's, whatever the lines' padding says.
 */
export function parseUname(name: string): ArchChoice {
  const c = parseArch(name);
  return /^armv8[lb]$/.test(c.name ?? '') ? { ...c, kernelBits: 64 } : c;
}

/**
 * The kernel family an aux vector's AT_PLATFORM names: the string ELF_PLATFORM (a compat task's
 * COMPAT_ELF_PLATFORM) points at, which fs/binfmt_elf.c create_elf_tables() passes only when it
 * is not NULL (riscv's and sparc's are: their tasks get no AT_PLATFORM). No two families print
 * one string. Read in arch/<arch>/include/asm/elf.h and where each sets its string, in
 * fusaty/freax@d02cfbb5ae56 (a 6.6.0 tree), and arm64's in Kingxukai/linux@9b44fff655e2:
 *   x86: "x86_64"; "i686" for ia32 and x32 tasks (COMPAT_ELF_PLATFORM); an i386 kernel's
 *     utsname()->machine, i486 to i686 (cpu/common.c)
 *   arm64: "aarch64", "aarch64_be"; a compat task "v8l", "v8b"
 *   arm: the CPU's cpu_elf_name and the endianness, "v4l" to "v7l" (mm/proc-*.S); an ARMv8 CPU
 *     under an arm kernel is proc-v7.S's "v7", so "v8l" is arm64's alone
 *   powerpc: cur_cpu_spec->platform (kernel/cputable.c): "ppc970", "power9", "pa6t", "powerpc"…
 *   s390: elf_platform (kernel/processor.c): "z10" to "z16", "z196", "zEC12"; older "g5", "z900"…
 *   mips: __elf_platform (kernel/cpu-probe.c): "mips", "octeon…", "bmips…", "loongson…", "gs264e"
 *   loongarch: "loongarch"; parisc: "PARISC"; sh: utsname()->machine, "sh2" to "sh4al-dsp"
 */
export function familyOfPlatform(platform: string): KernelFamily | undefined {
  const p = platform.trim();
  if (p === 'x86_64' || /^i[4-6]86$/.test(p)) return 'x86';
  if (p === 'aarch64' || p === 'aarch64_be' || p === 'v8l' || p === 'v8b') return 'arm64';
  if (/^v[4-7][a-z]*[lb]$/.test(p)) return 'arm';
  if (/^(ppc|power)[0-9a-z+-]*$/.test(p) || p === 'pa6t') return 'powerpc';
  if (/^(z[0-9][0-9a-z-]*|zEC12|g5)$/.test(p)) return 's390';
  if (p === 'mips' || /^(octeon[23]?|bmips[0-9]+|loongson[23][a-f]|gs264e)$/.test(p)) return 'mips';
  if (p === 'loongarch') return 'loongarch';
  if (p === 'PARISC') return 'parisc';
  if (/^sh[2-4]a?(?:l-dsp)?(?:eb)?$/.test(p)) return 'sh';
  return undefined;
}

/**
 * The task width an AT_PLATFORM says, where the family gives compat tasks a string of their own:
 * x86 (x86_64; i686 for ia32 and x32) and arm64 (aarch64; v8l). Elsewhere both widths share one.
 */
export function taskBitsOfPlatform(platform: string): 32 | 64 | undefined {
  const p = platform.trim();
  return /^(x86_64|aarch64(_be)?)$/.test(p) ? 64 : /^(i[4-6]86|v8[lb])$/.test(p) ? 32 : undefined;
}

/**
 * Machine names only a 64-bit kernel prints (uname -m, and Debian's for its 64-bit ports): a
 * 32-bit kernel says i686, ppc, mips…, as a 64-bit one does under linux32. The kernel ARCH names
 * (x86, powerpc, riscv, mips) name a family of either width and are not here.
 */
// Not riscv64: the rv64ilp32 series' kernel (32-bit longs on RV64) prints 32-bit lines on a machine
// it names riscv64 (samples/pastes/riscv-rv64ilp32-kernel-lp64-user-low.txt).
const KERNEL_64_NAMES: ReadonlySet<string> = new Set(['x86_64', 'amd64', 'x32', 'aarch64', 'aarch64_be', 'arm64', 'ppc64', 'ppc64le', 'ppc64el',
  's390x', 'mips64', 'mips64el', 'loongarch64', 'loong64', 'sparc64', 'sparcv9', 'parisc64', 'hppa64']);

/** Does this name (as parseArch read it) say the kernel is 64-bit? */
export const namesKernel64 = (c: ArchChoice): boolean => !c.armTask && KERNEL_64_NAMES.has(c.name ?? '');

/** The families whose kernels run tasks of this ABI, natively or as compat (TASKS_OF read the other way). */
export const familiesRunning = (task: ArchName): KernelFamily[] =>
  (Object.keys(TASKS_OF) as KernelFamily[]).filter((f) => TASKS_OF[f].includes(task));

