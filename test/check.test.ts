import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseVdsoImage, type VdsoImage } from '../src/elf/index.js';
import { readCapture } from '../src/capture/reader.js';
import { formatMapping } from '../src/capture/maps-line.js';
import { parseAuxvText } from '../src/capture/auxv.js';
import { checkBlock, keepForCheck, type CheckContext } from '../src/check/pipeline.js';
import { parseUserProfile } from '../src/layout/user-profile.js';
import { CORPUS, ROOT, readBytes, readText, AMD64_ENTRY } from './helpers.js';
import { CAPTURES } from './corpus-table.js';
import type { Auxv } from '../src/model/auxv.js';
import type { MapsBlock } from '../src/model/capture.js';
import type { Mapping } from '../src/model/maps.js';

const image = (entry: string, f: string): VdsoImage => { const r = parseVdsoImage(readBytes(join(CORPUS, entry, f))); if (!r.ok) throw r.error; return r.value; };
const block = (entry: string, f: string): MapsBlock => readCapture(readText(join(CORPUS, entry, f)), { keep: keepForCheck }).blocks[0];
const auxv = (entry: string, f?: string): Auxv | undefined => (f ? parseAuxvText(readText(join(CORPUS, entry, f))) : undefined);
const errors = (r: ReturnType<typeof checkBlock>) => r.findings.filter((f) => f.severity === 'error').map((f) => f.code);

describe('every real capture passes', () => {
  for (const c of CAPTURES) {
    it(`${c.entry}/${c.maps}: with its image and auxv, and with nothing`, () => {
      const b = block(c.entry, c.maps);
      const a = auxv(c.entry, c.auxv);
      const full = checkBlock(b, { input: c.maps, image: image(c.entry, c.image), auxv: a, pageSize: a?.pageSize });
      // LoongArch's [vvar] grows with NR_CPUS, which a maps file does not say: that is said, and only that.
      const perCpu = c.entry.startsWith('loong64-');
      const unpinned = (f: { message: string }) => f.message.startsWith('[vvar] size not pinned: it grows with NR_CPUS');
      expect(full.findings.filter((f) => !unpinned(f)), JSON.stringify(full.findings)).toEqual([]);
      expect(full.findings.filter(unpinned).length).toBe(perCpu ? 1 : 0);
      expect(full.verdict).toBe('pass');
      expect(full.skipped.map((s) => s.rule)).toEqual([...(perCpu ? ['data_pages'] : []), ...(a ? [] : ['auxv_base'])]);
      const bare = checkBlock(b, { input: c.maps });
      expect(errors(bare), JSON.stringify(bare.findings)).toEqual([]);
      expect(bare.findings.map((f) => f.code)).toContain('not-checked'); // said, not silently passed
      expect(bare.consistentWith).toContain(full.profile);
    });
  }
});

// Mutations of real captures: each must fail with exactly the expected finding code.
type Mut = (ms: Mapping[], page: bigint) => Mapping[];
const named = (ms: Mapping[], n: string) => ms.find((m) => m.name === n)!;
const rename = (m: Mapping, name?: string): Mapping => ({ ...m, name, rawName: name, kind: name === undefined ? 'anonymous' : m.kind });
const toText = (ms: Mapping[], bits: 32 | 64) => ms.map((m) => formatMapping(m, { kernelBits: bits })).join('\n') + '\n';

function mutated(entry: string, f: string, mut: Mut, page: bigint): MapsBlock {
  const b = readCapture(readText(join(CORPUS, entry, f))).blocks[0];
  const ms = mut(b.mappings.map((m) => ({ ...m })), page).sort((x, y) => (x.start < y.start ? -1 : 1));
  return readCapture(toText(ms, b.kernelBits!), { keep: keepForCheck }).blocks[0];
}

