// Finding-code parity: the same mutation of a real capture, judged with its image + kernel
// version and judged from the bare maps file (no image, no version, no arch), gives the same
// finding codes, for every family's sample captures. The one principled exception: a mutation
// that turns the capture into another era's real shape (a 3-page x86 [vvar] is 3.16..5.5, no
// [vvar] at all is pre-3.16) can only be told apart by the version; the bare check then passes
// against that era's row and says the version is unknown, never silently.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseVdsoImage, type VdsoImage } from '../src/elf/index.js';
import { readCapture } from '../src/capture/reader.js';
import { formatMapping } from '../src/capture/maps-line.js';
import { checkBlock, keepForCheck } from '../src/check/pipeline.js';
import type { CheckResult } from '../src/check/findings.js';
import { PROFILES } from '../src/layout/profiles/index.js';
import { CORPUS, corpusPageSizes, readBytes, readText } from './helpers.js';
import { CAPTURES } from './corpus-table.js';
import type { MapsBlock } from '../src/model/capture.js';
import type { Mapping } from '../src/model/maps.js';

const image = (entry: string, f: string): VdsoImage => { const r = parseVdsoImage(readBytes(join(CORPUS, entry, f))); if (!r.ok) throw r.error; return r.value; };
const codes = (r: CheckResult) => [...new Set(r.findings.filter((f) => f.severity === 'error').map((f) => f.code))].sort();
const sortMs = (ms: Mapping[]) => ms.sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
const unname = (m: Mapping): Mapping => ({ ...m, name: undefined, rawName: undefined, kind: 'anonymous' });
const DATA = new Set(['vvar', 'vvar_vclock', 'gic']);

interface Shape { ms: Mapping[]; text: Mapping; below: Mapping[]; above: Mapping[]; page: bigint }
type Mutation = { name: string; code: string; applies: (s: Shape) => boolean; apply: (s: Shape) => Mapping[] };

/** Data regions contiguous with the text, nearest first, on each side. */
function shapeOf(ms: Mapping[], page: bigint): Shape | undefined {
  const text = ms.find((m) => m.kind === 'vdso');
  if (!text) return undefined;
  const i = ms.indexOf(text);
  const below: Mapping[] = []; const above: Mapping[] = [];
  for (let k = i - 1; k >= 0 && DATA.has(ms[k].kind) && ms[k].end === ms[k + 1].start; k--) below.push(ms[k]);
  for (let k = i + 1; k < ms.length && DATA.has(ms[k].kind) && ms[k].start === ms[k - 1].end; k++) above.push(ms[k]);
  return { ms, text, below, above, page };
}
const lowest = (s: Shape) => [s.text, ...s.below].reduce((a, m) => (m.start < a ? m.start : a), s.text.start);
const near = (s: Shape) => s.below[0] ?? s.above[0];
const isBelow = (s: Shape) => s.below.length > 0;

// Codes not here need what a bare maps file cannot hold: auxv-base (an aux vector), image-size
// and image-mismatch (an image); overlap is the reader's own diagnostic on a real capture.
const MUTATIONS: Mutation[] = [
  { name: 'text and its data swapped', code: 'order', applies: (s) => Boolean(near(s)), apply: (s) => {
    const d = near(s); const t = s.text; const tl = t.end - t.start; const dl = d.end - d.start;
    if (isBelow(s)) { const st = d.start; t.start = st; t.end = st + tl; d.start = t.end; d.end = d.start + dl; }
    else { const st = t.start; d.start = st; d.end = st + dl; t.start = d.end; t.end = t.start + tl; }
    return s.ms;
  } },
  { name: 'data one page bigger', code: 'size', applies: (s) => Boolean(near(s)), apply: (s) => { const d = near(s); if (isBelow(s)) d.start -= s.page; else d.end += s.page; return s.ms; } },
  { name: 'data one page smaller', code: 'size', applies: (s) => Boolean(near(s)) && near(s).end - near(s).start > s.page, apply: (s) => { const d = near(s); if (isBelow(s)) d.start += s.page; else d.end -= s.page; return s.ms; } },
  { name: 'data writable', code: 'perms', applies: (s) => Boolean(near(s)), apply: (s) => { near(s).perms = 'rw-p'; return s.ms; } },
  { name: 'text writable', code: 'perms', applies: () => true, apply: (s) => { s.text.perms = 'rwxp'; return s.ms; } },
  { name: 'a hole between text and data', code: 'gap', applies: (s) => Boolean(near(s)), apply: (s) => {
    for (const d of isBelow(s) ? s.below : s.above) { const by = isBelow(s) ? -s.page : s.page; d.start += by; d.end += by; }
    return s.ms;
  } },
  { name: 'text unnamed', code: 'vdso-unnamed', applies: () => true, apply: (s) => s.ms.map((m) => (m === s.text ? unname(m) : m)) },
  { name: 'data unnamed', code: 'vvar-unnamed', applies: (s) => Boolean(near(s)), apply: (s) => s.ms.map((m) => (m === near(s) ? unname(m) : m)) },
  { name: 'a second [vdso]', code: 'duplicate', applies: () => true, apply: (s) => {
    const len = s.text.end - s.text.start;
    // The first hole of room enough, far from the cluster.
    for (let k = 1; k < s.ms.length; k++) {
      const lo = s.ms[k - 1].end + 16n * s.page; const hi = s.ms[k].start - 16n * s.page;
      const far = lo > s.text.end + 0x100000n || hi < s.text.start - 0x100000n;
      if (hi - lo >= len && far) return [...s.ms, { ...s.text, start: lo, end: lo + len }];
    }
    return [...s.ms, { ...s.text, start: s.text.end + 0x1000000n, end: s.text.end + 0x1000000n + len }];
  } },
  { name: 'text split in two vmas', code: 'split', applies: (s) => s.text.end - s.text.start >= 2n * s.page, apply: (s) => {
    const t = s.text; return [...s.ms.filter((m) => m !== t), { ...t, end: t.start + s.page }, { ...t, start: t.start + s.page }];
  } },
  { name: 'an unknown special mapping next to the cluster', code: 'unexpected', applies: (s) => !s.ms.some((m) => m.end > lowest(s) - s.page && m.start < lowest(s)), apply: (s) => {
    const lo = lowest(s);
    return [...s.ms, { ...s.text, start: lo - s.page, end: lo, perms: 'r--p', name: '[vvar_extra]', rawName: '[vvar_extra]', kind: 'special' }];
  } },
  { name: 'a fixed neighbour moved', code: 'neighbour', applies: (s) => s.ms.some((m) => m.kind === 'vsyscall' || m.kind === 'vectors'), apply: (s) => {
    const n = s.ms.find((m) => m.kind === 'vsyscall' || m.kind === 'vectors')!; n.start -= s.page; n.end -= s.page; return s.ms;
  } },
  { name: 'no text at all', code: 'vdso-missing', applies: (s) => !s.ms.some((m) => m.kind === 'anonymous' && m.perms[2] === 'x'), apply: (s) => s.ms.filter((m) => m !== s.text) },
  { name: 'data missing', code: 'vvar-missing', applies: (s) => Boolean(near(s)), apply: (s) => s.ms.filter((m) => !DATA.has(m.kind)) },
];

