// Real /proc/PID/maps pasted by other people (samples/pastes, index.json): each healthy capture
// passes bare against its own architecture family (or the result names no family and lists rows
// of its family among those it is consistent with), and with --kernel where the source states the
// version; each capture its index calls broken or edited fails, for the reason the index gives.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkCapture } from '../src/check/inputs.js';
import { keepForCheck } from '../src/check/pipeline.js';
import type { CheckResult } from '../src/check/findings.js';
import { ALL_PROFILES } from '../src/layout/profiles/index.js';
import { parseArch, type KernelFamily } from '../src/layout/arch.js';
import { readCapture } from '../src/capture/reader.js';
import { ROOT } from './helpers.js';

interface Paste {
  file: string; arch: string; family: KernelFamily; what: string;
  source: { url?: string; indexId?: string; findString?: string };
  kernel?: string;
  expect: 'pass' | 'broken' | 'vendor';
  /** expect 'vendor': a release of the vendor row `profile`, inferred from the lines (the source states none). */
  release?: string;
  reason?: string;
  /** A row the source history says this capture shows (asserted among the rows it fits). */
  profile?: string;
}

const DIR = join(ROOT, 'samples', 'pastes');
const index = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as { pastes: Paste[] };
const familyOf = new Map(ALL_PROFILES.map((r) => [r.id, r.family]));

function check(p: Paste, kernel?: string): CheckResult[] {
  const cap = readCapture(readFileSync(join(DIR, p.file), 'utf8'), { file: p.file, keep: keepForCheck });
  return checkCapture(cap, { kernel });
}

/** The family a passing result names, or every family it says it is consistent with when it names none. */
function familiesOf(r: CheckResult): Set<KernelFamily | undefined> {
  if (r.profile !== undefined) return new Set([familyOf.get(r.profile)]);
  return new Set((r.consistentWith ?? []).map((id) => familyOf.get(id)));
}

describe('real-world pastes (samples/pastes/index.json)', () => {
  it('the index lists every paste file, each with provenance and (for broken ones) a reason', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.txt')).sort();
    expect(index.pastes.map((p) => p.file).sort()).toEqual(files);
    expect(index.pastes.length).toBeGreaterThanOrEqual(60);
    for (const p of index.pastes) {
      expect(p.source.url ?? p.source.indexId, p.file).toBeTruthy();
      if (p.source.indexId) expect(p.source.findString, p.file).toBeTruthy();
      if (p.expect === 'broken') expect((p.reason ?? '').length, `${p.file}: a broken capture says why`).toBeGreaterThan(40);
      if (p.profile) expect(familyOf.get(p.profile), `${p.file}: ${p.profile}`).toBe(p.family);
    }
    // Every family with a paste is represented by at least one healthy one.
    const healthy = new Set(index.pastes.filter((p) => p.expect === 'pass').map((p) => p.family));
    expect([...healthy].sort()).toEqual(expect.arrayContaining(['arm', 'arm64', 'powerpc', 'riscv', 'x86']));
  });

  // Healthy, but nothing in their lines tells x86 from a family whose kernel prints them only once
  // it loses its data pages (a lone [vdso] below ppc32's TASK_SIZE, a Kconfig prompt; an arm64 or
  // ppc64 compat task's [vdso] order): only x86's rows fit, so a pass would rest on a guess. Each
  // passed as x86 before; each says which rows fit, and passes under its own --arch (below). The
  // Genode pastes named 4.0 and 4.1: riscv has no row that old, and its oldest does not fit.
  // The 2006 i386 mail and the Hardy ppc32 one print a [vdso] whose offset is its start, as every
  // kernel before 2.6.30 did: x86-2.6, powerpc-2.6.18 and s390-2.6.29 take it, the later rows not.
  const UNDECIDED = [
    'i386-2.6.18-rc-vdso-randomization-patch.txt',
    'i386-fedora17-glibc215-exercise.txt',
    'i386-on-x86_64-3.16rc-luto-vdso-cleanups-draft.txt',
    'i386-on-x86_64-lib32-glibc217-vm-notes.txt',
    'ppc32-ppc405-busybox-secureplt-heap-patch-2016.txt',
    'ppc32-ubuntu-hardy-livecd-xorg-free-abort-2008.txt',
  ];
  const UNDECIDED_WITH_KERNEL = ['x86_64-4.0-genode-1655-archlinux.txt', 'x86_64-4.1-genode-1655-archlinux.txt'];
  it.each([['bare', UNDECIDED, false], ['with the kernel their source states', UNDECIDED_WITH_KERNEL, true]] as const)('the healthy pastes whose lines cannot name their family are said undecided (exit 2), naming the rows that fit: %s', (_how, expected, withKernel) => {
    const undecided: string[] = [];
    for (const p of index.pastes.filter((x) => x.expect === 'pass' && (!withKernel || x.kernel))) {
      const errors = check(p, withKernel ? p.kernel : undefined).filter((r) => r.verdict === 'error');
      if (errors.length === 0) continue;
      undecided.push(p.file);
      for (const r of errors) {
        const fit = /family undecided: the lines fit (.*?) but no row of /.exec(r.message ?? '');
        expect(fit, `${p.file}: ${r.message}`).not.toBeNull();
        expect(fit![1].split(', ').map((id) => familyOf.get(id)), p.file).toContain(p.family);
      }
    }
    expect(undecided.sort()).toEqual(expected);
  });

  for (const p of index.pastes.filter((x) => x.expect === 'pass' && !UNDECIDED.includes(x.file))) {
    it(`${p.file}: passes bare, family ${p.family} or undecided`, () => {
      const results = check(p);
      expect(results.length).toBeGreaterThan(0);
      for (const r of results) {
        expect(r.verdict, `${p.file} block ${r.block}: ${r.findings.map((f) => f.code).join(', ')}`).toBe('pass');
        expect([...familiesOf(r)], `${p.file}: ${r.profile ?? r.consistentWith?.join(', ')}`).toContain(p.family);
        if (p.profile) expect([r.profile, ...(r.consistentWith ?? [])], p.file).toContain(p.profile);
      }
    });
  }
  for (const p of index.pastes.filter((x) => x.expect === 'pass' && !UNDECIDED_WITH_KERNEL.includes(x.file))) {
    if (p.kernel) {
      it(`${p.file}: passes with --kernel ${p.kernel} as ${p.family} or undecided`, () => {
        for (const r of check(p, p.kernel)) {
          expect(r.verdict, `${p.file}: ${r.findings.map((f) => f.code).join(', ')}`).toBe('pass');
          expect([...familiesOf(r)], `${p.file}: ${r.profile ?? r.consistentWith?.join(', ')}`).toContain(p.family);
        }
      });
    }
  }

  // A vendor kernel's healthy lines that no mainline row prints, and no release in them to pick
  // the vendor row: bare they fail, naming the row that fits; with its release they pass as it.
  for (const p of index.pastes.filter((x) => x.expect === 'vendor')) {
    it(`${p.file}: a vendor kernel's (${p.profile}): bare it fails and names the row, with --kernel ${p.release} it passes`, () => {
      const [bare] = check(p);
      expect(bare.verdict).toBe('fail');
      expect(bare.notes.some((n) => n.startsWith(`the lines fit vendor row ${p.profile} (`)), bare.notes.join('\n')).toBe(true);
      for (const r of check(p, p.release)) expect([r.verdict, r.profile]).toEqual(['pass', p.profile]);
    });
  }

  for (const p of index.pastes.filter((x) => x.expect === 'broken')) {
    it(`${p.file}: broken or edited, does not pass (${p.reason!.slice(0, 60)}…)`, () => {
      const results = check(p);
      expect(results.some((r) => r.verdict !== 'pass'), p.file).toBe(true);
    });
  }
});

