// The in-process entry of the command line: argv and a Shell in, the exit code out (0 match,
// 1 mismatch, 2 bad usage or input) with how far the run went into its command (for the bin
// shim's code cache). Nothing here touches the process: src/cli.ts gives it the real one, tests
// give it captured streams.
import { CommanderError, type Command } from 'commander';
import { InputError, UsageError } from '../errors.js';
import { existingFileAmong } from '../io.js';
import { errorLineText } from '../report/escape.js';
import { checkOutputsIn, sameReportFile } from './check-outputs.js';
import { buildProgram, COMMANDS, USAGE_HINT } from './program.js';
import type { Shell } from './shell.js';

export const EXIT = { OK: 0, MISMATCH: 1, TROUBLE: 2 } as const;

/**
 * How far into its command a run went: 0, the command never ran (help, --version, a usage error
 * commander found); 1, it ran and ended in trouble (exit 2: an unreadable input, say); 2, it ran
 * to its result (exit 0 or 1). The bin shim re-records a code cache that a shallower run recorded
 * (bin/vdso-layout.js): that cache lacks the command's own code, and V8 would never ask again.
 */
export type RunDepth = 0 | 1 | 2;

/** Bits 24-29 of a reach: a choice's value (a renderer each: --format json, --report junit=F). */
const VALUE_BITS = 6;
/** Bit 30 of a reach: a failure was explained (the diff, and the rules' failing paths). */
const FAILED = 1 << 30;

/**
 * What of its command a run exercised, as bits: bit i, the command's i-th option given (its value
 * not the default); a choice's value (VALUE_BITS); a failure (FAILED). The bin shim re-records a
 * cache whose run lacked some of this run's bits: V8 compiles what a cache lacks at every start,
 * and never asks the cache again (a check with --vdso after a cache recorded without one compiled
 * the ELF reader each time). Two values sharing a bit cost only a re-record not made.
 */
function reachOf(cmd: Command | undefined, code: number): number {
  if (!cmd) return 0;
  const opts = cmd.opts();
  let bits = code === EXIT.MISMATCH ? FAILED : 0;
  cmd.options.forEach((o, i) => {
    const v = opts[o.attributeName()];
    if (v === undefined || v === o.defaultValue) return;
    if (i < 24) bits |= 1 << i;
    // --report's values are {format, file}; a choice's, the value itself.
    const values = Array.isArray(v) ? v.map((x: { format?: unknown }) => x?.format) : o.argChoices ? [v] : [];
    for (const s of values) if (typeof s === 'string') bits |= 1 << (24 + valueBit(s));
  });
  return bits >>> 0;
}
const valueBit = (s: string): number => {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h % VALUE_BITS;
};

/** The command line run: its exit code, how far into its command it went, and what of it it exercised (reachOf). */
export async function run(argv: readonly string[], shell: Shell): Promise<{ code: number; depth: RunDepth; reach: number }> {
  /**
   * Every error or warning is one line on stderr, whatever a file name holds: a newline, ESC or a
   * line separator in it is spelt out (`\n`, `\x1b`), never acted on by the terminal.
   */
  const errLine = (s: string) => shell.err(errorLineText(s));
  let code: number = EXIT.OK;
  // Every action ends by giving its exit code: that it did says the command ran.
  let ran = false;
  // No command, or help for one that does not exist: one line, as for any usage error (commander
  // printed its whole help on stderr).
  const none = argv.length === 0 ? 'no command given' : argv[0] === 'help' && argv.length > 1 && !(COMMANDS as readonly string[]).includes(argv[1]) ? `help: no command '${argv[1]}'` : undefined;
  if (none) {
    errLine(`vdso-layout: ${none}: expected one of ${COMMANDS.join(', ')} ${USAGE_HINT}`);
    return { code: EXIT.TROUBLE, depth: 0, reach: 0 };
  }
  const only = (COMMANDS as readonly string[]).includes(argv[0]) ? argv[0] : undefined;
  const program = buildProgram({ shell, errLine, exit: (c) => { code = c; ran = true; } }, only);
  const reach = () => (ran ? reachOf(program.commands.find((c) => c.name() === only), code) : 0);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return { code, depth: !ran ? 0 : code === EXIT.TROUBLE ? 1 : 2, reach: reach() };
  } catch (e) {
    // --help and --version exit 0; every other commander error is a usage error (said on stderr).
    if (e instanceof CommanderError && e.exitCode === 0) return { code: EXIT.OK, depth: 0, reach: 0 };
    let message: string;
    let kind: 'option' | 'usage' | 'internal' = 'usage';
    let input: string | undefined;
    if (e instanceof CommanderError) message = `${e.message.replace(/^error: /, '')} ${USAGE_HINT}`; // as stderr said it
    else if (e instanceof InputError) { message = e.format(); kind = 'option'; input = e.position.file; errLine(`vdso-layout: ${message}`); }
    else if (e instanceof UsageError) { message = e.message; errLine(`vdso-layout: ${message}`); }
    else {
      message = `internal error: ${(e as Error).message}`;
      kind = 'internal';
      errLine(`vdso-layout: ${message}`);
      if (shell.env.VDSO_LAYOUT_DEBUG) shell.err(`${(e as Error).stack}\n`);
    }
    await troubleDocuments(argv, shell, errLine, kind, message, input);
    return { code: EXIT.TROUBLE, depth: ran ? 1 : 0, reach: reach() };
  }
}

/**
 * `check` that ended before its report: the document its --format promises on stdout, and each
 * --report FILE's, with the error in it.
 */
async function troubleDocuments(argv: readonly string[], shell: Shell, errLine: (s: string) => void, kind: 'option' | 'usage' | 'internal', message: string, input?: string): Promise<void> {
  // The other commands' --json: a document too, the error in it (stdout was empty).
  if (argv[0] !== 'check') {
    if (argv.includes('--json')) {
      const { JSON_COMMANDS, troubleJson } = await import('../report/trouble.js');
      const command = JSON_COMMANDS.find((c) => c === argv[0]);
      if (command) shell.out(troubleJson(command, kind, message, input));
    }
    return;
  }
  try {
    const { troubleDocument, troubleReport } = await import('../commands/check.js');
    const { format, reports, maybeInputs } = checkOutputsIn(argv);
    if (format) shell.out(troubleDocument(format, kind, message, input));
    for (const r of reports) {
      // A file two --report name (the refusal itself, maybe) would hold only the last one's document.
      if (reports.some((o) => o !== r && sameReportFile(o.file, r.file))) continue;
      // The line was refused, so which words are inputs is unknown: no report goes over any file it names.
      if (existingFileAmong(r.file, maybeInputs) !== undefined) {
        errLine(`vdso-layout: --report ${r.format}=${r.file}: that is a file this command line names; not written over`);
        continue;
      }
      try {
        shell.writeFile(r.file, troubleReport(r.format, kind, message, input));
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        errLine(`vdso-layout: ${e.format()}`);
      }
    }
  } catch (e) {
    errLine(`vdso-layout: internal error: ${(e as Error).message}`);
  }
}
