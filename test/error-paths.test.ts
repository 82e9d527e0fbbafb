// Every way a check can end without judging everything, in every format, read by the format's
// own grammar: a usage error (commander's and ours), an unreadable file an option names (--vdso,
// --auxv, --profile, a kernel given as --vdso), an unreadable capture (one whose name holds
// control characters among them), and a failure next to an unreadable capture (exit 1: the
// failure decides). Each output must be a whole document with the error inside it, and stderr
// one `vdso-layout: ` line per error. A bug (internal error) is in error-internal.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, readText, sample, ROOT, type CliResult, AMD64_ENTRY } from './helpers.js';
import { runCli, type InProcessResult } from './run-in-process.js';
import { UNSAFE_OUTPUT, hasXmllint, parseGithub, parseJunit, parseKtap, strictSchema, xmllint } from './formats.js';

const dir = mkdtempSync(join(tmpdir(), 'vl-errpaths-'));
const good = sample(AMD64_ENTRY, 'maps-pid1.txt');
const img = sample(AMD64_ENTRY, 'vdso64.so');
const bad = join(dir, 'bad-maps.txt');
writeFileSync(bad, readText(good).replace(/(7ffc6bbe2000-[0-9a-f]+) r-xp/, '$1 rwxp'));
const missingImage = join(dir, 'build', 'vdso64.so.dbg');
const missingAuxv = join(dir, 'auxv.txt');
const nanProfile = join(dir, 'p.json');
writeFileSync(nanProfile, '{\n  "schema": NaN\n}\n');
const kernel = join(ROOT, 'samples', 'kernels', 'vmlinuz-6.1.0-50-686-pae');
// A name an attacker or an accident could give: newline, ESC + OSC, BEL, NEL (U+0085), U+2028, RLO.
const hostile = join(dir, 'x\n\x1b]0;owned\x07\x1b[31m\u0085\u2028\u202e.txt');

type Kind = 'capture' | 'option' | 'usage';
interface Path { name: string; args: string[]; code: 0 | 1 | 2; errors: Array<{ kind: Kind; input?: string; message: RegExp }> }
const PATHS: Path[] = [
  { name: 'an unknown option (commander)', args: ['check', good, '--bogus'], code: 2, errors: [{ kind: 'usage', message: /unknown option '--bogus'/ }] },
  { name: 'a bad --page-size', args: ['check', good, '--page-size', '3'], code: 2, errors: [{ kind: 'usage', message: /--page-size: 3 is not a page size/ }] },
  { name: 'a missing --vdso', args: ['check', good, '--vdso', missingImage], code: 2, errors: [{ kind: 'option', input: missingImage, message: /vdso64\.so\.dbg: no such file$/ }] },
  { name: 'a kernel given as --vdso', args: ['check', good, '--vdso', kernel], code: 2, errors: [{ kind: 'option', input: kernel, message: /this looks like a kernel image \(an x86 bzImage\), not a vDSO; `vdso-layout extract` takes the vDSO out of it$/ }] },
  { name: 'a missing --auxv', args: ['check', good, '--auxv', missingAuxv], code: 2, errors: [{ kind: 'option', input: missingAuxv, message: /auxv\.txt: no such file$/ }] },
  { name: 'a --profile that is not JSON', args: ['check', good, '--profile', nanProfile], code: 2, errors: [{ kind: 'option', input: nanProfile, message: /p\.json:2:13: not valid JSON/ }] },
  { name: 'an unreadable capture with control characters in its name, next to a passing one', args: ['check', good, hostile, '--vdso', img], code: 2, errors: [{ kind: 'capture', input: hostile, message: /: no such file$/ }] },
  { name: 'a failing capture and an unreadable one', args: ['check', bad, join(dir, 'absent.txt'), '--vdso', img], code: 1, errors: [{ kind: 'capture', input: join(dir, 'absent.txt'), message: /absent\.txt: no such file$/ }] },
];

const FORMATS = ['text', 'json', 'ktap', 'junit', 'github'] as const;

