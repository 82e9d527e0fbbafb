// Step 1 of a check, resolve: the inputs (a maps block and what the command line and the capture
// said) → what is known before any layout. The one place the check asks evidence.ts what the
// maps alone say. Pure; throws only for inputs no check can use (UsageError, InputError).
import type { VdsoImage } from '../elf/index.js';
import { InputError, UsageError } from '../errors.js';
import { familiesRunning, familyOfPlatform, HAS_32BIT_KERNELS, namesKernel64, noProfileFor, ONLY_32BIT_KERNELS, taskBitsOfPlatform, type ArchChoice, type KernelFamily } from '../layout/arch.js';
import { pageMisfit, pageSizeProblem } from '../layout/page-size.js';
import type { ProfileRow } from '../layout/profile-types.js';
import { TEXT_ONLY_FAMILIES } from '../layout/profiles/index.js';
import type { Auxv } from '../model/auxv.js';
import type { MapsBlock } from '../model/capture.js';
import type { Mapping } from '../model/maps.js';
import { evidenceAgainst, familyEvidence, FAMILIES, granularityOf, stackRulesOutPage, type FamilyEvidence } from './evidence.js';

export interface CheckContext {
  input: string;
  image?: VdsoImage;
  /** The vDSO bytes dumped from the target (bundle, live): identity is compared with `image`. */
  dumpedImage?: VdsoImage;
  /** `image` is --vdso's (the user's file), not the bytes the target dumped. */
  imageFromFlag?: boolean;
  auxv?: Auxv;
  arch?: ArchChoice;
  /** --kernel (flag) or the capture's uname -r. */
  kernel?: string;
  /** The x.y.z the capture's Debian build string names where `kernel` (its ABI name) hides the sublevel. */
  kernelUpstream?: string;
  kernelFrom?: 'flag' | 'capture';
  pageSize?: bigint;
  /** Where pageSize comes from: --page-size, the capture (a bundle's header) or AT_PAGESZ; without pageSize, AT_PAGESZ of auxv is used. */
  pageSizeFrom?: 'flag' | 'capture' | 'auxv';
  profile?: ProfileRow;
  kernelBits?: 32 | 64;
  /** uname -m seen in the capture. */
  machine?: ArchChoice;
  /** NR_CPUS the capture says (its boot's RCU line, a bundle's kernel-max): sizes per-CPU data pages. */
  nrCpus?: number;
  /** 'flag' when nrCpus is --nr-cpus's. */
  nrCpusFrom?: 'flag';
  /** What said nrCpus, for messages. */
  nrCpusSaid?: string;
}

/** What a check knows about one process before it computes a layout. */
export interface Known {
  ctx: CheckContext;
  maps: readonly Mapping[];
  /** Vmas in the block (kept or not): how much the page granularity says. */
  vmaCount: number;
  kernelBits?: 32 | 64;
  /** The family the profile, --arch or the capture's uname -m names (not uname -m against an image's own arch). */
  family?: KernelFamily;
  /** --kernel or the capture's uname -r, else the image's Linux note. */
  version?: string;
  /** AT_SYSINFO_EHDR. */
  auxvBase?: bigint;
  /** The page size when given (flag) or read (AT_PAGESZ); undefined when only the capture can say. */
  fixedPage?: bigint;
  pageFrom: 'flag' | 'auxv' | 'capture';
  /** A 64-bit kernel, and every vma below 4 GiB: a 32-bit (compat) task. */
  compatCapture: boolean;
  /** The process is a 32-bit task: a 32-bit kernel's, a compat one, or low-only lines of unread width. */
  task32: boolean;
  /** Nothing names the family (no profile, image, --arch or uname -m): what the maps say. */
  evidence?: FamilyEvidence;
  /** The largest power of two every vma boundary is a multiple of. */
  granularity: bigint;
  /** What names the family, and the capture's hints against it (not decisive: said, not refused). */
  doubted?: { by: string; hints: string[] };
}

