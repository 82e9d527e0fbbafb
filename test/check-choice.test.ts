// compare honours what a profile leaves open (ranges, optional regions, allowed gaps), and the
// maps-only choice of layout: evidence narrows the families, structure ranks the rows.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseVdsoImage, type VdsoImage } from '../src/elf/index.js';
import { readCapture } from '../src/capture/reader.js';
import { formatMapping } from '../src/capture/maps-line.js';
import { checkBlock, keepForCheck, type CheckContext } from '../src/check/pipeline.js';
import { checkCapture, kernelOf } from '../src/check/inputs.js';
import { familyEvidence } from '../src/check/evidence.js';
import { PROFILES } from '../src/layout/profiles/index.js';
import { CORPUS, ROOT, readBytes, readText, AMD64_ENTRY } from './helpers.js';
import type { MapsBlock } from '../src/model/capture.js';
import type { Mapping } from '../src/model/maps.js';

const image = (entry: string, f: string): VdsoImage => { const r = parseVdsoImage(readBytes(join(CORPUS, entry, f))); if (!r.ok) throw r.error; return r.value; };
const errors = (r: ReturnType<typeof checkBlock>) => [...new Set(r.findings.filter((f) => f.severity === 'error').map((f) => f.code))].sort();
const named = (ms: Mapping[], n: string) => ms.find((m) => m.name === n)!;
const sortMs = (ms: Mapping[]) => ms.sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));

/** A real capture, mutated, written back with the kernel-exact writer and read as check reads it. */
function mutated(entry: string, f: string, mut: (ms: Mapping[]) => Mapping[]): MapsBlock {
  const b = readCapture(readText(join(CORPUS, entry, f))).blocks[0];
  const ms = sortMs(mut(b.mappings.map((m) => ({ ...m }))));
  return readCapture(ms.map((m) => formatMapping(m, { kernelBits: b.kernelBits! })).join('\n') + '\n', { keep: keepForCheck }).blocks[0];
}

const MIPS = 'mips64el-6.1.0-50-5kc-malta';
const LOONG = 'loong64-7.2.13+deb14-loong64';
const X86 = AMD64_ENTRY;
const mipsArch: CheckContext['arch'] = { family: 'mips', kernelBits: 64, task: 'mips64' };

