// What a maps file alone says about the machine that printed it: which kernel families can
// have produced it, and the page granularity. Used when there is no image, no --arch and no
// uname. Each rule narrows only when it leaves at least one family; what it concluded is said.
import { TASKS_OF, type KernelFamily } from '../layout/arch.js';
import { familyMarkers } from './cluster.js';
import type { MapsBlock } from '../model/capture.js';

export const FAMILIES = Object.keys(TASKS_OF) as readonly KernelFamily[];
/** Families with 32-bit kernels (a 32-bit capture rules the others out). */
export const HAS_32BIT_KERNELS: ReadonlySet<KernelFamily> = new Set<KernelFamily>(['x86', 'arm', 'powerpc', 'mips', 'riscv']);

/** Families whose kernels are 32-bit only (arm: a 64-bit ARM kernel is arm64). */
const ONLY_32BIT_KERNELS: ReadonlySet<KernelFamily> = new Set<KernelFamily>(['arm']);

/**
 * A CPU name as multiarch triplets and musl's loader spell it → the families whose kernels run
 * such tasks natively or as compat.
 */
function familiesOfCpu(cpu: string): KernelFamily[] {
  if (cpu === 'x86_64' || cpu === 'x32' || /^i[3-6]86$/.test(cpu)) return ['x86'];
  if (cpu.startsWith('aarch64')) return ['arm64'];
  if (cpu.startsWith('arm')) return ['arm', 'arm64'];
  if (cpu.startsWith('powerpc')) return ['powerpc'];
  if (cpu.startsWith('s390')) return ['s390'];
  if (cpu.startsWith('riscv')) return ['riscv'];
  if (cpu.startsWith('mips')) return ['mips'];
  if (cpu.startsWith('loongarch')) return ['loongarch'];
  return [];
}

/** The multiarch triplet's CPU part → its families. */
const familiesOfTriplet = (t: string): KernelFamily[] => familiesOfCpu(t.split('-')[0]);

/**
 * The families whose kernels run a task with this dynamic loader (glibc's shlib-versions and
 * sysdeps, musl's ld-musl-$(ARCH)$(SUBARCH).so.1). Names shared across families say only that.
 */
