// What a verdict says must be true: the 2020 regression never passes under an old row, notes
// name only rows that fit what is known, unnamed regions are called unnamed, warnings are seen,
// a capped sublevel is said, a wrong-ABI image is a finding, and labels keep their UTF-8.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import { parseVdsoImage, type VdsoImage } from '../src/elf/index.js';
import { parseAuxvAny } from '../src/capture/auxv.js';
import { readCapture } from '../src/capture/reader.js';
import { keepForCheck } from '../src/check/pipeline.js';
import { checkCapture } from '../src/check/inputs.js';
import type { CheckResult } from '../src/check/findings.js';
import { findBuiltinProfile } from '../src/layout/user-profile.js';
import { renderText } from '../src/report/check-results.js';
import { CORPUS, ROOT, readBytes, readText, AMD64_ENTRY } from './helpers.js';
import { runCli } from './run-in-process.js';
import type { Capture } from '../src/model/capture.js';

const PPC = 'ppc64el-5.10.262-vdsocorpus-ppc64le';
const BROKEN = join(ROOT, 'samples', 'broken', 'ppc64-2020-unnamed-vdso.maps.txt');
const image = (entry: string, f: string): VdsoImage => { const r = parseVdsoImage(readBytes(join(CORPUS, entry, f))); if (!r.ok) throw r.error; return r.value; };
const read = (p: string): Capture => readCapture(readText(p), { file: p, keep: keepForCheck });
const codes = (r: CheckResult) => [...new Set(r.findings.filter((f) => f.severity === 'error').map((f) => f.code))].sort();
const plain = new Chalk({ level: 0 });

describe('the 2020 powerpc regression never passes', () => {
  const auxv = parseAuxvAny(readBytes(join(CORPUS, PPC, 'auxv-pid1.txt')));
  const im = image(PPC, 'vdso64.so');
  it('forced onto powerpc-2.6.12 (unnamed text): auxv-base, AT_SYSINFO_EHDR one page into the vma', () => {
    const [r] = checkCapture(read(BROKEN), { image: im, auxv, profile: findBuiltinProfile('powerpc-2.6.12') });
    expect(r.verdict).toBe('fail');
    expect(codes(r)).toEqual(['auxv-base']);
    expect(r.findings[0].message).toMatch(/AT_SYSINFO_EHDR is 0x7fffbcb10000, \+0x10000 from the start of the text vma/);
  });
  it('the same without an aux vector: it still fails (a bare unnamed text is judged on its own place)', () => {
    const [r] = checkCapture(read(BROKEN), { image: im });
    expect(r.verdict).toBe('fail');
    expect(codes(r)).toEqual(['vdso-unnamed']);
  });
  it('no "fits exactly" note names a row that ended before the known version (5.10)', () => {
    const [r] = checkCapture(read(BROKEN), { image: im, auxv });
    expect(r.verdict).toBe('fail');
    expect(r.notes.join('\n')).not.toMatch(/powerpc-2\.6\.12/);
  });
  it('the note still names a newer row (a backport can bring it into an older kernel)', () => {
    const x86 = join(ROOT, 'samples', 'broken', 'x86-6.13-vvar-vclock-split.maps.txt');
    const [r] = checkCapture(read(x86), { image: image(AMD64_ENTRY, 'vdso64.so') });
    expect(r.verdict).toBe('fail');
    expect(r.notes.join('\n')).toMatch(/profile x86-6\.13 \(6\.13 to 6\.15\) fits this capture exactly/);
  });
  it('an unnamed region is called unnamed, never "undefined"', () => {
    const [r] = checkCapture(read(join(CORPUS, PPC, 'maps-pid1.txt')), { profile: findBuiltinProfile('powerpc-2.6.12') });
    expect(r.verdict).toBe('fail');
    const text = r.findings.map((f) => f.message).join('\n');
    expect(text).toMatch(/no unnamed text mapping/);
    expect(text).not.toMatch(/undefined/);
  });
});

describe('what could not be checked is seen', () => {
  it('text mode shows each not-checked warning on a pass, one line each, and counts them', () => {
    const cap = read(join(CORPUS, AMD64_ENTRY, 'console.log'));
    const results = checkCapture(cap, {});
    const out = renderText(results, plain);
    const warnings = results.reduce((k, r) => k + r.findings.filter((f) => f.severity === 'warning').length, 0);
    expect(warnings).toBeGreaterThan(0);
    expect(out.split('\n').filter((l) => l.startsWith('  warning[not-checked]: ')).length).toBe(warnings);
    expect(out).toMatch(new RegExp(`processes checked: \\d+ passed, 0 failed, ${warnings} warnings\\n$`));
    expect(out).not.toMatch(/note:/); // notes stay behind -v
  });
});

