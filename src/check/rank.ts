// Step 5 of a check, rank: of the layouts tried, the one closest to the capture. Pure.
import { pageCountValues, type Layout } from '../layout/engine.js';
import { isVendorRow } from '../layout/select.js';
import { compareVersions, parseKernelVersion } from '../layout/version.js';
import type { Mapping } from '../model/maps.js';
import type { Attempt } from './compare.js';

export const errorsOf = (a: { findings: ReadonlyArray<{ severity: string }> }): number => {
  let n = 0;
  for (const f of a.findings) if (f.severity === 'error') n++;
  return n;
};

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

const eraOf = (a: Attempt) => parseKernelVersion(a.layout.profile.since) ?? [0, 0, 0] as const;

/**
 * Whether `x` is closer than `y`: structure first (what of the capture's cluster it explains by
 * name, then by page count), then fewest errors, then a mainline row over a vendor one (chosen
 * by release string), then the text's ELF header at the anchor's start, then (within a family)
 * the newer era, then table order.
 */
function closer(x: Attempt, y: Attempt, anchor: Mapping | undefined): boolean {
  if (x.structure[0] !== y.structure[0]) return x.structure[0] > y.structure[0];
  if (x.structure[1] !== y.structure[1]) return x.structure[1] > y.structure[1];
  const ex = errorsOf(x); const ey = errorsOf(y);
  if (ex !== ey) return ex < ey;
  const vx = isVendorRow(x.layout.profile); const vy = isVendorRow(y.layout.profile);
  if (vx !== vy) return !vx;
  // ppc64 without a version: a reading with AT_SYSINFO_EHDR at the vma start (the text at its
  // start) over one with the header inside (5.11's data page first) when both fit.
  const hx = anchor !== undefined && x.base === anchor.start; const hy = anchor !== undefined && y.base === anchor.start;
  if (hx !== hy) return hx;
  // Within a family the newer era (a capture of unknown version is more likely recent); across
  // families no era says anything: table order, and the verdict names no family.
  if (x.layout.family === y.layout.family) {
    const era = compareVersions(eraOf(x), eraOf(y));
    if (era !== 0) return era > 0;
  }
  return x.order < y.order;
}

/** The closest attempt (the first of equals). */
export function closest(attempts: readonly Attempt[], anchor: Mapping | undefined): Attempt {
  return attempts.reduce((b, a) => (closer(a, b, anchor) ? a : b));
}
