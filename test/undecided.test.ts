// A pass never rests on which family printed the lines. Where nothing names the family and the
// lines' own facts leave several, and the rows of some fit while the rows of others do not, the
// verdict depends on a guess: the process is said undecided (exit 2, naming what fits and what
// does not), never passed as the one family whose row happens to fit. Each case below passed
// before, as another architecture's layout; each is a real capture, or one cut as a paste cuts it.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, readText, ROOT, sample } from './helpers.js';
import { checkJson, parseGithub, parseJunit, parseKtap } from './formats.js';

const PASTES = join(ROOT, 'samples', 'pastes');
const GENODE = join(PASTES, 'x86_64-4.0-genode-1655-archlinux.txt');
const dir = mkdtempSync(join(tmpdir(), 'vdso-undecided-'));
const put = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
const ARMHF = readText(sample('armhf-5.10.0-32-armmp', 'maps-pid1.txt'));

describe('family undecided: rows of some families fit, of others not', () => {
  it('a real x86_64 4.0 paste named 6.1 (a wrong --kernel, or an x86 6.1 kernel that lost its vclock pages) is undecided, not riscv-5.16', () => {
    const r = cli(['check', GENODE, '--kernel', '6.1']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`vdso-layout: ${GENODE}:1: family undecided: the lines fit riscv-5.16 but no row of x86 (x86-5.6: size), and nothing in them says which of x86, riscv printed them: a verdict would rest on a guess (give --arch, --vdso or uname -m to decide)\n`);
    // Named, the x86 kernel's layout judges it: the failure a reviewer needs to see.
    const named = checkJson(['check', GENODE, '--kernel', '6.1', '--arch', 'x86_64']);
    expect(named.code).toBe(1);
    expect(named.results[0]).toMatchObject({ verdict: 'fail', profile: 'x86-5.6', family: 'x86' });
  });

  it('every format says so as a whole document: JSON (check-1, strict), KTAP, JUnit', () => {
    const { code, results } = checkJson(['check', GENODE, '--kernel', '6.1']);
    expect(code).toBe(2);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ verdict: 'error', errorKind: 'undecided', profile: null, family: null });
    expect(results[0].message).toMatch(/family undecided: the lines fit riscv-5\.16 but no row of x86/);
    const ktap = parseKtap(cli(['check', GENODE, '--kernel', '6.1', '--format', 'ktap']).stdout);
    expect(ktap.filter((t) => t.depth === 0).map((t) => [t.ok, t.directive])).toEqual([[false, 'ERROR']]);
    const junit = parseJunit(cli(['check', GENODE, '--kernel', '6.1', '--format', 'junit']).stdout);
    expect(junit.map((c) => c.error?.map((e) => e.type))).toEqual([['undecided']]);
  });

  it('counted apart from unreadable and refused captures: in the text summary, and the annotation\'s title', () => {
    const both = ['check', '--kernel', '6.1', GENODE, sample('amd64-6.1.0-56-amd64', 'maps-pid1.txt')];
    const text = cli(both);
    expect(text.code).toBe(2);
    expect(text.stdout.split('\n').at(-2)).toBe('2 processes checked: 1 passed, 0 failed, 1 undecided, 1 warning');
    const github = parseGithub(cli([...both, '--format', 'github']).stdout);
    expect(github.filter((g) => g.level === 'error').map((g) => [g.props.title, g.props.file])).toEqual([['vdso-layout undecided', GENODE]]);
  });

  it('an armhf task cut to its [vdso] and [stack] (a truncated paste of an arm kernel that lost its data pages) is undecided, not x86-2.6', () => {
    const cut = put('arm-cut.txt', ARMHF.split('\n').filter((l) => /\[(vdso|stack)\]$/.test(l)).join('\n') + '\n');
    const r = cli(['check', cut]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/family undecided: the lines fit x86-2\.6 but no row of arm \(arm-6\.15: vvar-missing, neighbour\), powerpc \(powerpc-6\.15: vvar-missing\) or riscv \(riscv-6\.15: vvar-missing\)/);
    // With the executable's lines (arm's load address, a hint the facts do not contradict) it fails as arm's.
    const withExe = put('arm-lost.txt', ARMHF.split('\n').filter((l) => !/\[(vvar|sigpage|vectors)\]$/.test(l)).join('\n'));
    const [failed] = checkJson(['check', withExe]).results;
    expect(failed.verdict).toBe('fail');
    expect(failed.findings.map((f) => f.code)).toContain('vvar-missing');
  });

  it('where every family the lines leave has a fitting row, the pass stands, naming no family (the lines fit each)', () => {
    const { code, results: [r] } = checkJson(['check', join(PASTES, 'i386-gtest-abort-vvar2.txt')]);
    expect(code).toBe(0);
    expect(r).toMatchObject({ verdict: 'pass', profile: null, family: null, families: ['x86', 'powerpc', 'riscv'] });
  });

  it('where no row of any family fits, it fails (whichever family, the lines are wrong): the i386 paste named 3.10, before i386 had a [vvar]', () => {
    const { code, results: [r] } = checkJson(['check', join(PASTES, 'i386-gtest-abort-vvar2.txt'), '--kernel', '3.10']);
    expect(code).toBe(1);
    // It passed as mips-4.4: a stack at 0xbfb05000 is above a mips32 task's user space (KUSEG).
    expect(r).toMatchObject({ verdict: 'fail', family: null, families: ['x86', 'powerpc', 'riscv'] });
  });

  it('a family with no row for a release that old is not tried among families that have one: the same paste named 4.0 passes as x86-3.17', () => {
    const { code, results: [r] } = checkJson(['check', GENODE, '--kernel', '4.0']);
    expect(code).toBe(0);
    expect(r).toMatchObject({ verdict: 'pass', profile: 'x86-3.17', family: 'x86' });
    expect(r.notes).toContain('riscv not tried: kernel 4.0 is older than every riscv profile');
  });
});

