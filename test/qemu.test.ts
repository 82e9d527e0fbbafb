import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, mkdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from './helpers.js';

// A real boot: scripts/qemu-check.sh boots the current Debian bookworm amd64 kernel (cached by
// scripts/fetch-kernels.sh, which .ci/run runs) under qemu-system-x86_64 with a busybox initramfs
// running capture-script, and checks the serial log. .ci/run installs QEMU and busybox-static, so
// under CI=true a missing piece fails instead of skipping.
const SCRIPT = join(ROOT, 'scripts', 'qemu-check.sh');
const CACHE = process.env.VDSO_LAYOUT_KERNEL_CACHE ?? join(homedir(), '.cache', 'vdso-layout', 'kernels');
const which = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();
const qemu = which('qemu-system-x86_64');
const manifestLine = existsSync(join(CACHE, 'kernels.tsv'))
  ? readFileSync(join(CACHE, 'kernels.tsv'), 'utf8').split('\n').find((l) => l.startsWith('bookworm\tamd64\tamd64\tok\t'))
  : undefined;
const kernel = manifestLine ? join(CACHE, manifestLine.split('\t')[6]) : undefined;
// A static busybox from the host (busybox-static) saves the apt round trip; a dynamic one cannot run in the initramfs.
const isStatic = (p: string) => { // an x86-64 ELF without a PT_INTERP program header
  const b = readFileSync(p);
  if (b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2) return false;
  const phoff = Number(b.readBigUInt64LE(0x20)); const size = b.readUInt16LE(0x36); const n = b.readUInt16LE(0x38);
  for (let i = 0; i < n; i++) if (b.readUInt32LE(phoff + i * size) === 3) return false;
  return true;
};
const hostBusybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p) && isStatic(p));
const missing = !qemu ? 'qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)'
  : !kernel || !existsSync(kernel) ? `no cached bookworm amd64 kernel in ${CACHE} (run scripts/fetch-kernels.sh)`
  : !hostBusybox ? 'no static busybox on this machine (apt-get install busybox-static)' : undefined;
if (missing) console.log(`QEMU boot tests skipped: ${missing}`);
const bootIt = missing && !process.env.CI ? it.skip : it;

function qemuCheck(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const out = mkdtempSync(join(tmpdir(), 'vl-qemu-'));
  const r = spawnSync('bash', [SCRIPT, '--out', out, ...args], { encoding: 'utf8', env: { ...env, NO_COLOR: '1' }, timeout: 170_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, out };
}

describe('scripts/qemu-check.sh: a kernel to a verdict under QEMU', () => {
  bootIt('boots Debian\'s current bookworm amd64 kernel, captures, and passes check (exit 0); the same boot with another era\'s profile fails (exit 1)', () => {
    expect(missing, missing).toBeUndefined();
    const ok = qemuCheck(['--arch', 'amd64', '--kernel', kernel!, '--busybox', hostBusybox!, '--no-compat', '--timeout', '150']);
    expect(ok.stderr).toMatch(/qemu-check: captured \(1 bundle\(s\)\)/);
    expect([ok.code, ok.stdout]).toEqual([0, expect.stringMatching(/^ok .*console\.log#bundle: profile x86-5\.6, 4K pages, 64-bit kernel, kernel 6\.1\.\d+/)]);
    const log = readFileSync(join(ok.out, 'console.log'), 'latin1');
    expect(log).toContain('@@@VDSO-LAYOUT-BUNDLE 1 END');
    expect(readFileSync(join(ok.out, 'task-native.log'), 'latin1')).toMatch(/^uname-m: x86_64$/m);
    // Nothing outside --out: the work directory and the default package cache (kept between runs) are inside it.
    expect(readdirSync(ok.out).sort()).toEqual(['.cache', '.work', 'console.log', 'task-native.log']);

    const bad = qemuCheck(['--arch', 'amd64', '--kernel', kernel!, '--busybox', hostBusybox!, '--no-compat', '--timeout', '150', '--', '--profile', 'x86-6.15']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^FAIL .*profile x86-6\.15/m);
    expect(bad.stdout).toContain('vvar-missing');
  }, 360_000);

  bootIt('a kernel that panics (no root, no init) is reported with the tail of its log, exit 2', () => {
    expect(missing, missing).toBeUndefined();
    const r = qemuCheck(['--arch', 'amd64', '--kernel', kernel!, '--busybox', hostBusybox!, '--no-compat', '--timeout', '150', '--append', 'rdinit=/nonexistent root=/dev/nonexistent']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/qemu-check: kernel panic during the boot/);
    expect(r.stderr).toMatch(/--- last lines of .*console\.log:\n[\s\S]*Kernel panic - not syncing/);
  }, 180_000);

  bootIt('a boot that does not finish in time is stopped with a clear message, exit 2', () => {
    expect(missing, missing).toBeUndefined();
    const r = qemuCheck(['--arch', 'amd64', '--kernel', kernel!, '--busybox', hostBusybox!, '--no-compat', '--timeout', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/qemu-check: timeout: the boot did not finish within 2s \(QEMU stopped\)/);
  }, 60_000);
});

describe('scripts/qemu-check.sh: usage errors are exit 2 with one clear line', () => {
  it('--help documents the interface', () => {
    const r = spawnSync('bash', [SCRIPT, '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    for (const opt of ['--arch ARCH', '--kernel FILE', '--debian PKG[=VER]', '--vdso IMAGE', '--out DIR', '--timeout S', '-- CHECK-ARGS']) expect(r.stdout).toContain(opt);
  });
  it('an unknown architecture, a missing kernel file, no kernel at all', () => {
    const out = mkdtempSync(join(tmpdir(), 'vl-qemu-'));
    const run = (...a: string[]) => spawnSync('bash', [SCRIPT, '--out', out, ...a], { encoding: 'utf8' });
    expect([run('--arch', 'vax', '--kernel', SCRIPT).status, run('--arch', 'vax', '--kernel', SCRIPT).stderr]).toEqual([2, expect.stringContaining("--arch: unknown architecture 'vax'")]);
    expect(run('--arch', 'amd64', '--kernel', join(out, 'nope')).stderr).toBe(`qemu-check: ${join(out, 'nope')}: no such file (or not readable)\n`);
    expect(run('--arch', 'amd64').stderr).toBe('qemu-check: give --kernel FILE or --debian PACKAGE[=VERSION]\n');
  });
  it.each(['hppa', 'sh4'])('%s has no busybox-static in Debian: without --init the script says to pass capture-init', (arch) => {
    const out = mkdtempSync(join(tmpdir(), 'vl-qemu-'));
    const r = spawnSync('bash', [SCRIPT, '--out', out, '--arch', arch, '--kernel', SCRIPT], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^qemu-check: --arch ${arch}: Debian has no busybox-static for ${arch}; pass --init FILE`));
  });
  it('a missing QEMU names the apt command that installs it', () => {
    // A PATH with only what the script needs before it looks for QEMU.
    const bin = mkdtempSync(join(tmpdir(), 'vl-path-'));
    mkdirSync(join(bin, 'b'));
    for (const t of ['dirname', 'apt-cache']) { const p = which(t); if (p) symlinkSync(p, join(bin, 'b', t)); }
    const r = spawnSync(which('bash'), [SCRIPT, '--arch', 'ppc64el', '--kernel', SCRIPT, '--out', join(bin, 'o')], { encoding: 'utf8', env: { PATH: join(bin, 'b') } });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('qemu-check: qemu-system-ppc64 not found; install it with: apt-get install qemu-system-ppc\n');
    expect(existsSync(join(bin, 'o'))).toBe(false);
  });
});
