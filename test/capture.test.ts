import { describe, expect, it } from 'vitest';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CAPTURE_SCRIPT } from '../src/capture/script.js';
import { readCapture } from '../src/capture/reader.js';
import { cli, AMD64_ENTRY } from './helpers.js';
import { runCli } from './run-in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'vl-cap-'));
const script = join(dir, 'vdso-capture.sh');
writeFileSync(script, CAPTURE_SCRIPT);
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
// CI installs busybox-static, dash and bash (.ci/run); elsewhere a missing shell is skipped, never faked.
const SHELLS: Array<[string, string[]]> = [['busybox sh', ['busybox', 'sh']], ['dash', ['dash']], ['bash', ['bash', '--posix']]];

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
