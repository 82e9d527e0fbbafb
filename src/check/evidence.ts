// What a maps file alone says about the machine that printed it: which kernel families can
// have produced it, and the page granularity. Used when there is no image, no --arch and no
// uname. Each rule narrows only when it leaves at least one family; what it concluded is said.
// Decisive rules that leave no family in common are a conflict: no kernel prints such lines.
import { FOREIGN, FOREIGN_32, FOREIGN_64, HAS_32BIT_KERNELS, ONLY_32BIT_KERNELS, TASKS_OF, type ForeignArch, type KernelFamily } from '../layout/arch.js';
import { TEXT_ONLY_FAMILIES } from '../layout/profiles/index.js';
import { familyMarkers } from './cluster.js';
import type { MapsBlock } from '../model/capture.js';

export const FAMILIES = Object.keys(TASKS_OF) as readonly KernelFamily[];

/** A kernel family, or an architecture Linux runs that has no profile (its tasks are refused by name). */
type Arch = KernelFamily | ForeignArch;

/**
 * A CPU name as multiarch triplets and musl's loader spell it → the families whose kernels run
 * such tasks natively or as compat (Debian's ports triplets: sparc64-linux-gnu, hppa-linux-gnu,
 * sh4-linux-gnu, alpha-linux-gnu, m68k-linux-gnu, ia64-linux-gnu).
 */
function familiesOfCpu(cpu: string): Arch[] {
  if (cpu === 'x86_64' || cpu === 'x32' || /^i[3-6]86$/.test(cpu)) return ['x86'];
  if (cpu.startsWith('aarch64')) return ['arm64'];
  if (cpu.startsWith('arm')) return ['arm', 'arm64'];
  if (cpu.startsWith('powerpc')) return ['powerpc'];
  if (cpu.startsWith('s390')) return ['s390'];
  if (cpu.startsWith('riscv')) return ['riscv'];
  if (cpu.startsWith('mips')) return ['mips'];
  if (cpu.startsWith('loongarch')) return ['loongarch'];
  if (cpu.startsWith('sparc')) return ['sparc'];
  if (cpu.startsWith('hppa')) return ['parisc'];
  if (/^sh[1-4]?[a-z]*$/.test(cpu)) return ['sh'];
  if (cpu === 'alpha' || cpu === 'm68k' || cpu === 'ia64' || cpu === 'csky' || cpu === 'hexagon' || cpu === 'xtensa' || cpu === 'nios2') return [cpu];
  if (cpu.startsWith('arc')) return ['arc'];
  if (cpu.startsWith('microblaze')) return ['microblaze'];
  if (cpu === 'or1k') return ['openrisc'];
  return [];
}

/** The multiarch triplet's CPU part → its families. */
const familiesOfTriplet = (t: string): Arch[] => familiesOfCpu(t.split('-')[0]);

/**
 * The families whose kernels run a task with this dynamic loader (glibc's shlib-versions and
 * sysdeps, musl's ld-musl-$(ARCH)$(SUBARCH).so.1), for a task of this width (`task`: every vma
 * below 4 GiB or not). Names shared across architectures say only that: ld-linux.so.2 is i386's,
 * sparc's (32- and 64-bit), sh's and alpha's; ld.so.1 ppc32's, s390's, mips's, m68k's, hppa's
 * and microblaze's.
 */
export function familiesOfLoader(name: string, task: 32 | 64): Arch[] {
  const musl = /^ld-musl-([a-z0-9_]+)/.exec(name);
  const cpu = musl?.[1];
  if (cpu) return familiesOfCpu(cpu);
  if (name === 'ld-linux-x86-64.so.2' || name === 'ld-linux-x32.so.2') return ['x86'];
  if (name === 'ld-linux.so.2') return task === 32 ? ['x86', 'sparc', 'sh'] : ['sparc', 'alpha'];
  if (name.startsWith('ld-linux-aarch64')) return ['arm64'];
  if (name === 'ld-linux-armhf.so.3' || name === 'ld-linux.so.3') return ['arm', 'arm64'];
  if (name === 'ld64.so.2') return ['powerpc']; // ppc64le (ELFv2)
  if (name === 'ld64.so.1') return ['powerpc', 's390']; // ppc64 (ELFv1), s390x
  // ppc32, s390 (31-bit), mips o32/n32/n64, m68k, hppa, microblaze.
  if (name === 'ld.so.1') return task === 32 ? ['powerpc', 's390', 'mips', 'm68k', 'parisc', 'microblaze'] : ['mips'];
  if (name.startsWith('ld-linux-riscv')) return ['riscv'];
  if (name.startsWith('ld-linux-loongarch')) return ['loongarch'];
  if (name.startsWith('ld-linux-mips')) return ['mips']; // ld-linux-mipsn8.so.1 (NaN2008)
  if (name.startsWith('ld-linux-ia64')) return ['ia64'];
  if (name.startsWith('ld-linux-csky')) return ['csky'];
  if (name.startsWith('ld-linux-arc')) return ['arc'];
  if (name.startsWith('ld-linux-nios2')) return ['nios2'];
  if (name.startsWith('ld-linux-or1k')) return ['openrisc'];
  return [];
}

