// The check as one pipeline: a read capture (and the flags' decoded inputs) in, one CheckResult
// per process out. Resolves what belongs to which process here, not in the command: bundle
// decoding, auxv ↔ maps pairing by label, reader diagnostics per block, uname -m. Pure.
import { parseVdsoImage, type VdsoImage } from '../elf/index.js';
import { pageSizeProblem } from '../layout/page-size.js';
import { BeforeTableError, InputError, UndecidedError, UsageError } from '../errors.js';
import { familiesRunning, foreignArch, noProfileFor, parseUname, type ArchChoice } from '../layout/arch.js';
import { parseKernelVersion, parseRelease } from '../layout/version.js';
import { findBuiltinProfile } from '../layout/user-profile.js';
import { perCpuOf } from '../layout/engine.js';
import type { ProfileRow } from '../layout/profile-types.js';
import { MAX_PROCESSES } from '../capture/limits.js';
import { checkBlock, type CheckContext } from './pipeline.js';
import { granularityOf } from './evidence.js';
import { COMMAND_LINE, type CheckResult, type ErrorKind } from './findings.js';
import type { Auxv } from '../model/auxv.js';
import type { Bundle, Capture, KernelMark, MapsBlock } from '../model/capture.js';

/** What the flags give for every process: decoded already (the shell reads the files). */
export type CheckFlagsInput = Omit<CheckContext, 'input' | 'auxv' | 'machine' | 'dumpedImage' | 'kernelFrom'> & { auxv?: Auxv };

/** A bundle's aux vector and dumped [vdso] image, decoded; problems become notes. */
function bundleInputs(b: Bundle, notes: string[]): { auxv?: Auxv; image?: VdsoImage } {
  let auxv: Auxv | undefined;
  let image: VdsoImage | undefined;
  if (b.auxvOversized) notes.push(`bundle at line ${b.firstLine}: aux vector section larger than 64 KiB: not an aux vector (ignored)`);
  else if (b.auxv) auxv = b.auxv;
  else notes.push(`bundle at line ${b.firstLine}: aux vector unreadable (${b.auxvUnreadable})`);
  if (b.vdso) {
    // The script reads the whole vma: bytes short of it mean a page of the [vdso] could not be read
    // (a patched mips kernel's text installed a page longer than its image: the tail had no page).
    const span = b.vdso.end - b.vdso.start;
    if (BigInt(b.vdso.bytes.length) < span) notes.push(`bundle at line ${b.firstLine}: the [vdso] bytes stop after ${b.vdso.bytes.length} of the vma's ${span} bytes: the rest of it could not be read`);
    const r = parseVdsoImage(b.vdso.bytes, `[vdso] bytes of the bundle at line ${b.firstLine}`);
    if (r.ok) image = r.value; else notes.push(r.error.format());
  } else if (b.vdsoMissing) notes.push(`bundle at line ${b.firstLine}: no [vdso] bytes (${b.vdsoMissing})`);
  if (!b.complete) notes.push(`bundle at line ${b.firstLine} has no END marker (truncated capture?)`);
  return { auxv, image };
}

/**
 * The aux vector of this process: --auxv if its AT_SYSINFO_EHDR lies in this process's
 * mappings, else a dump in the capture whose label pairs with the block's (auxv-X ↔ maps-X).
 */
function auxvFor(block: MapsBlock, cap: Capture, flag: Auxv | undefined, notes: string[]): Auxv | undefined {
  const belongs = (a: Auxv) => a.sysinfoEhdr !== undefined && block.mappings.some((m) => m.start <= a.sysinfoEhdr! && a.sysinfoEhdr! < m.end);
  if (flag) {
    if (cap.blocks.length === 1 || belongs(flag)) return flag;
    notes.push('--auxv does not belong to this process (its AT_SYSINFO_EHDR is in none of the vDSO mappings)');
  }
  const suffix = block.label?.startsWith('maps-') ? block.label.slice(5) : undefined;
  const paired = suffix ? cap.auxvBlocks.find((a) => a.label === `auxv-${suffix}`) : undefined;
  if (!paired) return undefined;
  if (paired.oversized) {
    notes.push(`the aux vector dump at line ${paired.firstLine} is larger than 64 KiB: not an aux vector (ignored)`);
    return undefined;
  }
  if (!paired.auxv) notes.push(`the aux vector at line ${paired.firstLine} could not be read: ${paired.unreadable}`);
  return paired.auxv;
}

