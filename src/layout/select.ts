// The row-selection policy, in one place: which profile row a kernel release selects (a vendor
// row whose release pattern matches, else a stable backport, else the mainline era), which rows
// a check may try without a release, and which other rows may explain a capture the selected
// row fails. Pure: the table and a release string in, rows and a typed reason out; the notes a
// user reads are rendered from the reason (describeSelection), never tested as text.
import { UsageError } from '../errors.js';
import type { KernelFamily } from './arch.js';
import type { ProfileRow } from './profile-types.js';
import { PROFILES } from './profiles/index.js';
import { compareVersions, formatVersion, parseKernelVersion, parseRelease, type KernelVersion } from './version.js';

/** Why a release selected its row. */
type SelectionReason =
  | { kind: 'vendor'; vendor: string; release: string; pattern: string }
  | { kind: 'backport'; row: string; from: string; series: string }
  | { kind: 'older-than-table'; family: KernelFamily; release: string; row: string }
  | { kind: 'mainline-era'; since: string; until?: string; version: KernelVersion; release: string; sublevelKnown: boolean };

export interface Selection {
  row: ProfileRow;
  reason: SelectionReason;
  /** How it was chosen, for notes: "RHEL 9 kernel (release matches …)", "stable backport: … from 5.12.10". */
  why: string;
  /**
   * Other rows the same release may have: the sublevel is unknown (a distribution ABI name such
   * as 5.12.0-3-amd64) and a stable backport inside that series changes the layout.
   */
  alternatives: ProfileRow[];
}

/** The note a selection leaves, rendered from its reason. */
function describeSelection(reason: SelectionReason, alternatives: readonly ProfileRow[] = []): string {
  switch (reason.kind) {
    case 'vendor': return `${reason.vendor} kernel (release '${reason.release}' matches ${reason.pattern})`;
    case 'backport': return `stable backport: ${reason.row} from ${reason.from} in the ${reason.series}.y series`;
    case 'older-than-table': return `kernel ${reason.release} is older than every ${reason.family} profile; using ${reason.row}`;
    case 'mainline-era': return `mainline era ${reason.since}${reason.until ? `..<${reason.until}` : '+'} for ${formatVersion(reason.version)}${alternatives.length ? ` (sublevel unknown in '${reason.release}': ${alternatives.map((a) => a.id).join(', ')} if it has the stable backport)` : ''}`;
  }
}

/** Plain mainline choices go unsaid; vendor, backport, ambiguity and out-of-table are said. */
const isWorthSaying = (s: Selection): boolean => s.reason.kind !== 'mainline-era' || s.alternatives.length > 0;

const v = (s: string): KernelVersion => {
  const p = parseKernelVersion(s);
  if (!p) throw new Error(`profile table: bad version '${s}'`);
  return p;
};
const inMainline = (r: ProfileRow, x: KernelVersion) =>
  compareVersions(x, v(r.since)) >= 0 && (!r.until || compareVersions(x, v(r.until)) < 0);
/** The backport "x.y.z" covers x.y.z <= ver < x.(y+1). */
const inBackport = (b: string, x: KernelVersion) => {
  const f = v(b);
  return x[0] === f[0] && x[1] === f[1] && x[2] >= f[2];
};
const sameSeries = (b: string, x: KernelVersion) => { const f = v(b); return x[0] === f[0] && x[1] === f[1]; };

let compiled: Map<ProfileRow, RegExp> | undefined;
const vendorRe = (r: ProfileRow): RegExp => {
  compiled ??= new Map();
  let re = compiled.get(r);
  if (!re) { re = new RegExp(r.vendor!.release); compiled.set(r, re); }
  return re;
};

/** Vendor rows are chosen by their release pattern only. */
export const isVendorRow = (r: ProfileRow): boolean => Boolean(r.vendor);

/** The mainline and backport rows of a family (vendor rows are only chosen by their pattern). */
const mainlineRows = (family: KernelFamily): ProfileRow[] => PROFILES[family].filter((r) => !r.vendor);

