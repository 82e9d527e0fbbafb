import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Ajv } from 'ajv';
import { join } from 'node:path';
import { ROOT } from './helpers.js';
import { runCli } from './run-in-process.js';

// The 2020 powerpc regression for real: kernels built from Debian's linux-source-5.10 with
// scripts/build-kernel.sh, the series of samples/series/ppc64-2020 applied one patch at a time by
// scripts/gate-series.sh, each booted under QEMU pseries. The boots' console logs, the vDSO images
// built and the gate's reports are stored in samples/gate/ppc64-2020 (how: its README.md); these
// tests re-check the stored logs, so CI never builds a kernel.
const G = (...p: string[]) => join(ROOT, 'samples', 'gate', 'ppc64-2020', ...p);
const PROFILE = join(ROOT, 'samples', 'profiles', 'ppc-2020-datapage-in-front.json');
const PATCH1 = '0001-powerpc-vdso-map-the-data-page-in-front-of-the-vDSO-';
const PATCH2 = '0002-powerpc-vdso-name-the-vDSO-vma-by-its-special-mappin';

interface Finding { code: string; severity: string }
const check = async (step: number, extra: string[] = []) => {
  const r = await runCli(['check', '--format', 'json', G(`step-${step}`, 'console.log'), '--vdso', G(`step-${step}`, 'vdso64.so.dbg'), ...extra]);
  const results = JSON.parse(r.stdout).results as Array<{ verdict: string; profile: string; kernelVersion: string | null; findings: Finding[] }>;
  const codes = [...new Set(results.flatMap((x) => x.findings.filter((f) => f.severity === 'error').map((f) => f.code)))];
  return { code: r.code, results, codes };
};
const env = (step: number) => Object.fromEntries(readFileSync(G(`step-${step}`, 'build.env'), 'utf8').trim().split('\n').map((l) => {
  const i = l.indexOf('='); return [l.slice(0, i), l.slice(i + 1)];
}));
const clock = (step: number) => readFileSync(G(`step-${step}`, 'console.log'), 'latin1').replace(/\r/g, '').split('\n').filter((l) => l.startsWith('vdso-clock: '));

