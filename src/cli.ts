// The shell: parses flags, does the I/O, calls the pure core, maps outcomes to exit codes
// (0 match, 1 mismatch, 2 bad usage or input). Command modules are loaded lazily so that
// start-up stays close to bare `node`.
import { Buffer } from 'node:buffer';
import { fstatSync, statSync, writeSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { InputError, UsageError } from './errors.js';
import type { ColorMode } from './report/color.js';
import { visible } from './report/escape.js';
import { VERSION } from './version.js';

export const EXIT = { OK: 0, MISMATCH: 1, TROUBLE: 2 } as const;

// Output goes to fds 1 and 2 with writeSync: creating process.stdout or process.stderr loads
// node:net or node:tty, which costs more than the rest of a check's output. On the first failed
// write (EAGAIN from a non-blocking pipe, EPIPE, anything) the rest of that text and every later
// write of either fd go through the streams, which queue and report as before; order holds.
let viaStreams = false;
function writeTo(fd: 1 | 2, s: string): void {
  let rest: string | Uint8Array = s;
  if (!viaStreams) {
    const bytes = Buffer.from(s, 'utf8');
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
      return;
    } catch {
      viaStreams = true;
      rest = bytes.subarray(done);
    }
  }
  (fd === 1 ? stdoutStream() : process.stderr).write(rest);
}
function writeOut(s: string): void { writeTo(1, s); }
function writeErr(s: string): void { writeTo(2, s); }
/**
 * Every error or warning is one line on stderr, whatever a file name holds: a newline, ESC or a
 * line separator in it is spelt out (`\n`, `\x1b`), never acted on by the terminal.
 */
function errLine(s: string): void { writeErr(`${visible(s.endsWith('\n') ? s.slice(0, -1) : s, '\t')}\n`); }

let stdoutListening = false;
function stdoutStream(): NodeJS.WriteStream {
  // stdout may be a closed pipe (`vdso-layout … | head`): that is not an error worth a trace.
  if (!stdoutListening) {
    stdoutListening = true;
    process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); });
  }
  return process.stdout;
}

/**
 * Is stdout a terminal? Asked without creating process.stdout (see writeTo): a file, pipe or
 * socket is not one, nor is /dev/null, a character device like a terminal.
 */
function stdoutIsTTY(): boolean {
  try {
    const out = fstatSync(1);
    if (!out.isCharacterDevice() || out.rdev === statSync('/dev/null').rdev) return false;
  } catch {
    return false;
  }
  return Boolean(stdoutStream().isTTY);
}

async function chalkFor(mode: ColorMode) {
  const { colorLevel, makeChalk } = await import('./report/color.js');
  return await makeChalk(colorLevel(mode, process.env, stdoutIsTTY()));
}

const colorOption = () => new Option('--color <when>', 'color output: auto, always, never').choices(['auto', 'always', 'never']).default('auto');

/** The commands, in the order help lists them. */
export const COMMANDS = ['inspect', 'synth', 'check', 'diff', 'capture-script', 'capture', 'extract', 'profiles'] as const;

/**
 * The program, with every command, or with `only` that one (what a run of one command needs:
 * defining the others' options costs a share of start-up, and commander parses that command the
 * same either way; help and unknown commands need them all).
 */