/**
 * The user address space a 64-bit task gets, in bits, per family and page size: the stack
 * starts at its top (minus randomization), so where [stack] ends says which fit. Only families
 * whose choices are fixed by the page size are listed; the others are never ruled out this way.
 *   x86_64: 47 (the default window also with 5-level paging, STACK_TOP = TASK_SIZE_LOW)
 *   arm64: ARM64_VA_BITS 39/48 (4K), 36/47/48 (16K), 42/48 (64K); 52 (a 48-bit default window,
 *     unless ARM64_FORCE_52BIT)
 *   loongarch: 39/48 (4K, 3/4 levels), 36/47 (16K, 2/3 levels), 42/48 (64K)
 *   mips64: 40 (48 with CONFIG_MIPS_VA_BITS_48)
 *   riscv64 (4K): 38 (Sv39), 47 (Sv48, and from 6.6 Sv57's default window: STACK_TOP =
 *     DEFAULT_MAP_WINDOW, 1 << (MMAP_VA_BITS - 1), arch/riscv/include/asm/processor.h in
 *     fusaty/freax@d02cfbb5ae56, 6.6.0), 56 (Sv57 from 5.18 to 6.5: STACK_TOP = TASK_SIZE_64 =
 *     PGDIR_SIZE * PTRS_PER_PGD / 2; a 6.1.176 kernel built from Debian's linux-source-6.1 on
 *     QEMU 7.2's virt hart, which has Sv57, puts [stack] at 0xffffffd7a75000:
 *     samples/gate/riscv64-6.1-vvar-exec/step-0/console.log)
 *   ppc64 (STACK_TOP_USER64): 44 to 3.6 (arch/powerpc/include/asm/processor.h TASK_SIZE_USER64,
 *     New-B/Linux3.6@4afeb2ff2205, 3.6.0); 46 from 3.7 (robacklin/linux-3.7.2@47011c3d0ead, 3.7.2;
 *     HCLS/linux-4.11@e81cedcca218, 4.11.0); from 4.12 47 with 64K pages on book3s64, else 46
 *     (DEFAULT_MAP_WINDOW_USER64: jason50123/linux-4.12@d7bbb6bbf66c, 4.12.0; task_size_64.h in
 *     gfunkmonk/linux-6.18.2@062668f4d006, 6.18.2)
 *   sparc64: 43 (STACK_TOP64 = 2^43 - 4 GiB, arch/sparc/include/asm/processor_64.h in
 *     Kent-Hu/linux-4.15.1@ecb8ce09d432, 4.15.1, to rikudousennin22/linux-7.1.3@037c6bf47ba7, 7.1.3)
 *   parisc64 (4K pages: 3 levels, 9 + 11 + 10 bits over PAGE_SHIFT): 42, DEFAULT_TASK_SIZE =
 *     MAX_ADDRESS - 0xf000000 (arch/parisc/include/asm/processor.h, pgtable.h and page.h in
 *     rikudousennin22/linux-7.1.3@037c6bf47ba7, 7.1.3); its stack grows up from at most 1 GiB below
 *     that, so it ends near the top all the same. (No userland has 64-bit tasks: source only.)
 *   s390x: 42 in every era (arch/s390/include/asm/processor.h STACK_TOP: 1UL << 42 in
 *     mikuhatsune001/linux2.6.32@b2800862390c, 2.6.32.63, and jason50123/linux-4.12@d7bbb6bbf66c;
 *     _REGION2_SIZE in fridayhub/linux-5.11.14@c04aa994c73d; from 5.19 a few pages below it,
 *     VDSO_LIMIT - vdso_size() - PAGE_SIZE, yishangzhang/linux-5.19@4a8550523ce9, 5.19.0)
 */
const USER_VA_BITS: Partial<Record<KernelFamily, Record<number, readonly number[]>>> = {
  x86: { 4096: [47] },
  arm64: { 4096: [39, 48, 52], 16384: [36, 47, 48, 52], 65536: [42, 48, 52] },
  loongarch: { 4096: [39, 48], 16384: [36, 47], 65536: [42, 48] },
  mips: { 4096: [40, 48], 16384: [40, 48], 65536: [40, 48] },
  riscv: { 4096: [38, 47, 56] },
  powerpc: { 4096: [44, 46], 65536: [44, 46, 47] },
  s390: { 4096: [42] },
  sparc: { 8192: [43] },
  parisc: { 4096: [42] },
};
/**
 * How far below the top of user space the stack can end (randomization, guard gap): 64 GiB. The
 * largest randomization is x86_64's 16 GiB; ppc64's and s390x's are under 1 GiB (STACK_RND_MASK
 * in arch/powerpc/include/asm/elf.h, 0x3ffff pages of 4K; arch/s390/include/asm/elf.h
 * MMAP_RND_MASK 0x3ff80 pages, pengdonglin137/linux-4.10.17@6962d94c6185, 4.10.17).
 */
const STACK_SLACK = 1n << 36n;

/** The address-space size a stack ending here sits at the top of, if it sits near one. */
export function stackTopBits(stackEnd: bigint): number | undefined {
  const bits = (stackEnd - 1n).toString(2).length;
  return (1n << BigInt(bits)) - stackEnd <= STACK_SLACK ? bits : undefined;
}

/**
 * Why a page size given (a flag, AT_PAGESZ) is none of these families' kernels' for the capture's
 * stack, if it is not: the stack ends at the top of a user space whose size each family gives at
 * other page sizes only (a 16K loongarch kernel's 47 bits, a 64K ppc64 one's 47; at 4K they are
 * 39/48 and 44/46). A family without a table, or a stack at no known top, says nothing.
 */
export function stackRulesOutPage(block: MapsBlock, page: bigint, families: readonly KernelFamily[]): string | undefined {
  const end = block.evidence?.stackEnd;
  const bits = end !== undefined && end > VA32 ? stackTopBits(end) : undefined;
  if (bits === undefined || families.length === 0) return undefined;
  const at = (f: KernelFamily) => USER_VA_BITS[f];
  if (!families.every((f) => at(f) && Object.values(at(f)!).some((b) => b.includes(bits)))) return undefined;
  if (families.some((f) => at(f)![Number(page)]?.includes(bits))) return undefined;
  const where = families.map((f) => `${f} at ${Object.entries(at(f)!).filter(([, b]) => b.includes(bits)).map(([p]) => `${Number(p) / 1024}K`).join('/')}`).join(', ');
  return `[stack] ends at 0x${end!.toString(16)}, the top of a ${bits}-bit user space, which ${families.length > 1 ? 'these kernels give' : 'the kernel gives'} only on other pages (${where})`;
}

/**
 * Where the toolchains' default linker scripts put a static (non-PIE) executable's first
 * segment, so where /bin/busybox sits in a maps file. Every value is seen in samples/corpus or
 * samples/qemu: amd64 0x400000 (x86_64) and 0x8048000 (i386), arm64 0x400000, armhf and the arm64
 * compat task 0x10000, ppc64el 0x10000000, s390x 0x1000000, riscv64 0x10000, mips64el and loong64
 * 0x120000000, sparc64 0x100000 and its compat task 0x10000. hppa's 0x10000 and sh's 0x400000 are
 * binutils' (ld/emulparams hppalinux.sh and shlelf_linux.sh TEXT_START_ADDR), and their boots' in samples/qemu.
 * `task`: the task's width (mappings above 4G or not) the address means that for.
 */