/** The family's current mainline row: no vendor pattern, the latest start. */
/** The family's oldest mainline row when `version` is older than it: the table does not reach that kernel. */
export function olderThanTable(family: KernelFamily, version: KernelVersion): ProfileRow | undefined {
  let oldest = oldestRows.get(family);
  if (!oldest) { const row = mainlineRows(family)[0]; oldest = { row, since: v(row.since) }; oldestRows.set(family, oldest); }
  return compareVersions(version, oldest.since) < 0 ? oldest.row : undefined;
}
/** Each family's oldest mainline row, asked once per checked process: kept. */
const oldestRows = new Map<KernelFamily, { row: ProfileRow; since: KernelVersion }>();

/**
 * A row the table chose that cannot stand for its kernel: the release is older than every row of
 * the family, so no row says what that kernel printed (sparc64 before 4.15, parisc before 5.18
 * mapped no vDSO at all). Undefined when a row reaches it, or a vendor pattern chose the row.
 * What the caller does instead (refuse, judge by nothing) is its own; `why` says why.
 */
export function beforeTable(family: KernelFamily, row: ProfileRow, release: string | undefined): { oldest: ProfileRow; why: string } | undefined {
  if (release === undefined || row.vendor) return undefined;
  // Asked for every attempt of every checked process, mostly of one release: kept.
  const key = `${family}|${release}`;
  if (beforeTables.has(key)) return beforeTables.get(key);
  const version = parseKernelVersion(release);
  const oldest = version && olderThanTable(family, version);
  const said = oldest ? { oldest, why: `kernel ${release} is older than every ${family} row (the oldest, ${oldest.id}, is the layout of ${oldest.since} on): no row says what that kernel maps` } : undefined;
  beforeTables.set(key, said);
  return said;
}
const beforeTables = new Map<string, { oldest: ProfileRow; why: string } | undefined>();

export function newestMainline(family: KernelFamily): ProfileRow | undefined {
  return mainlineRows(family).reduce<ProfileRow | undefined>((a, r) => (!a || compareVersions(v(r.since), v(a.since)) > 0 ? r : a), undefined);
}

/**
 * The rows a check may try when no release is known. Not a row whose text vma has no name
 * (powerpc 2.6.12-2.6.17): no kernel since 2.6.18 prints one, so an unnamed vDSO text in a
 * capture of unknown version is judged as the regression it is today (the 2020 powerpc series),
 * not as that era. Not a vendor row: without a release string it is only a copy or a guess.
 */
export const rowsWithoutRelease = (family: KernelFamily): ProfileRow[] =>
  PROFILES[family].filter((r) => r.regions.some((g) => g.role === 'text' && g.name !== undefined) && !isVendorRow(r));

/**
 * Rows other than `chosen` that may carry this kernel's layout, in the order they are tried:
 * mainline rows first; vendor rows (most copy a mainline layout) only while no mainline row
 * fits (`fits` decides, in that order). A backport brings a newer layout into an older kernel,
 * never an older one into a newer kernel: rows that ended at or before `known` are left out.
 */
export function otherFittingRows(family: KernelFamily, chosen: ProfileRow, known: KernelVersion | undefined, fits: (row: ProfileRow) => boolean): ProfileRow[] {
  const rows = PROFILES[family];
  const out: ProfileRow[] = [];
  for (const row of [...rows.filter((r) => !isVendorRow(r)), ...rows.filter(isVendorRow)]) {
    if (out.length && isVendorRow(row) && !out.some(isVendorRow)) break;
    if (row.id === chosen.id) continue;
    if (known && row.until && compareVersions(known, v(row.until)) >= 0) continue;
    if (fits(row)) out.push(row);
  }
  return out;
}

/**
 * `exact`: the version from the image's Linux note (LINUX_VERSION_CODE), when the release string
 * is of the same x.y: the string names the vendor, the note the true sublevel.
 */
