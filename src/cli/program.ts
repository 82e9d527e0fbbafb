// The one option table: every command, its arguments and options, in the order help lists them.
// Each action is a line: load its command module (lazily, so start-up stays close to bare
// `node`), call it with the parsed options and the streams, keep its exit code.
import { Command, Option } from 'commander';
import type { ChalkInstance } from 'chalk';
import type { Streams } from '../commands/streams.js';
import type { ColorMode } from '../report/color.js';
import { FORMATS } from '../report/formats.js';
import { VERSION } from '../version.js';
import { collectReport } from './check-outputs.js';
import type { Shell } from './shell.js';

/** The commands, in the order help lists them. */
export const COMMANDS = ['inspect', 'synth', 'check', 'diff', 'capture-script', 'capture', 'extract', 'profiles'] as const;

/** What the actions need from run(): the shell, one-line errors, and where the exit code goes. */
interface ProgramContext {
  shell: Shell;
  /** One error or warning line on stderr (made visible: no escape of a file name reaches the terminal). */
  errLine: (s: string) => void;
  /** Every action ends here, also with 0: run() learns that the command ran (RunDepth). */
  exit: (code: number) => void;
}

const colorOption = () => new Option('--color <when>', 'color output: auto, always, never').choices(['auto', 'always', 'never']).default('auto');

/**
 * The program, with every command, or with `only` that one (what a run of one command needs:
 * defining the others' options costs a share of start-up, and commander parses that command the
 * same either way; help and unknown commands need them all).
 */
/** What a usage error commander finds ends with, on its one line (README: bad input is one line). */
export const USAGE_HINT = '(run vdso-layout --help for usage)';

