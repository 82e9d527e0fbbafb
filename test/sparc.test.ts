// sparc64, from a real boot: Debian's linux-source-6.1 (6.1.176) built for sparc64 by
// scripts/build-kernel.sh and booted under QEMU sun4u by scripts/qemu-check.sh --init
// (samples/qemu/sparc64-6.1.176-tinyconfig-console.log, its images and .config beside it). Two
// 64-bit tasks and one 32-bit compat task, each a [vvar] page of 8K right below a [vdso] page of
// 8K; the 64-bit ones above 2^63. Before sparc had rows, this log was refused by its uname -m and
// its first boot (with an older build) failed as arm64-5.9.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cli, qemuBoot, readText, ROOT, scratch } from './helpers.js';
import { checkJson as json } from './formats.js';

const IMAGES = join(ROOT, 'samples', 'qemu', 'sparc64-6.1.176-tinyconfig');
const { put } = scratch('sparc');
const cluster = (maps: string) => maps.split('\n').filter((l) => /\[(vvar|vdso)\]$/.test(l)).join('\n') + '\n';
const { file: LOG, mapsOf } = qemuBoot('sparc64-6.1.176-tinyconfig-console.log');

describe('a real sparc64 6.1 kernel under QEMU sun4u', () => {
  it('the log passes: three processes, sparc-4.15 at 8K pages, its own kernel, each based at its AT_SYSINFO_EHDR', () => {
    const { code, results } = json(['check', LOG]);
    expect(code).toBe(0);
    expect(results.map((r) => [r.verdict, r.profile, r.pageSize, r.kernelVersion])).toEqual(Array(3).fill(['pass', 'sparc-4.15', '0x2000', '6.1.176']));
    expect(results.map((r) => r.base)).toEqual(['0xfffff80100418000', '0xfffff8010073e000', '0xf7c2c000']);
    // The bundles hold the live [vdso] bytes: the text size is checked from them.
    for (const r of results) expect(r.findings.filter((f) => f.code === 'not-checked')).toEqual([]);
  });
  it('held to 7.1\'s row (the generic store: [vvar] 4 pages), every process fails size; --kernel 7.1 is refused against the log\'s own 6.1.176', () => {
    expect(cli(['check', LOG, '--kernel', '7.1']).code).toBe(2);
    const { code, results } = json(['check', LOG, '--profile', 'sparc-7.1']);
    expect(code).toBe(1);
    for (const r of results) expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['size']);
  });
  it('a 64-bit task\'s lines alone name sparc by themselves: the vDSO above 2^63', () => {
    const [r] = json(['check', put('native.txt', mapsOf(1))]).results;
    expect(r).toMatchObject({ verdict: 'pass', profile: 'sparc-4.15', pageSize: '0x2000' });
    expect(r.notes.join('\n')).toMatch(/arch sparc, from the capture: .*the vDSO above 2\^63 \(sparc64 maps it above its VA hole, ia64 in region 5; no other kernel there\) \(sparc\)/);
  });
  it('the compat task\'s lines alone are undecided: only sparc-4.15 fits them, and an arm64 compat task that lost [sigpage] and [vectors] prints them too (exit 2, not a pass on a guess)', () => {
    const { code, results: [r] } = json(['check', put('compat.txt', mapsOf(3))]);
    expect(code).toBe(2);
    expect(r).toMatchObject({ verdict: 'error', errorKind: 'undecided', profile: null });
    expect(r.message).toMatch(/:1: family undecided: the lines fit sparc-4\.15 but no row of arm64 \(arm64-5\.9: neighbour\), and nothing in them names the family: a verdict would rest on a guess \(give --arch, --vdso or uname -m to decide\)$/);
    expect(json(['check', put('compat.txt', mapsOf(3)), '--arch', 'sparc64']).results[0]).toMatchObject({ verdict: 'pass', profile: 'sparc-4.15', pageSize: '0x2000' });
    const withImage = json(['check', put('compat.txt', mapsOf(3)), '--vdso', join(IMAGES, 'vdso32.so')]).results[0];
    expect(withImage).toMatchObject({ verdict: 'pass', profile: 'sparc-4.15', kernelVersion: '6.1.176' });
  });
  it('synth with each image and the task\'s base prints the kernel\'s lines byte for byte', () => {
    const native = cli(['synth', '--vdso', join(IMAGES, 'vdso64.so'), '--base', '0xfffff80100418000']);
    expect(native.code).toBe(0);
    expect(native.stdout).toBe(cluster(mapsOf(1)));
    const compat = cli(['synth', '--vdso', join(IMAGES, 'vdso32.so'), '--base', '0xf7c2c000']);
    expect(compat.stdout).toBe(cluster(mapsOf(3)));
  });
  it.each([
    ['[vvar] gone', (m: string) => m.replace(/^.*\[vvar\]\n/m, ''), 'vvar-missing'],
    ['[vvar] two pages', (m: string) => m.replace('fffff80100416000-fffff80100418000 r--p', 'fffff80100414000-fffff80100418000 r--p'), 'size'],
    ['[vvar] above the text', (m: string) => m.replace(/^fffff80100416000-fffff80100418000 (r--p.*\[vvar\])\n(fffff80100418000-fffff8010041a000 )(r-xp.*\[vdso\])$/m, 'fffff80100416000-fffff80100418000 $3\nfffff80100418000-fffff8010041a000 $1'), 'order'],
  ])('the 64-bit task with %s fails %s against 6.1', (_what, edit, code) => {
    const edited = edit(mapsOf(1));
    expect(edited).not.toBe(mapsOf(1));
    const [r] = json(['check', put('edited.txt', edited), '--kernel', '6.1', '--vdso', join(IMAGES, 'vdso64.so')]).results;
    expect(r.verdict).toBe('fail');
    expect(r.findings.map((f) => f.code)).toContain(code);
  });
  it('another architecture\'s image or lines are refused: an amd64 image here, the sparc64 image on an amd64 capture', () => {
    expect(cli(['check', put('native.txt', mapsOf(1)), '--vdso', join(ROOT, 'samples', 'corpus', 'amd64-6.1.0-56-amd64', 'vdso64.so')]).stderr)
      .toMatch(/the image \(x86_64\) does not fit this capture's own lines: the vDSO above 2\^63/);
    expect(cli(['check', join(ROOT, 'samples', 'corpus', 'amd64-6.1.0-56-amd64', 'maps-dyn.txt'), '--vdso', join(IMAGES, 'vdso64.so')]).stderr)
      .toMatch(/the image \(sparc64\) does not fit this capture's own lines: library paths under x86_64-linux-gnu/);
  });
  it('a user profile of sparc64\'s generic-store layout at 8K pages: the 6.1 lines fail it by size', () => {
    const profile = put('sparc-generic.json', JSON.stringify({
      schema: 'vdso-layout/profile/1', id: 'sparc-generic-store', arch: 'sparc64', since: '7.1', pageSize: 8192, embeds: 'stripped',
      regions: [{ name: '[vvar]', role: 'data', pages: 4, perms: 'r--p' }, { name: '[vdso]', role: 'text', perms: 'r-xp' }],
      source: 'arch/sparc/include/asm/vdso/vsyscall.h __VDSO_PAGES 4 (7.1.3)',
    }));
    const { code, results } = json(['check', LOG, '--profile', profile]);
    expect(code).toBe(1);
    for (const r of results) expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['size']);
  });
  it('inspect reads both images: sparc64 (Sparc v9) and the compat one (Sparc v8+), Linux 6.1.176, counted at 8K, sparc64\'s only page size', () => {
    const r = cli(['inspect', join(IMAGES, 'vdso64.so'), join(IMAGES, 'vdso32.so')]);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^ {2}pages +1 at 8K$/gm)).toHaveLength(2);
    expect(r.stdout).toMatch(/arch +sparc64 +ELF64 big-endian, Sparc v9 \(e_machine 43\)/);
    expect(r.stdout).toMatch(/arch +sparc +ELF32 big-endian, Sparc v8\+ \(e_machine 18\)/);
    expect(r.stdout.match(/kernel +6\.1\.176/g)).toHaveLength(2);
  });
});

