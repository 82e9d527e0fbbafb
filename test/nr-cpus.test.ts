// LoongArch's [vvar] holds one 64-byte vdso_pcpu_data per possible CPU, so its page count is a
// formula in NR_CPUS and the page size (3 + ceil(64 × NR_CPUS / P) from 6.15). The capture says
// NR_CPUS in a boot log's RCU line, a bundle's kernel-max: header or sysfs; without it the count
// is only bounded by Kconfig's range, and that is said. All on the real Debian loong64 7.2 boot
// (16K pages, "RCU restricting CPUs from NR_CPUS=64 to nr_cpu_ids=1.").
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { nrCpusOf } from '../src/capture/console.js';
import { readCapture } from '../src/capture/reader.js';
import { formatBundle } from '../src/capture/script.js';
import { perCpuPages, resolvePageCount } from '../src/layout/engine.js';
import { findBuiltinProfile } from '../src/layout/user-profile.js';
import { cli, readBytes, readText, sample, scratch } from './helpers.js';

const LOONG = 'loong64-7.2.13+deb14-loong64';
const LOG = readText(sample(LOONG, 'console.log'));
const RCU = 'RCU restricting CPUs from NR_CPUS=64 to nr_cpu_ids=1.';
// pid 1's [vvar] (4 pages at 16K) grown by a page, as a regression that added one would print it.
const grownVvar = (text: string) => text.replace('7ffffd2c4000-7ffffd2d4000 r--p', '7ffffd2c0000-7ffffd2d4000 r--p');
const { put } = scratch('vdso-nr-cpus-');
const json = (args: string[]) => {
  const r = cli([...args, '--format', 'json']);
  return { code: r.code, results: (JSON.parse(r.stdout) as { results: Array<{ label?: string; verdict: string; message?: string; findings: Array<{ code: string; message: string }> }> }).results };
};
const pid1 = (rs: ReturnType<typeof json>['results']) => rs.find((r) => r.label === 'maps-pid1')!;

