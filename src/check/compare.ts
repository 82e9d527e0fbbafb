// Compare the vDSO cluster a capture shows with the one the layout engine expects, and say
// what differs in the kernel reviewer's terms. Pure: mappings and a layout in, findings out.
import { hex } from '../errors.js';
import type { VdsoImage } from '../elf/index.js';
import { pageCountValues, synthesize, type Layout, type ResolvedRegion } from '../layout/engine.js';
import { formatMapping } from '../capture/maps-line.js';
import { REGION_KINDS, sortByStart } from './cluster.js';
import type { Finding, FindingCode } from './findings.js';
import { errorsOf, explains } from './rank.js';
import type { Mapping } from '../model/maps.js';

interface CompareInput {
  /** The process's mappings (at least the cluster and its neighbours), sorted. */
  mappings: Mapping[];
  layout: Layout;
  /** Text base: where the ELF header is (AT_SYSINFO_EHDR on a correct kernel). */
  base: bigint;
  auxvBase?: bigint;
  image?: VdsoImage;
  /** False when the text size is not known (no image): its size is not judged. */
  textSizeKnown: boolean;
}

/** The lines are expected/actual as the kernel prints them, each formatted once. */
interface Comparison { expected: Mapping[]; actual: Mapping[]; lines: AttemptLines; findings: Finding[] }

/** Attempt.expected and .actual as maps lines. */
interface AttemptLines { expected: string[]; actual: string[] }

const pagesOf = (m: { start: bigint; end: bigint }, page: bigint) => (m.end - m.start) / page;
/** A region as a reviewer reads it: its maps name, or what an unnamed one is (powerpc 2.6.12's text). */
const labelOf = (name: string | undefined, role: string) => name ?? `unnamed ${role === 'text' ? 'text' : 'data'}`;
const PER_CODE = 20;
const plural = (n: bigint, w: string) => `${n} ${w}${n === 1n ? '' : 's'}`;

/** The mapping named `name` that holds the base, else the nearest one. */
function nearestNamed(mappings: readonly Mapping[], name: string, base: bigint): Mapping | undefined {
  let best: Mapping | undefined;
  let bestDist = 0n;
  for (const m of mappings) {
    if (m.name !== name) continue;
    const d = m.start <= base && base < m.end ? 0n : m.start > base ? m.start - base : base - m.end + 1n;
    if (!best || d < bestDist) { best = m; bestDist = d; }
  }
  return best;
}

/**
 * The layout as this capture realises what the profile leaves open: a region whose size is a
 * range (`oneOf`, `min`) takes the capture's size when the range accepts it, an optional region
 * the capture lacks takes no room, and where a gap below a region is allowed (MIPS cache
 * colouring) the region below sits where the capture has it. Everything else stays as the
 * engine placed it, so whatever the profile does not allow still shows up as a difference.
 */
function fitLayout(layout: Layout, mappings: readonly Mapping[], base: bigint): Layout {
  const page = layout.pageSize;
  const regions: ResolvedRegion[] = [];
  const seen: Array<Mapping | undefined> = [];
  for (const r of layout.regions) {
    regions.push({ ...r });
    seen.push(r.name === undefined ? undefined : nearestNamed(mappings, r.name, base));
  }
  regions.forEach((r, i) => {
    const got = seen[i];
    if (r.role === 'text' || r.allowed === undefined || typeof r.allowed === 'number' || !got) return;
    const size = got.end - got.start;
    if (size <= 0n || size % page !== 0n) return;
    if (pageCountValues(r.allowed).accepts(Number(size / page))) r.size = size;
  });
  const absent = (i: number) => regions[i].optional && !seen[i];
  const ti = regions.findIndex((r) => r.role === 'text');
  let cursor = regions[ti].offset;
  for (let i = ti - 1; i >= 0; i--) {
    const got = seen[i];
    if (regions[i + 1].gapBelowAllowed && got && got.end - base < cursor && (got.end - base) % page === 0n) cursor = got.end - base;
    regions[i].offset = cursor - regions[i].size;
    if (!absent(i)) cursor -= regions[i].size;
  }
  cursor = regions[ti].offset + regions[ti].size;
  for (let i = ti + 1; i < regions.length; i++) {
    const got = seen[i];
    if (regions[i].gapBelowAllowed && got && got.start - base > cursor && (got.start - base) % page === 0n) cursor = got.start - base;
    regions[i].offset = cursor;
    if (!absent(i)) cursor += regions[i].size;
  }
  return { ...layout, regions };
}