/** Reader clean-ups that happened inside this block (or before the first one), as notes. */
function diagnosticsFor(block: MapsBlock, cap: Capture): string[] {
  const out: string[] = [];
  for (const d of cap.diagnostics) {
    // A skipped overlong line ends the block it cut short: said there.
    if ((d.line <= block.lastLine && (d.line >= block.firstLine || block.index === 0)) || (d.code === 'long-line' && d.line === block.lastLine + 1)) {
      out.push(`line ${d.line}: ${d.message}${d.count > 1 ? ` (${d.count} lines)` : ''}`);
    }
  }
  return out;
}

/** A capture's uname -m, or undefined (an unknown one: the lines infer the family). */
const archOr = (name: string | undefined): ArchChoice | undefined => {
  if (!name) return undefined;
  try { return parseUname(name); } catch { return undefined; }
};

type BlockOwn = Pick<CheckContext, 'input' | 'image' | 'dumpedImage' | 'auxv' | 'kernel' | 'kernelFrom' | 'pageSize' | 'pageSizeFrom' | 'machine' | 'nrCpus' | 'nrCpusSaid' | 'kernelUpstream'>;

/**
 * One block's context, every field named in one order: one object shape for all blocks (a
 * spread of the flags made a new shape per call and cost a third of checking 10,000 captures).
 */
function blockContext(flags: CheckFlagsInput, own: BlockOwn): CheckContext {
  return {
    input: own.input, image: own.image, dumpedImage: own.dumpedImage, imageFromFlag: flags.image !== undefined, auxv: own.auxv, arch: flags.arch, kernel: own.kernel, kernelUpstream: own.kernelUpstream,
    kernelFrom: own.kernelFrom, pageSize: own.pageSize, pageSizeFrom: own.pageSizeFrom, profile: flags.profile, kernelBits: flags.kernelBits, machine: own.machine,
    nrCpus: own.nrCpus, nrCpusFrom: flags.nrCpus !== undefined ? 'flag' : undefined,
    nrCpusSaid: flags.nrCpus !== undefined ? `--nr-cpus ${flags.nrCpus}` : own.nrCpusSaid,
  };
}

export function errorResult(file: string, e: unknown, block?: MapsBlock): CheckResult {
  if (!(e instanceof InputError) && !(e instanceof UsageError)) throw e;
  const message = e instanceof InputError ? e.withFile(file).format() : `${file}: ${e.message}`;
  // A UsageError here is a capture its flags do not fit (resolve.ts): refused, not unreadable; an
  // UndecidedError one read whole whose family nothing decides (explain.ts familiesDisagree).
  const errorKind = e instanceof UndecidedError ? 'undecided' : e instanceof InputError ? 'capture' : 'usage';
  return { input: file, block: block?.index ?? 0, label: block?.label, verdict: 'error', message, errorKind, expected: [], actual: [], findings: [], skipped: [], notes: [] };
}

/** Where no capture could be judged (a usage error, an unreadable --vdso, a bug): one error result. */
export function troubleResult(kind: ErrorKind, message: string, input?: string): CheckResult {
  const name = input ?? (kind === 'internal' ? '(internal error)' : COMMAND_LINE);
  return { input: name, block: 0, verdict: 'error', message, errorKind: kind, expected: [], actual: [], findings: [], skipped: [], notes: [] };
}

/**
 * The kernel a process of the log ran under: the boot it belongs to. A log may hold several boots
 * (a reboot, kexec, the next job's boot): each starts at a banner, or at a uname -a or bundle
 * header naming another release (a kernel booted with `quiet` prints no banner). A process before
 * any mark takes the first boot's. What the boot says: its uname (the machine with it), else its
 * banner's release.
 */
