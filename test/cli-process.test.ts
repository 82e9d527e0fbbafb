// Whole-process smoke tests: what a spawn shows and an in-process run (run-in-process.ts) cannot —
// the bin shim running the bundle, the exit status of the process, one stderr line and no stack
// trace. The commands' behaviour is tested in-process elsewhere; stdin pipes in cli-check and
// maps-reader, closed and non-blocking pipes and terminals in cli-output.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, ROOT, sample, AMD64_ENTRY } from './helpers.js';
import { runCli } from './run-in-process.js';

const good = sample(AMD64_ENTRY, 'maps-pid1.txt');
const broken = join(ROOT, 'samples', 'broken', 'ppc64-2020-unnamed-vdso.maps.txt');

describe('the built bin, as a user runs it', () => {
  it('--version is package.json\'s (the bundle has it built in)', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(cli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('exit status 0 / 1 / 2 for a pass, a failure, an unreadable input — the same as in-process', async () => {
    const cases: Array<[string[], number]> = [[['check', good], 0], [['check', broken], 1], [['check', join(ROOT, 'no-such-capture.txt')], 2]];
    for (const [args, code] of cases) {
      const spawned = cli(args, { encoding: 'utf8' });
      expect(spawned.code, spawned.stderr).toBe(code);
      const inProcess = await runCli(args);
      expect(spawned).toEqual({ code: inProcess.code, stdout: inProcess.stdout, stderr: inProcess.stderr });
    }
  });

  it('bad input: one stderr line, exit 2, no stack trace', () => {
    const r = cli(['inspect', good]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/^vdso-layout: /);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const u = cli(['check', good, '--report', 'nonsense']);
    expect([u.code, u.stderr]).toEqual([2, "vdso-layout: --report: expected FORMAT=FILE with FORMAT one of text, json, ktap, junit, github, not 'nonsense'\n"]);
  });
});
