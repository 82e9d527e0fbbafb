// The layouts a check compares against: the engine's input for a candidate row at a page size,
// and one memo of computeLayout (pure: many captures checked against one image ask for the same
// layouts). Pure apart from the memo, which only ever returns what computeLayout would.
import type { ArchName } from '../elf/index.js';
import { ONLY_32BIT_KERNELS, TASKS_OF, type KernelFamily } from '../layout/arch.js';
import { computeLayout, type Layout, type LayoutInput } from '../layout/engine.js';
import type { ProfileRow } from '../layout/profile-types.js';
import { PROFILES } from '../layout/profiles/index.js';
import type { Anchor } from './anchor.js';
import type { Known } from './resolve.js';

/** The task a 32-bit process runs: on the family's 32-bit kernel, or as compat under its 64-bit one. */
const TASK_32: Record<KernelFamily, ArchName> = {
  x86: 'i386', arm64: 'arm', arm: 'arm', powerpc: 'ppc', s390: 's390', riscv: 'riscv32', mips: 'mips', loongarch: 'loongarch64', sparc: 'sparc',
  parisc: 'parisc', sh: 'sh',
};

/**
 * The engine's input for `row` (undefined: the row the engine selects) at `page`: the task from
 * the image, else the family's (its 32-bit task on a 32-bit kernel's lines or a compat capture;
 * an x32 task, which maps alike, is told apart only by its image); without an image, the text size is
 * the anchor vma's, less the data pages the row puts inside it. undefined when no family is known.
 */
export function layoutInput(known: Known, anchor: Anchor, row: ProfileRow | undefined, page: bigint | undefined): LayoutInput | undefined {
  const { ctx, kernelBits } = known;
  const fam = row?.family ?? known.family;
  const task: ArchName | undefined = ctx.image?.arch ?? (fam ? (known.task32 ? TASK_32[fam] : TASKS_OF[fam][0]) : undefined);
  if (!task) return undefined;
  // --arch armv8l on a 64-bit kernel's lines names arm64's compat (resolve): the family decides.
  // Lines of unread width are a 64-bit kernel's to a family that has one; arm's and sh's kernels
  // are 32-bit only (taken as 64-bit, every arm row refused the lines, and a pass named arm64).
  const bits = kernelBits ?? (ONLY_32BIT_KERNELS.has(fam!) ? 32 : 64);
  const arch = ctx.arch && ctx.arch.family === fam ? ctx.arch : fam ? { family: fam, kernelBits: bits, task } : undefined;
  let textPages: bigint | undefined;
  if (!ctx.image) {
    const p = page ?? (row ? BigInt(row.defaultPageSize) : 4096n);
    const t = (row ?? PROFILES[fam!][0]).regions.find((r) => r.role === 'text');
    const inner = BigInt((t?.dataPagesBefore ?? 0) + (t?.dataPagesAfter ?? 0));
    const a = anchor.mapping;
    const pages = a ? (a.end - a.start) / p - inner : 1n;
    textPages = pages > 0n ? pages : 1n;
  }
  return {
    image: ctx.image, arch: arch ? { ...arch, task } : undefined, kernel: known.version, kernelFrom: ctx.kernelFrom ?? (ctx.kernel ? 'capture' : undefined),
    pageSize: page, pageSizeFrom: known.pageFrom, kernelBits, profile: row, textPages, nrCpus: ctx.nrCpus, nrCpusFrom: ctx.nrCpusFrom, nrCpusSaid: ctx.nrCpusSaid,
  };
}

// The memo: keyed by every field of LayoutInput, the image and the row by identity (a user
// profile may share a built-in row's id), but nrCpusSaid: it only words an error, and a layout
// that throws is not remembered (keyed by it, each boot log's line number would miss). Bounded: a
// long-running caller with many images does not grow it without end (a Layout holds no image, so
// stale entries hold little).
const MEMO_LIMIT = 4096;
const memo = new Map<string, Layout>();
const serials = new WeakMap<object, number>();
let nextSerial = 1;
const serial = (o: object | undefined) => {
  if (!o) return 0;
  let n = serials.get(o);
  if (n === undefined) { n = nextSerial++; serials.set(o, n); }
  return n;
};

/** computeLayout(input), remembered. */
export function layoutFor(input: LayoutInput): Layout {
  const a = input.arch;
  const key = `${serial(input.image)}|${serial(input.profile)}|${a?.family}|${a?.kernelBits}|${a?.task}|${input.kernel}|${input.kernelFrom}|${input.pageSize}|${input.pageSizeFrom}|${input.kernelBits}|${input.textPages}|${input.nrCpus}|${input.nrCpusFrom}`;
  let layout = memo.get(key);
  if (!layout) {
    layout = computeLayout(input);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, layout);
  }
  return layout;
}