const STATIC_LOAD_ADDRESSES: ReadonlyArray<{ at: bigint; task: 32 | 64; families: KernelFamily[]; what: string }> = [
  { at: 0x400000n, task: 64, families: ['x86', 'arm64'], what: 'x86_64 / aarch64' },
  // MIPS o32/n32 (binutils elf32*mips.sh TEXT_START_ADDR); i386 is 0x8048000, arm 0x10000, ppc32 0x10000000.
  { at: 0x400000n, task: 32, families: ['mips', 'sh'], what: 'mips (32-bit) / sh' },
  { at: 0x8048000n, task: 32, families: ['x86'], what: 'i386' },
  // sparc64's compat task too (binutils elf32_sparc.sh TEXT_START_ADDR; samples/qemu's sparc64 boot).
  { at: 0x10000n, task: 32, families: ['arm', 'arm64', 'sparc', 'parisc'], what: 'arm / sparc / hppa' },
  // binutils elf64_sparc.sh TEXT_START_ADDR (Linux targets); samples/qemu's sparc64 boot.
  { at: 0x100000n, task: 64, families: ['sparc'], what: 'sparc64' },
  { at: 0x10000n, task: 64, families: ['riscv'], what: 'riscv64' },
  { at: 0x10000000n, task: 64, families: ['powerpc'], what: 'ppc64' },
  { at: 0x1000000n, task: 64, families: ['s390'], what: 's390x' },
  { at: 0x120000000n, task: 64, families: ['mips', 'loongarch'], what: 'mips64 / loongarch64' },
];

/** x86_64 and ppc64 user space ends at 2^47 unless a task asks for more (5-level / 4PB hints). */
const VA47_FAMILIES: ReadonlySet<KernelFamily> = new Set<KernelFamily>(['x86', 'powerpc']);
const VA47 = 1n << 47n;
/** x86_64 VSYSCALL_START (ffffffffff600000): the gate vma, printed last, above every user address. */
const X86_GATE_START = 0xffffffffff600000n;
/**
 * i386's fixmap vDSO page (CONFIG_COMPAT_VDSO, and the ia32 vsyscall page of x86_64 2.6 kernels):
 * the kernel's, above TASK_SIZE, so it says nothing about where user space ends.
 */
const I386_FIXMAP_VDSO = 0xffffe000n;
const VA40 = 1n << 40n;
const VA63 = 1n << 63n;

export interface FamilyEvidence {
  families: KernelFamily[];
  /**
   * The lines are an architecture's without a profile: the kernel's own facts in them leave no
   * family but these (alpha's loader and library paths). Said as "what says so (arch)".
   */
  foreign?: { why: string; arches: ForeignArch[] };
  /**
   * A name the lines carry is printed both by the families left and by an architecture without a
   * profile ([vdso_data]: riscv 5.8-5.14, csky 5.12-6.11): the lines cannot tell which kernel
   * printed them, so the verdict does not name a family.
   */
  alsoForeign?: { why: string; arches: ForeignArch[] };
  /** Exactly one family left. */
  known: boolean;
  /** The largest power of two (≤ 256K) every vma boundary is a multiple of. */
  granularity: bigint;
  /** What each rule concluded, in order (for notes). */
  reasons: string[];
  /**
   * Two decisive readings that no one family satisfies (a name only x86 prints beside one only
   * arm prints; a riscv name over a mips stack): no kernel prints these lines, so no layout may
   * judge them. Said as "X (families), but Y (families)".
   */
  conflict?: string;
}

export function granularityOf(boundaryBits: number): bigint {
  if (boundaryBits === 0) return 0x40000n;
  return BigInt(boundaryBits & -boundaryBits);
}

/**
 * A set of families as bits (FAMILIES order, then FOREIGN's): every capture of a check reads the
 * rules. An architecture without a profile is in every set a rule cannot rule it out of (the
 * width, the stack, the address space), and in none a name of the known families makes.
 */
type FamilyMask = number;
const ARCHES: readonly Arch[] = [...FAMILIES, ...FOREIGN];
const BIT = new Map<Arch, number>(ARCHES.map((f, i) => [f, 1 << i]));
const maskOf = (families: Iterable<Arch>): FamilyMask => { let m = 0; for (const f of families) m |= BIT.get(f) ?? 0; return m; };
const familiesIn = (m: FamilyMask): KernelFamily[] => FAMILIES.filter((f) => (m & BIT.get(f)!) !== 0);
const foreignIn = (m: FamilyMask): ForeignArch[] => FOREIGN.filter((f) => (m & BIT.get(f)!) !== 0);
const KNOWN_MASK: FamilyMask = maskOf(FAMILIES);
const TEXT_ONLY_MASK: FamilyMask = maskOf(TEXT_ONLY_FAMILIES);
const FOREIGN_MASK: FamilyMask = maskOf(FOREIGN);
const ALL_FAMILIES: FamilyMask = KNOWN_MASK | FOREIGN_MASK;
const KEEP_WITH_DATA: FamilyMask = ALL_FAMILIES & ~TEXT_ONLY_MASK;
/** The families of the table that map data pages in some era (not parisc, sh). */
const WITH_DATA_MASK: FamilyMask = KNOWN_MASK & ~TEXT_ONLY_MASK;
/** Families as a reading lists them: the known ones; the others only where no known one is left. */
const namesIn = (m: FamilyMask): string => (m & KNOWN_MASK) !== 0 ? familiesIn(m).join(', ') : `${foreignIn(m).join(', ')}: no profile`;

type Rule = 'bits32' | 'bits64' | 'marker' | 'triplets' | 'loader' | 'compat' | 'load' | 'va63' | 'below63' | 'va47' | 'va40' | 'stack' | 'fixed' | 'fine' | 'usertop' | 'stacktop' | 'data' | 'low';

/**
 * One rule's reading of a block's lines: the families it leaves (`keep`), and whether it is
 * decisive: a fact the kernel makes itself (its pointer width, names only some families print,
 * the ABI a task's loader and library paths carry, where it puts the stack and the vDSO). A
 * decisive reading rules a family out even when --arch, a profile or an image names it. The
 * others (the executable's link address, any address above 2^47 or 2^40) read the toolchain's or
 * the task's choices, and only narrow the families when nothing names one. What a reading says
 * is put in words only when asked (sayWhy).
 */