/**
 * The architecture something other than the maps lines names, and what names it: a profile,
 * --arch, the image or the capture's uname -m (a task ABI: arm runs on arm and arm64). In that
 * order, as the check chooses its layout (README "How check chooses").
 */
function claimOf(ctx: CheckContext): { families: KernelFamily[]; by: string; uname: boolean; flag: boolean } | undefined {
  if (ctx.profile) return { families: [ctx.profile.family], by: `profile ${ctx.profile.id} (${ctx.profile.family})`, uname: false, flag: true };
  if (ctx.arch?.armTask) return { families: familiesRunning('arm'), by: `--arch ${ctx.arch.name ?? ctx.arch.task} (an arm task: arm, or arm64's compat)`, uname: false, flag: true };
  if (ctx.arch) return { families: [ctx.arch.family], by: `--arch ${ctx.arch.name ?? ctx.arch.task} (${ctx.arch.family})`, uname: false, flag: true };
  const task = ctx.image?.arch;
  if (task) return { families: familiesRunning(task), by: `the image (${task})`, uname: false, flag: ctx.imageFromFlag === true };
  // uname -m names the task's machine: armv8l is an arm task on an arm kernel or on arm64's compat.
  const machine = ctx.machine?.task;
  if (machine) return { families: familiesRunning(machine), by: `the capture's uname -m (${ctx.machine?.name ?? machine})`, uname: true, flag: false };
  return undefined;
}

/**
 * A flag naming a [vdso]-only family (parisc, sh) where the lines' own facts leave others too:
 * their kernels print that lone [vdso] once they lose their data pages, so the pass rests on the
 * flag alone (an i386 paste of 3.x passed --arch hppa in silence). Said, not refused.
 */
function textOnlyDoubt(block: MapsBlock, claim: { families: KernelFamily[]; flag: boolean } | undefined, ctx: CheckContext): string | undefined {
  if (!claim?.flag || !claim.families.every((f) => TEXT_ONLY_FAMILIES.has(f))) return undefined;
  // The bytes the target dumped, of the family named, are the kernel's own word.
  const own = ctx.imageFromFlag ? ctx.dumpedImage : ctx.image;
  if (own?.arch && familiesRunning(own.arch).every((f) => claim.families.includes(f))) return undefined;
  const others = familyEvidence(block).families.filter((f) => !TEXT_ONLY_FAMILIES.has(f));
  return others.length ? `the lines also fit ${others.join(', ')}, whose kernels print a lone [vdso] once they lose their data pages` : undefined;
}

/**
 * The kernel family uname -m or --arch says, read with the kernel's width: armv8l (and armv7l,
 * armhf…) is an arm task, on an arm kernel or, where the lines are a 64-bit kernel's, on arm64's
 * compat. Other names name their family whatever the width.
 */
function familyNamed(machine: ArchChoice | undefined, kernelBits: 32 | 64 | undefined): KernelFamily | undefined {
  if (!machine || kernelBits !== 64) return machine?.family;
  const on64 = familiesRunning(machine.task).filter((f) => !ONLY_32BIT_KERNELS.has(f));
  return on64.length === 1 ? on64[0] : machine.family;
}

const doubtOf = (claim: { by: string } | undefined, hints: string[], textOnly: string | undefined): Known['doubted'] => {
  const all = textOnly ? [...hints, textOnly] : hints;
  return claim && all.length ? { by: claim.by, hints: all } : undefined;
};

/**
 * An image whose task two families run (arm: an arm kernel's, or arm64's compat) over lines of
 * unread width: the kernel the lines' own facts leave, where they leave one. With the compat
 * task's own vdso32.so, a capture whose vmas end above arm's user space was judged as an arm
 * kernel's, and failed.
 */
