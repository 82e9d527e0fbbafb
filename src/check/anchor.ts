// Step 2 of a check, anchor: where the capture's vDSO text sits, and the cluster around it,
// found before and independently of any layout. Pure.
import type { VdsoImage } from '../elf/index.js';
import type { Mapping } from '../model/maps.js';
import { captureCluster } from './cluster.js';

export interface Anchor { mapping?: Mapping; by: 'auxv' | 'name' | 'unnamed-heuristic' }

/**
 * The vma holding the vDSO text: the one AT_SYSINFO_EHDR points into, else [vdso] (next to the
 * data pages when there are several), else an unnamed r-x vma next to [vvar], of the image's
 * size, or the only one.
 */
export function locateAnchor(maps: readonly Mapping[], auxv: bigint | undefined, image?: VdsoImage): Anchor {
  const named: Mapping[] = [];
  for (const m of maps) if (m.kind === 'vdso') named.push(m);
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
  const rx: Mapping[] = [];
  for (const m of maps) if (m.kind === 'anonymous' && m.perms[2] === 'x') rx.push(m);
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

/** The anchor and the capture's own cluster around it (what candidate layouts are asked to explain). */
export function anchorCluster(maps: readonly Mapping[], auxvBase: bigint | undefined, image?: VdsoImage): { anchor: Anchor; cluster: Mapping[] } {
  const anchor = locateAnchor(maps, auxvBase, image);
  return { anchor, cluster: anchor.mapping ? captureCluster(maps, anchor.mapping) : [] };
}
