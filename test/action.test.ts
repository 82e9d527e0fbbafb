import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { XMLParser } from 'fast-xml-parser';
import { ROOT, sample, AMD64_ENTRY } from './helpers.js';
import { parseGithub, parseJunit, parseKtap } from './formats.js';

// action.yml is run the way the runner runs a composite action: each `run` step with bash
// (--noprofile --norc -eo pipefail), `${{ inputs.* }}` expressions substituted, GITHUB_ACTION_PATH
// pointing at the action and outputs collected from the GITHUB_OUTPUT file. `npm` is faked (the
// install step would reinstall this checkout); `node` and the check are real.
interface Step { name?: string; id?: string; uses?: string; with?: Record<string, string>; shell?: string; env?: Record<string, string>; run?: string }
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  name: string; inputs: Record<string, { required?: boolean; default?: string }>; outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
};

function runAction(inputs: Record<string, string>) {
  const all: Record<string, string> = {};
  for (const [k, v] of Object.entries(action.inputs)) all[k] = inputs[k] ?? v.default ?? '';
  const expr = (s: string) => s.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, k: string) => all[k] ?? '');
  const dir = mkdtempSync(join(tmpdir(), 'vl-action-'));
  const bin = join(dir, 'fake-bin');
  spawnSync('mkdir', [bin]);
  writeFileSync(join(bin, 'npm'), `#!/bin/sh\necho "$@" >> "${join(dir, 'npm.calls')}"\n`);
  chmodSync(join(bin, 'npm'), 0o755);
  const githubOutput = join(dir, 'github-output');
  writeFileSync(githubOutput, '');
  const steps: { step: Step; code: number; stdout: string; stderr: string; with?: Record<string, string> }[] = [];
  for (const step of action.runs.steps) {
    if (step.uses) { steps.push({ step, code: 0, stdout: '', stderr: '', with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, expr(String(v))])) }); continue; }
    const env: Record<string, string> = { PATH: `${bin}:${process.env.PATH}`, HOME: dir, NO_COLOR: '1', GITHUB_ACTION_PATH: ROOT, GITHUB_OUTPUT: githubOutput };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expr(String(v));
    const script = join(dir, `step-${steps.length}.sh`);
    writeFileSync(script, expr(step.run ?? ''));
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: dir, env, encoding: 'utf8' });
    steps.push({ step, code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr });
    if (r.status !== 0) break;
  }
  const outputs = Object.fromEntries(readFileSync(githubOutput, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const npm = existsSync(join(dir, 'npm.calls')) ? readFileSync(join(dir, 'npm.calls'), 'utf8') : '';
  return { dir, steps, outputs, npm, check: steps[steps.length - 1] };
}

const CONSOLE = join(ROOT, 'samples', 'qemu', 'amd64-6.1.0-56-console.log');
const VDSO64 = sample(AMD64_ENTRY, 'vdso64.so');

describe('action.yml: a composite action whose inputs reach the right check flags', () => {
  it('declares the inputs and outputs the README documents, and maps outputs to the check step', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.inputs.captures.required).toBe(true);
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['captures', 'vdso', 'format', 'args']));
    for (const o of ['exit-code', 'verdict', 'ktap', 'junit']) expect(action.outputs[o].value).toBe(`\${{ steps.check.outputs.${o} }}`);
    expect(action.runs.steps.map((s) => s.uses ?? s.run?.split(' ')[0])).toEqual(['actions/setup-node@v4', 'npm', 'bash']);
    expect(action.runs.steps.find((s) => s.id === 'check')).toBeDefined();
  });

  it('a passing capture: setup-node gets the version, npm installs in the action path, check runs once with --vdso/args, --format github and the reports as --report files', () => {
    const r = runAction({ captures: CONSOLE, vdso: VDSO64, format: 'ktap', args: '--profile x86-5.6 --kernel 6.1', 'node-version': '22' });
    expect(r.steps[0].with).toEqual({ 'node-version': '22' });
    expect(r.npm.trim()).toBe(`ci --prefix ${ROOT} --no-audit --no-fund`);
    expect(r.check.code).toBe(0);
    const base = `+ vdso-layout check ${CONSOLE} --vdso ${VDSO64} --profile x86-5.6 --kernel 6.1`;
    const reports = '--report ktap=vdso-layout-report/vdso-layout.ktap --report junit=vdso-layout-report/vdso-layout.junit.xml';
    expect(r.check.stderr.split('\n').filter((l) => l.startsWith('+ '))).toEqual([`${base} --format github ${reports}`]);
    expect(r.check.stdout).not.toContain('::error');
    expect(r.check.stdout).toBe(readFileSync(join(r.dir, 'vdso-layout-report', 'vdso-layout.ktap'), 'utf8')); // the format input, printed in the log
    expect(r.outputs).toEqual({ 'exit-code': '0', verdict: 'pass', ktap: 'vdso-layout-report/vdso-layout.ktap', junit: 'vdso-layout-report/vdso-layout.junit.xml' });
    const ktap = readFileSync(join(r.dir, r.outputs.ktap), 'utf8');
    expect(ktap).toMatch(/^KTAP version 1\n1\.\.1\n/);
    expect(ktap).toMatch(/^ok 1 /m);
    const junit = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(r.dir, r.outputs.junit), 'utf8'));
    expect([junit.testsuites['@_tests'], junit.testsuites['@_failures']]).toEqual(['1', '0']);
  });

  it('a capture of another era fails the step (exit 1) with vdso-layout annotations and failing reports', () => {
    const r = runAction({ captures: CONSOLE, format: 'github', args: '--profile x86-6.15' });
    expect(r.check.code).toBe(1);
    expect(r.check.stdout).toMatch(/^::error file=[^,]+,(line=\d+,)?title=vdso-layout [a-z-]+::/m);
    expect(r.check.stderr.split('\n').filter((l) => l.startsWith('+ ')).length).toBe(1); // one check run
    expect(readdirSync(join(r.dir, 'vdso-layout-report')).sort()).toEqual(['vdso-layout.junit.xml', 'vdso-layout.ktap']); // format github is not written twice
    expect([r.outputs['exit-code'], r.outputs.verdict]).toEqual(['1', 'fail']);
    expect(readFileSync(join(r.dir, r.outputs.ktap), 'utf8')).toMatch(/^not ok 1 /m);
  });

  it('format json or text: written as a report of its own beside KTAP and JUnit by the same run, and printed after the annotations', () => {
    for (const format of ['json', 'text']) {
      const r = runAction({ captures: CONSOLE, format, args: '--profile x86-6.15' });
      expect(r.check.code).toBe(1);
      expect(r.check.stderr.split('\n').filter((l) => l.startsWith('+ '))).toEqual([expect.stringContaining(`--report ${format}=vdso-layout-report/vdso-layout.${format}`)]);
      const shown = readFileSync(join(r.dir, 'vdso-layout-report', `vdso-layout.${format}`), 'utf8');
      const annotations = r.check.stdout.slice(0, r.check.stdout.length - shown.length);
      expect(r.check.stdout.endsWith(shown)).toBe(true);
      expect(parseGithub(annotations).length).toBeGreaterThan(0);
      if (format === 'json') expect(JSON.parse(shown).results[0].verdict).toBe('fail');
      else expect(shown).toMatch(/^FAIL /m);
    }
  });

  it('a format input check does not know is its usage error (exit 2); the KTAP and JUnit reports say so', () => {
    const r = runAction({ captures: CONSOLE, format: 'xml' });
    expect([r.check.code, r.outputs.verdict]).toEqual([2, 'error']);
    expect(r.check.stderr).toContain("vdso-layout: --report: expected FORMAT=FILE with FORMAT one of text, json, ktap, junit, github, not 'xml=vdso-layout-report/vdso-layout.xml'");
    expect(parseGithub(r.check.stdout)).toEqual([expect.objectContaining({ level: 'error', props: { title: 'vdso-layout usage' } })]);
    expect(parseKtap(readFileSync(join(r.dir, r.outputs.ktap), 'utf8'))).toEqual([expect.objectContaining({ ok: false, directive: 'ERROR' })]);
    expect(parseJunit(readFileSync(join(r.dir, r.outputs.junit), 'utf8'))[0].error![0].type).toBe('usage');
  });

  it('captures are word-split and glob-expanded; none at all is an error (exit 2)', () => {
    const r = runAction({ captures: `${join(ROOT, 'samples', 'qemu')}/*.log\n${join(ROOT, 'samples', 'broken', 'ppc64-2020-unnamed-vdso.maps.txt')}` });
    // The glob in the shell's sorted order, then the next word.
    const logs = readdirSync(join(ROOT, 'samples', 'qemu')).filter((f) => f.endsWith('.log')).sort().map((f) => join(ROOT, 'samples', 'qemu', f));
    expect(logs).toContain(CONSOLE);
    expect(logs.length).toBeGreaterThan(1);
    expect(r.check.stderr).toContain(`+ vdso-layout check ${logs.join(' ')} ${join(ROOT, 'samples', 'broken', 'ppc64-2020-unnamed-vdso.maps.txt')} --format github`);
    expect(r.outputs.verdict).toBe('fail');
    const e = runAction({ captures: '  \n' });
    expect([e.check.code, e.outputs.verdict]).toEqual([2, 'error']);
    expect(parseGithub(e.check.stdout)).toEqual([{ level: 'error', props: { title: 'vdso-layout usage' }, data: 'the captures input is empty' }]);
    // The reports exist and say so, in their own formats.
    expect(parseKtap(readFileSync(join(e.dir, e.outputs.ktap), 'utf8'))).toEqual([expect.objectContaining({ ok: false, directive: 'ERROR' })]);
    expect(parseJunit(readFileSync(join(e.dir, e.outputs.junit), 'utf8'))[0].error).toHaveLength(1);
  });

  it('an unreadable --vdso (the image not built): exit 2, an "unreadable" annotation, and reports that carry the error', () => {
    const missing = join(ROOT, 'build', 'arch', 'x86', 'entry', 'vdso', 'vdso64.so.dbg');
    const r = runAction({ captures: CONSOLE, vdso: missing, format: 'junit' });
    expect([r.check.code, r.outputs['exit-code'], r.outputs.verdict]).toEqual([2, '2', 'error']);
    expect(parseGithub(r.check.stdout.split('\n').filter((l) => l.startsWith('::')).join('\n') + '\n')).toEqual([
      { level: 'error', props: { file: missing, title: 'vdso-layout unreadable' }, data: `${missing}: no such file` }]);
    const ktap = readFileSync(join(r.dir, r.outputs.ktap), 'utf8');
    expect(parseKtap(ktap)).toEqual([expect.objectContaining({ ok: false, directive: 'ERROR' })]);
    const cases = parseJunit(readFileSync(join(r.dir, r.outputs.junit), 'utf8'));
    expect(cases.map((c) => [c.name, c.error?.[0].message])).toEqual([[missing, `${missing}: no such file`]]);
  });

  it('a failing capture and an unreadable one: the failure decides (exit 1, verdict fail), the unreadable one is annotated too', () => {
    const absent = join(ROOT, 'qemu-out', 'no-such-console.log');
    const r = runAction({ captures: `${CONSOLE} ${absent}`, args: '--profile x86-6.15' });
    expect([r.check.code, r.outputs['exit-code'], r.outputs.verdict]).toEqual([1, '1', 'fail']);
    const titles = parseGithub(r.check.stdout.split('\n').filter((l) => l.startsWith('::')).join('\n') + '\n').map((c) => `${c.props.title} ${c.props.file}`);
    expect(titles).toContain(`vdso-layout unreadable ${absent}`);
    expect(titles.some((t) => t.startsWith('vdso-layout vvar-missing '))).toBe(true);
  });
});

