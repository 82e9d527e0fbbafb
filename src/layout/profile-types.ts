import type { ArchName } from '../elf/index.js';
import type { KernelFamily } from './arch.js';

export type Role = 'data' | 'vclock' | 'text' | 'gic';

/** A page count: exact, one of a few (config-dependent), or at least N (typical for synth). */
export type PageCount = number | { oneOf: readonly number[] } | { min: number; typical: number };

export interface RegionSpec {
  /** As maps prints it; undefined = an unnamed vma. */
  name?: string;
  role: Role;
  /** Data regions: their size. Ignored for the text region (the image decides). */
  pages?: PageCount;
  perms: string;
  /** Text region only: data pages inside the same vma, before / after the image. */
  dataPagesBefore?: number;
  dataPagesAfter?: number;
  /** The kernel may leave this region out (MIPS [gic] without a GIC). */
  optional?: boolean;
  /** A gap below this region is legitimate (MIPS cache colouring). */
  gapBelowAllowed?: boolean;
  /** What each page holds, low to high (for the diagram). */
  pageRoles?: readonly string[];
}

/** The generic datastore's [vvar] (6.15+, include/vdso/datapage.h enum vdso_pages). */
export const GENERIC_VVAR_ROLES = ['time', 'timens', 'rng', 'arch'] as const;
/** [vvar] of the time-namespace era on most arches: the data page, then the timens page. */
export const DATA_TIMENS_ROLES = ['data', 'timens'] as const;
export const VCLOCK_ROLES = ['pvclock', 'hvclock'] as const;

export interface NeighbourSpec {
  name: string;
  pages: number;
  /** Any of these perms is right (x86 [vsyscall]: r-xp with vsyscall=emulate, --xp with xonly). */
  perms: readonly string[];
  placement: 'fixed' | 'adjacent-below' | 'anywhere';
  /** Fixed placements: the start address. */
  at?: bigint;
  /** Absent is fine (vsyscall=none, no uprobes yet). */
  optional: boolean;
  /** Only for these task ABIs (e.g. [vsyscall] for 64-bit x86 tasks only). */
  tasks?: readonly ArchName[];
  note?: string;
}

export interface ProfileRow {
  id: string;
  family: KernelFamily;
  /** First kernel release with this layout (inclusive). */
  since: string;
  /** First release with the next layout (exclusive); undefined = current. */
  until?: string;
  pageSizes: readonly number[];
  defaultPageSize: number;
  /** Low → high addresses; exactly one region has role 'text'. */
  regions: readonly RegionSpec[];
  neighbours?: readonly NeighbourSpec[];
  /** Which image the kernel embeds and maps: the stripped .so, or the unstripped .so.dbg (powerpc). */
  embeds: 'stripped' | 'unstripped';
  /** Kernel commit(s) / release this row encodes. */
  source: string;
  /** What confirmed it: corpus captures, kernel source, or 'unverified: why'. */
  verified: string;
}
