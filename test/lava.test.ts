// LAVA: the job log as a capture source (both forms), the test definition and the shell it runs,
// the job templates. The sample is a real lava-run job log (samples/lava/, see samples/README.md).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CAPTURE_SCRIPT } from '../src/capture/script.js';
import { readCapture, readCaptureStream } from '../src/capture/reader.js';
import { detectLavaForm, parseLavaEntry } from '../src/capture/lava.js';
import { InputError } from '../src/errors.js';
import { ROOT } from './helpers.js';
import { runCli } from './run-in-process.js';
import type { Capture } from '../src/model/capture.js';

const SAMPLE = join(ROOT, 'samples', 'lava', 'amd64-6.1.0-57-lava-run.log');
const LAVACLI = join(ROOT, 'samples', 'lava', 'amd64-6.1.0-57-lavacli.txt');
const runLog = readFileSync(SAMPLE, 'latin1');
const runLines = runLog.split('\n');
// lava-server stores each entry behind "- " (lava_common/log.py sender()): its output.yaml, the
// web UI's "Plain log" download and `lavacli jobs logs --raw`.
const outputYaml = runLines.map((l) => (l === '' ? l : `- ${l}`)).join('\n');
const dir = mkdtempSync(join(tmpdir(), 'vl-lava-'));
const write = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text, 'latin1'); return p; };
const json = (stdout: string) => JSON.parse(stdout) as { results: Array<{ verdict: string; label?: string; notes: string[]; findings: Array<{ code: string; severity: string; line?: number }> }> };
/** The message of the log line N (1-based) of the YAML sample, as the device printed it. */
const msgAt = (n: number) => JSON.parse(runLines[n - 1].replace(/^- /, '')).msg as string;
const mapsView = (cap: Capture) => cap.blocks.map((b) => ({ first: b.firstLine, last: b.lastLine, label: b.label, n: b.total, kept: b.mappings.map((m) => `${m.line}:${m.start.toString(16)}`) }));

/** check --format json of a job log whose two processes pass: the first result's notes. */
async function passingNotes(file: string): Promise<string[]> {
  const r = await runCli(['check', '--format', 'json', file]);
  expect(r.code, r.stderr).toBe(0);
  const { results } = json(r.stdout);
  expect(results.map((x) => x.verdict)).toEqual(['pass', 'pass']);
  return results[0].notes;
}

describe('LAVA job log entries (the YAML form)', () => {
  it("reads a target entry's message, undoing YAML's escapes", () => {
    expect(parseLavaEntry('- {"dt": "2026-12-05T09:18:17.049075", "lvl": "target", "msg": "@@@MAPS"}')).toEqual({ lvl: 'target', msg: '@@@MAPS' });
    expect(parseLavaEntry('{"dt": "x", "lvl": "target", "msg": "a\\tb\\\\c \\x41\\u00e9\\U0001F600 \\"q\\" \\e\\0"}')).toEqual({ lvl: 'target', msg: 'a\tb\\c A\u00e9\u{1F600} "q" \x1b\0' });
    expect(parseLavaEntry('{"dt": "x", "lvl": "feedback", "msg": "y", "ns": "common"}')).toEqual({ lvl: 'feedback' });
  });
  it("another level's entry is not looked into (a results mapping, a tagged number)", () => {
    const line = runLines.find((l) => l.includes('"endtc": !'))!;
    expect(line).toBeDefined();
    expect(parseLavaEntry(line)).toEqual({ lvl: 'results' });
  });
  it('refuses what LAVA does not write, with the column', () => {
    expect(parseLavaEntry('- [1, 2]')).toMatchObject({ column: 3 });
    expect(parseLavaEntry('{"dt": "x", "lvl": "target", "msg": "open')).toMatchObject({ error: 'unterminated string' });
    expect(parseLavaEntry('{"dt": "x", "lvl": "target", "msg": "\\q"}')).toMatchObject({ error: 'unknown escape \\q', column: 38 });
    expect(parseLavaEntry('{"dt": "x", "lvl": "target"}')).toMatchObject({ error: expect.stringContaining('needs "dt", "lvl" and "msg"') });
    expect(parseLavaEntry('{"dt": "x", "lvl": "target", "msg": "a"} trailing')).toMatchObject({ column: 40 });
  });
  it('the first line decides the form', () => {
    expect(detectLavaForm('- {"dt": "2026', false)).toBe('yaml');
    expect(detectLavaForm('{"dt": "2026-12-05T09:17:51.879435", "lvl"', false)).toBe('yaml');
    expect(detectLavaForm('2026-12-05T09:17:51 start: 0 validate\n', false)).toBe('text');
    expect(detectLavaForm('\x1b[1;30m2026-12-05T09:17:51\x1b[0m \x1b[0mstart\n', false)).toBe('text');
    expect(detectLavaForm('- {"d', false)).toBe('undecided');
    expect(detectLavaForm('- {"d', true)).toBeUndefined();
    expect(detectLavaForm('2026-12-05T09:17:51.1234567Z a GitHub Actions line\n', false)).toBeUndefined();
    expect(detectLavaForm('7ffd2ae2f000-7ffd2ae50000 rw-p 00000000 00:00 0   [stack]\n', false)).toBeUndefined();
    expect(() => detectLavaForm("- {dt: '2018-01-01', lvl: target, msg: foo}\n", false)).toThrow(InputError);
  });
});