describe('samples/gate/ppc64-2020: the 2020 powerpc regression on kernels built with it', () => {
  it('each step was built from Debian\'s linux-source-5.10 with the series up to that patch (provenance in build.env)', () => {
    expect([0, 1, 2].map((k) => env(k).PATCHES)).toEqual(['\'\'', PATCH1 + '.patch', `${PATCH1}.patch\\ ${PATCH2}.patch`]);
    for (const k of [0, 1, 2]) {
      const e = env(k);
      expect(e.SOURCE).toMatch(/^linux-source-5\.10\\ 5\.10\.\d+-\d+\\ \\\(Debian\\ bullseye\\\)$/);
      expect(e.COMPILER).toMatch(/^powerpc64le-linux-gnu-gcc/);
      expect(e.CONFIG).toBe('tinyconfig\\ +\\ scripts/kconfig/ppc64el.config');
      expect(e.KERNEL).toBe('vmlinux');
      expect(e.VDSO).toBe('arch/powerpc/kernel/vdso64/vdso64.so.dbg');
      // 64K pages, as Debian's ppc64el.
      expect(readFileSync(G(`step-${k}`, 'kernel.config'), 'utf8')).toMatch(/^CONFIG_PPC_64K_PAGES=y$/m);
    }
  });

  it('the base tree passes against the table (powerpc-2.6.18: [vdso] text, the data page after it)', async () => {
    const c = await check(0);
    expect([c.code, c.codes, c.results.map((r) => r.profile)]).toEqual([0, [], ['powerpc-2.6.18']]);
  });

  it('patch 1 (the data page moved in front) fails with vdso-unnamed against the layout the series means', async () => {
    const c = await check(1, ['--profile', PROFILE]);
    expect([c.code, c.codes]).toEqual([1, ['vdso-unnamed']]);
  });

  it('patch 1 also fails against the table, which knows no unnamed text vma in 5.10', async () => {
    const c = await check(1);
    expect(c.code).toBe(1);
    expect(c.codes).toContain('vdso-unnamed');
  });

  it('patch 2 (the vma named by its vm_special_mapping) passes against the layout the series means', async () => {
    const c = await check(2, ['--profile', PROFILE]);
    expect([c.code, c.codes, c.results.map((r) => r.profile)]).toEqual([0, [], ['ppc-2020-datapage-in-front']]);
  });

  it('the vDSO keeps telling the time on every step: the failure of patch 1 is the name, not a dead vDSO', () => {
    for (const k of [0, 1, 2]) {
      const lines = clock(k);
      expect(lines[0]).toMatch(/^vdso-clock: vDSO at 0x[0-9a-f]+, __kernel_clock_gettime at 0x[0-9a-f]+ \(symbol value 0x[0-9a-f]+\)$/);
      expect(lines.filter((l) => / sane$/.test(l))).toHaveLength(2);
      expect(lines.at(-1)).toBe('vdso-clock: ok the vDSO reads the kernel\'s time');
    }
  });

  it('the gate\'s own KTAP names patch 1 as the first that breaks and agrees with the checks above', () => {
    const ktap = readFileSync(G('gate.ktap'), 'utf8').split('\n');
    expect(ktap.slice(0, 3)).toEqual(['KTAP version 1', '# vdso-layout gate: ppc64el, debian:linux-source-5.10, 2 patch(es), patches checked against ppc-2020-datapage-in-front.json', '1..3']);
    expect(ktap.filter((l) => /^(not )?ok /.test(l))).toEqual(['ok 1 base', `not ok 2 1 ${PATCH1}`, `ok 3 2 ${PATCH2}`]);
    expect(ktap).toContain('# verdict fail; codes vdso-unnamed; vdso clock ok; check exit 1');
    expect(ktap).toContain(`# first patch that breaks: ${PATCH1}`);
    const j = JSON.parse(readFileSync(G('gate.json'), 'utf8'));
    expect([j.exitCode, j.firstBreaking]).toEqual([1, PATCH1]);
    expect(j.steps.map((s: { verdict: string; codes: string[]; vdsoClock: string }) => [s.verdict, s.codes, s.vdsoClock]))
      .toEqual([['pass', [], 'ok'], ['fail', ['vdso-unnamed'], 'ok'], ['pass', [], 'ok']]);
  });

  it('README\'s "Gate a patch series" shows this KTAP verbatim (the tool\'s own output)', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('```\n' + readFileSync(G('gate.ktap'), 'utf8') + '```');
  });

  it('the series stored is the one built (patch files present, in order)', () => {
    for (const p of [PATCH1, PATCH2]) expect(existsSync(join(ROOT, 'samples', 'series', 'ppc64-2020', `${p}.patch`))).toBe(true);
  });
});

