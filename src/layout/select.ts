// Which profile row a kernel release selects: a vendor row whose release pattern matches, else a
// stable backport, else the mainline era. Pure: the table and a release string in, a row out.
import { UsageError } from '../errors.js';
import type { KernelFamily } from './arch.js';
import type { ProfileRow } from './profile-types.js';
import { PROFILES } from './profiles/index.js';
import { compareVersions, formatVersion, parseKernelVersion, parseRelease, type KernelVersion } from './version.js';

export interface Selection {
  row: ProfileRow;
  /** How it was chosen, for notes: "vendor RHEL 9 (release matches …)", "stable backport from 5.12.10". */
  why: string;
  /**
   * Other rows the same release may have: the sublevel is unknown (a distribution ABI name such
   * as 5.12.0-3-amd64) and a stable backport inside that series changes the layout.
   */
  alternatives: ProfileRow[];
}

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

/** The mainline and backport rows of a family (vendor rows are only chosen by their pattern). */
export const mainlineRows = (family: KernelFamily): ProfileRow[] => PROFILES[family].filter((r) => !r.vendor);

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
  // Vendor kernels carry backports their version number does not show.
  for (const r of rows) {
    if (r.vendor && vendorRe(r).test(release.trim()) && inMainline(r, x)) {
      return { row: r, why: `${r.vendor.name} kernel (release '${release}' matches ${r.vendor.release})`, alternatives: [] };
    }
  }
  if (rel.sublevelKnown) {
    // Several backports into one series (x86 4.4.110, then 4.4.190): the latest one reached wins.
    let best: { row: ProfileRow; from: string } | undefined;
    for (const r of mainline) {
      for (const b of r.backports ?? []) if (inBackport(b, x) && (!best || compareVersions(v(b), v(best.from)) > 0)) best = { row: r, from: b };
    }
    if (best) return { row: best.row, why: `stable backport: ${best.row.id} from ${best.from} in the ${x[0]}.${x[1]}.y series`, alternatives: [] };
  }
  const era = mainline.find((r) => inMainline(r, x));
  if (!era) {
    const oldest = mainline[0];
    return { row: oldest, why: `kernel ${release} is older than every ${family} profile; using ${oldest.id}`, alternatives: [] };
  }
  // Sublevel unknown: a backport inside this series may or may not be in.
  const alternatives = rel.sublevelKnown ? [] : mainline.filter((r) => r !== era && (r.backports ?? []).some((b) => sameSeries(b, x)));
  const why = `mainline era ${era.since}${era.until ? `..<${era.until}` : '+'} for ${formatVersion(x)}${alternatives.length ? ` (sublevel unknown in '${release}': ${alternatives.map((a) => a.id).join(', ')} if it has the stable backport)` : ''}`;
  return { row: era, why, alternatives };
}

/** The row for a family and kernel release (or the newest, when there is no release). */
const selections = new Map<string, Selection>();

export function selectRow(family: KernelFamily, release: string | undefined, warnings: string[], exact?: string): ProfileRow {
  const mainline = mainlineRows(family);
  if (release === undefined) return mainline[mainline.length - 1];
  // The built-in table never changes: remember each (family, release, note) answer.
  const key = `${family}|${release}|${exact ?? ''}`;
  let s = selections.get(key);
  if (!s) { s = selectFor(family, release, PROFILES[family], exact); selections.set(key, s); }
  // Plain mainline choices go unsaid; vendor, backport, ambiguity and out-of-table are said.
  if (!s.why.startsWith('mainline era') || s.alternatives.length) warnings.push(s.why);
  return s.row;
}