describe('compare honours the profile: shapes the kernel source says are real', () => {
  const P = 4096n;
  // arch/mips/kernel/vdso.c (4.4 .. 6.14): [vvar] = gic_size + PAGE_SIZE, gic_size = PAGE_SIZE
  // when mips_gic_present(); the base is cache-coloured (shm_align_mask), so the cluster can
  // sit with a gap below it. [vvar] and [vdso] stay adjacent.
  const withGic = (ms: Mapping[]) => { named(ms, '[vvar]').start -= P; return ms; };
  it('MIPS without a GIC: the 1-page [vvar] of the capture passes, with the image and with --kernel alone', () => {
    const b = mutated(MIPS, 'maps-pid1.txt', (ms) => ms);
    expect(errors(checkBlock(b, { input: 'm', image: image(MIPS, 'vdso-n64.so') }))).toEqual([]);
    expect(errors(checkBlock(b, { input: 'm', kernel: '6.1', kernelFrom: 'flag', arch: mipsArch }))).toEqual([]);
  });
  it('MIPS with a GIC: a 2-page [vvar] passes on the 4.4 .. 6.14 layout ({ oneOf: [1, 2] })', () => {
    const b = mutated(MIPS, 'maps-pid1.txt', withGic);
    const r = checkBlock(b, { input: 'm', image: image(MIPS, 'vdso-n64.so') });
    expect(errors(r), JSON.stringify(r.findings)).toEqual([]);
    expect(r.expected.find((l) => l.text.endsWith('[vvar]'))!.text).toBe(r.actual.find((l) => l.text.endsWith('[vvar]'))!.text);
    expect(errors(checkBlock(b, { input: 'm', kernel: '6.1', kernelFrom: 'flag', arch: mipsArch }))).toEqual([]);
    expect(errors(checkBlock(b, { input: 'm' }))).toEqual([]);
  });
  it('MIPS: a 3-page [vvar] is still a size finding, saying what the profile allows', () => {
    const b = mutated(MIPS, 'maps-pid1.txt', (ms) => { named(ms, '[vvar]').start -= 2n * P; return ms; });
    const r = checkBlock(b, { input: 'm', image: image(MIPS, 'vdso-n64.so') });
    expect(errors(r)).toEqual(['size']);
    expect(r.findings.find((f) => f.code === 'size')!.message).toMatch(/expected 1 or 2 pages/);
  });
  it('MIPS: a cache-colouring gap below the cluster passes; a gap between [vvar] and [vdso] does not', () => {
    // An anonymous mapping 3 pages below [vvar]: the colouring pad left unmapped.
    const below = mutated(MIPS, 'maps-pid1.txt', (ms) => { const v = named(ms, '[vvar]'); return [...ms, { ...v, start: v.start - 5n * P, end: v.start - 3n * P, perms: 'rw-p', name: undefined, rawName: undefined, kind: 'anonymous' }]; });
    expect(errors(checkBlock(below, { input: 'm', image: image(MIPS, 'vdso-n64.so') }))).toEqual([]);
    const inside = mutated(MIPS, 'maps-pid1.txt', (ms) => { const v = named(ms, '[vvar]'); v.start -= P; v.end -= P; return ms; });
    expect(errors(checkBlock(inside, { input: 'm', image: image(MIPS, 'vdso-n64.so') }))).toEqual(['gap']);
  });
  it('MIPS 6.15+: [gic] is optional, and a gap below [vvar] (between [gic] and [vvar]) is allowed', () => {
    // The 6.15 row: [gic] (optional) then [vvar] of VDSO_NR_PAGES, both with gapBelowAllowed.
    const row = PROFILES.mips.find((r) => r.regions.some((g) => g.role === 'gic'));
    if (!row) return; // the table has no MIPS row with a [gic] region: nothing to hold it to
    const vvarPages = BigInt(typeof row.regions.find((g) => g.role === 'data')!.pages === 'number' ? row.regions.find((g) => g.role === 'data')!.pages as number : 4);
    const shape = (gicGap: bigint | undefined) => mutated(MIPS, 'maps-pid1.txt', (ms) => {
      const v = named(ms, '[vvar]');
      v.start = v.end - vvarPages * P;
      if (gicGap === undefined) return ms;
      return [...ms, { ...v, start: v.start - gicGap - P, end: v.start - gicGap, name: '[gic]', rawName: '[gic]', kind: 'gic' }];
    });
    const ctx: CheckContext = { input: 'm', kernel: row.since, kernelFrom: 'flag', arch: mipsArch };
    expect(errors(checkBlock(shape(undefined), ctx))).toEqual([]);
    expect(errors(checkBlock(shape(0n), ctx))).toEqual([]);
    expect(errors(checkBlock(shape(3n * P), ctx))).toEqual([]);
  });
  it('loongarch: per-CPU data pages make [vvar] larger than the minimum; fewer than the minimum is a size finding', () => {
    const Q = 16384n;
    for (const extra of [1n, 2n, 4n]) {
      const b = mutated(LOONG, 'maps-pid1.txt', (ms) => { named(ms, '[vvar]').start -= extra * Q; return ms; });
      const r = checkBlock(b, { input: 'l', image: image(LOONG, 'vdso.so') });
      expect(errors(r), `+${extra}: ${JSON.stringify(r.findings)}`).toEqual([]);
      expect(errors(checkBlock(b, { input: 'l' }))).toEqual([]);
    }
    const small = mutated(LOONG, 'maps-pid1.txt', (ms) => { named(ms, '[vvar]').start += Q; return ms; });
    const r = checkBlock(small, { input: 'l', image: image(LOONG, 'vdso.so') });
    expect(errors(r)).toEqual(['size']);
    expect(r.findings.find((f) => f.code === 'size')!.message).toBe("[vvar] has 3 pages, expected 4 to 11 pages (NR_CPUS from 1 to Kconfig's bound at 16384-byte pages)");
    // Unknown, the range is Kconfig's: NR_CPUS 2048 at 16K pages is 3 + 8 pages, one more is none.
    const huge = mutated(LOONG, 'maps-pid1.txt', (ms) => { named(ms, '[vvar]').start -= 8n * Q; return ms; });
    expect(errors(checkBlock(huge, { input: 'l', image: image(LOONG, 'vdso.so') }))).toEqual(['size']);
  });
  it('loongarch: NR_CPUS known, [vvar] is exactly 3 + ceil(64 × NR_CPUS / PAGE_SIZE) pages (6.15+)', () => {
    const Q = 16384n;
    const grown = (pages: bigint) => mutated(LOONG, 'maps-pid1.txt', (ms) => { named(ms, '[vvar]').start -= pages * Q; return ms; });
    const vdso = image(LOONG, 'vdso.so');
    // Debian's NR_CPUS=64: one 16K page of records (the capture as it is); a page more is a regression.
    expect(errors(checkBlock(grown(0n), { input: 'l', image: vdso, nrCpus: 64 }))).toEqual([]);
    const r = checkBlock(grown(1n), { input: 'l', image: vdso, nrCpus: 64 });
    expect(errors(r)).toEqual(['size']);
    expect(r.findings.find((f) => f.code === 'size')!.message).toBe('[vvar] has 5 pages, expected 4 pages (NR_CPUS=64 at 16384-byte pages)');
    // 512 CPUs: 32K of records, two pages; 256 fit one (64 × 256 = 16K exactly).
    expect(errors(checkBlock(grown(1n), { input: 'l', image: vdso, nrCpus: 512 }))).toEqual([]);
    expect(errors(checkBlock(grown(0n), { input: 'l', image: vdso, nrCpus: 512 }))).toEqual(['size']);
    expect(errors(checkBlock(grown(0n), { input: 'l', image: vdso, nrCpus: 256 }))).toEqual([]);
    expect(errors(checkBlock(grown(0n), { input: 'l', image: vdso, nrCpus: 257 }))).toEqual(['size']);
    // Known, the warning that it was not pinned is gone; unknown, it is said.
    const said = (ctx: CheckContext) => checkBlock(grown(0n), ctx).findings.some((f) => f.message.includes('size not pinned'));
    expect(said({ input: 'l', image: vdso, nrCpus: 64 })).toBe(false);
    expect(said({ input: 'l', image: vdso })).toBe(true);
  });
});

