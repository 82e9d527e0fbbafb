// A pass names the right architecture, or none: the maps-only evidence (loader names, load
// addresses, where [stack] ends), the tie-break that never crosses families, and the verdict
// that says "family undecided" (JSON: profile null, families and consistentWith) when nothing decides.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { CaptureReader, readCapture } from '../src/capture/reader.js';
import { keepForCheck } from '../src/check/pipeline.js';
import { checkCapture } from '../src/check/inputs.js';
import { familiesOfLoader, familyEvidence, stackTopBits } from '../src/check/evidence.js';
import { parseArch, type KernelFamily } from '../src/layout/arch.js';
import { parseVdsoImage } from '../src/elf/index.js';
import { findBuiltinProfile } from '../src/layout/user-profile.js';
import { renderJson } from '../src/report/check-results.js';
import { CORPUS, ROOT, corpusEntries, filesIn, readText, AMD64_ENTRY } from './helpers.js';
import type { Capture } from '../src/model/capture.js';
import { parseGithub } from './formats.js';

const read = (text: string, file = 'm'): Capture => readCapture(text, { file, keep: keepForCheck });
/** The kernel family of a corpus entry, from its Debian architecture name. */
const FAMILY_OF_ENTRY: Record<string, KernelFamily> = {
  amd64: 'x86', i386: 'x86', arm64: 'arm64', armhf: 'arm', ppc64el: 'powerpc', s390x: 's390', riscv64: 'riscv', mips64el: 'mips', loong64: 'loongarch',
};

describe('maps-only: every corpus capture is judged against its own family, or names none', () => {
  const cases = corpusEntries().flatMap((e) => filesIn(e, /^maps-.*\.txt$/).map((f) => [e, f] as const));
  it('covers every corpus maps file', () => expect(cases.length).toBeGreaterThan(60));
  it.each(cases)('%s/%s', (entry, f) => {
    const own = FAMILY_OF_ENTRY[entry.split('-')[0]];
    expect(own, entry).toBeDefined();
    for (const r of checkCapture(read(readText(join(CORPUS, entry, f)), f), {})) {
      expect(r.verdict).toBe('pass');
      if (r.profile !== undefined) {
        expect(r.family).toBe(own);
        expect(r.profile.split('-')[0]).toBe(own);
      } else {
        expect(r.families).toContain(own);
      }
      for (const id of r.consistentWith ?? []) if (r.profile !== undefined) expect(id.startsWith(`${own}-`), id).toBe(true);
    }
  });
});

describe('the family on a verdict', () => {
  const X86 = join(CORPUS, AMD64_ENTRY, 'maps-pid1.txt');
  it('amd64 6.1 init (bare): x86, decided by where [stack] ends (47-bit user space at 4K pages rules out arm64)', () => {
    const [r] = checkCapture(read(readText(X86)), {});
    expect(r.verdict).toBe('pass');
    expect(r.profile).toBe('x86-5.6');
    expect(r.family).toBe('x86');
    expect(r.notes.join('\n')).toMatch(/\[stack\] ends at 0x7ffc6bbce000, the top of a 47-bit user space/);
  });
  it('the cluster alone with x86 and arm64 rows fitting: no family named, both listed', () => {
    const lines = readText(X86).split('\n').filter((l) => /busybox|\[vvar\]|\[vdso\]/.test(l)).slice(0, 1).concat(readText(X86).split('\n').filter((l) => /\[vvar\]|\[vdso\]/.test(l)));
    const [r] = checkCapture(read(lines.join('\n') + '\n'), {});
    expect(r.verdict).toBe('pass');
    expect(r.profile).toBeUndefined();
    expect(r.family).toBeUndefined();
    expect(r.families).toEqual(['x86', 'arm64']);
    expect(r.consistentWith).toEqual(['x86-5.6', 'arm64-6.15']);
    expect(r.notes.join('\n')).toMatch(/family undecided: x86, arm64 fit/);
    // JSON: profile and family null, the families and rows that fit listed; the schema holds.
    const doc = JSON.parse(renderJson([r, ...checkCapture(read(readText(X86)), {})]));
    expect(doc.results[0]).toMatchObject({ verdict: 'pass', profile: null, family: null, families: ['x86', 'arm64'], consistentWith: ['x86-5.6', 'arm64-6.15'] });
    expect(doc.results[1]).toMatchObject({ profile: 'x86-5.6', family: 'x86', families: null });
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'check-1.schema.json'), 'utf8')));
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  });
  it('mips64el (bare): mips, not loongarch ([stack] at the top of a 40-bit user space)', () => {
    const [r] = checkCapture(read(readText(join(CORPUS, 'mips64el-6.1.0-50-5kc-malta', 'maps-pid1.txt'))), {});
    expect(r.family).toBe('mips');
    expect(r.consistentWith?.every((id) => id.startsWith('mips-'))).toBe(true);
  });
  it('ppc64 with one 2-page [vdso] and no version: the reading with AT_SYSINFO_EHDR at the vma start (2.6.18..5.10)', () => {
    const [r] = checkCapture(read(readText(join(CORPUS, 'ppc64el-5.10.262-vdsocorpus-ppc64le', 'maps-pid1.txt'))), {});
    expect(r.profile).toBe('powerpc-2.6.18');
    expect(r.base).toBe(0x7fffbcb10000n);
    expect(r.consistentWith).toEqual(['powerpc-2.6.18', 'powerpc-5.11']);
  });
});

