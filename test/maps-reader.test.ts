// The capture reader as a streaming machine: per-block evidence, chunk boundaries, the byte fast
// path against the string path, bounded retention for huge captures, hostile bytes.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseMapsLine } from '../src/maps/line.js';
import { readCapture } from '../src/maps/capture.js';
import { CORPUS, corpusEntries, corpusPageSizes, filesIn, readText } from './helpers.js';

const mapsFiles = (): Array<[string, string]> => corpusEntries().flatMap((e) => filesIn(e, /^maps-.*\.txt$/).map((f): [string, string] => [e, f]));

describe('block evidence (page granularity, arch triplets, load address)', () => {
  const pages = corpusPageSizes();
  for (const [e, f] of mapsFiles()) {
    it(`${e}/${f}`, () => {
      const text = readText(join(CORPUS, e, f));
      const lines = text.split('\n').filter((l) => l !== '');
      const ms = lines.map((l) => parseMapsLine(l)!.mapping);
      const cap = readCapture(text);
      expect(cap.blocks).toHaveLength(1);
      const ev = cap.blocks[0].evidence;
      // Recomputed independently, in bigint, from the fully parsed lines.
      const bits = ms.reduce((acc, m) => acc | (m.start & 0x3ffffn) | (m.end & 0x3ffffn), 0n);
      expect(ev.boundaryBits).toBe(Number(bits));
      if (pages[e] !== undefined) expect(BigInt(ev.boundaryBits) & (pages[e] - 1n)).toBe(0n); // every vma is whole pages
      const segs = new Set(ms.flatMap((m) => (m.name?.startsWith('/') ? m.name.split('/').slice(1, -1) : [])).filter((s) => /^[a-z0-9_]+-linux-[a-z0-9_]+$/.test(s)));
      expect(new Set(ev.triplets)).toEqual(new Set([...segs].slice(0, 4)));
      expect(ev.firstFileStart).toBe(ms.find((m) => m.kind === 'file')?.start);
    });
  }
  it('the same evidence with a keep filter (lines not kept still count)', () => {
    const text = readText(join(CORPUS, 'arm64-6.1.0-56-arm64', 'maps-dyn.txt'));
    const all = readCapture(text).blocks[0];
    const few = readCapture(text, { keep: (m) => m.kind === 'vdso' }).blocks[0];
    expect(few.mappings.length).toBeLessThan(all.mappings.length);
    expect(few.evidence).toEqual(all.evidence);
    expect(all.evidence.triplets).toEqual(['aarch64-linux-gnu']);
  });
});