/**
 * What every rule of one comparison reads, and where it says what it finds. The rules are
 * separate functions, run in a fixed order by compareCluster, so that it reads as the list of
 * what is checked (as one function of ~200 lines, it also cost V8's optimizing compiler ~0.4 s
 * of a 10,000-capture check on Node 20, compiled twice; README's fifth pass measures the split).
 */
interface Judging {
  input: CompareInput;
  layout: Layout;
  page: bigint;
  base: bigint;
  /** The lines the kernel should print, low to high, and the span they cover. */
  expected: Mapping[];
  lo: bigint;
  hi: bigint;
  /** The capture's cluster: what is named like it, overlaps it, or is special and touches it. */
  actual: Mapping[];
  regionOf: Map<Mapping, ResolvedRegion>;
  /** expected → actual. */
  matched: Map<Mapping, Mapping>;
  /** An unnamed actual vma → the expected regions it stands in for. */
  coveredBy: Map<Mapping, Mapping[]>;
  findings: Finding[];
  perCode: Map<FindingCode, { shown: number; more: number; severity: 'error' | 'warning' }>;
  formatted: Map<Mapping, string>;
}

/** A mapping's line as the kernel prints it, formatted once per comparison. */
function lineOf(j: Judging, m: Mapping): string {
  let text = j.formatted.get(m);
  if (text === undefined) { text = formatMapping(m, { kernelBits: j.layout.kernelBits }); j.formatted.set(m, text); }
  return text;
}

/**
 * Say a finding. Past PER_CODE findings of one code (8,000 duplicate [vdso]s), the rest are
 * counted, not formatted: one summary line says how many, and every candidate layout stays linear.
 */
function add(j: Judging, code: FindingCode, message: string, exp?: Mapping, act?: Mapping, severity: 'error' | 'warning' = 'error'): void {
  const c = j.perCode.get(code) ?? { shown: 0, more: 0, severity };
  j.perCode.set(code, c);
  if (c.shown >= PER_CODE) { c.more++; return; }
  c.shown++;
  j.findings.push({ code, severity, message, expected: exp ? lineOf(j, exp) : undefined, actual: act ? lineOf(j, act) : undefined, line: act?.line });
}

const nameOf = (j: Judging, e: Mapping) => labelOf(e.name, j.regionOf.get(e)!.role);

function compareCluster(input: CompareInput): Comparison {
  const { base, mappings } = input;
  const layout = fitLayout(input.layout, mappings, base);
  const expectedAll = synthesize(layout, base, { optionalToo: true });
  // A row whose era spans 2.6.30, of a release not known: a line printing its start as its offset
  // is that kernel's (ProfileRow.offsetIsStartUntil), and is expected as printed.
  if (layout.offsetColumn === 'either') {
    for (const e of expectedAll) if (mappings.some((a) => a.start === e.start && a.end === e.end && a.offset === a.start)) e.offset = e.start;
  }
  const regionOf = new Map<Mapping, ResolvedRegion>();
  for (let i = 0; i < expectedAll.length; i++) regionOf.set(expectedAll[i], layout.regions[i]);
  // Optional regions ([gic]) are expected only when the capture has them.
  const expected: Mapping[] = [];
  for (const m of expectedAll) if (!regionOf.get(m)!.optional || mappings.some((a) => a.name === m.name)) expected.push(m);
  const lo = expected.reduce((a, m) => (m.start < a ? m.start : a), expected[0].start);
  const hi = expected.reduce((a, m) => (m.end > a ? m.end : a), expected[0].end);
  const j: Judging = {
    input, layout, page: layout.pageSize, base, expected, lo, hi, actual: actualCluster(mappings, lo, hi), regionOf,
    matched: new Map(), coveredBy: new Map(), findings: [], perCode: new Map(), formatted: new Map(),
  };
  pageRule(j);
  matchRegions(j);
  unnamedRule(j);
  regionRule(j);
  const text = textPair(j);
  headerRule(j, text);
  orderRule(j, text);
  auxvRule(j, text);
  unexpectedRule(j);
  neighbourRule(j);
  lineInvariant(j);
  for (const [code, c] of j.perCode) if (c.more) j.findings.push({ code, severity: c.severity, message: `${c.more} more ${code} finding${c.more === 1 ? '' : 's'} like the above` });
  const lines: AttemptLines = { expected: [], actual: [] };
  for (const m of expected) lines.expected.push(lineOf(j, m));
  for (const m of j.actual) lines.actual.push(lineOf(j, m));
  return { expected, actual: j.actual, lines, findings: j.findings };
}