interface Reading {
  rule: Rule; keep: FamilyMask; decisive: boolean;
  /** What sayWhy needs beyond the block (one shape for every rule: one object layout for V8). */
  marker: string | undefined; load: (typeof STATIC_LOAD_ADDRESSES)[number] | undefined; bits: number; pagesAllowed: number; at: bigint;
}
const reading = (rule: Rule, keep: FamilyMask, decisive: boolean, marker?: string, load?: (typeof STATIC_LOAD_ADDRESSES)[number], bits = 0, pagesAllowed = 0, at = 0n): Reading =>
  ({ rule, keep, decisive, marker, load, bits, pagesAllowed, at });

/**
 * Families whose 64-bit kernels run 32-bit tasks (CONFIG_COMPAT, or MIPS o32/n32). LoongArch has
 * no COMPAT in any release (arch/loongarch/Kconfig: 5.19.0 yishangzhang/linux-5.19@4a8550523ce9
 * to 6.19.0 matankalina/linux-6.19.10-fork@483059de9f93); arm's kernels are 32-bit only. s390
 * dropped its 31-bit compat in 6.19, so a 31-bit task says an older s390 kernel.
 */
const FOREIGN_64_MASK: FamilyMask = maskOf(FOREIGN_64);
const COMPAT_FAMILIES: readonly KernelFamily[] = ['x86', 'arm64', 'powerpc', 's390', 'mips', 'riscv', 'sparc', 'parisc'];
const COMPAT_MASK: FamilyMask = maskOf(COMPAT_FAMILIES);
const KEEP_32BIT: FamilyMask = maskOf([...HAS_32BIT_KERNELS, ...FOREIGN_32]);
const KEEP_64BIT: FamilyMask = maskOf(FAMILIES.filter((f) => !ONLY_32BIT_KERNELS.has(f))) | FOREIGN_64_MASK;
const KEEP_BELOW_VA47: FamilyMask = maskOf(FAMILIES.filter((f) => !VA47_FAMILIES.has(f))) | FOREIGN_64_MASK;
/**
 * The vDSO above 2^63: sparc64 (its user space above the VA hole; a real 6.1 boot in samples/qemu
 * maps it at 0xfffff80100418000) or ia64 (the gate at 0xa000000000000000).
 */
const KEEP_ABOVE_VA63: FamilyMask = maskOf(['sparc', 'ia64']);
const KEEP_BELOW_VA63: FamilyMask = ALL_FAMILIES & ~KEEP_ABOVE_VA63;
/** Every family with pages under 8K (sparc64's are 8K only: profiles/sparc.ts). */
const KEEP_FINER_THAN_8K: FamilyMask = ALL_FAMILIES & ~maskOf(['sparc']);
/**
 * Where a task's user space ends (TASK_SIZE), for the families and kernel widths where no
 * configuration lets it reach 4 GiB: a vma above it is no such kernel's (an i386 task's [stack]
 * at 0xbf83a000 is not arm's, mips's or sh's; a compat stack at 0xffffe000 not parisc's; an x86_64
 * [vdso] at 0x7ffc6bbe2000 not parisc64's). `kernel`: the kernel's width, 64 for a 32-bit task
 * being a 64-bit kernel's compat task. Each is the largest any Kconfig choice gives:
 *   i386: PAGE_OFFSET, 0xc0000000 at most (VMSPLIT_3G; arch/x86/Kconfig PAGE_OFFSET has no
 *     prompt; include/asm-i386/processor.h in bronson/linux-2.6.18.8-ovz-xen@e478bec0ba0a, tag
 *     v2.6.18, to arch/x86/include/asm/page_32_types.h in rikudousennin22/linux-7.1.3@037c6bf47ba7,
 *     7.1.3); an x86_64 kernel's ia32 task IA32_PAGE_OFFSET 0xffffe000 (include/asm-x86_64/processor.h
 *     in v2.6.18; page_64_types.h in 7.1.3);
 *   arm: PAGE_OFFSET - 16M, 0xbf000000 at most (less under KASAN; include/asm-arm/memory.h in
 *     v2.6.18, arch/arm/include/asm/memory.h and arch/arm/Kconfig in krr-io/linux-6.1.0@2a410d07ec5e,
 *     6.1.0, and 7.1.3); its [vectors] page at 0xffff0000 is the kernel's, not user space;
 *   riscv: rv32 VMALLOC_START (4.15) or FIXADDR_START below it, VMALLOC_START = PAGE_OFFSET
 *     0xc0000000 - KERN_VIRT_SIZE / 2 = 0xa0000000 (Sv32: a 1 GiB kernel space; arch/riscv/include/asm
 *     pgtable.h and page.h in Kent-Hu/linux-4.15.1@ecb8ce09d432, 4.15.1, 5.19.0, 6.1.0 and 7.1.3);
 *     a compat task TASK_SIZE_32 0x80000000 - PAGE_SIZE (yishangzhang/linux-5.19@4a8550523ce9,
 *     5.19.0, to 7.1.3);
 *   mips: KUSEG, 0x80000000 (0x7fff8000 before 4.12: arch/mips/include/asm/processor.h in v2.6.18,
 *     jason50123/linux-4.12@d7bbb6bbf66c, 4.12.0, and 7.1.3); a compat task TASK_SIZE32 0x7fff8000;
 *   s390: a 31-bit compat task 2 GiB (1UL << 31 in 4.12.0, _REGION3_SIZE in 6.1.0);
 *   sh: 0x7c000000 ("area 7", arch/sh/include/asm/processor_32.h in 7.1.3; include/asm-sh/processor.h
 *     in 2.6.19);
 *   parisc: DEFAULT_TASK_SIZE32 0xfff00000 and, for a 64-bit task at 4K pages, MAX_ADDRESS -
 *     0xf000000 = 2^42 - 0xf000000 (arch/parisc/include/asm/processor.h, pgtable.h, 7.1.3).
 * Not bounded below 4 GiB: ppc32 (CONFIG_TASK_SIZE is a prompt under ADVANCED_OPTIONS), and the
 * compat tasks of arm64, ppc64 and sparc64 (4 GiB less at most a page).
 */
