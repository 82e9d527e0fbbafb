// What a capture says of itself: each process is judged by its own boot's kernel (a log may hold
// several boots), and a capture whose own words disagree (a bundle's [vdso] bytes against its
// uname -m, an image's Linux note against the release the capture names, a bundle's page size
// against its AT_PAGESZ) is refused rather than judged by whichever came first. Every case is a
// real console log, bundle or LAVA log, edited as a mix-up in a CI lab would produce it; each
// passed before.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCapture } from '../src/capture/reader.js';
import { keepForCheck } from '../src/check/pipeline.js';
import { checkCapture, kernelOf } from '../src/check/inputs.js';
import { parseUname } from '../src/layout/arch.js';
import { cli, CORPUS, ROOT, readText, AMD64_ENTRY, scratch, corpusConsoleLogs } from './helpers.js';
import { unameOf } from '../src/capture/console.js';

const check = (text: string, file = 'log') => checkCapture(readCapture(text, { file, keep: keepForCheck }), {});
const CONSOLE = readText(join(CORPUS, AMD64_ENTRY, 'console.log'));
/** The same boot relabelled as a 4.19 kernel (x86 [vvar] is 3 pages there, 4 in 6.1: the lines do not fit it). */
const AS_419 = CONSOLE.replace(/6\.1\.0-56-amd64/g, '4.19.0-27-amd64').replace(/Debian 6\.1\.192-2/g, 'Debian 4.19.316-1');
const withoutUname = (t: string) => t.replace(/@@@BEGIN uname[\s\S]*?@@@END uname\r?\n/, '');

describe('each process is judged by its own boot', () => {
  it('the 6.1 boot passes, the same lines named 4.19 fail size (the tool\'s rows: 4.11..5.5 have 3 pages)', () => {
    expect(check(CONSOLE).every((r) => r.verdict === 'pass')).toBe(true);
    const alone = check(AS_419);
    expect(alone.every((r) => r.verdict === 'fail')).toBe(true);
    expect(alone[0].findings.map((f) => f.code)).toContain('size');
  });
  it.each([
    ['two boots, each with its uname', AS_419 + CONSOLE, 8],
    ['two boots, banners only', withoutUname(CONSOLE) + withoutUname(AS_419), 8],
  ])('%s: the 4.19 boot\'s processes fail, the 6.1 boot\'s pass (before: all passed as 6.1)', (_name, log, each) => {
    const results = check(log);
    expect(results).toHaveLength(2 * each);
    const failed = results.filter((r) => r.verdict === 'fail');
    expect(failed).toHaveLength(each);
    expect(results.filter((r) => r.verdict === 'pass')).toHaveLength(each);
    for (const r of failed) expect(r.kernelVersion ?? r.notes.join(' '), r.label).toMatch(/4\.19/);
  });
  it('a release named without a banner after another boot\'s banner starts a boot, and is said', () => {
    const lines = CONSOLE.split('\n');
    const banner = lines.findIndex((l) => l.includes('Linux version 6.1.0-56-amd64'));
    lines[banner] = lines[banner].replace('6.1.0-56-amd64', '5.4.0-150-generic');
    const results = check(lines.join('\n'));
    expect(results.every((r) => r.verdict === 'pass')).toBe(true);
    expect(results[0].notes.join('\n')).toMatch(/the kernel changed without a boot banner: line \d+ names 6\.1\.0-56-amd64 \(6\.1\.192\), after 5\.4\.0-150-generic \(line \d+\); judged as 6\.1\.0-56-amd64 \(6\.1\.192\)/);
  });
  it('unameOf: a Debian ABI name\'s stable sublevel from its build string, never from the compiler\'s version before it', () => {
    const banner = (rel: string, build: string) => `Linux version ${rel} (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC ${build} (2026-11-16)`;
    expect(unameOf(banner('6.1.0-56-amd64', 'Debian 6.1.192-2'))).toEqual({ release: '6.1.0-56-amd64', upstream: '6.1.192' });
    expect(unameOf('Linux host 6.1.0-27-loong64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01) loongarch64 GNU/Linux')).toEqual({ release: '6.1.0-27-loong64', machine: 'loongarch64', upstream: '6.1.115' });
    // A release that says its sublevel needs none; another x.y's string is not this kernel's.
    expect(unameOf(banner('7.2.13+deb14-amd64', 'Debian 7.2.13-1'))).toEqual({ release: '7.2.13+deb14-amd64' });
    expect(unameOf(banner('6.1.0-56-amd64', 'Debian 6.12.9-1'))).toEqual({ release: '6.1.0-56-amd64' });
    expect(unameOf(banner('6.1.0-56-amd64', 'Ubuntu'))).toEqual({ release: '6.1.0-56-amd64' });
    // Every Debian ABI-named boot in the corpus names its sublevel.
    for (const [entry, bytes] of corpusConsoleLogs()) {
      const line = bytes.toString('latin1').split('\n').find((l) => l.includes('Linux version'))!;
      const u = unameOf(line.slice(line.indexOf('Linux version')).trim())!;
      if (/^\d+\.\d+\.0-\d+/.test(u.release)) expect(u.upstream, entry).toMatch(/^\d+\.\d+\.\d+$/);
      else expect(u.upstream, entry).toBeUndefined();
    }
  });
  it('kernelOf: boots split at banners and at another release; a process before any mark takes the first', () => {
    const marks = [
      { line: 10, release: '6.1.0', banner: true }, { line: 20, release: '6.1.0', machine: 'x86_64', banner: false },
      { line: 100, release: '7.2.0', banner: true },
      { line: 200, release: '7.3.0', machine: 'aarch64', banner: false },
    ];
    // Its boot-time messages (NR_CPUS) start at its banner, the first boot's too (a line above the
    // first banner is an earlier boot's or the host's); a boot without one has none of its own.
    expect(kernelOf(marks, 5)).toEqual({ release: '6.1.0', machine: 'x86_64', note: undefined, since: 10 });
    expect(kernelOf(marks, 50)).toEqual({ release: '6.1.0', machine: 'x86_64', note: undefined, since: 10 });
    expect(kernelOf([{ line: 20, release: '6.1.0', machine: 'x86_64', banner: false }], 50).since).toBe(0);
    expect(kernelOf(marks, 150)).toEqual({ release: '7.2.0', machine: undefined, note: undefined, since: 100 });
    expect(kernelOf(marks, 250)).toMatchObject({ release: '7.3.0', machine: 'aarch64', since: Infinity });
    expect(kernelOf([], 1)).toEqual({ since: 0 });
    // One Debian ABI name, two build strings: two kernels (a quiet reboot into a stable update).
    const debian = [
      { line: 1, release: '6.1.0-27-loong64', banner: true, upstream: '6.1.112' },
      { line: 183, release: '6.1.0-27-loong64', machine: 'loongarch64', banner: false, upstream: '6.1.115' },
    ];
    expect(kernelOf(debian, 100)).toMatchObject({ upstream: '6.1.112', since: 1, note: undefined });
    expect(kernelOf(debian, 200)).toMatchObject({ upstream: '6.1.115', since: Infinity, note: 'the kernel changed without a boot banner: line 183 names 6.1.0-27-loong64 (6.1.115), after 6.1.0-27-loong64 (6.1.112) (line 1); judged as 6.1.0-27-loong64 (6.1.115)' });
    // The same build string said twice is one boot.
    expect(kernelOf([debian[0], { ...debian[1], upstream: '6.1.112' }], 200)).toMatchObject({ upstream: '6.1.112', since: 1, machine: 'loongarch64' });
  });
});

