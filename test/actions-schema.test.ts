import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { validateAction, validateWorkflow, type ValidationState } from '@action-validator/core';
import { ROOT } from './helpers.js';

// action.yml and the README's workflow checked against the published GitHub Actions schemas
// (SchemaStore's github-action / github-workflow, compiled into @action-validator/core's
// WebAssembly: no network), so that a broken example cannot land.
const ACTION = join(ROOT, 'action.yml');
const WORKFLOW = join(ROOT, 'docs', 'examples', 'kernel-vdso.yml');
const read = (p: string) => readFileSync(p, 'utf8');
const problems = (s: ValidationState) => s.errors.map((e) => `${'path' in e ? e.path : ''} ${e.title}${e.detail ? `: ${e.detail}` : ''}`);

describe('GitHub Actions files against their schemas (@action-validator)', () => {
  it('action.yml is a valid action', () => {
    expect(problems(validateAction(read(ACTION)))).toEqual([]);
  });

  it('docs/examples/kernel-vdso.yml is a valid workflow', () => {
    expect(problems(validateWorkflow(read(WORKFLOW)))).toEqual([]);
  });

  it("the README's one-step recipe is a valid step of a workflow", () => {
    const readme = read(join(ROOT, 'README.md'));
    const step = /```yaml\n(- uses: YOUR-ORG\/vdso-layout@v1\n[\s\S]*?)```/.exec(readme)?.[1];
    expect(step).toBeDefined();
    const wf = `on: push\njobs:\n  vdso:\n    runs-on: ubuntu-latest\n    steps:\n${step!.replace(/^/gm, '      ').trimEnd()}\n`;
    expect(problems(validateWorkflow(wf))).toEqual([]);
  });

  it('the validator rejects what a typo would break (so the checks above can fail)', () => {
    expect(validateWorkflow(read(WORKFLOW).replace('runs-on:', 'run-on:')).errors.length).toBeGreaterThan(0);
    expect(validateWorkflow(read(WORKFLOW).replace('steps:', 'step:')).errors.length).toBeGreaterThan(0);
    expect(validateAction(read(ACTION).replace('using: composite', 'using: compost')).errors.length).toBeGreaterThan(0);
    expect(validateAction(read(ACTION).replace(/^(\s+)shell: bash\n/m, '')).errors.length).toBeGreaterThan(0); // a composite run step needs its shell
  });

  it('the command-line validator a contributor runs agrees (exit 0 on both files, 1 on a broken one)', () => {
    const bin = join(ROOT, 'node_modules', '@action-validator', 'cli', 'cli.mjs');
    for (const f of [ACTION, WORKFLOW]) expect(spawnSync(process.execPath, [bin, f], { encoding: 'utf8' }).status).toBe(0);
    const bad = spawnSync(process.execPath, [bin, join(ROOT, 'test', 'fixtures', 'broken-workflow.yml')], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('runs-on');
  });
});