export function kernelOf(marks: readonly KernelMark[], line: number): { release?: string; machine?: string; note?: string; since: number; upstream?: string } {
  if (marks.length === 0) return { since: 0 };
  // Boots: a banner, or a release other than the boot's so far, starts one; so does another
  // build string of the same release (Debian keeps an ABI name across stable updates: a quiet
  // reboot into 6.1.115 after 6.1.112 is another kernel).
  const other = (m: KernelMark, upstream: string | undefined) => upstream !== undefined && m.upstream !== undefined && m.upstream !== upstream;
  let start = 0;
  let bootUpstream = marks[0].upstream;
  for (let i = 1; i < marks.length && marks[i].line < line; i++) {
    if (marks[i].banner || marks[i].release !== marks[start].release || other(marks[i], bootUpstream)) { start = i; bootUpstream = marks[i].upstream; }
    else bootUpstream ??= marks[i].upstream;
  }
  let end = start + 1;
  while (end < marks.length && !marks[end].banner && marks[end].release === marks[start].release && !other(marks[end], bootUpstream)) { bootUpstream ??= marks[end].upstream; end++; }
  const boot = marks.slice(start, end);
  const machine = boot.find((m) => m.machine !== undefined)?.machine;
  const first = boot[0];
  // A release named without a banner after another boot's banner: said, as it changes the layout.
  const before = start > 0 ? marks[start - 1] : undefined;
  const named = (m: KernelMark) => (m.upstream !== undefined ? `${m.release} (${m.upstream})` : m.release);
  const note = !first.banner && before !== undefined && (before.release !== first.release || other(first, before.upstream))
    ? `the kernel changed without a boot banner: line ${first.line} names ${named(first)}, after ${named(before)} (line ${before.line}); judged as ${named(first)}`
    : undefined;
  // Where the boot's own boot-time messages start: its banner (start_kernel() prints it before
  // anything else, so a line above it is an earlier boot's or the host's). A first boot with no
  // banner: the log's start. A later one found only by a release change printed none that can be
  // told from the last boot's.
  const since = first.banner ? first.line : start === 0 ? 0 : Infinity;
  return { release: first.release, machine, note, since, upstream: bootUpstream };
}

/** NR_CPUS as a capture says it, and where. */
type OwnNrCpus = { n: number; what: string } | undefined;

/**
 * NR_CPUS as the process's boot said it: its RCU line before the process, its bundle's
 * kernel-max, and the kernel-max of the boot's earlier bundles. A boot prints the RCU line once and
 * has one kernel_max: words that disagree are another boot's or machine's, and the process is not
 * judged by either.
 */
function nrCpusOfCapture(cap: Capture, block: MapsBlock, since: number, bundle: Bundle | undefined): OwnNrCpus {
  const words: Array<{ n: number; line: number; what: string }> = [];
  for (const m of cap.nrCpusMarks) {
    if (m.line >= since && m.line < block.firstLine) words.push({ n: m.nrCpus, line: m.line, what: `the boot's NR_CPUS=${m.nrCpus} (line ${m.line})` });
  }
  for (const b of cap.bundles) {
    if (b.nrCpus === undefined || !(b === bundle || (b.firstLine >= since && b.firstLine < block.firstLine))) continue;
    words.push({ n: b.nrCpus, line: b.firstLine, what: `${b === bundle ? 'the bundle\'s' : `the bundle at line ${b.firstLine} of this boot:`} "kernel-max: ${b.nrCpus - 1}" (NR_CPUS ${b.nrCpus})` });
  }
  if (words.length === 0) return undefined;
  const other = words.find((w) => w.n !== words[0].n);
  if (other) {
    const [a, b] = words[0].line <= other.line ? [words[0], other] : [other, words[0]];
    throw new InputError(`${a.what} and ${b.what} disagree: one of them is another kernel's`, { file: cap.file, line: b.line });
  }
  // The process's own bundle is named first where it speaks; else the boot's last word.
  return words.find((w) => bundle && w.line === bundle.firstLine && bundle.nrCpus !== undefined) ?? words[words.length - 1];
}

/**
 * --nr-cpus against what the capture says of its kernel: another kernel's would size its [vvar]
 * wrong. Only where it sizes something: on a family whose data pages do not grow with NR_CPUS the
 * flag is unused (a note says so), and one CI job's flag for all its architectures must not fail
 * the others.
 */
function nrCpusFlagFits(flag: number | undefined, own: OwnNrCpus, r: CheckResult, profile: ProfileRow | undefined): void {
  if (flag === undefined || !own || own.n === flag || !nrCpusSizes(r, profile)) return;
  throw new UsageError(`--nr-cpus ${flag} does not fit ${own.what}: it would size the per-CPU data for another kernel`);
}