describe('what the lines themselves say of the family (evidence.ts)', () => {
  it('x86_64\'s gate named [vdso] (2.6.18-2.6.22) names x86: a real 2005 JRE crash log', () => {
    const [r] = checkJson(['check', join(PASTES, 'x86_64-2.6-jre14-hs_err-2005.txt')]).results;
    expect(r).toMatchObject({ verdict: 'pass', profile: 'x86-2.6.18', family: 'x86' });
    expect(r.notes.join('\n')).toMatch(/arch x86, from the capture: .*\[vdso\] at 0xffffffffff600000 \(x86\)/);
  });

  it.each([
    ['armv7l', 'arm (0xbf000000)'],
    ['mips', 'mips32 (0x80000000)'],
    ['sh4', 'sh (0x7c000000)'],
  ])('a real i386 task (stack at 0xbfc81000) is refused under --arch %s: above the user space of %s', (arch, top) => {
    const r = cli(['check', sample('i386-6.1.0-50-686-pae', 'maps-pid1.txt'), '--arch', arch]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`a vma ending at 0xbfc81000, above the user space of ${top}`);
  });

  it('a compat task\'s top is the 64-bit kernel\'s for it: an ia32 stack at 0xffffe000 is no riscv64, mips64 or s390x compat task', () => {
    const compat = join(PASTES, 'i386-on-x86_64-lib32-glibc217-vm-notes.txt');
    for (const [arch, top] of [['riscv64', 'riscv64\'s compat tasks (0x7ffff000)'], ['mips64', 'mips64\'s o32/n32 tasks (0x7fff8000)'], ['s390x', 's390x\'s 31-bit tasks (0x80000000)']]) {
      const r = cli(['check', compat, '--arch', arch]);
      expect(r.code, arch).toBe(2);
      expect(r.stderr, arch).toContain(`above the user space of ${top}`);
    }
  });

  it('the real arm captures sit below arm\'s 0xbf000000 and pass bare, each as arm\'s', () => {
    for (const entry of ['armhf-5.10.0-32-armmp', 'armhf-6.1.0-50-armmp', 'armhf-6.1.0-50-armmp-lpae', 'armhf-7.2.13+deb14-armmp']) {
      const { code, results } = checkJson(['check', sample(entry, 'maps-pid1.txt')]);
      expect(code, entry).toBe(0);
      for (const r of results) expect(r.family, entry).toBe('arm');
    }
  });
});