describe('what is not sparc64 is never judged as sparc64 (an audit of this family found each)', () => {
  const corpus = (...p: string[]) => join(ROOT, 'samples', 'corpus', ...p);
  const AMD64 = 'amd64-6.1.0-56-amd64';
  it.each([
    // An i386 task's 4x4K [vvar] is sparc-7.1's 4 pages at 4K: it passed as profile sparc-7.1.
    ['--arch sparc64 with the task\'s AT_PAGESZ', ['--arch', 'sparc64', '--auxv', corpus(AMD64, 'auxv-compat32.txt')]],
    ['--profile sparc-7.1 --page-size 4096', ['--profile', 'sparc-7.1', '--page-size', '4096']],
  ])('an x86 ia32 task (4K vma boundaries) under %s: refused', (_what, flags) => {
    const r = cli(['check', corpus(AMD64, 'maps-compat32.txt'), ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not fit this capture's own lines: vma boundaries on 4K pages, and sparc64 kernels have 8K pages only/);
  });
  it('8K-aligned lines named 4K pages: sparc rows are not laid out at 4K (synth refuses, check does not pass)', () => {
    const s = cli(['synth', '--arch', 'sparc64', '--kernel', '6.1', '--page-size', '4096']);
    expect(s.code).toBe(2);
    expect(s.stderr.trim()).toBe("vdso-layout: 4096-byte pages (--page-size) are no sparc kernel's: sparc kernels have 8192-byte pages only");
    expect(cli(['check', put('native.txt', mapsOf(1)), '--page-size', '4096']).code).not.toBe(0);
  });
  it('a 64-bit task whose vDSO sits below 2^63 (inside the VA hole on sun4u) is no sparc64 task: refused, not passed as sparc-4.15', () => {
    const moved = mapsOf(1).replace(/^fffff80100416000-fffff80100418000/m, '7fff00416000-7fff00418000').replace(/^fffff80100418000-fffff8010041a000/m, '7fff00418000-7fff0041a000');
    expect(moved).toContain('7fff00418000-7fff0041a000');
    for (const flags of [['--kernel', '6.1'], ['--vdso', join(IMAGES, 'vdso64.so')]]) {
      const r = cli(['check', put('moved.txt', moved), ...flags]);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/a 64-bit task's vDSO below 2\^63/);
    }
  });
  it('a kernel older than sparc64\'s first vDSO (4.14): undecided (exit 2), not judged by sparc-4.15; --profile sparc-4.15 judges it by that row', () => {
    const { code, results: [r] } = json(['check', put('native.txt', mapsOf(1)), '--kernel', '4.14']);
    expect([code, r.verdict, r.errorKind]).toEqual([2, 'error', 'undecided']);
    expect(r.message).toMatch(/kernel 4\.14 is older than every sparc row \(the oldest, sparc-4\.15, is the layout of 4\.15 on\): no row says what that kernel maps, so a verdict would rest on a guess \(give --profile sparc-4\.15/);
    const forced = json(['check', put('native.txt', mapsOf(1)), '--kernel', '4.14', '--profile', 'sparc-4.15']);
    expect([forced.code, forced.results[0].verdict, forced.results[0].profile]).toEqual([0, 'pass', 'sparc-4.15']);
    const s = cli(['synth', '--arch', 'sparc64', '--kernel', '4.14']);
    expect([s.code, s.stdout, s.stderr.trim()]).toEqual([2, '', 'vdso-layout: kernel 4.14 is older than every sparc row (the oldest, sparc-4.15, is the layout of 4.15 on): no row says what that kernel maps (give --profile sparc-4.15 to draw that row\'s lines)']);
  });
  it('an arm64 compat task without its [sigpage] and [vectors] lines (4K boundaries): sparc is not among the families it fits', () => {
    const t = readText(corpus('arm64-6.1.0-56-arm64', 'maps-compat32.txt')).split('\n').filter((l) => !/\[(sigpage|vectors)\]$/.test(l)).join('\n');
    const [r] = json(['check', put('a64c.txt', t)]).results;
    // parisc64 runs 32-bit tasks at 0x10000 too; its rows' lack of a [vvar] rules it out (a hint).
    expect(r).toMatchObject({ verdict: 'fail', family: 'arm64', families: null });
    expect(r.notes.join('\n')).toMatch(/vma boundaries on 4K pages \(arm64, parisc\); \[vvar\] is mapped \(arm64\)/);
  });
  it('--arch sparcv9 names sparc64', () => {
    expect(json(['check', put('native.txt', mapsOf(1)), '--arch', 'sparcv9']).results[0]).toMatchObject({ verdict: 'pass', profile: 'sparc-4.15' });
  });
});
