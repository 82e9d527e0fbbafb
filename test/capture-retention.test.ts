// The keep rule (src/capture/retention.ts): asked once per kind and perms, so the reader's
// JavaScript paths and the WebAssembly scanner decide every line from the same answers.
import { describe, expect, it } from 'vitest';
import { CaptureReader, readCapture, type ReaderOptions } from '../src/capture/index.js';
import { generateMaps } from '../bench/gen-maps.mjs';

async function generated(lines: number, mode: string): Promise<Buffer> {
  const parts: string[] = [];
  await generateMaps(lines, mode, { write: (s: string) => { parts.push(s); return true; }, once: () => undefined });
  return Buffer.from(parts.join(''), 'latin1');
}

describe('keep rule', () => {
  it('is asked once per kind and perms, however many lines there are', async () => {
    const bytes = await generated(20_000, 'libs');
    for (const scanner of ['js', 'always-wasm'] as const) {
      const asked = new Set<string>();
      let calls = 0;
      const keep: ReaderOptions['keep'] = (l) => { calls++; asked.add(`${l.kind} ${l.perms}`); return l.kind !== 'anonymous' && l.kind !== 'file' || l.perms[2] === 'x' && l.kind === 'anonymous'; };
      const r = new CaptureReader({ keep, scanner });
      r.writeBytes(bytes);
      const cap = r.end();
      expect(cap.blocks[0].total).toBeGreaterThan(19_000);
      expect(calls, scanner).toBe(asked.size);
      expect(calls, scanner).toBeLessThan(60);
    }
  });

  it('a rule that would answer two ways for the same kind and perms answers once (its first answer)', () => {
    let flip = true; // first answer: false
    const keep: ReaderOptions['keep'] = (l) => (l.kind === 'anonymous' ? (flip = !flip) : true);
    const text = ['1000-2000 r-xp 00000000 00:00 0 ', '3000-4000 r-xp 00000000 00:00 0 ', '5000-6000 r-xp 00000000 00:00 0 '].join('\n') + '\n';
    const cap = readCapture(text, { keep });
    expect(cap.blocks[0].mappings).toEqual([]); // asked each time, it would keep the second and its neighbours
  });

  it('perms Linux does not print still ask the rule (string path)', () => {
    const seen: string[] = [];
    readCapture('1000-2000 rwxq 00000000 00:00 0 \n3000-4000 rwxq 00000000 00:00 0 \n', { keep: (l) => { seen.push(l.perms); return true; } });
    expect(seen).toEqual(['rwxq', 'rwxq']);
  });
});