describe('maps-only: the layout is chosen from the capture\'s evidence and structure', () => {
  const P = 4096n;
  it('a 6.1 x86_64 capture whose 4-page [vvar] has the wrong perms: perms, against a row with a 4-page [vvar]', () => {
    const b = mutated(X86, 'maps-pid1.txt', (ms) => { named(ms, '[vvar]').perms = 'rw-p'; return ms; });
    const r = checkBlock(b, { input: 'x' });
    expect(errors(r)).toEqual(['perms']);
    const row = Object.values(PROFILES).flat().find((x) => x.id === r.profile)!;
    expect(row.regions.find((g) => g.name === '[vvar]')?.pages).toBe(4);
  });
  it('a shifted [vvar]: gap (hole below [vdso]) or order (on the other side)', () => {
    const gap = mutated(X86, 'maps-pid1.txt', (ms) => { const v = named(ms, '[vvar]'); v.start -= P; v.end -= P; return ms; });
    expect(errors(checkBlock(gap, { input: 'x' }))).toEqual(['gap']);
    const above = mutated(X86, 'maps-pid1.txt', (ms) => { const v = named(ms, '[vvar]'); const d = named(ms, '[vdso]'); const n = v.end - v.start; v.start = d.end; v.end = d.end + n; return ms; });
    const r = checkBlock(above, { input: 'x' });
    expect(errors(r)).toEqual(['order']);
    expect(r.findings.find((f) => f.code === 'order')!.message).toMatch(/\[vvar\] is above \[vdso\]; the kernel puts it below/);
  });
  it('samples/broken/ppc64-2020-unnamed-vdso.maps.txt: powerpc at 64K pages (64K boundaries, busybox at the ppc64 load address)', () => {
    const cap = readCapture(readText(join(ROOT, 'samples/broken/ppc64-2020-unnamed-vdso.maps.txt')), { keep: keepForCheck, file: 'ppc' });
    const ev = familyEvidence(cap.blocks[0]);
    expect(ev.families).toEqual(['powerpc']);
    expect(ev.granularity % 65536n).toBe(0n);
    const [r] = checkCapture(cap, {});
    expect(r.profile).toMatch(/^powerpc-/);
    expect(r.pageSize).toBe(65536n);
    expect(errors(r)).toEqual(['vdso-unnamed']);
    expect(r.notes.join('\n')).toMatch(/arch powerpc, from the capture: .*the executable at 0x10000000/);
  });
  it('library paths with a triplet pin the family; [vsyscall] or [vvar_vclock] pin x86; addresses above 2^47 rule out x86', () => {
    const dyn = readCapture(readText(join(CORPUS, 'arm64-6.1.0-56-arm64', 'maps-dyn.txt')), { keep: keepForCheck }).blocks[0];
    expect(familyEvidence(dyn).families).toEqual(['arm64']);
    const st = readCapture(readText(join(CORPUS, 'arm64-6.1.0-56-arm64', 'maps-pid1.txt')), { keep: keepForCheck }).blocks[0];
    expect(familyEvidence(st).families).toEqual(['arm64']);
    const x = readCapture(readText(join(CORPUS, 'amd64-7.2.13+deb14-amd64', 'maps-pid1.txt')), { keep: keepForCheck }).blocks[0];
    expect(familyEvidence(x).families).toEqual(['x86']);
    const v = readCapture(readText(join(CORPUS, 'amd64-5.10.0-46-amd64+vsyscall=emulate', 'maps-pid1.txt')), { keep: keepForCheck }).blocks[0];
    expect(familyEvidence(v).families).toEqual(['x86']);
  });
  it('an unknown arch (only the cluster lines) says so, and the diagnosis is still perms', () => {
    const b = mutated(X86, 'maps-pid1.txt', (ms) => ms.filter((m) => m.name === '[vvar]' || m.name === '[vdso]').map((m) => (m.name === '[vvar]' ? { ...m, perms: 'rw-p' } : m)));
    const r = checkBlock(b, { input: 'x' });
    expect(r.notes.join('\n')).toMatch(/arch unknown/);
    expect(errors(r)).toEqual(['perms']);
  });
  it('a same-side swap names the pair: [vvar_vclock] and [vvar] swapped', () => {
    const b = mutated('amd64-7.2.13+deb14-amd64', 'maps-pid1.txt', (ms) => {
      const v = named(ms, '[vvar]'); const c = named(ms, '[vvar_vclock]');
      const lo = v.start; const cn = c.end - c.start;
      c.start = lo; c.end = lo + cn; v.start = c.end; v.end = named(ms, '[vdso]').start;
      return ms;
    });
    for (const ctx of [{ input: 'x', image: image('amd64-7.2.13+deb14-amd64', 'vdso64.so') }, { input: 'x' }]) {
      const r = checkBlock(b, ctx);
      expect(errors(r)).toContain('order');
      expect(r.findings.find((f) => f.code === 'order')!.message).toMatch(/^\[vvar_vclock\] and \[vvar\] are swapped: the kernel puts \[vvar\] below \[vvar_vclock\]/);
    }
  });
});