const USER_TOP: ReadonlyArray<{ family: KernelFamily; task: 32 | 64; kernel: 32 | 64; top: bigint; name: string }> = [
  { family: 'x86', task: 32, kernel: 32, top: 0xc0000000n, name: 'i386' },
  { family: 'x86', task: 32, kernel: 64, top: 0xffffe000n, name: 'x86_64\'s ia32 tasks' },
  { family: 'arm', task: 32, kernel: 32, top: 0xbf000000n, name: 'arm' },
  { family: 'riscv', task: 32, kernel: 32, top: 0xa0000000n, name: 'riscv32' },
  { family: 'riscv', task: 32, kernel: 64, top: 0x7ffff000n, name: 'riscv64\'s compat tasks' },
  { family: 'mips', task: 32, kernel: 32, top: 0x80000000n, name: 'mips32' },
  { family: 'mips', task: 32, kernel: 64, top: 0x7fff8000n, name: 'mips64\'s o32/n32 tasks' },
  { family: 's390', task: 32, kernel: 64, top: 0x80000000n, name: 's390x\'s 31-bit tasks' },
  { family: 'sh', task: 32, kernel: 32, top: 0x7c000000n, name: 'sh' },
  { family: 'parisc', task: 32, kernel: 32, top: 0xfff00000n, name: 'parisc' },
  { family: 'parisc', task: 32, kernel: 64, top: 0xfff00000n, name: 'parisc64\'s 32-bit tasks' },
  { family: 'parisc', task: 64, kernel: 64, top: (1n << 42n) - 0xf000000n, name: 'parisc64' },
];

type UserTop = (typeof USER_TOP)[number];
/**
 * An arm64 kernel's compat task's STACK_TOP, AARCH32_VECTORS_BASE 0xffff0000 (its TASK_SIZE_32 is
 * 4 GiB: arch/arm64/include/asm/processor.h in jason50123/linux-4.12@d7bbb6bbf66c, 4.12.0,
 * krr-io/linux-6.1.0@2a410d07ec5e, 6.1.0, and 7.1.3): an ia32 stack ending at 0xffffe000 is no such task's.
 */
const ARM64_COMPAT_STACK_TOP = 0xffff0000n;
/**
 * The families a task of this width on a kernel of this width (unknown: either the family has)
 * cannot reach 4 GiB in: those with an entry for every kernel width they may run it on, each with
 * the highest of those tops. Every capture of a check asks: kept per (task, kernel) width.
 */
const userTopBounds = new Map<number, Array<{ bit: FamilyMask; top: bigint; entries: UserTop[] }>>();
function boundsFor(task: 32 | 64, kernelBits: 32 | 64 | undefined): Array<{ bit: FamilyMask; top: bigint; entries: UserTop[] }> {
  const key = task * 128 + (kernelBits ?? 0);
  let bounds = userTopBounds.get(key);
  if (bounds) return bounds;
  bounds = [];
  for (const family of FAMILIES) {
    const widths = (kernelBits !== undefined ? [kernelBits] : task === 64 ? [64] : [32, 64]).filter((k) =>
      task === 64 ? !ONLY_32BIT_KERNELS.has(family) : k === 32 ? HAS_32BIT_KERNELS.has(family) : COMPAT_FAMILIES.includes(family));
    const entries = widths.map((k) => USER_TOP.find((u) => u.family === family && u.task === task && u.kernel === k));
    if (entries.length === 0 || entries.some((u) => u === undefined)) continue;
    const found = entries as UserTop[];
    bounds.push({ bit: BIT.get(family)!, top: found.reduce((t, u) => (u.top > t ? u.top : t), 0n), entries: found });
  }
  userTopBounds.set(key, bounds);
  return bounds;
}
/**
 * Where a 64-bit task's user space ends at most, as far as the table says (synth holds --base to
 * it): the widest stack top its family's kernels give. Not sparc64's, whose vDSO sits above its VA
 * hole; nor a 32-bit task's, whose vDSO may sit above its stack's top (i386's fixmap 0xffffe000).
 */
export function userSpaceTop64(family: KernelFamily): bigint | undefined {
  const t = family === 'sparc' ? undefined : USER_VA_BITS[family];
  return t ? 1n << BigInt(Math.max(...Object.values(t).flat())) : undefined;
}

/** The families a vma ending at `end` is above the user space of. */
function aboveUserTop(end: bigint, task: 32 | 64, kernelBits: 32 | 64 | undefined): FamilyMask {
  let ruledOut = 0;
  for (const b of boundsFor(task, kernelBits)) if (end > b.top) ruledOut |= b.bit;
  return ruledOut;
}
const KEEP_BELOW_VA40: FamilyMask = maskOf(FAMILIES.filter((f) => f !== 'mips')) | FOREIGN_64_MASK;
const PAGE_CHOICES = [4096, 8192, 16384, 65536];
/** The families whose stack can end at the top of a `bits`-bit user space, by bits and how many of PAGE_CHOICES the boundaries allow. */
const stackFits = new Map<number, FamilyMask>();
let markerMasks: Map<string, FamilyMask> | undefined;

/**
 * Names the architectures without a profile print, beside the table's own markers (so that a
 * name only they print, or print as one family of the table does, is read as theirs too):
 *   [vdso_data]: csky 5.12-6.11, arch_vma_name() for the data page after the text, the shape of
 *     riscv 5.8-5.14 (arch/csky/kernel/vdso.c, zhangyinjun/linux-5.12.9@38c16b0cce67, 5.12.9, to
 *     segzix/linux-6.11.11@323e1467a22a, 6.11.11);
 *   [kuser]: nios2 4.12-6.11, the kuser helper page at KUSER_BASE (arch/nios2/mm/init.c
 *     arch_vma_name(), jason50123/linux-4.12@d7bbb6bbf66c, 4.12.0).
 * Not [vvar], which csky 6.12.0 printed after its text (arch/csky/kernel/vdso.c,
 * shilei-massclouds/linux-6.12@e02d6450498d; text only from 6.13): it is no marker of the table's
 * either (cluster.ts familyMarkers), so it rules no architecture out.
 */
const FOREIGN_MARKERS: ReadonlyArray<[string, ForeignArch]> = [['[vdso_data]', 'csky'], ['[kuser]', 'nios2']];