/**
 * What a capture says of itself must agree: its bundle's page size and AT_PAGESZ, its [vdso] bytes
 * and uname -m, the image's Linux note and the release the capture names. Where two disagree the
 * capture is mixed up (another machine's bytes, an edited header), and either could pass it.
 */
function capturesOwnWords(bundle: Bundle | undefined, bundleImage: VdsoImage | undefined, machine: ArchChoice | undefined, auxv: Auxv | undefined,
  flags: CheckFlagsInput, kernel: string | undefined, logRelease: string | undefined, file: string, granularity: bigint): void {
  const at = bundle ? { file, line: bundle.firstLine } : { file };
  // (A header some vma boundary is finer than is refused as not fitting the lines, in resolve.)
  if (bundle?.pageSize !== undefined && auxv?.pageSize !== undefined && bundle.pageSize !== auxv.pageSize && flags.pageSize === undefined
    && granularity % bundle.pageSize === 0n) {
    throw new InputError(`the bundle's "pagesize: ${bundle.pageSize}" and its AT_PAGESZ ${auxv.pageSize} disagree: one of them is another machine's`, at);
  }
  const arch = bundleImage?.arch;
  if (machine && arch && !flags.image) {
    const runs = familiesRunning(arch);
    if (!runs.includes(machine.family) && !(machine.armTask && runs.includes('arm64'))) {
      throw new InputError(`the bundle's [vdso] bytes are an image of ${arch}, but its uname -m is ${bundle!.unameM} (${machine.family}): the bytes are another machine's`, at);
    }
  }
  // The bundle's bytes and the kernel it names: one kernel has one version (LINUX_VERSION_CODE and
  // uname -r come from one Makefile), so x.y must agree; the sublevel may not (ABI names, the 255
  // cap). A --vdso of another kernel is the user's, held to the bundle's bytes as image-mismatch.
  const note = !flags.image && bundleImage?.kernelVersion ? parseKernelVersion(bundleImage.kernelVersion) : undefined;
  const named = !flags.kernel && kernel ? parseRelease(kernel) : undefined;
  if (note && named && (note[0] !== named.version[0] || note[1] !== named.version[1])) {
    const where = bundle?.unameR !== undefined ? 'the bundle\'s uname-r' : kernel === logRelease ? 'the capture\'s uname or boot banner' : 'the capture';
    throw new InputError(`the bundle's [vdso] bytes are of Linux ${bundleImage!.kernelVersion}, but ${where} says ${kernel}: two kernels (give --kernel to say which this process ran)`, at);
  }
}

/**
 * A flag must fit what the capture says of itself, as --arch must fit its uname -m (resolve.ts):
 * a --kernel of another x.y than its uname -r, banner or [vdso] bytes, a --vdso image whose Linux
 * note names another x.y than its release, a --page-size other than its AT_PAGESZ or bundle
 * "pagesize:" would judge the process as another kernel's, and could pass a regression (a
 * loong64 7.2 log whose [vvar] lost a page passed under --kernel 6.1). The sublevel may differ
 * (ABI names, the note's 255 cap): --kernel may pin it. Where the capture's own words disagree,
 * --kernel says which of them this process ran.
 */
function flagsFitCapture(flags: CheckFlagsInput, bundle: Bundle | undefined, bundleImage: VdsoImage | undefined, auxv: Auxv | undefined, release: string | undefined): void {
  const xy = (v: string | undefined) => { const p = v !== undefined ? parseRelease(v)?.version : undefined; return p && `${p[0]}.${p[1]}`; };
  const own: Array<[string, string]> = [];
  const named = xy(release);
  if (named) own.push([named, `${bundle?.unameR !== undefined ? 'uname -r' : 'uname or boot banner'} ${release}`]);
  const bytes = !flags.image ? xy(bundleImage?.kernelVersion) : undefined;
  if (bytes) own.push([bytes, `[vdso] bytes (Linux ${bundleImage!.kernelVersion})`]);
  const given = xy(flags.kernel);
  if (given && own.length && !own.some(([v]) => v === given)) {
    throw new UsageError(`--kernel ${flags.kernel} does not fit this capture's own ${own.map(([, w]) => w).join(' and ')}: it would judge the process by another kernel's layout (give --profile to hold it to another row)`);
  }
  // With the target's own [vdso] bytes, another image is image-mismatch (explain.ts), said by build-id.
  const image = !bundleImage ? xy(flags.image?.kernelVersion) : undefined;
  if (image && named && image !== named) {
    throw new UsageError(`--vdso (Linux ${flags.image!.kernelVersion}, its note) does not fit this capture's own ${own[0][1]}: another kernel's image`);
  }
  const page = flags.pageSize;
  const pages = ([[auxv?.pageSize, 'the aux vector\'s AT_PAGESZ'], [bundle?.pageSize, 'the bundle\'s "pagesize:"']] as const).filter(([v]) => v !== undefined);
  if (page !== undefined && pages.length && !pages.some(([v]) => v === page)) {
    throw new UsageError(`--page-size ${page} does not fit ${pages.map(([v, what]) => `${what} ${v}`).join(' and ')}, the kernel's own page size`);
  }
}

