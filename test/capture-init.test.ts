// scripts/capture-init/capture-init.c is the /init of boots whose architecture has no Debian
// busybox-static (sparc64): it must print the capture script's bundle, line for line in form,
// for check to read its log as it reads the script's. Built here with the host's compiler and
// run on this machine, next to the capture script run by sh: both bundles of real processes.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ROOT } from './helpers.js';

const cc = spawnSync('sh', ['-c', 'command -v cc'], { encoding: 'utf8' }).stdout.trim();
const dir = mkdtempSync(join(tmpdir(), 'vdso-capture-init-'));
const why = cc ? '' : 'no C compiler (cc) on this machine: apt-get install gcc libc6-dev';
if (why && process.env.CI === 'true') throw new Error(`capture-init test cannot run under CI: ${why}`);

/** A bundle's lines with the values taken out: what the two writers must agree on. */
const skeleton = (out: string) => out.split('\n')
  .filter((l) => !/^[0-9a-f]+-[0-9a-f]+ /.test(l) && !/^[0-9a-f]{6,}( |$)/.test(l))
  .map((l) => l.replace(/^(uname-r|uname-m|pagesize|pid|kernel-max): .*/, '$1:').replace(/^@@@VDSO [0-9a-f]+-[0-9a-f]+$/, '@@@VDSO RANGE'));

describe.skipIf(why !== '')(`capture-init on this machine${why ? ` (skipped: ${why})` : ''}`, () => {
  const bin = join(dir, 'capture-init');
  it('builds without a warning (-Wall -Wextra -Werror)', () => {
    const r = spawnSync(cc, ['-O2', '-Wall', '-Wextra', '-Werror', '-o', bin, join(ROOT, 'scripts', 'capture-init', 'capture-init.c')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  it('`capture-init bundle` prints the capture script\'s bundle, and check passes it with the [vdso] bytes it read', () => {
    const own = spawnSync(bin, ['bundle'], { encoding: 'utf8' });
    expect(own.status).toBe(0);
    const script = spawnSync('sh', ['-c', cli(['capture-script']).stdout], { encoding: 'utf8' });
    expect(script.status).toBe(0);
    expect(skeleton(own.stdout)).toEqual(skeleton(script.stdout));
    expect(skeleton(own.stdout)).toContain('@@@MAPS');
    const file = join(dir, 'bundle.log');
    writeFileSync(file, own.stdout);
    const r = cli(['check', file, '--format', 'json']);
    const [res] = (JSON.parse(r.stdout) as { results: Array<{ verdict: string; findings: Array<{ code: string; message: string }> }> }).results;
    // Root reads /proc/PID/mem: the bundle holds the [vdso] bytes, so the text size is checked too.
    const readable = own.stdout.includes('@@@VDSO ');
    expect(res.verdict, r.stdout).toBe('pass');
    expect(res.findings.some((f) => f.message === 'text size not checked: no vDSO image given')).toBe(!readable);
  });
});