/**
 * Where a kernel maps its vDSO at a fixed address no other family's user space reaches. The
 * architectures without a profile: ia64's gate vma at GATE_ADDR (0xa000000000000000, printed last as [vdso]:
 * arch/ia64/include/asm/pgtable.h FIXADDR_USER_START, terryjwyoon/kernel-6.6.17@792bf5c6c67d,
 * 6.6.17), nios2's page at KUSER_BASE 0x1000, named [vdso] from 6.12
 * (arch/nios2/include/asm/processor.h; _install_special_mapping with "[vdso]",
 * shilei-massclouds/linux-6.12@e02d6450498d, 6.12.0).
 */
const FIXED_VDSO: ReadonlyArray<{ at: bigint; arch: Arch }> = [
  { at: 0xa000000000000000n, arch: 'ia64' }, { at: 0x1000n, arch: 'nios2' },
  // x86_64's gate, which 2.6.18-2.6.22 name [vdso]: above every other family's user space
  // (sparc64's TASK_SIZE, -VPTE_SIZE, is 0xfffffffc00000000; s390's reaches it only by a hint, and
  // its kernel places its vDSO below 2^53).
  { at: X86_GATE_START, arch: 'x86' },
];
/** Mappings the kernel places itself: the vDSO cluster (the stack is read from the evidence). */
const KERNEL_PLACED: ReadonlySet<string> = new Set(['vdso', 'vvar', 'vvar_vclock']);

/** Every rule's reading of the block, in the order familyEvidence applies them. */
function readings(block: MapsBlock): Reading[] {
  const out: Reading[] = [];
  const ev = block.evidence;
  if (block.kernelBits === 32) out.push(reading('bits32', KEEP_32BIT, true));
  if (block.kernelBits === 64) out.push(reading('bits64', KEEP_64BIT, true));
  if (!markerMasks) {
    markerMasks = new Map([...familyMarkers()].map(([name, fams]) => [name, maskOf(fams)]));
    for (const [name, arch] of FOREIGN_MARKERS) markerMasks.set(name, (markerMasks.get(name) ?? 0) | maskOf([arch]));
  }
  // In the table's order of names, as the notes have always listed them.
  let marked = false;
  for (const m of block.mappings) if (m.name !== undefined && markerMasks.has(m.name)) { marked = true; break; }
  if (marked) {
    for (const [name, keep] of markerMasks) if (block.mappings.some((m) => m.name === name)) out.push(reading('marker', keep, true, name));
  }
  if (ev.triplets.length) {
    const keep = maskOf(ev.triplets.flatMap(familiesOfTriplet));
    if (keep) out.push(reading('triplets', keep, true));
  }
  // x86_64's gate vma sits at VSYSCALL_START whatever it is named (2.6.18-2.6.22 print it as [vdso]): not user space.
  let top = 0n;
  let placedAbove47 = ev.stackEnd !== undefined && ev.stackEnd > VA47;
  let placedAbove63 = false;
  let vdsoBelow63 = false;
  // One pass (every capture of a check reads these): the top, where the kernel placed its vmas.
  for (const m of block.mappings) {
    if (m.kind === 'vdso') {
      if (m.start < VA63) vdsoBelow63 = true;
      for (const f of FIXED_VDSO) if (m.start === f.at) out.push(reading('fixed', maskOf([f.arch]), true, undefined, undefined, 0, 0, m.start));
    }
    if (m.kind === 'vsyscall' || m.kind === 'vectors' || m.start === X86_GATE_START || m.start === I386_FIXMAP_VDSO) continue;
    if (m.end > top) top = m.end;
    if (m.end > VA47 && KERNEL_PLACED.has(m.kind)) placedAbove47 = true;
    if (m.start >= VA63 && KERNEL_PLACED.has(m.kind)) placedAbove63 = true;
  }
  // No family of the table puts the vDSO in the upper half of a 64-bit address space (their
  // widest user spaces are 56 bits) but sparc64, above its VA hole, and ia64, in region 5.
  if (placedAbove63) out.push(reading('va63', KEEP_ABOVE_VA63, true));
  // A task whose mappings all sit below 4G is a 32-bit one (the vDSO is mapped near the top).
  // Where user space ends, for the task's width and the user-top rule: the stack too, since the
  // reader may keep no other vma of a capture without a vDSO (alpha maps none).
  const userTop = ev.stackEnd !== undefined && ev.stackEnd > top ? ev.stackEnd : top;
  const task = userTop > VA32 ? 64 : 32;
  // The largest power of two (<= 256K) every vma boundary is a multiple of (granularityOf's).
  const granularity = ev.boundaryBits === 0 ? 0x40000 : ev.boundaryBits & -ev.boundaryBits;
  const loaders = ev.loaders ?? [];
  if (loaders.length) {
    const keep = maskOf(loaders.flatMap((l) => familiesOfLoader(l, task)));
    if (keep) out.push(reading('loader', keep, true));
  }
  if (task === 32 && block.kernelBits === 64 && block.mappings.length > 0) out.push(reading('compat', COMPAT_MASK, true));
  // Whatever the lines' width (a paste whose padding was lost): a task whose every vma is below
  // 4 GiB runs on a 32-bit kernel or as a 64-bit one's compat task, so it is no loongarch task
  // (neither exists; a 64-bit task's stack and vDSO sit near the top of its 39/48-bit space).
  if (task === 32 && block.kernelBits === undefined && block.mappings.length > 0) out.push(reading('low', KEEP_32BIT | COMPAT_MASK, true));
  if (ev.firstFileStart !== undefined) {
    for (let i = 0; i < STATIC_LOAD_ADDRESSES.length; i++) {
      const load = STATIC_LOAD_ADDRESSES[i];
      if (load.at === ev.firstFileStart && load.task === task) { out.push(reading('load', LOAD_MASKS[i], false, undefined, load)); break; }
    }
  }
  // Any task may map above 2^47 where it asks to (x86 5-level paging, ppc64's 4PB); the kernel
  // itself puts the stack and the vDSO below it there.
  if (top > VA47) out.push(reading('va47', KEEP_BELOW_VA47, placedAbove47));
  if (top > VA40) out.push(reading('va40', KEEP_BELOW_VA40, false));
  const bits = ev.stackEnd !== undefined && ev.stackEnd > VA32 ? stackTopBits(ev.stackEnd) : undefined;
  if (bits !== undefined) {
    // The page sizes the boundaries allow (a boundary is never finer than a page): always the smallest few.
    let allowed = 0;
    while (allowed < PAGE_CHOICES.length && granularity % PAGE_CHOICES[allowed] === 0) allowed++;
    const key = bits * 8 + allowed;
    let keep = stackFits.get(key);
    if (keep === undefined) {
      const pages = PAGE_CHOICES.slice(0, allowed);
      // A stack above 4 GiB is no 32-bit-only family's (arm): it has no table, and is not kept.
      keep = maskOf(FAMILIES.filter((f) => { const t = USER_VA_BITS[f]; return t ? pages.some((p) => t[p]?.includes(bits)) : !ONLY_32BIT_KERNELS.has(f); }));
      // The 64-bit architectures without a profile have no table either: never ruled out by it. A
      // size no table has stays a gap (nothing kept, the reading ignored), not a foreign one's.
      if (keep !== 0) keep |= FOREIGN_64_MASK;
      stackFits.set(key, keep);
    }
    out.push(reading('stack', keep, true, undefined, undefined, bits, allowed));
  }
  // Last, so that they name no family in the notes where the rules above already ruled it out:
  // a 64-bit task's vDSO below 2^63 is not sparc64's, which always maps it above its VA hole
  // (TASK_UNMAPPED_BASE = sparc64_va_hole_top + 4 GiB, every CPU's hole top at or above
  // 0xfff0000000000000: arch/sparc/mm/init_64.c setup_page_offset, Kent-Hu/linux-4.15.1@ecb8ce09d432,
  // 4.15.1), nor ia64's (its gate); and a vma boundary finer than 8K is not sparc64's, whose pages
  // are 8K only (a kernel maps nothing finer than its page); nor is a vma above a family's user
  // space (USER_TOP) that family's.
  const ruledOut = aboveUserTop(userTop, task, block.kernelBits);
  if (ruledOut !== 0) out.push(reading('usertop', ALL_FAMILIES & ~ruledOut, true, undefined, undefined, task, 0, userTop));
  // An arm64 compat task's stack starts below its vectors page, whatever else it maps above.
  if (task === 32 && block.kernelBits !== 32 && ev.stackEnd !== undefined && ev.stackEnd > ARM64_COMPAT_STACK_TOP) {
    out.push(reading('stacktop', ALL_FAMILIES & ~BIT.get('arm64')!, true, undefined, undefined, 0, 0, ev.stackEnd));
  }
  if (!placedAbove63 && task === 64 && vdsoBelow63) out.push(reading('below63', KEEP_BELOW_VA63, true));
  if (granularity < 8192 && block.mappings.length > 0) out.push(reading('fine', KEEP_FINER_THAN_8K, true, undefined, undefined, granularity));
  // A [vvar] is no [vdso]-only family's (parisc, sh): a hint, not a fact, since a series moving
  // one to the generic data store maps it (and must fail against its layout, not be refused).
  if (block.mappings.some((m) => m.kind === 'vvar')) out.push(reading('data', KEEP_WITH_DATA, false));
  return out;
}
const VA32 = 1n << 32n;
const LOAD_MASKS: readonly FamilyMask[] = STATIC_LOAD_ADDRESSES.map((l) => maskOf(l.families));

