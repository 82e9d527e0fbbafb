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