/** The actual cluster: every cluster-named mapping in the process, anything overlapping the expected span, and special mappings touching either. */
function actualCluster(mappings: readonly Mapping[], lo: bigint, hi: bigint): Mapping[] {
  const inCluster: Mapping[] = [];
  let spanLo = lo; let spanHi = hi;
  for (const m of mappings) {
    if (!REGION_KINDS.has(m.kind) && !(m.start < hi && m.end > lo)) continue;
    inCluster.push(m);
    if (m.start < spanLo) spanLo = m.start;
    if (m.end > spanHi) spanHi = m.end;
  }
  const inActual = new Set(inCluster);
  const all = inCluster.slice();
  for (const m of mappings) if (!inActual.has(m) && m.kind === 'special' && (m.end === spanLo || m.start === spanHi)) all.push(m);
  return sortByStart(all);
}

/** Every vma is whole pages of the kernel's page size. */
function pageRule(j: Judging): void {
  const { page } = j;
  for (const a of j.actual) {
    if (a.start % page !== 0n || a.end % page !== 0n) add(j, 'size', `${a.name ?? 'an unnamed vma'} at ${hex(a.start)}-${hex(a.end)} is not made of ${page}-byte pages`, undefined, a);
  }
}

/** Each expected region to the capture's vma of its name: missing, split, duplicated, or standing in unnamed. */
function matchRegions(j: Judging): void {
  const { actual, matched, coveredBy, page, base } = j;
  for (const e of j.expected) {
    const r = j.regionOf.get(e)!;
    const isText = r.role === 'text';
    const same: Mapping[] = [];
    for (const a of actual) if (a.name === e.name) same.push(a);
    if (same.length === 0) {
      const cover = actual.find((a) => a.name === undefined && a.start < e.end && a.end > e.start);
      if (cover) coveredBy.set(cover, [...(coveredBy.get(cover) ?? []), e]);
      else add(j, isText ? 'vdso-missing' : 'vvar-missing', `no ${labelOf(e.name, r.role)} mapping: the kernel should map ${plural(pagesOf(e, page), 'page')} at ${hex(e.start)}`, e);
      continue;
    }
    if (same.length > 1) {
      const sorted = same;
      const contiguous = sorted.every((a, i) => i === 0 || sorted[i - 1].end === a.start);
      const whole = { start: sorted[0].start, end: sorted[sorted.length - 1].end };
      if (contiguous) {
        add(j, 'split', `${labelOf(e.name, r.role)} is shown as ${same.length} vmas (${sorted.map((a) => `${hex(a.start)}-${hex(a.end)}`).join(', ')}): a debugger/uprobe COW or a partial mprotect split it`, e, sorted[1]);
        const merged: Mapping = { ...sorted[0], end: whole.end };
        matched.set(e, merged);
        continue;
      }
      const keep = same.find((a) => a.start <= base && base < a.end) ?? same[0];
      for (const extra of same.filter((a) => a !== keep)) add(j, 'duplicate', `a second ${labelOf(e.name, r.role)} at ${hex(extra.start)}-${hex(extra.end)}; a process has exactly one`, undefined, extra);
      matched.set(e, keep);
      continue;
    }
    matched.set(e, same[0]);
  }
}

