// What a check needs from a process's maps, as a keep filter for the capture reader: the vDSO
// cluster and every other special mapping (by name), and the unnamed executable vmas that could
// be an unnamed vDSO text. The reader adds each kept line's neighbours and bounds the rest
// (KEEP_BOUNDS in capture.ts), so a million-line capture costs a handful of decoded mappings.
import type { LightMapping } from './capture.js';

export function keepForCheck(l: Pick<LightMapping, 'kind' | 'perms'>): boolean {
  if (l.kind === 'anonymous') return l.perms.charCodeAt(2) === 120; // 'x'
  return l.kind !== 'file' && l.kind !== 'heap' && l.kind !== 'stack' && l.kind !== 'stack_tid' && l.kind !== 'anon_named' && l.kind !== 'anon_shmem';
}
