// AT_PLATFORM, as LD_SHOW_AUXV prints it, is the kernel's own word for its family (ELF_PLATFORM,
// a string no two families share): it decides the family where the lines leave several, and a
// flag, an image or a uname -m of another family is refused against it, as against uname -m.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { familyOfPlatform } from '../src/layout/arch.js';
import { cli, readText, ROOT, sample, scratch } from './helpers.js';
import { checkJson } from './formats.js';

const PASTES = join(ROOT, 'samples', 'pastes');
const GENODE = join(PASTES, 'x86_64-4.0-genode-1655-archlinux.txt');
const I386_LAB = join(PASTES, 'i386-on-x86_64-archlinux-lib32-glibc230-lab.txt');
const { put } = scratch('platform');
// The real LD_SHOW_AUXV of a Debian 6.1 amd64 boot, its AT_SYSINFO_EHDR and AT_PLATFORM set to the process's.
const LD_SHOW = readText(sample('amd64-6.1.0-56-amd64', 'ld-show-auxv.txt'));
const auxvFor = (ehdr: string, platform: string) => put(`auxv-${ehdr}-${platform}.txt`,
  LD_SHOW.replace(/^AT_SYSINFO_EHDR:\s+0x[0-9a-f]+$/m, `AT_SYSINFO_EHDR:      ${ehdr}`).replace(/^AT_PLATFORM:\s+\S+$/m, `AT_PLATFORM:          ${platform}`));

describe('familyOfPlatform: the strings each family\'s ELF_PLATFORM gives', () => {
  it.each([
    ['x86_64', 'x86'], ['i686', 'x86'], ['i586', 'x86'], ['aarch64', 'arm64'], ['aarch64_be', 'arm64'], ['v8l', 'arm64'], ['v8b', 'arm64'],
    ['v7l', 'arm'], ['v6l', 'arm'], ['v5tl', 'arm'], ['power9', 'powerpc'], ['ppc970', 'powerpc'], ['ppc-cell-be', 'powerpc'], ['power5+', 'powerpc'],
    ['pa6t', 'powerpc'], ['powerpc', 'powerpc'], ['z13', 's390'], ['zEC12', 's390'], ['z9-109', 's390'], ['g5', 's390'], ['mips', 'mips'],
    ['octeon3', 'mips'], ['loongson3a', 'mips'], ['bmips5000', 'mips'], ['loongarch', 'loongarch'], ['PARISC', 'parisc'], ['sh4', 'sh'], ['sh4al-dsp', 'sh'],
  ])('%s is %s\'s', (p, f) => expect(familyOfPlatform(p)).toBe(f));
  it('a string no kernel family prints names none (riscv and sparc give no AT_PLATFORM; QEMU user mode invents "riscv64")', () => {
    for (const p of ['riscv64', 'sparc64', 'parisc', 'armv7l', 'alpha', 'ev67', '', 'x86-64']) expect(familyOfPlatform(p)).toBeUndefined();
  });
});

describe('check with an LD_SHOW_AUXV aux vector', () => {
  it('a real i386 task on x86_64 whose lines x86 and powerpc rows fit: AT_PLATFORM i686 names x86, said in the notes', () => {
    const bare = checkJson(['check', I386_LAB]).results[0];
    expect([bare.family, bare.families]).toEqual([null, ['x86', 'powerpc']]);
    const { code, results: [r] } = checkJson(['check', I386_LAB, '--auxv', auxvFor('0xf7fd1000', 'i686')]);
    expect([code, r.verdict, r.family, r.families]).toEqual([0, 'pass', 'x86', null]);
    expect(r.notes.join('\n')).toMatch(/arch x86, from the capture: .*AT_PLATFORM i686 \(x86\)/);
  });
  it('a real x86_64 4.0 paste that is undecided bare (riscv-5.16 fits, x86 does not) is judged as x86\'s with AT_PLATFORM x86_64: the failure shows', () => {
    expect(cli(['check', GENODE, '--kernel', '6.1']).code).toBe(2);
    const vdso = /^([0-9a-f]+)-[0-9a-f]+ r-xp .*\[vdso\]/m.exec(readText(GENODE))![1];
    const { code, results: [r] } = checkJson(['check', GENODE, '--kernel', '6.1', '--auxv', auxvFor(`0x${vdso}`, 'x86_64')]);
    expect([code, r.verdict, r.family, r.profile]).toEqual([1, 'fail', 'x86', 'x86-5.6']);
  });
  it('--arch, the image or --profile of another family than AT_PLATFORM\'s is refused (exit 2), naming both', () => {
    const auxv = auxvFor('0xf7fd1000', 'i686');
    for (const [flags, by] of [[['--arch', 'riscv64'], '--arch riscv64 (riscv)'], [['--profile', 'powerpc-6.13'], 'profile powerpc-6.13 (powerpc)'],
      [['--vdso', sample('arm64-6.1.0-56-arm64', 'vdso32.so')], 'the image (arm)']] as const) {
      const r = cli(['check', I386_LAB, '--auxv', auxv, ...flags]);
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toContain(`${by} does not fit this process's own AT_PLATFORM i686 (x86)`);
    }
  });
  it('an AT_PLATFORM of the other task width is another process\'s aux vector: i686 over an x86_64 task\'s lines, x86_64 over an ia32 task\'s, refused', () => {
    const native = sample('amd64-6.1.0-56-amd64', 'maps-pid1.txt');
    const compat = sample('amd64-6.1.0-56-amd64', 'maps-compat32.txt');
    const start = (f: string) => `0x${/^([0-9a-f]+)-[0-9a-f]+ r-xp .*\[vdso\]/m.exec(readText(f))![1]}`;
    for (const [lines, platform, said] of [[native, 'i686', 'a 32-bit task\'s, but its lines are a 64-bit task\'s (vmas above 4 GiB)'], [compat, 'x86_64', 'a 64-bit task\'s, but its lines are a 32-bit task\'s (every vma below 4 GiB)']] as const) {
      const r = cli(['check', lines, '--auxv', auxvFor(start(lines), platform)]);
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toContain(`the process's own AT_PLATFORM ${platform} is ${said}: the aux vector is another process's`);
    }
    expect(cli(['check', native, '--auxv', auxvFor(start(native), 'x86_64')]).code).toBe(0);
    expect(cli(['check', compat, '--auxv', auxvFor(start(compat), 'i686')]).code).toBe(0);
  });
  it('an AT_PLATFORM the lines\' own facts rule out is refused: v8l (an arm64 kernel\'s compat task) over an i386 kernel\'s 32-bit lines', () => {
    const lines = sample('i386-6.1.0-50-686-pae', 'maps-pid1.txt');
    const vdso = /^([0-9a-f]+)-[0-9a-f]+ r-xp .*\[vdso\]/m.exec(readText(lines))![1];
    const r = cli(['check', lines, '--auxv', auxvFor(`0x${vdso}`, 'v8l')]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/AT_PLATFORM v8l \(arm64\) does not fit its own lines: /);
    expect(cli(['check', lines, '--auxv', auxvFor(`0x${vdso}`, 'i686')]).code).toBe(0);
  });
});