function imageKernelBits(block: MapsBlock, ctx: CheckContext): 32 | 64 | undefined {
  const task = ctx.image?.arch;
  if (!task || ctx.profile || ctx.arch || ctx.machine) return undefined;
  const running = familiesRunning(task);
  if (running.length < 2) return undefined;
  const left = running.filter((f) => evidenceAgainst(block, [f]).decisive.length === 0);
  if (left.length !== 1) return undefined;
  return ONLY_32BIT_KERNELS.has(left[0]) ? 32 : !HAS_32BIT_KERNELS.has(left[0]) ? 64 : undefined;
}

/**
 * The lines' evidence with the family AT_PLATFORM names: decided, where the kernel's own facts
 * in the lines leave it (an x86_64 paste whose lines also fit riscv is x86's); refused where
 * they rule it out (no kernel prints both).
 */
function withPlatform(lines: FamilyEvidence, block: MapsBlock, platform: string, family: KernelFamily, input: string | undefined): FamilyEvidence {
  if (lines.conflict || lines.foreign) return lines;
  const against = evidenceAgainst(block, [family]).decisive;
  if (against.length) throw new InputError(`the process's own AT_PLATFORM ${platform} (${family}) does not fit its own lines: ${against.join('; ')}`, { file: input, line: block.firstLine });
  return { ...lines, families: [family], known: true, alsoForeign: undefined, reasons: [...lines.reasons, `AT_PLATFORM ${platform} (${family})`] };
}