/** Every process of a read capture, checked. A block that cannot be judged is an error result. */
export function checkCapture(cap: Capture, flags: CheckFlagsInput): CheckResult[] {
  const file = cap.file;
  // Past MAX_PROCESSES the capture is refused whole: checking only the first ones would pass on a part.
  const many = cap.tooManyProcesses;
  if (many) return [errorResult(file, new InputError(`more than ${MAX_PROCESSES} ${many.what} in one capture (the first past the bound starts here): split it into files of fewer processes`, { file, line: many.line }))];
  if (cap.blocks.length === 0) return [errorResult(file, new InputError(`no /proc/PID/maps lines found (${cap.lineCount} line${cap.lineCount === 1 ? '' : 's'} read)`, { file }))];
  const results: CheckResult[] = [];
  for (const block of cap.blocks) {
    const notes: string[] = [];
    const bundle = cap.bundles.find((b) => b.mapsBlock === block.index);
    const fromBundle = bundle ? bundleInputs(bundle, notes) : undefined;
    const auxv = fromBundle?.auxv ?? auxvFor(block, cap, flags.auxv, notes);
    // This process's boot, not the last one the log names (a log of two boots judged both by one).
    const boot = kernelOf(cap.kernelMarks, block.firstLine);
    if (boot.note && !flags.kernel && !bundle?.unameR) notes.push(boot.note);
    const bundleMachine = archOr(bundle?.unameM);
    const kernel = flags.kernel ?? bundle?.unameR ?? boot.release;
    // A Debian ABI name (6.1.0-27-loong64) hides the sublevel its build string says (Debian 6.1.115-1).
    const kernelUpstream = boot.upstream !== undefined && kernel === boot.release ? boot.upstream : undefined;
    if (kernelUpstream) notes.push(`${kernel} is stable ${kernelUpstream}: its build string names Debian's ${kernelUpstream} package`);
    try {
      if (bundle?.headerProblem) throw new InputError(bundle.headerProblem.message, { file, line: bundle.headerProblem.line });
      // A bundle without its END whose input stops mid-line inside it: cut short, its last vmas
      // lost or nameless (a [vdso] cut to no name failed as vdso-unnamed, cut sooner as vdso-missing).
      const cut = bundle && !bundle.complete ? cap.diagnostics.find((d) => d.code === 'no-final-newline') : undefined;
      if (cut && cut.line >= block.firstLine) {
        throw new InputError(`the bundle at line ${bundle!.firstLine} has no END marker and the input stops inside this line: a capture cut short, not judged (capture it again)`, { file, line: cut.line });
      }
      const bundlePage = bundle?.pageSize !== undefined ? pageSizeProblem(bundle.pageSize) : undefined;
      if (bundlePage && flags.pageSize === undefined) throw new InputError(`the bundle's "pagesize:" header: ${bundlePage}`, { file, line: bundle!.firstLine });
      // uname -m of an architecture without a profile: its lines could pass as another's layout.
      const foreign = bundle?.unameM !== undefined ? foreignArch(bundle.unameM) : boot.machine !== undefined ? foreignArch(boot.machine) : undefined;
      if (foreign) {
        throw new InputError(`the capture's uname -m is ${bundle?.unameM ?? boot.machine}: ${noProfileFor(foreign)}, so no layout can judge this process`, { file, line: bundle?.firstLine ?? block.firstLine });
      }
      capturesOwnWords(bundle, fromBundle?.image, bundleMachine, auxv, flags, kernel, boot.release, file, granularityOf(block.evidence?.boundaryBits ?? 0));
      const ownNrCpus = nrCpusOfCapture(cap, block, boot.since, bundle);
      const r = judgeBlock(block, () => flagsFitCapture(flags, bundle, fromBundle?.image, auxv, bundle?.unameR ?? boot.release), blockContext(flags, {
        input: file, auxv, machine: bundleMachine ?? archOr(boot.machine),
        kernel, kernelFrom: flags.kernel ? 'flag' : kernel ? 'capture' : undefined, kernelUpstream,
        // Without either, resolve() takes AT_PAGESZ from the aux vector.
        pageSize: flags.pageSize ?? bundle?.pageSize, pageSizeFrom: flags.pageSize !== undefined ? 'flag' : 'capture',
        // The bundle's [vdso] bytes: the image when --vdso is not given, else its identity check.
        image: flags.image ?? fromBundle?.image, dumpedImage: flags.image ? fromBundle?.image : undefined,
        nrCpus: flags.nrCpus ?? ownNrCpus?.n, nrCpusSaid: ownNrCpus?.what,
      }));
      // After the check's own refusals (a family, a page size the lines rule out), which say more.
      flagsFitCapture(flags, bundle, fromBundle?.image, auxv, bundle?.unameR ?? boot.release);
      nrCpusFlagFits(flags.nrCpus, ownNrCpus, r, flags.profile);
      r.notes.unshift(...notes, ...diagnosticsFor(block, cap));
      results.push(r);
    } catch (e) {
      results.push(errorResult(file, e, block));
    }
  }
  return results;
}

