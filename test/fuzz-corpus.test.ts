// The fuzz findings of issue 18 (test/fuzz/corpus.mjs) on every `npm test`, in-process over src/:
// each must end in its right outcome with its work bounded by counts (bytes decoded, decoder runs,
// bytes and blocks kept, chunks fed). Generated inputs are scaled down here; `npm run fuzz` runs
// them at full size. Two cases also go through the CLI: one clean line on stderr, exit 2.
import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: plain ES modules shared with the runner (no types)
import { loadApi } from './fuzz/core.mjs';
// @ts-expect-error: plain ES module shared with the runner (no types)
import { CASES, CORPUS_DIR, runCase } from './fuzz/corpus.mjs';
import { cli } from './helpers.js';

interface Case { id: string; name: string; kind: string }

describe('fuzz corpus (issue 18 findings): right outcome, work bounded by counts', async () => {
  const api = await loadApi('src');
  const tmp = join(tmpdir(), `vl-fuzz-corpus-${process.pid}`);
  for (const c of CASES as Case[]) {
    it(`${c.id} ${c.name}`, async () => {
      const measured = await runCase(api, c, 'sample', tmp);
      expect(measured).toBeTypeOf('object');
    });
  }
  it('every finding of the issue has a case (X1-X8, X13, X14; X9-X12 are tested where their code is)', () => {
    expect([...new Set((CASES as Case[]).map((c) => c.id))].sort()).toEqual(['X1', 'X13', 'X14', 'X2', 'X3', 'X4', 'X5', 'X6', 'X7', 'X8']);
  });
});

describe('fuzz corpus through the CLI: one line, exit 2', () => {
  it('an xz bomb is refused before decoding, naming the budget', () => {
    const f = join(CORPUS_DIR, 'xz-bomb-512MiB-crc32.xz');
    const r = cli(['extract', f]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(`vdso-layout: ${f}: no vDSO found; the xz payload could not be decoded (xz: the stream says it decompresses to 512 MiB; a 76.4 KiB kernel file holds at most 18.4 MiB (32x its size + 16 MiB, all its payloads together) (not decoded)) at offset 0x0\n`);
  });
  it('an xz index liblzma rejects is rejected', () => {
    const f = join(CORPUS_DIR, 'xz-index-0records.xz');
    const r = cli(['extract', f]);
    expect([r.code, r.stderr]).toEqual([2, `vdso-layout: ${f}: no vDSO found; the xz payload could not be decoded (xz: the index lists 0 blocks, the stream has 1) at offset 0x0\n`]);
  });
});

describe('the bounds at their edge (counts, no clock)', async () => {
  const capture = await import('../src/capture/index.js');
  const { crc64, unxz } = await import('../src/extract/xz.js');
  const { readFileSync } = await import('node:fs');
  const blocks = (n: number) => '7ffc6bbe2000-7ffc6bbe4000 r-xp 00000000 00:00 0 [vdso]\n\n'.repeat(n);
  it(`${capture.MAX_PROCESSES} processes are read; one more is refused from the line where it starts`, () => {
    expect(capture.readCapture(blocks(capture.MAX_PROCESSES)).tooManyProcesses).toBeUndefined();
    const over = capture.readCapture(blocks(capture.MAX_PROCESSES + 1));
    expect(over.blocks).toHaveLength(capture.MAX_PROCESSES);
    expect(over.tooManyProcesses).toEqual({ line: 2 * capture.MAX_PROCESSES + 1, what: 'maps blocks' });
  });
  it('an aux-vector dump of 64 KiB is kept, one line more is not', () => {
    const line = '0000000 0000000000000021 00007ffc6bbe2000'; // 41 characters + newline
    const n = Math.floor(capture.MAX_AUXV_TEXT / (line.length + 1));
    const dump = (k: number) => capture.readCapture(`@@@BEGIN auxv-pid1\n${`${line}\n`.repeat(k)}`).auxvBlocks[0];
    expect([dump(n).lines.length, dump(n).oversized]).toEqual([n, undefined]);
    expect([dump(n + 1).lines.length, dump(n + 1).oversized]).toEqual([0, true]);
  });
  it('CRC-64/XZ on two 32-bit halves: the check value of "123456789" and of nothing', () => {
    expect(crc64(Buffer.from('123456789')).map((h: number) => h.toString(16).padStart(8, '0')).reverse().join('')).toBe('995dc9bbdf1939fa');
    expect(crc64(new Uint8Array(0))).toEqual([0, 0]);
  });
  it('xz as liblzma validates it: a footer that points elsewhere, flags that differ; bytes after the stream are not its business', async () => {
    const good = new Uint8Array(readFileSync(join('samples', 'extract', 'xz', 'x86-crc32.xz')));
    const payload = readFileSync(join('samples', 'extract', 'xz', 'payload.bin'));
    expect(Buffer.from(await unxz(Uint8Array.from([...good, 1, 2, 3]))).equals(payload)).toBe(true);
    const { crc32 } = await import('../src/extract/crc.js');
    const refooter = (b: Uint8Array) => { const f = b.length - 12; const c = crc32(b.subarray(f + 4, f + 10)); b.set([c & 0xff, (c >>> 8) & 0xff, (c >>> 16) & 0xff, c >>> 24], f); return b; };
    const backward = good.slice(); backward[backward.length - 8] += 1; refooter(backward);
    await expect(unxz(backward)).rejects.toThrow(/the footer's backward size \(\d+\) is not the index size \(\d+\)/);
    const flags = good.slice(); flags[flags.length - 3] = 4; refooter(flags);
    await expect(unxz(flags)).rejects.toThrow("xz: stream footer flags differ from the header's");
  });
});
