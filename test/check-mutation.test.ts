import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseVdsoImage } from '../src/elf/index.js';
import { readCapture } from '../src/capture/reader.js';
import { checkBlock, keepForCheck } from '../src/check/pipeline.js';
import { InputError, UsageError } from '../src/errors.js';
import { renderGithub, renderJson, renderJunit, renderKtap, renderText, loadDiff } from '../src/report/check-results.js';
import { makeChalk } from '../src/report/color.js';
import { CORPUS, fuzzCount, readBytes, readText, rng } from './helpers.js';
import { CAPTURES } from './corpus-table.js';

describe('check under mutation', () => {
  const n = fuzzCount(300, 5000);
  it(`${n} mutated real captures, with and without their image: a verdict or our own error, and every renderer copes`, async () => {
    await loadDiff();
    const chalk = await makeChalk(0);
    const rand = rng(2026);
    const cases = CAPTURES.map((c) => {
      const r = parseVdsoImage(readBytes(join(CORPUS, c.entry, c.image)));
      return { text: readText(join(CORPUS, c.entry, c.maps)), image: r.ok ? r.value : undefined };
    });
    const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)];
    const hexish = () => Math.floor(rand() * 0x1000000).toString(16);
    let verdicts = 0;
    for (let i = 0; i < n; i++) {
      const c = cases[i % cases.length];
      const lines = c.text.split('\n').filter(Boolean);
      const n = 1 + Math.floor(rand() * 4);
      for (let k = 0; k < n; k++) {
        const at = Math.floor(rand() * lines.length);
        const l = lines[at];
        const op = Math.floor(rand() * 7);
        if (op === 0) lines.splice(at, 1);
        else if (op === 1) lines.splice(at, 0, l);
        else if (op === 2) lines[at] = l.replace(/^[0-9a-f]+/, hexish()); // start moves (maybe past end)
        else if (op === 3) lines[at] = l.replace(/-[0-9a-f]+ /, `-${hexish()} `);
        else if (op === 4) lines[at] = l.replace(/\[[a-z_]+\]$/, pick(['[vdso]', '[vvar]', '[vvar_vclock]', '[gic]', '[sigpage]', '[vectors]', '[weird]', '']));
        else if (op === 5) lines[at] = l.replace(/ [-r][-w][-x][ps] /, ` ${pick(['r-xp', 'r--p', 'rw-p', '---p', 'rwxs'])} `);
        else lines.splice(at, 0, pick(['garbage', '[   1.000000] dmesg', '@@@BEGIN maps-x', '000000 0000000000000021 00007ffc6bbe2000']));
      }
      const cap = readCapture(lines.join('\n') + '\n', { keep: keepForCheck });
      for (const block of cap.blocks) {
        try {
          const r = checkBlock(block, { input: 'mutant', image: i % 2 ? c.image : undefined });
          expect(['pass', 'fail']).toContain(r.verdict);
          for (const f of r.findings) expect(f.message.length).toBeGreaterThan(0);
          for (const render of [renderJson, renderKtap, renderJunit, renderGithub]) render([r]);
          renderText([r], chalk);
          verdicts++;
        } catch (e) {
          if (!(e instanceof InputError) && !(e instanceof UsageError)) throw new Error(`mutant ${i}: ${(e as Error).stack}\n---\n${lines.join('\n')}`);
        }
      }
    }
    expect(verdicts).toBeGreaterThan(n * 0.8);
  });
});
