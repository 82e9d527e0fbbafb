// mappingFromBytes (src/capture/maps-line.ts) builds a kept line's Mapping from its bytes, where
// the byte path already read it: it must be exactly parseMapsLine's Mapping, field for field and
// in the same key order (one object shape for V8), or undefined so that the caller parses the text.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mappingFromBytes, parseMapsLine } from '../src/capture/maps-line.js';
import { GRAMMAR_EDGES } from './maps-grammar-cases.js';

const samples = join(__dirname, '..', 'samples');

/** The lines of every .txt under samples/ (dir relative to it). */
function sampleLines(dir: string): string[] {
  return readdirSync(join(samples, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.txt'))
    .flatMap((f) => readFileSync(join(samples, dir, f), 'latin1').split('\n'));
}

/** The line's bytes with text around it, as a reader's buffer holds it. */
function atOffset(line: string): { b: Buffer; s: number } {
  const before = 'x\n';
  return { b: Buffer.from(`${before}${line}\nnext line\n`, 'latin1'), s: before.length };
}

function agree(line: string): 'bytes' | 'text' {
  const { b, s } = atOffset(line);
  const fromBytes = mappingFromBytes(b, s, 7);
  const parsed = parseMapsLine(line, 7)?.mapping;
  if (fromBytes === undefined) return 'text';
  expect(parsed, JSON.stringify(line)).toBeDefined();
  expect(fromBytes, JSON.stringify(line)).toStrictEqual(parsed);
  expect(Object.keys(fromBytes), JSON.stringify(line)).toEqual(Object.keys(parsed!));
  return 'bytes';
}

describe('mappingFromBytes: parseMapsLine, from the bytes', () => {
  it('every maps line the corpus kernels printed reads the same from its bytes', () => {
    const lines = readdirSync(join(samples, 'corpus')).filter((d) => !d.endsWith('.md'))
      .flatMap((d) => readdirSync(join(samples, 'corpus', d)).filter((f) => /^maps-.*\.txt$/.test(f)).map((f) => join('corpus', d, f)))
      .flatMap((f) => readFileSync(join(samples, f), 'latin1').split('\n').filter((l) => l !== ''));
    expect(lines.length).toBeGreaterThan(900);
    // Every one is a line the byte path reads, and reads as the parser does.
    expect(lines.map(agree).filter((w) => w === 'text')).toEqual([]);
  });

  it('every line of every sample (pastes, consoles, edited captures) that parses, parses the same', () => {
    const lines = sampleLines('.').filter((l) => parseMapsLine(l) !== undefined);
    expect(lines.length).toBeGreaterThan(1500);
    expect(lines.map(agree).filter((w) => w === 'bytes').length).toBeGreaterThan(1500);
  });

  it('the grammar table: the same Mapping, or left to the text parser', () => {
    const ways = GRAMMAR_EDGES.map(agree);
    expect(ways.filter((w) => w === 'bytes').length).toBeGreaterThan(15);
    expect(ways.filter((w) => w === 'text').length).toBeGreaterThan(10);
  });

  it('fields wider than a double holds exactly go to the text parser', () => {
    const wide = [
      '7ffd84f44000-7ffd84f46000 r-xp 00000000 fe:00 1234567890123456 /usr/lib/a.so', // 16-digit inode
      '7ffd84f44000-7ffd84f46000 r-xp 12345678901234 fe:00 1 /usr/lib/a.so', // 14-digit offset
      '7ffd84f44000-7ffd84f46000 r-xp 00000000 12345678901234:00 1 /usr/lib/a.so', // 14-digit major
    ];
    for (const line of wide) {
      expect(parseMapsLine(line), line).toBeDefined();
      expect(agree(line), line).toBe('text');
    }
    // Just inside: 13 hex digits, 15 decimal ones; addresses of any width the byte path reads.
    expect(agree('7ffd84f44000-7ffd84f46000 r-xp 1234567890123 fe:00 123456789012345 /usr/lib/a.so')).toBe('bytes');
    expect(agree('ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]')).toBe('bytes');
    expect(agree('0000ffff84f44000-0000ffff84f46000 r-xp 00000000 00:00 0 ')).toBe('bytes');
  });

  it('names: escapes decoded, " (deleted)" flagged, the name column kept', () => {
    const { b, s } = atOffset('7f0000000000-7f0000001000 r-xp 00001000 08:01 42                         /tmp/a\\012b (deleted)');
    const m = mappingFromBytes(b, s, 3)!;
    expect(m.name).toBe('/tmp/a\nb (deleted)');
    expect(m.rawName).toBe('/tmp/a\\012b (deleted)');
    expect(m.deleted).toBe(true);
    expect(m.nameColumn).toBe(73);
    expect(m.kind).toBe('file');
    expect(m).toStrictEqual(parseMapsLine('7f0000000000-7f0000001000 r-xp 00001000 08:01 42                         /tmp/a\\012b (deleted)', 3)!.mapping);
  });
});
