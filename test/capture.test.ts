import { describe, expect, it } from 'vitest';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CAPTURE_SCRIPT } from '../src/capture/script.js';
import { readCapture } from '../src/capture/reader.js';
import { cli, AMD64_ENTRY, ROOT } from './helpers.js';
import { runCli } from './run-in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'vl-cap-'));
const script = join(dir, 'vdso-capture.sh');
writeFileSync(script, CAPTURE_SCRIPT);
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
// CI installs busybox-static, dash and bash (.ci/run); elsewhere a missing shell is skipped, never faked.
const SHELLS: Array<[string, string[]]> = [['busybox sh', ['busybox', 'sh']], ['dash', ['dash']], ['bash', ['bash', '--posix']]];

describe('the script\'s [vdso] read, for the addresses each family maps', () => {
  // Its dd line with echo in dd's place: the blocks it would read. sparc64's vDSO is above 2^63
  // (samples/qemu's boot: fffff80100418000), where shell arithmetic (signed 64-bit) overflowed.
  const dd = /^ *dd if=\/proc\/\$p\/mem (.*) 2>\/dev\/null \| od -A x -t x1 -v$/m.exec(CAPTURE_SCRIPT);
  it('the script reads the vDSO with one dd line', () => expect(dd).not.toBeNull());
  for (const [name, argv] of SHELLS) {
    it.skipIf(!has(argv[0]))(`${name}: 4K blocks from the start, for an x86_64, an i386 and a sparc64 vDSO`, () => {
      for (const [start, end] of [['7ffd3e9f1000', '7ffd3e9f3000'], ['b7f43000', 'b7f45000'], ['fffff80100418000', 'fffff8010041a000']]) {
        const out = execFileSync(argv[0], [...argv.slice(1), '-c', `start=${start}; end=${end}; p=1; echo ${dd![1]}`], { encoding: 'utf8' }).trim();
        expect(out, `${name} ${start}`).toBe(`bs=4096 skip=${BigInt(`0x${start}`) / 4096n} count=${(BigInt(`0x${end}`) - BigInt(`0x${start}`)) / 4096n}`);
      }
    });
  }
});

