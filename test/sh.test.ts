// SuperH, from a real boot: Debian's linux-source-6.1 (6.1.176) built for sh4 by
// scripts/build-kernel.sh --arch sh4 (trixie's sh4 gcc 14: bookworm's gcc 12 miscompiles it) and
// booted under QEMU's r2d by scripts/qemu-check.sh --init
// (samples/qemu/sh4-6.1.176-tinyconfig-console.log, its image and .config beside it). Two tasks,
// each the one-page r-xp [vdso] at TASK_UNMAPPED_BASE (0x29556000, not randomized) and no data
// vma. Before sh had a row, this log was refused by its uname -m.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cli, grownElf32, qemuBoot, readBytes, ROOT, sample, scratch } from './helpers.js';
import { checkJson as json } from './formats.js';

const IMAGE = join(ROOT, 'samples', 'qemu', 'sh4-6.1.176-tinyconfig', 'vsyscall-trapa.so');
const { put } = scratch('sh');
const { file: LOG, text, mapsOf } = qemuBoot('sh4-6.1.176-tinyconfig-console.log');

describe('a real sh4 6.1 kernel under QEMU r2d', () => {
  it('the log passes: two processes, sh-2.6.19 at 4K pages, each based at its AT_SYSINFO_EHDR', () => {
    const { code, results } = json(['check', LOG]);
    expect(code).toBe(0);
    expect(results.map((r) => [r.verdict, r.profile, r.family, r.pageSize, r.kernelBits, r.kernelVersion, r.base]))
      .toEqual(Array(2).fill(['pass', 'sh-2.6.19', 'sh', '0x1000', 32, '6.1.176-vdsogate+', '0x29556000']));
    for (const r of results) expect(r.findings).toEqual([]);
  });
  it('synth with the image and the base prints the kernel\'s line byte for byte', () => {
    const r = cli(['synth', '--vdso', IMAGE, '--base', '0x29556000', '--kernel', '6.1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(mapsOf(1).split('\n').filter((l) => l.endsWith('[vdso]')).join('\n') + '\n');
  });
  it('the lines alone do not name sh (a static task at 0x400000 with a lone [vdso] is also a mips o32 task that lost its data pages): undecided, exit 2 (it failed as mips\'s); named, they pass', () => {
    const { code, results: [r] } = json(['check', put('maps.txt', mapsOf(1))]);
    expect(code).toBe(2);
    expect(r).toMatchObject({ verdict: 'error', errorKind: 'undecided' });
    expect(r.message).toMatch(/family undecided: the lines fit sh-2\.6\.19 but no row of mips \(mips-6\.15: vvar-missing\)/);
    for (const flags of [['--arch', 'sh4'], ['--vdso', IMAGE], ['--profile', 'sh-2.6.19']]) {
      expect(json(['check', put('maps.txt', mapsOf(1)), ...flags]).results[0], flags.join(' ')).toMatchObject({ verdict: 'pass', profile: 'sh-2.6.19' });
    }
  });
  it('sh maps one page whatever the image: a two-page [vdso] fails image-size even without the image (it passed with "text size not checked")', () => {
    const edited = mapsOf(1).replace('29556000-29557000 r-xp', '29556000-29558000 r-xp');
    expect(edited).not.toBe(mapsOf(1));
    const { code, results: [r] } = json(['check', put('two.txt', edited), '--arch', 'sh4', '--kernel', '6.1']);
    expect(code).toBe(1);
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.message)).toEqual(['[vdso] has 2 pages; sh maps 1 page whatever the image (profile sh-2.6.19)']);
    // The real one-page [vdso] needs no image for its size: no "text size not checked".
    expect(json(['check', put('maps.txt', mapsOf(1)), '--arch', 'sh4', '--kernel', '6.1']).results[0].findings.map((f) => f.message)).not.toContain('text size not checked: no vDSO image given');
    const synth = cli(['synth', '--arch', 'sh4', '--kernel', '6.1', '--text-pages', '2']);
    expect(synth.stdout).toBe('29556000-29557000 r-xp 00000000 00:00 0          [vdso]\n');
    expect(synth.stderr).toContain('--text-pages 2 is not used: sh maps 1 page whatever the image (profile sh-2.6.19)');
  });
  it('an image over one page is an error with or without the capture\'s agreeing: the kernel copies it into one page, cut short (it passed)', () => {
    const big = put('big.so', grownElf32(readBytes(IMAGE), 7068));
    const { code, results: [r] } = json(['check', put('maps.txt', mapsOf(1)), '--vdso', big]);
    expect(code).toBe(1);
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.message)).toEqual(['the image is 7068 bytes, over 1 page at 4096-byte pages, but sh maps 1 page whatever the image (profile sh-2.6.19): the kernel would cut it short']);
  });
  it('the image says nothing of the page size (no data page): an 8K capture passes at 8K with it (it failed at an assumed 4K); synth\'s 64K base is TASK_UNMAPPED_BASE\'s', () => {
    const v8 = '00400000-00478000 r-xp 00000000 00:02 300        /init\n29556000-29558000 r-xp 00000000 00:00 0          [vdso]\n7bd9e000-7bdc0000 rw-p 00000000 00:00 0          [stack]\n';
    expect(json(['check', put('v8.txt', v8), '--arch', 'sh4', '--vdso', IMAGE]).results[0]).toMatchObject({ verdict: 'pass', profile: 'sh-2.6.19', pageSize: '0x2000' });
    expect(cli(['synth', '--arch', 'sh4', '--kernel', '6.1', '--page-size', '65536']).stdout).toBe('29560000-29570000 r-xp 00000000 00:00 0          [vdso]\n');
  });
  it('a [vvar] beside the text (sh on the generic data store) fails unexpected; a writable [vdso] fails perms', () => {
    const vvar = text.replace(/^(29556000-29557000 r-xp 00000000 00:00 0 +\[vdso\])$/gm, '29552000-29556000 r--p 00000000 00:00 0          [vvar]\n$1');
    expect(json(['check', put('vvar.log', vvar)]).results.map((r) => r.findings.map((f) => f.code))).toEqual([['unexpected'], ['unexpected']]);
    const [r] = json(['check', put('rw.txt', mapsOf(1).replace('29556000-29557000 r-xp', '29556000-29557000 rwxp')), '--vdso', IMAGE]).results;
    expect(r.findings.map((f) => f.code)).toContain('perms');
  });
  it('uname -m spellings of SuperH name the family; other families\' lines are refused under them', () => {
    for (const name of ['sh4', 'sh4a', 'sh3', 'sh4al-dsp', 'sh4eb']) {
      expect(json(['check', put('maps.txt', mapsOf(1)), '--arch', name]).results[0], name).toMatchObject({ verdict: 'pass', profile: 'sh-2.6.19' });
    }
    const i386 = cli(['check', sample('i386-6.1.0-50-686-pae', 'maps-pid1.txt'), '--arch', 'sh4']);
    expect(i386.code).toBe(2);
    expect(i386.stderr).toMatch(/--arch sh4 \(sh\) does not fit this capture's own lines: a vma ending at 0xbfc81000, above the user space of sh \(0x7c000000\)/);
    expect(cli(['check', LOG, '--kernel-bits', '64']).stderr).toMatch(/--kernel-bits 64 does not fit this capture's own lines/);
  });
});