/** What a reading says (`against`: as said against a family it rules out). */
function sayWhy(r: Reading, block: MapsBlock, against = false, claimed: FamilyMask = ALL_FAMILIES): string {
  const ev = block.evidence;
  switch (r.rule) {
    case 'bits32': return '32-bit kernel lines (address width, name column)';
    case 'bits64': return '64-bit kernel lines (address width, name column)';
    case 'marker': return `${r.marker} is mapped`;
    case 'fixed': return `[vdso] at 0x${r.at.toString(16)}`;
    case 'triplets': return `library paths under ${ev.triplets.join(', ')}`;
    case 'loader': return `the dynamic loader ${(ev.loaders ?? []).join(', ')}`;
    case 'compat': return 'a 32-bit task on a 64-bit kernel (every vma below 4 GiB)';
    case 'data': return '[vvar] is mapped';
    case 'low': return `a 32-bit task (every vma below 4 GiB)${against ? ', which runs on a 32-bit kernel or as a compat task' : ''}`;
    case 'stacktop': return `[stack] ends at 0x${r.at.toString(16)}${against ? `, above an arm64 compat task's stack top (AARCH32_VECTORS_BASE 0x${ARM64_COMPAT_STACK_TOP.toString(16)})` : ''}`;
    case 'usertop': {
      const tops = boundsFor(r.bits as 32 | 64, block.kernelBits).filter((b) => r.at > b.top && (claimed & b.bit) !== 0).flatMap((b) => b.entries);
      return `a vma ending at 0x${r.at.toString(16)}${against ? `, above the user space of ${tops.map((u) => `${u.name} (0x${u.top.toString(16)})`).join(' and ')}` : ''}`;
    }
    case 'load': return `the executable at 0x${r.load!.at.toString(16)}, the ${r.load!.what} static load address`;
    case 'below63': return against ? 'a 64-bit task\'s vDSO below 2^63, where sparc64 never maps it (above its VA hole)' : 'a 64-bit task\'s vDSO below 2^63';
    case 'fine': return `vma boundaries on ${r.bits / 1024}K pages${against ? ', and sparc64 kernels have 8K pages only' : ''}`;
    case 'va63': return 'the vDSO above 2^63 (sparc64 maps it above its VA hole, ia64 in region 5; no other kernel there)';
    case 'va47': return against ? 'the stack or the vDSO above 2^47, where x86_64 and ppc64 user space ends' : 'addresses above 2^47';
    case 'va40': return 'addresses above 2^40 (mips64 user space ends there unless CONFIG_MIPS_VA_BITS_48)';
    case 'stack': {
      const why = `[stack] ends at 0x${ev.stackEnd!.toString(16)}, the top of a ${r.bits}-bit user space at ${PAGE_CHOICES.slice(0, r.pagesAllowed).map((p) => `${p / 1024}K`).join('/')} pages`;
      return against ? `${why}, which no kernel of the family gives` : why;
    }
  }
}

