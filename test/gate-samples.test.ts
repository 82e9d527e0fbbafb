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
// build.env's KEY=value lines (values as the shell quoted them), and the vdso-clock program's lines of a console log.
const readEnv = (file: string) => Object.fromEntries(readFileSync(file, 'utf8').trim().split('\n').map((l) => {
  const i = l.indexOf('='); return [l.slice(0, i), l.slice(i + 1)];
}));
const clockLines = (file: string) => readFileSync(file, 'latin1').replace(/\r/g, '').split('\n').filter((l) => l.startsWith('vdso-clock: '));
const env = (step: number) => readEnv(G(`step-${step}`, 'build.env'));
const clock = (step: number) => clockLines(G(`step-${step}`, 'console.log'));

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

// x86_64, arm64, riscv64, s390x, mips64el and armhf kernels built from Debian's linux-source-6.1, each booted
// with its native task (64-bit, and 32-bit on armhf) and (x86_64, arm64, mips64el's o32) a 32-bit compat task. The gate checks each task's part of the console log
// with its own image, as scripts/qemu-check.sh splits it; these helpers split the stored log the same way.
const X = (run: string, ...p: string[]) => join(ROOT, 'samples', 'gate', run, ...p);
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
const stepClock = (run: string, step: number) => clockLines(X(run, `step-${step}`, 'console.log'));

// One row per one-patch gate sample built from linux-source-6.1 (base + one patch, every task
// booted: the 64-bit one, and the compat one where the arch has it): what every such sample must
// show, checked the same way for each. What only one sample shows has its own describe below.
type Verdict = readonly [code: number, codes: string[]];
interface GateSample {
  run: string; series: string; patch: string; arch: 'amd64' | 'arm64' | 'riscv64' | 's390x' | 'mips64el' | 'armhf';
  /** compatVdso '' (build.env's empty COMPAT_VDSO=): no compat vDSO built, no compat task booted */
  compiler: RegExp; kernel: string; vdso: string; compatVdso: string;
  /** the image file names kept in each step directory, per task (no compat: a 64-bit task only) */
  images: { native: string; compat?: string };
  /** the table row both tasks of the base match */
  profile: string;
  /** the patched step per task: with its image, and without it */
  patched: { native: { image: Verdict; noImage: Verdict }; compat?: { image: Verdict; noImage: Verdict } };
  /** the vdso-clock program's last word on the base and the patched step */
  clock: readonly ['ok' | 'fail', 'ok' | 'fail'];
}
const TASKS = ['native', 'compat'] as const;
type Task = typeof TASKS[number];
const tasks = (s: GateSample): Task[] => TASKS.filter((t) => s.images[t] !== undefined);
const VVAR_PAGE = '0001-x86-vdso-make-room-for-one-more-vvar-page';
const VMA_MISTAKE = '0001-x86-vdso-map-one-page-less-of-vvar';
const VVAR_GAP = '0001-arm64-vdso-leave-a-guard-page-between-the-data-pages';
const VVAR_EXEC = '0001-riscv-vdso-map-the-data-pages-with-the-text-s-protec';
const VVAR_ABOVE = '0001-s390-vdso-map-the-text-at-the-address-vdso_addr-chos';
const TEXT_LONG = '0001-MIPS-vdso-install-the-text-with-the-length-the-area-';
const SIGPAGE_ABOVE = '0001-ARM-process-install-the-vDSO-at-the-start-of-the-sig';
const x86 = { arch: 'amd64', compiler: /^x86_64-linux-gnu-gcc/, kernel: 'arch/x86/boot/bzImage', vdso: 'arch/x86/entry/vdso/vdso64.so.dbg',
  compatVdso: 'arch/x86/entry/vdso/vdso32.so.dbg', images: { native: 'vdso64.so.dbg', compat: 'vdso32.so.dbg' }, profile: 'x86-5.6' } as const;
