// Compare the vDSO cluster a capture shows with the one the layout engine expects, and say
// what differs in the kernel reviewer's terms. Pure: mappings and a layout in, findings out.
import { hex } from '../errors.js';
import type { VdsoImage } from '../elf/index.js';
import { pageCountValues, synthesize, type Layout, type ResolvedRegion } from '../layout/engine.js';
import { formatMapping } from '../capture/maps-line.js';
import { REGION_KINDS } from './cluster.js';
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

interface Comparison { expected: Mapping[]; actual: Mapping[]; findings: Finding[] }

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
  const regions = layout.regions.map((r) => ({ ...r }));
  const seen = regions.map((r) => (r.name === undefined ? undefined : nearestNamed(mappings, r.name, base)));
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

function compareCluster(input: CompareInput): Comparison {
  const { base, mappings } = input;
  const layout = fitLayout(input.layout, mappings, base);
  const page = layout.pageSize;
  const bits = layout.kernelBits;
  const line = (m: Mapping) => formatMapping(m, { kernelBits: bits });
  const findings: Finding[] = [];
  // Past PER_CODE findings of one code (8,000 duplicate [vdso]s), the rest are counted, not
  // formatted: one summary line says how many, and every candidate layout stays linear.
  const perCode = new Map<FindingCode, { shown: number; more: number; severity: 'error' | 'warning' }>();
  const add = (code: FindingCode, message: string, exp?: Mapping, act?: Mapping, severity: 'error' | 'warning' = 'error') => {
    const c = perCode.get(code) ?? { shown: 0, more: 0, severity };
    perCode.set(code, c);
    if (c.shown >= PER_CODE) { c.more++; return; }
    c.shown++;
    findings.push({ code, severity, message, expected: exp ? line(exp) : undefined, actual: act ? line(act) : undefined, line: act?.line });
  };

  const expectedAll = synthesize({ ...layout, regions: layout.regions.map((r) => ({ ...r, optional: false })) }, base);
  const regionOf = new Map<Mapping, ResolvedRegion>(expectedAll.map((m, i) => [m, layout.regions[i]]));
  // Optional regions ([gic]) are expected only when the capture has them.
  const expected = expectedAll.filter((m) => !regionOf.get(m)!.optional || mappings.some((a) => a.name === m.name));
  const lo = expected.reduce((a, m) => (m.start < a ? m.start : a), expected[0].start);
  const hi = expected.reduce((a, m) => (m.end > a ? m.end : a), expected[0].end);

  // The actual cluster: every cluster-named mapping in the process, anything overlapping the
  // expected span, and special mappings touching either.
  const inCluster = (m: Mapping) => REGION_KINDS.has(m.kind) || (m.start < hi && m.end > lo);
  let actual = mappings.filter(inCluster);
  const spanLo = actual.reduce((a, m) => (m.start < a ? m.start : a), lo);
  const spanHi = actual.reduce((a, m) => (m.end > a ? m.end : a), hi);
  const neighbourNames = new Set(layout.neighbours.map((n) => n.name));
  const inActual = new Set(actual);
  const touching = mappings.filter((m) => !inActual.has(m) && m.kind === 'special' && (m.end === spanLo || m.start === spanHi));
  actual = [...actual, ...touching].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));

  // Every vma is whole pages of the kernel's page size.
  for (const a of actual) {
    if (a.start % page !== 0n || a.end % page !== 0n) add('size', `${a.name ?? 'an unnamed vma'} at ${hex(a.start)}-${hex(a.end)} is not made of ${page}-byte pages`, undefined, a);
  }

  const matched = new Map<Mapping, Mapping>(); // expected → actual
  const coveredBy = new Map<Mapping, Mapping[]>(); // unnamed actual → expected regions it stands in for
  for (const e of expected) {
    const r = regionOf.get(e)!;
    const isText = r.role === 'text';
    const same = actual.filter((a) => a.name === e.name);
    if (same.length === 0) {
      const cover = actual.find((a) => a.name === undefined && a.start < e.end && a.end > e.start);
      if (cover) coveredBy.set(cover, [...(coveredBy.get(cover) ?? []), e]);
      else add(isText ? 'vdso-missing' : 'vvar-missing', `no ${labelOf(e.name, r.role)} mapping: the kernel should map ${plural(pagesOf(e, page), 'page')} at ${hex(e.start)}`, e);
      continue;
    }
    if (same.length > 1) {
      const sorted = same;
      const contiguous = sorted.every((a, i) => i === 0 || sorted[i - 1].end === a.start);
      const whole = { start: sorted[0].start, end: sorted[sorted.length - 1].end };
      if (contiguous) {
        add('split', `${labelOf(e.name, r.role)} is shown as ${same.length} vmas (${sorted.map((a) => `${hex(a.start)}-${hex(a.end)}`).join(', ')}): a debugger/uprobe COW or a partial mprotect split it`, e, sorted[1]);
        const merged: Mapping = { ...sorted[0], end: whole.end };
        matched.set(e, merged);
        continue;
      }
      const keep = same.find((a) => a.start <= base && base < a.end) ?? same[0];
      for (const extra of same.filter((a) => a !== keep)) add('duplicate', `a second ${labelOf(e.name, r.role)} at ${hex(extra.start)}-${hex(extra.end)}; a process has exactly one`, undefined, extra);
      matched.set(e, keep);
      continue;
    }
    matched.set(e, same[0]);
  }

  // Unnamed vmas standing in for expected regions: the name was lost (the 2020 powerpc bug).
  for (const [cover, regs] of coveredBy) {
    const names = regs.map((e) => labelOf(e.name, regionOf.get(e)!.role)).join(' and ');
    const text = regs.find((e) => regionOf.get(e)!.role === 'text');
    if (text) {
      add('vdso-unnamed', `the vma at ${hex(cover.start)}-${hex(cover.end)} holds the vDSO${regs.length > 1 ? ` (where ${names} should be)` : ''} but has no name: /proc/PID/maps must say [vdso] (the name is matched on the vma start)`, text, cover);
    } else {
      add('vvar-unnamed', `the vma at ${hex(cover.start)}-${hex(cover.end)} sits where ${names} should be but has no name`, regs[0], cover);
    }
    if (regs.length === 1 && cover.start === regs[0].start && cover.end === regs[0].end) matched.set(regs[0], cover);
  }

  // Per region: perms and size.
  for (const [e, a] of matched) {
    const r = regionOf.get(e)!;
    const label = labelOf(e.name, r.role);
    if (a.perms !== e.perms) add('perms', `${label} is ${a.perms}; the kernel maps it ${e.perms}`, e, a);
    const want = pagesOf(e, page);
    const got = (a.end - a.start) / page;
    if (a.end - a.start !== e.end - e.start) {
      if (r.role !== 'text') {
        const range = r.allowed !== undefined && typeof r.allowed !== 'number' ? pageCountValues(r.allowed).describe : undefined;
        add('size', `${label} has ${plural(got, 'page')}, expected ${range ? `${range} pages` : plural(want, 'page')}`, e, a);
      }
      else if (input.textSizeKnown) {
        const textPages = layout.textPages ?? 0n;
        const dataPagesInside = want - textPages; // ppc <= 5.11 keep the data page in [vdso]
        add('image-size', `${label} has ${plural(got, 'page')}; the image needs ${plural(textPages, 'page')}${dataPagesInside > 0n ? ` plus ${plural(dataPagesInside, 'data page')} in the same vma` : ''} (${layout.textBytes} bytes at ${page}-byte pages)`, e, a);
      }
    }
  }

  // The text vma where the profile puts it around the ELF header: with an aux vector the base is
  // AT_SYSINFO_EHDR, and a vma of the right size that starts elsewhere is the header at another
  // place in it (the 2020 powerpc series: one page in), never a pass.
  const textE = expected.find((e) => regionOf.get(e)!.role === 'text');
  const textA = textE ? matched.get(textE) : undefined;
  if (textE && textA && textA.start !== textE.start && textA.end - textA.start === textE.end - textE.start && input.auxvBase !== undefined) {
    const into = input.auxvBase - textA.start;
    add('auxv-base', `AT_SYSINFO_EHDR is ${hex(input.auxvBase)}, ${into >= 0n ? `+${hex(into)}` : `-${hex(-into)}`} from the start of the text vma ${hex(textA.start)}-${hex(textA.end)}; profile ${layout.profile.id} has the ELF header at +${hex(base - textE.start)}`, textE, textA);
  }

  // Order and adjacency of what is there, against the expected sequence.
  const present = [...matched.entries()].sort((x, y) => (x[1].start < y[1].start ? -1 : 1));
  const nameOf = (e: Mapping) => labelOf(e.name, regionOf.get(e)!.role);
  const wantOrder = expected.filter((e) => matched.has(e)).map(nameOf);
  const gotOrder = present.map(([e]) => nameOf(e));
  if (wantOrder.join() !== gotOrder.join()) {
    const sideOf = (e: Mapping) => (textE && e.start < textE.start ? 'below' : 'above');
    const moved = textE && textA ? present.find(([e, a]) => e !== textE && (e.start < textE.start) !== (a.start < textA.start)) : undefined;
    const seq = `(expected order low to high: ${wantOrder.join(', ')}; got ${gotOrder.join(', ')})`;
    if (moved) {
      const [me, ma] = moved;
      add('order', `${nameOf(me)} is ${sideOf(me) === 'below' ? 'above' : 'below'} [vdso]; the kernel puts it ${sideOf(me)} ${seq}`, me, ma);
    } else {
      // Same side of the text, but swapped among themselves: name the pair.
      const k = wantOrder.findIndex((n, i) => n !== gotOrder[i]);
      const lowWant = present.find(([e]) => nameOf(e) === wantOrder[k])!;
      const lowGot = present.find(([e]) => nameOf(e) === gotOrder[k])!;
      add('order', `${nameOf(lowGot[0])} and ${nameOf(lowWant[0])} are swapped: the kernel puts ${nameOf(lowWant[0])} below ${nameOf(lowGot[0])} ${seq}`, lowWant[0], lowWant[1]);
    }
  } else {
    for (let i = 1; i < present.length; i++) {
      const [ea, a] = present[i - 1];
      const [eb, b] = present[i];
      // A hole only counts when nothing fills it (an unexpected vma there is reported as such).
      const filled = actual.filter((m) => m.start >= a.end && m.end <= b.start).reduce((n, m) => n + (m.end - m.start), 0n) === b.start - a.end;
      const allowed = regionOf.get(eb)?.gapBelowAllowed;
      if (a.end < b.start && !filled && !allowed) add('gap', `${plural((b.start - a.end) / page, 'page')} gap between ${nameOf(ea)} (ends ${hex(a.end)}) and ${nameOf(eb)} (starts ${hex(b.start)}); the kernel maps them adjacent`, eb, b);
      else if (a.end > b.start) add('overlap', `${nameOf(ea)} (ends ${hex(a.end)}) overlaps ${nameOf(eb)} (starts ${hex(b.start)})`, eb, b);
    }
  }

  // AT_SYSINFO_EHDR must point at the ELF header, i.e. the text base.
  if (input.auxvBase !== undefined && input.auxvBase !== base) {
    const holder = mappings.find((m) => m.start <= input.auxvBase! && input.auxvBase! < m.end);
    add('auxv-base', `AT_SYSINFO_EHDR is ${hex(input.auxvBase)}${holder ? ` (inside ${holder.name ?? 'an unnamed vma'}${holder.start !== input.auxvBase ? ` at +${hex(input.auxvBase - holder.start)}` : ''})` : ''}, not the vDSO text at ${hex(base)}`, expected.find((e) => regionOf.get(e)!.role === 'text'), holder);
  }

  // Mappings inside or touching the cluster that the layout does not have.
  const expectedNames = new Set(expected.map((e) => e.name));
  const matchedActual = new Set(matched.values());
  for (const a of actual) {
    if (matchedActual.has(a) || coveredBy.has(a)) continue;
    if (a.name !== undefined && expectedNames.has(a.name)) continue; // duplicates/splits, reported above
    if (neighbourNames.has(a.name ?? '')) continue;
    if (a.name === undefined && !(a.start < hi && a.end > lo)) continue;
    add('unexpected', `${a.name ?? 'an unnamed vma'} at ${hex(a.start)}-${hex(a.end)} is inside or next to the vDSO cluster, but profile ${layout.profile.id} has no such mapping`, undefined, a);
  }

  // Neighbours: fixed pages, the page right below, or anywhere.
  const bottom = [...matched.values()].reduce<bigint | undefined>((x, m) => (x === undefined || m.start < x ? m.start : x), undefined);
  for (const n of layout.neighbours) {
    const got = mappings.filter((m) => m.name === n.name);
    if (got.length === 0) {
      if (!n.optional) add('neighbour', `no ${n.name} mapping; ${n.note ?? 'the kernel maps one for this ABI'}`);
      continue;
    }
    for (const m of got) {
      const problems: string[] = [];
      if (!n.perms.includes(m.perms)) problems.push(`perms ${m.perms} (expected ${n.perms.join(' or ')})`);
      if (m.end - m.start !== BigInt(n.pages) * page) problems.push(`${plural((m.end - m.start) / page, 'page')} (expected ${n.pages})`);
      if (n.placement === 'fixed' && n.at !== undefined && m.start !== n.at) problems.push(`at ${hex(m.start)} (expected ${hex(n.at)})`);
      if (n.placement === 'adjacent-below' && bottom !== undefined && m.end !== bottom) problems.push(`ends at ${hex(m.end)}, not right below the cluster at ${hex(bottom)}`);
      if (problems.length) add('neighbour', `${n.name}: ${problems.join('; ')}`, undefined, m);
    }
  }
  // The invariant, whatever the rules above missed: no error finding means every expected line
  // is the capture's line. A line that differs is said as what it is.
  if (!findings.some((f) => f.severity === 'error')) {
    const expLines = new Set(expected.map(line));
    const actLines = new Set(actual.map(line));
    for (const a of actual) {
      if (expLines.has(line(a))) continue;
      const e = expected.find((x) => x.start < a.end && x.end > a.start);
      const fieldsOnly = e && e.start === a.start && e.end === a.end && e.perms === a.perms && e.name === a.name;
      add('unexpected', fieldsOnly
        ? `${labelOf(a.name, regionOf.get(e)!.role)} at ${hex(a.start)}-${hex(a.end)} shows offset ${hex(a.offset)}, device ${a.major}:${a.minor}, inode ${a.inode}: the kernel prints a special mapping as 00000000 00:00 0`
        : `${a.name ?? 'an unnamed vma'} at ${hex(a.start)}-${hex(a.end)} is not a line profile ${layout.profile.id} prints here`, e, a);
    }
    for (const e of expected) {
      if (actLines.has(line(e))) continue;
      if (actual.some((a) => a.start < e.end && a.end > e.start)) continue; // said above
      const r = regionOf.get(e)!;
      add(r.role === 'text' ? 'vdso-missing' : 'vvar-missing', `no ${labelOf(e.name, r.role)} mapping at ${hex(e.start)}-${hex(e.end)}, where profile ${layout.profile.id} puts it`, e);
    }
  }
  for (const [code, c] of perCode) if (c.more) findings.push({ code, severity: c.severity, message: `${c.more} more ${code} finding${c.more === 1 ? '' : 's'} like the above` });
  return { expected, actual, findings };
}