describe('a capture whose own words disagree is refused', () => {
  const QEMU = readFileSync(join(ROOT, 'samples', 'qemu', 'amd64-6.1.0-56-console.log'), 'latin1');
  it('a bundle whose [vdso] bytes are another machine\'s (riscv64 in an amd64 bundle; it passed as riscv-6.15)', () => {
    const img = readFileSync(join(CORPUS, 'riscv64-7.2.13+deb14-riscv64', 'vdso.so'));
    const padded = Buffer.concat([img, Buffer.alloc((4096 - (img.length % 4096)) % 4096)]);
    const od: string[] = [];
    for (let i = 0; i < padded.length; i += 16) od.push(`${i.toString(16).padStart(6, '0')} ${[...padded.subarray(i, i + 16)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`);
    od.push(padded.length.toString(16).padStart(6, '0'));
    const swapped = QEMU.replace(/(@@@VDSO [0-9a-f]+-[0-9a-f]+\r?\n)[\s\S]*?(?=@@@VDSO-LAYOUT-BUNDLE 1 END)/, (_m, head: string) => `${head}${od.join('\r\n')}\r\n`);
    expect(swapped).not.toBe(QEMU);
    expect(check(QEMU).every((r) => r.verdict === 'pass')).toBe(true);
    const [r] = check(swapped, 'q.log');
    expect(r).toMatchObject({ verdict: 'error', errorKind: 'capture' });
    expect(r.message).toMatch(/^q\.log:\d+: the bundle's \[vdso\] bytes are an image of riscv64, but its uname -m is x86_64 \(x86\): the bytes are another machine's$/);
  });
  it('a bundle whose uname-r names another kernel than its [vdso] bytes\' Linux note (7.2 against 6.1.192; it passed as 6.1)', () => {
    const lava = readText(join(ROOT, 'samples', 'lava', 'amd64-6.1.0-57-lava-run.log'));
    const edited = lava.replace(/"uname-r: 6\.1\.0-57-amd64"/g, '"uname-r: 7.2.13+deb14-amd64"');
    expect(edited).not.toBe(lava);
    expect(check(lava).every((r) => r.verdict === 'pass')).toBe(true);
    const results = check(edited, 'lava.log');
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.verdict).toBe('error');
      expect(r.message).toMatch(/the bundle's \[vdso\] bytes are of Linux 6\.1\.\d+, but the bundle's uname-r says 7\.2\.13\+deb14-amd64: two kernels \(give --kernel to say which this process ran\)$/);
    }
  });
  it('a bundle whose AT_PAGESZ is not its "pagesize:" (it passed by the header alone)', () => {
    const bundle = readText(join(ROOT, 'samples', 'host', 'bundle-busybox-sh.txt'));
    const edited = bundle.replace(/^000030 06 00 00 00 00 00 00 00 00 10 00 00/m, '000030 06 00 00 00 00 00 00 00 00 40 00 00');
    expect(edited).not.toBe(bundle);
    expect(check(bundle).every((r) => r.verdict === 'pass')).toBe(true);
    const [r] = check(edited, 'b.txt');
    expect(r.message).toMatch(/^b\.txt:\d+: the bundle's "pagesize: 4096" and its AT_PAGESZ 16384 disagree: one of them is another machine's$/);
  });
});

