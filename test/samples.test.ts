import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './helpers.js';
import { runCli } from './run-in-process.js';
import { MANIFEST } from './corpus-table.js';

const S = (p: string) => join(ROOT, 'samples', p);

describe('every sample gets its expected verdict and finding codes from the CLI (in-process)', () => {
  it('the manifest covers the broken cases and every corpus entry', () => {
    expect(MANIFEST.checks.filter((c) => c.verdict === 'fail').length).toBeGreaterThanOrEqual(4);
    expect(MANIFEST.checks.length).toBeGreaterThan(50);
  });
  for (const c of MANIFEST.checks) {
    it(`${c.capture} ${c.args.join(' ')}`, async () => {
      // A --profile names a built-in row, or a file (a path).
      const args = c.args.map((a, i) => (i > 0 && (['--vdso', '--auxv'].includes(c.args[i - 1]) || (c.args[i - 1] === '--profile' && a.includes('/'))) ? S(a) : a));
      const r = await runCli(['check', '--format', 'json', S(c.capture), ...args]);
      expect(r.code, r.stderr).toBe(c.verdict === 'pass' ? 0 : 1);
      const results = JSON.parse(r.stdout).results as Array<{ verdict: string; findings: Array<{ code: string; severity: string }> }>;
      expect(results.length).toBeGreaterThan(0);
      for (const res of results) expect(res.verdict).toBe(c.verdict);
      const codes = [...new Set(results.flatMap((x) => x.findings.filter((f) => f.severity === 'error').map((f) => f.code)))].sort();
      expect(codes).toEqual([...c.codes].sort());
    });
  }
});

describe('samples/README.md lists every sample file with its sha256', () => {
  it('no file is missing and every hash matches', () => {
    const readme = readFileSync(S('README.md'), 'utf8');
    const files: string[] = [];
    const walk = (d: string) => { for (const f of readdirSync(d)) { const p = join(d, f); if (statSync(p).isDirectory()) walk(p); else files.push(p); } };
    walk(S('.'));
    for (const f of files) {
      const rel = relative(S('.'), f);
      if (rel === 'README.md') continue;
      const sha = createHash('sha256').update(readFileSync(f)).digest('hex');
      expect(readme, rel).toContain(`| ${rel} | ${sha} |`);
    }
  });
});