export function selectFor(family: KernelFamily, release: string, rows: readonly ProfileRow[] = PROFILES[family], exact?: string): Selection {
  const parsed = parseRelease(release);
  if (!parsed) throw new UsageError(`cannot read kernel version '${release}' (expected e.g. 6.1, 6.1.0-56-amd64 or 5.14.0-427.el9.x86_64)`);
  const note = exact !== undefined ? parseKernelVersion(exact) : undefined;
  const rel = note && !parsed.sublevelKnown && note[0] === parsed.version[0] && note[1] === parsed.version[1]
    ? { version: note, sublevelKnown: true } : parsed;
  const x = rel.version;
  const mainline = rows.filter((r) => !r.vendor);
  const selection = (row: ProfileRow, reason: SelectionReason, alternatives: ProfileRow[] = []): Selection =>
    ({ row, reason, why: describeSelection(reason, alternatives), alternatives });
  // Vendor kernels carry backports their version number does not show.
  for (const r of rows) {
    if (r.vendor && vendorRe(r).test(release.trim()) && inMainline(r, x)) {
      return selection(r, { kind: 'vendor', vendor: r.vendor.name, release, pattern: r.vendor.release });
    }
  }
  if (rel.sublevelKnown) {
    // Several backports into one series (x86 4.4.110, then 4.4.190): the latest one reached wins.
    let best: { row: ProfileRow; from: string } | undefined;
    for (const r of mainline) {
      for (const b of r.backports ?? []) if (inBackport(b, x) && (!best || compareVersions(v(b), v(best.from)) > 0)) best = { row: r, from: b };
    }
    if (best) return selection(best.row, { kind: 'backport', row: best.row.id, from: best.from, series: `${x[0]}.${x[1]}` });
  }
  const era = mainline.find((r) => inMainline(r, x));
  if (!era) {
    const oldest = mainline[0];
    return selection(oldest, { kind: 'older-than-table', family, release, row: oldest.id });
  }
  // Sublevel unknown: a backport inside this series may or may not be in, and a row may start at
  // a sublevel of it (powerpc-5.12.3-stable).
  const startsInside = (r: ProfileRow) => sameSeries(r.since, x) && v(r.since)[2] > 0;
  const alternatives = rel.sublevelKnown ? [] : mainline.filter((r) => r !== era && ((r.backports ?? []).some((b) => sameSeries(b, x)) || startsInside(r)));
  return selection(era, { kind: 'mainline-era', since: era.since, until: era.until, version: x, release, sublevelKnown: rel.sublevelKnown }, alternatives);
}

/**
 * The release string a row is selected by: the release (flag or uname -r) names a vendor kernel,
 * the image's note has the true sublevel. The release is used when the version came from the
 * note (or the release corrected a capped note) and both are of one x.y series; otherwise the
 * version itself. (A capture's uname of another series than the image's note loses to the note.)
 */
export function releaseForSelection(version: string | undefined, release: string | undefined, versionIsNote: boolean): string | undefined {
  const series = (s: string) => /^\d+\.\d+/.exec(s)?.[0];
  return versionIsNote && release && series(release) === series(version!) ? release : version;
}

/** The row for a family and kernel release (or the newest, when there is no release). */
const selections = new Map<string, Selection>();

export function selectRow(family: KernelFamily, release: string | undefined, warnings: string[], exact?: string): ProfileRow {
  const mainline = mainlineRows(family);
  if (release === undefined) return mainline[mainline.length - 1];
  const s = selectionOf(family, release, exact);
  if (isWorthSaying(s)) warnings.push(s.why);
  return s.row;
}

/** The selection for a release (cached: the built-in table never changes). */
function selectionOf(family: KernelFamily, release: string, exact?: string): Selection {
  const key = `${family}|${release}|${exact ?? ''}`;
  let s = selections.get(key);
  if (!s) { s = selectFor(family, release, PROFILES[family], exact); selections.set(key, s); }
  return s;
}

/** Rows a stable backport may have brought into a release whose sublevel is unknown (6.1.0-27-loong64). */
export function backportAlternatives(family: KernelFamily, release: string | undefined, exact?: string): readonly ProfileRow[] {
  return release === undefined ? [] : selectionOf(family, release, exact).alternatives;
}