describe('evidence from the loader, the load address and the stack', () => {
  const line = (s: bigint, e: bigint, perms: string, name = '') => `${s.toString(16).padStart(8, '0')}-${e.toString(16).padStart(8, '0')} ${perms} 00000000 00:00 0 ${name ? `${' '.repeat(20)}${name}` : ''}`;
  it('loader names carry the ABI (glibc and musl)', () => {
    expect(familiesOfLoader('ld-musl-aarch64.so.1', 64)).toEqual(['arm64']);
    expect(familiesOfLoader('ld-musl-mipsel-sf.so.1', 32)).toEqual(['mips']);
    expect(familiesOfLoader('ld-musl-x86_64.so.1', 64)).toEqual(['x86']);
    expect(familiesOfLoader('ld-linux-aarch64.so.1', 64)).toEqual(['arm64']);
    expect(familiesOfLoader('ld-linux-armhf.so.3', 32)).toEqual(['arm', 'arm64']);
    expect(familiesOfLoader('ld64.so.2', 64)).toEqual(['powerpc']);
    expect(familiesOfLoader('ld64.so.1', 64)).toEqual(['powerpc', 's390']);
    expect(familiesOfLoader('ld-linux-riscv64-lp64d.so.1', 64)).toEqual(['riscv']);
    expect(familiesOfLoader('ld-linux-loongarch-lp64d.so.1', 64)).toEqual(['loongarch']);
    expect(familiesOfLoader('ld-uClibc.so.0', 64)).toEqual([]);
  });
  it('an Alpine aarch64 shell (ld-musl-aarch64.so.1) is arm64, with the reason said', () => {
    const text = [
      line(0xaaaad0000000n, 0xaaaad0010000n, 'r-xp', '/bin/busybox'),
      line(0xffff8a000000n, 0xffff8a090000n, 'r-xp', '/lib/ld-musl-aarch64.so.1'),
      line(0xffff8a0a0000n, 0xffff8a0a1000n, 'r--p', '[vvar]'),
      line(0xffff8a0a1000n, 0xffff8a0a2000n, 'r-xp', '[vdso]'),
    ].join('\n') + '\n';
    const ev = familyEvidence(read(text).blocks[0]);
    expect(ev.families).toEqual(['arm64']);
    expect(ev.reasons.join('; ')).toMatch(/dynamic loader ld-musl-aarch64\.so\.1/);
  });
  it('a 32-bit MIPS task at the o32 load address 0x400000 is mips', () => {
    const text = [
      line(0x400000n, 0x480000n, 'r-xp', '/bin/busybox'),
      line(0x77ff0000n, 0x77ff1000n, 'r--p', '[vvar]'),
      line(0x77ff1000n, 0x77ff2000n, 'r-xp', '[vdso]'),
    ].join('\n') + '\n';
    const block = read(text).blocks[0];
    expect(familyEvidence(block, ['x86', 'arm', 'powerpc', 'mips', 'riscv']).families).toEqual(['mips']);
  });
  it('the top of user space a stack sits at', () => {
    expect(stackTopBits(0x7ffc6bbce000n)).toBe(47);
    expect(stackTopBits(0xffffd252e000n)).toBe(48);
    expect(stackTopBits(0xfffbe20000n)).toBe(40);
    expect(stackTopBits(0x5555_0000_0000n)).toBeUndefined(); // far below any top: says nothing
  });
  it('the byte scanner hands the loader and [stack] lines back: same evidence from both readers', () => {
    // Big enough for the WebAssembly path: many file lines, the loader and stack far down.
    const rows: string[] = [];
    let a = 0x7f0000000000n;
    for (let i = 0; i < 6000; i++) { rows.push(`${a.toString(16)}-${(a + 0x1000n).toString(16)} r--p 00000000 08:01 ${1000 + i}                    /usr/lib/libx${i}.so`); a += 0x2000n; }
    rows.push(`${a.toString(16)}-${(a + 0x1000n).toString(16)} r-xp 00000000 08:01 99                       /lib/ld-musl-aarch64.so.1`);
    rows.push('7ffd84e9a000-7ffd84ebb000 rw-p 00000000 00:00 0                          [stack]');
    const bytes = Buffer.from(rows.join('\n') + '\n', 'latin1');
    expect(bytes.length).toBeGreaterThan(256 * 1024);
    const evidence = (scanner: 'js' | 'always-wasm') => {
      const r = new CaptureReader({ keep: keepForCheck, scanner });
      r.writeBytes(bytes);
      return r.end().blocks[0].evidence;
    };
    const js = evidence('js');
    expect(js.loaders).toEqual(['ld-musl-aarch64.so.1']);
    expect(js.stackEnd).toBe(0x7ffd84ebb000n);
    expect(evidence('always-wasm')).toEqual(js);
  });
});

