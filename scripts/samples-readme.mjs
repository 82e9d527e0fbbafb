// Regenerates samples/README.md from samples/manifest.json and the files themselves.
//   node scripts/samples-readme.mjs      (test/samples.test.ts checks the hashes stay true)
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = 'samples';
const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
const corpusReadme = readFileSync(join(root, 'corpus', 'CORPUS-README.md'), 'utf8');
const pkg = {};
for (const l of corpusReadme.split('\n')) {
  const m = /^\| ([^ |]+) \| ([^|]+) \| ([^|]+) \| (\d+) \|/.exec(l);
  if (m) pkg[m[1]] = { uname: m[2].trim(), package: m[3].trim(), page: m[4] };
}
const files = [];
const walk = (d) => { for (const f of readdirSync(d).sort()) { const p = join(d, f); if (statSync(p).isDirectory()) walk(p); else files.push(p); } };
walk(root);
const source = (rel) => {
  const [top, entry] = rel.split('/');
  if (top === 'corpus' && pkg[entry]) return `${pkg[entry].package}; kernel ${pkg[entry].uname}; ${pkg[entry].page}-byte pages`;
  if (top === 'corpus') return 'the shared corpus README';
  if (top === 'broken') return 'derived from a corpus capture (see the table above)';
  if (top === 'host') return 'this build machine (Linux 6.18 x86_64), captured 2026-11-25';
  if (top === 'profiles') return 'user profile (README example)';
  if (top === 'qemu' && rel.includes('sparc64')) {
    const what = rel.endsWith('console.log') ? 'serial console' : rel.endsWith('.config') ? 'the kernel .config' : 'a vDSO image built with it (GPL-2.0 kernel build product)';
    return `${what} of linux-source-6.1 6.1.176-1 built for sparc64 by scripts/build-kernel.sh (tinyconfig + scripts/kconfig/sparc64.config, sparc64-linux-gnu-gcc 12.2.0) and booted under QEMU 7.2 sun4u (OpenBIOS, TCG) by scripts/qemu-check.sh --init with scripts/capture-init (64-bit twice, 32-bit compat once) on this build machine, 2026-12-07`;
  }
  if (top === 'qemu' && rel.includes('hppa')) {
    const what = rel.endsWith('console.log') ? 'serial console' : rel.endsWith('.config') ? 'the kernel .config' : 'the vDSO image the kernel embeds (GPL-2.0 kernel build product)';
    return `${what} of linux-source-6.1 6.1.176-1 built for 32-bit parisc by scripts/build-kernel.sh --arch hppa (tinyconfig + scripts/kconfig/hppa.config, hppa-linux-gnu-gcc 12.2.0) and booted under QEMU 7.2 B160L (SeaBIOS-hppa, TCG) by scripts/qemu-check.sh --init with scripts/capture-init (two tasks; the vdso-clock program fails: parisc 6.1's vDSO has no clock_gettime) on this build machine, 2026-12-07`;
  }
  if (top === 'qemu' && rel.includes('sh4')) {
    const what = rel.endsWith('console.log') ? 'serial console' : rel.endsWith('.config') ? 'the kernel .config' : 'the vDSO image the kernel embeds (GPL-2.0 kernel build product)';
    return `${what} of linux-source-6.1 6.1.176-1 built for sh4 by scripts/build-kernel.sh --arch sh4 (tinyconfig + scripts/kconfig/sh4.config; Debian trixie's sh4-linux-gnu-gcc 14.2.0 through VDSO_LAYOUT_SH4_CROSS, since bookworm's gcc 12 miscompiles it) and booted under QEMU 7.2 r2d (TCG) by scripts/qemu-check.sh --init with scripts/capture-init (two tasks; the vdso-clock program fails: sh's vDSO has no clock_gettime) on this build machine, 2026-12-07`;
  }
  if (top === 'qemu' && rel.includes('loong64')) {
    const what = rel.endsWith('console.log') ? 'serial console (with the UEFI firmware\'s own output before the kernel)' : rel.endsWith('.config') ? 'the kernel .config' : 'the unstripped vDSO image built with it (GPL-2.0 kernel build product)';
    return `${what} of linux-source-6.1 6.1.176-1 + samples/series/loong64-6.1-buildfix built for loong64 by scripts/build-kernel.sh (tinyconfig + scripts/kconfig/loong64.config${rel.includes('nr256-4k') ? ' + scripts/kconfig/loong64-nr256-4k.config: NR_CPUS=256, 4K pages' : ': NR_CPUS=64, 16K pages'}; Debian trixie's loongarch64-linux-gnu-gcc 14.2.0 through VDSO_LAYOUT_LOONG64_CROSS) and booted as vmlinux.efi under Debian trixie's QEMU 10.0 virt with trixie's qemu-efi-loongarch64 2025.02 (TCG) by scripts/qemu-check.sh --bios --init with scripts/capture-init and vdso-clock linked with minilibc.c (two tasks) on this build machine, 2026-12-07`;
  }
  if (top === 'qemu' && rel.includes('tinyconfig')) return 'serial console of the kernel of gate/x86-6.1-vma-mistake/step-1 (linux-source-6.1 6.1.176, tinyconfig + scripts/kconfig/amd64.config: no CONFIG_COMPAT_32BIT_TIME) booted under QEMU 7.2 (TCG) by scripts/qemu-check.sh with Debian busybox-static 1.38.0-3+b1 (amd64, i386 for the compat task) on this build machine, 2026-12-05';
  if (top === 'qemu' && rel.includes('interleaved')) return 'serial console of linux-image-6.1.0-56-amd64 6.1.192-2 booted under QEMU 7.2 (TCG) by scripts/qemu-check.sh in a CI run of test/qemu.test.ts on this build machine, 2026-11-25 (kernel messages landed inside the bundle)';
  if (top === 'qemu') return 'serial console of linux-image-6.1.0-56-amd64 6.1.192-2 booted under QEMU 7.2 (TCG) by scripts/qemu-capture.sh on this build machine, 2026-11-25';
  if (top === 'lava' && rel.endsWith('lavacli.txt')) return 'lava/amd64-6.1.0-57-lava-run.log as lavacli 1.2 prints a job log (`lavacli jobs logs`: its print_logs run on the log as output.yaml, the entries each behind "- ")';
  if (top === 'lava' && rel.includes('arm64')) return 'job log of lava-run (lava-dispatcher 2023.01, Debian bookworm) running lava/jobs/qemu-arm64.yaml.jinja2 by scripts/lava-local.sh with linux-image-6.1.0-57-arm64 6.1.192-3 under QEMU 7.2 (TCG) on this build machine, 2026-12-05; kept: lines 1-8 (validate), 153-166 (boot start to the kernel banner) and 405-1102 (the end of the boot, login, the test, results); left out: the deploy (temporary paths) and most kernel boot messages; entries unedited';
  if (top === 'lava') return 'job log of lava-run (lava-dispatcher 2023.01, Debian bookworm) running lava/jobs/qemu-x86_64.yaml.jinja2 by scripts/lava-local.sh with linux-image-6.1.0-57-amd64 6.1.192-3 under QEMU 7.2 (TCG) on this build machine, 2026-12-05; kept: lines 1-8 (validate), 152-174 (boot start to the kernel banner) and 536-1744 (login, the test, results); left out: the deploy (temporary paths) and the kernel boot messages; entries unedited';
  if (top === 'kernels') return 'linux-image-6.1.0-50-686-pae 6.1.176-1 (Debian bookworm, i386): /boot/vmlinuz, kept so extract always meets a real kernel (GPL-2.0; source: Debian linux 6.1.176-1)';
  if (top === 'extract' && rel.includes('/xz/')) return rel.endsWith('payload.bin') ? 'corpus vDSO images (amd64 7.2, armhf 6.1, arm64 6.1, s390x 6.1) between random bytes' : `payload.bin compressed by xz 5.4.1 (${{ 'x86-blocks': 'x86 filter, 8 KiB blocks', 'lzma2-sha256': 'no BCJ filter, SHA-256 check' }[rel.split('/').pop().replace('.xz', '')] ?? rel.split('/').pop().replace('.xz', '').replace('-', ' filter, check ')})`;
  if (top === 'extract') return 'corpus amd64 7.2 vdso64.so + vdso32.so in a payload compressed by zstd 1.5.4 -19';
  if (top === 'series') return 'project: a sample patch series written for the gate (git format-patch)';
  if (top === 'gate') {
    const qemu = 'QEMU 7.2 (TCG)';
    if (rel.endsWith('gate.ktap') || rel.endsWith('gate.json')) return `scripts/gate-series.sh's report of that run`;
    if (rel.endsWith('README.md')) return 'project: what that run shows and why';
    const what = rel.endsWith('console.log') ? `serial console of the kernel booted under ${qemu} by scripts/qemu-check.sh`
      : rel.endsWith('.so.dbg') ? 'the vDSO image built with that kernel (GPL-2.0 kernel build product)'
      : rel.endsWith('kernel.config') ? 'the kernel .config (tinyconfig + the arch fragment)' : 'build provenance: source package and version, compiler, config, patches, times';
    const day = rel.startsWith('gate/riscv64-') || rel.startsWith('gate/s390x-') || rel.startsWith('gate/mips64el-') || rel.startsWith('gate/armhf-') ? '2026-12-07' : '2026-12-05';
    return `${what}; built by scripts/build-kernel.sh (see build.env in the same folder) on this build machine, ${day}`;
  }
  return 'project';
};
const out = [];
out.push('# Samples', '',
  'Real inputs for the tests and for trying the tool. `corpus/` is copied from the shared corpus: Debian kernels booted under QEMU',
  '(the raw serial `console.log`, its maps/auxv blocks, the vDSO images cut out of each kernel and `readelf -a` of each; see',
  '`corpus/CORPUS-README.md` for which maps and auxv come from the same process). The images are GPL-2.0 kernel build products;',
  'this provenance stays with them. `broken/` holds known-broken layouts made from real captures, `host/` this build machine,',
  '`profiles/` a user profile, `series/` sample patch series, `gate/` kernels built from source with a series and gated patch by patch, `extract/` compressed payloads (zstd, and xz with every BCJ filter), `kernels/` one real',
  'Debian kernel for extract (the others are fetched by scripts/fetch-kernels.sh), `lava/` job logs of LAVA\'s dispatcher (amd64,',
  'arm64) and the amd64 one as lavacli prints it. `pastes/` holds /proc/PID/maps captures',
  'other people published (crash logs, write-ups, mailing lists), with their provenance in `pastes/index.json`; test/pastes.test.ts',
  'checks them (see `pastes/README.md`).', '',
  '`npm test` runs `vdso-layout check` on every row below and asserts the verdict and the error codes. Regenerate this file with',
  '`node scripts/samples-readme.mjs` after changing `samples/manifest.json` or any sample.', '',
  '## What each check shows', '', '| capture | arguments | expected | error codes | what it shows |', '|---|---|---|---|---|');
for (const c of manifest.checks) out.push(`| ${c.capture} | ${c.args.join(' ') || '(none)'} | ${c.verdict} | ${c.codes.join(', ') || '-'} | ${c.shows} |`);
out.push('', '## Files', '', '| path | sha256 | source |', '|---|---|---|');
for (const f of files) {
  const rel = relative(root, f);
  if (rel === 'README.md') continue;
  out.push(`| ${rel} | ${createHash('sha256').update(readFileSync(f)).digest('hex')} | ${source(rel)} |`);
}
writeFileSync(join(root, 'README.md'), out.join('\n') + '\n');
console.log(`${files.length} files`);
