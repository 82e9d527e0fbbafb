import { keepForCheck } from '../check/pipeline.js';
import type { CheckResult } from '../check/findings.js';
import { checkCapture, checkLive, errorResult, troubleResult, type CheckFlagsInput } from '../check/inputs.js';
import { InputError, UsageError } from '../errors.js';
import { existingFileAmong, isStdoutStream, openCaptureBytes, readInputBytes } from '../io.js';
import { findBuiltinProfile } from '../layout/user-profile.js';
import { readLiveProcess } from '../live.js';
import { parseAuxvAny } from '../capture/auxv.js';
import { readCaptureBytes, readCaptureStream } from '../capture/reader.js';
import type { Capture } from '../model/capture.js';
import { loadDiff, render, renderMachine } from '../report/check-results.js';
import { plain } from '../report/color.js';
import { errorLineText } from '../report/escape.js';
import type { Format, ReportFile } from '../report/formats.js';
import { loadImage, loadProfile, parseArchFlag, parseKernelBits, parseKernelFlag, parseNrCpus, parsePageSize, type LayoutFlags } from './options.js';
import type { Streams } from './streams.js';

export interface CheckFlags extends LayoutFlags {
  auxv?: string; auxvWordSize?: '4' | '8'; auxvEndian?: 'le' | 'be'; format: Format; strict?: boolean; quiet?: boolean; verbose?: boolean;
  reports?: ReportFile[];
  /** The byte scanner for large captures (VDSO_LAYOUT_SCANNER=js selects the JavaScript one). */
  scanner?: 'js' | 'wasm';
}
/** Milliseconds, from process.hrtime: the global `performance` loads perf_hooks (11 modules, ~5% of a check's start-up). */
const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;


export async function runCheck(captures: string[], opts: CheckFlags, io: Streams): Promise<number> {
  const reports = opts.reports ?? [];
  // A report written over an input would destroy what the run reads (--report json=maps.txt).
  // stdin as /dev/stdin: a file redirected into it (check - < maps.txt) is an input too.
  const inputs = [...captures.map((c) => (c === '-' ? '/dev/stdin' : c)), opts.vdso, opts.auxv, opts.profile && !findBuiltinProfile(opts.profile) ? opts.profile : undefined]
    .filter((f): f is string => f !== undefined);
  // A report into the file or pipe stdout goes to (/dev/stdout, a redirect's file) would run two
  // documents into one, neither whole. A terminal or /dev/null takes both as they come.
  const refusal = reports.map((r) => (isStdoutStream(r.file)
    ? `--report ${r.format}=${r.file}: that is where stdout goes; the two documents would run into one (use --format ${r.format} for stdout)`
    : existingFileAmong(r.file, inputs) !== undefined ? `--report ${r.format}=${r.file}: that is an input of this run; the report would overwrite it` : undefined)).find((m) => m !== undefined);
  if (refusal) {
    io.out(troubleDocument(opts.format, 'usage', refusal));
    io.err(`vdso-layout: ${refusal}\n`);
    return 2; // no report is written: one of them is the input, or stdout
  }
  let flags: CheckFlagsInput;
  try {
    // stdin is read once: a second '-' would be an empty capture, said as one.
    if (captures.indexOf('-') !== captures.lastIndexOf('-')) throw new UsageError("- (stdin) is named more than once: it can be read only once");
    flags = loadFlags(opts);
  } catch (e) {
    // Nothing can be judged without what the flags name; the error is the whole report.
    if (!(e instanceof InputError) && !(e instanceof UsageError)) throw e;
    const [kind, message, input] = e instanceof InputError ? ['option', e.format(), e.position.file] as const : ['usage', e.message, undefined] as const;
    io.out(troubleDocument(opts.format, kind, message, input));
    io.err(`vdso-layout: ${message}\n`);
    writeReports(reports, (f) => troubleReport(f, kind, message, input), io);
    return 2;
  }
  const results: CheckResult[] = [];
  // `-q` text with no report file prints nothing of a pass but its warnings and the count: keep
  // only that, so that 10,000 captures in one call do not hold 10,000 lines and notes to the end.
  const passesUnprinted = opts.format === 'text' && Boolean(opts.quiet) && reports.length === 0;
  const kept = (r: CheckResult): CheckResult => (passesUnprinted && r.verdict === 'pass' ? passSummary(r) : r);

  if (captures.length === 0) {
    // The running machine: this process's maps, auxv and [vdso] bytes.
    const started = nowMs();
    try {
      const live = readLiveProcess(keepForCheck);
      results.push(...checkLive(live.capture, live.vdso, live.auxv, flags, live.nrCpus));
    } catch (e) {
      results.push(errorResult(e instanceof InputError ? e.position.file ?? '/proc/self/maps' : '/proc/self/maps', e));
    }
    for (const r of results) r.seconds = (nowMs() - started) / 1000 / results.length;
  }

  for (const file of captures) {
    const started = nowMs();
    let judged: CheckResult[];
    try {
      const read = { file, strict: opts.strict, keep: keepForCheck, scanner: opts.scanner };
      const bytes = openCaptureBytes(file);
      const cap: Capture = bytes.whole ? readCaptureBytes(bytes.whole, read) : await readCaptureStream(bytes.chunks, read);
      judged = checkCapture(cap, flags);
    } catch (e) {
      // A bug met on one capture is that capture's error; the others are still judged and reported.
      judged = [e instanceof InputError || e instanceof UsageError ? errorResult(file, e) : troubleResult('internal', `${file}: internal error: ${(e as Error).message}`, file)];
    }
    const seconds = (nowMs() - started) / 1000 / judged.length;
    for (const r of judged) { r.seconds = seconds; results.push(kept(r)); }
  }

  const textWanted = opts.format === 'text' || reports.some((r) => r.format === 'text');
  if (textWanted && results.some((r) => r.verdict === 'fail')) await loadDiff();
  const shown = { quiet: opts.quiet, verbose: opts.verbose };
  // Report files never hold colour: they are read later, by tools as often as by people.
  // A text file holds what a terminal shows: the text, then each error's line (stderr's).
  const errorLines = results.filter((r) => r.verdict === 'error').map((r) => errorLine(r.message ?? '')).join('');
  const unwritten = writeReports(reports, (f) => render(f, results, plain, shown) + (f === 'text' ? errorLines : ''), io);
  io.out(render(opts.format, results, io.chalk, shown));
  for (const r of results) if (r.verdict === 'error') io.err(`vdso-layout: ${r.message}\n`);
  const code = exitCodeOf(results);
  // A report asked for and not written is trouble, unless a failure already decides.
  return code === 0 && unwritten ? 2 : code;
}