// x86_64 kernels built from Debian's linux-source-6.1, each booted with a 64-bit task and a 32-bit
// compat task. The gate checks each task's part of the console log with its own image, as
// scripts/qemu-check.sh splits it; these helpers split the stored log the same way.
const X = (run: string, ...p: string[]) => join(ROOT, 'samples', 'gate', run, ...p);
const x86Env = (run: string, step: number) => Object.fromEntries(readFileSync(X(run, `step-${step}`, 'build.env'), 'utf8').trim().split('\n').map((l) => {
  const i = l.indexOf('='); return [l.slice(0, i), l.slice(i + 1)];
}));
const taskDirs: string[] = [];
afterAll(() => { for (const d of taskDirs) rmSync(d, { recursive: true, force: true }); });
const taskLog = (run: string, step: number, task: 'native' | 'compat') => {
  const lines = readFileSync(X(run, `step-${step}`, 'console.log'), 'latin1').replace(/\r/g, '').split('\n');
  const start = lines.indexOf(`vdso-layout-qemu: task ${task}`);
  const end = lines.findIndex((l, i) => i > start && /^vdso-layout-qemu: (task|done)/.test(l));
  expect(start, `${run} step ${step}: no ${task} task`).toBeGreaterThanOrEqual(0);
  const dir = mkdtempSync(join(tmpdir(), 'vl-gate-'));
  taskDirs.push(dir);
  const f = join(dir, `task-${task}.log`);
  writeFileSync(f, lines.slice(start, end < 0 ? undefined : end).join('\n') + '\n');
  return f;
};
const checkTask = async (run: string, step: number, task: 'native' | 'compat', withImage = true) => {
  const image = X(run, `step-${step}`, task === 'native' ? 'vdso64.so.dbg' : 'vdso32.so.dbg');
  const r = await runCli(['check', '--format', 'json', taskLog(run, step, task), ...(withImage ? ['--vdso', image] : [])]);
  const results = JSON.parse(r.stdout).results as Array<{ verdict: string; profile: string; findings: Finding[]; notes: string[] }>;
  const codes = [...new Set(results.flatMap((x) => x.findings.filter((f) => f.severity === 'error').map((f) => f.code)))];
  return { code: r.code, results, codes, notes: results.flatMap((x) => x.notes) };
};
const x86Clock = (run: string, step: number) => readFileSync(X(run, `step-${step}`, 'console.log'), 'latin1').replace(/\r/g, '').split('\n').filter((l) => l.startsWith('vdso-clock: '));
const x86Provenance = (run: string, patches: string[]) => {
  for (const k of [0, 1]) {
    const e = x86Env(run, k);
    expect(e.PATCHES).toBe(k === 0 ? '\'\'' : patches.map((p) => `${p}.patch`).join('\\ '));
    expect(e.SOURCE).toMatch(/^linux-source-6\.1\\ 6\.1\.\d+-\d+\\ \\\(Debian\\ bookworm\\\)$/);
    expect(e.COMPILER).toMatch(/^x86_64-linux-gnu-gcc/);
    expect(e.CONFIG).toBe('tinyconfig\\ +\\ scripts/kconfig/amd64.config');
    expect([e.VDSO, e.COMPAT_VDSO]).toEqual(['arch/x86/entry/vdso/vdso64.so.dbg', 'arch/x86/entry/vdso/vdso32.so.dbg']);
  }
};
const VVAR_PAGE = '0001-x86-vdso-make-room-for-one-more-vvar-page';
const VMA_MISTAKE = '0001-x86-vdso-map-one-page-less-of-vvar';

