// Reviewer's view: how the vDSO cluster differs between two captures (before and after a
// series), relative to each one's text base. Pure; report/diff.ts renders it.
import type { MapsBlock } from '../model/capture.js';
import type { Mapping } from '../model/maps.js';
import { locateAnchor } from './anchor.js';
import { isKernelSpecial, nearestRegions, NEIGHBOUR_KINDS } from './cluster.js';

export interface ClusterRegion { name: string; offset: bigint; size: bigint; perms: string; line?: number }
export interface Cluster { base: bigint; regions: ClusterRegion[]; page: bigint }

type ChangeKind = 'same' | 'appeared' | 'vanished' | 'moved-side' | 'moved' | 'grew' | 'shrank' | 'perms' | 'renamed';
export interface RegionChange { name: string; before?: ClusterRegion; after?: ClusterRegion; changes: ChangeKind[]; text: string }

const label = (m: Mapping) => m.name ?? `(unnamed ${m.perms})`;

/** The text vma (as check finds it) and every kernel special mapping contiguous with it. */
export function clusterOf(block: MapsBlock, auxvBase?: bigint): Cluster | undefined {
  const ms = block.mappings;
  const anchor = locateAnchor(ms, auxvBase).mapping;
  if (!anchor) return undefined;
  const i = ms.indexOf(anchor);
  const base = auxvBase ?? anchor.start;
  let lo = i; let hi = i;
  while (lo > 0 && ms[lo - 1].end === ms[lo].start && isKernelSpecial(ms[lo - 1].kind)) lo--;
  while (hi + 1 < ms.length && ms[hi].end === ms[hi + 1].start && isKernelSpecial(ms[hi + 1].kind)) hi++;
  const chosen = ms.slice(lo, hi + 1);
  // Fixed / loose neighbours elsewhere in the process.
  for (const m of ms) if (NEIGHBOUR_KINDS.has(m.kind) && !chosen.includes(m)) chosen.push(m);
  // A region a gap parted from the text, as check sees it: left out, a [vvar] one page further
  // down read as "vanished" (samples/gate/arm64-6.1-vvar-gap).
  chosen.push(...nearestRegions(ms, anchor, chosen));
  let g = 0n;
  for (const m of chosen) { let a = m.end - m.start; let b = g; while (b) [a, b] = [b, a % b]; g = a; }
  // The largest standard page size that divides every size (8K of x86 vdso+vvar is 2 pages).
  const page = [65536n, 16384n, 4096n].find((p) => g % p === 0n) ?? 4096n;
  return { base, page, regions: chosen.map((m) => ({ name: label(m), offset: m.start - base, size: m.end - m.start, perms: m.perms, line: m.line })) };
}

export function diffClusters(before: Cluster, after: Cluster, pageSize?: bigint): { page: bigint; changes: RegionChange[] } {
  const page = pageSize ?? (before.page < after.page ? before.page : after.page);
  const changes: RegionChange[] = [];
  const used = new Set<ClusterRegion>();
  for (const b of before.regions) {
    const a = after.regions.find((x) => x.name === b.name && !used.has(x));
    if (!a) continue;
    used.add(a);
    const kinds: ChangeKind[] = [];
    const side = (o: bigint) => (o < 0n ? 'below' : 'at/above');
    const fixed = ['[vsyscall]', '[vectors]'].includes(b.name);
    if (!fixed && side(b.offset) !== side(a.offset)) kinds.push('moved-side');
    else if (!fixed && b.offset !== a.offset) kinds.push('moved');
    if (a.size > b.size) kinds.push('grew');
    if (a.size < b.size) kinds.push('shrank');
    if (a.perms !== b.perms) kinds.push('perms');
    const text = kinds.length === 0 ? 'same' : kinds.map((k) => ({
      'moved-side': `moved ${side(b.offset)} -> ${side(a.offset)} the text`, moved: `moved ${(a.offset - b.offset) / page} page(s)`,
      grew: `grew ${(a.size - b.size) / page} page(s)`, shrank: `shrank ${(b.size - a.size) / page} page(s)`, perms: `perms ${b.perms} -> ${a.perms}`,
    } as Record<string, string>)[k]).join(', ');
    changes.push({ name: b.name, before: b, after: a, changes: kinds.length ? kinds : ['same'], text });
  }
  const gone = before.regions.filter((b) => !changes.some((c) => c.before === b));
  const fresh = after.regions.filter((a) => !used.has(a));
  for (const b of gone) {
    const twin = fresh.find((a) => a.offset === b.offset && a.size === b.size);
    if (twin) { fresh.splice(fresh.indexOf(twin), 1); changes.push({ name: `${b.name} -> ${twin.name}`, before: b, after: twin, changes: ['renamed'], text: `renamed ${b.name} -> ${twin.name}` }); }
    else changes.push({ name: b.name, before: b, changes: ['vanished'], text: 'vanished' });
  }
  for (const a of fresh) changes.push({ name: a.name, after: a, changes: ['appeared'], text: 'appeared' });
  const key = (c: RegionChange) => (c.after ?? c.before)!.offset;
  changes.sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  return { page, changes };
}