describe('mutated captures fail with exactly the expected code', () => {
  const x86: CheckContext = { input: 'm', image: image(AMD64_ENTRY, 'vdso64.so') };
  const P = 4096n;
  const cases: Array<[string, Mut, string[], CheckContext?]> = [
    ['[vvar] and [vdso] swapped', (ms) => { const v = named(ms, '[vvar]'); const d = named(ms, '[vdso]'); const dEnd = v.start + (d.end - d.start); return [...ms.filter((m) => m !== v && m !== d), { ...d, start: v.start, end: dEnd }, { ...v, start: dEnd, end: d.end }]; }, ['order']],
    ['[vvar] one page bigger', (ms) => { const v = named(ms, '[vvar]'); v.start -= P; return ms; }, ['size']],
    ['[vvar] one page smaller', (ms) => { const v = named(ms, '[vvar]'); v.start += P; return ms; }, ['size']],
    ['[vdso] one page bigger', (ms) => { const d = named(ms, '[vdso]'); d.end += P; return ms; }, ['image-size']],
    ['[vvar] writable', (ms) => { named(ms, '[vvar]').perms = 'rw-p'; return ms; }, ['perms']],
    ['a gap between [vvar] and [vdso]', (ms) => { const v = named(ms, '[vvar]'); v.start -= P; v.end -= P; return ms; }, ['gap']],
    ['a second [vdso]', (ms) => { const d = named(ms, '[vdso]'); return [...ms, { ...d, start: 0x10000n, end: 0x12000n }]; }, ['duplicate']],
    ['[vdso] split in two vmas', (ms) => { const d = named(ms, '[vdso]'); return [...ms.filter((m) => m !== d), { ...d, end: d.start + P }, { ...d, start: d.start + P }]; }, ['split']],
    ['[vdso] name lost', (ms) => ms.map((m) => (m.name === '[vdso]' ? rename(m) : m)), ['vdso-unnamed']],
    ['[vvar] name lost', (ms) => ms.map((m) => (m.name === '[vvar]' ? rename(m) : m)), ['vvar-unnamed']],
    ['no [vvar]', (ms) => ms.filter((m) => m.name !== '[vvar]'), ['vvar-missing']],
    ['no [vdso] at all', (ms) => ms.filter((m) => m.name !== '[vdso]'), ['vdso-missing']],
    ['an unknown special mapping next to the cluster', (ms) => { const v = named(ms, '[vvar]'); return [...ms, { ...v, start: v.start - P, end: v.start, name: '[vvar_extra]', rawName: '[vvar_extra]', kind: 'special' }]; }, ['unexpected']],
  ];
  for (const [what, mut, codes, ctx] of cases) {
    it(what, () => {
      const r = checkBlock(mutated(AMD64_ENTRY, 'maps-pid1.txt', mut, P), { ...x86, ...ctx });
      expect(errors(r)).toEqual(codes);
      expect(r.verdict).toBe('fail');
    });
  }

  it('AT_SYSINFO_EHDR pointing at [vvar]', () => {
    const b = block(AMD64_ENTRY, 'maps-pid1.txt');
    const a = auxv(AMD64_ENTRY, 'auxv-pid1.txt')!;
    const vvar = named(b.mappings, '[vvar]');
    const r = checkBlock(b, { ...x86, auxv: { ...a, sysinfoEhdr: vvar.start } });
    expect(errors(r)).toEqual(['auxv-base']);
    expect(r.findings[0].message).toMatch(/AT_SYSINFO_EHDR is 0x7ffc6bbde000 \(inside \[vvar\]\), not the vDSO text at 0x7ffc6bbe2000/);
  });

  it('the 2020 powerpc regression, 64K pages: data page moved in front, vma unnamed', () => {
    // ppc64le 5.10 as captured: one [vdso] vma, text then data. The v8 patch put the data
    // page first and the vma lost its name (arch_vma_name matched vdso_base, now one page in).
    const entry = 'ppc64el-5.10.262-vdsocorpus-ppc64le';
    const PPC = 65536n;
    const b = mutated(entry, 'maps-pid1.txt', (ms) => ms.map((m) => (m.name === '[vdso]' ? rename({ ...m, start: m.start - PPC, end: m.end - PPC }) : m)), PPC);
    const text = b.mappings.find((m) => m.kind === 'anonymous' && m.perms === 'r-xp')!;
    const meant = parseUserProfile(readText(join(ROOT, 'samples/profiles/ppc-2020-datapage-in-front.json')), 'p.json');
    const r = checkBlock(b, { input: 'ppc', image: image(entry, 'vdso64.so'), profile: meant, auxv: { form: 'od', entries: [], sysinfoEhdr: text.start + PPC, pageSize: PPC } });
    expect(errors(r)).toEqual(['vdso-unnamed']);
    expect(r.anchoredBy).toBe('auxv');
    expect(r.base).toBe(text.start + PPC);
    // Without the auxv the unnamed r-x vma is still found by its place.
    const r2 = checkBlock(b, { input: 'ppc', image: image(entry, 'vdso64.so'), profile: meant });
    expect(errors(r2)).toEqual(['vdso-unnamed']);
    expect(r2.anchoredBy).toBe('unnamed-heuristic');
  });

  it('the same regression on a modern layout: [vvar] and [vdso] merged into one unnamed vma', () => {
    const entry = 'ppc64el-6.1.0-50-powerpc64le';
    const b = mutated(entry, 'maps-pid1.txt', (ms) => {
      const v = named(ms, '[vvar]'); const d = named(ms, '[vdso]');
      return [...ms.filter((m) => m !== v && m !== d), rename({ ...d, start: v.start })];
    }, 65536n);
    const r = checkBlock(b, { input: 'ppc', image: image(entry, 'vdso64.so') });
    expect(errors(r)).toEqual(['vdso-unnamed']);
    expect(r.findings[0].message).toMatch(/where \[vvar\] and \[vdso\] should be/);
  });

  it('an x86 6.13+ capture checked against a 6.12 layout: [vvar_vclock] is unexpected', () => {
    const b = block('amd64-7.2.13+deb14-amd64', 'maps-pid1.txt');
    const r = checkBlock(b, { input: 'x', kernel: '6.12', kernelFrom: 'flag', arch: { family: 'x86', kernelBits: 64, task: 'x86_64' } });
    expect(errors(r)).toEqual(['unexpected']); // the space between [vvar] and [vdso] is taken by it, so no 'gap'
  });

  it('a compat capture with the wrong image: image-mismatch by build-id', () => {
    const b = block(AMD64_ENTRY, 'maps-compat32.txt');
    const r = checkBlock(b, { input: 'x', image: image(AMD64_ENTRY, 'vdso32.so'), dumpedImage: image('amd64-5.10.0-46-amd64', 'vdso32.so') });
    expect(errors(r)).toEqual(['image-mismatch']);
  });

  it('neighbours: [vsyscall] at the wrong address, arm [sigpage] not below [vvar]', () => {
    const e = 'amd64-5.10.0-46-amd64+vsyscall=emulate';
    const r = checkBlock(mutated(e, 'maps-pid1.txt', (ms) => { named(ms, '[vsyscall]').start -= P; return ms; }, P), { input: 'x', image: image(e, 'vdso64.so') });
    expect(errors(r)).toEqual(['neighbour']);
    const a = 'armhf-6.1.0-50-armmp';
    const r2 = checkBlock(mutated(a, 'maps-pid1.txt', (ms) => { const s = named(ms, '[sigpage]'); s.start -= P; s.end -= P; return ms; }, P), { input: 'x', image: image(a, 'vdso.so') });
    expect(errors(r2)).toEqual(['neighbour']);
  });
});