/** Unnamed vmas standing in for expected regions: the name was lost (the 2020 powerpc bug). */
function unnamedRule(j: Judging): void {
  for (const [cover, regs] of j.coveredBy) {
    const names = regs.map((e) => nameOf(j, e)).join(' and ');
    const text = regs.find((e) => j.regionOf.get(e)!.role === 'text');
    if (text) {
      add(j, 'vdso-unnamed', `the vma at ${hex(cover.start)}-${hex(cover.end)} holds the vDSO${regs.length > 1 ? ` (where ${names} should be)` : ''} but has no name: /proc/PID/maps must say [vdso] (the name is matched on the vma start)`, text, cover);
    } else {
      add(j, 'vvar-unnamed', `the vma at ${hex(cover.start)}-${hex(cover.end)} sits where ${names} should be but has no name`, regs[0], cover);
    }
    if (regs.length === 1 && cover.start === regs[0].start && cover.end === regs[0].end) j.matched.set(regs[0], cover);
  }
}

/** Per region: perms and size. */
function regionRule(j: Judging): void {
  const { page, layout } = j;
  for (const [e, a] of j.matched) {
    const r = j.regionOf.get(e)!;
    const label = labelOf(e.name, r.role);
    if (a.perms !== e.perms) add(j, 'perms', `${label} is ${a.perms}; the kernel maps it ${e.perms}`, e, a);
    const want = pagesOf(e, page);
    const got = (a.end - a.start) / page;
    // A text vma of fixed size (sh's one page) that the image outgrows: the kernel copies it into
    // that page, cut short, whatever the capture's vma says.
    if (r.role === 'text' && layout.textFrom === 'profile' && layout.textBytes !== undefined && (layout.textBytes + page - 1n) / page > (layout.textPages ?? 0n)) {
      add(j, 'image-size', `the image is ${layout.textBytes} bytes, over ${plural(layout.textPages ?? 0n, 'page')} at ${page}-byte pages, but ${layout.family} maps ${plural(layout.textPages ?? 0n, 'page')} whatever the image (profile ${layout.profile.id}): the kernel would cut it short`, e, a);
    }
    if (a.end - a.start !== e.end - e.start) {
      if (r.role !== 'text') {
        const range = r.allowed !== undefined && typeof r.allowed !== 'number' ? pageCountValues(r.allowed).describe : undefined;
        // A per-CPU area: the NR_CPUS (and page size) the count was worked out from.
        const sizedBy = r.perCpu ? ` (${r.perCpu.nrCpus !== undefined ? `NR_CPUS=${r.perCpu.nrCpus}` : 'NR_CPUS from 1 to Kconfig\'s bound'} at ${page}-byte pages)` : '';
        const below0 = e.start < 0n ? '; there it would start below address 0, where no kernel maps it' : '';
        add(j, 'size', `${label} has ${plural(got, 'page')}, expected ${range ? `${range} pages` : plural(want, 'page')}${sizedBy}${below0}`, e, a);
      }
      else if (j.input.textSizeKnown) {
        const textPages = layout.textPages ?? 0n;
        const dataPagesInside = want - textPages; // ppc <= 5.11 keep the data page in [vdso]
        if (layout.textFrom === 'profile') add(j, 'image-size', `${label} has ${plural(got, 'page')}; ${layout.family} maps ${plural(textPages, 'page')} whatever the image (profile ${layout.profile.id})`, e, a);
        else add(j, 'image-size', `${label} has ${plural(got, 'page')}; the image needs ${plural(textPages, 'page')}${dataPagesInside > 0n ? ` plus ${plural(dataPagesInside, 'data page')} in the same vma` : ''} (${layout.textBytes} bytes at ${page}-byte pages)`, e, a);
      }
    }
  }
}

/** The expected text line and the capture's vma matched to it, if any. */
function textPair(j: Judging): { e?: Mapping; a?: Mapping } {
  const e = j.expected.find((x) => j.regionOf.get(x)!.role === 'text');
  return { e, a: e ? j.matched.get(e) : undefined };
}

/**
 * The text vma where the profile puts it around the ELF header: with an aux vector the base is
 * AT_SYSINFO_EHDR, and a vma of the right size that starts elsewhere is the header at another
 * place in it (the 2020 powerpc series: one page in), never a pass.
 */