describe('samples/gate/x86-6.1-vvar-page: a self-consistent layout change the gate rightly passes', () => {
  const RUN = 'x86-6.1-vvar-page';
  it('each step was built from Debian\'s linux-source-6.1 (step 1 with the linker-script patch)', () => x86Provenance(RUN, [VVAR_PAGE]));

  it('the base tree passes against the table (x86-5.6), both tasks with their own images', async () => {
    for (const task of ['native', 'compat'] as const) {
      const c = await checkTask(RUN, 0, task);
      expect([task, c.code, c.codes, c.results.map((r) => r.profile)]).toEqual([task, 0, [], ['x86-5.6']]);
    }
  });

  it('with the patch the 64-bit task passes with its image: the image\'s symbols give [vvar] 5 pages, and a note says the row expects 4', async () => {
    const c = await checkTask(RUN, 1, 'native');
    expect([c.code, c.codes]).toEqual([0, []]);
    expect(c.notes).toContain('the image\'s symbols give [vvar] 5 pages; profile x86-5.6 expects 4');
  });

  it('without the image the same capture fails with size: the table alone knows 4 pages', async () => {
    const c = await checkTask(RUN, 1, 'native', false);
    expect([c.code, c.codes]).toEqual([1, ['size']]);
    expect(c.results[0].findings.find((f) => f.code === 'size')).toMatchObject({ severity: 'error' });
  });

  it('the base image carries no such note (the note comes from the patch, not the engine)', async () => {
    expect((await checkTask(RUN, 0, 'native')).notes.filter((n) => /image's symbols give \[vvar\]/.test(n))).toEqual([]);
  });

  it('the vDSO clock works on both steps, and the gate\'s KTAP passes both', () => {
    for (const k of [0, 1]) expect(x86Clock(RUN, k).at(-1)).toBe('vdso-clock: ok the vDSO reads the kernel\'s time');
    const ktap = readFileSync(X(RUN, 'gate.ktap'), 'utf8').split('\n');
    expect(ktap.filter((l) => /^(not )?ok /.test(l))).toEqual(['ok 1 base', `ok 2 1 ${VVAR_PAGE}`]);
    expect(ktap).toContain('# no patch breaks the layout');
    expect(JSON.parse(readFileSync(X(RUN, 'gate.json'), 'utf8')).exitCode).toBe(0);
  });

  it('its README says it is a self-consistent change, not a mistake', () => {
    expect(readFileSync(X(RUN, 'README.md'), 'utf8')).toMatch(/self-consistent layout change, not a mistake/);
  });
});

describe('samples/gate/x86-6.1-vma-mistake: a one-line mistake in map_vdso(), caught on x86_64', () => {
  const RUN = 'x86-6.1-vma-mistake';
  it('each step was built from Debian\'s linux-source-6.1 (step 1 with the map_vdso() patch)', () => x86Provenance(RUN, [VMA_MISTAKE]));

  it('the base tree passes against the table (x86-5.6), both tasks with their own images', async () => {
    for (const task of ['native', 'compat'] as const) {
      const c = await checkTask(RUN, 0, task);
      expect([task, c.code, c.codes, c.results.map((r) => r.profile)]).toEqual([task, 0, [], ['x86-5.6']]);
    }
  });

  it('the patch fails both tasks with size and gap, with the image and without it', async () => {
    for (const task of ['native', 'compat'] as const) {
      for (const withImage of [true, false]) {
        const c = await checkTask(RUN, 1, task, withImage);
        expect([task, withImage, c.code, c.codes]).toEqual([task, withImage, 1, ['size', 'gap']]);
      }
      const f = (await checkTask(RUN, 1, task)).results[0].findings as Array<Finding & { message: string }>;
      expect(f.find((x) => x.code === 'size')?.message).toBe('[vvar] has 3 pages, expected 4 pages');
      expect(f.find((x) => x.code === 'gap')?.message).toMatch(/^1 page gap between \[vvar\] .* and \[vdso\]/);
    }
  });

  it('the vDSO clock works on both steps: the failure is the layout, not a dead vDSO', () => {
    for (const k of [0, 1]) {
      const lines = x86Clock(RUN, k);
      expect(lines.filter((l) => / sane$/.test(l))).toHaveLength(2);
      expect(lines.at(-1)).toBe('vdso-clock: ok the vDSO reads the kernel\'s time');
    }
  });

  it('the gate\'s KTAP and JSON name the patch as the first that breaks, with size,gap', () => {
    const ktap = readFileSync(X(RUN, 'gate.ktap'), 'utf8').split('\n');
    expect(ktap.filter((l) => /^(not )?ok /.test(l))).toEqual(['ok 1 base', `not ok 2 1 ${VMA_MISTAKE}`]);
    expect(ktap).toContain('# verdict fail; codes size,gap; vdso clock ok; check exit 1');
    const j = JSON.parse(readFileSync(X(RUN, 'gate.json'), 'utf8'));
    expect([j.exitCode, j.firstBreaking]).toEqual([1, VMA_MISTAKE]);
    expect(j.steps.map((s: { verdict: string; codes: string[]; vdsoClock: string }) => [s.verdict, s.codes, s.vdsoClock]))
      .toEqual([['pass', [], 'ok'], ['fail', ['size', 'gap'], 'ok']]);
  });

  it('the series stored is the one built', () => {
    expect(existsSync(join(ROOT, 'samples', 'series', 'x86-vma-mistake', `${VMA_MISTAKE}.patch`))).toBe(true);
  });

  it('README\'s x86_64 and arm64 gate tables state each stored step as gate.json has it (verdict, codes, clock, build and boot times)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const [run, series] of [['x86-6.1-vvar-page', 'x86-vvar-page'], [RUN, 'x86-vma-mistake'], ['arm64-6.1-vvar-gap', 'arm64-vvar-gap']]) {
      const j = JSON.parse(readFileSync(X(run, 'gate.json'), 'utf8'));
      for (const st of j.steps as Array<{ name: string; verdict: string; codes: string[]; vdsoClock: string; buildSeconds: number; bootSeconds: number }>) {
        const patch = st.name === 'base' ? 'base' : `[${series}](samples/series/${series}/) ${st.name}`;
        expect(readme).toContain(`| ${j.arch} | linux-source-6.1 | ${patch} | ${st.verdict} | ${st.codes.join(', ') || '-'} | ${st.vdsoClock} | ${st.buildSeconds}s | ${st.bootSeconds}s |`);
      }
    }
  });
});

