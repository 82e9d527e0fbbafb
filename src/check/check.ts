// One process (maps block) → one verdict. Pure: parsed inputs in, a CheckResult out.
import type { ArchName, VdsoImage } from '../elf/index.js';
import { UsageError, hex } from '../errors.js';
import { TASKS_OF, type ArchChoice, type KernelFamily } from '../layout/arch.js';
import { computeLayout, selectRow, type Layout } from '../layout/engine.js';
import type { ProfileRow } from '../layout/profile-types.js';
import { ALL_PROFILES, PROFILES } from '../layout/profiles/index.js';
import { parseKernelVersion } from '../layout/version.js';
import type { Auxv } from '../maps/auxv.js';
import type { MapsBlock } from '../maps/capture.js';
import { formatMapping, type Mapping } from '../maps/line.js';
import { compareCluster } from './compare.js';
import { verdictOf, type CheckResult, type Finding, type Skip } from './findings.js';

export interface CheckContext {
  input: string;
  image?: VdsoImage;
  /** The vDSO bytes dumped from the target (bundle, live): identity is compared with `image`. */
  dumpedImage?: VdsoImage;
  auxv?: Auxv;
  arch?: ArchChoice;
  /** --kernel (flag) or the capture's uname -r. */
  kernel?: string;
  kernelFrom?: 'flag' | 'capture';
  pageSize?: bigint;
  profile?: ProfileRow;
  kernelBits?: 32 | 64;
  /** uname -m seen in the capture. */
  machine?: ArchChoice;
}

/** Moved to src/maps/keep.ts (the reader's side); re-exported for existing importers. */
export { keepForCheck } from '../maps/keep.js';

const COMPAT_TASK: Record<KernelFamily, ArchName> = {
  x86: 'i386', arm64: 'arm', arm: 'arm', powerpc: 'ppc', s390: 's390', riscv: 'riscv32', mips: 'mips', loongarch: 'loongarch64',
};
const HINT_NAMES = ['[vsyscall]', '[vectors]', '[sigpage]', '[vvar_vclock]', '[gic]'];
/** Families with 32-bit kernels (a 32-bit capture rules the others out). */
const HAS_32BIT_KERNELS = new Set<KernelFamily>(['x86', 'arm', 'powerpc', 'mips', 'riscv']);

interface Anchor { mapping?: Mapping; by: 'auxv' | 'name' | 'unnamed-heuristic' }

function locate(maps: Mapping[], auxv: bigint | undefined, textPages?: bigint, page?: bigint): Anchor {
  const named = maps.filter((m) => m.kind === 'vdso');
  if (auxv !== undefined) {
    const holder = maps.find((m) => m.start <= auxv && auxv < m.end);
    if (holder && (holder.kind === 'anonymous' || holder.kind === 'vdso')) return { mapping: holder, by: 'auxv' };
    if (named.length) return { mapping: named[0], by: 'name' };
    if (holder) return { mapping: holder, by: 'auxv' };
  }
  if (named.length) {
    // Several [vdso]s (a finding in itself): the one next to the data pages is the kernel's.
    const data = maps.filter((m) => m.kind === 'vvar' || m.kind === 'vvar_vclock');
    const nextToData = named.find((m) => data.some((v) => v.end === m.start || m.end === v.start));
    return { mapping: nextToData ?? named[0], by: 'name' };
  }
  // The 2020 powerpc case: the text is there but unnamed. Find the anonymous r-x vma the
  // layout points at: next to [vvar], else of the image's size, else the only one.
  const rx = maps.filter((m) => m.kind === 'anonymous' && m.perms[2] === 'x');
  const vvar = maps.filter((m) => m.kind === 'vvar');
  const nextToVvar = rx.find((m) => vvar.some((v) => v.end === m.start || m.end === v.start));
  if (nextToVvar) return { mapping: nextToVvar, by: 'unnamed-heuristic' };
  if (textPages !== undefined && page !== undefined) {
    const sized = rx.filter((m) => (m.end - m.start) / page >= textPages && (m.end - m.start) / page <= textPages + 1n);
    if (sized.length === 1) return { mapping: sized[0], by: 'unnamed-heuristic' };
  }
  if (rx.length === 1) return { mapping: rx[0], by: 'unnamed-heuristic' };
  return { by: 'name' };
}

