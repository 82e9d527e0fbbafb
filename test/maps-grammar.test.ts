// One maps-line grammar (src/capture/maps-line.ts MAPS_LINE) and the paths that read it: the
// string path (console clean-up, then MAPS_LINE), the JavaScript byte path (fastLine) and the
// WebAssembly scanner (scan.wat). Each edge line of the shared table must read the same on all
// of them, and as parseMapsLine decodes it.
import { describe, expect, it } from 'vitest';
import { CaptureReader, readCapture, type ReaderOptions } from '../src/capture/index.js';
import { MAPS_LINE, parseMapsLine } from '../src/capture/maps-line.js';
import type { Capture } from '../src/model/capture.js';
import { GRAMMAR_EDGES } from './maps-grammar-cases.js';

const snapshot = (cap: Capture): string => JSON.stringify(cap, (_, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v));
const HEAD = '7ffd84f40000-7ffd84f42000 r--p 00000000 00:00 0 ';

function viaBytes(text: string, scanner: ReaderOptions['scanner'], keep?: ReaderOptions['keep']): Capture {
  const r = new CaptureReader({ scanner, keep });
  r.writeBytes(Buffer.from(text, 'latin1'));
  return r.end();
}

describe('the maps-line grammar, one definition', () => {
  it('the grammar table covers what it must: widths, spacing, near misses', () => {
    const accepted = GRAMMAR_EDGES.filter((l) => parseMapsLine(l) !== undefined);
    // Not vacuous either way: both kinds are in the table.
    expect(accepted.length).toBeGreaterThan(20);
    expect(GRAMMAR_EDGES.length - accepted.length).toBeGreaterThan(10);
    expect(parseMapsLine('7ffd84f44000-7ffd84f46000 r-xp 00000000 fe:00 12a4 /usr/lib/a.so')).toBeUndefined(); // inode glued to text
    expect(parseMapsLine('7ffd84f44000-7ffd84f46000 r-xp 00000000 00:00 0')?.mapping.noTrailingSpace).toBe(true);
    expect(MAPS_LINE.exec('1-2 r-xp 3 4:5 6:7  /a b')?.slice(1)).toEqual(['1', '2', 'r-xp', '3', '4', '5', '6', '  ', '/a b']);
  });

  it('every edge line reads the same as text, as bytes in JavaScript, and as bytes through WebAssembly', () => {
    for (const line of GRAMMAR_EDGES) {
      const text = `${HEAD}\n${line}\n${HEAD.replace('7ffd84f40000-7ffd84f42000', '7ffd84f48000-7ffd84f4a000')}\n`;
      const asText = snapshot(readCapture(text));
      expect(snapshot(viaBytes(text, 'js')), JSON.stringify(line)).toBe(asText);
      // The scanner runs only under a keep rule: compare it with the JavaScript byte path under one.
      const keep: ReaderOptions['keep'] = (l) => l.kind !== 'anonymous' || l.perms[2] === 'x';
      expect(snapshot(viaBytes(text, 'always-wasm', keep)), JSON.stringify(line)).toBe(snapshot(viaBytes(text, 'js', keep)));
    }
  });

  it('a clean line the grammar accepts is decoded as parseMapsLine decodes it, on every path', () => {
    let checked = 0;
    for (const line of GRAMMAR_EDGES) {
      const parsed = parseMapsLine(line, 1);
      if (!parsed) continue;
      for (const cap of [readCapture(`${line}\n`), viaBytes(`${line}\n`, 'js')]) {
        expect(cap.blocks.map((b) => b.mappings), JSON.stringify(line)).toEqual([[parsed.mapping]]);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });
});