describe('NR_CPUS sizes LoongArch\'s [vvar]', () => {
  it('the formula, per era, at the page sizes loongarch runs (kernel source: 6.15+ 3 + ceil(64 N / P); 6.12 2 + ceil((64 N + 64) / P))', () => {
    const rows = ['loongarch-6.15', 'loongarch-6.12', 'loongarch-6.5', 'loongarch-6.0'].map((id) => findBuiltinProfile(id)!.regions[0].pages!);
    const at = (p: (typeof rows)[number], page: bigint, n: number) => resolvePageCount(p, page, n);
    // 16K/64 (Debian): 4, 3, 3, 1. The 6.12 rng_data tips 16K/256 and 4K/64 over by a page; 6.0's
    // two generic vdso_data (480 bytes, padded to 512) share the pages with the records.
    expect(rows.map((p) => at(p, 16384n, 64))).toEqual([4, 3, 3, 1]);
    expect(rows.map((p) => at(p, 16384n, 256))).toEqual([4, 4, 3, 2]);
    expect(rows.map((p) => at(p, 4096n, 64))).toEqual([4, 4, 3, 2]);
    expect(rows.map((p) => at(p, 4096n, 256))).toEqual([7, 7, 6, 5]);
    // NR_CPUS unknown: Kconfig's range, 1 (no SMP) to 2048.
    expect(resolvePageCount(rows[0], 16384n, undefined)).toEqual({ min: 4, max: 11, typical: 4 });
    expect(resolvePageCount(rows[0], 4096n, undefined)).toEqual({ min: 4, max: 35, typical: 4 });
    expect(perCpuPages({ fixed: 3, bytesPerCpu: 64, extraBytes: 0, maxCpus: 2048, typicalCpus: 64 }, 65536n, 2048)).toBe(5);
  });

  it('the reader takes NR_CPUS from Tree RCU\'s boot line only', () => {
    expect(nrCpusOf(`[    0.000000] rcu: \t${RCU}`)).toBe(64);
    expect(nrCpusOf('rcu: \tRCU restricting CPUs from NR_CPUS=8192 to nr_cpu_ids=4.')).toBe(8192);
    expect(nrCpusOf('setup_percpu: NR_CPUS:8192 nr_cpumask_bits:4 nr_cpu_ids:4 nr_node_ids:1')).toBeUndefined();
    expect(nrCpusOf('RCU restricting CPUs from NR_CPUS=0 to nr_cpu_ids=1.')).toBeUndefined();
    const cap = readCapture(LOG, { file: 'console.log' });
    expect(cap.nrCpusMarks).toEqual([{ line: 49, nrCpus: 64 }]);
  });

  it('the real boot log passes; with a page more of [vvar] it fails, where before it passed ({min: 4})', () => {
    const ok = json(['check', sample(LOONG, 'console.log')]);
    expect(ok.code).toBe(0);
    expect(ok.results.every((r) => r.findings.every((f) => !f.message.includes('not pinned')))).toBe(true);
    const bad = json(['check', put('grown.log', grownVvar(LOG))]);
    expect(bad.code).toBe(1);
    expect(pid1(bad.results).verdict).toBe('fail');
    expect(pid1(bad.results).findings.filter((f) => f.code === 'size').map((f) => f.message)).toEqual(['[vvar] has 5 pages, expected 4 pages (NR_CPUS=64 at 16384-byte pages)']);
  });

  it('without the RCU line the size is bounded, not pinned, and the pass says so', () => {
    const r = json(['check', put('no-rcu.log', grownVvar(LOG.replace(RCU, 'RCU: (line cut)')))]);
    expect(r.code).toBe(0);
    expect(pid1(r.results).findings.map((f) => f.message)).toContain('[vvar] size not pinned: it grows with NR_CPUS, which the capture does not say, so 4 to 11 pages at 16384-byte pages are accepted (a boot log\'s "RCU restricting CPUs from NR_CPUS=" line, a bundle\'s kernel-max or --nr-cpus pins it)');
  });

  it('NR_CPUS is the boot\'s own: another banner between the RCU line and the process leaves it unknown', () => {
    const lines = LOG.split('\n');
    const at = lines.findIndex((l) => l.includes('maps-pid1'));
    const banner = lines.find((l) => l.includes('Linux version'))!;
    lines.splice(at, 0, banner);
    const r = json(['check', put('reboot.log', grownVvar(lines.join('\n')))]);
    expect(pid1(r.results).verdict).toBe('pass');
    expect(pid1(r.results).findings.some((f) => f.message.startsWith('[vvar] size not pinned'))).toBe(true);
  });

  it('an RCU line of another NR_CPUS moves the expectation with it (512: two 16K pages of records)', () => {
    const r512 = LOG.replace('NR_CPUS=64', 'NR_CPUS=512');
    expect(pid1(json(['check', put('512.log', r512)]).results).findings.filter((f) => f.code === 'size').map((f) => f.message))
      .toEqual(['[vvar] has 4 pages, expected 5 pages (NR_CPUS=512 at 16384-byte pages)']);
    expect(pid1(json(['check', put('512-grown.log', grownVvar(r512))]).results).verdict).toBe('pass');
  });
});