// arm64 kernels built from Debian's linux-source-6.1 (no COMPAT: one 64-bit task per boot). The
// patch moves the text one page up in __setup_additional_pages() while vdso.lds.S still puts
// _vdso_data __VVAR_PAGES pages below the text.
const VVAR_GAP = '0001-arm64-vdso-leave-a-guard-page-between-the-data-pages';
describe('samples/gate/arm64-6.1-vvar-gap: a one-line mistake in __setup_additional_pages(), caught on arm64', () => {
  const RUN = 'arm64-6.1-vvar-gap';
  const A = (...p: string[]) => X(RUN, ...p);
  const checkArm = async (step: number, withImage = true) => {
    const r = await runCli(['check', '--format', 'json', A(`step-${step}`, 'console.log'), ...(withImage ? ['--vdso', A(`step-${step}`, 'vdso.so.dbg')] : [])]);
    const results = JSON.parse(r.stdout).results as Array<{ verdict: string; profile: string; findings: Array<Finding & { message: string }> }>;
    const codes = [...new Set(results.flatMap((x) => x.findings.filter((f) => f.severity === 'error').map((f) => f.code)))];
    return { code: r.code, results, codes };
  };
  const armClock = (step: number) => readFileSync(A(`step-${step}`, 'console.log'), 'latin1').replace(/\r/g, '').split('\n');

  it('each step was built from Debian\'s linux-source-6.1 for arm64, 4K pages, no COMPAT', () => {
    for (const k of [0, 1]) {
      const e = x86Env(RUN, k);
      expect(e.PATCHES).toBe(k === 0 ? '\'\'' : `${VVAR_GAP}.patch`);
      expect(e.SOURCE).toMatch(/^linux-source-6\.1\\ 6\.1\.\d+-\d+\\ \\\(Debian\\ bookworm\\\)$/);
      expect(e.COMPILER).toMatch(/^aarch64-linux-gnu-gcc/);
      expect(e.CONFIG).toBe('tinyconfig\\ +\\ scripts/kconfig/arm64.config');
      expect([e.KERNEL, e.VDSO, e.COMPAT_VDSO ?? '']).toEqual(['arch/arm64/boot/Image', 'arch/arm64/kernel/vdso/vdso.so.dbg', '']);
      const config = readFileSync(A(`step-${k}`, 'kernel.config'), 'utf8');
      expect(config).toMatch(/^CONFIG_ARM64_4K_PAGES=y$/m);
      expect(config).toMatch(/^# CONFIG_TIME_NS is not set$|^# CONFIG_NAMESPACES is not set$/m);
    }
  });

  it('the base tree passes against the table (arm64-5.9: [vvar] 2 pages, then [vdso])', async () => {
    for (const withImage of [true, false]) {
      const c = await checkArm(0, withImage);
      expect([withImage, c.code, c.codes, c.results.map((r) => r.profile)]).toEqual([withImage, 0, [], ['arm64-5.9']]);
    }
  });

  it('the patch fails with gap (a one-page hole between [vvar] and [vdso]), with the image and without it', async () => {
    for (const withImage of [true, false]) {
      const c = await checkArm(1, withImage);
      expect([withImage, c.code, c.codes]).toEqual([withImage, 1, ['gap']]);
    }
    const f = (await checkArm(1)).results[0].findings;
    expect(f.find((x) => x.code === 'gap')?.message).toMatch(/^1 page gap between \[vvar\] .* and \[vdso\]/);
  });

  it('the vDSO clock works on the base and dies with SIGBUS under the patch (the text reads the time-namespace page)', () => {
    expect(armClock(0).filter((l) => l.startsWith('vdso-clock: ')).at(-1)).toMatch(/^vdso-clock: ok/);
    const patched = armClock(1);
    const at = patched.findIndex((l) => l.startsWith('vdso-clock: vDSO at '));
    expect(patched.slice(at + 1, at + 3)).toEqual(['Bus error', 'vdso-layout-qemu: the program exited with 135']);
    expect(patched.some((l) => l.startsWith('vdso-clock: ok'))).toBe(false);
  });

  it('the gate\'s KTAP and JSON name the patch as the first that breaks', () => {
    const ktap = readFileSync(A('gate.ktap'), 'utf8').split('\n');
    expect(ktap.slice(0, 3)).toEqual(['KTAP version 1', '# vdso-layout gate: arm64, debian:linux-source-6.1, 1 patch(es)', '1..2']);
    expect(ktap.filter((l) => /^(not )?ok /.test(l))).toEqual(['ok 1 base', `not ok 2 1 ${VVAR_GAP}`]);
    expect(ktap).toContain(`# first patch that breaks: ${VVAR_GAP}`);
    const j = JSON.parse(readFileSync(A('gate.json'), 'utf8'));
    expect([j.arch, j.exitCode, j.firstBreaking]).toEqual(['arm64', 1, VVAR_GAP]);
    expect(j.steps.map((s: { verdict: string; codes: string[]; vdsoClock: string }) => [s.verdict, s.codes, s.vdsoClock]))
      .toEqual([['pass', [], 'ok'], ['fail', ['gap'], 'fail']]);
  });

  it('the series stored is the one built', () => {
    expect(existsSync(join(ROOT, 'samples', 'series', 'arm64-vvar-gap', `${VVAR_GAP}.patch`))).toBe(true);
  });
});

describe('schemas/gate-1.schema.json: the JSON gate-series.sh writes', () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'gate-1.schema.json'), 'utf8')));
  const stored = readdirSync(join(ROOT, 'samples', 'gate')).filter((d) => existsSync(join(ROOT, 'samples', 'gate', d, 'gate.json')));
  it('every stored gate.json validates (compiled under ajv strict)', () => {
    expect(stored).toContain('ppc64-2020');
    for (const d of stored) {
      const j = JSON.parse(readFileSync(join(ROOT, 'samples', 'gate', d, 'gate.json'), 'utf8'));
      expect(validate(j), `${d}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
  it('rejects what is not a gate report: another schema id, an unknown verdict, an exit code outside 0/1/2', () => {
    const j = JSON.parse(readFileSync(G('gate.json'), 'utf8'));
    expect(validate({ ...j, schema: 'vdso-layout/check/1' })).toBe(false);
    expect(validate({ ...j, exitCode: 3 })).toBe(false);
    expect(validate({ ...j, steps: [{ ...j.steps[0], verdict: 'maybe' }] })).toBe(false);
    expect(validate({ ...j, steps: [] })).toBe(false);
  });
});
