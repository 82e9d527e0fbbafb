// The shell scripts given bad arguments: exit 2 with one line naming the problem, before anything
// is created, downloaded or booted. A fake QEMU (prints a recorded console log) runs qemu-check.sh
// end to end without booting anything. shellcheck runs on the scripts where it is installed.
import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from './helpers.js';

const script = (name: string) => join(ROOT, 'scripts', name);
const which = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();
function run(name: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync('bash', [script(name), ...args], { encoding: 'utf8', env, timeout: 60_000, cwd: mkdtempSync(join(tmpdir(), 'vl-args-')) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bad arguments: exit 2, one line, nothing done', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['qemu-check.sh', ['--arch'], /^qemu-check: --arch needs a value \(see --help\)\n$/],
    ['qemu-check.sh', ['--arch', 'amd64', '--kernel'], /^qemu-check: --kernel needs a value/],
    ['qemu-check.sh', ['--append'], /^qemu-check: --append needs a value/],
    ['qemu-check.sh', ['--out', ''], /^qemu-check: --out needs a value, not an empty string\n$/],
    ['qemu-check.sh', ['--bogus'], /^qemu-check: unknown argument '--bogus' \(see --help\)\n$/],
    ['qemu-check.sh', ['--kernel', '/etc/hostname'], /^qemu-check: --arch is required/],
    ['qemu-check.sh', ['--append', '', '--no-compat', '--kernel', '/etc/hostname'], /^qemu-check: --arch is required/], // '' is a value --append may take
    ['qemu-check.sh', [''], /^qemu-check: unknown argument '' \(see --help\)\n$/],
    ['qemu-check.sh', ['--arch=amd64'], /^qemu-check: unknown argument '--arch=amd64'/],
    ['qemu-matrix.sh', ['--out'], /^qemu-matrix: --out needs a value \(see --help\)\n$/],
    ['qemu-matrix.sh', ['--suites'], /^qemu-matrix: --suites needs a value/],
    ['qemu-matrix.sh', ['--arches'], /^qemu-matrix: --arches needs a value/],
    ['qemu-matrix.sh', ['--cache'], /^qemu-matrix: --cache needs a value/],
    ['qemu-matrix.sh', ['--timeout'], /^qemu-matrix: --timeout needs a value/],
    ['qemu-matrix.sh', ['--timeout', 'soon'], /^qemu-matrix: --timeout: expected a number of seconds, not 'soon'\n$/],
    ['qemu-matrix.sh', ['--suites', 'bookworm *'], /^qemu-matrix: --suites: expected Debian suite names/],
    ['qemu-matrix.sh', ['--bogus'], /^qemu-matrix: unknown argument '--bogus' \(see --help\)\n$/],
    ['qemu-matrix.sh', ['--', '--out', 'x'], /^qemu-matrix: unknown argument '--' \(see --help\)\n$/], // it passes nothing on
    ['fetch-kernels.sh', ['--bogus'], /^fetch-kernels: unknown option '--bogus'/],
    ['fetch-kernels.sh', ['a', 'b'], /^fetch-kernels: one CACHE_DIR at most, not 2 arguments\n$/],
  ];
  for (const [name, args, want] of cases) {
    it(`${name} ${args.map((a) => JSON.stringify(a)).join(' ')}`, () => {
      const r = run(name, args);
      expect(r.stderr).toMatch(want);
      expect(r.stderr.split('\n')).toHaveLength(2); // one line
      expect([r.code, r.stdout]).toEqual([2, '']);
    });
  }
  it('--help prints usage and exits 0 (fetch-kernels.sh no longer hands it to mkdir)', () => {
    for (const name of ['qemu-check.sh', 'qemu-matrix.sh', 'fetch-kernels.sh']) {
      const r = run(name, ['--help']);
      expect([name, r.code, r.stderr]).toEqual([name, 0, '']);
      expect(r.stdout).toMatch(/scripts\//);
    }
  });
  it('an --out that cannot be created is one line, not mkdir\'s errors', () => {
    const r = run('qemu-matrix.sh', ['--out', '/proc/vdso-layout-no-such-dir']);
    expect([r.code, r.stderr]).toEqual([2, "qemu-matrix: --out: cannot create directory '/proc/vdso-layout-no-such-dir'\n"]);
  });
});

// qemu-check.sh end to end with a QEMU that only prints a recorded console log.
const missing = !which('cpio') ? 'cpio is not installed' : !existsSync(join(ROOT, 'dist', 'cli.js')) ? 'not built' : undefined;
describe.skipIf(missing)(`qemu-check.sh with a fake QEMU${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const bin = mkdtempSync(join(tmpdir(), 'vl-fakeqemu-'));
  const fake = join(bin, 'qemu-system-x86_64');
  writeFileSync(fake, `#!/bin/sh\n[ "$1" = --version ] && { echo "QEMU emulator version 9.9.9"; exit 0; }\ncat "${join(ROOT, 'samples', 'qemu', 'amd64-6.1.0-56-console-interleaved.log')}"\n`);
  chmodSync(fake, 0o755);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1' };
  const common = ['--arch', 'amd64', '--kernel', '/etc/hostname', '--busybox', '/etc/hostname', '--no-compat'];
  it('a backslash in --out is a character of the name: every log lands inside DIR; the package cache survives the next run', () => {
    const parent = mkdtempSync(join(tmpdir(), 'vl-out-'));
    const out = join(parent, 'bs\\tx');
    const r = run('qemu-check.sh', [...common, '--out', out, '--', '-q'], env);
    expect(r.stderr).toMatch(/captured \(1 bundle\(s\)\)/);
    expect(r.code).toBe(0);
    expect(readdirSync(parent)).toEqual(['bs\\tx']); // nothing written beside DIR (awk -v once read \t as a tab)
    expect(readdirSync(out).sort()).toEqual(['.cache', '.work', 'console.log', 'task-native.log']);
    writeFileSync(join(out, '.cache', 'kept.deb'), 'x');
    const again = run('qemu-check.sh', [...common, '--out', out, '--', '-q'], env);
    expect(again.code).toBe(0);
    expect(readdirSync(join(out, '.cache'))).toEqual(['kept.deb']);
  });
  it('an unwritable --out or --cache is one line', () => {
    const r = run('qemu-check.sh', [...common, '--out', '/proc/vdso-layout-no-such-dir'], env);
    expect([r.code, r.stderr]).toEqual([2, "qemu-check: --out: cannot create directory '/proc/vdso-layout-no-such-dir'\n"]);
    const out = mkdtempSync(join(tmpdir(), 'vl-out-'));
    mkdirSync(join(out, 'file-parent'));
    writeFileSync(join(out, 'file-parent', 'f'), '');
    const c = run('qemu-check.sh', [...common, '--out', out, '--cache', join(out, 'file-parent', 'f', 'sub')], env);
    expect([c.code, c.stderr]).toEqual([2, `qemu-check: --cache: cannot create directory '${join(out, 'file-parent', 'f', 'sub')}'\n`]);
  });
});

