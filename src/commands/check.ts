import type { ChalkInstance } from 'chalk';
import { keepForCheck } from '../check/check.js';
import type { CheckResult } from '../check/findings.js';
import { checkCapture, checkLive, errorResult, troubleResult, type CheckFlagsInput } from '../check/inputs.js';
import { InputError, UsageError } from '../errors.js';
import { openByteStream, readInputBytes, readProcBytes, readProcText } from '../io.js';
import { readLiveVdso } from '../live.js';
import { parseAuxvAny } from '../maps/auxv.js';
import { readCapture, readCaptureStream, type Capture } from '../maps/capture.js';
import { loadDiff, render, renderMachine, type Format } from '../report/check.js';
import { loadImage, loadProfile, parseArchFlag, parseKernelBits, parseKernelFlag, parsePageSize, type LayoutFlags } from './options.js';

export interface CheckFlags extends LayoutFlags {
  auxv?: string; auxvWordSize?: '4' | '8'; auxvEndian?: 'le' | 'be'; format: Format; strict?: boolean; quiet?: boolean; verbose?: boolean;
  /** The byte scanner for large captures (VDSO_LAYOUT_SCANNER=js selects the JavaScript one). */
  scanner?: 'js' | 'wasm';
}
/** Milliseconds, from process.hrtime: the global `performance` loads perf_hooks (11 modules, ~5% of a check's start-up). */
const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

export interface Streams { out: (s: string) => void; err: (s: string) => void; chalk: ChalkInstance }

export async function runCheck(captures: string[], opts: CheckFlags, io: Streams): Promise<number> {
  const formats: Format[] = ['text', 'json', 'ktap', 'junit', 'github'];
  if (!formats.includes(opts.format)) throw new UsageError(`--format: expected one of ${formats.join(', ')}, not '${opts.format}'`);
  let flags: CheckFlagsInput;
  try {
    flags = loadFlags(opts);
  } catch (e) {
    // Nothing can be judged without what the flags name; the error is the whole report.
    if (!(e instanceof InputError) && !(e instanceof UsageError)) throw e;
    const [kind, message, input] = e instanceof InputError ? ['option', e.format(), e.position.file] as const : ['usage', e.message, undefined] as const;
    io.out(troubleDocument(opts.format, kind, message, input));
    io.err(`vdso-layout: ${message}\n`);
    return 2;
  }
  const results: CheckResult[] = [];

  if (captures.length === 0) {
    // The running machine: this process's maps, auxv and [vdso] bytes.
    const started = nowMs();
    try {
      const cap = readCapture(readProcText('/proc/self/maps'), { file: '/proc/self/maps', keep: keepForCheck });
      const live = readLiveVdso(cap);
      results.push(...checkLive(cap, live.bytes, parseAuxvAny(readProcBytes('/proc/self/auxv'), { file: '/proc/self/auxv' }), flags));
    } catch (e) {
      results.push(errorResult(e instanceof InputError ? e.position.file ?? '/proc/self/maps' : '/proc/self/maps', e));
    }
    for (const r of results) r.seconds = (nowMs() - started) / 1000 / results.length;
  }

  for (const file of captures) {
    const started = nowMs();
    let judged: CheckResult[];
    try {
      const cap: Capture = await readCaptureStream(openByteStream(file), { file, strict: opts.strict, keep: keepForCheck, scanner: opts.scanner });
      judged = checkCapture(cap, flags);
    } catch (e) {
      // A bug met on one capture is that capture's error; the others are still judged and reported.
      judged = [e instanceof InputError || e instanceof UsageError ? errorResult(file, e) : troubleResult('internal', `${file}: internal error: ${(e as Error).message}`, file)];
    }
    const seconds = (nowMs() - started) / 1000 / judged.length;
    for (const r of judged) { r.seconds = seconds; results.push(r); }
  }

  if (opts.format === 'text' && results.some((r) => r.verdict === 'fail')) await loadDiff();
  io.out(render(opts.format, results, io.chalk, { quiet: opts.quiet, verbose: opts.verbose }));
  for (const r of results) if (r.verdict === 'error') io.err(`vdso-layout: ${r.message}\n`);
  return exitCodeOf(results);
}

function loadFlags(opts: CheckFlags): CheckFlagsInput {
  const image = opts.vdso ? loadImage(opts.vdso) : undefined;
  const auxvOpts = { wordSize: opts.auxvWordSize ? (Number(opts.auxvWordSize) as 4 | 8) : undefined, endian: opts.auxvEndian };
  const flagAuxv = opts.auxv ? parseAuxvAny(readInputBytes(opts.auxv, 'auxv'), { ...auxvOpts, file: opts.auxv }) : undefined;
  return {
    image, arch: parseArchFlag(opts.arch), kernel: parseKernelFlag(opts.kernel), auxv: flagAuxv,
    pageSize: opts.pageSize ? parsePageSize(opts.pageSize) : undefined, profile: loadProfile(opts.profile),
    kernelBits: parseKernelBits(opts.kernelBits),
  };
}

/**
 * The exit code of a check (README "Exit codes"): 1 when any process was judged and failed, even if
 * another input could not be read (a layout failure never hides behind an unreadable input); else
 * 2 when anything could not be read or used; else 0.
 */
export function exitCodeOf(results: readonly CheckResult[]): 0 | 1 | 2 {
  if (results.some((r) => r.verdict === 'fail')) return 1;
  return results.some((r) => r.verdict === 'error') ? 2 : 0;
}

/**
 * `check --format F` ended before judging anything (a usage error, an unreadable --vdso/--auxv/
 * --profile, a bug): the document a machine format promises, with the error inside it. Text
 * prints nothing here (the error line is on stderr, as for every format).
 */
export function troubleDocument(format: Format, kind: 'option' | 'usage' | 'internal', message: string, input?: string): string {
  return format === 'text' ? '' : renderMachine(format, [troubleResult(kind, message, input)]);
}

/** The --format a `check` command line asks for, read without commander (which may have refused it). */
export function checkFormatIn(argv: readonly string[]): Format | undefined {
  if (argv[0] !== 'check') return undefined;
  let format: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a === '--format') format = argv[++i];
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
  }
  return (['text', 'json', 'ktap', 'junit', 'github'] as const).find((f) => f === format);
}