describe('real pastes under --arch: what names the family must fit the capture', () => {
  const ARCH_OF: Record<KernelFamily, string> = {
    x86: 'x86', arm64: 'aarch64', arm: 'armv7l', powerpc: 'powerpc', s390: 's390x', riscv: 'riscv64', mips: 'mips64', loongarch: 'loongarch64', sparc: 'sparc64',
    parisc: 'parisc', sh: 'sh4',
  };
  const healthy = index.pastes.filter((p) => p.expect === 'pass');
  const under = (p: Paste, family: KernelFamily) => {
    const cap = readCapture(readFileSync(join(DIR, p.file), 'utf8'), { file: p.file, keep: keepForCheck });
    return checkCapture(cap, { arch: parseArch(ARCH_OF[family]) });
  };
  const doubted = (r: CheckResult) => r.findings.some((f) => f.message.startsWith('architecture not confirmed by the capture'));

  it.each(healthy.map((p) => [p.file, p] as const))('%s under its own --arch: passes, not doubted', (_, p) => {
    for (const r of under(p, p.family)) {
      expect(r.verdict, r.message).toBe('pass');
      expect(doubted(r)).toBe(false);
    }
  });

  it('under the other families\' --arch: refused, failed or doubted, but for these, whose lines cannot tell', () => {
    const silent: string[] = [];
    let refused = 0;
    for (const p of healthy) {
      for (const family of Object.keys(ARCH_OF) as KernelFamily[]) {
        if (family === p.family || (p.family === 'arm64' && family === 'arm')) continue;
        for (const r of under(p, family)) {
          if (r.verdict === 'error') refused++;
          if (r.verdict === 'pass' && !doubted(r)) silent.push(`${p.file} as ${family}`);
        }
      }
    }
    expect(refused).toBeGreaterThan(300);
    // No loader name or multiarch triplet (Arch's /usr/lib32, CentOS's /usr/lib64, Genode's own
    // loader), a 32-bit kernel, or a stack top several families share: --arch is taken at its word.
    // (A lone [vdso] under parisc's 0xfff00000 is parisc's shape too, and passes doubted: the lines fit
    // five families that lose their data pages; above sh's 0x7c000000 it is not sh's.)
    // A task whose every vma is below 4 GiB is no loongarch task, whatever the lines' padding says
    // (loongarch has no 32-bit kernel and no compat): the Arch lib32 paste passed as loongarch-6.0.
    // Nor is a stack at 0xbfb05000 a mips32 task's (KUSEG ends at 0x80000000) or an rv32 one's
    // (below 0xa0000000): the gtest paste passed as mips and as riscv.
    // An arm task's lines with their padding lost are an arm kernel's or arm64's compat alike; a
    // ppc32 task's 3-page [vdso] at 0x100000 with its pre-2.6.30 offset column, a 31-bit s390
    // task's of 2.6.29 (not an i386 one's: a 2.6-era 32-bit x86 [vdso] is one page).
    expect(silent.sort()).toEqual([
      'arm-6.18-qemu-virt-static-addrspace-lab.txt as arm64',
      'arm64-64k-centos7-glibc217-diff-block.txt as loongarch',
      'i386-gtest-abort-vvar2.txt as powerpc',
      'i386-on-x86_64-archlinux-lib32-glibc230-lab.txt as powerpc',
      'i386-sysvinit-vvar3-korean-notes.txt as powerpc',
      'ppc32-ubuntu-hardy-livecd-xorg-free-abort-2008.txt as s390',
      'x86_64-4.0-genode-1655-archlinux.txt as riscv',
      'x86_64-4.1-genode-1655-archlinux.txt as riscv',
    ]);
  });
});
