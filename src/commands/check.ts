import type { ChalkInstance } from 'chalk';
import { checkBlock, keepForCheck, type CheckContext } from '../check/check.js';
import type { CheckResult } from '../check/findings.js';
import { parseVdsoImage, type VdsoImage } from '../elf/index.js';
import { InputError, UsageError } from '../errors.js';
import { openByteStream, readInputBytes, readProcBytes, readProcText } from '../io.js';
import { parseArch, type ArchChoice } from '../layout/arch.js';
import { pageSizeProblem } from '../layout/page-size.js';
import { readLiveVdso } from '../live.js';
import { parseAuxvAny, parseAuxvBinary, parseAuxvText, type Auxv } from '../maps/auxv.js';
import { readCapture, readCaptureStream, type Bundle, type Capture, type MapsBlock } from '../maps/capture.js';
import { loadDiff, render, type Format } from '../report/check.js';
import { loadImage, loadProfile, parseArchFlag, parseKernelBits, parsePageSize, type LayoutFlags } from './options.js';

export interface CheckFlags extends LayoutFlags { auxv?: string; auxvWordSize?: '4' | '8'; auxvEndian?: 'le' | 'be'; format: Format; strict?: boolean; quiet?: boolean; verbose?: boolean }
export interface Streams { out: (s: string) => void; err: (s: string) => void; chalk: ChalkInstance }

export async function runCheck(captures: string[], opts: CheckFlags, io: Streams): Promise<number> {
  const formats: Format[] = ['text', 'json', 'ktap', 'junit', 'github'];
  if (!formats.includes(opts.format)) throw new UsageError(`--format: expected one of ${formats.join(', ')}, not '${opts.format}'`);
  const image = opts.vdso ? loadImage(opts.vdso) : undefined;
  const auxvOpts = { wordSize: opts.auxvWordSize ? (Number(opts.auxvWordSize) as 4 | 8) : undefined, endian: opts.auxvEndian };
  const flagAuxv = opts.auxv ? parseAuxvAny(readInputBytes(opts.auxv, 'auxv'), { ...auxvOpts, file: opts.auxv }) : undefined;
  const base: Omit<CheckContext, 'input'> = {
    image, arch: parseArchFlag(opts.arch), kernel: opts.kernel, kernelFrom: opts.kernel ? 'flag' : undefined,
    pageSize: opts.pageSize ? parsePageSize(opts.pageSize) : undefined, profile: loadProfile(opts.profile),
    kernelBits: parseKernelBits(opts.kernelBits),
  };
  const results: CheckResult[] = [];

  if (captures.length === 0) {
    // The running machine: this process's maps, auxv and [vdso] bytes.
    const cap = readCapture(readProcText('/proc/self/maps'), { file: '/proc/self/maps', keep: keepForCheck });
    const live = readLiveVdso(cap);
    const dumped = parseVdsoImage(live.bytes, '[vdso] of this process');
    const auxv = parseAuxvAny(readProcBytes('/proc/self/auxv'), { file: '/proc/self/auxv' });
    const dumpedImage = dumped.ok ? dumped.value : undefined;
    for (const block of cap.blocks) {
      results.push(checkBlock(block, { ...base, input: '/proc/self/maps', image: image ?? dumpedImage, dumpedImage: image ? dumpedImage : undefined, auxv: flagAuxv ?? auxv, pageSize: base.pageSize ?? auxv.pageSize }));
    }
  }

  for (const file of captures) {
    let cap: Capture;
    try {
      cap = await readCaptureStream(openByteStream(file), { file, strict: opts.strict, keep: keepForCheck });
    } catch (e) {
      results.push(errorResult(file, e));
      continue;
    }
    if (cap.blocks.length === 0) {
      results.push(errorResult(file, new InputError(`no /proc/PID/maps lines found (${cap.lineCount} lines read)`, { file })));
      continue;
    }
    let machine: ArchChoice | undefined;
    try { machine = cap.machine ? parseArch(cap.machine.value) : undefined; } catch { machine = undefined; }
    for (const block of cap.blocks) {
      const notes: string[] = [];
      const bundle = cap.bundles.find((b) => b.mapsBlock === block.index);
      const fromBundle = bundle ? bundleInputs(bundle, notes) : undefined;
      const auxv = fromBundle?.auxv ?? auxvFor(block, cap, flagAuxv, notes);
      let bundleMachine = machine;
      if (bundle?.unameM) { try { bundleMachine = parseArch(bundle.unameM); } catch { /* unknown uname -m: infer */ } }
      const kernel = base.kernel ?? bundle?.unameR ?? cap.kernelRelease?.value;
      try {
        const bundlePage = bundle?.pageSize !== undefined ? pageSizeProblem(bundle.pageSize) : undefined;
        if (bundlePage && base.pageSize === undefined) throw new InputError(`the bundle's "pagesize:" header: ${bundlePage}`, { file, line: bundle!.firstLine });
        const r = checkBlock(block, {
          ...base, input: file, auxv, machine: bundleMachine,
          kernel, kernelFrom: base.kernel ? 'flag' : kernel ? 'capture' : undefined,
          pageSize: base.pageSize ?? bundle?.pageSize ?? auxv?.pageSize,
          // The bundle's [vdso] bytes: the image when --vdso is not given, else its identity check.
          image: base.image ?? fromBundle?.image, dumpedImage: base.image ? fromBundle?.image : undefined,
        });
        r.notes.unshift(...notes, ...cap.diagnostics.filter((d) => d.line <= block.lastLine && (d.line >= block.firstLine || block.index === 0)).map((d) => `line ${d.line}: ${d.message}${d.count > 1 ? ` (${d.count} lines)` : ''}`));
        results.push(r);
      } catch (e) {
        results.push(errorResult(file, e, block));
      }
    }
  }

  if (opts.format === 'text' && results.some((r) => r.verdict === 'fail')) await loadDiff();
  io.out(render(opts.format, results, io.chalk, { quiet: opts.quiet, verbose: opts.verbose }));
  for (const r of results) if (r.verdict === 'error') io.err(`vdso-layout: ${r.message}\n`);
  if (results.some((r) => r.verdict === 'error')) return 2;
  return results.some((r) => r.verdict === 'fail') ? 1 : 0;
}