describe('the version-selected row fails but another built-in row fits: said, never passed', () => {
  it('the x86 6.13 split checked as 6.1: fails, and names the row that fits with --profile', () => {
    const cap = readCapture(readText(join(ROOT, 'samples/broken/x86-6.13-vvar-vclock-split.maps.txt')), { keep: keepForCheck, file: 'x' });
    const [r] = checkCapture(cap, { image: image(X86, 'vdso64.so') });
    expect(r.verdict).toBe('fail');
    const note = r.notes.find((n) => n.includes('--profile'));
    expect(note).toBeDefined();
    const id = /--profile (\S+)/.exec(note!)![1];
    const row = PROFILES.x86.find((x) => x.id === id)!;
    // …and that row really passes it.
    expect(errors(checkBlock(cap.blocks[0], { input: 'x', image: image(X86, 'vdso64.so'), profile: row }))).toEqual([]);
  });
  it('a passing capture gets no such note', () => {
    const cap = readCapture(readText(join(CORPUS, X86, 'maps-pid1.txt')), { keep: keepForCheck, file: 'x' });
    const [r] = checkCapture(cap, { image: image(X86, 'vdso64.so') });
    expect(r.verdict).toBe('pass');
    expect(r.notes.some((n) => n.includes('--profile'))).toBe(false);
  });
});