describe('capture-script on this machine, under each shell', () => {
  it('the printed script is the one tested', async () => {
    expect((await runCli(['capture-script'])).stdout).toBe(CAPTURE_SCRIPT);
  });
  for (const [name, argv] of SHELLS) {
    const present = has(argv[0]);
    if (!present && process.env.CI) it(`${name} is installed in CI`, () => expect(present, `${argv[0]} missing: .ci/run installs it`).toBe(true));
    else if (!present) console.log(`skipping the ${name} round-trip: ${argv[0]} is not installed (CI=true makes this a failure)`);
    it.skipIf(!present)(`${name}: the bundle round-trips to a passing check with its own [vdso] bytes`, async () => {
      const out = execFileSync(argv[0], [...argv.slice(1), script], { encoding: 'latin1' });
      const cap = readCapture(out);
      expect(cap.bundles).toHaveLength(1);
      const b = cap.bundles[0];
      expect(b.complete).toBe(true);
      expect(b.vdso?.bytes.subarray(0, 4)).toEqual(new Uint8Array([0x7f, 0x45, 0x4c, 0x46]));
      expect(b.unameM).toBe(execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim());
      const file = join(dir, `${argv[0]}.txt`);
      writeFileSync(file, out);
      const r = await runCli(['check', '--format', 'json', file]);
      expect(r.code).toBe(0);
      const [res] = JSON.parse(r.stdout).results;
      expect(res).toMatchObject({ verdict: 'pass', label: 'bundle', anchoredBy: 'auxv' });
      expect(res.findings).toEqual([]); // image, auxv, kernel, page size all came from the bundle
      expect(res.skipped).toEqual([]);
    });
  }

  // busybox 1.38's ash waits in `read` with ppoll(); a 32-bit task on a 64-bit kernel without
  // CONFIG_COMPAT_32BIT_TIME gets ENOSYS there, so its `read` fails at once (every x86 gate boot's
  // compat task said VDSO-NONE). A `read` function that fails the same way stands in for it; the
  // current directory holds files named like the letters of [vdso], which a glob would match.
  const readless = `read() { return 1; }\n${CAPTURE_SCRIPT.replace(/^#!.*\n/, '')}`;
  const globDir = mkdtempSync(join(tmpdir(), 'vl-glob-'));
  for (const f of ['v', 'd', 's', 'o']) writeFileSync(join(globDir, f), '');
  const readlessScript = join(globDir, 'readless.sh');
  writeFileSync(readlessScript, readless);
  for (const [name, argv] of SHELLS) {
    it.skipIf(!has(argv[0]))(`${name}: a shell whose read builtin fails still dumps its [vdso] bytes`, () => {
      // The stand-in is real: with it, `while read ...; done < file` sees no line at all.
      expect(execFileSync(argv[0], [...argv.slice(1), '-c', 'read() { return 1; }; n=0; while read -r l; do n=1; done < /proc/self/maps; echo $n'], { encoding: 'utf8' })).toBe('0\n');
      const b = readCapture(execFileSync(argv[0], [...argv.slice(1), readlessScript], { encoding: 'latin1', cwd: globDir })).bundles[0];
      expect(b.complete).toBe(true);
      expect(b.vdso?.bytes.subarray(0, 4)).toEqual(new Uint8Array([0x7f, 0x45, 0x4c, 0x46]));
    });
  }
  it('the script never calls the read builtin', () => {
    const code = CAPTURE_SCRIPT.split('\n').filter((l) => !/^\s*#/.test(l));
    expect(code.filter((l) => /\bread\b/.test(l))).toEqual([]);
  });

  it('a bundle inside a serial console log (prompt, CRLF, dmesg lines interleaved) still passes', async () => {
    const out = execFileSync('sh', [script], { encoding: 'latin1' }).split('\n');
    const noisy = ['~ # sh /vdso-capture.sh', ...out.flatMap((l, i) => (i % 97 === 50 ? ['[   42.123456] random: crng init done', l] : [l]))].join('\r\n');
    const file = join(dir, 'console.log');
    writeFileSync(file, noisy);
    const r = await runCli(['check', '--format', 'json', file]);
    expect(r.code).toBe(0);
    const [res] = JSON.parse(r.stdout).results;
    expect(res.findings).toEqual([]);
    expect(res.notes.join('\n')).toMatch(/CRLF/);
  });

  it('without readable memory the bundle says so and the rest is still checked', async () => {
    const out = execFileSync('sh', [script], { encoding: 'latin1' });
    const noMem = out.replace(/(@@@VDSO [0-9a-f]+-[0-9a-f]+\n)(?:[0-9a-f]{6,8}(?: [0-9a-f]{2})*\n)+/, '$1');
    const file = join(dir, 'nomem.txt');
    writeFileSync(file, noMem);
    const r = await runCli(['check', '--format', 'json', file]);
    expect(r.code).toBe(0);
    const [res] = JSON.parse(r.stdout).results;
    expect(res.findings.map((f: { code: string }) => f.code)).toEqual(['not-checked']);
    expect(res.notes.join('\n')).toMatch(/no \[vdso\] bytes \(no bytes: reading \/proc\/PID\/mem needs root or ptrace rights/);
  });

  it('--vdso that is not the target\'s image: image-mismatch (identity is the build-id, not the bytes)', async () => {
    const file = join(dir, 'mismatch.txt');
    writeFileSync(file, cli(['capture']).stdout);
    const r = await runCli(['check', '--format', 'json', file, '--vdso', join(`samples/corpus/${AMD64_ENTRY}/vdso64.so`)]);
    const [res] = JSON.parse(r.stdout).results;
    expect(res.findings.map((f: { code: string }) => f.code)).toContain('image-mismatch');
    expect(r.code).toBe(1);
  });

  it('capture -o writes a new file and never overwrites one', () => {
    const f = join(dir, 'bundle.txt');
    expect(cli(['capture', '-o', f]).code).toBe(0);
    const first = readFileSync(f, 'latin1');
    expect(first).toMatch(/^\n@@@VDSO-LAYOUT-BUNDLE 1 BEGIN\n/);
    const again = cli(['capture', '-o', f]);
    expect([again.code, again.stderr]).toEqual([2, `vdso-layout: ${f}: already exists; not overwriting it\n`]);
    expect(readFileSync(f, 'latin1')).toBe(first);
  });
});

describe('a real boot: the 32-bit task on a kernel without CONFIG_COMPAT_32BIT_TIME (busybox 1.38)', () => {
  // samples/qemu/amd64-6.1.176-tinyconfig-compat-console.log: scripts/qemu-check.sh booted the
  // kernel of samples/gate/x86-6.1-vma-mistake/step-1 (tinyconfig, its .config kept there) with
  // Debian's busybox-static 1.38.0-3+b1 (amd64, and i386 for the compat task).
  const log = join(ROOT, 'samples', 'qemu', 'amd64-6.1.176-tinyconfig-compat-console.log');
  it('the kernel is one without the 32-bit time syscalls', () => {
    expect(readFileSync(join(ROOT, 'samples', 'gate', 'x86-6.1-vma-mistake', 'step-1', 'kernel.config'), 'utf8')).toMatch(/^# CONFIG_COMPAT_32BIT_TIME is not set$/m);
    expect(readFileSync(log, 'latin1')).toContain('Linux version 6.1.176-vdsogate+');
  });
  it('both tasks dumped their [vdso] bytes: the 64-bit and the 32-bit (ELFCLASS32) image', () => {
    const cap = readCapture(readFileSync(log, 'latin1'));
    expect(cap.bundles.map((b) => [b.complete, b.vdso?.bytes.subarray(0, 5)])).toEqual([
      [true, new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2])],
      [true, new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1])],
    ]);
  });
  it('check judges both from their own bytes, with no note of missing bytes', async () => {
    const r = await runCli(['check', '--format', 'json', log]);
    const results = JSON.parse(r.stdout).results as Array<{ verdict: string; notes: string[]; findings: Array<{ code: string }> }>;
    expect(results.map((x) => [x.verdict, x.findings.map((f) => f.code)])).toEqual([['fail', ['size', 'gap']], ['fail', ['size', 'gap']]]);
    expect(results.flatMap((x) => x.notes).join('\n')).not.toMatch(/no \[vdso\] bytes/);
  });
});