describe('kernel versions', () => {
  it('a Linux note of x.y.255 is said to be capped', () => {
    const [r] = checkCapture(read(join(CORPUS, PPC, 'maps-pid1.txt')), { image: image(PPC, 'vdso64.so') });
    expect(r.kernelVersion).toBe('5.10.255');
    expect(r.kernelSublevelCapped).toBe(true);
    expect(renderText([r], plain)).toMatch(/kernel 5\.10\.255 or later \(LINUX_VERSION_CODE caps the sublevel at 255\)/);
  });
  it('the capture\'s uname -r gives the full release (5.10.262)', () => {
    const results = checkCapture(read(join(CORPUS, PPC, 'console.log')), { image: image(PPC, 'vdso64.so') });
    const r = results.find((x) => x.label === 'maps-pid1')!;
    expect(r.kernelVersion).toBe('5.10.262');
    expect(r.kernelSublevelCapped).toBeUndefined();
    expect(r.notes.join('\n')).toMatch(/caps the sublevel at 255\); the release 5\.10\.262-vdsocorpus-ppc64le says 5\.10\.262/);
  });
  it('--kernel that is no release is one usage error up front (exit 2), for check and synth', async () => {
    for (const k of ['banana', '-1']) {
      const r = await runCli(['check', join(CORPUS, AMD64_ENTRY, 'maps-pid1.txt'), join(CORPUS, AMD64_ENTRY, 'maps-dyn.txt'), '--kernel', k, '--vdso', join(CORPUS, AMD64_ENTRY, 'vdso64.so')]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`vdso-layout: --kernel: expected a kernel release such as 6.1, 6.1.0-56-amd64 or 5.14.0-427.el9.x86_64, not '${k}'\n`);
    }
    expect((await runCli(['synth', '--arch', 'x86_64', '--kernel', 'banana'])).code).toBe(2);
  });
});

describe('the image against the process', () => {
  it.each(['amd64-7.2.13+deb14-amd64', AMD64_ENTRY])('%s: a 64-bit image on a compat (below 4 GiB) process is image-mismatch', (entry) => {
    const [r] = checkCapture(read(join(CORPUS, entry, 'maps-compat32.txt')), { image: image(entry, 'vdso64.so') });
    expect(r.verdict).toBe('fail');
    expect(codes(r)).toContain('image-mismatch');
    expect(r.findings.find((f) => f.code === 'image-mismatch')!.message).toMatch(/the image is x86_64 \(64-bit\) but every vma of this process is below 4 GiB/);
  });
  it('a 32-bit image on a 64-bit process too; the right images pass', () => {
    const e = AMD64_ENTRY;
    const [wrong] = checkCapture(read(join(CORPUS, e, 'maps-pid1.txt')), { image: image(e, 'vdso32.so') });
    expect(wrong.findings.find((f) => f.code === 'image-mismatch')?.message).toMatch(/the image is i386 \(32-bit\) but this process has vmas above 4 GiB/);
    expect(checkCapture(read(join(CORPUS, e, 'maps-compat32.txt')), { image: image(e, 'vdso32.so') })[0].verdict).toBe('pass');
    expect(checkCapture(read(join(CORPUS, e, 'maps-pid1.txt')), { image: image(e, 'vdso64.so') })[0].verdict).toBe('pass');
  });
});

describe('notes and labels', () => {
  const lines = (trail: string) => [
    `7ffc6bbde000-7ffc6bbe2000 r--p 00000000 00:00 0                          [vvar]`,
    `7ffc6bbe2000-7ffc6bbe4000 r-xp 00000000 00:00 0${trail}`,
  ].join('\n') + '\n';
  it('stripped trailing blanks are said as such, not as qemu-user', () => {
    const cap = readCapture(lines(''), { keep: keepForCheck });
    const d = cap.diagnostics.find((x) => x.code === 'no-trailing-space')!;
    expect(d.message).toMatch(/trailing blanks stripped/);
    expect(d.message).not.toMatch(/qemu/);
  });
  it('a label from UTF-8 prose is UTF-8 (read from bytes as check reads a file)', () => {
    const text = '# Ausgabe für „cat /proc/1/maps“ — größer\n' + lines(' ');
    const cap = readCapture(Buffer.from(text, 'utf8').toString('latin1'), { keep: keepForCheck });
    expect(cap.blocks[0].label).toBe('# Ausgabe für „cat /proc/1/maps“ — größer');
    // Bytes that are not UTF-8 stay as they were (Latin-1).
    const latin = readCapture('# f\xfcr\n' + lines(' '), { keep: keepForCheck });
    expect(latin.blocks[0].label).toBe('# für');
  });
});
