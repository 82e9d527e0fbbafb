// What the reader retains of a process under a keep rule: the lines the rule takes, within
// limits.ts's bounds (per name, per size of unnamed vma), plus their immediate neighbours.
// The rule sees only the light scan of a line (perms, kind, a bracketed raw name), so the byte
// scanner can decide from a table of 16 perms which unnamed lines it may skip.
import type { NameKind } from '../model/maps.js';
import type { KeepBounds } from './limits.js';

/** What the quick scan of a maps line knows without decoding it. */
export interface LightMapping { perms: string; rawName?: string; kind: NameKind }

/** A keep rule: a pure function of perms, kind and raw name (the byte scanner asks it once per kind of line). */
export type KeepRule = (m: LightMapping) => boolean;

/** The 16 permission strings Linux prints, by bits r w x s. */
export const PERMS = Array.from({ length: 16 }, (_, k) => `${k & 8 ? 'r' : '-'}${k & 4 ? 'w' : '-'}${k & 2 ? 'x' : '-'}${k & 1 ? 's' : 'p'}`);

/**
 * For each perms index (r8 w4 x2 s1): 1 when the rule takes no anonymous vma with those perms,
 * 0 when it takes them (the bounds decide). null when the scanner cannot stand in for the
 * reader: no rule (every line is decoded), or one that keeps file-backed vmas.
 */
export function skippableAnonymousPerms(keep: KeepRule | undefined): Uint8Array | null {
  if (keep === undefined || PERMS.some((perms) => keep({ perms, kind: 'file' }))) return null;
  const t = new Uint8Array(16);
  for (let k = 0; k < 16; k++) t[k] = keep({ perms: PERMS[k], kind: 'anonymous' }) ? 0 : 1;
  return t;
}

/** Per-block counts against the bounds: lines of one name, unnamed lines of one size. */
export class RetentionCounts {
  readonly perName = new Map<string, number>();
  readonly perSize = new Map<number | bigint, number>();
  constructor(readonly bounds: KeepBounds) {}

  clear(): void { this.perName.clear(); this.perSize.clear(); }

  /**
   * Count one more line of this name (undefined: unnamed, counted by size). The count it now
   * has, or 0 when the bounds leave no room (nothing counted).
   */
  admit(name: string | undefined, size: number | bigint): number {
    const bounds = this.bounds;
    const counts: Map<string | number | bigint, number> = name !== undefined ? this.perName : this.perSize;
    const key = name ?? size;
    const seen = counts.get(key);
    const room = name !== undefined
      ? (seen === undefined ? counts.size < bounds.names : seen < bounds.perName)
      : (seen === undefined ? counts.size < bounds.sizes : seen < bounds.perSize);
    if (!room) return 0;
    counts.set(key, (seen ?? 0) + 1);
    return (seen ?? 0) + 1;
  }

  /** No room for another size of unnamed vma. */
  get sizesFull(): boolean { return this.perSize.size >= this.bounds.sizes; }
}