describe.each(PATHS)('$name', (path) => {
  let runs: Record<(typeof FORMATS)[number], CliResult>;
  // The same line once more with every format as a --report file besides stdout's.
  let reported: InProcessResult;
  beforeAll(async () => {
    runs = {} as typeof runs;
    for (const f of FORMATS) runs[f] = await runCli([...path.args, '--format', f]);
    reported = await runCli([...path.args, ...FORMATS.flatMap((f) => ['--report', `${f}=report.${f}`])], { files: 'memory' });
  });
  const [error] = path.errors;

  it('--report FORMAT=FILE: each file holds the document --format FORMAT prints, with the same exit code; a text file, what a terminal shows', async () => {
    expect(reported.code).toBe(path.code);
    // junit's time attributes are measured per run.
    const untimed = (x: string | undefined) => x?.replace(/ time="[0-9.]+"/g, '');
    for (const f of FORMATS.filter((x) => x !== 'text')) expect(untimed(reported.files.get(`report.${f}`)), f).toBe(untimed(runs[f].stdout));
    // Text: the document, then each error's stderr line (before, a usage error left the file empty).
    expect(reported.files.get('report.text')).toBe(runs.text.stdout + runs.text.stderr);
    expect(reported.files.get('report.text')!.split('\n').filter((l) => l.startsWith('vdso-layout: ')).length).toBe(path.errors.length);
  });

  it('exits with the documented code; stderr is one vdso-layout line per error, nothing raw from a file name', async () => {
    for (const f of FORMATS) {
      const r = runs[f];
      expect(r.code, `${f}: ${r.stderr}`).toBe(path.code);
      const lines = r.stderr.split('\n').filter((l) => l !== '');
      expect(lines.length, r.stderr).toBe(path.errors.length);
      for (const l of lines) { expect(l).toMatch(/^vdso-layout: /); expect(l).not.toMatch(UNSAFE_OUTPUT); }
      expect(r.stdout, f).not.toMatch(UNSAFE_OUTPUT);
    }
  });

  it('json: valid under the schema compiled in ajv strict mode, the error a result with its kind', async () => {
    const j = JSON.parse(runs.json.stdout);
    const validate = strictSchema('check-1');
    expect(validate(j), JSON.stringify(validate.errors)).toBe(true);
    const errs = j.results.filter((r: { verdict: string }) => r.verdict === 'error');
    expect(errs.length).toBe(path.errors.length);
    expect(errs[0].errorKind).toBe(error.kind);
    expect(errs[0].message).toMatch(error.message);
    if (error.input) expect(errs[0].input).toBe(error.input);
  });

  it('ktap: parses as KTAP v1, the error a top-level "not ok … # ERROR"', async () => {
    const top = parseKtap(runs.ktap.stdout).filter((t) => t.depth === 0);
    expect(top.filter((t) => t.directive === 'ERROR').length).toBe(path.errors.length);
    expect(top.every((t) => t.ok || t.directive === 'ERROR' || path.code === 1)).toBe(true);
  });

  it('junit: junit-10.xsd\'s shape with time attributes, one <error> per error' + (hasXmllint ? ', and xmllint reads it' : ''), async () => {
    const cases = parseJunit(runs.junit.stdout);
    const errored = cases.filter((c) => c.error);
    expect(errored.length).toBe(path.errors.length);
    expect(errored[0].error![0].type).toBe(error.kind === 'usage' ? 'usage' : 'input');
    if (hasXmllint) expect(xmllint(runs.junit.stdout)).toBe('');
  });

  it('github: every line a workflow command; the error is ::error with title "vdso-layout unreadable" (a file) or "vdso-layout usage"', async () => {
    const cmds = parseGithub(runs.github.stdout);
    const titled = cmds.filter((c) => c.props.title === (error.kind === 'usage' ? 'vdso-layout usage' : 'vdso-layout unreadable'));
    expect(titled.length, runs.github.stdout).toBe(path.errors.length);
    expect(titled[0].level).toBe('error');
    expect(titled[0].data).toMatch(error.message);
    if (error.kind === 'usage') expect(titled[0].props.file).toBeUndefined();
    // A file name with CR/LF comes back exactly; other controls are spelt out (never raw in a log).
    else if (!/[\x1b\x07\u0085\u2028\u202e]/.test(error.input!)) expect(titled[0].props.file).toBe(error.input);
    else expect(titled[0].props.file).toBe(error.input!.replace(/[\x1b\x07\u0085\u2028\u202e]/g, (c) => (c.charCodeAt(0) < 0x100 ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16)}`)));
  });

  it('text: nothing on stdout but the judged processes (the error is on stderr)', async () => {
    if (path.code === 1) expect(runs.text.stdout).toMatch(/^FAIL /m);
    else expect(runs.text.stdout).not.toMatch(/^FAIL /m);
  });
});

describe('control characters from a maps name never reach an output raw', () => {
  // A failing capture whose special-mapping names and file name carry ESC/OSC, BEL, BS, FF, NEL, U+2028.
  const nasty = '\x1b]8;;http:x\x07link\x1b]8;;\x07\b\f\u0085\u2028';
  const file = join(dir, `nasty${nasty}.txt`);
  writeFileSync(file, readText(good).replace('[vvar]', `[vvar${nasty}]`));
  for (const f of FORMATS) {
    it(`${f}`, async () => {
      const r = await runCli(['check', file, '--vdso', img, '--format', f, '-v']);
      expect(r.code).toBe(1);
      for (const l of r.stdout.split('\n')) expect(l, JSON.stringify(l)).not.toMatch(UNSAFE_OUTPUT);
      if (f === 'ktap') parseKtap(r.stdout);
      if (f === 'github') expect(parseGithub(r.stdout).length).toBeGreaterThan(0);
      if (f === 'junit') parseJunit(r.stdout);
      if (f === 'json') expect(JSON.parse(r.stdout).results[0].input).toBe(file); // JSON keeps the exact data
      if (f === 'text') expect(r.stdout).toContain('\\x1b]8;;http:x\\x07link');
    });
  }
});

describe('other commands\' --json: a whole document on every exit path, the error in it', () => {
  // Before, stdout was empty when synth, diff, profiles or extract failed (inspect had its own only for unreadable images).
  const cases: Array<[name: string, args: string[], schema: string, kind: string, message: RegExp]> = [
    ['synth: a missing --vdso', ['synth', '--vdso', missingImage, '--json'], 'vdso-layout/synth/1', 'option', /vdso64\.so\.dbg: no such file$/],
    ['synth: an unknown option', ['synth', '--json', '--bogus'], 'vdso-layout/synth/1', 'usage', /^unknown option '--bogus' \(run vdso-layout --help for usage\)$/],
    ['diff: a missing capture', ['diff', good, join(dir, 'absent.txt'), '--json'], 'vdso-layout/diff/1', 'option', /absent\.txt: no such file$/],
    ['profiles: an unknown --arch', ['profiles', '--arch', 'vax', '--json'], 'vdso-layout/profiles/1', 'usage', /^unknown architecture 'vax'/],
    ['extract: a missing kernel', ['extract', join(dir, 'absent-kernel'), '--json'], 'vdso-layout/extract/1', 'option', /absent-kernel: no such file$/],
  ];
  it.each(cases)('%s', async (_name, args, schema, kind, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['schema', 'error']);
    expect(doc.schema).toBe(schema);
    expect(doc.error.kind).toBe(kind);
    expect(doc.error.message).toMatch(message);
    expect(r.stderr).toBe(`vdso-layout: ${doc.error.message}\n`);
  });
  it('inspect: a usage error is an entry of its errors, under its schema', async () => {
    const r = await runCli(['inspect', '--json', '--bogus']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(strictSchema('inspect-1')(doc)).toBe(true);
    expect(doc).toEqual({ schema: 'vdso-layout/inspect/1', images: [], errors: [{ file: '', message: "unknown option '--bogus' (run vdso-layout --help for usage)" }] });
  });
});

describe('other commands: text from an input never reaches the output raw', () => {
  // An ESC, OSC, BEL or newline in a file name, a directory or the image's own strings: each
  // printed raw before (a terminal would act on it). JSON keeps the exact string, \u-escaped.
  const clean = (out: string) => { for (const l of out.split('\n')) expect(l, JSON.stringify(l)).not.toMatch(UNSAFE_OUTPUT); };
  it('diff: the file names in its header', async () => {
    const named = join(dir, 'a\x1b[31mred.txt');
    writeFileSync(named, readText(good));
    const r = await runCli(['diff', good, named]);
    expect(r.code).toBe(0);
    clean(r.stdout);
    expect(r.stdout).toContain('after (' + join(dir, 'a\\x1b[31mred.txt') + ')');
  });
  it('inspect: the file name, and the image\'s version and symbol names', async () => {
    const bytes = readFileSync(img);
    const edited = Buffer.from(bytes.toString('latin1').replace('LINUX_2.6', 'LIN\x1b]0;X\x07').replace('__vdso_getcpu', '__vd\x1b[31m\x07cpu'), 'latin1');
    expect(edited.length).toBe(bytes.length);
    const named = join(dir, 'img\x1b[31m\nx.so');
    writeFileSync(named, edited);
    const text = await runCli(['inspect', named]);
    expect(text.code).toBe(0);
    clean(text.stdout);
    expect(text.stdout).toContain('versions    LIN\\x1b]0;X\\x07');
    expect(text.stdout).toContain('__vd\\x1b[31m\\x07cpu@@LIN');
    const json = await runCli(['inspect', '--json', named]);
    clean(json.stdout);
    const doc = JSON.parse(json.stdout);
    expect(doc.images[0].file).toBe(named);
    expect(doc.images[0].versions).toEqual(['LIN\x1b]0;X\x07']);
  });
  it('extract: the -o directory in its lines', async () => {
    const out = join(dir, 'ex\x1b[31mdir');
    const r = await runCli(['extract', join(ROOT, 'samples', 'extract', 'xz', 'x86-crc32.xz'), '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    clean(r.stdout);
    expect(r.stdout).toContain(join(dir, 'ex\\x1b[31mdir', 'x86_64-64.so'));
  });
  it('a user profile: an id or a name with control characters, and page counts past 4096, are refused naming the field', async () => {
    const base = JSON.parse(readText(join(ROOT, 'samples', 'profiles', 'ppc-2020-datapage-in-front.json')));
    base.regions = [{ name: '[vvar]', role: 'data', pages: 1, perms: 'r--p' }, { name: '[vdso]', role: 'text', perms: 'r-xp' }];
    const fine = join(dir, 'profile-fine.json');
    writeFileSync(fine, JSON.stringify(base));
    expect((await runCli(['synth', '--arch', 'powerpc', '--profile', fine, '--diagram'])).code).toBe(0);
    const refused = async (edit: (p: Record<string, unknown>) => void, field: string) => {
      const p = structuredClone(base); edit(p);
      const f = join(dir, `profile-${field.replace(/\W/g, '_')}.json`);
      writeFileSync(f, JSON.stringify(p));
      const r = await runCli(['synth', '--arch', 'powerpc', '--profile', f, '--diagram']);
      expect([r.code, r.stdout], field).toEqual([2, '']);
      expect(r.stderr).toMatch(new RegExp(`^vdso-layout: .*\\(${field.replace(/[[\]]/g, '\\$&')}\\)\\n$`));
      clean(r.stderr);
    };
    await refused((p) => { p.id = 't\x1b[2J\n#x'; }, 'id');
    await refused((p) => { (p.regions as Array<Record<string, unknown>>)[0].pages = 1e15; }, 'regions[0].pages');
    await refused((p) => { (p.regions as Array<Record<string, unknown>>)[0].pages = 4097; }, 'regions[0].pages');
    await refused((p) => { (p.regions as Array<Record<string, unknown>>)[1].dataPagesBefore = 1e18; }, 'regions[1].dataPagesBefore');
    await refused((p) => { (p.regions as Array<Record<string, unknown>>)[0].name = '[v\x1b[31mvar]'; }, 'regions[0].name');
  });
});

describe('other commands: bad input is exit 2 with one line', () => {
  it('no command, help for no command, two outputs for one: one line, not the whole help (the format audit\'s C1, C3)', async () => {
    const list = 'expected one of inspect, synth, check, diff, capture-script, capture, extract, profiles (run vdso-layout --help for usage)';
    for (const [args, line] of [[[], `no command given: ${list}`], [['help', 'nosuch'], `help: no command 'nosuch': ${list}`]] as const) {
      const r = await runCli([...args]);
      expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `vdso-layout: ${line}\n`]);
    }
    expect((await runCli(['help', 'check'])).code).toBe(0);
    const both = await runCli(['profiles', '--json', '--markdown']);
    expect([both.code, JSON.parse(both.stdout).error.message]).toEqual([2, "option '--markdown' cannot be used with option '--json' (run vdso-layout --help for usage)"]);
  });
  it('check: --profile and --arch of families that do not run each other\'s tasks are refused, as synth refuses them (the profile won in silence)', async () => {
    const r = await runCli(['check', good, '--arch', 'arm64', '--profile', 'x86-5.6']);
    expect([r.code, r.stderr]).toEqual([2, `vdso-layout: ${good}: profile x86-5.6 (x86) does not run aarch64 tasks (--arch is arm64)\n`]);
    expect((await runCli(['check', sample(AMD64_ENTRY, 'maps-compat32.txt'), '--arch', 'i686', '--profile', 'x86-5.6'])).code).toBe(0);
    // And a profile against the image's task names the image, not an --arch nobody gave.
    const image = await runCli(['check', good, '--profile', 'x86-5.6', '--vdso', sample('armhf-6.1.0-50-armmp', 'vdso.so')]);
    expect([image.code, image.stderr]).toEqual([2, `vdso-layout: ${good}: profile x86-5.6 (x86) does not run arm tasks (the image is arm)\n`]);
  });
  it('a --report to "-" is refused (stdout is --format\'s; it wrote a file named -), and one line read is said as one', async () => {
    const dash = await runCli(['check', good, '--report', 'json=-'], { files: 'memory' });
    expect([dash.code, dash.stderr, [...dash.files.keys()]]).toEqual([2, "vdso-layout: --report json=-: a report goes to a file (stdout is --format json's)\n", []]);
    const one = cli(['check', '-'], { input: 'x\n' });
    expect(one.stderr).toBe('vdso-layout: -: no /proc/PID/maps lines found (1 line read)\n');
  });
  it('synth on a 32-bit kernel draws its cluster below that kernel\'s TASK_SIZE (it drew 0xf7ef0000, above i386\'s 0xc0000000)', async () => {
    for (const [arch, first] of [['i686', 'b7efc000-b7f00000 r--p'], ['armv7l', 'b6fef000-b6ff0000 r--p']] as const) {
      expect((await runCli(['synth', '--arch', arch, '--kernel', '6.1', '--text-pages', '1'])).stdout.split('\n')[0].startsWith(first), arch).toBe(true);
    }
    expect((await runCli(['synth', '--arch', 'i686', '--kernel-bits', '64', '--kernel', '6.1', '--text-pages', '1'])).stdout).toMatch(/^f7e[0-9a-f]{5}-/);
  });
  it('synth --base off a page boundary: lines the kernel never prints, so exit 2', async () => {
    const r = await runCli(['synth', '--vdso', sample('amd64-7.2.13+deb14-amd64', 'vdso64.so'), '--base', '0x7f354d8e9001']);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', "vdso-layout: --base: 0x7f354d8e9001 is not a multiple of the page size (4096 bytes): the kernel maps the vDSO on a page boundary\n"]);
    expect((await runCli(['synth', '--vdso', sample('amd64-7.2.13+deb14-amd64', 'vdso64.so'), '--base', '0x7f354d8e9000'])).code).toBe(0);
  });
  it('synth: a --base or --text-pages that puts the cluster outside the task\'s address space is exit 2, not malformed lines', async () => {
    const refused = async (args: string[], message: string) => {
      const r = await runCli(['synth', ...args]);
      const stdout = args.includes('--json') ? JSON.stringify({ schema: 'vdso-layout/synth/1', error: { kind: 'usage', message, input: null } }, null, 2) + '\n' : '';
      expect([r.code, r.stdout, r.stderr], args.join(' ')).toEqual([2, stdout, `vdso-layout: ${message}\n`]);
    };
    // Before: exit 0 with "000-6000-000-2000 r--p …" and a JSON start of "-0x6000".
    await refused(['--arch', 'x86', '--base', '0'], "--base 0 put the vDSO cluster from -0x6000 to 0x1000, outside a 64-bit task's address space (0x0 to 0xffffffffffffffff)");
    await refused(['--arch', 'x86', '--base', '0', '--json'], "--base 0 put the vDSO cluster from -0x6000 to 0x1000, outside a 64-bit task's address space (0x0 to 0xffffffffffffffff)");
    await refused(['--arch', 'x86', '--text-pages', '4503599627370497'], "--text-pages 4503599627370497 put the vDSO cluster from 0x7ffff7fba000 to 0x100007ffff7fc1000, outside a 64-bit task's address space (0x0 to 0xffffffffffffffff)");
    await refused(['--arch', 'i386', '--base', '0xfffff000'], "--base 0xfffff000 put the vDSO cluster from 0xffff9000 to 0x100000000, outside a 32-bit task's address space (0x0 to 0xffffffff)");
    await refused(['--arch', 'armhf', '--base', '0x100000000'], "--base 0x100000000 put the vDSO cluster from 0xffffc000 to 0x100001000, outside a 32-bit task's address space (0x0 to 0xffffffff)");
    // The edges that fit, and x32 (ILP32 on a 64-bit kernel) placed below 4 GiB by default.
    // Nor above where a 64-bit task's user space ends (its family's widest stack top).
    await refused(['--arch', 'x86_64', '--base', '0xffffffffffff0000'], "--base 0xffffffffffff0000 puts the vDSO cluster up to 0xffffffffffff1000, above where a x86 kernel's 64-bit task's user space ends (0x800000000000): no kernel maps it there");
    for (const args of [['--arch', 'x86', '--base', '0x6000'], ['--arch', 'i386', '--base', '0xffffe000'], ['--arch', 'x86_64', '--base', '0x7ffffffef000'], ['--arch', 'x32']]) {
      const r = await runCli(['synth', '--text-pages', '1', ...args]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    expect((await runCli(['synth', '--arch', 'x32', '--text-pages', '2'])).stdout).toMatch(/^f7e[0-9a-f]{5}-/);
  });
  it('--profile: a mistyped row id (it has a dot) is named as one, with its family\'s rows, not "no such file"', async () => {
    const r = await runCli(['check', good, '--profile', 'x86-6.1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^vdso-layout: --profile: no built-in profile 'x86-6\.1' \(the x86 rows: x86-2\.6\.18, .*x86-5\.6, x86-6\.13, x86-6\.15; see vdso-layout profiles\), and no file of that name\n$/);
    expect((await runCli(['synth', '--profile', 'nosuch.5'])).stderr).toBe("vdso-layout: --profile: no built-in profile 'nosuch.5' (see vdso-layout profiles), and no file of that name\n");
    // The family is recognised whatever the case or separator typed.
    for (const typo of ['X86-5.6', 'x86_5.6', 'ARM64-6.1']) {
      expect((await runCli(['check', good, '--profile', typo])).stderr, typo).toMatch(/ \((the x86|the arm64) rows: /);
    }
    // A kernel release is printable: one with an escape in it is refused (it was taken, and shown escaped).
    expect((await runCli(['check', good, '--kernel', '6.1\x1b[2J'])).stderr).toBe("vdso-layout: --kernel: expected a kernel release such as 6.1, 6.1.0-56-amd64 or 5.14.0-427.el9.x86_64, not '6.1\\x1b[2J'\n");
    // A path is a file the user meant: its own message.
    expect((await runCli(['synth', '--profile', join(dir, 'nope.json')])).stderr).toBe(`vdso-layout: ${join(dir, 'nope.json')}: no such file\n`);
  });
  it('synth: flags that name two families, or a kernel width the family or task has not, are exit 2; a profile alone names its family', async () => {
    const refused = async (args: string[], message: string) => {
      const r = await runCli(['synth', ...args]);
      expect([r.code, r.stdout, r.stderr], args.join(' ')).toEqual([2, '', `vdso-layout: ${message}\n`]);
    };
    // Each of these printed lines before, exit 0: an x86 layout for an arm64 image, 32-bit lines for x86_64.
    await refused(['--profile', 'x86-5.6', '--vdso', sample('arm64-6.1.0-56-arm64', 'vdso64.so')], 'profile x86-5.6 (x86) does not run aarch64 tasks (the image is aarch64)');
    await refused(['--profile', 'x86-5.6', '--arch', 'powerpc'], 'profile x86-5.6 (x86) does not run ppc64le tasks (--arch is ppc64le)');
    await refused(['--kernel-bits', '32', '--arch', 'x86_64'], 'a 32-bit kernel (--kernel-bits 32) does not run x86_64 tasks');
    await refused(['--kernel-bits', '32', '--arch', 'arm64'], 'a 32-bit kernel (--kernel-bits 32) is no arm64 kernel: arm64 kernels are 64-bit');
    await refused(['--kernel-bits', '64', '--arch', 'arm'], 'a 64-bit kernel (--kernel-bits 64) is no arm kernel: arm kernels are 32-bit (a 64-bit ARM kernel is arm64)');
    // "no architecture: give --vdso IMAGE or --arch NAME" before: the profile says powerpc.
    const profiled = await runCli(['synth', '--profile', join(ROOT, 'samples', 'profiles', 'ppc-2020-datapage-in-front.json'), '--text-pages', '1', '--diagram']);
    expect(profiled.code, profiled.stderr).toBe(0);
    expect(profiled.stdout).toMatch(/^# ppc64le on a 64-bit powerpc kernel .*; profile ppc-2020-datapage-in-front\n/);
    // An arm userland's name on a 64-bit kernel is arm64's compat task, as check reads it.
    const compat = await runCli(['synth', '--arch', 'armhf', '--kernel-bits', '64', '--text-pages', '1', '--diagram']);
    expect(compat.stdout).toMatch(/^# arm \(compat task\) on a 64-bit arm64 kernel /);
  });
  it('inspect of a kernel points at extract', async () => {
    const r = await runCli(['inspect', kernel]);
    expect([r.code, r.stderr]).toEqual([2, `vdso-layout: ${kernel}: this looks like a kernel image (an x86 bzImage), not a vDSO; \`vdso-layout extract\` takes the vDSO out of it\n`]);
  });
  it('diff: a --page-size some vma is finer than, or an aux vector of another process, is exit 2 with one line (not "moved -208790267 page(s)")', async () => {
    const after = sample('amd64-7.2.13+deb14-amd64', 'maps-pid1.txt');
    const coarse = await runCli(['diff', good, after, '--page-size', '64K']);
    expect([coarse.code, coarse.stdout]).toEqual([2, '']);
    expect(coarse.stderr).toMatch(new RegExp(`^vdso-layout: --page-size 65536 does not fit ${good.replace(/[.+]/g, '\\$&')}'s own lines: line \\d+'s vma [0-9a-f]+-[0-9a-f]+ is not on 65536-byte pages, and a kernel maps nothing finer than its page\n$`));
    expect((await runCli(['diff', good, after, '--page-size', '4K'])).code).toBe(1);
    const foreign = await runCli(['diff', good, after, '--auxv-after', sample(AMD64_ENTRY, 'auxv-pid1.txt')]);
    expect([foreign.code, foreign.stdout]).toEqual([2, '']);
    expect(foreign.stderr).toMatch(/^vdso-layout: .*maps-pid1\.txt:1: AT_SYSINFO_EHDR 0x7ffc6bbe2000 \(from .*auxv-pid1\.txt\) is in no vma of this process: the aux vector is another process's\n$/);
    // Its own aux vector is taken.
    expect((await runCli(['diff', good, after, '--auxv-before', sample(AMD64_ENTRY, 'auxv-pid1.txt')])).code).toBe(1);
  });
  it('diff of a log with several processes: --block is required, and the block used is named', async () => {
    const log = sample('amd64-7.2.13+deb14-amd64', 'console.log');
    const r = await runCli(['diff', good, log]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^vdso-layout: ${log.replace(/[.+]/g, '\\$&')}: has 8 maps blocks \\(processes\\): 1 maps-self \\(line \\d+\\), 2 maps-pid1 .*; choose one with --block N \\(or --block BEFORE:AFTER\\)\\n$`));
    const ok = await runCli(['diff', good, log, '--block', '1:2']);
    expect(ok.code).toBe(1);
    expect(ok.stdout).toContain(`after (${log}#maps-pid1)`);
    expect(ok.stdout).toContain(`before (${good})`);
    expect((await runCli(['diff', good, log, '--block', '0'])).stderr).toBe("vdso-layout: --block: expected a process number from 1 (N, or BEFORE:AFTER), not '0'\n");
    // A block the capture lacks is a wrong flag (a usage error), said with the capture's name; nothing on stdout.
    const none = await runCli(['diff', good, log, '--block', '2']);
    expect([none.code, none.stdout, none.stderr]).toEqual([2, '', `vdso-layout: ${good}: has 1 maps block(s), no block 2\n`]);
  });
});
