// The CLI run in-process (src/cli/run.ts): the same option table, commands and renderers as the
// built bin, with stdout, stderr and report files captured. Use it wherever a spawn adds nothing;
// the bin shim, exit codes of the process, stdin pipes and crash output keep whole-process tests
// (helpers.ts cli()).
import { run, type RunDepth } from '../src/cli/run.js';
import type { Shell } from '../src/cli/shell.js';
import { writeReportFile } from '../src/io.js';
import type { CliResult } from './helpers.js';

export interface InProcessResult extends CliResult {
  /** Report files written (check --report), by name, when `files: 'memory'`. */
  files: Map<string, string>;
  /** How far into its command the run went (what the bin shim's code cache keeps). */
  depth: RunDepth;
  /** What of its command the run exercised (reachOf: what the shim's code cache must hold). */
  reach: number;
}

/**
 * `vdso-layout ARGS` in this process. env: the process's, with NO_COLOR=1 (as cli() spawns it),
 * then opts.env; stdout is not a terminal unless `tty` says so. Report files go to disk, or with
 * `files: 'memory'` into `files`.
 */
export async function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; tty?: { columns: number }; files?: 'disk' | 'memory' } = {}): Promise<InProcessResult> {
  let stdout = '';
  let stderr = '';
  const files = new Map<string, string>();
  const shell: Shell = {
    out: (s) => { stdout += s; },
    err: (s) => { stderr += s; },
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    stdoutIsTTY: () => opts.tty !== undefined,
    stdoutColumns: () => opts.tty?.columns,
    writeFile: opts.files === 'memory' ? (f, t) => { files.set(f, t); } : writeReportFile,
  };
  const { code, depth, reach } = await run(args, shell);
  return { code, stdout, stderr, files, depth, reach };
}