describe('a bundle\'s kernel-max: header', () => {
  // pid 1's own maps, aux vector and [vdso] bytes, as the capture script prints them.
  const words = readText(sample(LOONG, 'auxv-pid1.txt')).split('\n').flatMap((l) => l.split(/\s+/).slice(1)).filter((w) => w.length === 16);
  const auxv = new Uint8Array(words.length * 8);
  words.forEach((w, i) => new DataView(auxv.buffer).setBigUint64(i * 8, BigInt('0x' + w), true));
  const vdso = readBytes(sample(LOONG, 'vdso-live-pid1.bin'));
  const bundle = (kernelMax: number | undefined, maps = readText(sample(LOONG, 'maps-pid1.txt'))) => formatBundle({
    unameR: '7.2.13+deb14-loong64', unameM: 'loongarch64', pageSize: 16384, pid: 1, kernelMax, maps, auxv,
    vdso: { start: 0x7ffffd2d4000n, end: 0x7ffffd2d8000n, bytes: vdso },
  });

  it('pins NR_CPUS as the RCU line does (kernel_max = NR_CPUS - 1)', () => {
    const ok = json(['check', put('b63.log', bundle(63))]);
    expect([ok.code, ok.results[0].findings]).toEqual([0, []]);
    const grown = json(['check', put('b63-grown.log', bundle(63, grownVvar(readText(sample(LOONG, 'maps-pid1.txt')))))]);
    expect(grown.code).toBe(1);
    expect(grown.results[0].findings.map((f) => f.message)).toEqual(['[vvar] has 5 pages, expected 4 pages (NR_CPUS=64 at 16384-byte pages)']);
  });

  it('a bundle without it (an older capture script, no sysfs) is read as before: bounded, and said', () => {
    const r = json(['check', put('b-none.log', bundle(undefined))]);
    expect(r.code).toBe(0);
    expect(r.results[0].findings.map((f) => f.code)).toEqual(['not-checked']);
  });

  it('a kernel-max against its boot\'s RCU line is a capture whose words disagree (exit 2, the bundle\'s line)', () => {
    const file = put('b-mixed.log', `[    0.000000] rcu: \t${RCU}\n${bundle(511)}`);
    const r = json(['check', file]);
    expect(r.code).toBe(2);
    expect(r.results[0].message).toBe(`${file}:3: the bundle's "kernel-max: 511" (NR_CPUS 512) and the boot's NR_CPUS=64 (line 1) disagree: one of them is another kernel's`);
  });
});

describe('the running machine says NR_CPUS through sysfs', () => {
  const sysfs = '/sys/devices/system/cpu/kernel_max';
  it.skipIf(!existsSync(sysfs))(`\`capture\` writes ${sysfs} into its bundle, as the capture script does`, () => {
    const r = cli(['capture']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`\nkernel-max: ${readFileSync(sysfs, 'latin1').trim()}\n`);
    expect(readCapture(r.stdout).bundles[0].nrCpus).toBe(Number(readFileSync(sysfs, 'latin1')) + 1);
  });
});

