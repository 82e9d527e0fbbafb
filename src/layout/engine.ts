// The layout engine: from an image (or none), an arch, a kernel version and a page size, where
// the kernel puts the vDSO text and its data pages, relative to the text base (the ELF header,
// which AT_SYSINFO_EHDR points at). Pure: inputs in, a Layout (or a UsageError) out.
import { pagesFor, type ArchName, type VdsoImage } from '../elf/index.js';
import { InputError, NrCpusRangeError, UsageError } from '../errors.js';
import { pageSizeProblem } from './page-size.js';
import { familyOfTask, HAS_32BIT_KERNELS, ONLY_32BIT_KERNELS, TASKS_32, TASKS_OF, type ArchChoice, type KernelFamily } from './arch.js';
import type { NeighbourSpec, PageCount, PerCpuPages, ProfileRow, Role } from './profile-types.js';
import { backportAlternatives, releaseForSelection, selectRow } from './select.js';
import { compareVersions, formatVersion, parseKernelVersion, parseRelease } from './version.js';
import type { Mapping } from '../model/maps.js';

export { selectRow };

export interface LayoutInput {
  image?: VdsoImage;
  /** From --arch. */
  arch?: ArchChoice;
  /** From --kernel, else the capture's uname. */
  kernel?: string;
  kernelFrom?: 'flag' | 'capture';
  pageSize?: bigint;
  pageSizeFrom?: 'flag' | 'auxv' | 'capture';
  /** Kernel pointer size, from --kernel-bits or the capture. */
  kernelBits?: 32 | 64;
  /** A named or user profile replaces the table lookup. */
  profile?: ProfileRow;
  /** Text size when there is no image (synth --text-pages). */
  textPages?: bigint;
  /** Where textPages came from: 'flag' for synth's --text-pages (check passes the capture's own size). */
  textPagesFrom?: 'flag';
  /** The kernel's NR_CPUS, where the capture says it (a boot log's RCU line, sysfs kernel_max): sizes per-CPU data pages. */
  nrCpus?: number;
  /** Where nrCpus came from: 'flag' for --nr-cpus (said when no region uses it). */
  nrCpusFrom?: 'flag';
  /** What said nrCpus, for messages ("the boot's NR_CPUS=64 (line 49)"). */
  nrCpusSaid?: string;
}

export interface ResolvedRegion {
  name?: string;
  role: Role;
  /** Start relative to the text base (negative below it). */
  offset: bigint;
  size: bigint;
  perms: string;
  /** Sizes the check accepts, in pages (data regions); a per-CPU count comes resolved (see perCpu). */
  allowed?: CountOfPages;
  /** A per-CPU region (LoongArch's [vvar]): the NR_CPUS that sized it, or undefined when unknown (allowed is then Kconfig's range). */
  perCpu?: { nrCpus?: number };
  optional?: boolean;
  gapBelowAllowed?: boolean;
  /** Text region: where the ELF header sits inside it (ppc 5.11: one page in). */
  headerOffset?: bigint;
  /** Labels of the pages, low to high, where known. */
  pageRoles?: readonly string[];
  from: 'image-symbols' | 'profile' | 'image' | 'assumed';
}

export interface Layout {
  family: KernelFamily;
  task: ArchName;
  kernelBits: 32 | 64;
  compat: boolean;
  kernelVersion?: string;
  kernelVersionFrom: 'flag' | 'image' | 'capture' | 'newest-profile' | 'profile';
  pageSize: bigint;
  pageSizeFrom: 'image-symbols' | 'flag' | 'auxv' | 'capture' | 'profile-default';
  profile: ProfileRow;
  regions: ResolvedRegion[];
  neighbours: NeighbourSpec[];
  /** The row's neighbours only other tasks get (x86's gate vma for a 32-bit task): lines no kernel prints for this one. */
  othersNeighbours: NeighbourSpec[];
  textPages?: bigint;
  textBytes?: bigint;
  textFrom: 'image' | 'image-estimated-from-dbg' | 'flag' | 'profile' | 'unknown';
  warnings: string[];
  /** Rows a stable backport may have brought into this kernel, whose release does not say its sublevel. */
  backportAlternatives: readonly ProfileRow[];
  /**
   * The offset column of the cluster's lines (ProfileRow.offsetIsStartUntil): 0, the vma's start
   * (a kernel before that release), or either (the row spans it and the release is not known).
   */
  offsetColumn: 'zero' | 'start' | 'either';
}