describe('reader evidence (MapsBlock.evidence) is the same on the string and the byte path', () => {
  it('boundary bits, triplets and the first file start, for every corpus capture of the table', async () => {
    const { readCaptureStream } = await import('../src/capture/index.js');
    const { CAPTURES } = await import('./corpus-table.js');
    for (const c of CAPTURES) {
      const text = readText(join(CORPUS, c.entry, c.maps));
      const a = readCapture(text, { keep: keepForCheck }).blocks[0].evidence;
      async function* bytes() { yield Buffer.from(text, 'latin1'); }
      const b = (await readCaptureStream(bytes(), { keep: keepForCheck })).blocks[0].evidence;
      expect(b).toEqual(a);
      const starts = text.split('\n').filter((l) => /^[0-9a-f]+-/.test(l)).flatMap((l) => l.split(' ')[0].split('-').map((h) => Number(BigInt('0x' + h) & 0x3ffffn)));
      expect(a.boundaryBits).toBe(starts.reduce((x, y) => x | y, 0));
      const file = text.split('\n').find((l) => / \/\S/.test(l));
      expect(a.firstFileStart).toBe(file ? BigInt('0x' + file.split('-')[0]) : undefined);
    }
  });
});

describe('the keep filter derives from the cluster definition', () => {
  it('both data vmas of x86 7.2 unnamed: each is vvar-unnamed, with the image and from the bare maps file', () => {
    const e = 'amd64-7.2.13+deb14-amd64';
    const b = mutated(e, 'maps-pid1.txt', (ms) => ms.map((m) => (m.kind === 'vvar' || m.kind === 'vvar_vclock' ? { ...m, name: undefined, rawName: undefined, kind: 'anonymous' } : m)));
    for (const ctx of [{ input: 'x', image: image(e, 'vdso64.so') }, { input: 'x' }]) {
      const r = checkBlock(b, ctx);
      expect(r.findings.filter((f) => f.code === 'vvar-unnamed').length).toBe(2);
      expect(errors(r)).toEqual(['vvar-unnamed']);
    }
  });
});

describe('inputs are resolved in the core (src/check/inputs.ts)', () => {
  it('a console log: each maps-X block is paired with its auxv-X dump, and the uname gives version and arch', () => {
    const cap = readCapture(readText(join(CORPUS, X86, 'console.log')), { keep: keepForCheck, file: 'console.log' });
    const results = checkCapture(cap, {});
    expect(results.length).toBe(cap.blocks.length);
    for (const r of results) {
      expect(r.verdict, `${r.label}: ${JSON.stringify(r.findings)}`).toBe('pass');
      const paired = cap.auxvBlocks.some((a) => r.label?.startsWith('maps-') && a.label === `auxv-${r.label.slice(5)}`);
      expect(r.anchoredBy).toBe(paired ? 'auxv' : 'name');
      expect(r.kernelVersion).toBe(kernelOf(cap.kernelMarks, cap.blocks[0].firstLine).release);
      expect(r.notes.some((n) => n.startsWith('arch unknown'))).toBe(false); // uname -m decided it
    }
  });
  it('a reader clean-up is a note on the block it happened in', () => {
    const text = readText(join(CORPUS, X86, 'maps-pid1.txt')).split('\n').map((l, i) => (i === 2 ? `${l}\r` : l)).join('\n');
    const [r] = checkCapture(readCapture(text, { keep: keepForCheck, file: 'crlf' }), {});
    expect(r.notes.some((n) => /^line 3: CRLF line endings removed/.test(n))).toBe(true);
  });
});