// loong64 with --bios: a 6.1 LoongArch kernel finds its hardware only through the ACPI tables a UEFI
// firmware installs, so the EFI-stub image is booted through the firmware (QEMU's -bios).
describe.skipIf(missing)(`qemu-check.sh --arch loong64 --bios with a fake QEMU${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const bin = mkdtempSync(join(tmpdir(), 'vl-fakeqemu-loong-'));
  const argsFile = join(bin, 'args');
  writeFileSync(join(bin, 'qemu-system-loongarch64'), `#!/bin/sh\n[ "$1" = --version ] && { echo "QEMU emulator version 7.2.0"; exit 0; }\nprintf '%s\\n' "$@" > "${argsFile}"\ncat "${join(ROOT, 'samples', 'qemu', 'loong64-6.1.176-nr256-4k-console.log')}"\n`);
  chmodSync(join(bin, 'qemu-system-loongarch64'), 0o755);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1' };
  // Not an ELF file: the kernel stands for vmlinux.efi, the firmware for QEMU_EFI.fd.
  const common = ['--arch', 'loong64', '--kernel', '/etc/hostname', '--init', '/etc/hostname'];
  it('passes -bios FILE to QEMU, which then boots a non-ELF kernel (the firmware loads it)', () => {
    const out = mkdtempSync(join(tmpdir(), 'vl-out-'));
    const r = run('qemu-check.sh', [...common, '--bios', '/etc/hostname', '--out', out, '--', '-q'], env);
    expect(r.stderr).toMatch(/captured \(2 bundle\(s\)\)/);
    expect(r.code).toBe(0);
    const args = readFileSync(argsFile, 'utf8').split('\n');
    expect(args[args.indexOf('-bios') + 1]).toBe('/etc/hostname');
    expect(args[args.indexOf('-kernel') + 1]).toBe('/etc/hostname');
  });
  it('without --bios, QEMU 7.2 is refused a non-ELF kernel (its direct boot loads only an ELF vmlinux)', () => {
    const out = mkdtempSync(join(tmpdir(), 'vl-out-'));
    const r = run('qemu-check.sh', [...common, '--out', out], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/boots only an ELF vmlinux on loongarch/);
  });
  it('a --bios that does not exist is one line', () => {
    const r = run('qemu-check.sh', [...common, '--bios', '/nonexistent.fd'], env);
    expect([r.code, r.stderr]).toEqual([2, 'qemu-check: /nonexistent.fd: no such file (or not readable)\n']);
  });
});

const shellcheck = which('shellcheck');
// .ci/run installs shellcheck: under CI=true a missing one fails instead of skipping.
describe.skipIf(!shellcheck && !process.env.CI)(`shellcheck${shellcheck ? '' : ' (skipped: not installed; apt-get install shellcheck)'}`, () => {
  it('every shell script passes shellcheck (as .ci/run runs it; .shellcheckrc says what is off and why)', () => {
    const shells = ['scripts', 'scripts/lib', 'lava'].flatMap((d) => readdirSync(join(ROOT, d)).filter((f) => f.endsWith('.sh')).map((f) => join(d, f)));
    expect(shells).toContain('lava/vdso-capture.sh');
    expect(shells.length).toBeGreaterThan(10);
    const r = spawnSync('shellcheck', ['-f', 'gcc', '-x', ...shells, '.ci/run'], { encoding: 'utf8', cwd: ROOT });
    expect(r.error).toBeUndefined();
    expect([r.status, r.stdout]).toEqual([0, '']);
  });
});