/**
 * The uprobes XOL page: any arch, created on the first uprobe hit. kernel/events/uprobes.c xol_add_vma():
 * _install_special_mapping(..., VM_EXEC|VM_MAYEXEC|VM_DONTCOPY|VM_IO, ...) -- no VM_READ, so maps prints --xp.
 */
const UPROBES: NeighbourSpec = { name: '[uprobes]', pages: 1, perms: ['--xp'], placement: 'anywhere', optional: true, note: 'execute-out-of-line slots for uprobes (xol_add_vma: VM_EXEC without VM_READ)' };

// Symbols whose values are page-granular offsets of the data area from the text base.
const PAGE_SYMBOLS = ['vvar_start', 'vvar_page', 'hpet_page', 'pvclock_page', 'hvclock_page', 'timens_page', 'vclock_pages',
  '_vdso_data', '_timens_data', 'vdso_u_data', 'vdso_u_time_data', 'vdso_u_rng_data', 'vdso_u_arch_data', '_vdso_datapage'];
const DATA_START_SYMBOLS = ['vdso_u_data', 'vvar_start', '_vdso_data', '_vdso_datapage', 'vvar_page'];
const VALID_PAGE = new Set([4096n, 8192n, 16384n, 65536n, 262144n]);

/** A page count as the check uses it: a per-CPU one resolved for a page size and NR_CPUS. */
export type CountOfPages = Exclude<PageCount, { perCpu: PerCpuPages }>;

export function pageCountValues(p: CountOfPages): { typical: number; accepts: (n: number) => boolean; describe: string } {
  if (typeof p === 'number') return { typical: p, accepts: (n) => n === p, describe: `${p}` };
  if ('oneOf' in p) return { typical: p.oneOf[0], accepts: (n) => p.oneOf.includes(n), describe: p.oneOf.join(' or ') };
  const { min, max } = p;
  return max === undefined
    ? { typical: p.typical, accepts: (n) => n >= min, describe: `at least ${min}` }
    : { typical: p.typical, accepts: (n) => n >= min && n <= max, describe: `${min} to ${max}` };
}

/** A count's per-CPU form (LoongArch's [vvar]), if it is one. */
export const perCpuOf = (p: PageCount | undefined): PerCpuPages | undefined => (typeof p === 'object' && 'perCpu' in p ? p.perCpu : undefined);

/** Pages of a per-CPU area: fixed + ceil((bytesPerCpu × NR_CPUS + extraBytes) / PAGE_SIZE). */
export function perCpuPages(p: PerCpuPages, pageSize: bigint, nrCpus: number): number {
  const bytes = BigInt(p.bytesPerCpu) * BigInt(nrCpus) + BigInt(p.extraBytes);
  return p.fixed + Number((bytes + pageSize - 1n) / pageSize);
}

/**
 * A row's count at `pageSize`: a per-CPU one is exact for a known NR_CPUS, else bounded by
 * Kconfig's range (1, without SMP, to maxCpus); the others as written.
 */
export function resolvePageCount(p: PageCount, pageSize: bigint, nrCpus: number | undefined): CountOfPages {
  const c = perCpuOf(p);
  if (!c) return p as CountOfPages;
  if (nrCpus !== undefined) return perCpuPages(c, pageSize, nrCpus);
  const min = perCpuPages(c, pageSize, 1);
  const max = perCpuPages(c, pageSize, c.maxCpus);
  return min === max ? min : { min, max, typical: perCpuPages(c, pageSize, c.typicalCpus) };
}

