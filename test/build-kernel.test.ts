import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { cli, ROOT } from './helpers.js';

// scripts/build-kernel.sh and scripts/gate-series.sh without building a kernel (CI does not build
// kernels): the plan --dry-run prints for each arch and era it knows, its usage errors, and a series
// whose patch does not apply (found before any compiler is needed). The kernels built from source
// are checked through their stored logs in test/gate-samples.test.ts.
const BUILD = join(ROOT, 'scripts', 'build-kernel.sh');
const GATE = join(ROOT, 'scripts', 'gate-series.sh');
const run = (script: string, args: string[]) => {
  const r = spawnSync('bash', [script, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const plan = (args: string[]) => {
  const r = run(BUILD, [...args, '--dry-run']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const field = (k: string) => r.stdout.split('\n').filter((l) => l.startsWith(`${k}: `)).map((l) => l.slice(k.length + 2));
  return { ...r, field };
};
// Configuring a tree needs the kernel build's tools (build-kernel.sh checks them first): where
// they are missing the tests that get that far skip, saying so, except under CI, which installs them.
const buildToolsMissing = ['make', 'flex', 'bison', 'bc'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
if (buildToolsMissing.length && !process.env.CI) console.log(`build-kernel configure tests skipped: ${buildToolsMissing.join(', ')} not installed (.ci/run installs them)`);
const configureIt = buildToolsMissing.length && !process.env.CI ? it.skip : it;
const tree = (version: number, patchlevel: number) => {
  const d = mkdtempSync(join(tmpdir(), 'vl-tree-'));
  writeFileSync(join(d, 'Makefile'), `# SPDX-License-Identifier: GPL-2.0\nVERSION = ${version}\nPATCHLEVEL = ${patchlevel}\nSUBLEVEL = 0\n`);
  return d;
};

describe('scripts/build-kernel.sh --dry-run: the plan for each arch and era', () => {
  const out = join(tmpdir(), 'vl-build-plan-never-created');
  it.each([
    // arch, source, release, image, vDSO, compat vDSO
    ['ppc64el', 'debian:linux-source-5.10', '5.10', 'vmlinux', 'arch/powerpc/kernel/vdso64/vdso64.so.dbg', undefined],
    ['ppc64el', 'debian:linux-source-6.1', '6.1', 'vmlinux', 'arch/powerpc/kernel/vdso/vdso64.so.dbg', undefined],
    ['ppc64el', 'debian:linux-source-6.12', '6.12', 'vmlinux', 'arch/powerpc/kernel/vdso/vdso64.so.dbg', undefined],
    ['amd64', 'debian:linux-source-5.10', '5.10', 'arch/x86/boot/bzImage', 'arch/x86/entry/vdso/vdso64.so.dbg', 'arch/x86/entry/vdso/vdso32.so.dbg'],
    ['amd64', 'debian:linux-source-6.1', '6.1', 'arch/x86/boot/bzImage', 'arch/x86/entry/vdso/vdso64.so.dbg', 'arch/x86/entry/vdso/vdso32.so.dbg'],
    // arm64's compat vDSO: vdso32/vdso.so.dbg in 5.10 and 6.1, renamed vdso32/vdso32.so.dbg by 6.12.
    ['arm64', 'debian:linux-source-5.10', '5.10', 'arch/arm64/boot/Image', 'arch/arm64/kernel/vdso/vdso.so.dbg', 'arch/arm64/kernel/vdso32/vdso.so.dbg'],
    ['arm64', 'debian:linux-source-6.1', '6.1', 'arch/arm64/boot/Image', 'arch/arm64/kernel/vdso/vdso.so.dbg', 'arch/arm64/kernel/vdso32/vdso.so.dbg'],
    ['arm64', 'debian:linux-source-6.12', '6.12', 'arch/arm64/boot/Image', 'arch/arm64/kernel/vdso/vdso.so.dbg', 'arch/arm64/kernel/vdso32/vdso32.so.dbg'],
    // sparc64: QEMU sun4u loads the ELF vmlinux; vdso32 comes with CONFIG_COMPAT.
    ['sparc64', 'debian:linux-source-6.1', '6.1', 'vmlinux', 'arch/sparc/vdso/vdso64.so.dbg', 'arch/sparc/vdso/vdso32.so.dbg'],
    // hppa: QEMU B160L loads the ELF vmlinux; a 32-bit kernel embeds vdso32.so as built (no .dbg).
    ['hppa', 'debian:linux-source-6.1', '6.1', 'vmlinux', 'arch/parisc/kernel/vdso32/vdso32.so', undefined],
    // sh4: QEMU r2d loads the zImage; the vDSO is the stripped vsyscall-trapa.so the kernel embeds (no .dbg).
    ['sh4', 'debian:linux-source-6.1', '6.1', 'arch/sh/boot/zImage', 'arch/sh/kernel/vsyscall/vsyscall-trapa.so', undefined],
    // loong64: the EFI-stub image for QEMU virt's UEFI firmware (6.1 finds its hardware only through ACPI).
    ['loong64', 'debian:linux-source-6.1', '6.1', 'arch/loongarch/boot/vmlinux.efi', 'arch/loongarch/vdso/vdso.so.dbg', undefined],
    // riscv64: the Image for QEMU virt under OpenSBI; no compat task (Debian has no rv32 user space).
    ['riscv64', 'debian:linux-source-6.1', '6.1', 'arch/riscv/boot/Image', 'arch/riscv/kernel/vdso/vdso.so.dbg', undefined],
    ['riscv64', 'debian:linux-source-6.12', '6.12', 'arch/riscv/boot/Image', 'arch/riscv/kernel/vdso/vdso.so.dbg', undefined],
    // s390x: the bzImage QEMU s390-ccw-virtio loads; no compat task (Debian has no 31-bit s390 user space).
    ['s390x', 'debian:linux-source-6.1', '6.1', 'arch/s390/boot/bzImage', 'arch/s390/kernel/vdso64/vdso64.so.dbg', undefined],
    // mips64el: QEMU malta loads the ELF vmlinux; the o32 compat vDSO (vdso-o32.so.dbg) comes with MIPS32_O32.
    ['mips64el', 'debian:linux-source-6.1', '6.1', 'vmlinux', 'arch/mips/vdso/vdso.so.dbg', 'arch/mips/vdso/vdso-o32.so.dbg'],
    // armhf: QEMU virt loads the zImage; vdso.so.dbg is vdsomunge's output, whose objcopy -S the kernel embeds; no compat task.
    ['armhf', 'debian:linux-source-6.1', '6.1', 'arch/arm/boot/zImage', 'arch/arm/vdso/vdso.so.dbg', undefined],
  ])('%s from %s: release %s, image %s, vDSO %s', (arch, source, release, image, vdso, compat) => {
    const p = plan(['--arch', arch, '--source', source, '--out', out]);
    expect(p.field('release')).toEqual([release]);
    expect(p.field('image')).toEqual([join(out, 'build', image)]);
    expect(p.field('vdso')).toEqual([join(out, 'build', vdso)]);
    expect(p.field('compat-vdso')).toEqual(compat ? [`${join(out, 'build', compat)} (when the config has a compat vDSO)`] : []);
    expect(p.field('config')).toEqual([`tinyconfig + ${join(ROOT, 'scripts', 'kconfig', `${arch}.config`)}`]);
    // The repository's fragment exists and names the console the QEMU machine of qemu-check.sh uses.
    const fragment = readFileSync(join(ROOT, 'scripts', 'kconfig', `${arch}.config`), 'utf8');
    expect(fragment).toMatch({ amd64: /^CONFIG_SERIAL_8250_CONSOLE=y$/m, arm64: /^CONFIG_SERIAL_AMBA_PL011_CONSOLE=y$/m, ppc64el: /^CONFIG_HVC_CONSOLE=y$/m, sparc64: /^CONFIG_SERIAL_SUNSU_CONSOLE=y$/m, hppa: /^CONFIG_SERIAL_8250_CONSOLE=y$/m, sh4: /^CONFIG_SERIAL_SH_SCI_CONSOLE=y$/m, loong64: /^CONFIG_SERIAL_8250_CONSOLE=y$/m, riscv64: /^CONFIG_SERIAL_8250_CONSOLE=y$/m, s390x: /^CONFIG_SCLP_VT220_CONSOLE=y$/m, mips64el: /^CONFIG_SERIAL_8250_CONSOLE=y$/m, armhf: /^CONFIG_SERIAL_AMBA_PL011_CONSOLE=y$/m }[arch]!);
    expect(fragment).toMatch(/^CONFIG_BLK_DEV_INITRD=y$/m);
    const cmds = p.field('command');
    expect(cmds[0]).toMatch(new RegExp(`^make -C ${join(out, 'src')} O=${join(out, 'build')} ARCH=(x86_64|arm64|arm|powerpc|sparc64|parisc|sh|loongarch|riscv|s390|mips) CROSS_COMPILE=\\S*( CROSS_COMPILE_COMPAT=\\S+)? tinyconfig$`));
    expect(cmds.at(-1)).toMatch(new RegExp(`-j\\d+ ${image.split('/').pop()}$`));
    expect(existsSync(out)).toBe(false); // a dry run writes nothing
  });

  it('arm64: the compat vDSO is built with CROSS_COMPILE_COMPAT (Debian\'s armhf cross compiler), asked for by the fragment', () => {
    const p = plan(['--arch', 'arm64', '--source', 'debian:linux-source-6.1', '--out', out]);
    expect(p.stdout.split('\n')[0]).toBe('build-kernel: arch arm64 (ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- CROSS_COMPILE_COMPAT=arm-linux-gnueabihf-, compiler package(s) gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf)');
    for (const c of p.field('command').filter((x) => x.startsWith('make '))) expect(c).toContain(' CROSS_COMPILE_COMPAT=arm-linux-gnueabihf- ');
    // allnoconfig (under tinyconfig) turns every bool off, default y or not: the fragment names them.
    const fragment = readFileSync(join(ROOT, 'scripts', 'kconfig', 'arm64.config'), 'utf8');
    for (const o of ['CONFIG_COMPAT=y', 'CONFIG_COMPAT_VDSO=y', 'CONFIG_ARM64_4K_PAGES=y']) expect(fragment.split('\n')).toContain(o);
    // Between 6.1 and 6.12 the rename is not pinned to a release: the plan names both, the build takes the one it finds.
    expect(plan(['--arch', 'arm64', '--source', tree(6, 6), '--out', out]).field('compat-vdso')).toEqual([
      `${join(out, 'build', 'arch/arm64/kernel/vdso32/vdso.so.dbg')} or ${join(out, 'build', 'arch/arm64/kernel/vdso32/vdso32.so.dbg')} (when the config has a compat vDSO)`]);
    // amd64 and ppc64el need no second compiler.
    expect(plan(['--arch', 'amd64', '--source', 'debian:linux-source-6.1', '--out', out]).field('command')[0]).not.toContain('CROSS_COMPILE_COMPAT');
  });

  it('ppc64el: the vDSO directory follows the tree\'s release (vdso64/ through 5.18, vdso/ from 5.19)', () => {
    expect(plan(['--arch', 'ppc64el', '--source', tree(5, 18), '--out', out]).field('vdso')[0]).toMatch(/kernel\/vdso64\/vdso64\.so\.dbg$/);
    expect(plan(['--arch', 'ppc64el', '--source', tree(5, 19), '--out', out]).field('vdso')[0]).toMatch(/kernel\/vdso\/vdso64\.so\.dbg$/);
  });

  // The recipes whose one compiler builds every vDSO the kernel has: no CROSS_COMPILE_COMPAT. Each
  // fragment names what allnoconfig would turn off; qemu-check.sh boots the machine it is built for.
  it.each([
    { arch: 'riscv64', karch: 'riscv', cross: 'riscv64-linux-gnu-', ccpkg: 'gcc-riscv64-linux-gnu', compat: undefined, qemu: undefined,
      options: ['CONFIG_MMU=y', 'CONFIG_FPU=y', 'CONFIG_SOC_VIRT=y', 'CONFIG_SERIAL_OF_PLATFORM=y', '# CONFIG_COMPAT is not set'] },
    { arch: 's390x', karch: 's390', cross: 's390x-linux-gnu-', ccpkg: 'gcc-s390x-linux-gnu', compat: undefined, qemu: undefined,
      options: ['CONFIG_SCLP_VT220_TTY=y', 'CONFIG_SCLP_VT220_CONSOLE=y', 'CONFIG_SCLP_CONSOLE=y', '# CONFIG_COMPAT is not set'] },
    // The o32 vDSO (and capture-init) are built with -mabi=32; qemu-check.sh boots a 5KEc (MIPS64 R2) on -M malta.
    { arch: 'mips64el', karch: 'mips', cross: 'mips64el-linux-gnuabi64-', ccpkg: 'gcc-mips64el-linux-gnuabi64', compat: 'arch/mips/vdso/vdso-o32.so.dbg',
      qemu: /mips64el\) .*machine=\(-M malta -cpu 5KEc /,
      options: ['CONFIG_MIPS_MALTA=y', 'CONFIG_CPU_MIPS64_R2=y', 'CONFIG_64BIT=y', 'CONFIG_CPU_LITTLE_ENDIAN=y', 'CONFIG_MIPS_FP_SUPPORT=y', 'CONFIG_MIPS32_O32=y', '# CONFIG_MIPS32_N32 is not set'] },
    // A 32-bit kernel; qemu-check.sh boots it on -M virt as a Cortex-A15 (its console the PL011, ttyAMA0).
    { arch: 'armhf', karch: 'arm', cross: 'arm-linux-gnueabihf-', ccpkg: 'gcc-arm-linux-gnueabihf', compat: undefined,
      qemu: /armhf\) .*machine=\(-M virt,highmem=off -cpu cortex-a15 .*console=ttyAMA0/,
      options: ['CONFIG_MMU=y', 'CONFIG_ARCH_MULTIPLATFORM=y', 'CONFIG_ARCH_MULTI_V7=y', 'CONFIG_ARCH_VIRT=y', 'CONFIG_AEABI=y', 'CONFIG_VFP=y', 'CONFIG_VDSO=y', 'CONFIG_KUSER_HELPERS=y', 'CONFIG_COMPAT_32BIT_TIME=y', 'CONFIG_SERIAL_AMBA_PL011=y', '# CONFIG_ARM_LPAE is not set'] },
  ])('$arch: one compiler, no CROSS_COMPILE_COMPAT; its compat vDSO if any; the fragment names what allnoconfig would turn off', ({ arch, karch, cross, ccpkg, compat, qemu, options }) => {
    const p = plan(['--arch', arch, '--source', 'debian:linux-source-6.1', '--out', out]);
    expect(p.stdout.split('\n')[0]).toBe(`build-kernel: arch ${arch} (ARCH=${karch} CROSS_COMPILE=${cross}, compiler package(s) ${ccpkg})`);
    expect(p.field('compat-vdso')).toEqual(compat ? [`${join(out, 'build', compat)} (when the config has a compat vDSO)`] : []);
    for (const c of p.field('command').filter((x) => x.startsWith('make '))) expect(c).not.toContain('CROSS_COMPILE_COMPAT');
    const fragment = readFileSync(join(ROOT, 'scripts', 'kconfig', `${arch}.config`), 'utf8').split('\n');
    for (const o of [...options, 'CONFIG_LOCALVERSION="-vdsogate"']) expect(fragment).toContain(o);
    if (qemu) expect(readFileSync(join(ROOT, 'scripts', 'qemu-check.sh'), 'utf8')).toMatch(qemu);
  });

  it('hppa: a 32-bit kernel (QEMU 7.2 has only the 32-bit B160L), and no tree older than parisc\'s vDSO (5.18)', () => {
    const fragment = readFileSync(join(ROOT, 'scripts', 'kconfig', 'hppa.config'), 'utf8').split('\n');
    for (const o of ['# CONFIG_64BIT is not set', 'CONFIG_PA7000=y', 'CONFIG_GSC_DINO=y']) expect(fragment).toContain(o);
    expect(plan(['--arch', 'hppa', '--source', tree(5, 18), '--out', out]).field('vdso')[0]).toMatch(/parisc\/kernel\/vdso32\/vdso32\.so$/);
    const r = run(BUILD, ['--arch', 'hppa', '--source', tree(5, 17), '--out', out, '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('build-kernel: --arch hppa: parisc has no vDSO before 5.18 (this tree is 5.17)\n');
  });

  it.each([['12.2.0', true], ['14.2.0', false]])('sh4 with a gcc %s: refused before building where gcc 12 miscompiles the kernel (bookworm\'s), else on to the build', (version, refused) => {
    // A stand-in compiler that only answers -dumpversion; the tree is not a kernel, so a build that goes on fails at configure.
    const bin = mkdtempSync(join(tmpdir(), 'vl-sh4cc-'));
    writeFileSync(join(bin, 'sh4-linux-gnu-gcc'), `#!/bin/sh\necho ${version}\n`, { mode: 0o755 });
    const out = mkdtempSync(join(tmpdir(), 'vl-sh4out-'));
    const r = spawnSync('bash', [BUILD, '--arch', 'sh4', '--source', tree(6, 1), '--out', out], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, VDSO_LAYOUT_SH4_CROSS: '' } });
    expect(r.status).toBe(2);
    const message = `build-kernel: --arch sh4: sh4-linux-gnu-gcc is gcc ${version}, and gcc 12 miscompiles the kernel`;
    if (refused) expect(r.stderr.split('\n')[0]).toMatch(new RegExp(`^${message.replace(/\./g, '\\.')}`));
    else expect(r.stderr).not.toContain('miscompiles');
  });

  it('a tree without a series is built in place; with a series, on a worktree in OUT/src; the patches in order', () => {
    const t = tree(6, 1);
    expect(plan(['--arch', 'amd64', '--source', t, '--out', out]).field('source')[0]).toBe(`${t} (release 6.1), built in place`);
    const p = plan(['--arch', 'ppc64el', '--source', 'debian:linux-source-5.10', '--series', join(ROOT, 'samples', 'series', 'ppc64-2020'), '--out', out, '--config', join(ROOT, 'scripts', 'kconfig', 'amd64.config')]);
    expect(p.field('series')).toEqual(['2 patch(es)']);
    expect(p.field('  patch').map((f) => f.split('/').pop())).toEqual([
      '0001-powerpc-vdso-map-the-data-page-in-front-of-the-vDSO-.patch', '0002-powerpc-vdso-name-the-vDSO-vma-by-its-special-mappin.patch']);
    expect(p.field('config')[0]).toMatch(/ppc64el\.config \+ .*amd64\.config$/);
  });

  it.each([
    [['--source', 'debian:linux-source-6.1', '--out', 'o'], /--arch is required/],
    [['--arch', 'amd64', '--out', 'o'], /--source is required/],
    [['--arch', 'amd64', '--source', 'debian:linux-source-6.1'], /--out is required/],
    [['--arch', 'i386', '--source', 'debian:linux-source-6.1', '--out', 'o'], /'i386' has no build recipe yet \(amd64, arm64, armhf, ppc64el, sparc64, hppa, sh4, loong64, riscv64, s390x, mips64el\)/],
    [['--arch', 'amd64', '--source', 'debian:linux-source-4.19', '--out', 'o'], /Debian ships linux-source-5\.10 \(bullseye\), -6\.1 \(bookworm\), -6\.12 \(trixie\)/],
    [['--arch', 'amd64', '--source', 'debian:linux-6.1', '--out', 'o'], /expected debian:linux-source-X\.Y/],
    [['--arch', 'amd64', '--source', '/nonexistent', '--out', 'o'], /not a kernel tree \(no Makefile\)/],
    [['--arch', 'amd64', '--source', 'debian:linux-source-6.1', '--series', '/nonexistent.patch', '--out', 'o'], /no such patch or directory/],
    [['--arch', 'amd64', '--source', 'debian:linux-source-6.1', '--out', 'o', '--bogus'], /unknown argument '--bogus'/],
  ])('bad usage %j exits 2 with one clear line', (args, message) => {
    const r = run(BUILD, [...args, '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(message);
  });
});

describe('a series whose patch does not apply (no compiler needed: found before the build)', () => {
  // A one-file "kernel" git tree and a two-patch series whose second patch expects other text.
  const git = (cwd: string, ...a: string[]) => {
    const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@invalid', ...a], { cwd, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout;
  };
  const setup = () => {
    const t = tree(6, 1);
    writeFileSync(join(t, 'vdso.lds.S'), 'vvar_start = . - 4 * PAGE_SIZE;\n');
    git(t, 'init', '-q'); git(t, 'add', '-A'); git(t, 'commit', '-qm', 'base');
    writeFileSync(join(t, 'vdso.lds.S'), 'vvar_start = . - 5 * PAGE_SIZE;\n');
    git(t, 'commit', '-qam', 'one more vvar page');
    writeFileSync(join(t, 'vdso.lds.S'), 'vvar_start = . - 6 * PAGE_SIZE;\n');
    git(t, 'commit', '-qam', 'and another');
    const series = mkdtempSync(join(tmpdir(), 'vl-series-'));
    git(t, 'format-patch', '-q', '-o', series, 'HEAD~2');
    git(t, 'reset', '-q', '--hard', 'HEAD~2');
    return { t, series, p1: join(series, '0001-one-more-vvar-page.patch'), p2: join(series, '0002-and-another.patch') };
  };

  it('build-kernel stops with the name of the patch that does not apply (exit 2), the tree it names is untouched', () => {
    const { t, p1, p2 } = setup();
    const out = mkdtempSync(join(tmpdir(), 'vl-build-'));
    const r = run(BUILD, ['--arch', 'amd64', '--source', t, '--series', p1, p1, p2, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/applied 0001-one-more-vvar-page\.patch\nbuild-kernel: 0001-one-more-vvar-page\.patch does not apply to .* at [0-9a-f]{40}:/);
    expect(readFileSync(join(out, 'status'), 'utf8')).toBe('APPLY-FAILED 0001-one-more-vvar-page.patch\n');
    expect(readFileSync(join(t, 'vdso.lds.S'), 'utf8')).toBe('vvar_start = . - 4 * PAGE_SIZE;\n'); // the checkout itself
    expect(readFileSync(join(out, 'src', 'vdso.lds.S'), 'utf8')).toBe('vvar_start = . - 5 * PAGE_SIZE;\n'); // its worktree
  });

  it.skipIf(process.getuid?.() !== 0)('a checkout another user owns (root in a CI container, the runner\'s workspace) takes its series too', () => {
    // Run as root only: chown needs it (CI runs as root). git alone would stop at "dubious ownership".
    const { t, p1 } = setup();
    spawnSync('chown', ['-R', '1001:1001', t]);
    const out = mkdtempSync(join(tmpdir(), 'vl-build-'));
    const r = run(BUILD, ['--arch', 'amd64', '--source', t, '--series', p1, '--out', out, '--prepare-only']);
    expect([r.code, readFileSync(join(out, 'status'), 'utf8')]).toEqual([0, 'PREPARED\n']);
    expect(readFileSync(join(out, 'src', 'vdso.lds.S'), 'utf8')).toBe('vvar_start = . - 5 * PAGE_SIZE;\n');
  });

  it('gate-series: a patch that does not apply is exit 2 naming it; KTAP and JSON say which step and skip the rest', () => {
    const { t, p1, p2 } = setup();
    const out = mkdtempSync(join(tmpdir(), 'vl-gate-'));
    const r = run(GATE, ['--arch', 'amd64', '--source', t, '--series', p2, p1, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/gate-series: step 1 \(0002-and-another\): APPLY-FAILED 0002-and-another\.patch/);
    expect(r.stdout).toBe(readFileSync(join(out, 'gate.ktap'), 'utf8'));
    expect(r.stdout.split('\n').slice(0, 5)).toEqual([
      'KTAP version 1', `# vdso-layout gate: amd64, ${t}, 2 patch(es)`, '1..2',
      'not ok 1 1 0002-and-another', '# verdict error; vdso clock n/a; APPLY-FAILED 0002-and-another.patch']);
    expect(r.stdout).toMatch(/^ok 2 2 0001-one-more-vvar-page # SKIP not run: an earlier step failed to build or boot$/m);
    const j = JSON.parse(readFileSync(join(out, 'gate.json'), 'utf8'));
    expect([j.schema, j.exitCode, j.firstBreaking, j.steps.map((s: { verdict: string }) => s.verdict)]).toEqual(['vdso-layout/gate/1', 2, '0002-and-another', ['error', 'skipped']]);
  });

  configureIt('gate-series: a build that fails is exit 2 with the log tail and the patch', () => {
    const { t, p1 } = setup();
    const out = mkdtempSync(join(tmpdir(), 'vl-gate-'));
    const r = run(GATE, ['--arch', 'amd64', '--source', t, '--series', p1, '--out', out, '--format', 'json']);
    expect(r.code).toBe(2);
    // This stand-in tree has no Kconfig: configuring it is the step that fails.
    expect(r.stderr).toMatch(/step 1 \(0001-one-more-vvar-page\): BUILD-FAILED configure\n[^]*No rule to make target 'tinyconfig'/);
    const j = JSON.parse(r.stdout);
    expect(j.steps).toEqual([expect.objectContaining({ index: 1, name: '0001-one-more-vvar-page', verdict: 'error', detail: 'BUILD-FAILED configure' })]);
  });

  configureIt('a plain tree (no .git: a CI checkout without git in its container) is built in place: it gets as far as configuring', () => {
    const t = tree(6, 1); // no git repository, no Kconfig: configuring is the step that fails
    const out = mkdtempSync(join(tmpdir(), 'vl-build-'));
    const r = run(BUILD, ['--arch', 'amd64', '--source', t, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^build-kernel: configure failed; last lines of /);
    expect(readFileSync(join(out, 'status'), 'utf8')).toBe('BUILD-FAILED configure\n');
  });

  it('gate-series usage errors exit 2', () => {
    expect(run(GATE, ['--arch', 'amd64', '--source', '.', '--out', 'o']).stderr).toMatch(/--series is required/);
    expect(run(GATE, ['--arch', 'amd64', '--source', '.', '--out', 'o', '--series', 'x.patch', '--format', 'xml']).code).toBe(2);
  });
});

describe('gate-step: a step\'s outcome after its boot, from the stored riscv64 boots', () => {
  const log = (k: number) => readFileSync(join(ROOT, 'samples', 'gate', 'riscv64-6.1-vvar-exec', `step-${k}`, 'console.log'), 'latin1');
  const checkOf = (k: number, ...flags: string[]) => {
    const r = cli(['check', '--format', 'json', join(ROOT, 'samples', 'gate', 'riscv64-6.1-vvar-exec', `step-${k}`, 'console.log'), ...flags]);
    return { json: r.stdout, code: r.code };
  };
  it('a capture check judged: pass, or fail with its codes; the gate goes on', async () => {
    const { stepOutcome } = await import('../scripts/gate-step.mjs');
    const base = checkOf(0);
    expect(stepOutcome(log(0), base.json, base.code)).toEqual({ verdict: 'pass', codes: [], detail: 'check exit 0', go: true });
    const patched = checkOf(1);
    expect(stepOutcome(log(1), patched.json, patched.code)).toEqual({ verdict: 'fail', codes: ['perms'], detail: 'check exit 1', go: true });
  });
  it('a whole capture check could not judge (exit 2) is "not judged" with check\'s own message, not "boot-failed"; the gate goes on', async () => {
    const { stepOutcome } = await import('../scripts/gate-step.mjs');
    const refused = checkOf(0, '--kernel', '4.0');
    expect(refused.code).toBe(2);
    const o = stepOutcome(log(0), refused.json, refused.code);
    expect([o.verdict, o.go]).toEqual(['error', true]);
    expect(o.detail).toMatch(/^not judged \(check exit 2\): \S+console\.log: --kernel 4\.0 does not fit this capture's own uname -r 6\.1\.176-vdsogate\+/);
  });
  it('a boot that printed no complete bundle is boot-failed, and the gate stops; so is a check that printed nothing', async () => {
    const { stepOutcome } = await import('../scripts/gate-step.mjs');
    const cut = log(0).split('@@@VDSO-LAYOUT-BUNDLE 1 END')[0];
    expect(stepOutcome(cut, '', 2)).toEqual({ verdict: 'error', codes: [], detail: 'boot-failed', go: false });
    expect(stepOutcome(undefined, undefined, 2)).toEqual({ verdict: 'error', codes: [], detail: 'boot-failed', go: false });
    expect(stepOutcome(log(0), '', 0)).toEqual({ verdict: 'error', codes: [], detail: 'check output unreadable', go: false });
  });
});

// The gate's vdso-clock program, built here with the host's compiler and run on this machine's own
// vDSO: with the C library's 32-bit and 64-bit time_t alike (it passes the kernel's layouts).
const ccMissing = spawnSync('sh', ['-c', 'command -v cc'], { encoding: 'utf8' }).status !== 0;
if (ccMissing && !process.env.CI) console.log('vdso-clock test skipped: no C compiler (.ci/run installs gcc)');
describe.skipIf(ccMissing && !process.env.CI)('vdso-clock (scripts/vdso-clock/vdso-clock.c) on this machine', () => {
  it.each([[[] as string[]], [['-D_TIME_BITS=64', '-D_FILE_OFFSET_BITS=64']]])('built with %j, it finds clock_gettime and agrees with the system call', (flags) => {
    const out = join(mkdtempSync(join(tmpdir(), 'vl-clock-')), 'vdso-clock');
    const b = spawnSync('cc', ['-O2', '-Wall', '-Wextra', '-Werror', ...flags, '-o', out, join(ROOT, 'scripts', 'vdso-clock', 'vdso-clock.c')], { encoding: 'utf8' });
    expect(b.stderr).toBe('');
    const r = spawnSync(out, [], { encoding: 'utf8' });
    const lines = r.stdout.trim().split('\n');
    expect([r.status, lines.at(-1)]).toEqual([0, 'vdso-clock: ok the vDSO reads the kernel\'s time']);
    expect(lines.filter((l) => / rc=0 sane$/.test(l)).map((l) => l.split(' ')[1])).toEqual(['CLOCK_REALTIME', 'CLOCK_MONOTONIC']);
  });
});
