import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Ajv } from 'ajv';
import { closeSync, mkdtempSync, openSync, readdirSync, writeFileSync, readFileSync, symlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, readText, sample, ROOT, AMD64_ENTRY } from './helpers.js';
import { FINDING_CODES } from '../src/check/findings.js';
import { runCli } from './run-in-process.js';
import { parseGithub, parseJunit, parseKtap } from './formats.js';

const good = sample(AMD64_ENTRY, 'maps-pid1.txt');
const img = sample(AMD64_ENTRY, 'vdso64.so');
// A broken copy: [vvar] one page short (the kernel's layout says 4).
const dir = mkdtempSync(join(tmpdir(), 'vl-check-'));
const bad = join(dir, 'bad-maps.txt');
writeFileSync(bad, readText(good).replace('7ffc6bbde000-7ffc6bbe2000 r--p', '7ffc6bbdf000-7ffc6bbe2000 r--p'));

describe('vdso-layout check (the CLI in-process; stdin through the built bin)', () => {
  it('no arguments checks this machine and passes', async () => {
    const r = await runCli(['check']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok \/proc\/self\/maps: profile x86-/);
  });

  it('this machine under a --kernel of another x.y than its own [vdso]\'s note: refused, as for a capture (it failed as that kernel\'s)', async () => {
    const own = (await runCli(['check', '--format', 'json'])).stdout;
    const running = JSON.parse(own).results[0].kernelVersion as string;
    const [major, minor] = running.split('.').map(Number);
    const other = minor > 0 ? `${major}.${minor - 1}` : `${major - 1}.0`;
    const r = await runCli(['check', '--kernel', other]);
    expect([r.code, r.stderr]).toEqual([2, `vdso-layout: /proc/self/maps: --kernel ${other} does not fit this capture's own [vdso] bytes (Linux ${running}): it would judge the process by another kernel's layout (give --profile to hold it to another row)\n`]);
    expect((await runCli(['check', '--kernel', `${major}.${minor}`])).code).toBe(0);
  });

  it('a /proc maps file named as a capture (fstat says size 0) is read to its end, like a pipe', async () => {
    const r = await runCli(['check', '/proc/self/maps', '--format', 'json']);
    expect(r.code).toBe(0);
    const [res] = JSON.parse(r.stdout).results;
    expect(res.verdict).toBe('pass');
    expect(res.actual.some((l: string) => l.endsWith('[vdso]'))).toBe(true);
  });

  it('a real capture with its image and auxv: quiet success, exit 0', async () => {
    const r = await runCli(['check', good, '--vdso', img, '--auxv', sample(AMD64_ENTRY, 'auxv-pid1.txt')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`ok ${good}: profile x86-5.6, 4K pages, 64-bit kernel, kernel 6.1.192, base 0x7ffc6bbe2000\n`);
    expect((await runCli(['check', '-q', good, '--vdso', img])).stdout).toBe('');
  });

  it('-q prints the run without its passes: the same failures, warnings counted the same (passes are kept as a summary only)', async () => {
    // Real boots, passing and failing, with warnings on passes (a compat task without its bytes).
    const gate = join(ROOT, 'samples', 'gate');
    const inputs = ['arm64-6.1-vvar-gap', 'x86-6.1-vma-mistake', 'x86-6.1-vvar-page', 'ppc64-2020'].flatMap((d) =>
      readdirSync(join(gate, d)).filter((s) => s.startsWith('step-')).map((s) => join(gate, d, s, 'console.log')));
    inputs.push(join(ROOT, 'samples', 'qemu', 'amd64-6.1.176-tinyconfig-compat-console.log'), sample(AMD64_ENTRY, 'maps-pid1.txt'));
    const full = await runCli(['check', ...inputs]);
    const quiet = await runCli(['check', '-q', ...inputs]);
    expect(quiet.code).toBe(full.code);
    expect(quiet.stderr).toBe(full.stderr);
    // The text without each "ok" line and the indented warnings under it.
    const lines = full.stdout.split('\n');
    const withoutPasses = lines.filter((l, i) => {
      if (l.startsWith('ok ')) return false;
      let k = i;
      while (k > 0 && lines[k].startsWith('  warning[')) k--;
      return !(k < i && lines[k].startsWith('ok '));
    }).join('\n');
    expect(lines.filter((l) => l.startsWith('ok ')).length).toBeGreaterThan(3);
    expect(full.stdout).toMatch(/^ {2}warning\[not-checked\]/m);
    expect(full.stdout).toMatch(/^\d+ processes checked: \d+ passed, \d+ failed, \d+ warnings$/m);
    expect(quiet.stdout).toBe(withoutPasses);
    // Passes without warnings (the image given) are kept as one shared summary: still counted.
    const mixed = [good, bad, good];
    const fullMixed = await runCli(['check', ...mixed, '--vdso', img]);
    const quietMixed = await runCli(['check', '-q', ...mixed, '--vdso', img]);
    expect(fullMixed.stdout).not.toMatch(/^ {2}warning/m);
    expect(quietMixed).toMatchObject({ code: 1, stderr: fullMixed.stderr });
    expect(quietMixed.stdout).toBe(fullMixed.stdout.split('\n').filter((l) => !l.startsWith('ok ')).join('\n'));
    expect(quietMixed.stdout).toMatch(/^3 processes checked: 2 passed, 1 failed$/m);
  });

  it('a broken capture: unified diff, findings with line numbers, exit 1', async () => {
    const r = await runCli(['check', bad, '--vdso', img]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('--- expected\tsynthesized by vdso-layout (x86-5.6)');
    expect(r.stdout).toContain(`+++ actual\t${bad}`);
    expect(r.stdout).toContain('-7ffc6bbde000-7ffc6bbe2000 r--p 00000000 00:00 0                          [vvar]');
    expect(r.stdout).toContain('+7ffc6bbdf000-7ffc6bbe2000 r--p 00000000 00:00 0                          [vvar]');
    expect(r.stdout).toContain('error[size] line 9: [vvar] has 3 pages, expected 4 pages');
  });

  it('--format json follows vdso-layout/check/1 (validated against schemas/check-1.schema.json)', async () => {
    const r = await runCli(['check', '--format', 'json', good, bad, join(dir, 'absent.txt'), '--vdso', img]);
    expect(r.code).toBe(1); // a failure outranks an unreadable input (README: Exit codes)
    const j = JSON.parse(r.stdout);
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas/check-1.schema.json'), 'utf8')));
    expect(validate(j), JSON.stringify(validate.errors)).toBe(true);
    expect(j.results[2]).toMatchObject({ verdict: 'error', message: `${join(dir, 'absent.txt')}: no such file` });
    j.results = j.results.slice(0, 2);
    expect(j.schema).toBe('vdso-layout/check/1');
    expect(j.results.map((x: { verdict: string }) => x.verdict)).toEqual(['pass', 'fail']);
    for (const res of j.results) {
      expect(Object.keys(res)).toEqual(expect.arrayContaining(['input', 'block', 'verdict', 'base', 'profile', 'expected', 'actual', 'findings']));
      expect(res.base).toMatch(/^0x[0-9a-f]+$/);
      for (const f of res.findings) {
        expect(FINDING_CODES).toContain(f.code);
        expect(['error', 'warning']).toContain(f.severity);
        expect(typeof f.message).toBe('string');
      }
    }
    expect(j.results[1].findings[0]).toMatchObject({ code: 'size', severity: 'error', line: 9 });
  });

  it('--format ktap is KTAP v1: version, plan, nested subtests, SKIP with reason', async () => {
    const r = await runCli(['check', '--format', 'ktap', good, bad, '--vdso', img]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual(['KTAP version 1', '1..2']);
    const result = /^(\s*)(ok|not ok) (\d+) ([^#]+?)(?: # (SKIP|ERROR)(?: (.*))?)?$/;
    const top: string[] = [];
    let nested = 0;
    for (const l of lines.slice(2)) {
      if (/^\s*# /.test(l) || /^\s*KTAP version 1$/.test(l) || /^\s*1\.\.\d+$/.test(l)) continue;
      const m = result.exec(l);
      expect(m, l).not.toBeNull();
      if (m![1] === '') top.push(`${m![2]} ${m![3]}`); else nested++;
    }
    expect(top).toEqual(['ok 1', 'not ok 2']);
    expect(nested).toBe(12);
    expect(r.stdout).toContain('  ok 4 auxv_base # SKIP no aux vector');
    expect(r.stdout).toContain('  # size: [vvar] has 3 pages, expected 4 pages\n  not ok 2 data_pages');
  });

  it('--format junit is well-formed XML with a failure per finding and an error per unreadable input', async () => {
    const r = await runCli(['check', '--format', 'junit', good, bad, join(dir, 'nope.txt'), '--vdso', img]);
    expect(r.code).toBe(1);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const x = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(r.stdout);
    const suite = x.testsuites.testsuite;
    expect([suite.tests, suite.failures, suite.errors]).toEqual(['3', '1', '1']);
    const [ok, fail, err] = suite.testcase;
    expect(ok.failure).toBeUndefined();
    expect(fail.failure).toMatchObject({ type: 'size' });
    expect(err.error.message).toBe(`${join(dir, 'nope.txt')}: no such file`);
  });

  it('--format github emits workflow annotations at the capture line', async () => {
    const r = await runCli(['check', '--format', 'github', bad, '--vdso', img]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(`::error file=${bad},line=9,title=vdso-layout size::[vvar] has 3 pages, expected 4 pages%0Aexpected: 7ffc6bbde000-7ffc6bbe2000 r--p 00000000 00:00 0                          [vvar]%0Aactual:   7ffc6bbdf000-7ffc6bbe2000 r--p 00000000 00:00 0                          [vvar]`);
  });

  it('reads stdin, and a whole noisy console log with uname (no image, no flags)', () => {
    const r = cli(['check', '-'], { input: readFileSync(sample('ppc64el-7.2.13+deb14-powerpc64le', 'console.log')) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ok -#maps-pid1: profile powerpc-6\.15, 4K pages, 64-bit kernel, kernel 7\.2\.13\+deb14-powerpc64le/);
    expect(r.stdout).toMatch(/\d+ processes checked: \d+ passed, 0 failed/);
  });

  it('an unreadable input is reported, the others still checked; exit 2', async () => {
    const r = await runCli(['check', join(dir, 'missing.txt'), good]);
    expect(r.code).toBe(2);
    // Text format: the unreadable input is said on stderr, as in every format; stdout keeps the verdicts.
    expect(r.stderr).toBe(`vdso-layout: ${join(dir, 'missing.txt')}: no such file\n`);
    expect(r.stdout).toContain(`ok ${good}`);
    expect(r.stdout).toContain('2 processes checked: 1 passed, 0 failed, 1 unreadable');
  });

  it('a file with no maps lines, and --strict on a noisy log: exit 2 with the position', async () => {
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'hello\nworld\n');
    expect((await runCli(['check', notes])).stderr).toContain('no /proc/PID/maps lines found (2 lines read)');
    const r = await runCli(['check', '--strict', sample('armhf-6.1.0-50-armmp', 'console.log')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/console\.log:1:1: CRLF line endings removed \(--strict\)/);
  });

  it('bad flags: one line, exit 2', async () => {
    expect((await runCli(['check', '--format', 'xml', good])).code).toBe(2);
    const r = await runCli(['check', '--page-size', '1000', good]);
    expect([r.code, r.stderr]).toEqual([2, 'vdso-layout: --page-size: 1000 is not a page size (a power of two from 4096 to 262144)\n']);
  });
});

describe('vdso-layout diff (the CLI in-process)', () => {
  it('x86 6.1 → 7.2: [vvar_vclock] appeared, [vvar] moved down; exit 1', async () => {
    const r = await runCli(['diff', '--json', sample(AMD64_ENTRY, 'maps-pid1.txt'), sample('amd64-7.2.13+deb14-amd64', 'maps-pid1.txt')]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.schema).toBe('vdso-layout/diff/1');
    expect(j.pageSize).toBe('0x1000');
    expect(j.regions.map((x: { name: string; changes: string[] }) => [x.name, x.changes])).toEqual([
      ['[vvar]', ['moved']], ['[vvar_vclock]', ['appeared']], ['[vdso]', ['same']],
    ]);
    expect(j.regions[0].after).toMatchObject({ offset: '-0x6000', pages: 4 });
  });
  it('ppc 5.10 → 6.1 (64K pages): [vvar] appeared below, [vdso] lost its data page', async () => {
    const r = await runCli(['diff', sample('ppc64el-5.10.262-vdsocorpus-ppc64le', 'maps-pid1.txt'), sample('ppc64el-6.1.0-50-powerpc64le', 'maps-pid1.txt')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/p = 65536-byte pages/);
    expect(r.stdout).toMatch(/\[vvar\]\s+-\s+-0x20000 2p r--p\s+appeared/);
    expect(r.stdout).toMatch(/\[vdso\]\s+\+0x0 2p r-xp\s+\+0x0 1p r-xp\s+shrank 1 page\(s\)/);
  });
  it('a kernel built with a gap under its text (samples/gate/arm64-6.1-vvar-gap): [vvar] moved one page down, not vanished; the compat task\'s [sigpage] moved into the hole', async () => {
    const step = (k: number) => join(ROOT, 'samples', 'gate', 'arm64-6.1-vvar-gap', `step-${k}`, 'console.log');
    const native = await runCli(['diff', '--json', '--block', '1', step(0), step(1)]);
    expect(native.code).toBe(1);
    const rows = (r: { stdout: string }) => JSON.parse(r.stdout).regions.map((x: { name: string; changes: string[]; after?: { offset: string } }) => [x.name, x.changes, x.after?.offset]);
    expect(rows(native)).toEqual([['[vvar]', ['moved'], '-0x3000'], ['[vdso]', ['same'], '0x0']]);
    const compat = await runCli(['diff', '--json', '--block', '2', step(0), step(1)]);
    expect(rows(compat)).toEqual([['[vvar]', ['moved'], '-0x3000'], ['[sigpage]', ['moved'], '-0x1000'], ['[vdso]', ['same'], '0x0'], ['[vectors]', ['same'], '0x8175000']]);
  });
  it('a rename ([vdso] lost its name) and identical captures (exit 0)', async () => {
    const before = sample('ppc64el-6.1.0-50-powerpc64le', 'maps-pid1.txt');
    const after = join(dir, 'unnamed.txt');
    writeFileSync(after, readText(before).replace(/(r-xp 00000000 00:00 0)\s+\[vdso\]/, '$1 '));
    const r = await runCli(['diff', '--json', before, after]);
    expect(JSON.parse(r.stdout).regions.find((x: { changes: string[] }) => x.changes[0] === 'renamed').name).toBe('[vdso] -> (unnamed r-xp)');
    expect((await runCli(['diff', before, before])).code).toBe(0);
  });
});

describe('contradictions between flags and capture', () => {
  it('--arch arm64 on a capture from a 32-bit kernel is a usage error for that capture (exit 2)', async () => {
    const f = sample('armhf-6.1.0-50-armmp', 'maps-pid1.txt');
    const r = await runCli(['check', '--arch', 'arm64', f]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`vdso-layout: ${f}: --arch arm64 (arm64) does not fit this capture's own lines: 32-bit kernel lines (address width, name column)\n`);
    // A profile row says the same, in the same words as every other flag the lines rule out.
    const p = await runCli(['check', '--profile', 'arm64-5.9', f]);
    expect([p.code, p.stderr]).toEqual([2, `vdso-layout: ${f}: profile arm64-5.9 (arm64) does not fit this capture's own lines: 32-bit kernel lines (address width, name column)\n`]);
  });
  it('a page size some vma boundary is finer than: refused from --page-size, the capture\'s error from its own header, never a layout failure', async () => {
    const f = sample(AMD64_ENTRY, 'maps-pid1.txt');
    const flag = await runCli(['check', '--page-size', '64K', '--format', 'json', f]);
    expect(flag.code).toBe(2);
    const r = JSON.parse(flag.stdout).results[0];
    expect([r.verdict, r.errorKind]).toEqual(['error', 'usage']);
    expect(r.message).toMatch(/--page-size 65536 does not fit this capture's own lines: line \d+'s vma [0-9a-f]+-[0-9a-f]+ is not on 65536-byte pages/);
    expect((await runCli(['check', '--page-size', '4K', f])).code).toBe(0);
    // The real busybox bundle of this machine, its header saying 64K pages: the capture contradicts itself.
    const bundle = readFileSync(join(ROOT, 'samples', 'host', 'bundle-busybox-sh.txt'), 'latin1');
    expect(bundle).toContain('\npagesize: 4096\n');
    const edited = join(dir, 'bundle-64k.txt');
    writeFileSync(edited, bundle.replace('\npagesize: 4096\n', '\npagesize: 65536\n'));
    const own = await runCli(['check', '--format', 'json', edited]);
    expect(own.code).toBe(2);
    const o = JSON.parse(own.stdout).results[0];
    expect([o.verdict, o.errorKind]).toEqual(['error', 'capture']);
    expect(o.message).toMatch(/^.*bundle-64k\.txt:\d+: the bundle's "pagesize:" 65536 does not fit the process's own maps lines/);
    // --page-size outranks the header, as for every other use of it.
    expect((await runCli(['check', '--page-size', '4096', edited])).code).toBe(0);
  });
  it('a capture with no vDSO at all fails with vdso-missing', async () => {
    const f = join(dir, 'novdso.txt');
    writeFileSync(f, readText(good).split('\n').filter((l) => !/\[v(dso|var)\]/.test(l)).join('\n'));
    const r = await runCli(['check', '--format', 'json', f]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).results[0].findings.filter((x: { severity: string }) => x.severity === 'error').map((x: { code: string }) => x.code)).toEqual(['vdso-missing']);
  });
});

describe('aux vector format flags', () => {
  const maps = join(ROOT, 'samples/host/maps-sh.txt');
  const auxv = join(ROOT, 'samples/host/auxv-sh.bin');
  it('--auxv-word-size/--auxv-endian are honored: the wrong size is an error naming what was tried', async () => {
    expect((await runCli(['check', maps, '--auxv', auxv, '--auxv-word-size', '8', '--auxv-endian', 'le'])).code).toBe(0);
    const r = await runCli(['check', maps, '--auxv', auxv, '--auxv-word-size', '4']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/auxv-sh\.bin: not an aux vector \(32-bit le: .*; 32-bit be: .*\) at offset 0x0\n$/);
  });
});

describe('check --report FORMAT=FILE: several reports from one run', () => {
  // junit's time attributes are measured per run; everything else is the same document.
  const untimed = (x: string) => x.replace(/ time="[0-9.]+"/g, '');
  it('text on stdout, and json, ktap, junit, github files: each what --format gives, from one run', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vl-report-'));
    const f = (ext: string) => join(out, `r.${ext}`);
    const r = await runCli(['check', good, bad, '--vdso', img, '--report', `json=${f('json')}`, `--report=ktap=${f('ktap')}`, '--report', `junit=${f('xml')}`, '--report', `github=${f('gh')}`, '--report', `text=${f('txt')}`]);
    expect(r.code).toBe(1);
    const alone = await runCli(['check', good, bad, '--vdso', img]);
    expect([r.stdout, r.stderr]).toEqual([alone.stdout, alone.stderr]);
    expect(readFileSync(f('txt'), 'utf8')).toBe(alone.stdout);
    for (const [format, ext] of [['json', 'json'], ['ktap', 'ktap'], ['junit', 'xml'], ['github', 'gh']]) {
      const single = await runCli(['check', good, bad, '--vdso', img, '--format', format]);
      expect(untimed(readFileSync(f(ext), 'utf8')), format).toBe(untimed(single.stdout));
    }
  });
  it('report files never hold colour, whatever stdout gets', async () => {
    const r = await runCli(['check', bad, '--vdso', img, '--color', 'always', '--report', 'text=t.txt'], { files: 'memory' });
    expect(r.stdout).toMatch(/\x1b\[/);
    expect(r.files.get('t.txt')).not.toMatch(/\x1b\[/);
    expect(r.files.get('t.txt')).toContain('error[size] line 9');
  });
  it('an unreadable --vdso: every report holds the error, in its own format (exit 2)', async () => {
    const missing = join(dir, 'no-image.so');
    const r = await runCli(['check', good, '--vdso', missing, '--format', 'json', '--report', 'ktap=k', '--report', 'junit=j', '--report', 'github=g', '--report', 'text=t'], { files: 'memory' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`vdso-layout: ${missing}: no such file\n`);
    expect(JSON.parse(r.stdout).results[0]).toMatchObject({ verdict: 'error', errorKind: 'option' });
    expect(parseKtap(r.files.get('k')!)).toEqual([expect.objectContaining({ ok: false, directive: 'ERROR' })]);
    expect(parseJunit(r.files.get('j')!)[0].error![0]).toMatchObject({ type: 'input', message: `${missing}: no such file` });
    expect(parseGithub(r.files.get('g')!)).toEqual([{ level: 'error', props: { file: missing, title: 'vdso-layout unreadable' }, data: `${missing}: no such file` }]);
    // Text holds what a terminal shows: the error line (it was an empty file).
    expect(r.files.get('t')).toBe(r.stderr);
    expect(r.stderr).toMatch(/^vdso-layout: .*no-image\.so: no such file\n$/);
  });
  it('a malformed --report is a usage error; the well-formed ones still get the usage error document', async () => {
    const r = await runCli(['check', good, '--report', 'junit=j', '--report', 'xml=x', '--format', 'ktap'], { files: 'memory' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("vdso-layout: --report: expected FORMAT=FILE with FORMAT one of text, json, ktap, junit, github, not 'xml=x'\n");
    expect(parseKtap(r.stdout)).toEqual([expect.objectContaining({ ok: false, directive: 'ERROR' })]);
    expect(parseJunit(r.files.get('j')!)[0].error![0]).toMatchObject({ type: 'usage' });
    expect([...r.files.keys()]).toEqual(['j']);
    for (const spec of ['junit', 'junit=', '=f']) expect((await runCli(['check', good, '--report', spec], { files: 'memory' })).code).toBe(2);
    const twice = await runCli(['check', good, '--report', 'junit=r', '--report', 'ktap=r'], { files: 'memory' });
    expect([twice.code, twice.stderr]).toEqual([2, 'vdso-layout: --report: r is named twice\n']);
  });
  it('a report named as an input of the run is refused before anything is written (it overwrote the capture)', async () => {
    const capture = join(dir, 'input-maps.txt');
    const original = readText(good);
    writeFileSync(capture, original);
    const link = join(dir, 'input-link.txt');
    symlinkSync(capture, link);
    // A copy: were the refusal broken, the test must not overwrite a sample of the repository.
    const image = join(dir, 'input-vdso64.so');
    writeFileSync(image, readFileSync(img));
    for (const [args, named] of [
      [['check', capture, '--report', `json=${capture}`], `json=${capture}`],
      [['check', capture, '--format', 'json', '--report', `ktap=${link}`], `ktap=${link}`],
      [['check', capture, '--vdso', image, '--report', `text=${image}`], `text=${image}`],
    ] as const) {
      const r = await runCli([...args], { files: 'disk' });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`vdso-layout: --report ${named}: that is an input of this run; the report would overwrite it\n`);
      if (args.includes('--format')) expect(JSON.parse(r.stdout).results[0]).toMatchObject({ verdict: 'error', errorKind: 'usage' });
      expect(readText(capture)).toBe(original);
    }
    expect(readFileSync(image).equals(readFileSync(img))).toBe(true);
    // A line refused before check ran (commander, a report named twice) cannot say which words are
    // inputs: no report goes over any file it names. Each of these overwrote the input before.
    for (const [args, named] of [
      [['check', capture, '--report', `json=${capture}`, '--bogus'], `json=${capture}`],
      [['check', capture, '--vdso', image, '--report', `junit=${image}`, '--color', 'purple'], `junit=${image}`],
    ] as const) {
      const r = await runCli([...args], { files: 'disk' });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`vdso-layout: --report ${named}: that is a file this command line names; not written over\n`);
      expect(readText(capture)).toBe(original);
      expect(readFileSync(image).equals(readFileSync(img))).toBe(true);
    }
    // A file two --report name is written by neither (the refusal is that).
    {
      const r = await runCli(['check', capture, '--report', `ktap=${link}`, '--report', `ktap=${link}`], { files: 'disk' });
      expect([r.code, r.stderr]).toEqual([2, `vdso-layout: --report: ${link} is named twice\n`]);
      expect(readText(capture)).toBe(original);
      expect(readFileSync(image).equals(readFileSync(img))).toBe(true);
    }
    // stdin redirected from the file the report names (check - < maps.txt): the same file.
    const fd = openSync(capture, 'r');
    try {
      const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'vdso-layout.js'), 'check', '-', '--report', `json=${capture}`], { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`vdso-layout: --report json=${capture}: that is an input of this run; the report would overwrite it\n`);
    } finally { closeSync(fd); }
    expect(readText(capture)).toBe(original);
  });
  it('a report that cannot be written: one error line; exit 2 on a pass, 1 still on a failure', async () => {
    const nowhere = join(dir, 'no-such-dir', 'r.xml');
    const pass = await runCli(['check', good, '--vdso', img, '--report', `junit=${nowhere}`]);
    expect([pass.code, pass.stderr]).toEqual([2, `vdso-layout: ${nowhere}: cannot write this report: no such file\n`]);
    expect(pass.stdout).toMatch(/^ok /);
    expect((await runCli(['check', bad, '--vdso', img, '--report', `junit=${nowhere}`])).code).toBe(1);
  });
});