describe('--nr-cpus: the kernel\'s CONFIG_NR_CPUS, for captures that do not say it', () => {
  const maps = sample(LOONG, 'maps-pid1.txt');
  it('pins a maps file\'s [vvar] as the boot log would (and refuses a number against the capture\'s own)', () => {
    const ok = json(['check', maps, '--kernel', '7.2', '--nr-cpus', '64']);
    expect([ok.code, ok.results[0].findings.map((f) => f.code)]).toEqual([0, ['not-checked']]); // the text size only
    const grown = json(['check', put('pid1-grown.txt', grownVvar(readText(maps))), '--kernel', '7.2', '--nr-cpus', '64']);
    expect(grown.code).toBe(1);
    const refused = cli(['check', sample(LOONG, 'console.log'), '--nr-cpus', '128']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')[0]).toBe(`vdso-layout: ${sample(LOONG, 'console.log')}: --nr-cpus 128 does not fit the boot's NR_CPUS=64 (line 49): it would size the per-CPU data for another kernel`);
    expect(cli(['check', sample(LOONG, 'console.log'), '--nr-cpus', '64']).code).toBe(0);
  });
  it('is a whole number from 1', () => {
    for (const bad of ['0', '-1', '64K', '']) {
      const r = cli(['check', maps, '--nr-cpus', bad]);
      expect([r.code, r.stderr]).toEqual([2, `vdso-layout: --nr-cpus: expected the kernel's CONFIG_NR_CPUS, a whole number from 1 to 99999, not '${bad}'\n`]);
    }
  });
  it('synth draws [vvar] for it (6.1.176 carries the 6.5 layout: 2 + ceil(64 × 256 / 4096) = 6 pages), and says what it assumed without it', () => {
    const args = ['synth', '--arch', 'loongarch', '--kernel', '6.1.176', '--page-size', '4096', '--base', '0x7ffff7f00000'];
    const pinned = cli([...args, '--nr-cpus', '256']);
    expect(pinned.stdout.split('\n')[0]).toBe('7ffff7efa000-7ffff7f00000 r--p 00000000 00:00 0                          [vvar]');
    expect(pinned.stderr).not.toContain('--nr-cpus');
    const assumed = cli(args);
    expect(assumed.stdout.split('\n')[0]).toBe('7ffff7efd000-7ffff7f00000 r--p 00000000 00:00 0                          [vvar]');
    expect(assumed.stderr).toContain("vdso-layout: warning: no --nr-cpus: [vvar] is shown at 3 pages, a typical NR_CPUS's; it grows with NR_CPUS (3 to 34 pages at this page size)\n");
  });
  it('one page is said as one page (6.1 before the 6.5 backport, 16K pages: 64 CPUs\' records and the 512-byte rest fit one)', () => {
    const r = cli(['synth', '--arch', 'loongarch', '--kernel', '6.1.100', '--page-size', '16K']);
    expect(r.stderr).toContain("vdso-layout: warning: no --nr-cpus: [vvar] is shown at 1 page, a typical NR_CPUS's; it grows with NR_CPUS (1 to 9 pages at this page size)\n");
  });
  it('where no data vma grows with NR_CPUS, a given --nr-cpus is said to be unused (synth: a warning; check: a note), and the verdict does not move', () => {
    const synth = cli(['synth', '--arch', 'x86_64', '--kernel', '6.1', '--nr-cpus', '4']);
    expect(synth.code).toBe(0);
    expect(synth.stderr).toContain("vdso-layout: warning: --nr-cpus 4 is not used: x86's data pages do not grow with NR_CPUS (profile x86-5.6)\n");
    const amd64 = sample('amd64-6.1.0-56-amd64', 'maps-pid1.txt');
    type Notes = { results: Array<{ verdict: string; notes: string[] }> };
    const notesOf = (args: string[]) => (JSON.parse(cli([...args, '--format', 'json']).stdout) as Notes).results[0];
    const flagged = notesOf(['check', amd64, '--kernel', '6.1', '--nr-cpus', '4']);
    expect(flagged.verdict).toBe('pass');
    expect(flagged.notes).toContain("--nr-cpus 4 is not used: x86's data pages do not grow with NR_CPUS (profile x86-5.6)");
    expect(notesOf(['check', amd64, '--kernel', '6.1']).notes.join('\n')).not.toContain('NR_CPUS');
    // NR_CPUS the capture says itself is no flag: this machine's bundle (kernel-max from sysfs) says nothing of it.
    if (existsSync('/sys/devices/system/cpu/kernel_max') || process.env.CI === 'true') {
      const own = cli(['capture']);
      expect(own.stdout).toMatch(/\nkernel-max: \d+\n/);
      const checked = notesOf(['check', put('own-bundle.txt', own.stdout)]);
      expect(checked.verdict).toBe('pass');
      expect(checked.notes.join('\n')).not.toContain('NR_CPUS');
    }
  });
  const sysfs = '/sys/devices/system/cpu/kernel_max';
  it.skipIf(!existsSync(sysfs))('on the running machine it must be sysfs\'s kernel_max + 1', () => {
    const own = Number(readFileSync(sysfs, 'latin1')) + 1;
    expect(cli(['check', '--nr-cpus', String(own)]).code).toBe(0);
    const r = cli(['check', '--nr-cpus', String(own + 1)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--nr-cpus ${own + 1} does not fit this kernel's NR_CPUS ${own} (${sysfs}: ${own - 1})`);
  });
});