function headerRule(j: Judging, text: { e?: Mapping; a?: Mapping }): void {
  const { e: textE, a: textA } = text;
  const { auxvBase } = j.input;
  if (textE && textA && textA.start !== textE.start && textA.end - textA.start === textE.end - textE.start && auxvBase !== undefined) {
    const into = auxvBase - textA.start;
    add(j, 'auxv-base', `AT_SYSINFO_EHDR is ${hex(auxvBase)}, ${into >= 0n ? `+${hex(into)}` : `-${hex(-into)}`} from the start of the text vma ${hex(textA.start)}-${hex(textA.end)}; profile ${j.layout.profile.id} has the ELF header at +${hex(j.base - textE.start)}`, textE, textA);
  }
}

/** Order and adjacency of what is there, against the expected sequence. */
function orderRule(j: Judging, text: { e?: Mapping; a?: Mapping }): void {
  const { e: textE, a: textA } = text;
  const { matched } = j;
  const inOrder = pairsInExpectedOrder(j);
  if (inOrder) { adjacencyRule(j, inOrder); return; }
  const present = [...matched.entries()].sort((x, y) => (x[1].start < y[1].start ? -1 : 1));
  const wantOrder: string[] = [];
  for (const e of j.expected) if (matched.has(e)) wantOrder.push(nameOf(j, e));
  const gotOrder: string[] = [];
  for (const [e] of present) gotOrder.push(nameOf(j, e));
  if (wantOrder.join() !== gotOrder.join()) {
    const sideOf = (e: Mapping) => (textE && e.start < textE.start ? 'below' : 'above');
    const moved = textE && textA ? present.find(([e, a]) => e !== textE && (e.start < textE.start) !== (a.start < textA.start)) : undefined;
    const seq = `(expected order low to high: ${wantOrder.join(', ')}; got ${gotOrder.join(', ')})`;
    if (moved) {
      const [me, ma] = moved;
      add(j, 'order', `${nameOf(j, me)} is ${sideOf(me) === 'below' ? 'above' : 'below'} [vdso]; the kernel puts it ${sideOf(me)} ${seq}`, me, ma);
    } else {
      // Same side of the text, but swapped among themselves: name the pair.
      const k = wantOrder.findIndex((n, i) => n !== gotOrder[i]);
      const lowWant = present.find(([e]) => nameOf(j, e) === wantOrder[k])!;
      const lowGot = present.find(([e]) => nameOf(j, e) === gotOrder[k])!;
      add(j, 'order', `${nameOf(j, lowGot[0])} and ${nameOf(j, lowWant[0])} are swapped: the kernel puts ${nameOf(j, lowWant[0])} below ${nameOf(j, lowGot[0])} ${seq}`, lowWant[0], lowWant[1]);
    }
    return;
  }
  adjacencyRule(j, present);
}

/**
 * The matched pairs in the expected order, when the capture's vmas in that order start strictly
 * higher each time (else undefined): sorted by start they are then that order itself, and the
 * two sequences of names orderRule compares are equal without being built.
 */
function pairsInExpectedOrder(j: Judging): [Mapping, Mapping][] | undefined {
  const pairs: [Mapping, Mapping][] = [];
  for (const e of j.expected) {
    const a = j.matched.get(e);
    if (a === undefined) continue;
    if (pairs.length > 0 && a.start <= pairs[pairs.length - 1][1].start) return undefined;
    pairs.push([e, a]);
  }
  return pairs;
}

/** Gaps and overlaps between neighbours in the order the vmas are in. */
function adjacencyRule(j: Judging, present: [Mapping, Mapping][]): void {
  const { page } = j;
  for (let i = 1; i < present.length; i++) {
    const [ea, a] = present[i - 1];
    const [eb, b] = present[i];
    // A hole only counts when nothing fills it (an unexpected vma there is reported as such).
    let inHole = 0n;
    for (const m of j.actual) if (m.start >= a.end && m.end <= b.start) inHole += m.end - m.start;
    const filled = inHole === b.start - a.end;
    const allowed = j.regionOf.get(eb)?.gapBelowAllowed;
    if (a.end < b.start && !filled && !allowed) add(j, 'gap', `${plural((b.start - a.end) / page, 'page')} gap between ${nameOf(j, ea)} (ends ${hex(a.end)}) and ${nameOf(j, eb)} (starts ${hex(b.start)}); the kernel maps them adjacent`, eb, b);
    else if (a.end > b.start) add(j, 'overlap', `${nameOf(j, ea)} (ends ${hex(a.end)}) overlaps ${nameOf(j, eb)} (starts ${hex(b.start)})`, eb, b);
  }
}