export function computeLayout(input: LayoutInput): Layout {
  const warnings: string[] = [];
  const im = input.image;
  // Task ABI and kernel family.
  if (im && !im.arch) throw new UsageError(`image has e_machine ${im.header.machine}, which has no Linux vDSO profile`);
  // A profile names its family: alone, it stands for that family's native task.
  let task: ArchName | undefined = im?.arch ?? input.arch?.task ?? (input.profile ? TASKS_OF[input.profile.family][0] : undefined);
  if (!task) throw new UsageError('no architecture: give --vdso IMAGE or --arch NAME');
  let family: KernelFamily = input.profile?.family ?? input.arch?.family ?? familyOfTask(task);
  if (im && input.arch && !TASKS_OF[input.arch.family].includes(task)) {
    throw new UsageError(`--arch ${input.arch.family} does not run ${task} tasks (the image is ${task})`);
  }
  // Flags that name two families: the lines of either would be the other's (a header saying
  // "ppc64le on a 64-bit x86 kernel").
  if (input.profile && !TASKS_OF[input.profile.family].includes(task)) {
    throw new UsageError(`profile ${input.profile.id} (${input.profile.family}) does not run ${task} tasks (${im ? 'the image' : '--arch'} is ${task})`);
  }
  // An ARM (AArch32) image under a 64-bit kernel is arm64's compat vdso32.
  // So is an arm userland's name (armv8l, armhf: --arch) on a 64-bit kernel.
  if ((!input.arch || input.arch.armTask) && !input.profile && task === 'arm' && input.kernelBits === 64) family = 'arm64';
  const imageBits = im?.header.class;
  // A 32-bit image of a family with 32-bit kernels and no 64-bit userland (parisc) is a 32-bit kernel's unless said.
  const kernelBits: 32 | 64 = input.kernelBits ?? input.arch?.kernelBits ?? (ONLY_32BIT_KERNELS.has(family) ? 32
    : imageBits === 32 && (family === 'x86' && task === 'i386' || family === 'parisc') ? 32 : 64);
  const compat = kernelBits === 64 && (imageBits === 32 || task === 'arm' && family === 'arm64');
  // A kernel of the width given must exist for the family and run the task.
  if (kernelBits === 32 && !HAS_32BIT_KERNELS.has(family)) throw new UsageError(`a 32-bit kernel (--kernel-bits 32) is no ${family} kernel: ${family} kernels are 64-bit`);
  if (kernelBits === 32 && !TASKS_32.has(task)) throw new UsageError(`a 32-bit kernel (--kernel-bits 32) does not run ${task} tasks`);
  if (kernelBits === 64 && ONLY_32BIT_KERNELS.has(family)) throw new UsageError(`a 64-bit kernel (--kernel-bits 64) is no ${family} kernel: ${family} kernels are 32-bit${family === 'arm' ? ' (a 64-bit ARM kernel is arm64)' : ''}`);

  // Kernel version: --kernel, else the image's note, else the capture, else the newest profile.
  let kernelVersion: string | undefined;
  let kernelVersionFrom: Layout['kernelVersionFrom'];
  /** The true x.y.z where known (the image's note, or the release when the note's sublevel is capped). */
  let exactVersion = im?.kernelVersion;
  if (input.kernel && input.kernelFrom === 'flag') { kernelVersion = input.kernel; kernelVersionFrom = 'flag'; }
  else if (im?.kernelVersion) {
    kernelVersion = im.kernelVersion; kernelVersionFrom = 'image';
    // LINUX_VERSION_CODE caps the sublevel at 255 (Makefile: $(shell echo $(SUBLEVEL) | ... 255)),
    // so a note of x.y.255 is x.y.255 or later: the release string, when it has a sublevel, says which.
    const note = parseKernelVersion(im.kernelVersion);
    if (note && note[2] === 255) {
      const rel = input.kernel ? parseRelease(input.kernel) : undefined;
      if (rel?.sublevelKnown && rel.version[0] === note[0] && rel.version[1] === note[1] && rel.version[2] > 255) {
        kernelVersion = formatVersion(rel.version); kernelVersionFrom = 'capture'; exactVersion = kernelVersion;
        warnings.push(`the image's Linux note says ${im.kernelVersion} (LINUX_VERSION_CODE caps the sublevel at 255); the release ${input.kernel} says ${kernelVersion}`);
      } else {
        warnings.push(`the image's Linux note says ${im.kernelVersion}: LINUX_VERSION_CODE caps the sublevel at 255, so the kernel is ${im.kernelVersion} or later (give --kernel with the full release)`);
      }
    }
  }
  else if (input.kernel) { kernelVersion = input.kernel; kernelVersionFrom = 'capture'; }
  else if (input.profile) { kernelVersionFrom = 'profile'; }
  else {
    kernelVersionFrom = 'newest-profile';
    warnings.push(`no kernel version (no --kernel, no Linux note in the image, no uname in the capture): assuming the newest ${family} layout`);
  }
  // Which row: the selection policy (select.ts) from the release string and the note's sublevel.
  const release = releaseForSelection(kernelVersion, input.kernel, kernelVersionFrom === 'image' || exactVersion !== im?.kernelVersion);
  const profile = input.profile ?? selectRow(family, release, warnings, exactVersion);

  // Page size: image symbols, else --page-size, else AT_PAGESZ / capture, else the profile default.
  const syms = new Map((im?.dataPageSymbols ?? []).filter((d) => PAGE_SYMBOLS.includes(d.name) && d.offset < 0n).map((d) => [d.name, d.offset]));
  const dataStart = DATA_START_SYMBOLS.map((n) => syms.get(n)).filter((v): v is bigint => v !== undefined).reduce<bigint | undefined>((a, v) => (a === undefined || v < a ? v : a), undefined);
  const vclockStart = syms.get('vclock_pages');
  // The row's regions this task gets (x86 3.15: the data vma is 32-bit tasks' only).
  const rowRegions = profile.regions.some((r) => r.tasks) ? profile.regions.filter((r) => !r.tasks || r.tasks.includes(task!)) : profile.regions;
  const dataRows = rowRegions.filter((r) => r.role !== 'text' && !r.optional);
  const rowDataPages = dataRows.every((r) => typeof r.pages === 'number') ? dataRows.reduce((a, r) => a + (r.pages as number), 0) : undefined;
  let symbolPage: bigint | undefined;
  // 8K pages are sparc64's alone: elsewhere a quotient of 8K says the row does not fit the image.
  const pageOk = (p: bigint) => VALID_PAGE.has(p) && (p !== 8192n || profile.pageSizes.includes(8192));
  if (dataStart !== undefined) {
    const total = -dataStart;
    if (rowDataPages && total % BigInt(rowDataPages) === 0n && pageOk(total / BigInt(rowDataPages))) symbolPage = total / BigInt(rowDataPages);
    else {
      let g = 0n;
      for (const v of syms.values()) { let a = -v; let b = g; while (b) [a, b] = [b, a % b]; g = a; }
      if (pageOk(g)) symbolPage = g;
    }
  }
  let pageSize: bigint;
  let pageSizeFrom: Layout['pageSizeFrom'];
  if (symbolPage !== undefined) {
    pageSize = symbolPage; pageSizeFrom = 'image-symbols';
    if (input.pageSize !== undefined && input.pageSize !== symbolPage) warnings.push(`the image's data symbols say ${symbolPage}-byte pages, not ${input.pageSize} (${input.pageSizeFrom})`);
  } else if (input.pageSize !== undefined) {
    pageSize = input.pageSize; pageSizeFrom = input.pageSizeFrom ?? 'flag';
  } else {
    pageSize = BigInt(profile.defaultPageSize); pageSizeFrom = 'profile-default';
    if (profile.pageSizes.length > 1) warnings.push(`no page size (no data symbols, --page-size or AT_PAGESZ): assuming ${pageSize}; ${family} kernels also run ${profile.pageSizes.filter((p) => BigInt(p) !== pageSize).join(', ')}`);
  }
  if (pageSizeProblem(pageSize)) throw new InputError(`page size (${pageSizeFrom}): ${pageSizeProblem(pageSize)}`); // defence in depth: callers validate with a position
  if (!profile.pageSizes.includes(Number(pageSize))) {
    const sizes = profile.pageSizes.join(', ');
    const from = { 'image-symbols': "the image's data symbols", flag: '--page-size', auxv: 'AT_PAGESZ', capture: 'the capture', 'profile-default': 'the profile' }[pageSizeFrom];
    if (profile.pageSizesComplete) throw new UsageError(`${pageSize}-byte pages (${from}) are no ${family} kernel's: ${family} kernels have ${sizes}-byte pages only`);
    warnings.push(`${pageSize}-byte pages are unusual for ${family} (profile ${profile.id} lists ${sizes})`);
  }

  // Text size: the image as the kernel embeds it, in pages.
  let textBytes: bigint | undefined;
  let textFrom: Layout['textFrom'] = 'unknown';
  if (im) {
    if (profile.embeds === 'unstripped') {
      textBytes = im.header.shnum > 0 ? im.header.shoff + BigInt(im.header.shnum * im.header.shentsize) : im.fileSize;
      textFrom = 'image';
      if (!im.unstripped) warnings.push(`${family} embeds the unstripped .so.dbg; this image is stripped, so the [vdso] size may come out short`);
    } else {
      textBytes = im.imageSize;
      textFrom = im.imageSizeSource === 'estimated-from-dbg' ? 'image-estimated-from-dbg' : 'image';
      if (textFrom === 'image-estimated-from-dbg') warnings.push(`text size estimated from the unstripped image (${im.fileSize} bytes -> ~${im.imageSize} stripped): the page count is derived, not read`);
    }
  } else if (input.textPages !== undefined) {
    textFrom = 'flag';
  }
  let textPages = textBytes !== undefined ? pagesFor(textBytes, pageSize) : input.textPages;
  // A text vma of fixed size (sh's one page): the row's, whatever the image or the capture says.
  const textSpec = rowRegions.find((r) => r.role === 'text');
  const fixedText = textSpec?.fixedPagesTasks && !textSpec.fixedPagesTasks.includes(task) ? undefined : textSpec?.fixedPages;
  if (fixedText !== undefined) {
    if (textPages !== undefined && textPages !== BigInt(fixedText)) {
      // The capture's own size (check passes its anchor's) is the comparison's to judge; the image's and --text-pages are said here.
      if (textFrom !== 'flag') warnings.push(`the image needs ${textPages} pages, but ${family} maps ${fixedText} whatever its size (profile ${profile.id}): the kernel would cut it short`);
      else if (input.textPagesFrom === 'flag') warnings.push(`--text-pages ${textPages} is not used: ${family} maps ${fixedText} page${fixedText === 1 ? '' : 's'} whatever the image (profile ${profile.id})`);
    }
    textPages = BigInt(fixedText);
    textFrom = 'profile';
  }

  // Data sizes from the symbols, when present, override the table.
  const dataFromSymbols = new Map<Role, bigint>();
  if (dataStart !== undefined && rowRegions.some((r) => r.role === 'data')) {
    const total = -dataStart;
    if (vclockStart !== undefined && rowRegions.some((r) => r.role === 'vclock')) {
      dataFromSymbols.set('vclock', -vclockStart);
      dataFromSymbols.set('data', total + vclockStart);
    } else if (vclockStart === undefined && !rowRegions.some((r) => r.role === 'vclock')) {
      dataFromSymbols.set('data', total);
    } else if (rowRegions.some((r) => r.role === 'vclock') && family === 'x86' && total > 4n * pageSize) {
      // x86 6.15+: vvar_start = vdso_u_data = . - __VDSO_PAGES * PAGE_SIZE spans [vvar] + [vvar_vclock]
      // (arch/x86/entry/vdso/common/vdso-layout.lds.S, VDSO_VVAR_SYMS).
      const vclock = BigInt(pageCountValues(resolvePageCount(rowRegions.find((r) => r.role === 'vclock')!.pages!, pageSize, input.nrCpus)).typical) * pageSize;
      dataFromSymbols.set('vclock', vclock);
      dataFromSymbols.set('data', total - vclock);
    }
  }

  // Place the regions: the text region's vma starts headerOffset below the text base.
  const textIndex = rowRegions.findIndex((r) => r.role === 'text');
  if (textIndex < 0) throw new UsageError(`profile ${profile.id} has no text region`);
  const regions: ResolvedRegion[] = rowRegions.map((r) => {
    if (r.role === 'text') {
      const before = BigInt(r.dataPagesBefore ?? 0);
      const after = BigInt(r.dataPagesAfter ?? 0);
      const tp = textPages ?? 1n;
      if (textPages === undefined) warnings.push('no image and no --text-pages: the [vdso] size is unknown (shown as 1 page)');
      return {
        name: r.name, role: r.role, offset: -before * pageSize, size: (before + tp + after) * pageSize, perms: r.perms,
        headerOffset: before * pageSize, optional: r.optional, gapBelowAllowed: r.gapBelowAllowed,
        // Per-page labels are for the diagram; a region of absurd size (a corrupt capture) gets none.
        pageRoles: before + tp + after <= 256n ? [...Array(Number(before)).fill('data'), ...Array(Number(tp)).fill('text'), ...Array(Number(after)).fill('data')] : undefined,
        from: textPages === undefined ? 'assumed' : textFrom === 'flag' || textFrom === 'profile' ? 'profile' : 'image',
      };
    }
    const fromSym = dataFromSymbols.get(r.role);
    const allowed = r.pages === undefined ? undefined : resolvePageCount(r.pages, pageSize, input.nrCpus);
    const spec = perCpuOf(r.pages);
    const perCpu = spec ? { nrCpus: input.nrCpus } : undefined;
    // An NR_CPUS past Kconfig's range is no kernel of this row's: its size would be a guess's.
    if (spec && input.nrCpus !== undefined && input.nrCpus > spec.maxCpus) {
      throw new NrCpusRangeError(`${input.nrCpusSaid ?? `NR_CPUS ${input.nrCpus}`} is past what ${family} builds (Kconfig's NR_CPUS range ends at ${spec.maxCpus}; profile ${profile.id}): another kernel's`, family);
    }
    const pc = pageCountValues(allowed ?? 1);
    const size = fromSym ?? BigInt(pc.typical) * pageSize;
    if (fromSym !== undefined && r.pages !== undefined && !pc.accepts(Number(fromSym / pageSize))) {
      warnings.push(`the image's symbols give ${r.name ?? r.role} ${fromSym / pageSize} pages; profile ${profile.id} expects ${pc.describe}`);
    }
    const named = r.nameOnlyWithTextPages === undefined || textPages === undefined || textPages === BigInt(r.nameOnlyWithTextPages);
    return {
      name: named ? r.name : undefined, role: r.role, offset: 0n, size, perms: r.perms, allowed, perCpu, optional: r.optional,
      gapBelowAllowed: r.gapBelowAllowed, pageRoles: r.pageRoles, from: fromSym !== undefined ? 'image-symbols' : 'profile',
    };
  });
  // A flag that sizes nothing is said, as --text-pages is: the user may think it pinned something.
  if (input.nrCpusFrom === 'flag' && input.nrCpus !== undefined && !regions.some((r) => r.perCpu)) {
    warnings.push(`--nr-cpus ${input.nrCpus} is not used: profile ${profile.id} does not size its data pages by NR_CPUS`);
  }
  // Offsets: below the text, stack downwards; above, upwards. Optional regions are placed
  // where they would be; synthesis leaves them out.
  let cursor = regions[textIndex].offset;
  for (let i = textIndex - 1; i >= 0; i--) { cursor -= regions[i].size; regions[i].offset = cursor; }
  cursor = regions[textIndex].offset + regions[textIndex].size;
  for (let i = textIndex + 1; i < regions.length; i++) { regions[i].offset = cursor; cursor += regions[i].size; }

  const neighbours: NeighbourSpec[] = [];
  const othersNeighbours: NeighbourSpec[] = [];
  for (const n of [...(profile.neighbours ?? []), UPROBES]) (!n.tasks || n.tasks.includes(task) ? neighbours : othersNeighbours).push(n);
  return {
    family, task, kernelBits, compat, kernelVersion, kernelVersionFrom, pageSize, pageSizeFrom, profile, regions, neighbours, othersNeighbours,
    textPages, textBytes, textFrom, warnings,
    backportAlternatives: input.profile ? [] : backportAlternatives(family, release, exactVersion),
    offsetColumn: offsetColumnOf(profile, kernelVersionFrom === 'newest-profile' || kernelVersionFrom === 'profile' ? undefined : kernelVersion),
  };
}