export function resolve(block: MapsBlock, ctx: CheckContext): Known {
  // Callers validate page sizes where they enter (flag, AT_PAGESZ, bundle header); this is defence in depth.
  for (const [v, from] of [[ctx.pageSize, 'page size'], [ctx.auxv?.pageSize, 'AT_PAGESZ']] as const) {
    const problem = v !== undefined ? pageSizeProblem(v) : undefined;
    if (problem) throw new InputError(`${from}: ${problem}`);
  }
  const maps = block.mappings;
  const linesBits = ctx.kernelBits ?? block.kernelBits;
  const kernelBits = linesBits ?? ctx.machine?.kernelBits ?? ctx.arch?.kernelBits ?? imageKernelBits(block, ctx);
  // --kernel-bits is for lines that do not tell (pastes whose padding was lost); where they do, a
  // flag against them would pass lines formatted for the other width, not the capture's.
  if (ctx.kernelBits !== undefined && block.kernelBits !== undefined && ctx.kernelBits !== block.kernelBits) {
    throw new UsageError(`--kernel-bits ${ctx.kernelBits} does not fit this capture's own lines: ${block.kernelBits}-bit kernel lines (address width, name column)`);
  }
  // A 64-bit kernel's machine name over 32-bit kernel lines is two kernels' words: judged by the
  // name's family, i386 lines passed as powerpc-6.15 under --arch ppc64le.
  // (A family without 32-bit kernels is ruled out by the lines' width itself, below.)
  const named64 = (c: ArchChoice | undefined): c is ArchChoice => c !== undefined && HAS_32BIT_KERNELS.has(c.family) && namesKernel64(c);
  if (linesBits === 32) {
    const why = `${ctx.kernelBits === 32 ? '--kernel-bits 32' : '32-bit kernel lines (address width, name column)'}, and only a 64-bit kernel prints that name`;
    if (named64(ctx.arch) && !ctx.profile) throw new UsageError(`--arch ${ctx.arch.name} does not fit this capture's own lines: ${why}`);
    if (named64(ctx.machine)) throw new InputError(`the capture's uname -m ${ctx.machine.name} does not fit the process's own lines: ${why}`, { file: ctx.input, line: block.firstLine });
  }
  // A kernel maps nothing finer than its page: a vma boundary that is no multiple of the page size
  // given says it is not this capture's kernel's (judged, it failed every cluster vma's size).
  const granularity = granularityOf(block.evidence?.boundaryBits ?? 0);
  const [fixedPage, pageFrom] = ctx.pageSize !== undefined ? [ctx.pageSize, ctx.pageSizeFrom ?? 'flag'] as const
    : ctx.auxv?.pageSize !== undefined ? [ctx.auxv.pageSize, 'auxv'] as const : [undefined, 'capture'] as const;
  if (fixedPage !== undefined && granularity < fixedPage) {
    // The vma off the page may be one the reader did not keep: the boundaries it saw say so.
    const why = pageMisfit(maps, fixedPage) ?? `its vma boundaries are not on ${fixedPage}-byte pages, and a kernel maps nothing finer than its page`;
    if (pageFrom === 'flag') throw new UsageError(`--page-size ${fixedPage} does not fit this capture's own lines: ${why}`);
    throw new InputError(`${pageFrom === 'auxv' ? 'AT_PAGESZ' : 'the bundle\'s "pagesize:"'} ${fixedPage} does not fit the process's own maps lines: ${why}`, { file: ctx.input, line: block.firstLine });
  }
  // What names the family must fit the capture: where the kernel's own facts in the lines rule
  // it out, nothing can be judged; where only the toolchain's do, the result says so.
  // --profile, and --arch or the image, each name the family: a profile whose family does not run
  // the other's task is two kernels' words (the profile won in silence, where synth refuses the
  // pair; against the image the engine blamed an --arch nobody gave).
  for (const [task, said] of [[ctx.arch?.task, `--arch is ${ctx.arch?.name ?? ctx.arch?.task}`], [ctx.image?.arch, `the image is ${ctx.image?.arch}`]] as const) {
    if (ctx.profile && task && !familiesRunning(task).includes(ctx.profile.family)) {
      throw new UsageError(`profile ${ctx.profile.id} (${ctx.profile.family}) does not run ${task} tasks (${said})`);
    }
  }
  const claim = claimOf(ctx);
  // The capture's uname -m is the kernel's own word too: a profile, --arch or image of another
  // family would judge its lines by a layout its kernel never had (an x86_64 log passed as riscv-6.15).
  const said = ctx.machine;
  if (claim && said && !claim.uname && !claim.families.some((f) => familiesRunning(said.task).includes(f))) {
    throw new UsageError(`${claim.by} does not fit this capture's own uname -m ${said.name ?? said.task} (${familiesRunning(said.task).join(', ')})`);
  }
  // The aux vector's AT_PLATFORM (LD_SHOW_AUXV's text) is the kernel's own word for its family
  // too: ELF_PLATFORM, a string no two families share.
  const platform = ctx.auxv?.platform;
  const platformFamily = platform !== undefined ? familyOfPlatform(platform) : undefined;
  if (platformFamily && claim && !claim.families.includes(platformFamily)) {
    const why = `${claim.by} does not fit this process's own AT_PLATFORM ${platform} (${platformFamily})`;
    if (claim.flag) throw new UsageError(why);
    throw new InputError(why, { file: ctx.input, line: block.firstLine });
  }
  const against = claim ? evidenceAgainst(block, claim.families) : undefined;
  if (against?.decisive.length) throw new UsageError(`${claim!.by} does not fit this capture's own lines: ${against.decisive.join('; ')}`);
  const lowOnly = maps.every((m) => m.end <= 0x100000000n);
  const compatCapture = kernelBits === 64 && lowOnly && maps.length > 0;
  // Lines whose kernel width is unread (spacing a forum collapsed) with every vma below 4 GiB are
  // a 32-bit task's, on either kernel: a 64-bit task's stack and vDSO sit near the top of its
  // user space, above 4 GiB on every 64-bit family (judged as aarch64, an arm task's [sigpage]
  // and [vectors] failed as foreign to it).
  const task32 = kernelBits === 32 || compatCapture || (kernelBits === undefined && lowOnly && maps.length > 0);
  // x86 and arm64 give a compat task its own AT_PLATFORM (i686, v8l): one of the other width's is
  // another process's aux vector, whose AT_SYSINFO_EHDR would be judged against these lines.
  const platformBits = platform === undefined ? undefined : taskBitsOfPlatform(platform);
  if (platformBits !== undefined && maps.length > 0 && (platformBits === 32) !== task32) {
    throw new InputError(`the process's own AT_PLATFORM ${platform} is a ${platformBits}-bit task's, but its lines are a ${task32 ? 32 : 64}-bit task's (${task32 ? 'every vma below 4 GiB' : 'vmas above 4 GiB'}): the aux vector is another process's`, { file: ctx.input, line: block.firstLine });
  }
  // An arm task named on a 64-bit kernel's lines is arm64's compat: a 64-bit task cannot be it.
  if (ctx.arch?.armTask && !ctx.profile && kernelBits === 64 && maps.length > 0 && !compatCapture) {
    throw new UsageError(`--arch ${ctx.arch.name ?? ctx.arch.task} (an arm task) does not fit this capture's own lines: a 64-bit task on a 64-bit kernel (vmas above 4 GiB)`);
  }
  // So for the capture's own uname -m: an arm task's name over a 64-bit task's lines (armv7l over
  // arm64's, which passed as arm64-5.9) is two machines' words.
  if (ctx.machine?.armTask && kernelBits === 64 && maps.length > 0 && !compatCapture) {
    throw new InputError(`the capture's uname -m ${ctx.machine.name ?? ctx.machine.task} (an arm task) does not fit the process's own lines: a 64-bit task on a 64-bit kernel (vmas above 4 GiB)`, { file: ctx.input, line: block.firstLine });
  }
  const family = ctx.profile?.family ?? (ctx.arch ? familyNamed(ctx.arch, kernelBits) : undefined) ?? (ctx.image?.arch ? undefined : familyNamed(ctx.machine, kernelBits));
  const lines = ctx.profile || ctx.image || family ? undefined
    : familyEvidence(block, kernelBits === 32 ? FAMILIES.filter((f) => HAS_32BIT_KERNELS.has(f)) : FAMILIES);
  const evidence = lines && platformFamily ? withPlatform(lines, block, platform!, platformFamily, ctx.input) : lines;
  // Lines that carry two families' facts are no kernel's: judged against either, they could pass.
  if (evidence?.foreign) {
    const { why, arches } = evidence.foreign;
    throw new InputError(`the process's own lines are ${arches.map((a) => `${a}'s`).join(' or ')} (${why}): ${noProfileFor(arches.join(' or '))}, so no layout can judge them`, { file: ctx.input, line: block.firstLine });
  }
  if (evidence?.conflict) {
    throw new InputError(`the process's own lines contradict each other: ${evidence.conflict}; no kernel prints both, so no layout can judge them`, { file: ctx.input, line: block.firstLine });
  }
  // A page size given is held to the stack's top too: at 4K, a 16K loongarch kernel's lines passed
  // as a 4K kernel's (its [vvar] then accepted at 4 to 35 pages). The families are what names
  // them, else the lines' own. (A flag against the capture's own AT_PAGESZ is refused as that,
  // after the check: inputs.ts.)
  if (fixedPage !== undefined && !(pageFrom === 'flag' && ctx.auxv?.pageSize !== undefined && ctx.auxv.pageSize !== fixedPage)) {
    const why = stackRulesOutPage(block, fixedPage, claim?.families ?? evidence?.families ?? []);
    if (why && pageFrom === 'flag') throw new UsageError(`--page-size ${fixedPage} does not fit this capture's own lines: ${why}`);
    if (why) throw new InputError(`${pageFrom === 'auxv' ? 'AT_PAGESZ' : 'the bundle\'s "pagesize:"'} ${fixedPage} does not fit the process's own maps lines: ${why}`, { file: ctx.input, line: block.firstLine });
  }
  return {
    ctx, maps, vmaCount: block.total, kernelBits, family, version: ctx.kernel ?? ctx.image?.kernelVersion,
    auxvBase: ctx.auxv?.sysinfoEhdr,
    fixedPage,
    pageFrom,
    compatCapture,
    task32,
    evidence,
    granularity,
    doubted: doubtOf(claim, against?.hints ?? [], textOnlyDoubt(block, claim, ctx)),
  };
}
