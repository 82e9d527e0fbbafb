// Architectures Linux runs that have no profile here (alpha, ia64, csky, m68k, …): their
// captures, images and names are refused by name, never judged against a known family's layout.
// Before, a capture whose library paths and loader were alpha's or sparc64's passed as "profile
// x86-5.6" (the triplet was not read, ld-linux.so.2 was taken for i386's), an image of an
// unknown machine said "no architecture", and a bundle's or log's uname -m of such a machine was
// ignored. Every capture here is a real one (corpus, a paste), edited as that machine prints it.
// (sparc64 has rows now: test/sparc.test.ts; parisc and sh: test/parisc-sh.test.ts.)
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { familiesOfLoader } from '../src/check/evidence.js';
import { cli, readBytes, readText, ROOT, sample, AMD64_ENTRY } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'vdso-foreign-'));
const put = (name: string, text: string | Uint8Array) => { const p = join(dir, name); writeFileSync(p, text); return p; };
/** alpha maps no vDSO at all: its captures have neither [vvar] nor [vdso]. */
const noCluster = (t: string) => t.split('\n').filter((l) => !/\[(vvar|vdso)\]$/.test(l)).join('\n');
const AMD64_DYN_REAL = readText(sample(AMD64_ENTRY, 'maps-dyn.txt'));
const AMD64_DYN = noCluster(AMD64_DYN_REAL);
const AMD64_IMAGE = sample(AMD64_ENTRY, 'vdso64.so');
/** The amd64 process with alpha's library paths and loader (glibc's alpha shlib-versions: ld=ld-linux.so.2). */
const ALPHA = put('alpha.txt', AMD64_DYN.replace(/x86_64-linux-gnu/g, 'alpha-linux-gnu').replace(/ld-linux-x86-64\.so\.2/g, 'ld-linux.so.2'));
/** The amd64 process with sparc64's: sparc has rows, and its lines are refused by them. */
const SPARC64 = put('sparc64.txt', AMD64_DYN_REAL.replace(/x86_64-linux-gnu/g, 'sparc64-linux-gnu').replace(/ld-linux-x86-64\.so\.2/g, 'ld-linux.so.2'));
/** The same with no triplet left: only the 64-bit task's loader says what it is. */
const LOADER_ONLY = put('loader-only.txt', AMD64_DYN.replace(/\/lib\/x86_64-linux-gnu\//g, '/lib/').replace(/ld-linux-x86-64\.so\.2/g, 'ld-linux.so.2'));
/** A pasted i386 task on x86_64 (ld-linux.so.2 under /usr/lib32, no triplet), as hppa prints it. */
const PASTE_I386 = join(ROOT, 'samples', 'pastes', 'i386-on-x86_64-lib32-vvar4.txt');
const HPPA = put('hppa.txt', readText(PASTE_I386).replace(/\/usr\/lib32\//g, '/lib/hppa-linux-gnu/').replace(/ld-linux\.so\.2/g, 'ld.so.1'));
const FAMILIES = 'x86, arm64, arm, powerpc, s390, riscv, mips, loongarch, sparc, parisc, sh';
const NO_PROFILE = new RegExp(`vdso-layout has no profile for (\\w+) kernels \\(only for ${FAMILIES}\\)`);

describe('a capture of an architecture without a profile is refused by name', () => {
  it('alpha library paths and loader: exit 2 naming alpha (it passed as profile x86-5.6)', () => {
    const r = cli(['check', ALPHA]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/alpha\.txt:1: the process's own lines are alpha's \(library paths under alpha-linux-gnu\): vdso-layout has no profile for alpha kernels/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
  it('sparc64 library paths and loader on x86_64\'s 47-bit stack: a contradiction, refused (it passed as profile x86-5.6)', () => {
    const r = cli(['check', SPARC64]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the process's own lines contradict each other: library paths under sparc64-linux-gnu \(sparc\), but \[stack\] ends at 0x7ffecb21f000, the top of a 47-bit user space/);
  });
  it.each([
    ['--arch x86_64', ['--arch', 'x86_64'], /--arch x86_64 \(x86\) does not fit this capture's own lines: library paths under alpha-linux-gnu/],
    ['an amd64 image', ['--vdso', AMD64_IMAGE], /the image \(x86_64\) does not fit this capture's own lines: library paths under alpha-linux-gnu/],
    ['--profile x86-5.6', ['--profile', 'x86-5.6'], /profile x86-5\.6 \(x86\) does not fit this capture's own lines/],
  ])('named as x86 by %s: still refused', (_what, flags, message) => {
    const r = cli(['check', ALPHA, ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
  it('a 64-bit task whose only word is its loader ld-linux.so.2 (sparc64\'s or alpha\'s, never x86_64\'s), on a 47-bit stack (no sparc64\'s): alpha\'s', () => {
    const r = cli(['check', LOADER_ONLY]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the process's own lines are alpha's \(.*the dynamic loader ld-linux\.so\.2.*\): vdso-layout has no profile for alpha kernels/);
  });
  it('alpha library paths beside the amd64 capture\'s [vvar] and [vdso]: still alpha\'s', () => {
    const r = cli(['check', put('alpha-vvar.txt', AMD64_DYN_REAL.replace(/x86_64-linux-gnu/g, 'alpha-linux-gnu').replace(/ld-linux-x86-64\.so\.2/g, 'ld-linux.so.2'))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the process's own lines are alpha's \(library paths under alpha-linux-gnu\)/);
  });
  it('hppa library paths and ld.so.1: parisc has rows now, and its vDSO has no [vvar] beside it (a failure, not a refusal)', () => {
    const r = cli(['check', HPPA]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL .*: profile parisc-5\.18, 4K pages, 64-bit kernel/m);
    expect(r.stdout).toMatch(/error\[unexpected\] line \d+: \[vvar\] at 0x[0-9a-f]+-0x[0-9a-f]+ is inside or next to the vDSO cluster, but profile parisc-5\.18 has no such mapping/);
    expect(r.stdout).toMatch(/arch parisc, from the capture: .*library paths under hppa-linux-gnu \(parisc\)/);
  });
  it('the pasted i386 task itself still passes: ld-linux.so.2 in a 32-bit task is i386\'s among the known families', () => {
    const r = cli(['check', PASTE_I386]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok .*profile x86-5\.6/m);
  });
  it('--format json: the refusal is the process\'s error in a well-formed document', () => {
    const r = cli(['check', ALPHA, '--format', 'json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as { results: Array<{ verdict: string; message: string; errorKind: string }> };
    expect(doc.results[0]).toMatchObject({ verdict: 'error', errorKind: 'capture' });
    expect(doc.results[0].message).toMatch(NO_PROFILE);
  });
  it('familiesOfLoader: the shared names are read with the task\'s width', () => {
    expect(familiesOfLoader('ld-linux.so.2', 32)).toEqual(['x86', 'sparc', 'sh']);
    expect(familiesOfLoader('ld-linux.so.2', 64)).toEqual(['sparc', 'alpha']);
    expect(familiesOfLoader('ld.so.1', 64)).toEqual(['mips']);
    expect(familiesOfLoader('ld-linux-ia64.so.2', 64)).toEqual(['ia64']);
    expect(familiesOfLoader('ld-musl-sh4.so.1', 32)).toEqual(['sh']);
  });
});

describe('what such a kernel prints by itself, with no loader or library path to tell', () => {
  const AMD64_STATIC = readText(sample(AMD64_ENTRY, 'maps-pid1.txt'));
  const I386_STATIC = readText(sample('i386-6.1.0-50-686-pae', 'maps-pid1.txt'));
  const withoutCluster = (t: string) => t.split('\n').filter((l) => !/\[(vvar|vdso)\]$/.test(l)).join('\n');
  it.each([
    // ia64's gate vma, printed last as [vdso] (it passed as profile arm64-3.7)
    ['ia64', withoutCluster(AMD64_STATIC) + 'a000000000000000-a000000000080000 r-xp 00000000 00:00 0                          [vdso]\n', /ia64's \(\[vdso\] at 0xa000000000000000\)/],
    // nios2 6.12+: the kuser page at KUSER_BASE named [vdso] (it passed as profile x86-2.6)
    ['nios2 6.12', '00001000-00002000 r-xp 00000000 00:00 0          [vdso]\n' + withoutCluster(I386_STATIC), /nios2's \(\[vdso\] at 0x1000\)/],
    // nios2 before 6.12 (it failed vdso-missing, blaming the kernel)
    ['nios2 4.12-6.11', '00001000-00002000 r-xp 00000000 00:00 0          [kuser]\n' + withoutCluster(I386_STATIC), /nios2's \(\[kuser\] is mapped\)/],
  ])('%s: refused naming it', (name, text, message) => {
    const r = cli(['check', put(`${name.replace(/\W/g, '-')}.txt`, text)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(NO_PROFILE);
  });
  it('[vdso_data] after a one-page [vdso] is riscv 5.8-5.14\'s and csky 5.12-6.11\'s: the verdict names no family (it said profile riscv-5.8)', () => {
    // Under rv32's user space (below 0xa0000000, evidence.ts USER_TOP).
    const csky = I386_STATIC.replace(/b7f3f000-b7f43000 r--p 00000000 00:00 0 +\[vvar\]\nb7f43000-b7f45000 r-xp 00000000 00:00 0 +\[vdso\]\n/,
      '77f43000-77f44000 r-xp 00000000 00:00 0          [vdso]\n77f44000-77f45000 r--p 00000000 00:00 0          [vdso_data]\n').replace('bfc60000-bfc81000', '7fc60000-7fc81000');
    expect(csky).toContain('[vdso_data]');
    const r = cli(['check', put('csky.txt', csky), '--format', 'json']);
    expect(r.code).toBe(0);
    const [res] = (JSON.parse(r.stdout) as { results: Array<{ profile: string | null; family: string | null; families: string[]; findings: Array<{ message: string }> }> }).results;
    expect(res).toMatchObject({ profile: null, family: null, families: ['riscv', 'csky'] });
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'check-1.schema.json'), 'utf8')));
    expect(validate(JSON.parse(r.stdout)), JSON.stringify(validate.errors)).toBe(true);
    expect(res.findings.map((f) => f.message)).toContain('architecture not confirmed by the capture: [vdso_data] is mapped, which csky kernels print too, and vdso-layout has no profile for them (give --arch, --vdso or uname -m to decide)');
    // Named, it is judged: riscv's own kernel is decided by --arch.
    expect(cli(['check', put('csky.txt', csky), '--arch', 'riscv32']).stdout).toMatch(/^ok .*profile riscv-5\.8/m);
  });
});

describe('an image, uname -m or --arch of such a machine is refused by name', () => {
  /** The amd64 image with another e_machine (readelf 2.40 names it the same). */
  const retagged = (machine: number) => {
    const b = readBytes(AMD64_IMAGE);
    new DataView(b.buffer, b.byteOffset).setUint16(18, machine, true);
    return put(`vdso-em${machine}.so`, b);
  };
  it.each([
    [4, 'm68k', 'MC68000'], [252, 'csky', 'C-SKY'], [0x9026, 'alpha', 'Alpha'],
  ])('e_machine %i: check refuses the %s image (it said "no architecture"), inspect names it %s', (machine, task, readelfName) => {
    const image = retagged(machine);
    const r = cli(['check', sample(AMD64_ENTRY, 'maps-dyn.txt'), '--vdso', image]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`the image is ${task}'s: vdso-layout has no profile for`);
    const i = cli(['inspect', image]);
    expect(i.code).toBe(0);
    expect(i.stdout).toMatch(new RegExp(`arch +${task} +ELF64 little-endian, ${readelfName.replace(/[/]/g, '\\/')} \\(e_machine ${machine}\\)`));
  });
  it('a console log whose uname -a says m68k: each process refused at its line (all passed as x86 before)', () => {
    const log = put('m68k-console.log', readText(sample(AMD64_ENTRY, 'console.log')).replace(/ x86_64 GNU\/Linux/, ' m68k GNU/Linux'));
    const r = cli(['check', log]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/8 processes checked: 0 passed, 0 failed, 8 unreadable/);
    expect(r.stderr).toMatch(/m68k-console\.log:\d+: the capture's uname -m is m68k: vdso-layout has no profile for m68k kernels/);
  });
  it('a bundle whose uname-m is alpha (a real gate bundle\'s edited)', () => {
    const bundle = put('alpha-bundle.log', readText(join(ROOT, 'samples', 'gate', 'x86-6.1-vvar-page', 'step-1', 'console.log')).replace(/^uname-m: x86_64/gm, 'uname-m: alpha'));
    const r = cli(['check', bundle]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the capture's uname -m is alpha: vdso-layout has no profile for alpha kernels/);
  });
  it.each([
    [['check', sample(AMD64_ENTRY, 'maps-dyn.txt'), '--arch', 'ia64'], 'ia64', 'ia64'],
    [['synth', '--arch', 'or1k'], 'or1k', 'openrisc'],
    [['profiles', '--arch', 'm68k'], 'm68k', 'm68k'],
  ])('%j: one line naming the architecture (it was "unknown architecture")', (args, name, family) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`vdso-layout: architecture '${name}': vdso-layout has no profile for ${family} kernels (only for ${FAMILIES})`);
  });
});