/** AT_SYSINFO_EHDR must point at the ELF header, i.e. the text base. */
function auxvRule(j: Judging, text: { e?: Mapping }): void {
  const { auxvBase, mappings } = j.input;
  if (auxvBase === undefined || auxvBase === j.base) return;
  const holder = mappings.find((m) => m.start <= auxvBase && auxvBase < m.end);
  add(j, 'auxv-base', `AT_SYSINFO_EHDR is ${hex(auxvBase)}${holder ? ` (inside ${holder.name ?? 'an unnamed vma'}${holder.start !== auxvBase ? ` at +${hex(auxvBase - holder.start)}` : ''})` : ''}, not the vDSO text at ${hex(j.base)}`, text.e, holder);
}

/** Mappings inside or touching the cluster that the layout does not have. */
function unexpectedRule(j: Judging): void {
  const expectedNames = new Set<string | undefined>();
  for (const e of j.expected) expectedNames.add(e.name);
  const neighbourNames = new Set<string>();
  for (const n of j.layout.neighbours) neighbourNames.add(n.name);
  const matchedActual = new Set(j.matched.values());
  for (const a of j.actual) {
    if (matchedActual.has(a) || j.coveredBy.has(a)) continue;
    if (a.name !== undefined && expectedNames.has(a.name)) continue; // duplicates/splits, reported above
    if (neighbourNames.has(a.name ?? '')) continue;
    if (a.name === undefined && !(a.start < j.hi && a.end > j.lo)) continue;
    add(j, 'unexpected', `${a.name ?? 'an unnamed vma'} at ${hex(a.start)}-${hex(a.end)} is inside or next to the vDSO cluster, but profile ${j.layout.profile.id} has no such mapping`, undefined, a);
  }
}

/** Neighbours: fixed pages, the page right below, or anywhere. */
function neighbourRule(j: Judging): void {
  const { page } = j;
  const bottom = [...j.matched.values()].reduce<bigint | undefined>((x, m) => (x === undefined || m.start < x ? m.start : x), undefined);
  for (const n of j.layout.neighbours) {
    const got: Mapping[] = [];
    for (const m of j.input.mappings) if (m.name === n.name) got.push(m);
    if (got.length === 0) {
      if (!n.optional) add(j, 'neighbour', `no ${n.name} mapping; ${n.note ?? 'the kernel maps one for this ABI'}`);
      continue;
    }
    for (const m of got) {
      const problems: string[] = [];
      if (!n.perms.includes(m.perms)) problems.push(`perms ${m.perms} (expected ${n.perms.join(' or ')})`);
      if (m.end - m.start !== BigInt(n.pages) * page) problems.push(`${plural((m.end - m.start) / page, 'page')} (expected ${n.pages})`);
      if (n.placement === 'fixed' && n.at !== undefined && m.start !== n.at) problems.push(`at ${hex(m.start)} (expected ${hex(n.at)})`);
      if (n.placement === 'adjacent-below' && bottom !== undefined && m.end !== bottom) problems.push(`ends at ${hex(m.end)}, not right below the cluster at ${hex(bottom)}`);
      if (problems.length) add(j, 'neighbour', `${n.name}: ${problems.join('; ')}`, undefined, m);
    }
  }
  // A neighbour the row shows only to other tasks (x86's gate vma: get_gate_vma() is NULL for ia32
  // and x32 tasks) is a line no kernel prints for this one.
  const task = j.layout.task;
  for (const n of j.layout.othersNeighbours) {
    for (const m of j.input.mappings) {
      if (m.name === n.name) add(j, 'neighbour', `${n.name} is mapped, but the kernel shows it only to ${(n.tasks ?? []).join(', ')} tasks, and this is ${/^[aeiou]|^x/.test(task) ? 'an' : 'a'} ${task} task`, undefined, m);
    }
  }
}

/**
 * The invariant, whatever the rules above missed: no error finding means every expected line
 * is the capture's line. A line that differs is said as what it is.
 */
