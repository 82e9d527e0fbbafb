import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { ROOT } from './helpers.js';
// @ts-expect-error: a plain ES module script, no types
import { evaluate, substitute, shouldRun, parseOutputs, stepKind } from '../scripts/workflow-local.mjs';

// scripts/workflow-local.mjs runs docs/examples/kernel-vdso.yml's job here as a runner would. Its
// expression evaluation is what decides which arguments the boot gets, so it is tested against the
// workflow's own expressions; the whole run is tested in its dry mode (no kernel is built here).
type Ctx = { matrix: Record<string, string>; steps: Record<string, { outputs: Record<string, string> }>; inputs: Record<string, string>; status: string };
const WORKFLOW = join(ROOT, 'docs', 'examples', 'kernel-vdso.yml');
const job = (parse(readFileSync(WORKFLOW, 'utf8')) as { jobs: { vdso: { steps: Array<Record<string, unknown> & { run?: string; if?: string; id?: string }> } } }).jobs.vdso;
const boot = job.steps.find((s) => s.run?.includes('qemu-check.sh'))!.run!;
const ctx = (outputs: Record<string, string>, status = 'success'): Ctx => ({ matrix: { arch: 'amd64' }, steps: { build: { outputs } }, inputs: {}, status });

describe('workflow-local: GitHub expressions as the workflow uses them', () => {
  it('the boot step gets --compat-vdso with the compat image when the build wrote one, --no-compat when COMPAT_VDSO is empty', () => {
    const both = substitute(boot, ctx({ KERNEL: '/w/k', VDSO: '/w/v64', COMPAT_VDSO: '/w/v32', PROGRAM: '/w/p' }));
    // A busybox architecture: capture-init is built (CAPTURE_INIT) but not passed.
    expect(both.trim()).toBe('.vdso-layout/scripts/qemu-check.sh --arch amd64 --kernel /w/k --vdso /w/v64 --compat-vdso /w/v32 --program /w/p   --out qemu-out --timeout 900');
    const none = substitute(boot, ctx({ KERNEL: '/w/k', VDSO: '/w/v64', COMPAT_VDSO: '', PROGRAM: '', CAPTURE_INIT: '/w/i' }));
    expect(none.trim()).toBe('.vdso-layout/scripts/qemu-check.sh --arch amd64 --kernel /w/k --vdso /w/v64 --no-compat    --out qemu-out --timeout 900');
  });

  it('a port without busybox-static (matrix init) boots capture-init: --init, and --compat-init where the build made a 32-bit one', () => {
    const port = (arch: string, outputs: Record<string, string>) => substitute(boot, { ...ctx(outputs), matrix: { arch, init: 'capture-init' } }).trim();
    expect(port('sparc64', { KERNEL: '/w/k', VDSO: '/w/v64', COMPAT_VDSO: '/w/v32', PROGRAM: '/w/p', CAPTURE_INIT: '/w/i', COMPAT_CAPTURE_INIT: '/w/i32' }))
      .toBe('.vdso-layout/scripts/qemu-check.sh --arch sparc64 --kernel /w/k --vdso /w/v64 --compat-vdso /w/v32 --program /w/p --init /w/i --compat-init /w/i32 --out qemu-out --timeout 900');
    expect(port('sh4', { KERNEL: '/w/k', VDSO: '/w/v', COMPAT_VDSO: '', PROGRAM: '/w/p', CAPTURE_INIT: '/w/i', COMPAT_CAPTURE_INIT: '' }))
      .toBe('.vdso-layout/scripts/qemu-check.sh --arch sh4 --kernel /w/k --vdso /w/v --no-compat --program /w/p --init /w/i  --out qemu-out --timeout 900');
  });

  it('the compat report step runs, even after a failed step, only when the build named a compat image', () => {
    const compat = job.steps.find((s) => s.id === 'vdso-compat')!;
    expect(shouldRun(compat, ctx({ COMPAT_VDSO: '/w/v32' }, 'failure'))).toBe(true);
    expect(shouldRun(compat, ctx({ COMPAT_VDSO: '' }, 'success'))).toBe(false);
    expect(shouldRun(compat, ctx({}, 'success'))).toBe(false); // a build that never wrote its outputs
    // A step without `if:` runs on success only.
    expect([shouldRun({}, ctx({}, 'success')), shouldRun({}, ctx({}, 'failure'))]).toEqual([true, false]);
  });

  it('&& and || return operands (not booleans), == and != compare strings case-insensitively, format() fills {N}', () => {
    const c = ctx({ A: 'x', E: '' });
    expect(evaluate("steps.build.outputs.A && 'yes' || 'no'", c)).toBe('yes');
    expect(evaluate("steps.build.outputs.E && 'yes' || 'no'", c)).toBe('no');
    expect(evaluate("steps.build.outputs.E || steps.build.outputs.A", c)).toBe('x');
    expect(evaluate("matrix.arch == 'AMD64'", c)).toBe(true);
    expect(evaluate("steps.nope.outputs.X != ''", c)).toBe(false);
    expect(evaluate("format('{0}-{1}{0}', 'a', 'b')", c)).toBe('a-ba');
    expect(evaluate("'it''s'", c)).toBe("it's");
    expect(() => evaluate('secrets.TOKEN', c)).toThrow(/unsupported context 'secrets'/);
    expect(() => evaluate("fromJSON('{}')", c)).toThrow(/unsupported function fromJSON/);
  });

  it('reads GITHUB_OUTPUT lines and heredocs; knows each step of the workflow', () => {
    expect(parseOutputs('KERNEL=/a=b\nCOMPAT_VDSO=\nlog<<EOF\none\ntwo\nEOF\n')).toEqual({ KERNEL: '/a=b', COMPAT_VDSO: '', log: 'one\ntwo' });
    expect(job.steps.map((s) => stepKind(s))).toEqual(['checkout-tree', 'checkout-tool', 'run', 'run', 'run', 'vdso-layout-action', 'vdso-layout-action', 'upload-artifact']);
  });
});