export function buildProgram(ctx: ProgramContext, only?: string): Command {
  const { shell, errLine, exit } = ctx;
  const want = (name: (typeof COMMANDS)[number]) => only === undefined || only === name;
  const chalkFor = async (mode: ColorMode): Promise<ChalkInstance> => {
    const { colorLevel, makeChalk } = await import('../report/color.js');
    return await makeChalk(colorLevel(mode, shell.env, mode === 'auto' ? shell.stdoutIsTTY() : false));
  };
  const streams = async (color: ColorMode): Promise<Streams> => ({ out: shell.out, err: errLine, chalk: await chalkFor(color), writeFile: shell.writeFile });

  const program = new Command('vdso-layout');
  program
    .description('Check where the kernel maps the vDSO text and its data pages against /proc/PID/maps captures.')
    .version(VERSION, '-V, --version')
    // A usage error is one line, the pointer to --help on it (commander's showHelpAfterError adds a second).
    .configureOutput({ writeOut: shell.out, writeErr: (s) => (s.startsWith('error:') ? errLine(`vdso-layout: ${s.slice(7).trimEnd()} ${USAGE_HINT}`) : shell.err(s)) })
    .exitOverride();

  if (want('inspect')) program.command('inspect')
    .description('decode vDSO images: arch, SONAME, kernel version, build-id, segments, symbols, versions, data-page symbols')
    .argument('[image...]', 'vdso.so / vdso64.so / vdso32.so / *.so.dbg, or bytes dumped from a [vdso] mapping')
    .option('--live', "inspect the running machine's own [vdso] (from /proc/self/maps and /proc/self/mem)")
    .option('--json', 'machine-readable output (schema vdso-layout/inspect/1)')
    .addOption(colorOption())
    .action(async (images: string[], opts: { live?: boolean; json?: boolean; color: ColorMode }) => {
      const { runInspect } = await import('../commands/inspect.js');
      exit(await runInspect(images, opts, await streams(opts.color)));
    });

  const layoutOptions = (cmd: Command) => cmd
    .option('--vdso <image>', 'the vDSO image (vdso64.so, vdso32.so, *.so.dbg, or a dump of [vdso])')
    .option('--arch <name>', 'kernel architecture: uname -m (x86_64, aarch64, ppc64le…), kernel ARCH (x86, arm64, powerpc…) or Debian (amd64, armhf, ppc64el…)')
    .option('--kernel <version>', 'the kernel release the target ran, e.g. 6.1 or 6.1.0-56-amd64 (a capture that names its own must agree at x.y; --profile holds it to another row)')
    .option('--page-size <bytes>', 'kernel page size: 4096, 16K, 64K')
    .option('--profile <name|file>', 'a built-in profile id (see `profiles`) or a JSON profile file')
    .option('--kernel-bits <bits>', "the kernel's pointer size, 32 or 64 (compat tasks: 64)")
    .option('--nr-cpus <n>', "the kernel's CONFIG_NR_CPUS, which sizes LoongArch's [vvar] (a capture that says its own must agree)");

  if (want('synth')) layoutOptions(program.command('synth'))
    .description('print the exact /proc/PID/maps lines the kernel should show for the vDSO cluster')
    .option('--base <addr>', 'text base (AT_SYSINFO_EHDR), hex; default a plausible address')
    .option('--text-pages <n>', 'text size in pages when no --vdso is given')
    .option('--diagram', 'draw the regions, low to high, with page roles')
    .option('--json', 'machine-readable output (schema vdso-layout/synth/1)')
    .addOption(colorOption())
    .action(async (opts) => {
      const { runSynth } = await import('../commands/synth.js');
      exit(runSynth(opts, await streams(opts.color)));
    });

  if (want('check')) layoutOptions(program.command('check'))
    .description('check captured /proc/PID/maps (a file, a console log, a bundle, or - for stdin) against the layout the kernel must produce; no CAPTURE checks this machine')
    .argument('[capture...]', 'maps files, console logs or capture bundles; - reads stdin')
    .option('--auxv <file>', 'the aux vector of the captured process (binary, od/hexdump/xxd text, or LD_SHOW_AUXV output)')
    .addOption(new Option('--auxv-word-size <bytes>', 'word size of a binary/hex aux vector (default: inferred)').choices(['4', '8']))
    .addOption(new Option('--auxv-endian <order>', 'byte order of a binary/hex aux vector (default: inferred)').choices(['le', 'be']))
    .addOption(new Option('--format <fmt>', 'output format on stdout').choices(FORMATS).default('text'))
    .option('--report <format=file>', `also write a report in FORMAT (${FORMATS.join(', ')}) to FILE; repeatable`, collectReport)
    .option('--strict', 'every line that is not a maps line is an error')
    .option('-q, --quiet', 'print nothing for passing processes')
    .option('-v, --verbose', 'also print warnings for passing processes')
    .addOption(colorOption())
    .action(async (captures: string[], opts) => {
      const { runCheck } = await import('../commands/check.js');
      const scanner = shell.env.VDSO_LAYOUT_SCANNER === 'js' ? 'js' : undefined;
      exit(await runCheck(captures, { ...opts, reports: opts.report, scanner }, await streams(opts.color)));
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
      const { runDiff } = await import('../commands/diff.js');
      exit(await runDiff(before, after, opts, { out: shell.out }));
    });

  if (want('capture-script')) program.command('capture-script')
    .description('print a POSIX sh script (busybox ash, dash, bash; needs cat, od, dd) that prints a capture bundle on a target without Node')
    .action(async () => {
      const { CAPTURE_SCRIPT } = await import('../capture/script.js');
      shell.out(CAPTURE_SCRIPT);
      exit(0);
    });

  if (want('capture')) program.command('capture')
    .description("write a capture bundle of this machine (this process's maps, auxv and [vdso] bytes)")
    .option('-o, --output <file>', 'write to FILE instead of stdout (never over an existing file)')
    .action(async (opts: { output?: string }) => {
      const { runCapture } = await import('../commands/capture.js');
      exit(runCapture(opts, { out: shell.out }));
    });

  if (want('extract')) program.command('extract')
    .description('find the vDSO images embedded in a kernel (vmlinux, Image, bzImage, zImage, EFI zboot, s390 vmlinuz; gzip/xz/zstd payloads)')
    .argument('<kernel>', 'kernel image file')
    .option('-o, --output <dir>', 'write each image to DIR/<arch>[-<abi>]-<bits>.so (never over existing files)')
    .option('--json', 'machine-readable output (schema vdso-layout/extract/1)')
    .action(async (kernel: string, opts) => {
      const { runExtract } = await import('../commands/extract.js');
      exit(await runExtract(kernel, opts, await streams('never')));
    });

  if (want('profiles')) program.command('profiles')
    .description('list the built-in layout profiles (arch, kernel range, page sizes, regions, source)')
    .option('--arch <name>', 'only this architecture')
    .option('--json', 'machine-readable output, every field unabridged (schema vdso-layout/profiles/1)')
    .addOption(new Option('--markdown', 'the history table as Markdown (as in README)').conflicts('json'))
    .action(async (opts) => {
      const { runProfiles } = await import('../commands/profiles.js');
      // Wrapped to the terminal, or to 80 columns when stdout is a file or a pipe.
      const width = shell.stdoutIsTTY() ? shell.stdoutColumns() : undefined;
      exit(runProfiles(opts, { out: shell.out, width }));
    });

  return program;
}
