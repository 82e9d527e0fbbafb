// One process (maps block) → one verdict. Pure: parsed inputs in, a CheckResult out.
import type { ArchName, VdsoImage } from '../elf/index.js';
import { InputError, UsageError, hex } from '../errors.js';
import { TASKS_OF, type ArchChoice, type KernelFamily } from '../layout/arch.js';
import { pageSizeProblem } from '../layout/page-size.js';
import { computeLayout, pageCountValues, selectRow, type Layout } from '../layout/engine.js';
import { mainlineRows } from '../layout/select.js';
import type { ProfileRow } from '../layout/profile-types.js';
import { PROFILES } from '../layout/profiles/index.js';
import { compareVersions, parseKernelVersion } from '../layout/version.js';
import { formatMapping } from '../capture/maps-line.js';
import { belongsToCheck, captureCluster } from './cluster.js';
import { compareCluster } from './compare.js';
import { familyEvidence, FAMILIES, granularityOf, HAS_32BIT_KERNELS, pagesFitting, type FamilyEvidence } from './evidence.js';
import { verdictOf, withPassInvariant, type CheckResult, type Finding, type Skip } from './findings.js';
import type { Auxv } from '../model/auxv.js';
import type { MapsBlock } from '../model/capture.js';
import type { Mapping, NameKind } from '../model/maps.js';

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

/** Keep filter for the capture reader: what a check can need from a process's maps (see cluster.ts). */
export function keepForCheck(l: { kind: NameKind; perms: string }): boolean {
  return belongsToCheck(l);
}

const COMPAT_TASK: Record<KernelFamily, ArchName> = {
  x86: 'i386', arm64: 'arm', arm: 'arm', powerpc: 'ppc', s390: 's390', riscv: 'riscv32', mips: 'mips', loongarch: 'loongarch64',
};

export interface Anchor { mapping?: Mapping; by: 'auxv' | 'name' | 'unnamed-heuristic' }

/**
 * The vma holding the vDSO text, found before and independently of any layout: the one
 * AT_SYSINFO_EHDR points into, else [vdso] (next to the data pages when there are several),
 * else an unnamed r-x vma next to [vvar], of the image's size, or the only one.
 */
export function locateAnchor(maps: readonly Mapping[], auxv: bigint | undefined, image?: VdsoImage): Anchor {
  const named = maps.filter((m) => m.kind === 'vdso');
  if (auxv !== undefined) {
    const holder = maps.find((m) => m.start <= auxv && auxv < m.end);
    if (holder && (holder.kind === 'anonymous' || holder.kind === 'vdso')) return { mapping: holder, by: 'auxv' };
    if (named.length) return { mapping: named[0], by: 'name' };
    if (holder) return { mapping: holder, by: 'auxv' };
  }
  if (named.length) {
    if (named.length === 1) return { mapping: named[0], by: 'name' };
    // Several [vdso]s (a finding in itself): the one next to the data pages is the kernel's.
    const dataEdges = new Set<bigint>();
    for (const m of maps) if (m.kind === 'vvar' || m.kind === 'vvar_vclock') { dataEdges.add(m.start); dataEdges.add(m.end); }
    return { mapping: named.find((m) => dataEdges.has(m.start) || dataEdges.has(m.end)) ?? named[0], by: 'name' };
  }
  // The 2020 powerpc case: the text is there but unnamed.
  const rx = maps.filter((m) => m.kind === 'anonymous' && m.perms[2] === 'x');
  const vvarEdges = new Set<bigint>();
  for (const m of maps) if (m.kind === 'vvar') { vvarEdges.add(m.start); vvarEdges.add(m.end); }
  const nextToVvar = rx.find((m) => vvarEdges.has(m.start) || vvarEdges.has(m.end));
  if (nextToVvar) return { mapping: nextToVvar, by: 'unnamed-heuristic' };
  if (image) {
    // Big enough for the image, and at most two 64K pages more (data pages inside the vma).
    const most = (image.fileSize > image.imageSize ? image.fileSize : image.imageSize) + 0x20000n;
    const sized = rx.filter((m) => m.end - m.start >= image.imageSize && m.end - m.start <= most);
    if (sized.length === 1) return { mapping: sized[0], by: 'unnamed-heuristic' };
  }
  if (rx.length === 1) return { mapping: rx[0], by: 'unnamed-heuristic' };
  return { by: 'name' };
}

