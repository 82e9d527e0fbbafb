import type { ArchName } from '../elf/index.js';
import type { KernelFamily } from './arch.js';

export type Role = 'data' | 'vclock' | 'text' | 'gic';

/**
 * A page count: exact, one of a few (config-dependent), at least N (up to `max` where bounded;
 * typical for synth), or sized by NR_CPUS (`perCpu`, which the engine turns into one of the others).
 */
export type PageCount = number | { oneOf: readonly number[] } | { min: number; max?: number; typical: number } | { perCpu: PerCpuPages };

/**
 * Pages sized by the kernel's NR_CPUS: `fixed` whole pages, then one `bytesPerCpu` record per
 * possible CPU plus `extraBytes`, rounded up to whole pages (LoongArch's vdso_pcpu_data, one
 * cache line per CPU). NR_CPUS is a Kconfig choice no image or maps line shows: a boot log's RCU
 * line or sysfs's kernel_max says it, else the count is only bounded by Kconfig's range.
 */
export interface PerCpuPages {
  fixed: number;
  bytesPerCpu: number;
  extraBytes: number;
  /** Kconfig's NR_CPUS upper bound (1 without SMP is the lower one). */
  maxCpus: number;
  /** NR_CPUS for synth's typical lines (a distribution's choice). */
  typicalCpus: number;
}

export interface RegionSpec {
  /** As maps prints it; undefined = an unnamed vma. */
  name?: string;
  role: Role;
  /** Data regions: their size. Ignored for the text region (the image decides). */
  pages?: PageCount;
  perms: string;
  /**
   * Text region only: the kernel maps this many pages whatever the image's size (sh installs one
   * PAGE_SIZE page and copies the image into it).
   */
  fixedPages?: number;
  /** fixedPages holds for these task ABIs only (x86 before 3.15: an i386 task's vDSO is one page, a 64-bit task's its image's). */
  fixedPagesTasks?: readonly ArchName[];
  /** Text region only: data pages inside the same vma, before / after the image. */
  dataPagesBefore?: number;
  dataPagesAfter?: number;
  /** The kernel may leave this region out (MIPS [gic] without a GIC). */
  optional?: boolean;
  /** Only tasks of these ABIs get this region; the others have no such vma (x86 3.15: 32-bit tasks only). */
  tasks?: readonly ArchName[];
  /** A gap below this region is legitimate (MIPS cache colouring). */
  gapBelowAllowed?: boolean;
  /** What each page holds, low to high (for the diagram). */
  pageRoles?: readonly string[];
  /**
   * The name shows only when the text is this many pages, else the vma is unnamed: riscv 5.8-5.14
   * named the data vma in arch_vma_name() by "context.vdso + PAGE_SIZE", which is only where the
   * data page is when the image is one page.
   */
  nameOnlyWithTextPages?: number;
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

/** One place in the kernel source a row was read from. */
export interface SourceRead {
  /** The release that tree is, from its top Makefile: "5.6.0", "4.19.325", "4.18.0-553.el8". */
  release: string;
  /** The public repository, owner/name: "torvalds/linux", "gregkh/linux". */
  repo: string;
  /** The commit of the tree that was read (40 hex digits). */
  commit: string;
  /** The file read. */
  file: string;
  /** What it says there: the vvar_start / _vdso_data expression, the mapping order, the page count. */
  says: string;
}

/** A vendor kernel line, chosen by its release string (uname -r) before the mainline version. */
interface VendorMatch {
  /** "RHEL 9", "Android GKI 6.1", "Ubuntu 22.04". */
  name: string;
  /** RegExp source matched against the whole release string. */
  release: string;
}

export interface ProfileRow {
  id: string;
  family: KernelFamily;
  /** First kernel release with this layout (inclusive): "x.y" or "x.y.z". */
  since: string;
  /** First release with the next layout (exclusive); undefined = current. */
  until?: string;
  /**
   * Before this release maps printed these vmas' offset column as their start address: they are
   * inserted by insert_vm_struct(), which sets a fileless vma's vm_pgoff to vm_start >> PAGE_SHIFT,
   * and show_map() printed vm_pgoff << PAGE_SHIFT for every vma until 2.6.30 printed 0 for those
   * without a file. Only rows whose era reaches back before it carry it.
   */
  offsetIsStartUntil?: string;
  /**
   * Stable releases that got this layout by a backport: each "x.y.z" makes x.y.z <= v < x.(y+1)
   * select this row although x.y is outside since..until.
   */
  backports?: readonly string[];
  /** Vendor rows only: the release strings they are chosen for. */
  vendor?: VendorMatch;
  pageSizes: readonly number[];
  /**
   * pageSizes are every page size the family's kernels have (sparc64: 8K, PAGE_SHIFT 13 in every
   * release): another is refused, where elsewhere it is only called unusual (lists that may miss
   * a configuration).
   */
  pageSizesComplete?: true;
  defaultPageSize: number;
  /** Low → high addresses; exactly one region has role 'text'. */
  regions: readonly RegionSpec[];
  neighbours?: readonly NeighbourSpec[];
  /** Which image the kernel embeds and maps: the stripped .so, or the unstripped .so.dbg (powerpc). */
  embeds: 'stripped' | 'unstripped';
  /** The mainline commit(s) that introduced this layout, with their release. */
  source: string;
  /** What the source says decides the layout: expressions, mapping order, data inside [vdso]. */
  layout: string;
  /** Where it was read: the trees at (or next to) the start and the end boundary, at least. */
  read: readonly SourceRead[];
  /** Captures in this repository (paths under samples/) that confirm it; empty when none does. */
  captures: readonly string[];
  /** What the source cannot settle, if anything. */
  open?: string;
}