describe('workflow-local --dry-run: the job for one matrix entry, nothing run', () => {
  const tree = () => {
    const t = mkdtempSync(join(tmpdir(), 'vl-wf-tree-'));
    writeFileSync(join(t, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 1\n');
    for (const a of [['init', '-q'], ['add', '-A'], ['-c', 'user.name=t', '-c', 'user.email=t@invalid', 'commit', '-qm', 'tree']]) spawnSync('git', a, { cwd: t });
    return t;
  };
  const run = (args: string[]) => spawnSync('node', [join(ROOT, 'scripts', 'workflow-local.mjs'), ...args], { encoding: 'utf8' });

  it('prints every step with the matrix substituted, and writes steps.json', () => {
    const out = mkdtempSync(join(tmpdir(), 'vl-wf-out-'));
    const r = run(['--arch', 'arm64', '--tree', tree(), '--out', out, '--dry-run']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('.vdso-layout/scripts/build-kernel.sh --arch arm64 --source . --out .vdso-build');
    expect(r.stderr).toMatch(/apt-get install -y --no-install-recommends [^]*ca-certificates nodejs npm gcc-aarch64-linux-gnu libc6-dev-arm64-cross gcc-arm-linux-gnueabihf qemu-system-arm\n/);
    // Outputs only a run gives are empty in a dry run, as GitHub renders a missing one.
    expect(r.stderr).toContain('qemu-check.sh --arch arm64 --kernel  --vdso  --no-compat    --out qemu-out --timeout 900');
    // Checkouts before any apt step: no git in the container yet, so files only.
    expect(r.stderr).toContain('files only (no git in the container yet: the REST API tarball)');
    const j = JSON.parse(readFileSync(join(out, 'steps.json'), 'utf8'));
    expect([j.dryRun, j.status, j.matrix.arch, j.steps.length]).toEqual([true, 'success', 'arm64', job.steps.length]);
    expect(j.steps.map((s: { name: string }) => s.name)).toContain('Annotations and reports (32-bit compat task, with its own image)');
  });

  it('bad usage exits 2 with one line', () => {
    const r = run(['--arch', 'sparc', '--tree', tree(), '--out', mkdtempSync(join(tmpdir(), 'vl-wf-out-'))]);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('workflow-local: no matrix entry with arch sparc in ' + WORKFLOW);
    const nogit = mkdtempSync(join(tmpdir(), 'vl-wf-nogit-'));
    expect(run(['--arch', 'amd64', '--tree', nogit, '--out', nogit]).stderr.split('\n')[0]).toMatch(/not a git repository/);
  });
});