describe('check reads a real lava-run job log (samples/lava)', () => {
  const cap = readCapture(runLog, { file: SAMPLE });
  it('two processes (the 64-bit shell and the 32-bit compat busybox), each a complete bundle', () => {
    expect(cap.bundles.map((b) => [b.unameM, b.complete, b.vdso?.bytes.length])).toEqual([['x86_64', true, 8192], ['x86_64', true, 8192]]);
    expect(cap.blocks).toHaveLength(2);
  });
  it("line numbers are the log's: each block's first and last line hold that maps line's entry", () => {
    for (const b of cap.blocks) {
      expect(msgAt(b.firstLine)).toMatch(/^[0-9a-f]{8,16}-[0-9a-f]{8,16} /);
      expect(msgAt(b.firstLine - 1)).toBe('@@@MAPS');
      expect(msgAt(b.lastLine + 1)).toBe('@@@AUXV');
      for (const m of b.mappings) expect(msgAt(m.line!).startsWith(`${m.start.toString(16).padStart(8, '0')}-`)).toBe(true);
    }
    expect(cap.lineCount).toBe(runLines.length - 1);
  });
  it('the output.yaml form ("- " before each entry) reads the same', () => {
    expect(mapsView(readCapture(outputYaml))).toEqual(mapsView(cap));
  });
  it('a dispatcher entry inside a maps block neither ends it nor joins it, and the lines after it keep their numbers', async () => {
    const b = cap.blocks[0];
    const at = b.firstLine + 3; // insert before the log's line `at`
    const info = '{"dt": "2026-12-05T09:18:17.1", "lvl": "info", "msg": "a dispatcher message"}';
    const edited = [...runLines.slice(0, at - 1), info, ...runLines.slice(at - 1)].join('\n');
    const c2 = readCapture(edited);
    expect(c2.blocks).toHaveLength(2);
    expect(c2.blocks[0].total).toBe(b.total);
    expect(c2.blocks[0].lastLine).toBe(b.lastLine + 1);
    const r = await runCli(['check', '--format', 'json', write('with-info.log', edited)]);
    expect(r.code, r.stderr).toBe(0);
  });
  it('streamed in chunks cut anywhere (inside the first line too) it reads the same', async () => {
    const bytes = Buffer.from(runLog, 'latin1');
    for (const cuts of [[3], [9, 10, 11], [4096, 70000], [bytes.length - 5]]) {
      async function* chunks() { let at = 0; for (const c of [...cuts, bytes.length]) { yield Buffer.from(bytes.subarray(at, c)); at = c; } }
      expect(mapsView(await readCaptureStream(chunks()))).toEqual(mapsView(cap));
    }
  });
  it('check passes both processes, and says it read a LAVA log', async () => {
    expect(await passingNotes(SAMPLE)).toContain('line 1: LAVA job log (YAML): the device\'s output read from its 1158 "target" entries; 82 dispatcher entries skipped');
  });
  it('the failure path: held to another era (--profile x86-6.15) both fail, at the lines of the log', async () => {
    const r = await runCli(['check', '--format', 'json', SAMPLE, '--profile', 'x86-6.15']);
    expect(r.code).toBe(1);
    const { results } = json(r.stdout);
    expect(results.map((x) => x.verdict)).toEqual(['fail', 'fail']);
    for (const res of results) expect(res.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['vvar-missing']);
    const text = (await runCli(['check', SAMPLE, '--profile', 'x86-6.15'])).stdout;
    const lines = [...text.matchAll(/#bundle \(block \d\) \(line (\d+)\)/g)].map((m) => Number(m[1]));
    expect(lines).toHaveLength(2);
    for (const n of lines) expect(msgAt(n)).toMatch(/ \[vvar\]$/);
  });
  it('KTAP and JUnit reports of a LAVA log stay documents (what a lab posts back)', async () => {
    const k = await runCli(['check', '--format', 'ktap', SAMPLE]);
    expect(k.stdout).toMatch(/^KTAP version 1\n1\.\.2\n/);
    expect(k.stdout).toMatch(/^ok 2 /m);
    expect((await runCli(['check', '--format', 'junit', SAMPLE])).stdout).toMatch(/<testsuites [^>]*tests="2" [^>]*failures="0"/);
  });
  it('a broken entry is one line with its position, exit 2', async () => {
    const broken = [...runLines.slice(0, 20), '{"dt": "x", "lvl": "target", "msg": "cut off', ...runLines.slice(20)].join('\n');
    const f = write('broken.log', broken);
    const r = await runCli(['check', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`vdso-layout: ${f}:21:37: LAVA job log: unterminated string\n`);
  });
  it('non-ASCII in a target message reaches the reader as the UTF-8 bytes the device printed', () => {
    const line = '7f0000000000-7f0000001000 r--p 00000000 08:01 42                         /opt/caf\u00e9/lib.so';
    const yaml = `{"dt": "x", "lvl": "target", "msg": ${JSON.stringify(line).replace('\u00e9', '\\xe9')}}\n`;
    const plain = Buffer.from(line + '\n', 'utf8').toString('latin1');
    expect(readCapture(yaml).blocks[0].mappings[0].name).toBe(readCapture(plain).blocks[0].mappings[0].name);
  });
});

describe('the arm64 job log (samples/lava)', () => {
  it('a 64-bit process and the armhf compat one: two complete bundles, an ELF64 and an ELF32 [vdso]', () => {
    const cap = readCapture(readFileSync(join(ROOT, 'samples', 'lava', 'arm64-6.1.0-57-lava-run.log'), 'latin1'));
    expect(cap.bundles.map((b) => [b.unameM, b.complete, b.vdso?.bytes[4]])).toEqual([['aarch64', true, 2], ['aarch64', true, 1]]);
  });
});

describe('check reads the text form (lavacli jobs logs)', () => {
  it('the same two processes pass, with the same maps lines and [vdso] bytes', async () => {
    expect(await passingNotes(LAVACLI)).toContain('line 1: LAVA job log (lavacli text): the timestamp before each line removed');
    const text = readCapture(readFileSync(LAVACLI, 'latin1'));
    const yaml = readCapture(runLog);
    expect(text.blocks.map((b) => b.mappings.map((m) => `${m.start}-${m.end} ${m.perms} ${m.rawName ?? ""}`))).toEqual(yaml.blocks.map((b) => b.mappings.map((m) => `${m.start}-${m.end} ${m.perms} ${m.rawName ?? ""}`)));
    expect(text.bundles.map((b) => b.vdso?.bytes)).toEqual(yaml.bundles.map((b) => b.vdso?.bytes));
  });
  it('fails the same way under another era', async () => {
    expect((await runCli(['check', LAVACLI, '--profile', 'x86-6.15', '-q'])).code).toBe(1);
  });
});

describe('the LAVA test definition (lava/)', () => {
  const def = parse(readFileSync(join(ROOT, 'lava', 'vdso-layout.yaml'), 'utf8')) as {
    metadata: { format: string; name: string }; params: Record<string, string>; run: { steps: string[] };
  };
  it('is a Lava-Test Test Definition 1.0 whose steps run the shell next to it', () => {
    expect(def.metadata).toMatchObject({ format: 'Lava-Test Test Definition 1.0', name: 'vdso-layout' });
    expect(def.run.steps).toEqual(['cd ./lava', './vdso-layout.sh -c "${COMPAT_SHELL}" -a "${CHECK_ARGS}"']);
    expect(Object.keys(def.params)).toEqual(['COMPAT_SHELL', 'CHECK_ARGS']);
    expect(statSync(join(ROOT, 'lava', 'vdso-layout.sh')).mode & 0o111).not.toBe(0);
  });
  it('ships the capture script capture-script prints, byte for byte', () => {
    expect(readFileSync(join(ROOT, 'lava', 'vdso-capture.sh'), 'utf8')).toBe(CAPTURE_SCRIPT);
  });
  it('the jobs clone it from git and run it on a tmpfs QEMU boot with the ramdisk carrying the overlay', () => {
    for (const [file, arch] of [['qemu-x86_64', 'amd64'], ['qemu-arm64', 'arm64']]) {
      const text = readFileSync(join(ROOT, 'lava', 'jobs', `${file}.yaml.jinja2`), 'utf8')
        .replace(/\{#[\s\S]*?#\}\n?/g, '').replace(/^\{%.*%\}\n/gm, '')
        .replace(/\{\{ (\w+)(?: \| default\('([^']*)'\))? \}\}/g, (_, k: string, d?: string) => d ?? `VAR-${k}`);
      const job = parse(text) as { device_type: string; context: Record<string, unknown>; actions: Array<Record<string, Record<string, unknown>>> };
      expect(job.device_type).toBe('qemu');
      expect(job.context.arch).toBe(arch);
      const [deploy, boot, test] = job.actions.map((a) => Object.values(a)[0]);
      expect(deploy).toMatchObject({ to: 'tmpfs', images: { kernel: { url: 'VAR-kernel_url' }, ramdisk: { url: 'VAR-ramdisk_url', format: 'cpio.newc', overlays: { lava: true } } } });
      expect(boot).toMatchObject({ method: 'qemu', media: 'tmpfs' });
      expect(test.definitions).toEqual([{ from: 'git', repository: 'VAR-repository', revision: 'VAR-revision', path: 'lava/vdso-layout.yaml', name: 'vdso-layout', parameters: { COMPAT_SHELL: 'compat=/compat/busybox sh' } }]);
    }
  });
});

describe('lava/vdso-layout.sh on this machine', () => {
  const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const run = (shell: string[], extraPath: string, args: string[]) => {
    const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
    const r = spawnSync(shell[0], [...shell.slice(1), join(ROOT, 'lava', 'vdso-layout.sh'), '-o', out, ...args], {
      encoding: 'latin1', env: { ...process.env, PATH: `${extraPath}${process.env.PATH}` },
    });
    return { ...r, results: readFileSync(join(out, 'result.txt'), 'utf8') };
  };
  for (const shell of [['dash'], ['busybox', 'sh']]) {
    const present = has(shell[0]);
    if (!present && process.env.CI) it(`${shell[0]} is installed in CI`, () => expect(present, `${shell[0]} missing: .ci/run installs it`).toBe(true));
    it.skipIf(!present)(`${shell.join(' ')}: one capture per process on the console, capture pass and layout skip without the tool`, () => {
      const r = run(shell, '', ['-c', 'second=sh']);
      expect(r.status).toBe(0);
      expect(r.results).toBe('capture-native pass\nlayout-native skip\ncapture-second pass\nlayout-second skip\n');
      const cap = readCapture(r.stdout);
      expect(cap.bundles.map((b) => b.complete)).toEqual([true, true]);
    });
    it.skipIf(!present)(`${shell.join(' ')}: a shell whose read builtin fails (busybox 1.38, 32-bit, no COMPAT_32BIT_TIME) still runs every task`, () => {
      const copy = join(dir, `readless-${shell[0]}`);
      mkdirSync(copy);
      const script = readFileSync(join(ROOT, 'lava', 'vdso-layout.sh'), 'utf8');
      writeFileSync(join(copy, 'vdso-layout.sh'), script.replace(/^#!.*\n/, '$&read() { return 1; }\n'));
      writeFileSync(join(copy, 'vdso-capture.sh'), readFileSync(join(ROOT, 'lava', 'vdso-capture.sh')));
      const out = join(copy, 'out');
      const r = spawnSync(shell[0], [...shell.slice(1), join(copy, 'vdso-layout.sh'), '-o', out, '-c', 'second=sh'], { encoding: 'latin1' });
      expect(r.status).toBe(0);
      expect(readFileSync(join(out, 'result.txt'), 'utf8')).toBe('capture-native pass\nlayout-native skip\ncapture-second pass\nlayout-second skip\n');
    });
    it.skipIf(!present)(`${shell.join(' ')}: with vdso-layout and lava-test-case on the device, the verdict is the result`, () => {
      const calls = join(dir, 'calls.txt');
      writeFileSync(join(bin, 'vdso-layout'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin', 'vdso-layout.js')}" "$@"\n`);
      writeFileSync(join(bin, 'lava-test-case'), `#!/bin/sh\necho "$*" >> "${calls}"\n`);
      chmodSync(join(bin, 'vdso-layout'), 0o755); chmodSync(join(bin, 'lava-test-case'), 0o755);
      writeFileSync(calls, '');
      const pass = run(shell, `${bin}:`, []);
      expect(pass.results).toBe('capture-native pass\nlayout-native pass\n');
      // The layout of the other x86 era than this machine's fails (x86-5.6 before [vvar_vclock], x86-6.15 after).
      const era = /profile (x86-[0-9.]+)/.exec(pass.stdout)?.[1];
      if (era === undefined) { console.log(`skipping the on-device fail case: not an x86 machine (${pass.stdout.slice(0, 80)})`); return; }
      const fail = run(shell, `${bin}:`, ['-a', `--profile ${era === 'x86-5.6' ? 'x86-6.15' : 'x86-5.6'} -q`]);
      expect(fail.results).toBe('capture-native pass\nlayout-native fail\n');
      expect(readFileSync(calls, 'utf8')).toBe('capture-native --result pass\nlayout-native --result pass\ncapture-native --result pass\nlayout-native --result fail\n');
    });
  }
});

describe("the job templates against LAVA's own job schema (lava_common, Debian's lava-common)", () => {
  const py = '/usr/bin/python3';
  const present = spawnSync(py, ['-c', 'import jinja2, yaml, lava_common.schemas'], { encoding: 'utf8' }).status === 0;
  if (!present && process.env.CI) it('lava-common and python3-jinja2 are installed in CI', () => expect(present, '.ci/run installs lava-common and python3-jinja2').toBe(true));
  else if (!present) console.log('skipping the LAVA job schema check: lava-common / python3-jinja2 are not installed (CI=true makes this a failure)');
  it.skipIf(!present)('both render (jinja2, strict about undefined variables) to jobs the schema accepts; a job without "to:" it refuses', () => {
    const script = `
import sys, jinja2, yaml
from lava_common.schemas import validate
env = jinja2.Environment(loader=jinja2.FileSystemLoader(sys.argv[1]), trim_blocks=True, undefined=jinja2.StrictUndefined)
for t in ["qemu-x86_64", "qemu-arm64"]:
    job = yaml.safe_load(env.get_template(t + ".yaml.jinja2").render(kernel_url="file:///k", ramdisk_url="file:///r.cpio.gz",
        repository="https://example.invalid/vdso-layout.git", revision="", compat_shell="compat=/compat/busybox sh"))
    validate(job, strict=True)
    print(t, "valid", job["context"]["arch"])
    del job["actions"][0]["deploy"]["to"]
    try:
        validate(job, strict=True)
        print(t, "broken accepted")
    except Exception:
        print(t, "broken refused")
`;
    const r = spawnSync(py, ['-c', script, join(ROOT, 'lava', 'jobs')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('qemu-x86_64 valid amd64\nqemu-x86_64 broken refused\nqemu-arm64 valid arm64\nqemu-arm64 broken refused\n');
  });
});

describe('README: Run it in LAVA / KernelCI', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Run it in LAVA / KernelCI'), readme.indexOf('## ELF reader notes'));
  it('shows the test definition and the x86_64 job actions verbatim', () => {
    expect(section).toContain('```yaml\n' + readFileSync(join(ROOT, 'lava', 'vdso-layout.yaml'), 'utf8') + '```');
    const template = readFileSync(join(ROOT, 'lava', 'jobs', 'qemu-x86_64.yaml.jinja2'), 'utf8');
    expect(section).toContain('```yaml\n' + template.slice(template.indexOf('actions:\n')) + '```');
  });
  it('the check it shows prints what the README says', async () => {
    const r = await runCli(['check', SAMPLE]);
    const shown = /\$ vdso-layout check samples\/lava\/amd64-6\.1\.0-57-lava-run\.log\n([\s\S]*?)```/.exec(section)?.[1];
    expect(shown).toBeDefined();
    expect(spawnSync(process.execPath, [join(ROOT, 'bin', 'vdso-layout.js'), 'check', 'samples/lava/amd64-6.1.0-57-lava-run.log'], { cwd: ROOT, encoding: 'utf8' }).stdout).toBe(shown);
    expect(r.code).toBe(0);
  });
});

describe('a hostile LAVA-looking input is bounded', () => {
  it('a line past 1 MiB in a LAVA log ends the read with its line number (exit 2), without holding the rest', async () => {
    const f = write('long.log', `{"dt": "x", "lvl": "target", "msg": "a"}\n{"dt": "x", "lvl": "target", "msg": "${'a'.repeat(3 << 20)}"}\n`);
    const r = await runCli(['check', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`vdso-layout: ${f}:2: LAVA job log: a line longer than 1048576 characters (LAVA's entries are shorter)\n`);
  });
});

describe('lava/vdso-layout.sh: a capture without the [vdso] bytes is not a complete capture', () => {
  it('a shell whose capture has no bytes (as without root) reports capture fail', () => {
    // A stand-in "shell" that prints a bundle whose [vdso] range has no bytes after it.
    const fake = join(dir, 'no-bytes-sh');
    writeFileSync(fake, `#!/bin/sh\nprintf '@@@VDSO-LAYOUT-BUNDLE 1 BEGIN\\n@@@MAPS\\n@@@AUXV\\n000000\\n@@@VDSO 7f0000000000-7f0000002000\\n000000\\n@@@VDSO-LAYOUT-BUNDLE 1 END\\n'\n`);
    chmodSync(fake, 0o755);
    const out = join(dir, 'out-no-bytes');
    const r = spawnSync('sh', [join(ROOT, 'lava', 'vdso-layout.sh'), '-o', out, '-c', `nobytes=${fake}`], { encoding: 'latin1', env: { ...process.env, PATH: `/usr/bin:/bin` } });
    expect(r.status).toBe(0);
    expect(readFileSync(join(out, 'result.txt'), 'utf8')).toBe('capture-native pass\nlayout-native skip\ncapture-nobytes fail\nlayout-nobytes skip\n');
  });
});