/**
 * A pass as `-q` text reads it (renderText): its verdict and its warnings, counted in the summary
 * line. One shared result stands for every pass without warnings: what 10,000 captures in one call
 * hold to the end is then a pointer each, not an object and five arrays (their survival through
 * the minor GCs grew the young generation, and Node 24's peak RSS past 100 MiB).
 */
function passSummary(r: CheckResult): CheckResult {
  const warnings = r.findings.filter((f) => f.severity === 'warning');
  if (warnings.length === 0) return PASS_UNPRINTED;
  return { input: r.input, block: r.block, verdict: r.verdict, expected: [], actual: [], findings: warnings, skipped: [], notes: [] };
}
// Frozen through: a renderer that wrote into one shared pass would write into every pass.
const NONE = Object.freeze([]) as never[];
const PASS_UNPRINTED: CheckResult = Object.freeze({ input: '', block: 0, verdict: 'pass', expected: NONE, actual: NONE, findings: NONE, skipped: NONE, notes: NONE });

/** Each --report FILE gets its document; a file that cannot be written is one error line. Any unwritten? */
function writeReports(reports: readonly ReportFile[], text: (format: Format) => string, io: Streams): boolean {
  let unwritten = false;
  for (const { format, file } of reports) {
    try {
      if (!io.writeFile) throw new Error('this shell writes no report files');
      io.writeFile(file, text(format));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      io.err(`vdso-layout: ${e.format()}\n`);
      unwritten = true;
    }
  }
  return unwritten;
}

function loadFlags(opts: CheckFlags): CheckFlagsInput {
  const image = opts.vdso ? loadImage(opts.vdso) : undefined;
  const auxvOpts = { wordSize: opts.auxvWordSize ? (Number(opts.auxvWordSize) as 4 | 8) : undefined, endian: opts.auxvEndian };
  const flagAuxv = opts.auxv ? parseAuxvAny(readInputBytes(opts.auxv, 'auxv'), { ...auxvOpts, file: opts.auxv }) : undefined;
  return {
    image, arch: parseArchFlag(opts.arch), kernel: parseKernelFlag(opts.kernel), auxv: flagAuxv,
    pageSize: opts.pageSize ? parsePageSize(opts.pageSize) : undefined, profile: loadProfile(opts.profile),
    kernelBits: parseKernelBits(opts.kernelBits), nrCpus: parseNrCpus(opts.nrCpus),
  };
}

/**
 * The exit code of a check (README "Exit codes"): 1 when any process was judged and failed, even if
 * another input could not be read (a layout failure never hides behind an unreadable input); else
 * 2 when anything could not be read or used; else 0.
 */
function exitCodeOf(results: readonly CheckResult[]): 0 | 1 | 2 {
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

/** The same for a --report FILE: a text file holds the error line a terminal shows on stderr (an empty file says nothing). */
export function troubleReport(format: Format, kind: 'option' | 'usage' | 'internal', message: string, input?: string): string {
  return format === 'text' ? errorLine(message) : troubleDocument(format, kind, message, input);
}

/** An error as stderr says it, escaped as there. */
const errorLine = (message: string): string => errorLineText(`vdso-layout: ${message}`);
