// What belongs to the vDSO cluster: the one definition compare, check, diff and the reader's
// keep filter use. Pure.
import type { KernelFamily } from '../layout/arch.js';
import type { ProfileRow } from '../layout/profile-types.js';
import { ALL_PROFILES } from '../layout/profiles/index.js';
import type { Mapping, NameKind } from '../model/maps.js';

/** Kinds a profile row declares as regions of the cluster: the text and its data pages. */
export const REGION_KINDS: ReadonlySet<NameKind> = new Set<NameKind>(['vdso', 'vvar', 'vvar_vclock', 'gic']);
/** Kernel special mappings a row declares as neighbours (gate pages, [sigpage], [uprobes]). */
export const NEIGHBOUR_KINDS: ReadonlySet<NameKind> = new Set<NameKind>(['vsyscall', 'vectors', 'sigpage', 'uprobes']);

/** A kernel-made special mapping (not the process's own memory such as [heap] or [anon:…]). */
export function isKernelSpecial(kind: NameKind): boolean {
  return REGION_KINDS.has(kind) || NEIGHBOUR_KINDS.has(kind) || kind === 'special';
}

/**
 * An unnamed vma that can stand in for a cluster region whose name was lost: readable, never
 * writable (the kernel maps text r-x and data r--; guard pages ---p are not candidates).
 */
function mayBeUnnamedRegion(m: { kind: NameKind; perms: string }): boolean {
  return m.kind === 'anonymous' && m.perms[0] === 'r' && m.perms[1] !== 'w';
}

/**
 * What a check can need from a process's maps: the cluster, its neighbours, any kernel special
 * mapping, and unnamed vmas that can be cluster regions that lost their name.
 */
export function belongsToCheck(l: { kind: NameKind; perms: string }): boolean {
  return l.kind === 'anonymous' ? l.perms[2] === 'x' || mayBeUnnamedRegion(l) : isKernelSpecial(l.kind);
}

/** A region or neighbour name as the table spells it, and the families whose rows have it. */
function namesByFamily(rows: readonly ProfileRow[]): Map<string, Set<KernelFamily>> {
  const out = new Map<string, Set<KernelFamily>>();
  const add = (name: string | undefined, f: KernelFamily) => { if (name) { if (!out.has(name)) out.set(name, new Set()); out.get(name)!.add(f); } };
  for (const r of rows) {
    for (const g of r.regions) add(g.name, r.family);
    for (const n of r.neighbours ?? []) add(n.name, r.family);
  }
  return out;
}

/**
 * Names that only some families' rows have ([vsyscall], [vectors], [sigpage], [vvar_vclock],
 * [gic] with today's table): seeing one narrows the families to those. Derived from the table.
 * Not [vvar], though parisc's and sh's rows have none: it is the generic data store's name
 * (lib/vdso/datastore.c), which a series moving such an architecture to the generic vDSO maps,
 * and such a capture must fail against the family's layout, not be refused as another's.
 */
export function familyMarkers(rows: readonly ProfileRow[] = ALL_PROFILES): Map<string, Set<KernelFamily>> {
  const all = new Set(rows.map((r) => r.family));
  const out = new Map<string, Set<KernelFamily>>();
  for (const [name, fams] of namesByFamily(rows)) if (fams.size < all.size && name !== '[vvar]') out.set(name, fams);
  return out;
}

/**
 * The capture's own cluster around the text vma `anchor`: the anchor, every mapping contiguous
 * with it that is a cluster region or an unnamed non-writable vma (a region that lost its
 * name), and for each cluster region name seen elsewhere the occurrence nearest the anchor.
 * Contiguous pieces of one region are merged (new objects: compare the anchor by address).
 * This is what candidate layouts are asked to explain.
 */
export function captureCluster(maps: readonly Mapping[], anchor: Mapping): Mapping[] {
  const i = maps.indexOf(anchor);
  if (i < 0) return [anchor];
  const joins = (m: Mapping) => REGION_KINDS.has(m.kind) || mayBeUnnamedRegion(m);
  let lo = i; let hi = i;
  while (lo > 0 && maps[lo - 1].end === maps[lo].start && joins(maps[lo - 1])) lo--;
  while (hi + 1 < maps.length && maps[hi].end === maps[hi + 1].start && joins(maps[hi + 1])) hi++;
  const out = maps.slice(lo, hi + 1);
  const nearest = nearestRegions(maps, anchor, out);
  // A region split into contiguous pieces (uprobe COW, mprotect) is one region here.
  const merged: Mapping[] = [];
  for (const m of out) {
    const last = merged[merged.length - 1];
    if (last && m.name !== undefined && last.name === m.name && last.end === m.start) merged[merged.length - 1] = { ...last, end: m.end };
    else merged.push(m);
  }
  merged.push(...nearest);
  return sortByStart(merged);
}

/**
 * For each cluster region name (REGION_KINDS) that `have` lacks, its occurrence in `maps` nearest
 * the anchor: a region a gap parted from the text is still that region (check and diff alike).
 */
export function nearestRegions(maps: readonly Mapping[], anchor: Mapping, have: readonly Mapping[]): Mapping[] {
  const seen = new Set<string>();
  for (const m of have) if (m.name !== undefined) seen.add(m.name);
  const dist = (m: Mapping) => (m.start > anchor.start ? m.start - anchor.start : anchor.start - m.start);
  const nearest = new Map<string, Mapping>();
  for (const m of maps) {
    if (!REGION_KINDS.has(m.kind) || m.name === undefined || seen.has(m.name)) continue;
    const cur = nearest.get(m.name);
    if (!cur || dist(m) < dist(cur)) nearest.set(m.name, m);
  }
  return [...nearest.values()];
}

/**
 * `list` sorted by start, in place and stably, as `list.sort()` would with a start comparator.
 * A cluster has a few vmas, and V8's sort allocates its work arrays on every call (~0.8 KB for
 * two or three elements; a tenth of what 10,000 captures allocate): up to 16, an insertion sort.
 */
export function sortByStart<T extends { start: bigint }>(list: T[]): T[] {
  if (list.length > 16) return list.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  for (let i = 1; i < list.length; i++) {
    const m = list[i];
    let k = i - 1;
    for (; k >= 0 && list[k].start > m.start; k--) list[k + 1] = list[k];
    list[k + 1] = m;
  }
  return list;
}