describe('the README workflow (docs/examples/kernel-vdso.yml): valid YAML with the keys a workflow needs', () => {
  const text = readFileSync(join(ROOT, 'docs', 'examples', 'kernel-vdso.yml'), 'utf8');
  const wf = parse(text) as { name: string; on: unknown; jobs: Record<string, { 'runs-on': string; strategy: { matrix: { include: Record<string, string>[] } }; steps: Step[] }> };
  it('is the workflow the README shows, verbatim', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('```yaml\n' + text + '```');
  });
  it('builds with scripts/build-kernel.sh and boots with scripts/qemu-check.sh per matrix architecture, and uses the action', () => {
    expect(wf.on).toEqual(['push', 'pull_request']);
    const job = wf.jobs.vdso;
    expect(job['runs-on']).toBe('ubuntu-latest');
    const include = job.strategy.matrix.include;
    // The architectures build-kernel.sh has a recipe (and a fragment in scripts/kconfig/) for.
    expect(include.map((m) => m.arch)).toEqual(['amd64', 'arm64', 'armhf', 'ppc64el', 'riscv64', 's390x', 'mips64el', 'sparc64', 'hppa', 'sh4']);
    for (const m of include) {
      // Debian's ports have no busybox-static: their boot runs capture-init (qemu-check.sh refuses them without --init).
      expect(Object.keys(m)).toEqual(['sparc64', 'hppa', 'sh4'].includes(m.arch) ? ['arch', 'packages', 'qemu', 'init'] : ['arch', 'packages', 'qemu']);
      expect(existsSync(join(ROOT, 'scripts', 'kconfig', `${m.arch}.config`))).toBe(true);
      // Each recipe's compiler package (build-kernel.sh's ccpkg) is in the row.
      if (m.arch !== 'amd64') expect(m.packages.split(' '), m.arch).toContain({ arm64: 'gcc-aarch64-linux-gnu', armhf: 'gcc-arm-linux-gnueabihf', ppc64el: 'gcc-powerpc64le-linux-gnu', riscv64: 'gcc-riscv64-linux-gnu', s390x: 'gcc-s390x-linux-gnu', mips64el: 'gcc-mips64el-linux-gnuabi64', sparc64: 'gcc-sparc64-linux-gnu', hppa: 'gcc-hppa-linux-gnu', sh4: 'gcc-sh4-linux-gnu' }[m.arch]);
    }
    // sparc64's 32-bit capture-init (-m32) needs the 32-bit static libc and libgcc.
    expect(include.find((m) => m.arch === 'sparc64')!.packages.split(' ')).toEqual(expect.arrayContaining(['libc6-dev-sparc-sparc64-cross', 'lib32gcc-14-dev-sparc64-cross']));
    // amd64 builds with the native compiler (build-kernel.sh falls back to gcc without the prefix).
    expect(include[0].packages).toBe('gcc');
    const runs = job.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('.vdso-layout/scripts/build-kernel.sh --arch ${{ matrix.arch }} --source . --out .vdso-build');
    expect(runs).toContain("grep -E '^(KERNEL|VDSO|COMPAT_VDSO|PROGRAM|CAPTURE_INIT|COMPAT_CAPTURE_INIT)=' .vdso-build/build.env >> \"$GITHUB_OUTPUT\"");
    expect(runs).toMatch(/scripts\/qemu-check\.sh --arch \$\{\{ matrix\.arch \}\} --kernel \$\{\{ steps\.build\.outputs\.KERNEL \}\}/);
    expect(runs).not.toMatch(/\bmake ARCH=/);
    const uses = job.steps.filter((s) => s.uses?.endsWith('/vdso-layout@v1'));
    expect(Object.keys(uses[0]?.with ?? {}).sort()).toEqual(['captures', 'format', 'vdso']);
    // Each task with its own image: the compat task's reports are not left to the boot step's exit code alone.
    expect(uses.map((s) => [s.with?.captures, s.with?.vdso])).toEqual([
      ['qemu-out/task-native.log', '${{ steps.build.outputs.VDSO }}'], ['qemu-out/task-compat.log', '${{ steps.build.outputs.COMPAT_VDSO }}']]);
    for (const s of uses) for (const k of Object.keys(s.with!)) expect(Object.keys(action.inputs)).toContain(k);
    // arm64's compat vDSO needs the 32-bit cross compiler build-kernel.sh asks for.
    expect(include[1].packages.split(' ')).toContain('gcc-arm-linux-gnueabihf');
  });
});