function lineInvariant(j: Judging): void {
  if (j.findings.some((f) => f.severity === 'error')) return;
  const { expected, actual, layout } = j;
  // Arrays, not sets: a cluster has a handful of lines, and includes() compares them without hashing.
  const expLines: string[] = [];
  for (const m of expected) expLines.push(lineOf(j, m));
  const actLines: string[] = [];
  for (const m of actual) actLines.push(lineOf(j, m));
  for (const a of actual) {
    if (expLines.includes(lineOf(j, a))) continue;
    const e = expected.find((x) => x.start < a.end && x.end > a.start);
    const fieldsOnly = e && e.start === a.start && e.end === a.end && e.perms === a.perms && e.name === a.name;
    add(j, 'unexpected', fieldsOnly
      ? `${labelOf(a.name, j.regionOf.get(e)!.role)} at ${hex(a.start)}-${hex(a.end)} shows offset ${hex(a.offset)}, device ${a.major}:${a.minor}, inode ${a.inode}: ${e.offset === 0n
        ? 'the kernel prints a special mapping as 00000000 00:00 0'
        : `a kernel before ${layout.profile.offsetIsStartUntil} prints its start as its offset (${hex(e.offset)}, device 0:0, inode 0: vm_pgoff of a vma without a file)`}`
      : `${a.name ?? 'an unnamed vma'} at ${hex(a.start)}-${hex(a.end)} is not a line profile ${layout.profile.id} prints here`, e, a);
  }
  for (const e of expected) {
    if (actLines.includes(lineOf(j, e))) continue;
    if (actual.some((a) => a.start < e.end && a.end > e.start)) continue; // said above
    const r = j.regionOf.get(e)!;
    add(j, r.role === 'text' ? 'vdso-missing' : 'vvar-missing', `no ${labelOf(e.name, r.role)} mapping at ${hex(e.start)}-${hex(e.end)}, where profile ${layout.profile.id} puts it`, e);
  }
}

/** One candidate layout compared with the capture at the base that fits it best. */
export interface Attempt {
  layout: Layout;
  base: bigint;
  findings: Finding[];
  expected: Mapping[];
  actual: Mapping[];
  lines: AttemptLines;
  /** What of the capture's cluster it explains (rank.ts explains()). */
  structure: [number, number];
  /** Order tried: the last tie-break. */
  order: number;
}

export interface AttemptInput {
  mappings: Mapping[];
  /** The text vma (anchor.ts); undefined: there is none. */
  anchor: Mapping | undefined;
  cluster: readonly Mapping[];
  auxvBase?: bigint;
  image?: VdsoImage;
}

/**
 * Step 4 of a check, compare: the layout against the capture, at each base the anchor allows
 * (AT_SYSINFO_EHDR; else the ELF header at the vma start, and for an unnamed vma larger than
 * the text, data merged in, also the text at its end); the base with fewest errors.
 */
export function attemptLayout(layout: Layout, order: number, at: AttemptInput): Attempt {
  const a = at.anchor;
  if (!a) {
    return { layout, base: 0n, expected: [], actual: [], lines: { expected: [], actual: [] }, structure: [0, 0], order, findings: [{ code: 'vdso-missing', severity: 'error', message: 'no [vdso] mapping, and no unnamed r-x mapping where the vDSO text could be' }] };
  }
  const text = layout.regions.find((r) => r.role === 'text')!;
  const ho = text.headerOffset ?? 0n;
  const bases = a.kind === 'vdso' || at.auxvBase === undefined ? [a.start + ho, ...(a.kind !== 'vdso' ? [a.end - (text.size - ho)] : [])] : [at.auxvBase];
  let best: Attempt | undefined;
  for (const base of new Set(bases)) {
    const cmp = compareCluster({ mappings: at.mappings, layout, base, auxvBase: at.auxvBase, image: at.image, textSizeKnown: Boolean(at.image) || layout.textFrom === 'profile' });
    const tried: Attempt = { layout, base, findings: cmp.findings, expected: cmp.expected, actual: cmp.actual, lines: cmp.lines, structure: explains(layout, at.cluster, a, base), order };
    if (!best || errorsOf(tried) < errorsOf(best)) best = tried;
  }
  return best!;
}