describe('a 64-bit kernel\'s machine name over a 32-bit kernel\'s lines is two kernels\' words', () => {
  // The real i386 6.1 kernel's pid 1 (8-digit addresses, names at column 49: a 32-bit kernel) and
  // armhf 7.2's: under --arch ppc64le they passed as powerpc-6.15, and a bundle saying
  // uname -m x86_64 over them passed as x86-5.6.
  const i386 = readText(join(CORPUS, 'i386-6.1.0-50-686-pae', 'maps-pid1.txt'));
  const armhf = readText(join(CORPUS, 'armhf-7.2.13+deb14-armmp', 'maps-pid1.txt'));
  const one = (text: string, arch?: string) => checkCapture(read(text, 'm'), arch ? { arch: parseArch(arch) } : {})[0];
  it('--arch with such a name is refused; the width-neutral names and the 32-bit ones are judged', () => {
    for (const [text, arch] of [[i386, 'x86_64'], [i386, 'amd64'], [i386, 'ppc64le'], [i386, 'mips64'], [armhf, 'ppc64'], [armhf, 'x86_64']] as const) {
      const r = one(text, arch);
      expect([arch, r.verdict, r.message]).toEqual([arch, 'error', `m: --arch ${arch} does not fit this capture's own lines: 32-bit kernel lines (address width, name column), and only a 64-bit kernel prints that name`]);
    }
    for (const arch of ['i686', 'x86']) expect([arch, one(i386, arch).verdict, one(i386, arch).profile]).toEqual([arch, 'pass', 'x86-5.6']);
    expect(one(armhf, 'armv7l').verdict).toBe('pass');
  });
  it('a capture\'s own uname -m: the process is not judged (exit 2 at its block)', () => {
    const bundle = (machine: string) => ['', '@@@VDSO-LAYOUT-BUNDLE 1 BEGIN', 'uname-r: 6.1.0-50-686-pae', `uname-m: ${machine}`, '@@@MAPS', i386.trimEnd(), '@@@VDSO-LAYOUT-BUNDLE 1 END', ''].join('\n');
    const r = one(bundle('x86_64'));
    expect([r.verdict, r.message]).toEqual(['error', "m:6: the capture's uname -m x86_64 does not fit the process's own lines: 32-bit kernel lines (address width, name column), and only a 64-bit kernel prints that name"]);
    expect(one(bundle('i686')).verdict).toBe('pass');
  });
});

