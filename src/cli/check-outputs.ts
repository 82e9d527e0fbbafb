// check's outputs on the command line: --format F (stdout) and --report FORMAT=FILE (repeatable).
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { existingFileAmong } from '../io.js';
import { FORMATS, type Format, type ReportFile } from '../report/formats.js';

/** `--report FORMAT=FILE`, parsed (a usage error names what is allowed). */
function parseReport(spec: string): ReportFile {
  const eq = spec.indexOf('=');
  const format = FORMATS.find((f) => f === spec.slice(0, eq));
  if (eq < 0 || !format || eq === spec.length - 1) throw new UsageError(`--report: expected FORMAT=FILE with FORMAT one of ${FORMATS.join(', ')}, not '${spec}'`);
  // '-' is stdin's name among the inputs, and stdout is --format's: as a report file it is neither.
  if (spec.slice(eq + 1) === '-') throw new UsageError(`--report ${format}=-: a report goes to a file (stdout is --format ${format}'s)`);
  return { format, file: spec.slice(eq + 1) };
}

/** Do two --report files name one file (the same spelling, another one, or a link to it)? */
export const sameReportFile = (a: string, b: string): boolean => a === b || resolve(a) === resolve(b) || existingFileAmong(a, [b]) !== undefined;

/** commander's collector for the repeatable --report: one file named twice would hold only the last. */
export function collectReport(spec: string, earlier: ReportFile[] = []): ReportFile[] {
  const report = parseReport(spec);
  const twice = earlier.find((r) => sameReportFile(r.file, report.file));
  if (twice) throw new UsageError(`--report: ${report.file} is named twice${twice.file === report.file ? '' : ` (as ${twice.file})`}`);
  return [...earlier, report];
}

/**
 * The --format and --report outputs a `check` command line asks for, read without commander
 * (which may have refused the line): a usage error still owes each its document. A malformed
 * --report is left out (nothing says where its document would go).
 */
export function checkOutputsIn(argv: readonly string[]): { format?: Format; reports: ReportFile[]; maybeInputs: string[] } {
  if (argv[0] !== 'check') return { reports: [], maybeInputs: [] };
  let format: string | undefined;
  const reports: ReportFile[] = [];
  // Every other word may name an input (commander did not say which): no report is written over one.
  const maybeInputs: string[] = [];
  const report = (spec: string | undefined) => {
    try { if (spec !== undefined) reports.push(parseReport(spec)); } catch { /* malformed: no document */ }
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { for (const w of argv.slice(i + 1)) maybeInputs.push(w === '-' ? '/dev/stdin' : w); break; }
    if (a === '--format') format = argv[++i];
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (a === '--report') report(argv[++i]);
    else if (a.startsWith('--report=')) report(a.slice('--report='.length));
    else if (a === '-') maybeInputs.push('/dev/stdin');
    else maybeInputs.push(a.startsWith('--') && a.includes('=') ? a.slice(a.indexOf('=') + 1) : a);
  }
  return { format: FORMATS.find((f) => f === format), reports, maybeInputs };
}

/** The --format a `check` command line asks for, read without commander (which may have refused it). */
export function checkFormatIn(argv: readonly string[]): Format | undefined {
  return checkOutputsIn(argv).format;
}