const SAMPLES: GateSample[] = [
  { ...x86, run: 'x86-6.1-vvar-page', series: 'x86-vvar-page', patch: VVAR_PAGE, clock: ['ok', 'ok'],
    patched: { native: { image: [0, []], noImage: [1, ['size']] }, compat: { image: [0, []], noImage: [1, ['size']] } } },
  { ...x86, run: 'x86-6.1-vma-mistake', series: 'x86-vma-mistake', patch: VMA_MISTAKE, clock: ['ok', 'ok'],
    patched: { native: { image: [1, ['size', 'gap']], noImage: [1, ['size', 'gap']] }, compat: { image: [1, ['size', 'gap']], noImage: [1, ['size', 'gap']] } } },
  { run: 'arm64-6.1-vvar-gap', series: 'arm64-vvar-gap', patch: VVAR_GAP, arch: 'arm64', compiler: /^aarch64-linux-gnu-gcc/,
    kernel: 'arch/arm64/boot/Image', vdso: 'arch/arm64/kernel/vdso/vdso.so.dbg', compatVdso: 'arch/arm64/kernel/vdso32/vdso.so.dbg',
    images: { native: 'vdso.so.dbg', compat: 'vdso32.so.dbg' }, profile: 'arm64-5.9', clock: ['ok', 'fail'],
    // The compat task's [sigpage] (its own get_unmapped_area, after the vDSO) lands in the hole the
    // patch leaves: no gap there, but [vvar] and [sigpage] are not where the row puts lines.
    patched: { native: { image: [1, ['gap']], noImage: [1, ['gap']] }, compat: { image: [1, ['unexpected']], noImage: [1, ['unexpected']] } } },
  // No compat task: the rv32 compat vDSO would build, but Debian has no rv32 user space to run it.
  { run: 'riscv64-6.1-vvar-exec', series: 'riscv64-vvar-exec', patch: VVAR_EXEC, arch: 'riscv64', compiler: /^riscv64-linux-gnu-gcc/,
    kernel: 'arch/riscv/boot/Image', vdso: 'arch/riscv/kernel/vdso/vdso.so.dbg', compatVdso: '',
    images: { native: 'vdso.so.dbg' }, profile: 'riscv-5.16', clock: ['ok', 'ok'],
    patched: { native: { image: [1, ['perms']], noImage: [1, ['perms']] } } },
  // No compat task: the 31-bit vdso32 would build, but Debian has no 31-bit s390 user space to run it.
  // The text reads its data two pages below itself, where the patch left no [vvar]: the clock's
  // verdict depends on what lies there (see the sample's README); the stored boot read garbage.
  { run: 's390x-6.1-vvar-above-text', series: 's390x-vvar-above-text', patch: VVAR_ABOVE, arch: 's390x', compiler: /^s390x-linux-gnu-gcc/,
    kernel: 'arch/s390/boot/bzImage', vdso: 'arch/s390/kernel/vdso64/vdso64.so.dbg', compatVdso: '',
    images: { native: 'vdso64.so.dbg' }, profile: 's390-5.12', clock: ['ok', 'fail'],
    patched: { native: { image: [1, ['order']], noImage: [1, ['order']] } } },
  // The compat task is o32 (Debian's mipsel busybox-static, MIPS32_O32); no n32 task (Debian has no
  // n32 user space). The text's vma is one page longer than its image, for both ABIs; the text
  // itself and its data page are where they were, so the clock still reads right.
  { run: 'mips64el-6.1-vdso-text-long', series: 'mips64el-vdso-text-long', patch: TEXT_LONG, arch: 'mips64el', compiler: /^mips64el-linux-gnuabi64-gcc/,
    kernel: 'vmlinux', vdso: 'arch/mips/vdso/vdso.so.dbg', compatVdso: 'arch/mips/vdso/vdso-o32.so.dbg',
    images: { native: 'vdso.so.dbg', compat: 'vdso-o32.so.dbg' }, profile: 'mips-4.8', clock: ['ok', 'ok'],
    patched: { native: { image: [1, ['image-size']], noImage: [1, ['image-size']] }, compat: { image: [1, ['image-size']], noImage: [1, ['image-size']] } } },
  // A 32-bit kernel: no compat task. [sigpage] is mapped above the vDSO instead of right below
  // [vvar]; the vDSO's own two pages are unchanged, so the clock still reads right.
  { run: 'armhf-6.1-sigpage-above-vdso', series: 'armhf-sigpage-above-vdso', patch: SIGPAGE_ABOVE, arch: 'armhf', compiler: /^arm-linux-gnueabihf-gcc/,
    kernel: 'arch/arm/boot/zImage', vdso: 'arch/arm/vdso/vdso.so.dbg', compatVdso: '',
    images: { native: 'vdso.so.dbg' }, profile: 'arm-4.1', clock: ['ok', 'ok'],
    patched: { native: { image: [1, ['neighbour']], noImage: [1, ['neighbour']] } } },
];
const checkTask = async (s: GateSample, step: number, task: Task, withImage = true) => {
  const image = X(s.run, `step-${step}`, s.images[task]!);
  const r = await runCli(['check', '--format', 'json', taskLog(s.run, step, task), ...(withImage ? ['--vdso', image] : [])]);
  const results = JSON.parse(r.stdout).results as Array<{ verdict: string; profile: string; findings: Array<Finding & { message: string }>; notes: string[] }>;
  const codes = [...new Set(results.flatMap((x) => x.findings.filter((f) => f.severity === 'error').map((f) => f.code)))];
  return { code: r.code, results, codes, notes: results.flatMap((x) => x.notes) };
};
const sample = (run: string) => SAMPLES.find((s) => s.run === run)!;