export function buildProgram(only?: string): Command {
  const want = (name: (typeof COMMANDS)[number]) => only === undefined || only === name;
  const program = new Command('vdso-layout');
  program
    .description('Check where the kernel maps the vDSO text and its data pages against /proc/PID/maps captures.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run vdso-layout --help for usage)')
    .configureOutput({ writeOut, writeErr: (s) => (s.startsWith('error:') ? errLine(`vdso-layout: ${s.slice(7)}`) : writeErr(s)) })
    .exitOverride();

  if (want('inspect')) program.command('inspect')
    .description('decode vDSO images: arch, SONAME, kernel version, build-id, segments, symbols, versions, data-page symbols')
    .argument('[image...]', 'vdso.so / vdso64.so / vdso32.so / *.so.dbg, or bytes dumped from a [vdso] mapping')
    .option('--live', "inspect the running machine's own [vdso] (from /proc/self/maps and /proc/self/mem)")
    .option('--json', 'machine-readable output (schema vdso-layout/inspect/1)')
    .addOption(colorOption())
    .action(async (images: string[], opts: { live?: boolean; json?: boolean; color: ColorMode }) => {
      const { runInspect } = await import('./commands/inspect.js');
      process.exitCode = await runInspect(images, opts, { out: writeOut, err: errLine, chalk: await chalkFor(opts.color) });
    });

  const layoutOptions = (cmd: Command) => cmd
    .option('--vdso <image>', 'the vDSO image (vdso64.so, vdso32.so, *.so.dbg, or a dump of [vdso])')
    .option('--arch <name>', 'kernel architecture: uname -m (x86_64, aarch64, ppc64le…), kernel ARCH (x86, arm64, powerpc…) or Debian (amd64, armhf, ppc64el…)')
    .option('--kernel <version>', 'kernel release whose layout applies, e.g. 6.1 or 6.1.0-56-amd64')
    .option('--page-size <bytes>', 'kernel page size: 4096, 16K, 64K')
    .option('--profile <name|file>', 'a built-in profile id (see `profiles`) or a JSON profile file')
    .option('--kernel-bits <bits>', "the kernel's pointer size, 32 or 64 (compat tasks: 64)");

  if (want('synth')) layoutOptions(program.command('synth'))
    .description('print the exact /proc/PID/maps lines the kernel should show for the vDSO cluster')
    .option('--base <addr>', 'text base (AT_SYSINFO_EHDR), hex; default a plausible address')
    .option('--text-pages <n>', 'text size in pages when no --vdso is given')
    .option('--diagram', 'draw the regions, low to high, with page roles')
    .option('--json', 'machine-readable output (schema vdso-layout/synth/1)')
    .addOption(colorOption())
    .action(async (opts) => {
      const { runSynth } = await import('./commands/synth.js');
      process.exitCode = runSynth(opts, { out: writeOut, err: errLine, chalk: await chalkFor(opts.color) });
    });

  if (want('check')) layoutOptions(program.command('check'))
    .description('check captured /proc/PID/maps (a file, a console log, a bundle, or - for stdin) against the layout the kernel must produce; no CAPTURE checks this machine')
    .argument('[capture...]', 'maps files, console logs or capture bundles; - reads stdin')
    .option('--auxv <file>', 'the aux vector of the captured process (binary, od/hexdump/xxd text, or LD_SHOW_AUXV output)')
    .addOption(new Option('--auxv-word-size <bytes>', 'word size of a binary/hex aux vector (default: inferred)').choices(['4', '8']))
    .addOption(new Option('--auxv-endian <order>', 'byte order of a binary/hex aux vector (default: inferred)').choices(['le', 'be']))
    .addOption(new Option('--format <fmt>', 'output format').choices(['text', 'json', 'ktap', 'junit', 'github']).default('text'))
    .option('--strict', 'every line that is not a maps line is an error')
    .option('-q, --quiet', 'print nothing for passing processes')
    .option('-v, --verbose', 'also print warnings for passing processes')
    .addOption(colorOption())
    .action(async (captures: string[], opts) => {
      const { runCheck } = await import('./commands/check.js');
      const scanner = process.env.VDSO_LAYOUT_SCANNER === 'js' ? 'js' : undefined;
      process.exitCode = await runCheck(captures, { ...opts, scanner }, { out: writeOut, err: errLine, chalk: await chalkFor(opts.color) });
    });

  if (want('diff')) program.command('diff')
    .description('for reviewers: how the vDSO cluster differs between two captures (e.g. before and after a series)')
    .argument('<before>', 'maps capture before')
    .argument('<after>', 'maps capture after')
    .option('--block <n>', 'which process (maps block), from 1: N for both captures, or BEFORE:AFTER; needed when a capture holds several')
    .option('--auxv-before <file>', 'aux vector of the before process (text base = AT_SYSINFO_EHDR)')
    .option('--auxv-after <file>', 'aux vector of the after process')
    .option('--page-size <bytes>', 'page size for the page counts (default: inferred)')
    .option('--json', 'machine-readable output (schema vdso-layout/diff/1)')
    .action(async (before: string, after: string, opts) => {
      const { runDiff } = await import('./commands/diff.js');
      process.exitCode = await runDiff(before, after, opts, { out: writeOut, err: errLine });
    });

  if (want('capture-script')) program.command('capture-script')
    .description('print a POSIX sh script (busybox ash, dash, bash; needs cat, od, dd) that prints a capture bundle on a target without Node')
    .action(async () => {
      const { CAPTURE_SCRIPT } = await import('./capture/script.js');
      writeOut(CAPTURE_SCRIPT);
    });

  if (want('capture')) program.command('capture')
    .description("write a capture bundle of this machine (this process's maps, auxv and [vdso] bytes)")
    .option('-o, --output <file>', 'write to FILE instead of stdout (never over an existing file)')
    .action(async (opts: { output?: string }) => {
      const { runCapture } = await import('./commands/capture.js');
      process.exitCode = runCapture(opts, { out: writeOut, err: errLine });
    });

  if (want('extract')) program.command('extract')
    .description('find the vDSO images embedded in a kernel (vmlinux, Image, bzImage, zImage, EFI zboot, s390 vmlinuz; gzip/xz/zstd payloads)')
    .argument('<kernel>', 'kernel image file')
    .option('-o, --output <dir>', 'write each image to DIR/<arch>[-<abi>]-<bits>.so (never over existing files)')
    .option('--json', 'machine-readable output (schema vdso-layout/extract/1)')
    .action(async (kernel: string, opts) => {
      const { runExtract } = await import('./commands/extract.js');
      process.exitCode = await runExtract(kernel, opts, { out: writeOut, err: errLine });
    });

  if (want('profiles')) program.command('profiles')
    .description('list the built-in layout profiles (arch, kernel range, page sizes, regions, source)')
    .option('--arch <name>', 'only this architecture')
    .option('--json', 'machine-readable output, every field unabridged (schema vdso-layout/profiles/1)')
    .option('--markdown', 'the history table as Markdown (as in README)')
    .action(async (opts) => {
      const { runProfiles } = await import('./commands/synth.js');
      // Wrapped to the terminal, or to 80 columns when stdout is a file or a pipe.
      const width = stdoutIsTTY() ? stdoutStream().columns : undefined;
      process.exitCode = runProfiles(opts, { out: writeOut, err: errLine, chalk: await chalkFor('never'), width });
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram((COMMANDS as readonly string[]).includes(argv[0]) ? argv[0] : undefined);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (e) {
    // --help and --version exit 0; every other commander error is a usage error (said on stderr).
    if (e instanceof CommanderError && e.exitCode === 0) return EXIT.OK;
    let message: string;
    let kind: 'option' | 'usage' | 'internal' = 'usage';
    let input: string | undefined;
    if (e instanceof CommanderError) message = e.message.replace(/^error: /, '');
    else if (e instanceof InputError) { message = e.format(); kind = 'option'; input = e.position.file; errLine(`vdso-layout: ${message}`); }
    else if (e instanceof UsageError) { message = e.message; errLine(`vdso-layout: ${message}`); }
    else {
      message = `internal error: ${(e as Error).message}`;
      kind = 'internal';
      errLine(`vdso-layout: ${message}`);
      if (process.env.VDSO_LAYOUT_DEBUG) writeErr(`${(e as Error).stack}\n`);
    }
    await troubleDocumentFor(argv, kind, message, input);
    return EXIT.TROUBLE;
  }
}

/** `check --format F` that ended before its report: the document F promises, with the error in it. */
async function troubleDocumentFor(argv: string[], kind: 'option' | 'usage' | 'internal', message: string, input?: string): Promise<void> {
  if (argv[0] !== 'check') return;
  try {
    const { checkFormatIn, troubleDocument } = await import('./commands/check.js');
    const format = checkFormatIn(argv);
    if (format) writeOut(troubleDocument(format, kind, message, input));
  } catch (e) {
    errLine(`vdso-layout: internal error: ${(e as Error).message}`);
  }
}

// If the event loop empties while main() is still pending (a promise that never settles),
// that is a bug: never let it pass as a silent exit 0.
let settled = false;
process.on('beforeExit', () => {
  if (!settled) { writeErr('vdso-layout: internal error: exited before finishing\n'); process.exitCode = EXIT.TROUBLE; settled = true; }
});
main(process.argv.slice(2)).then((code) => {
  settled = true;
  process.exitCode = code;
  // All output is written (writeSync) unless a write fell back to the streams, which must drain
  // first. Exiting now skips the event loop's last turn and an idle-time GC (~1 ms of a check).
  if (!viaStreams) process.exit(code);
});
