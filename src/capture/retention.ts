// What the reader retains of a process under a keep rule: the lines the rule takes, within
// limits.ts's bounds (per name, per size of unnamed vma), plus their immediate neighbours.
// The rule sees only the light scan of a line (kind and perms) and is asked once per pair, so
// the byte scanner decides from the same answers which unnamed lines it may skip.
import type { NameKind } from '../model/maps.js';
import type { KeepBounds } from './limits.js';

/** What the quick scan of a maps line knows without decoding it. */
export interface LightMapping { perms: string; rawName?: string; kind: NameKind; /** r8 w4 x2 s1, or -1 for perms Linux does not print. */ permBits: number }

/** A keep rule: which lines of a process to retain, by what the quick scan knows (kind and perms). */
export type KeepRule = (m: { kind: NameKind; perms: string }) => boolean;

/** The 16 permission strings Linux prints, by bits r w x s. */
export const PERMS = Array.from({ length: 16 }, (_, k) => `${k & 8 ? 'r' : '-'}${k & 4 ? 'w' : '-'}${k & 2 ? 'x' : '-'}${k & 1 ? 's' : 'p'}`);
/** The perms bits of a permission string, or -1 when Linux does not print it so. */
export const permBitsOf = (perms: string): number => PERMS.indexOf(perms);

const KINDS: readonly NameKind[] = ['anonymous', 'file', 'vdso', 'vvar', 'vvar_vclock', 'vsyscall', 'vectors', 'sigpage',
  'uprobes', 'gic', 'heap', 'stack', 'stack_tid', 'anon_named', 'anon_shmem', 'special'];
const KIND_INDEX = Object.fromEntries(KINDS.map((k, i) => [k, i])) as Record<NameKind, number>;

/**
 * A keep rule asked once per kind and perms, its answers kept in a table: the reader and the
 * byte scanner decide every line from the same answers, so a rule cannot answer two ways (perms
 * Linux does not print, from the string path only, still ask the rule).
 */
export class KeepTable {
  private readonly answers = new Int8Array(KINDS.length * 16).fill(-1);
  private constructor(private readonly rule: KeepRule) {}

  private static readonly byRule = new WeakMap<KeepRule, KeepTable>();
  /** The rule's table, shared by every reader given that rule (its answers never change once asked). */
  static of(rule: KeepRule): KeepTable {
    let t = KeepTable.byRule.get(rule);
    if (!t) KeepTable.byRule.set(rule, (t = new KeepTable(rule)));
    return t;
  }

  keeps(kind: NameKind, perms: string, permBits: number): boolean {
    if (permBits < 0) return this.rule({ kind, perms });
    const at = KIND_INDEX[kind] * 16 + permBits;
    let a = this.answers[at];
    if (a < 0) a = this.answers[at] = this.rule({ kind, perms }) ? 1 : 0;
    return a === 1;
  }

  /**
   * For each perms index (r8 w4 x2 s1): 1 when the rule takes no anonymous vma with those perms,
   * 0 when it takes them (the bounds decide). null when the scanner cannot stand in for the
   * reader: the rule keeps file-backed vmas.
   */
  skippableAnonymousPerms(): Uint8Array | null {
    if (PERMS.some((perms, k) => this.keeps('file', perms, k))) return null;
    const t = new Uint8Array(16);
    for (let k = 0; k < 16; k++) t[k] = this.keeps('anonymous', PERMS[k], k) ? 0 : 1;
    return t;
  }
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