describe.each(SAMPLES)('samples/gate/$run: linux-source-6.1 on $arch, base and $series, every task', (s) => {
  it('each step was built from Debian\'s linux-source-6.1 with the series up to that step (provenance in build.env)', () => {
    for (const k of [0, 1]) {
      const e = readEnv(X(s.run, `step-${k}`, 'build.env'));
      expect(e.PATCHES).toBe(k === 0 ? '\'\'' : `${s.patch}.patch`);
      expect(e.SOURCE).toMatch(/^linux-source-6\.1\\ 6\.1\.\d+-\d+\\ \\\(Debian\\ bookworm\\\)$/);
      expect(e.COMPILER).toMatch(s.compiler);
      expect(e.CONFIG).toBe(`tinyconfig\\ +\\ scripts/kconfig/${s.arch}.config`);
      expect([e.KERNEL, e.VDSO, e.COMPAT_VDSO]).toEqual([s.kernel, s.vdso, s.compatVdso]);
    }
  });

  it('the base tree passes against the table, every task, with its own image and without it', async () => {
    for (const task of tasks(s)) {
      for (const withImage of [true, false]) {
        const c = await checkTask(s, 0, task, withImage);
        expect([task, withImage, c.code, c.codes, c.results.map((r) => r.profile)]).toEqual([task, withImage, 0, [], [s.profile]]);
      }
    }
  });

  it('the patched tree: each task\'s verdict and codes, with its image and without it', async () => {
    for (const task of tasks(s)) {
      for (const withImage of [true, false]) {
        const c = await checkTask(s, 1, task, withImage);
        expect([task, withImage, c.code, c.codes]).toEqual([task, withImage, ...s.patched[task]![withImage ? 'image' : 'noImage']]);
      }
    }
  });

  it('the vDSO clock program\'s verdict on each step', () => {
    for (const k of [0, 1]) {
      const lines = stepClock(s.run, k);
      const ok = lines.at(-1) === 'vdso-clock: ok the vDSO reads the kernel\'s time';
      expect([k, ok ? 'ok' : 'fail']).toEqual([k, s.clock[k]]);
      if (!ok) expect(lines.some((l) => l.startsWith('vdso-clock: ok'))).toBe(false);
    }
  });

  it('the gate\'s KTAP and JSON agree with the checks above and name the first patch that breaks', () => {
    const fails = tasks(s).some((t) => s.patched[t]!.image[0] !== 0) || s.clock[1] === 'fail';
    const ktap = readFileSync(X(s.run, 'gate.ktap'), 'utf8').split('\n');
    expect(ktap.slice(0, 3)).toEqual(['KTAP version 1', `# vdso-layout gate: ${s.arch}, debian:linux-source-6.1, 1 patch(es)`, '1..2']);
    expect(ktap.filter((l) => /^(not )?ok /.test(l))).toEqual(['ok 1 base', `${fails ? 'not ok' : 'ok'} 2 1 ${s.patch}`]);
    expect(ktap).toContain(fails ? `# first patch that breaks: ${s.patch}` : '# no patch breaks the layout');
    const codes = [...new Set(tasks(s).flatMap((t) => s.patched[t]!.image[1]))];
    const layoutFails = codes.length > 0;
    expect(ktap).toContain(`# verdict ${fails ? 'fail' : 'pass'}${codes.length ? `; codes ${codes.join(',')}` : ''}; vdso clock ${s.clock[1]}; check exit ${layoutFails ? 1 : 0}`);
    const j = JSON.parse(readFileSync(X(s.run, 'gate.json'), 'utf8'));
    expect([j.arch, j.exitCode, j.firstBreaking]).toEqual([s.arch, fails ? 1 : 0, fails ? s.patch : null]);
    expect(j.steps.map((st: { verdict: string; codes: string[]; vdsoClock: string }) => [st.verdict, st.codes, st.vdsoClock]))
      .toEqual([['pass', [], s.clock[0]], [fails ? 'fail' : 'pass', codes, s.clock[1]]]);
  });

  it('the series stored is the one built', () => {
    expect(existsSync(join(ROOT, 'samples', 'series', s.series, `${s.patch}.patch`))).toBe(true);
  });

  it('README\'s gate table states each step as gate.json has it (verdict, codes, clock, build and boot times)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const j = JSON.parse(readFileSync(X(s.run, 'gate.json'), 'utf8'));
    for (const st of j.steps as Array<{ name: string; verdict: string; codes: string[]; vdsoClock: string; buildSeconds: number; bootSeconds: number }>) {
      const patch = st.name === 'base' ? 'base' : `[${s.series}](samples/series/${s.series}/) ${st.name}`;
      expect(readme).toContain(`| ${j.arch} | linux-source-6.1 | ${patch} | ${st.verdict} | ${st.codes.join(', ') || '-'} | ${st.vdsoClock} | ${st.buildSeconds}s | ${st.bootSeconds}s |`);
    }
  });
});