/** Narrow the families a capture can come from, using everything in the maps lines. */
export function familyEvidence(block: MapsBlock, start: readonly KernelFamily[] = FAMILIES): FamilyEvidence {
  let families = maskOf(start) | FOREIGN_MASK;
  const reasons: string[] = [];
  // The decisive readings must agree among themselves: one left out because the others rule its
  // families out would let a family the lines rule out be judged, and pass.
  let facts = ALL_FAMILIES;
  const decided: Reading[] = [];
  let conflict: string | undefined;
  const all = readings(block);
  // What the kernel's own facts leave, all of them: a hint is weighed against these, not against
  // the facts read before it (the order of the rules decides nothing).
  let allFacts = ALL_FAMILIES;
  for (const r of all) if (r.decisive && (allFacts & r.keep) !== 0) allFacts &= r.keep;
  for (const r of all) {
    // A reading that leaves no family at all by itself is a gap in the table (a user space size
    // no row knows), not a conflict: it is ignored below, as a hint is.
    if (r.decisive && r.keep !== 0) {
      if ((facts & r.keep) === 0 && conflict === undefined) {
        const against = decided.filter((d) => (d.keep & r.keep) === 0);
        const say = (x: Reading) => `${sayWhy(x, block)} (${namesIn(x.keep)})`;
        conflict = `${(against.length ? against : decided).map(say).join(' and ')}, but ${say(r)}`;
      }
      facts &= r.keep;
      decided.push(r);
    }
    const next = families & r.keep;
    if (next === 0) { reasons.push(`${sayWhy(r, block)}: contradicts the other evidence, ignored`); continue; }
    // A hint (the toolchain's choice) the kernel's own facts rule out, whatever their order, says nothing.
    if (!r.decisive && (r.keep & allFacts & KNOWN_MASK) === 0 && (allFacts & KNOWN_MASK) !== 0) {
      reasons.push(`${sayWhy(r, block)} (${namesIn(next)}): contradicts the kernel's own facts in the lines, ignored`);
      continue;
    }
    // Nor does one leave only [vdso]-only families where the facts leave others too: ld.so.1 at
    // 0x10000 with a lone [vdso] is also a ppc32 task that lost its data page.
    if (!r.decisive && (next & allFacts & WITH_DATA_MASK) === 0 && (families & allFacts & WITH_DATA_MASK) !== 0) {
      reasons.push(`${sayWhy(r, block)} (${namesIn(next)}): a hint, which does not decide for a family whose layout is the [vdso] alone; ignored`);
      continue;
    }
    if ((next & KNOWN_MASK) !== (families & KNOWN_MASK)) reasons.push(`${sayWhy(r, block)} (${namesIn(next)})`);
    families = next;
  }
  const left = familiesIn(families);
  // The kernel's own facts leave only architectures without a profile: judged against a known
  // family's layout (the one the hints or the start left), the lines could pass.
  let foreign: FamilyEvidence['foreign'];
  if (conflict === undefined && decided.length > 0 && (facts & KNOWN_MASK) === 0) {
    // Said by the readings that name no known family themselves, else by all of them together.
    const naming = decided.filter((d) => (d.keep & KNOWN_MASK) === 0);
    foreign = { why: (naming.length ? naming : decided).map((d) => sayWhy(d, block)).join(' and '), arches: foreignIn(facts) };
  }
  let alsoForeign: FamilyEvidence['alsoForeign'];
  const marks = decided.filter((d) => d.rule === 'marker' && (d.keep & facts & FOREIGN_MASK) !== 0);
  if (!foreign && conflict === undefined && marks.length > 0 && left.length > 0) {
    alsoForeign = { why: marks.map((d) => sayWhy(d, block)).join(' and '), arches: foreignIn(marks.reduce((m, d) => m & d.keep, facts)) };
  }
  return { families: left, known: left.length === 1 && !alsoForeign, granularity: granularityOf(block.evidence.boundaryBits), reasons, conflict, foreign, alsoForeign };
}

/**
 * What the block's own lines say against `claimed` (the families that can run what --arch, a
 * profile or an image names), when they rule out every one of them: `decisive`, the kernel's own
 * facts (no check may judge the capture against that family: another family's layout can print
 * the same lines, and would pass); `hints`, the toolchain's and the task's (said, not refused).
 */
export function evidenceAgainst(block: MapsBlock, claimed: readonly KernelFamily[]): { decisive: string[]; hints: string[] } {
  if (claimed.length === 0) return NOTHING_AGAINST;
  // The [vvar] hint only chooses where nothing names the family: against a name it would doubt a
  // series that gives parisc or sh a data page, whose failure says more.
  const all = readings(block).filter((r) => r.rule !== 'data');
  // What the kernel's own facts leave; a hint they contradict says nothing (ld.so run as the
  // program on arm sits at 0x400000, mips's link address), as familyEvidence ignores it.
  let facts = ALL_FAMILIES;
  for (const r of all) if (r.decisive) facts &= r.keep;
  let hinted = ALL_FAMILIES;
  for (const r of all) if (!r.decisive && (r.keep & facts) !== 0) hinted &= r.keep;
  // A claimed family is ruled out by some reading of a kind when that kind's readings together leave none of them.
  const claimedMask = maskOf(claimed);
  if ((facts & claimedMask) !== 0 && (hinted & claimedMask) !== 0) return NOTHING_AGAINST;
  const heeded = (r: Reading) => r.decisive ? 1 : (r.keep & facts) !== 0 ? 2 : 0;
  const against = (kind: 1 | 2): string[] => {
    // Every claimed family must be ruled out, each by some reading of this kind.
    const used: Reading[] = [];
    for (const f of claimed) {
      const bit = BIT.get(f)!;
      let ruledOut = false;
      for (const r of all) if (heeded(r) === kind && (r.keep & bit) === 0) { ruledOut = true; if (!used.includes(r)) used.push(r); }
      if (!ruledOut) return [];
    }
    return used.map((r) => sayWhy(r, block, true, claimedMask));
  };
  const decisive = against(1);
  const hints = against(2);
  return decisive.length || hints.length ? { decisive, hints } : NOTHING_AGAINST;
}
const NOTHING_AGAINST: { decisive: string[]; hints: string[] } = Object.freeze({ decisive: [], hints: [] });

/** The page sizes a row allows that every vma boundary is a multiple of, largest first. */
export function pagesFitting(pageSizes: readonly number[], granularity: bigint): bigint[] {
  const fit = pageSizes.map(BigInt).filter((p) => granularity % p === 0n).sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  return fit;
}