describe('a flag naming another family than the capture\'s own uname -m is refused', () => {
  // The amd64 6.1 console log says x86_64 in its uname line; judged by a riscv row it passed
  // every process (its static busybox tasks' lines are riscv-6.15's too).
  const LOG = join(CORPUS, AMD64_ENTRY, 'console.log');
  it.each([
    [['--profile', 'riscv-6.15'], /profile riscv-6\.15 \(riscv\) does not fit this capture's own uname -m x86_64 \(x86\)/],
    [['--arch', 'riscv64'], /--arch riscv64 \(riscv\) does not fit this capture's own uname -m x86_64 \(x86\)/],
    [['--vdso', join(CORPUS, 'riscv64-7.2.13+deb14-riscv64', 'vdso.so')], /the image \(riscv64\) does not fit this capture's own uname -m x86_64 \(x86\)/],
  ])('%j: every process refused (it passed as riscv-6.15)', (flags, message) => {
    const r = cli(['check', LOG, ...flags]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^8 processes checked: 0 passed, 0 failed, 8 refused$/m);
    for (const l of r.stderr.trim().split('\n')) expect(l).toMatch(message);
  });
  it('a flag of the capture\'s own family is judged as before', () => {
    expect(cli(['check', LOG, '--arch', 'x86_64']).code).toBe(0);
    expect(cli(['check', LOG, '--profile', 'x86-5.6']).code).toBe(0);
  });
});

describe('a --kernel, --vdso or --page-size against the capture\'s own release and page size is refused', () => {
  // A stale --kernel in a CI job: the loong64 7.2 log whose [vvar] lost a page (4 -> 3 pages at
  // 16K) failed by itself, and passed under --kernel 6.1 (loongarch-6.0 allows any [vvar] size).
  const LOONG = readText(join(CORPUS, 'loong64-7.2.13+deb14-loong64', 'console.log'));
  const lost = scratch('flags').put('loong-3pages.log', LOONG.replace(/^7ffffc538000-7ffffc548000 r--p/m, '7ffffc53c000-7ffffc548000 r--p').replace(/^7ffffd2c4000-7ffffd2d4000 r--p/m, '7ffffd2c8000-7ffffd2d4000 r--p'));
  it('a --kernel of another x.y than the log\'s uname -r: refused (the regression passed under it); by itself it fails', () => {
    expect(cli(['check', lost]).stdout).toMatch(/^2 processes checked: 0 passed, 2 failed/m);
    const r = cli(['check', lost, '--kernel', '6.1']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^2 processes checked: 0 passed, 0 failed, 2 refused$/m);
    for (const l of r.stderr.trim().split('\n')) expect(l).toBe(`vdso-layout: ${lost}: --kernel 6.1 does not fit this capture's own uname or boot banner 7.2.13+deb14-loong64: it would judge the process by another kernel's layout (give --profile to hold it to another row)`);
    // Another row on purpose is --profile's, and one that ended before the log's release says so.
    expect(cli(['check', lost, '--profile', 'loongarch-6.0']).stdout).toContain('warning[not-checked]: profile loongarch-6.0 is the layout of 6.0 to before 6.5, and the kernel is 7.2.13+deb14-loong64');
  });
  it('a --kernel of the same x.y may pin the sublevel the release does not say (Debian\'s ABI names)', () => {
    expect(cli(['check', join(CORPUS, AMD64_ENTRY, 'console.log'), '--kernel', '6.1.158']).code).toBe(0);
  });
  it('a --vdso whose Linux note names another x.y than the log\'s release: refused (the armhf 6.1 image passed arm64 5.10\'s compat task)', () => {
    const r = cli(['check', join(CORPUS, 'arm64-5.10.0-32-arm64', 'console.log'), '--vdso', join(CORPUS, 'armhf-6.1.0-50-armmp', 'vdso.so')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--vdso (Linux 6.1.176, its note) does not fit this capture\'s own uname or boot banner 5.10.0-32-arm64: another kernel\'s image');
  });
  it('a --page-size other than the aux vector\'s AT_PAGESZ: refused (ppc64el\'s 64K processes passed at 16K)', () => {
    const r = cli(['check', join(CORPUS, 'ppc64el-5.10.262-vdsocorpus-ppc64le', 'console.log'), '--page-size', '16K', '--format', 'json']);
    const results = JSON.parse(r.stdout).results as Array<{ verdict: string; message?: string; errorKind?: string }>;
    const refused = results.filter((x) => x.verdict === 'error');
    expect(refused.length).toBeGreaterThan(0);
    const said = refused.map((x) => [x.errorKind, x.message?.replace(/^.*?: --page-size/, '--page-size').replace(/0x[0-9a-f]+/, 'X')]);
    expect(said).toContainEqual(['usage', expect.stringContaining('--page-size 16384 does not fit the aux vector\'s AT_PAGESZ 65536, the kernel\'s own page size')]);
    // The processes without an aux vector are refused by their own stack's top (47 bits: a 64K
    // ppc64 kernel's); they passed at 16K before.
    expect(said).toContainEqual(['usage', "--page-size 16384 does not fit this capture's own lines: [stack] ends at X, the top of a 47-bit user space, which the kernel gives only on other pages (powerpc at 64K)"]);
    expect(results.filter((x) => x.verdict !== 'error')).toEqual([]);
  });
});

describe('the capture\'s uname -m, every spelling a kernel prints, held to the lines', () => {
  const A64 = 'arm64-6.1.0-56-arm64';
  const uname = (machine: string) => `# uname -a\nLinux (none) 6.1.0-56-arm64 #1 SMP Debian 6.1.192-2 (2026-11-16) ${machine} GNU/Linux\n# cat /proc/self/maps\n`;
  const dir = mkdtempSync(join(tmpdir(), 'vdso-uname-'));
  const put = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
  it.each([['armv5tejl', 'arm'], ['armv4tl', 'arm'], ['armv7b', 'arm'], ['armv8l', 'arm'], ['aarch64_be', 'arm64']])('parseUname(%s) is %s\'s (they were ignored: the lines alone decided)', (name, family) => {
    expect(parseUname(name).family).toBe(family);
  });
  it('an x86_64 bundle whose uname-m says armv5tejl: refused by its own [vdso] bytes (it passed as x86-5.6)', () => {
    const log = put('armv5.log', readText(join(ROOT, 'samples', 'qemu', 'amd64-6.1.0-56-console.log')).replace(/^uname-m: x86_64/m, 'uname-m: armv5tejl'));
    const r = cli(['check', log]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the bundle's \[vdso\] bytes are an image of x86_64, but its uname -m is armv5tejl \(arm\)/);
  });
  it('armv7l over an arm64 kernel\'s 64-bit task: refused (it passed as arm64-5.9); the LAVA log\'s compat task still passes', () => {
    const r = cli(['check', put('armv7l.log', uname('armv7l') + readText(join(CORPUS, A64, 'maps-pid1.txt')))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the capture's uname -m armv7l \(an arm task\) does not fit the process's own lines: a 64-bit task on a 64-bit kernel/);
    const lava = cli(['check', put('lava-armv7l.log', readText(join(ROOT, 'samples', 'lava', 'arm64-6.1.0-57-lava-run.log')).replace(/uname-m: aarch64/g, 'uname-m: armv7l'))]);
    expect(lava.stdout).toMatch(/^2 processes checked: 1 passed, 0 failed, 1 unreadable$/m);
  });
  it('armv8l (what arm64 prints for a compat task) over compat lines whose padding was lost: arm64\'s compat (it failed as arm-4.1)', () => {
    const lost = readText(join(CORPUS, A64, 'maps-compat32.txt')).split('\n').map((l) => l.replace(/ +/g, ' ')).join('\n');
    const r = cli(['check', put('armv8l.log', uname('armv8l') + lost)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok .*profile arm64-5\.9, 4K pages, 64-bit kernel/m);
  });
});