interface Attempt { layout: Layout; base: bigint; findings: Finding[]; expected: Mapping[]; actual: Mapping[]; structure: [number, number]; order: number }
/**
 * Without a kernel version, a row whose text vma has no name (powerpc 2.6.12-2.6.17) is not a
 * candidate: no kernel since 2.6.18 prints one, so an unnamed vDSO text in a capture of unknown
 * version is judged as the regression it is today (the 2020 powerpc series), not as that era.
 */
const judgeableWithoutVersion = (r: ProfileRow) => r.regions.some((g) => g.role === 'text' && g.name !== undefined)
  // Vendor rows are chosen by their release string; without one they are only copies or guesses.
  && !r.vendor;

/** Layouts already computed, per image (or none) and row: a Layout is never mutated after it is made. */
const layoutCache = new WeakMap<object, Map<ProfileRow | undefined, Map<string, Layout>>>();
const NO_IMAGE = {};

/** The family's current mainline row: no vendor pattern, the latest start. */
function newestMainline(family: KernelFamily): ProfileRow | undefined {
  return mainlineRows(family).reduce<ProfileRow | undefined>((a, r) => (!a || compareVersions(parseKernelVersion(r.since)!, parseKernelVersion(a.since)!) > 0 ? r : a), undefined);
}

/** Below this many vmas in a block, page granularity is weak evidence (see pageChoices). */
const ENOUGH_VMAS = 3;
const rangeOf = (r: ProfileRow) => `${r.since}${r.until ? ` to ${r.until}` : ' on'}`;
const errorsOf = (a: { findings: Finding[] }) => a.findings.filter((f) => f.severity === 'error').length;

/**
 * How much of the capture's own cluster a layout explains: [by name (or, for an unnamed vma,
 * by role at its place), and also by page count]. Higher is better; compared before findings.
 */
export function explains(layout: Layout, cluster: readonly Mapping[], anchor: Mapping, base: bigint): [number, number] {
  const page = layout.pageSize;
  let names = 0; let counts = 0;
  const textIdx = layout.regions.findIndex((r) => r.role === 'text');
  const text = layout.regions[textIdx];
  const inner = BigInt(layout.profile.regions[textIdx]?.dataPagesBefore ?? 0) + BigInt(layout.profile.regions[textIdx]?.dataPagesAfter ?? 0);
  const fits = (r: Layout['regions'][number], size: bigint) => {
    if (size % page !== 0n) return false;
    if (r.role === 'text') return size / page >= inner + 1n;
    return r.allowed !== undefined ? pageCountValues(r.allowed).accepts(Number(size / page)) : size === r.size;
  };
  for (const c of cluster) {
    const size = c.end - c.start;
    let r: Layout['regions'][number] | undefined;
    if (c.start <= anchor.start && anchor.start < c.end) r = c.name === undefined || c.name === text.name ? text : undefined;
    else if (c.name !== undefined) r = layout.regions.find((g) => g.name === c.name);
    else r = layout.regions.find((g) => g.role !== 'text' && base + g.offset === c.start);
    if (!r) continue;
    names++;
    if (fits(r, size)) counts++;
  }
  return [names, counts];
}