/**
 * checkBlock, with the flags held to the capture before a kernel older than the table is called
 * undecided: a --kernel the capture's own uname -r contradicts is the plainer thing to say.
 */
function judgeBlock(block: MapsBlock, flagsFit: () => void, ctx: CheckContext): CheckResult {
  try {
    return checkBlock(block, ctx);
  } catch (e) {
    if (e instanceof BeforeTableError) flagsFit();
    throw e;
  }
}

/** Whether the result's row (or, family undecided, one of its families) sizes a data vma by NR_CPUS. */
function nrCpusSizes(r: CheckResult, profile: ProfileRow | undefined): boolean {
  const row = profile ?? (r.profile !== undefined ? findBuiltinProfile(r.profile) : undefined);
  if (row) return row.regions.some((g) => perCpuOf(g.pages) !== undefined);
  return r.family === undefined && (r.families ?? []).includes('loongarch');
}

/** The running process: its maps, aux vector and [vdso] bytes (the image unless --vdso is given). */
export function checkLive(cap: Capture, vdsoBytes: Uint8Array, auxv: Auxv, flags: CheckFlagsInput, nrCpus?: number): CheckResult[] {
  const dumped = parseVdsoImage(vdsoBytes, '[vdso] of this process');
  const dumpedImage = dumped.ok ? dumped.value : undefined;
  const own = nrCpus !== undefined ? { n: nrCpus, what: `this kernel's NR_CPUS ${nrCpus} (/sys/devices/system/cpu/kernel_max: ${nrCpus - 1})` } : undefined;
  return cap.blocks.map((block) => {
    const r = judgeBlock(block, () => flagsFitCapture(flags, undefined, dumpedImage, auxv, undefined), blockContext(flags, {
      input: cap.file, image: flags.image ?? dumpedImage, dumpedImage: flags.image ? dumpedImage : undefined,
      auxv: flags.auxv ?? auxv, pageSize: flags.pageSize ?? auxv.pageSize, pageSizeFrom: flags.pageSize !== undefined ? 'flag' : 'auxv', kernel: flags.kernel, kernelFrom: flags.kernel ? 'flag' : undefined,
      nrCpus: flags.nrCpus ?? nrCpus, nrCpusSaid: own?.what,
    }));
    // The running kernel's own word is its [vdso]'s Linux note and its AT_PAGESZ: a --kernel or
    // --page-size against them judges it as another kernel (a 6.18 machine failed as 5.10's).
    flagsFitCapture(flags, undefined, dumpedImage, auxv, undefined);
    nrCpusFlagFits(flags.nrCpus, own, r, flags.profile);
    return r;
  });
}