/** A bundle's aux vector and dumped [vdso] image, decoded; problems become notes. */
function bundleInputs(b: Bundle, notes: string[]): { auxv?: Auxv; image?: VdsoImage } {
  let auxv: Auxv | undefined;
  let image: VdsoImage | undefined;
  try { auxv = parseAuxvBinary(b.auxv); } catch (e) { notes.push(`bundle at line ${b.firstLine}: aux vector unreadable (${(e as Error).message})`); }
  if (b.vdso) {
    const r = parseVdsoImage(b.vdso.bytes, `[vdso] bytes of the bundle at line ${b.firstLine}`);
    if (r.ok) image = r.value; else notes.push(r.error.format());
  } else if (b.vdsoMissing) notes.push(`bundle at line ${b.firstLine}: no [vdso] bytes (${b.vdsoMissing})`);
  if (!b.complete) notes.push(`bundle at line ${b.firstLine} has no END marker (truncated capture?)`);
  return { auxv, image };
}

function errorResult(file: string, e: unknown, block?: MapsBlock): CheckResult {
  if (!(e instanceof InputError) && !(e instanceof UsageError)) throw e;
  const message = e instanceof InputError ? e.withFile(file).format() : `${file}: ${e.message}`;
  return { input: file, block: block?.index ?? 0, label: block?.label, verdict: 'error', message, expected: [], actual: [], findings: [], skipped: [], notes: [] };
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
  try {
    return parseAuxvText(paired.lines.join('\n'), { file: cap.file });
  } catch (e) {
    notes.push(`the aux vector at line ${paired.firstLine} could not be read: ${(e as Error).message}`);
    return undefined;
  }
}