/** One candidate layout compared with the capture at the base that fits it best. */
export interface Attempt {
  layout: Layout;
  base: bigint;
  findings: Finding[];
  expected: Mapping[];
  actual: Mapping[];
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
    return { layout, base: 0n, expected: [], actual: [], structure: [0, 0], order, findings: [{ code: 'vdso-missing', severity: 'error', message: 'no [vdso] mapping, and no unnamed r-x mapping where the vDSO text could be' }] };
  }
  const text = layout.regions.find((r) => r.role === 'text')!;
  const ho = text.headerOffset ?? 0n;
  const bases = a.kind === 'vdso' || at.auxvBase === undefined ? [a.start + ho, ...(a.kind !== 'vdso' ? [a.end - (text.size - ho)] : [])] : [at.auxvBase];
  let best: Attempt | undefined;
  for (const base of new Set(bases)) {
    const cmp = compareCluster({ mappings: at.mappings, layout, base, auxvBase: at.auxvBase, image: at.image, textSizeKnown: Boolean(at.image) });
    const tried: Attempt = { layout, base, findings: cmp.findings, expected: cmp.expected, actual: cmp.actual, structure: explains(layout, at.cluster, a, base), order };
    if (!best || errorsOf(tried) < errorsOf(best)) best = tried;
  }
  return best!;
}