/**
 * The mutations that turn a capture into another era's real shape, and the row the bare check then
 * passes against, written down from the profile table rather than from the run (e.g. x86's [vvar]
 * is one page smaller in 4.11..5.5 and absent before 3.16, before 3.15 for 32-bit tasks): a new pair is a parity loss to look at.
 */
const ERA_SHAPES = [
  // (Not x86-2.6: a 32-bit task's [vdso] of 2 pages is no 2.6-era one, which was one page.)
  'data missing -> powerpc-2.6.18', 'data missing -> riscv-4.15', 'data missing -> s390-5.3', 'data missing -> x86-3.15',
  'data one page bigger -> powerpc-6.13',
  'data one page smaller -> arm64-5.8', 'data one page smaller -> loongarch-6.12', 'data one page smaller -> powerpc-5.12.3-stable',
  'data one page smaller -> powerpc-6.13', 'data one page smaller -> x86-4.11',
];

const PAGES = corpusPageSizes();
const versionOf = (entry: string) => /^Linux \S+ (\S+)/.exec(readText(join(CORPUS, entry, 'uname.txt')))![1];
const rowOf = (id: string | undefined) => Object.values(PROFILES).flat().find((r) => r.id === id);

describe('finding-code parity: image + kernel and the bare maps file give the same codes', () => {
  const exceptions: string[] = [];
  for (const c of CAPTURES) {
    const page = PAGES[c.entry];
    if (page === undefined) continue;
    const raw = readCapture(readText(join(CORPUS, c.entry, c.maps))).blocks[0];
    for (const mut of MUTATIONS) {
      const shape = shapeOf(raw.mappings.map((m) => ({ ...m })), page);
      if (!shape || !mut.applies(shape)) continue;
      it(`${c.entry}/${c.maps}: ${mut.name} → ${mut.code}`, () => {
        const ms = sortMs(mut.apply(shape));
        const text = ms.map((m) => formatMapping(m, { kernelBits: raw.kernelBits! })).join('\n') + '\n';
        const b: MapsBlock = readCapture(text, { keep: keepForCheck }).blocks[0];
        const full = checkBlock(b, { input: 'm', image: image(c.entry, c.image), kernel: versionOf(c.entry), kernelFrom: 'flag' });
        const bare = checkBlock(b, { input: 'm' });
        if (codes(full).length === 0) {
          // The profile allows it (MIPS GIC page, loongarch per-CPU pages): both modes pass.
          const region = rowOf(full.profile)!.regions.find((g) => g.role !== 'text' && g.pages !== undefined && typeof g.pages !== 'number');
          expect(region, `${mut.name} passed with the image but no region of ${full.profile} has a range`).toBeDefined();
          expect(codes(bare)).toEqual([]);
          return;
        }
        expect(codes(full), JSON.stringify(full.findings)).toContain(mut.code);
        if (codes(bare).length === 0 && bare.profile !== full.profile) {
          // Another era's real shape: the bare check passes against that row, says the version is
          // unknown, and that row is of the same family.
          expect(rowOf(bare.profile)?.family).toBe(rowOf(full.profile)?.family);
          expect(bare.findings.some((f) => f.code === 'not-checked' && /kernel version unknown/.test(f.message))).toBe(true);
          // …and what the newest layout of the family finds is said, with how to decide.
          expect(bare.notes.join('\n')).toMatch(new RegExp(`has the shape of ${bare.profile} .*on a newer kernel it is wrong .*${mut.code}.*give --kernel to decide`));
          exceptions.push(`${c.entry}/${c.maps}: ${mut.name} -> ${bare.profile}`);
          return;
        }
        expect(codes(bare), `bare (${bare.profile}): ${JSON.stringify(bare.findings)}\nnotes: ${bare.notes.join(' | ')}`).toEqual(codes(full));
      });
    }
  }
  it('the era-shape exceptions are exactly the known mutation -> row pairs', () => {
    if (process.env.PARITY_DEBUG) console.log(exceptions.join('\n'));
    expect([...new Set(exceptions.map((e) => e.split(': ').pop()))].sort()).toEqual(ERA_SHAPES);
  });
});