export function checkBlock(block: MapsBlock, ctx: CheckContext): CheckResult {
  // Callers validate page sizes where they enter (flag, AT_PAGESZ, bundle header); this is defence in depth.
  for (const [v, from] of [[ctx.pageSize, 'page size'], [ctx.auxv?.pageSize, 'AT_PAGESZ']] as const) {
    const problem = v !== undefined ? pageSizeProblem(v) : undefined;
    if (problem) throw new InputError(`${from}: ${problem}`);
  }
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
  const fixedPage = ctx.pageSize ?? pageFromAuxv;
  const pageFrom = ctx.pageSize !== undefined ? 'flag' : pageFromAuxv !== undefined ? 'auxv' : 'capture';

  // 1. The anchor, before any layout.
  const anchor = locateAnchor(maps, auxvBase, ctx.image);

  // 2. Candidate rows: the profile; the image's (engine-selected); the version's; or, with
  //    nothing but the capture, every row of the families the capture's evidence leaves.
  const family: KernelFamily | undefined = ctx.profile?.family ?? ctx.arch?.family ?? (ctx.image?.arch ? undefined : ctx.machine?.family);
  const version = ctx.kernel ?? ctx.image?.kernelVersion;
  let evidence: FamilyEvidence | undefined;
  let rows: Array<ProfileRow | undefined>;
  let versionSelected = false;
  if (ctx.profile) rows = [ctx.profile];
  else if (ctx.image) { rows = [undefined]; versionSelected = true; }
  else if (family) { rows = version ? [selectRow(family, version, notes)] : PROFILES[family].filter(judgeableWithoutVersion); versionSelected = Boolean(version); }
  else {
    evidence = familyEvidence(block, kernelBits === 32 ? FAMILIES.filter((f) => HAS_32BIT_KERNELS.has(f)) : FAMILIES);
    const v = version ? parseKernelVersion(version) : undefined;
    rows = v ? evidence.families.map((f) => selectRow(f, version, [])) : evidence.families.flatMap((f) => PROFILES[f].filter(judgeableWithoutVersion));
  }
  const granularity = granularityOf(block.evidence?.boundaryBits ?? 0);
  const pageChoices = (row: ProfileRow | undefined): Array<bigint | undefined> => {
    if (fixedPage !== undefined || ctx.image || !row) return [fixedPage];
    // No vma boundary is finer than a page. With enough vmas, the page is the largest the row
    // allows that divides every boundary: on smaller pages all of them would be aligned to a
    // larger one by chance.
    const fit = pagesFitting(row.pageSizes, granularity);
    if (fit.length) return block.total >= ENOUGH_VMAS ? [fit[0]] : fit;
    return [BigInt(Math.min(...row.pageSizes))];
  };

  // 3. Each candidate layout, computed once (its text size from the anchor when there is no image).
  const cluster = anchor.mapping ? captureCluster(maps, anchor.mapping) : [];
  const build = (row: ProfileRow | undefined, page: bigint | undefined): Layout | undefined => {
    const fam = row?.family ?? family;
    const task: ArchName | undefined = ctx.image?.arch ?? (fam ? (compatCapture ? COMPAT_TASK[fam] : TASKS_OF[fam][0]) : undefined);
    if (!task) return undefined;
    const arch = ctx.arch ?? (fam ? { family: fam, kernelBits: kernelBits ?? 64, task } : undefined);
    let textPages: bigint | undefined;
    if (!ctx.image) {
      const p = page ?? (row ? BigInt(row.defaultPageSize) : 4096n);
      const t = (row ?? PROFILES[fam!][0]).regions.find((r) => r.role === 'text');
      const inner = BigInt((t?.dataPagesBefore ?? 0) + (t?.dataPagesAfter ?? 0));
      const a = anchor.mapping;
      const pages = a ? (a.end - a.start) / p - inner : 1n;
      textPages = pages > 0n ? pages : 1n;
    }
    const input = {
      image: ctx.image, arch: arch ? { ...arch, task } : undefined, kernel: version, kernelFrom: ctx.kernelFrom ?? (ctx.kernel ? 'capture' : undefined),
      pageSize: page, pageSizeFrom: pageFrom, kernelBits, profile: row, textPages,
    } as const;
    // computeLayout is pure: many captures checked against one image ask for the same layouts.
    const key = [input.arch?.family, input.arch?.kernelBits, task, version, input.kernelFrom, page, pageFrom, kernelBits, textPages].join('|');
    const byRow = layoutCache.get(ctx.image ?? NO_IMAGE) ?? new Map<ProfileRow | undefined, Map<string, Layout>>();
    layoutCache.set(ctx.image ?? NO_IMAGE, byRow);
    const byKey = byRow.get(row) ?? new Map<string, Layout>();
    byRow.set(row, byKey);
    let layout = byKey.get(key);
    if (!layout) { layout = computeLayout(input); byKey.set(key, layout); }
    return layout;
  };

  // 4. Compare each against the capture.
  const attempt = (layout: Layout, order: number): Attempt => {
    const text = layout.regions.find((r) => r.role === 'text')!;
    if (!anchor.mapping) {
      return { layout, base: 0n, expected: [], actual: [], structure: [0, 0], order, findings: [{ code: 'vdso-missing', severity: 'error', message: 'no [vdso] mapping, and no unnamed r-x mapping where the vDSO text could be' }] };
    }
    const a = anchor.mapping;
    const ho = text.headerOffset ?? 0n;
    // An unnamed vma larger than the text (data merged in): the text may be at either end.
    const bases = a.kind === 'vdso' || auxvBase === undefined ? [a.start + ho, ...(a.kind !== 'vdso' ? [a.end - (text.size - ho)] : [])] : [auxvBase];
    let best: Attempt | undefined;
    for (const base of new Set(bases)) {
      const cmp = compareCluster({ mappings: maps, layout, base, auxvBase, image: ctx.image, textSizeKnown: Boolean(ctx.image) });
      const at: Attempt = { layout, base, findings: cmp.findings, expected: cmp.expected, actual: cmp.actual, structure: explains(layout, cluster, a, base), order };
      if (!best || errorsOf(at) < errorsOf(best)) best = at;
    }
    return best!;
  };
  const attempts: Attempt[] = [];
  for (const row of rows) {
    for (const page of pageChoices(row)) {
      let layout: Layout | undefined;
      try { layout = build(row, page); } catch (e) { if (e instanceof UsageError && rows.length > 1) continue; throw e; }
      if (layout) attempts.push(attempt(layout, attempts.length));
    }
  }
  if (attempts.length === 0) throw new UsageError('no architecture: give --vdso IMAGE or --arch NAME');

  // 5. The closest: structure first (what of the capture's cluster it explains by name, then
  //    by page count), then fewest errors, then a mainline row over a vendor one, then table order.
  const better = (x: Attempt, y: Attempt) =>
    x.structure[0] !== y.structure[0] ? x.structure[0] > y.structure[0]
      : x.structure[1] !== y.structure[1] ? x.structure[1] > y.structure[1]
        : errorsOf(x) !== errorsOf(y) ? errorsOf(x) < errorsOf(y)
          : isVendor(x) !== isVendor(y) ? !isVendor(x)
            // A full tie: the newer era (a capture of unknown version is more likely recent), then table order.
            // ppc64 without a version: a reading with AT_SYSINFO_EHDR at the vma start (the text at
            // its start) over one with the header inside (5.11's data page first) when both fit.
            : headerAtStart(x) !== headerAtStart(y) ? headerAtStart(x)
              // Within a family the newer era (a capture of unknown version is more likely recent);
              // across families no era says anything: table order, and the verdict names no family.
              : x.layout.family === y.layout.family && newerEra(x, y) !== 0 ? newerEra(x, y) > 0 : x.order < y.order;
  const headerAtStart = (a: Attempt) => anchor.mapping !== undefined && a.base === anchor.mapping.start;
  const newerEra = (x: Attempt, y: Attempt) => compareVersions(parseKernelVersion(x.layout.profile.since) ?? [0, 0, 0], parseKernelVersion(y.layout.profile.since) ?? [0, 0, 0]);
  const consistent = attempts.filter((a) => errorsOf(a) === 0);
  // On a full tie a mainline row is named rather than a vendor row (chosen by release string).
  function isVendor(a: Attempt): boolean { return Boolean(a.layout.profile.vendor); }
  const chosen = attempts.reduce((b, a) => (better(a, b) ? a : b));
  const findings = [...chosen.findings];
  const multi = attempts.length > 1;
  const tag = (a: Attempt) => `${a.layout.profile.id}@${a.layout.pageSize / 1024n}K`;
  if (evidence) {
    if (evidence.known) notes.push(`arch ${evidence.families[0]}, from the capture: ${evidence.reasons.join('; ')}`);
    else notes.push(`arch unknown: the capture fits ${evidence.families.join(', ')}${evidence.reasons.length ? ` (${evidence.reasons.join('; ')})` : ''}; judged against the closest profile`);
    notes.push(`every vma boundary is a multiple of ${evidence.granularity / 1024n}K: pages of at most that size`);
  }
  if (multi && consistent.length) notes.push(`consistent with ${consistent.map(tag).join(', ')}`);
  // The family on the verdict only when the evidence or the fitting rows decide it.
  const fittingFamilies = [...new Set(consistent.map((a) => a.layout.family))];
  const undecided = evidence !== undefined && !evidence.known && (consistent.length ? fittingFamilies.length > 1 : true);
  const families = undecided ? (consistent.length ? fittingFamilies : evidence!.families) : undefined;
  if (undecided) notes.push(`family undecided: ${families!.join(', ')} fit${consistent.length ? '' : ' the evidence'}; the lines shown are ${chosen.layout.profile.id}'s (give --arch, --vdso or uname -m to decide)`);
  if (evidence && !version && errorsOf(chosen) === 0) {
    // It passes as an older era only: say what the newest layout of the family finds.
    const newestRow = newestMainline(chosen.layout.family);
    const newest = attempts.filter((a) => a.layout.profile.id === newestRow?.id).sort((x, y) => errorsOf(x) - errorsOf(y))[0];
    if (newest && errorsOf(newest) > 0) {
      const codes = [...new Set(newest.findings.filter((f) => f.severity === 'error').map((f) => f.code))].join(', ');
      notes.push(`this capture has the shape of ${chosen.layout.profile.id} (${rangeOf(chosen.layout.profile)}); on a newer kernel it is wrong (${newest.layout.profile.id}: ${codes}): give --kernel to decide`);
    }
  }
  if (multi && !consistent.length) notes.push(`no profile fits; closest is ${chosen.layout.profile.id} at ${chosen.layout.pageSize}-byte pages (it explains ${chosen.structure[0]} of the capture's ${cluster.length} cluster vma(s) by name, ${chosen.structure[1]} also by size)`);

  // 6. The version chose a row that fails, but another built-in row fits exactly: say so,
  //    and how to accept it. The verdict stays a failure: a guess never passes.
  if (versionSelected && !ctx.profile && errorsOf(chosen) > 0) {
    const fits: string[] = [];
    const known = parseKernelVersion(chosen.layout.kernelVersion ?? version ?? '');
    // Mainline rows first; vendor rows (most copy a mainline layout) only when none fits.
    const isVendorRow = (r: ProfileRow) => Boolean(r.vendor);
    const family = PROFILES[chosen.layout.family];
    for (const row of [...family.filter((r) => !isVendorRow(r)), ...family.filter(isVendorRow)]) {
      if (fits.length && isVendorRow(row) && !fits.some((id) => isVendorRow(family.find((r) => r.id === id)!))) break;
      if (row.id === chosen.layout.profile.id) continue;
      // A backport brings a newer layout into an older kernel, never an older one into a newer kernel.
      if (known && row.until && compareVersions(known, parseKernelVersion(row.until)!) >= 0) continue;
      for (const page of ctx.image || fixedPage !== undefined ? [fixedPage] : row.pageSizes.map((p) => BigInt(p))) {
        let layout: Layout | undefined;
        try { layout = build(row, page); } catch { continue; }
        if (layout && errorsOf(attempt(layout, 0)) === 0) { fits.push(row.id); break; }
      }
    }
    for (const id of fits) {
      const row = PROFILES[chosen.layout.family].find((r) => r.id === id)!;
      notes.push(`profile ${id} (${rangeOf(row)}) fits this capture exactly; if this kernel carries that layout (a vendor or backported kernel), accept it with --profile ${id}`);
    }
  }

  // What could not be checked, said out loud.
  if (!ctx.image) {
    skipped.push({ rule: 'image', reason: 'no vDSO image (--vdso, or a capture bundle with the [vdso] bytes): the text size is not checked' });
    findings.push({ code: 'not-checked', severity: 'warning', message: 'text size not checked: no vDSO image given' });
  }
  if (!version && !ctx.profile) {
    findings.push({ code: 'not-checked', severity: 'warning', message: `kernel version unknown (no --kernel, no Linux note, no uname in the capture): the exact era is not pinned${multi ? '' : `; assumed ${chosen.layout.profile.id}`}` });
  }
  if (auxvBase === undefined) skipped.push({ rule: 'auxv_base', reason: 'no aux vector (--auxv, or one in the capture): AT_SYSINFO_EHDR is not checked' });
  // The image's ABI against the process: a 64-bit task has vmas above 4 GiB (its vDSO among them),
  // a 32-bit one (i386, arm, x32, o32 under a 64-bit kernel) none.
  if (ctx.image && maps.length > 0) {
    const above4G = maps.some((m) => m.end > 0x100000000n && m.kind !== 'vsyscall' && m.kind !== 'vectors');
    const cls = ctx.image.header.class;
    if (cls === 64 && !above4G) findings.push({ code: 'image-mismatch', severity: 'error', message: `the image is ${ctx.image.arch ?? 'ELF64'} (64-bit) but every vma of this process is below 4 GiB: a 32-bit task (compat or x32), which maps the kernel's 32-bit vDSO image, not this one` });
    else if (cls === 32 && above4G) findings.push({ code: 'image-mismatch', severity: 'error', message: `the image is ${ctx.image.arch ?? 'ELF32'} (32-bit) but this process has vmas above 4 GiB: a 64-bit task, which maps the kernel's 64-bit vDSO image, not this one` });
  }
  if (ctx.image && ctx.dumpedImage) {
    const a = ctx.image; const d = ctx.dumpedImage;
    if (a.arch !== d.arch) findings.push({ code: 'image-mismatch', severity: 'error', message: `the target's [vdso] is ${d.arch} but --vdso is ${a.arch}` });
    else if (a.buildId && d.buildId && a.buildId !== d.buildId) findings.push({ code: 'image-mismatch', severity: 'error', message: `the target's [vdso] has build-id ${d.buildId}, --vdso has ${a.buildId}: not the same build` });
  }
  for (const w of chosen.layout.warnings) notes.push(w);
  if (anchor.by === 'unnamed-heuristic' && anchor.mapping) notes.push(`located the vDSO text by its place (an unnamed r-x vma at ${hex(anchor.mapping.start)})`);

  const bits = chosen.layout.kernelBits;
  return withPassInvariant({
    input: ctx.input, block: block.index, label: block.label, verdict: verdictOf(findings), base: anchor.mapping ? chosen.base : undefined,
    anchoredBy: anchor.mapping ? anchor.by : undefined,
    profile: undecided ? undefined : chosen.layout.profile.id, family: undecided ? undefined : chosen.layout.family, families,
    consistentWith: multi ? consistent.map((a) => a.layout.profile.id).filter((v, i, arr) => arr.indexOf(v) === i) : undefined,
    kernelBits: bits, kernelVersion: chosen.layout.kernelVersion,
    kernelSublevelCapped: chosen.layout.kernelVersionFrom === 'image' && parseKernelVersion(chosen.layout.kernelVersion ?? '')?.[2] === 255 ? true : undefined,
    pageSize: chosen.layout.pageSize,
    expected: chosen.expected.map((m) => ({ text: formatMapping(m, { kernelBits: bits }) })),
    actual: chosen.actual.map((m) => ({ text: formatMapping(m, { kernelBits: bits }), line: m.line })),
    findings, skipped, notes,
  });
}