/** The cluster's offset column for this row and release (ProfileRow.offsetIsStartUntil). */
function offsetColumnOf(row: ProfileRow, version: string | undefined): Layout['offsetColumn'] {
  const until = row.offsetIsStartUntil !== undefined ? parseKernelVersion(row.offsetIsStartUntil) : undefined;
  if (!until) return 'zero';
  const v = version !== undefined ? parseKernelVersion(version) : undefined;
  if (v) return compareVersions(v, until) < 0 ? 'start' : 'zero';
  const since = parseKernelVersion(row.since);
  return since && compareVersions(since, until) >= 0 ? 'zero' : 'either';
}

/** The maps lines the kernel prints for this layout with the text base at `base`; optional regions ([gic]) only with `optionalToo` (a check expects them where the capture has them). */
export function synthesize(layout: Layout, base: bigint, opts: { optionalToo?: boolean } = {}): Mapping[] {
  // Arrays a check passes between functions are built by push, not map()/filter(): V8's
  // optimized map() returns a holey array where the builtin returns a packed one (filter() the
  // other way round), and code compiled for one kind deoptimizes on meeting the other.
  const out: Mapping[] = [];
  for (const r of layout.regions) {
    if (r.optional && !opts.optionalToo) continue;
    out.push({
      start: base + r.offset, end: base + r.offset + r.size, perms: r.perms, offset: layout.offsetColumn === 'start' ? base + r.offset : 0n, major: 0, minor: 0, inode: 0n,
      name: r.name, rawName: r.name, kind: r.name === undefined ? 'anonymous' : r.role === 'text' ? 'vdso' : r.role === 'vclock' ? 'vvar_vclock' : r.role === 'gic' ? 'gic' : 'vvar',
      deleted: false, addrDigits: 8,
    });
  }
  return out;
}

