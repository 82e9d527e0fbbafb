// A sample of the fuzz suite (test/fuzz/core.mjs) on every `npm test`: the same inputs as
// `npm run fuzz` (first indices of each target), in-process over src/. Every input must end in a
// result or our own error. No clock: the work is bounded by the number of inputs (times belong to
// `npm run fuzz` and bench/, where a busy machine cannot fail `npm test`).
import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: plain ES module shared with the runner (no types)
import { loadApi, runOne } from './fuzz/core.mjs';

const SAMPLE: Record<string, number> = { elf: 1500, text: 300, scanner: 150, profile: 300, check: 60 };

describe('fuzz sample (npm run fuzz runs the full counts)', async () => {
  const api = await loadApi('src');
  for (const [target, n] of Object.entries(SAMPLE)) {
    it(`${target}: ${n} inputs, no crash, each an outcome`, async () => {
      const counts: Record<string, number> = { ok: 0, 'input-error': 0 };
      for (let i = 0; i < n; i++) {
        let outcome: string;
        try { outcome = await runOne(api, target, i, join(tmpdir(), `vl-fuzz-sample-${process.pid}`)); } catch (e) {
          throw new Error(`${target}#${i} crashed (reproduce: runOne(api, '${target}', ${i})): ${(e as Error).stack}`);
        }
        counts[outcome]++;
      }
      // Both outcomes occur: the mutators neither only break nor never break the inputs.
      expect(counts.ok, JSON.stringify(counts)).toBeGreaterThan(0);
      expect(counts['input-error'], JSON.stringify(counts)).toBeGreaterThan(0);
      expect(counts.ok + counts['input-error'], JSON.stringify(counts)).toBe(n);
    });
  }
});