describe('samples/gate/x86-6.1-vvar-page: a self-consistent layout change the gate rightly passes', () => {
  const s = sample('x86-6.1-vvar-page');
  it('with the patch the 64-bit task passes with its image: the image\'s symbols give [vvar] 5 pages, and a note says the row expects 4', async () => {
    expect((await checkTask(s, 1, 'native')).notes).toContain('the image\'s symbols give [vvar] 5 pages; profile x86-5.6 expects 4');
  });

  it('without the image the same capture fails with size (an error): the table alone knows 4 pages', async () => {
    expect((await checkTask(s, 1, 'native', false)).results[0].findings.find((f) => f.code === 'size')).toMatchObject({ severity: 'error' });
  });

  it('the base image carries no such note (the note comes from the patch, not the engine)', async () => {
    expect((await checkTask(s, 0, 'native')).notes.filter((n) => /image's symbols give \[vvar\]/.test(n))).toEqual([]);
  });

  it('its README says it is a self-consistent change, not a mistake', () => {
    expect(readFileSync(X(s.run, 'README.md'), 'utf8')).toMatch(/self-consistent layout change, not a mistake/);
  });
});

describe('samples/gate/x86-6.1-vma-mistake: a one-line mistake in map_vdso(), caught on x86_64', () => {
  const s = sample('x86-6.1-vma-mistake');
  it('both tasks say what is wrong: [vvar] one page short, a one-page hole below [vdso]', async () => {
    for (const task of TASKS) {
      const f = (await checkTask(s, 1, task)).results[0].findings;
      expect(f.find((x) => x.code === 'size')?.message).toBe('[vvar] has 3 pages, expected 4 pages');
      expect(f.find((x) => x.code === 'gap')?.message).toMatch(/^1 page gap between \[vvar\] .* and \[vdso\]/);
    }
  });

  it('the vDSO clock reads sane times on both steps: the failure is the layout, not a dead vDSO', () => {
    for (const k of [0, 1]) expect(stepClock(s.run, k).filter((l) => / sane$/.test(l))).toHaveLength(2);
  });
});

// The patch moves the text one page up in __setup_additional_pages() while vdso.lds.S still puts
// _vdso_data __VVAR_PAGES pages below the text; the function maps the compat vDSO too.
describe('samples/gate/arm64-6.1-vvar-gap: a one-line mistake in __setup_additional_pages(), caught on arm64', () => {
  const s = sample('arm64-6.1-vvar-gap');
  const console1 = () => readFileSync(X(s.run, 'step-1', 'console.log'), 'latin1').replace(/\r/g, '').split('\n');

  it('4K pages, no time namespaces, and the AArch32 compat vDSO built (COMPAT, COMPAT_VDSO)', () => {
    for (const k of [0, 1]) {
      const config = readFileSync(X(s.run, `step-${k}`, 'kernel.config'), 'utf8');
      for (const o of ['CONFIG_ARM64_4K_PAGES=y', 'CONFIG_COMPAT=y', 'CONFIG_COMPAT_VDSO=y']) expect(config.split('\n')).toContain(o);
      expect(config).toMatch(/^# CONFIG_TIME_NS is not set$|^# CONFIG_NAMESPACES is not set$/m);
    }
  });

  it('the 64-bit task says what is wrong: a one-page hole between [vvar] and [vdso]', async () => {
    const f = (await checkTask(s, 1, 'native')).results[0].findings;
    expect(f.find((x) => x.code === 'gap')?.message).toMatch(/^1 page gap between \[vvar\] .* and \[vdso\]/);
  });

  it('in the compat task [sigpage] fills that hole ([vvar], [sigpage], [vdso] adjacent): [vvar] and [sigpage] are where the row has no line', async () => {
    const maps = readFileSync(taskLog(s.run, 1, 'compat'), 'utf8').split('\n').filter((l) => /^[0-9a-f]+-[0-9a-f]+ .*\[(vvar|sigpage|vdso)\]$/.test(l));
    const vmas = maps.map((l) => { const [a, b] = l.split(' ')[0].split('-'); return { name: l.split(/\s+/).at(-1), start: a, end: b }; });
    expect(vmas.map((v) => v.name)).toEqual(['[vvar]', '[sigpage]', '[vdso]']);
    expect([vmas[0].end, vmas[1].end]).toEqual([vmas[1].start, vmas[2].start]);
    const f = (await checkTask(s, 1, 'compat')).results[0].findings;
    expect(f.map((x) => [x.code, x.message.replace(/0x[0-9a-f]+-0x[0-9a-f]+/, 'A-B')])).toEqual([
      ['unexpected', '[vvar] at A-B is not a line profile arm64-5.9 prints here'], ['unexpected', '[sigpage] at A-B is not a line profile arm64-5.9 prints here']]);
  });

  it('under the patch the vDSO clock dies with SIGBUS (the text reads the time-namespace page)', () => {
    const patched = console1();
    const at = patched.findIndex((l) => l.startsWith('vdso-clock: vDSO at '));
    expect(patched.slice(at + 1, at + 3)).toEqual(['Bus error', 'vdso-layout-qemu: the program exited with 135']);
  });
});

// The patch installs the text at the start of map_vdso()'s area and [vvar] after it, while
// vdso64.lds.S still puts _vdso_data __VVAR_PAGES pages below the text.
describe('samples/gate/s390x-6.1-vvar-above-text: the data pages mapped above the text, caught on s390x', () => {
  const s = sample('s390x-6.1-vvar-above-text');
  const vmas = (k: number) => readFileSync(taskLog(s.run, k, 'native'), 'utf8').split('\n')
    .filter((l) => /^[0-9a-f]+-[0-9a-f]+ .*\[(vvar|vdso)\]$/.test(l))
    .map((l) => { const [a, b] = l.split(' ')[0].split('-'); return { name: l.split(/\s+/).at(-1), start: a, end: b }; });

  it('no compat task: COMPAT off, and the console is the SCLP VT220 one QEMU connects -serial to', () => {
    for (const k of [0, 1]) {
      expect(readFileSync(X(s.run, `step-${k}`, 'kernel.config'), 'utf8').split('\n')).toContain('# CONFIG_COMPAT is not set');
      expect(readFileSync(X(s.run, `step-${k}`, 'console.log'), 'latin1')).toContain('printk: console [ttysclp0] enabled');
    }
  });

  it('the same two vmas, adjacent, in the other order: [vvar] then [vdso] in the base, [vdso] then [vvar] with the patch', () => {
    expect(vmas(0).map((v) => v.name)).toEqual(['[vvar]', '[vdso]']);
    expect(vmas(1).map((v) => v.name)).toEqual(['[vdso]', '[vvar]']);
    for (const k of [0, 1]) expect(vmas(k)[0].end).toBe(vmas(k)[1].start);
  });

  it('check says what is wrong: order, nothing else', async () => {
    const f = (await checkTask(s, 1, 'native')).results[0].findings.filter((x) => x.severity === 'error');
    expect(f.map((x) => [x.code, x.message])).toEqual([['order',
      '[vvar] is above [vdso]; the kernel puts it below (expected order low to high: [vvar], [vdso]; got [vdso], [vvar])']]);
  });

  it('the patched vDSO read garbage and said it was fine (rc 0): both clocks insane', () => {
    const lines = stepClock(s.run, 1);
    expect(lines.filter((l) => / rc=0 INSANE$/.test(l))).toHaveLength(2);
    expect(stepClock(s.run, 0).filter((l) => / rc=0 sane$/.test(l))).toHaveLength(2);
  });
});

// The patch installs the text with size (vvar_size + image->size, the whole area) where it had
// image->size: [vdso] one page longer than the image, with no page behind its tail.
describe('samples/gate/mips64el-6.1-vdso-text-long: the text vma a page longer than its image, caught on mips64el', () => {
  const s = sample('mips64el-6.1-vdso-text-long');
  const vmas = (k: number, task: Task) => readFileSync(taskLog(s.run, k, task), 'utf8').split('\n')
    .filter((l) => /^[0-9a-f]+-[0-9a-f]+ .*\[(vvar|vdso)\]$/.test(l))
    .map((l) => { const [a, b] = l.split(' ')[0].split('-').map((x) => parseInt(x, 16)); return { name: l.split(/\s+/).at(-1), pages: (b - a) / 4096, start: a, end: b }; });
  const dumpEnd = (k: number, task: Task) => readFileSync(taskLog(s.run, k, task), 'utf8').split('\n').filter((l) => /^[0-9a-f]{6,}( |$)/.test(l)).at(-1)!.split(' ')[0];

  it('o32 compat on (MIPS32_O32, no n32), a Malta 5KE without cache aliases or a GIC, the console on ttyS0', () => {
    for (const k of [0, 1]) {
      const config = readFileSync(X(s.run, `step-${k}`, 'kernel.config'), 'utf8').split('\n');
      for (const o of ['CONFIG_MIPS32_O32=y', '# CONFIG_MIPS32_N32 is not set', 'CONFIG_MIPS_MALTA=y']) expect(config).toContain(o);
      const log = readFileSync(X(s.run, `step-${k}`, 'console.log'), 'latin1');
      for (const l of ['printk: console [ttyS0] enabled', 'CPU0 revision is: 00018900 (MIPS 5KE)', 'Primary data cache 8kB, 2-way, VIPT, no aliases']) expect(log).toContain(l);
    }
  });

  it('each task: [vvar] one page, then [vdso] adjacent: one page in the base, two with the patch; the data page and the text start unmoved relative to each other', () => {
    for (const task of TASKS) {
      expect(vmas(0, task).map((v) => [v.name, v.pages])).toEqual([['[vvar]', 1], ['[vdso]', 1]]);
      expect(vmas(1, task).map((v) => [v.name, v.pages])).toEqual([['[vvar]', 1], ['[vdso]', 2]]);
      for (const k of [0, 1]) expect(vmas(k, task)[0].end).toBe(vmas(k, task)[1].start);
    }
  });

  it('the capture read the whole [vdso] in the base, and only its first page with the patch: the tail has no page behind it', () => {
    for (const task of TASKS) expect([task, dumpEnd(0, task), dumpEnd(1, task)]).toEqual([task, '001000', '001000']);
  });

  it('check notes the short read with the patch (its bytes stop after 4096 of 8192), and not in the base', async () => {
    for (const task of TASKS) {
      const short = (k: number) => checkTask(s, k, task, false).then((c) => c.notes.filter((n) => n.includes('[vdso] bytes stop after')));
      expect(await short(0)).toEqual([]);
      expect(await short(1)).toEqual([expect.stringMatching(/^bundle at line \d+: the \[vdso\] bytes stop after 4096 of the vma's 8192 bytes: the rest of it could not be read$/)]);
    }
  });

  it('check says what is wrong: image-size, nothing else, for both ABIs', async () => {
    for (const task of TASKS) {
      const f = (await checkTask(s, 1, task, false)).results[0].findings.filter((x) => x.severity === 'error');
      expect(f.map((x) => [x.code, x.message])).toEqual([['image-size',
        `[vdso] has 2 pages; the image needs 1 page (${task === 'native' ? 3712 : 3804} bytes at 4096-byte pages)`]]);
    }
  });
});

// The patch calls arm_install_vdso() at the start of the area arch_setup_additional_pages()
// reserved and maps [sigpage] in its last page: the same three pages, in another order.
describe('samples/gate/armhf-6.1-sigpage-above-vdso: [sigpage] mapped above the vDSO, caught on armhf', () => {
  const s = sample('armhf-6.1-sigpage-above-vdso');
  const vmas = (k: number) => readFileSync(taskLog(s.run, k, 'native'), 'utf8').split('\n')
    .filter((l) => /^[0-9a-f]+-[0-9a-f]+ .*\[(sigpage|vvar|vdso|vectors)\]$/.test(l))
    .map((l) => { const [a, b] = l.split(' ')[0].split('-'); return { name: l.split(/\s+/).at(-1), perms: l.split(' ')[1], start: a, end: b }; });

  it('an ARMv7 virt kernel with the vDSO, the kuser helpers and the 32-bit time calls, no LPAE, the console on ttyAMA0', () => {
    for (const k of [0, 1]) {
      const config = readFileSync(X(s.run, `step-${k}`, 'kernel.config'), 'utf8').split('\n');
      for (const o of ['CONFIG_ARCH_VIRT=y', 'CONFIG_VDSO=y', 'CONFIG_ARM_ARCH_TIMER=y', 'CONFIG_KUSER_HELPERS=y', 'CONFIG_COMPAT_32BIT_TIME=y', '# CONFIG_ARM_LPAE is not set']) expect(config).toContain(o);
      const log = readFileSync(X(s.run, `step-${k}`, 'console.log'), 'latin1');
      for (const l of ['printk: console [ttyAMA0] enabled', 'arch_timer: cp15 timer(s) running at 62.50MHz (virt).']) expect(log).toContain(l);
    }
  });

  it('the same three pages, adjacent: [sigpage] [vvar] [vdso] in the base, [vvar] [vdso] [sigpage] with the patch; [vectors] at 0xffff0000 in both', () => {
    expect(vmas(0).map((v) => [v.name, v.perms])).toEqual([['[sigpage]', 'r-xp'], ['[vvar]', 'r--p'], ['[vdso]', 'r-xp'], ['[vectors]', 'r-xp']]);
    expect(vmas(1).map((v) => [v.name, v.perms])).toEqual([['[vvar]', 'r--p'], ['[vdso]', 'r-xp'], ['[sigpage]', 'r-xp'], ['[vectors]', 'r-xp']]);
    for (const k of [0, 1]) {
      const v = vmas(k);
      expect([v[0].end, v[1].end]).toEqual([v[1].start, v[2].start]);
      expect(parseInt(v[2].end, 16) - parseInt(v[0].start, 16)).toBe(3 * 4096);
      expect(v[3].start).toBe('ffff0000');
    }
  });

  it('check says what is wrong: neighbour ([sigpage] not right below the cluster), nothing else, with the image and without it', async () => {
    for (const withImage of [true, false]) {
      const f = (await checkTask(s, 1, 'native', withImage)).results[0].findings.filter((x) => x.severity === 'error');
      expect(f.map((x) => [x.code, x.message])).toEqual([['neighbour', '[sigpage]: ends at 0xbeed3000, not right below the cluster at 0xbeed0000']]);
    }
  });

  it('the vDSO read the right time on both steps (its data page is still the page below its text)', () => {
    for (const k of [0, 1]) {
      const lines = stepClock(s.run, k);
      expect(lines[0]).toMatch(/^vdso-clock: vDSO at 0x[0-9a-f]+, __vdso_clock_gettime at 0x[0-9a-f]+ \(symbol value 0x330\)$/);
      expect(lines.filter((l) => / rc=0 sane$/.test(l))).toHaveLength(2);
    }
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