/** A believable 32-bit kernel's vDSO base, for the families whose TASK_SIZE is below 0xf7ef0000. */
const TOP_32: Partial<Record<KernelFamily, bigint>> = { x86: 0xb7f00000n, arm: 0xb6ff0000n, riscv: 0x9ff00000n, mips: 0x77f00000n, powerpc: 0xb7f00000n };

/** A believable text base when the user gives none (page-aligned, in the usual area). */
export function defaultBase(layout: Layout): bigint {
  const top: Record<KernelFamily, bigint> = {
    x86: 0x7ffff7fc0000n, arm64: 0xfffff7ff0000n, arm: 0xb6ff0000n, powerpc: 0x7fffb7f00000n, s390: 0x3fffdf80000n,
    riscv: 0x3fffff0000n, mips: 0xfffff00000n, loongarch: 0x7ffff7f00000n,
    // sparc64: above the VA hole (TASK_UNMAPPED_BASE on UltraSPARC I/II, as QEMU's sun4u).
    sparc: 0xfffff80100100000n,
    // parisc64's 64-bit tasks (which no userland has): below a 42-bit TASK_SIZE's stack.
    parisc: 0x3fef0000000n, sh: 0x29556000n,
  };
  // sh: TASK_UNMAPPED_BASE = PAGE_ALIGN(0x7c000000 / 3), the first page at or above a third.
  if (layout.family === 'sh') return (0x7c000000n / 3n + layout.pageSize - 1n) / layout.pageSize * layout.pageSize;
  // A 32-bit task: near the top of 4 GiB as a 64-bit kernel's compat task; on a 32-bit kernel,
  // below its TASK_SIZE (i386 0xc0000000, arm 0xbf000000: 0xf7ef0000 was lines no such kernel prints).
  const under32 = layout.kernelBits === 32 ? TOP_32[layout.family] : undefined;
  const base = taskBits(layout) === 32 ? under32 ?? 0xf7ef0000n : top[layout.family];
  return base - (base % layout.pageSize);
}

/** The width of the task's addresses: 32 on a 32-bit kernel, for compat tasks and for x32's ILP32; else 64. */
export function taskBits(layout: Layout): 32 | 64 {
  return layout.kernelBits === 32 || layout.compat || TASKS_32.has(layout.task) ? 32 : 64;
}