export function checkBlock(block: MapsBlock, ctx: CheckContext): CheckResult {
  const maps = block.mappings;
  const notes: string[] = [];
  const skipped: Skip[] = [];
  const kernelBits = ctx.kernelBits ?? block.kernelBits ?? ctx.machine?.kernelBits ?? ctx.arch?.kernelBits;
  const claimed = ctx.profile?.family ?? ctx.arch?.family;
  if (claimed && block.kernelBits === 32 && !HAS_32BIT_KERNELS.has(claimed)) {
    throw new UsageError(`${claimed} has no 32-bit kernels, but this capture's lines come from one (names at column 49, 8-digit addresses)`);
  }
  const auxvBase = ctx.auxv?.sysinfoEhdr;
  const pageFromAuxv = ctx.auxv?.pageSize;
  const lowOnly = maps.every((m) => m.end <= 0x100000000n);
  const compatCapture = kernelBits === 64 && lowOnly && maps.length > 0;

  // Candidate layouts.
  const family: KernelFamily | undefined = ctx.profile?.family ?? ctx.arch?.family ?? (ctx.image?.arch ? undefined : ctx.machine?.family);
  let rows: ProfileRow[];
  const version = ctx.kernel ?? ctx.image?.kernelVersion;
  if (ctx.profile) rows = [ctx.profile];
  else if (ctx.image) rows = [];
  else if (family) rows = version ? [selectRow(family, version, notes)] : [...PROFILES[family]];
  else {
    const v = version ? parseKernelVersion(version) : undefined;
    rows = v ? (Object.keys(PROFILES) as KernelFamily[]).map((f) => selectRow(f, version, [])) : [...ALL_PROFILES];
    const present = new Set(maps.map((m) => m.name));
    rows = rows.filter((r) => HINT_NAMES.every((n) => !present.has(n) || r.regions.some((g) => g.name === n) || (r.neighbours ?? []).some((g) => g.name === n)));
    if (kernelBits === 32) rows = rows.filter((r) => HAS_32BIT_KERNELS.has(r.family));
    if (rows.length === 0) rows = [...ALL_PROFILES];
  }

  const pageFrom = ctx.pageSize !== undefined ? 'flag' : pageFromAuxv !== undefined ? 'auxv' : 'capture';
  const tryLayout = (row: ProfileRow | undefined, page: bigint | undefined): { layout: Layout; anchor: Anchor } | undefined => {
    const fam = row?.family ?? family;
    const task: ArchName | undefined = ctx.image?.arch ?? (fam ? (compatCapture ? COMPAT_TASK[fam] : TASKS_OF[fam][0]) : undefined);
    if (!task) return undefined;
    const arch = ctx.arch ?? (fam ? { family: fam, kernelBits: kernelBits ?? 64, task } : undefined);
    const pre = computeLayout({
      image: ctx.image, arch: arch ? { ...arch, task } : undefined, kernel: version, kernelFrom: ctx.kernelFrom ?? (ctx.kernel ? 'capture' : undefined),
      pageSize: page, pageSizeFrom: pageFrom, kernelBits, profile: row, textPages: 1n,
    });
    const textSpec = pre.profile.regions.find((r) => r.role === 'text')!;
    const inner = BigInt((textSpec.dataPagesBefore ?? 0) + (textSpec.dataPagesAfter ?? 0));
    const anchor = locate(maps, auxvBase, ctx.image ? pre.textPages : undefined, pre.pageSize);
    let textPages: bigint | undefined;
    if (!ctx.image) {
      const a = anchor.mapping;
      const pages = a ? (a.end - a.start) / pre.pageSize - inner : 1n;
      textPages = pages > 0n ? pages : 1n;
    }
    const layout = ctx.image ? pre : computeLayout({
      image: undefined, arch: arch ? { ...arch, task } : undefined, kernel: version, kernelFrom: ctx.kernelFrom ?? (ctx.kernel ? 'capture' : undefined),
      pageSize: pre.pageSizeFrom === 'profile-default' ? undefined : pre.pageSize, pageSizeFrom: pageFrom, kernelBits, profile: row, textPages,
    });
    return { layout, anchor };
  };

  const pageChoices = (row: ProfileRow | undefined): Array<bigint | undefined> => {
    const fixed = ctx.pageSize ?? pageFromAuxv;
    if (fixed !== undefined || ctx.image) return [fixed];
    return (row ? row.pageSizes : [undefined]).map((p) => (p === undefined ? undefined : BigInt(p)));
  };

  interface Attempt { layout: Layout; anchor: Anchor; base: bigint; findings: Finding[]; expected: Mapping[]; actual: Mapping[] }
  const attempts: Attempt[] = [];
  const errorsOf = (a: Attempt) => a.findings.filter((f) => f.severity === 'error').length;
  for (const row of rows.length ? rows : [undefined]) {
    for (const page of pageChoices(row)) {
      let t;
      try { t = tryLayout(row, page); } catch (e) { if (e instanceof UsageError && rows.length > 1) continue; throw e; }
      if (!t) continue;
      const { layout, anchor } = t;
      const text = layout.regions.find((r) => r.role === 'text')!;
      if (!anchor.mapping) {
        attempts.push({ layout, anchor, base: 0n, expected: [], actual: [], findings: [{ code: 'vdso-missing', severity: 'error', message: 'no [vdso] mapping, and no unnamed r-x mapping where the vDSO text could be' }] });
        continue;
      }
      const a = anchor.mapping;
      const ho = text.headerOffset ?? 0n;
      // An unnamed vma larger than the text (data merged in): the text may be at either end.
      const bases = a.kind === 'vdso' || auxvBase === undefined
        ? [a.start + ho, ...(a.kind !== 'vdso' ? [a.end - (text.size - ho)] : [])]
        : [auxvBase];
      let best: Attempt | undefined;
      for (const base of new Set(bases)) {
        const cmp = compareCluster({ mappings: maps, layout, base, auxvBase, image: ctx.image, textSizeKnown: Boolean(ctx.image) });
        const at: Attempt = { layout, anchor, base, findings: cmp.findings, expected: cmp.expected, actual: cmp.actual };
        if (!best || errorsOf(at) < errorsOf(best)) best = at;
      }
      attempts.push(best!);
    }
  }
  if (attempts.length === 0) throw new UsageError('no architecture: give --vdso IMAGE or --arch NAME');

  const consistent = attempts.filter((a) => errorsOf(a) === 0);
  const chosen = consistent.length ? consistent[0] : attempts.reduce((best, a) => (errorsOf(a) < errorsOf(best) ? a : best));
  const findings = [...chosen.findings];
  const multi = attempts.length > 1;
  if (multi && consistent.length) notes.push(`consistent with ${consistent.map((a) => `${a.layout.profile.id}@${a.layout.pageSize / 1024n}K`).join(', ')}`);
  if (multi && !consistent.length) notes.push(`no profile fits; closest is ${chosen.layout.profile.id} at ${chosen.layout.pageSize}-byte pages`);

  // What could not be checked, said out loud.
  if (!ctx.image) {
    skipped.push({ rule: 'image', reason: 'no vDSO image (--vdso, or a capture bundle with the [vdso] bytes): the text size is not checked' });
    findings.push({ code: 'not-checked', severity: 'warning', message: 'text size not checked: no vDSO image given' });
  }
  if (!version && !ctx.profile) {
    findings.push({ code: 'not-checked', severity: 'warning', message: `kernel version unknown (no --kernel, no Linux note, no uname in the capture): the exact era is not pinned${multi ? '' : `; assumed ${chosen.layout.profile.id}`}` });
  }
  if (auxvBase === undefined) skipped.push({ rule: 'auxv_base', reason: 'no aux vector (--auxv, or one in the capture): AT_SYSINFO_EHDR is not checked' });
  if (ctx.image && ctx.dumpedImage) {
    const a = ctx.image; const d = ctx.dumpedImage;
    if (a.arch !== d.arch) findings.push({ code: 'image-mismatch', severity: 'error', message: `the target's [vdso] is ${d.arch} but --vdso is ${a.arch}` });
    else if (a.buildId && d.buildId && a.buildId !== d.buildId) findings.push({ code: 'image-mismatch', severity: 'error', message: `the target's [vdso] has build-id ${d.buildId}, --vdso has ${a.buildId}: not the same build` });
  }
  for (const w of chosen.layout.warnings) notes.push(w);
  if (chosen.anchor.by === 'unnamed-heuristic' && chosen.anchor.mapping) notes.push(`located the vDSO text by its place (an unnamed r-x vma at ${hex(chosen.anchor.mapping.start)})`);

  const bits = chosen.layout.kernelBits;
  return {
    input: ctx.input, block: block.index, label: block.label, verdict: verdictOf(findings), base: chosen.anchor.mapping ? chosen.base : undefined,
    anchoredBy: chosen.anchor.mapping ? chosen.anchor.by : undefined, profile: chosen.layout.profile.id,
    consistentWith: multi ? consistent.map((a) => a.layout.profile.id).filter((v, i, arr) => arr.indexOf(v) === i) : undefined,
    kernelBits: bits, kernelVersion: chosen.layout.kernelVersion, pageSize: chosen.layout.pageSize,
    expected: chosen.expected.map((m) => ({ text: formatMapping(m, { kernelBits: bits }) })),
    actual: chosen.actual.map((m) => ({ text: formatMapping(m, { kernelBits: bits }), line: m.line })),
    findings, skipped, notes,
  };
}