export function familiesOfLoader(name: string): KernelFamily[] {
  const musl = /^ld-musl-([a-z0-9_]+)/.exec(name);
  const cpu = musl?.[1];
  if (cpu) return familiesOfCpu(cpu);
  if (name === 'ld-linux-x86-64.so.2' || name === 'ld-linux-x32.so.2' || name === 'ld-linux.so.2') return ['x86']; // ld-linux.so.2: i386 (of these families)
  if (name.startsWith('ld-linux-aarch64')) return ['arm64'];
  if (name === 'ld-linux-armhf.so.3' || name === 'ld-linux.so.3') return ['arm', 'arm64'];
  if (name === 'ld64.so.2') return ['powerpc']; // ppc64le (ELFv2)
  if (name === 'ld64.so.1') return ['powerpc', 's390']; // ppc64 (ELFv1), s390x
  if (name === 'ld.so.1') return ['powerpc', 's390', 'mips']; // ppc32, s390 (31-bit), mips o32/n32/n64
  if (name.startsWith('ld-linux-riscv')) return ['riscv'];
  if (name.startsWith('ld-linux-loongarch')) return ['loongarch'];
  if (name.startsWith('ld-linux-mips')) return ['mips']; // ld-linux-mipsn8.so.1 (NaN2008)
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
 *   riscv64 (4K): 38 (Sv39), 47 (Sv48, and Sv57's default window)
 */
const USER_VA_BITS: Partial<Record<KernelFamily, Record<number, readonly number[]>>> = {
  x86: { 4096: [47] },
  arm64: { 4096: [39, 48, 52], 16384: [36, 47, 48, 52], 65536: [42, 48, 52] },
  loongarch: { 4096: [39, 48], 16384: [36, 47], 65536: [42, 48] },
  mips: { 4096: [40, 48], 16384: [40, 48], 65536: [40, 48] },
  riscv: { 4096: [38, 47] },
};
/** How far below the top of user space the stack can end (randomization, guard gap): 64 GiB. */
const STACK_SLACK = 1n << 36n;

/** The address-space size a stack ending here sits at the top of, if it sits near one. */
export function stackTopBits(stackEnd: bigint): number | undefined {
  const bits = (stackEnd - 1n).toString(2).length;
  return (1n << BigInt(bits)) - stackEnd <= STACK_SLACK ? bits : undefined;
}

/**
 * Where the toolchains' default linker scripts put a static (non-PIE) executable's first
 * segment, so where /bin/busybox sits in a maps file. Every value is seen in samples/corpus:
 * amd64 0x400000 (x86_64) and 0x8048000 (i386), arm64 0x400000, armhf and the arm64 compat task
 * 0x10000, ppc64el 0x10000000, s390x 0x1000000, riscv64 0x10000, mips64el and loong64 0x120000000.
 * `task`: the task's width (mappings above 4G or not) the address means that for.
 */
const STATIC_LOAD_ADDRESSES: ReadonlyArray<{ at: bigint; task: 32 | 64; families: KernelFamily[]; what: string }> = [
  { at: 0x400000n, task: 64, families: ['x86', 'arm64'], what: 'x86_64 / aarch64' },
  // MIPS o32/n32 (binutils elf32*mips.sh TEXT_START_ADDR); i386 is 0x8048000, arm 0x10000, ppc32 0x10000000.
  { at: 0x400000n, task: 32, families: ['mips'], what: 'mips (32-bit)' },
  { at: 0x8048000n, task: 32, families: ['x86'], what: 'i386' },
  { at: 0x10000n, task: 32, families: ['arm', 'arm64'], what: 'arm' },
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
const VA40 = 1n << 40n;

export interface FamilyEvidence {
  families: KernelFamily[];
  /** Exactly one family left. */
  known: boolean;
  /** The largest power of two (≤ 256K) every vma boundary is a multiple of. */
  granularity: bigint;
  /** What each rule concluded, in order (for notes). */
  reasons: string[];
}

export function granularityOf(boundaryBits: number): bigint {
  if (boundaryBits === 0) return 0x40000n;
  return BigInt(boundaryBits & -boundaryBits);
}

/** Narrow the families a capture can come from, using everything in the maps lines. */
export function familyEvidence(block: MapsBlock, start: readonly KernelFamily[] = FAMILIES): FamilyEvidence {
  let families = [...start];
  const reasons: string[] = [];
  const narrow = (keep: Iterable<KernelFamily>, why: string) => {
    const k = new Set(keep);
    const next = families.filter((f) => k.has(f));
    if (next.length === 0) { reasons.push(`${why}: contradicts the other evidence, ignored`); return; }
    if (next.length < families.length) reasons.push(`${why} (${next.join(', ')})`);
    families = next;
  };
  const ev = block.evidence;
  if (block.kernelBits === 32) narrow(HAS_32BIT_KERNELS, '32-bit kernel lines (address width, name column)');
  if (block.kernelBits === 64) narrow(FAMILIES.filter((f) => !ONLY_32BIT_KERNELS.has(f)), '64-bit kernel lines (address width, name column)');
  for (const [name, fams] of familyMarkers()) {
    if (block.mappings.some((m) => m.name === name)) narrow(fams, `${name} is mapped`);
  }
  const tripletFams = ev.triplets.flatMap(familiesOfTriplet);
  if (tripletFams.length) narrow(tripletFams, `library paths under ${ev.triplets.join(', ')}`);
  const loaders = ev.loaders ?? [];
  const loaderFams = loaders.flatMap(familiesOfLoader);
  if (loaderFams.length) narrow(loaderFams, `the dynamic loader ${loaders.join(', ')}`);
  // x86_64's gate vma sits at VSYSCALL_START whatever it is named (2.6.18-2.6.22 print it as [vdso]): not user space.
  const top = block.mappings.filter((m) => m.kind !== 'vsyscall' && m.kind !== 'vectors' && m.start !== X86_GATE_START).reduce((a, m) => (m.end > a ? m.end : a), 0n);
  // A task whose mappings all sit below 4G is a 32-bit one (the vDSO is mapped near the top).
  const task = top > 1n << 32n ? 64 : 32;
  const load = STATIC_LOAD_ADDRESSES.find((l) => l.at === ev.firstFileStart && l.task === task);
  if (load) narrow(load.families, `the executable at 0x${load.at.toString(16)}, the ${load.what} static load address`);
  if (top > VA47) narrow(FAMILIES.filter((f) => !VA47_FAMILIES.has(f)), 'addresses above 2^47');
  if (top > VA40) narrow(FAMILIES.filter((f) => f !== 'mips'), 'addresses above 2^40 (mips64 user space ends there unless CONFIG_MIPS_VA_BITS_48)');
  const granularity = granularityOf(ev.boundaryBits);
  const bits = ev.stackEnd !== undefined && ev.stackEnd > 1n << 32n ? stackTopBits(ev.stackEnd) : undefined;
  if (bits !== undefined) {
    // The page sizes the boundaries allow (a boundary is never finer than a page).
    const pages = [4096, 16384, 65536].filter((p) => granularity % BigInt(p) === 0n);
    const fits = (f: KernelFamily) => { const t = USER_VA_BITS[f]; return !t || pages.some((p) => t[p]?.includes(bits)); };
    narrow(families.filter(fits), `[stack] ends at 0x${ev.stackEnd!.toString(16)}, the top of a ${bits}-bit user space at ${pages.map((p) => `${p / 1024}K`).join('/')} pages`);
  }
  return { families, known: families.length === 1, granularity, reasons };
}

/** The page sizes a row allows that every vma boundary is a multiple of, largest first. */
export function pagesFitting(pageSizes: readonly number[], granularity: bigint): bigint[] {
  const fit = pageSizes.map(BigInt).filter((p) => granularity % p === 0n).sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  return fit;
}