describe('an image two families run, over lines of unread width', () => {
  it('the kernel the lines leave: arm64 6.1\'s compat task with its padding lost, under its own vdso32.so, is arm64\'s (it failed as an arm kernel\'s)', () => {
    const entry = join(CORPUS, 'arm64-6.1.0-56-arm64');
    const collapsed = readText(join(entry, 'maps-compat32.txt')).replace(/ {2,}/g, '   ');
    const r = parseVdsoImage(new Uint8Array(readFileSync(join(entry, 'vdso32.so'))), 'vdso32.so');
    if (!r.ok) throw r.error;
    const [res] = checkCapture(read(collapsed), { image: r.value });
    expect([res.verdict, res.profile, res.kernelBits]).toEqual(['pass', 'arm64-5.9', 64]);
  });
});

describe('what names the family must fit the capture: --arch, a profile, the image, uname -m', () => {
  /** Each corpus entry's family as uname -m names it (its --arch). */
  const ARCH_OF_FAMILY: Record<KernelFamily, string> = {
    x86: 'x86', arm64: 'aarch64', arm: 'armv7l', powerpc: 'powerpc', s390: 's390x', riscv: 'riscv64', mips: 'mips64', loongarch: 'loongarch64', sparc: 'sparc64',
    parisc: 'parisc', sh: 'sh4',
  };
  const cases = corpusEntries().flatMap((e) => filesIn(e, /^maps-.*\.txt$/).map((f) => [e, f] as const));
  const checked = (entry: string, f: string, flags: Parameters<typeof checkCapture>[1]) => checkCapture(read(readText(join(CORPUS, entry, f)), f), flags);
  const doubt = /^architecture not confirmed by the capture/;

  it.each(cases)('%s/%s under its own --arch: judged, and not doubted', (entry, f) => {
    const own = FAMILY_OF_ENTRY[entry.split('-')[0]];
    for (const r of checked(entry, f, { arch: parseArch(ARCH_OF_FAMILY[own]) })) {
      expect(r.verdict, r.message).toBe('pass');
      expect(r.findings.filter((x) => doubt.test(x.message))).toEqual([]);
    }
  });

  it('under every other family\'s --arch: refused, failed, or a pass that says the capture does not confirm it; never a silent pass', () => {
    const seen = { refused: 0, failed: 0, doubted: 0 };
    for (const [entry, f] of cases) {
      const own = FAMILY_OF_ENTRY[entry.split('-')[0]];
      for (const family of Object.keys(ARCH_OF_FAMILY) as KernelFamily[]) {
        // armv7l names an arm task, which arm64 runs too (compat): below, on its own.
        if (family === own || (own === 'arm64' && family === 'arm')) continue;
        for (const r of checked(entry, f, { arch: parseArch(ARCH_OF_FAMILY[family]) })) {
          if (r.verdict === 'error') { expect(r.message).toMatch(/does not fit this capture's own lines: |does not run/); seen.refused++; }
          else if (r.verdict === 'fail') seen.failed++;
          else { expect(r.findings.map((x) => x.message).filter((m) => doubt.test(m)), `${entry}/${f} as ${family}`).toHaveLength(1); seen.doubted++; }
        }
      }
    }
    // Measured on this corpus: most are refused by the kernel's own facts; what passes is said.
    expect(seen.refused).toBeGreaterThan(3 * (seen.failed + seen.doubted));
    expect(seen.doubted).toBeGreaterThan(0);
  });

  it('the kernel\'s own facts refuse: where the stack ends, the vDSO above 2^47', () => {
    const [arm] = checked(AMD64_ENTRY, 'maps-pid1.txt', { arch: parseArch('aarch64') });
    expect(arm).toMatchObject({ verdict: 'error' });
    expect(arm.message).toBe("maps-pid1.txt: --arch aarch64 (arm64) does not fit this capture's own lines: [stack] ends at 0x7ffc6bbce000, the top of a 47-bit user space at 4K pages, which no kernel of the family gives");
    const [x86] = checked('arm64-6.1.0-56-arm64', 'maps-pid1.txt', { arch: parseArch('x86_64') });
    expect(x86.message).toMatch(/--arch x86_64 \(x86\) does not fit this capture's own lines: the stack or the vDSO above 2\^47, where x86_64 and ppc64 user space ends; \[stack\] ends at 0xffffd6583000, the top of a 48-bit user space/);
    // s390x's stack ends at 2^42, ppc64's at 2^46 (4K pages) or 2^47 (64K): neither is the other.
    const [ppc] = checked('s390x-7.2.13+deb14-s390x', 'maps-pid1.txt', { arch: parseArch('ppc64le') });
    expect(ppc.message).toMatch(/--arch ppc64le \(powerpc\) does not fit .*the top of a 42-bit user space/);
    const [s390] = checked('ppc64el-7.2.13+deb14-powerpc64le', 'maps-pid1.txt', { arch: parseArch('s390x') });
    expect(s390.message).toMatch(/--arch s390x \(s390\) does not fit .*the top of a 46-bit user space/);
  });

  it('a profile and an image are held to the same facts', () => {
    const [profile] = checked('arm64-6.1.0-56-arm64', 'maps-pid1.txt', { profile: findBuiltinProfile('x86-5.6') });
    expect(profile.message).toMatch(/^maps-pid1\.txt: profile x86-5\.6 \(x86\) does not fit this capture's own lines: /);
    const image = parseVdsoImage(readFileSync(join(CORPUS, 'arm64-6.1.0-56-arm64', 'vdso64.so')), 'vdso64.so');
    expect(image.ok).toBe(true);
    const [byImage] = checked(AMD64_ENTRY, 'maps-pid1.txt', { image: image.ok ? image.value : undefined });
    expect(byImage.message).toMatch(/^maps-pid1\.txt: the image \(aarch64\) does not fit this capture's own lines: \[stack\] ends at 0x7ffc6bbce000/);
  });

  it('a row forced with --profile that ended before the kernel given passes with a warning that says so', () => {
    const profile = findBuiltinProfile('x86-5.6');
    const [late] = checked(AMD64_ENTRY, 'maps-pid1.txt', { profile, kernel: '6.15' });
    expect(late.verdict).toBe('pass');
    expect(late.findings).toContainEqual({ code: 'not-checked', severity: 'warning', message: 'profile x86-5.6 is the layout of 5.6 to before 6.13, and the kernel is 6.15: a newer kernel prints it only if it reverted the change (give the row of 6.15, or no --profile)' });
    // Within the row's releases, or older (a backport), nothing is said.
    for (const kernel of ['6.1', '5.4']) {
      const [r] = checked(AMD64_ENTRY, 'maps-pid1.txt', { profile, kernel });
      expect(r.findings.filter((f) => /reverted the change/.test(f.message)), kernel).toEqual([]);
    }
  });

  it('and the capture\'s uname -m, as a task machine (armv8l: an arm task on arm or on arm64)', () => {
    const uname = (machine: string) => `Linux target 6.1.0-56-arm64 #1 SMP Debian 6.1.158-1 (2025-11-10) ${machine} GNU/Linux\n`;
    const withUname = (entry: string, f: string, machine: string) => checkCapture(read(uname(machine) + readText(join(CORPUS, entry, f)), f), {});
    const [x86] = withUname('arm64-6.1.0-56-arm64', 'maps-pid1.txt', 'x86_64');
    expect(x86.message).toMatch(/^maps-pid1\.txt: the capture's uname -m \(x86_64\) does not fit this capture's own lines: /);
    for (const r of withUname('arm64-6.1.0-56-arm64', 'maps-compat32.txt', 'armv8l')) expect(r.verdict, r.message).toBe('pass');
    for (const r of withUname('arm64-6.1.0-56-arm64', 'maps-pid1.txt', 'aarch64')) expect(r.verdict, r.message).toBe('pass');
  });

  it('an arm task named by --arch (uname -m armv8l, armv7l; Debian armhf, armel) is arm64\'s compat on a 64-bit kernel\'s lines; kernel ARCH arm is the 32-bit kernel', () => {
    const compat = ['arm64-5.10.0-32-arm64', 'arm64-6.1.0-56-arm64'];
    for (const entry of compat) {
      for (const name of ['armv8l', 'armv7l', 'armv6l', 'armhf', 'armel']) {
        for (const r of checked(entry, 'maps-compat32.txt', { arch: parseArch(name) })) {
          expect(r.verdict, `${entry} --arch ${name}: ${r.message}`).toBe('pass');
          expect(r.family).toBe('arm64');
          expect(r.profile).toMatch(/^arm64-/);
          expect(r.findings.filter((x) => doubt.test(x.message))).toEqual([]);
        }
        // A 64-bit task is not an arm task: refused, the name as written.
        const [native] = checked(entry, 'maps-pid1.txt', { arch: parseArch(name) });
        expect(native).toMatchObject({ verdict: 'error', message: `maps-pid1.txt: --arch ${name} (an arm task) does not fit this capture's own lines: a 64-bit task on a 64-bit kernel (vmas above 4 GiB)` });
      }
      // Before, each of these was refused as `--arch arm (arm)`, a 32-bit kernel's name.
      const [kernel] = checked(entry, 'maps-compat32.txt', { arch: parseArch('arm') });
      expect(kernel).toMatchObject({ verdict: 'error', message: "maps-compat32.txt: --arch arm (arm) does not fit this capture's own lines: 64-bit kernel lines (address width, name column); a 32-bit task on a 64-bit kernel (every vma below 4 GiB)" });
    }
    // On a 32-bit kernel's lines the same names are arm's.
    for (const name of ['armv8l', 'armv7l', 'armhf', 'arm']) {
      for (const r of checked('armhf-6.1.0-50-armmp', 'maps-pid1.txt', { arch: parseArch(name) })) {
        expect(r.verdict, r.message).toBe('pass');
        expect(r.profile).toMatch(/^arm-/);
      }
    }
    // And the message names the architecture as written.
    const [amd64] = checked('arm64-6.1.0-56-arm64', 'maps-pid1.txt', { arch: parseArch('AMD64') });
    expect(amd64.message).toMatch(/^maps-pid1\.txt: --arch amd64 \(x86\) does not fit this capture's own lines: /);
  });

  it('where only the toolchain\'s hints disagree (the executable\'s load address), the pass says so', () => {
    const [r] = checked(AMD64_ENTRY, 'maps-pid1.txt', { arch: parseArch('riscv64') });
    expect(r.verdict).toBe('pass');
    expect(r.findings.find((x) => doubt.test(x.message))).toEqual({ code: 'not-checked', severity: 'warning',
      message: 'architecture not confirmed by the capture: --arch riscv64 (riscv), but the executable at 0x400000, the x86_64 / aarch64 static load address' });
  });
});

describe('decisive readings that contradict each other: no kernel prints the lines, so none is judged', () => {
  // Real captures with one name changed to another family's, as a patch copying another arch's
  // name would print them. Each passed before, judged against the family of whichever reading
  // came first ("contradicts the other evidence, ignored"): x86-3.15 for an arm64 compat task,
  // riscv-5.15 for a mips, an amd64 and an arm64 one, x86-6.15 for an s390x one.
  const edited = (entry: string, f: string, edit: (t: string) => string) => checkCapture(read(edit(readText(join(CORPUS, entry, f))), f), {});
  const vvarAs = (name: string) => (t: string) => t.replace(/\[vvar\]$/m, name);
  const cases: Array<[entry: string, f: string, edit: (t: string) => string, conflict: string]> = [
    ['arm64-6.1.0-56-arm64', 'maps-compat32.txt', vvarAs('[vsyscall]'), '[vsyscall] is mapped (x86), but [vectors] is mapped (arm64, arm)'],
    ['mips64el-6.1.0-50-5kc-malta', 'maps-pid1.txt', vvarAs('[vdso_data]'), '[vdso_data] is mapped (riscv), but [stack] ends at 0xfffbe20000, the top of a 40-bit user space at 4K pages (mips)'],
    ['amd64-6.1.0-56-amd64', 'maps-dyn.txt', vvarAs('[vdso_data]'), '[vdso_data] is mapped (riscv), but library paths under x86_64-linux-gnu (x86)'],
    ['s390x-7.2.13+deb14-s390x', 'maps-pid1.txt', vvarAs('[vvar_vclock]'), '[vvar_vclock] is mapped (x86), but [stack] ends at 0x3ffcce79000, the top of a 42-bit user space at 4K pages (s390, parisc)'],
    ['riscv64-7.2.13+deb14-riscv64', 'maps-pid1.txt', (t) => `${t}ffff0000-ffff1000 r-xp 00000000 00:00 0                                  [vectors]\n`,
      '[vectors] is mapped (arm64, arm), but [stack] ends at 0x7fffe43b4000, the top of a 47-bit user space at 4K pages (x86, riscv)'],
  ];
  it.each(cases)('%s/%s', (entry, f, edit, conflict) => {
    for (const r of edited(entry, f, (t) => t)) expect(r.verdict, r.message).toBe('pass');
    const [r] = edited(entry, f, edit);
    expect(r).toMatchObject({ verdict: 'error', errorKind: 'capture' });
    expect(r.message).toMatch(/^[^:]+:\d+: the process's own lines contradict each other: /);
    expect(r.message).toContain(conflict);
    expect(r.message).toMatch(/; no kernel prints both, so no layout can judge them$/);
  });

  it('a reading that leaves no family by itself is a gap in the table, not a conflict', () => {
    // A stack at the top of a 50-bit user space is no family's: said, and ignored. (A 56-bit one was
    // the example until a real riscv64 6.1 kernel on an Sv57 hart put its stack there.)
    const t = readText(join(CORPUS, 'riscv64-7.2.13+deb14-riscv64', 'maps-pid1.txt')).replace(/^7fffe4393000-7fffe43b4000/m, '3fffffffdd000-3fffffffff000');
    const block = read(t).blocks[0];
    const ev = familyEvidence(block);
    expect(ev.conflict).toBeUndefined();
    expect(ev.reasons.some((x) => /50-bit user space.*contradicts the other evidence, ignored/.test(x))).toBe(true);
  });

  it('from the command line: exit 2, one line, and the JSON document says why', async () => {
    const { runCli } = await import('./run-in-process.js');
    const dir = mkdtempSync(join(tmpdir(), 'vdso-layout-conflict-'));
    const file = join(dir, 'maps.txt');
    writeFileSync(file, vvarAs('[vsyscall]')(readText(join(CORPUS, 'arm64-6.1.0-56-arm64', 'maps-compat32.txt'))));
    const text = await runCli(['check', file]);
    expect(text.code).toBe(2);
    expect(text.stderr.trimEnd().split('\n')).toEqual([`vdso-layout: ${file}:1: the process's own lines contradict each other: [vsyscall] is mapped (x86), but [vectors] is mapped (arm64, arm); no kernel prints both, so no layout can judge them`]);
    const json = await runCli(['check', '--format', 'json', file]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).results[0]).toMatchObject({ verdict: 'error', errorKind: 'capture', profile: null, family: null });
  });
});

describe('x86\'s gate vma ([vsyscall]) is shown to 64-bit tasks only', () => {
  // get_gate_vma() returns NULL for ia32 and x32 tasks (3.15 mm->context.ia32_compat; 6.1 and 6.6
  // MM_CONTEXT_HAS_VSYSCALL, set for 64-bit tasks only). A compat task with one passed before.
  const compat = join(CORPUS, AMD64_ENTRY, 'maps-compat32.txt');
  const image = parseVdsoImage(readFileSync(join(CORPUS, AMD64_ENTRY, 'vdso32.so')), 'vdso32.so');
  const check = (t: string) => checkCapture(read(t, 'maps-compat32.txt'), { image: image.ok ? image.value : undefined })[0];
  it('the compat capture as booted passes', () => expect(check(readText(compat)).verdict).toBe('pass'));
  it.each([
    ['at the fixed address', (t: string) => `${t}ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n`],
    ['next to the cluster', (t: string) => t.replace(/^(f7fe0000-f7fe2000 r-xp .*\[vdso\]\n)/m, '$1f7fe2000-f7fe3000 r-xp 00000000 00:00 0                                  [vsyscall]\n')],
  ])('%s: neighbour', (_where, edit) => {
    const r = check(edit(readText(compat)));
    expect(r.verdict).toBe('fail');
    expect(r.findings.filter((f) => f.code === 'neighbour').map((f) => f.message)).toEqual(['[vsyscall] is mapped, but the kernel shows it only to x86_64 tasks, and this is an i386 task']);
  });
});

describe('a refused family from the command line', () => {
  it('exits 2 with one line on stderr, and --format json is still the whole document', async () => {
    const { runCli } = await import('./run-in-process.js');
    const maps = join(CORPUS, AMD64_ENTRY, 'maps-pid1.txt');
    const text = await runCli(['check', '--arch', 'aarch64', maps]);
    expect(text.code).toBe(2);
    expect(text.stderr.trimEnd().split('\n')).toEqual([`vdso-layout: ${maps}: --arch aarch64 (arm64) does not fit this capture's own lines: [stack] ends at 0x7ffc6bbce000, the top of a 47-bit user space at 4K pages, which no kernel of the family gives`]);
    const json = await runCli(['check', '--arch', 'aarch64', '--format', 'json', maps]);
    expect(json.code).toBe(2);
    const doc = JSON.parse(json.stdout);
    expect(doc.results).toHaveLength(1);
    expect(doc.results[0]).toMatchObject({ verdict: 'error', input: maps });
    expect(doc.results[0].message).toMatch(/does not fit this capture's own lines/);
    expect(doc.results[0].errorKind).toBe('usage');
  });

  it('a refused capture is counted as refused, not unreadable, and its annotation points at it', async () => {
    const { runCli } = await import('./run-in-process.js');
    const maps = join(CORPUS, AMD64_ENTRY, 'maps-pid1.txt');
    const arm64 = join(CORPUS, 'arm64-6.1.0-56-arm64', 'maps-pid1.txt');
    const missing = join(CORPUS, 'no-such-capture.txt');
    const text = await runCli(['check', '-q', '--arch', 'aarch64', maps, arm64, missing]);
    expect(text.code).toBe(2);
    // Before: "1 passed, 0 failed, 2 unreadable".
    expect(text.stdout).toBe('3 processes checked: 1 passed, 0 failed, 1 unreadable, 1 refused, 2 warnings\n');
    const gh = await runCli(['check', '--format', 'github', '--arch', 'aarch64', maps, missing]);
    expect(parseGithub(gh.stdout).filter((a) => a.level === 'error')).toEqual([
      { level: 'error', props: { file: maps, title: 'vdso-layout usage' }, data: expect.stringMatching(/does not fit this capture's own lines/) },
      { level: 'error', props: { file: missing, title: 'vdso-layout unreadable' }, data: `${missing}: no such file` },
    ]);
  });
});

describe('--kernel-bits against the lines', () => {
  it('where the lines show the kernel\'s width, a flag against it is refused; where they agree or cannot tell, it is taken', () => {
    const amd64 = join(CORPUS, AMD64_ENTRY, 'maps-pid1.txt');
    // Before: a pass whose expected and actual lines were formatted for a 32-bit kernel, not the capture's.
    const [r32] = checkCapture(read(readText(amd64), 'maps-pid1.txt'), { kernelBits: 32 });
    expect(r32).toMatchObject({ verdict: 'error', message: "maps-pid1.txt: --kernel-bits 32 does not fit this capture's own lines: 64-bit kernel lines (address width, name column)" });
    const [i386] = checkCapture(read(readText(join(CORPUS, 'i386-6.1.0-50-686-pae', 'maps-pid1.txt')), 'm'), { kernelBits: 64 });
    expect(i386.message).toMatch(/--kernel-bits 64 does not fit this capture's own lines: 32-bit kernel lines/);
    const [r64] = checkCapture(read(readText(amd64)), { kernelBits: 64 });
    expect(r64.verdict).toBe('pass');
    // A compat task on a 64-bit kernel: 8-digit addresses, the 64-bit name column: 64.
    for (const r of checkCapture(read(readText(join(CORPUS, AMD64_ENTRY, 'maps-compat32.txt'))), { kernelBits: 64 })) expect(r.verdict).toBe('pass');
    // Lines whose padding was lost (one space before the name) and 8-digit addresses do not tell: the flag decides.
    const squeezed = readText(join(CORPUS, 'i386-6.1.0-50-686-pae', 'maps-pid1.txt')).replace(/ {2,}/g, ' ');
    const block = read(squeezed).blocks[0];
    expect(block.kernelBits).toBeUndefined();
    for (const bits of [32, 64] as const) expect(checkCapture(read(squeezed), { kernelBits: bits })[0].verdict).not.toBe('error');
  });
});
