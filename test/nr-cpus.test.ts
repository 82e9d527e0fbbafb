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
import { parseAuxvBinary } from '../src/capture/auxv.js';
import { checkLive } from '../src/check/inputs.js';
import { cli, readBytes, readText, sample, scratch } from './helpers.js';

const LOONG = 'loong64-7.2.13+deb14-loong64';
const LOG = readText(sample(LOONG, 'console.log'));
const RCU = 'RCU restricting CPUs from NR_CPUS=64 to nr_cpu_ids=1.';
// pid 1's [vvar] (4 pages at 16K) grown by a page, as a regression that added one would print it.
const grownVvar = (text: string) => text.replace('7ffffd2c4000-7ffffd2d4000 r--p', '7ffffd2c0000-7ffffd2d4000 r--p');
const { put } = scratch('vdso-nr-cpus-');
const json = (args: string[]) => {
  const r = cli([...args, '--format', 'json']);
  return { code: r.code, results: (JSON.parse(r.stdout) as { results: Array<{ label?: string; verdict: string; message?: string; notes?: string[]; findings: Array<{ code: string; message: string }> }> }).results };
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
    // The pass says what sized [vvar], as a failure does.
    const notes = (JSON.parse(cli(['check', sample(LOONG, 'console.log'), '--format', 'json']).stdout) as { results: Array<{ label?: string; notes: string[] }> }).results.find((r) => r.label === 'maps-pid1')!.notes;
    expect(notes).toContain("[vvar]: 4 pages at 16384-byte pages, sized by the boot's NR_CPUS=64 (line 49)");
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

  const notPinned = (rs: ReturnType<typeof json>['results']) => pid1(rs).findings.some((f) => f.message.startsWith('[vvar] size not pinned'));
  it('an RCU line above the first boot banner is the host\'s or an earlier boot\'s (start_kernel prints the banner first): it pins nothing', () => {
    const host = '[12345.678901] rcu: \tRCU restricting CPUs from NR_CPUS=8192 to nr_cpu_ids=4.\n$ qemu-system-loongarch64 -M virt ...\n';
    const guestSaysNothing = LOG.replace(RCU, 'RCU: (line cut)');
    // 8192 would have asked for 35 pages: the guest's 4 pass, bounded and said so.
    const cut = json(['check', put('host-rcu.log', host + guestSaysNothing)]);
    expect([cut.code, pid1(cut.results).verdict, notPinned(cut.results)]).toEqual([0, 'pass', true]);
    // With the guest's own line, that one decides (no disagreement with the host's).
    const own = json(['check', put('host-rcu-own.log', host + grownVvar(LOG))]);
    expect(pid1(own.results).findings.filter((f) => f.code === 'size').map((f) => f.message)).toEqual(['[vvar] has 5 pages, expected 4 pages (NR_CPUS=64 at 16384-byte pages)']);
  });

  it('a boot prints its RCU line once: two that disagree are a mixed log, not judged (exit 2 at the second)', () => {
    const lines = LOG.split('\n');
    lines.splice(49, 0, lines[48].replace('NR_CPUS=64', 'NR_CPUS=512'));
    const file = put('two-rcu.log', lines.join('\n'));
    const r = json(['check', file]);
    expect(r.code).toBe(2);
    expect(pid1(r.results).message).toBe(`${file}:50: the boot's NR_CPUS=64 (line 49) and the boot's NR_CPUS=512 (line 50) disagree: one of them is another kernel's`);
  });

  it('an NR_CPUS past Kconfig\'s range (2048) is no LoongArch kernel\'s: exit 2 naming what said it, not a 35-page expectation', () => {
    const file = put('8192.log', LOG.replace('NR_CPUS=64', 'NR_CPUS=8192'));
    const r = json(['check', file]);
    expect(r.code).toBe(2);
    expect(pid1(r.results).message).toBe(`${file}: the boot's NR_CPUS=8192 (line 49) is past what loongarch builds (Kconfig's NR_CPUS range ends at 2048; profile loongarch-6.15): another kernel's`);
    const synth = cli(['synth', '--arch', 'loongarch', '--kernel', '7.2', '--nr-cpus', '4096']);
    expect([synth.code, synth.stderr]).toEqual([2, "vdso-layout: --nr-cpus 4096 is past what loongarch builds (Kconfig's NR_CPUS range ends at 2048; profile loongarch-6.15): another kernel's\n"]);
    // The bound itself is a kernel's: 2048 CPUs' records are 8 pages more at 16K.
    expect(cli(['synth', '--arch', 'loongarch', '--kernel', '7.2', '--nr-cpus', '2048', '--base', '0x7ffff7f00000']).stdout.split('\n')[0])
      .toBe('7ffff7ed4000-7ffff7f00000 r--p 00000000 00:00 0                          [vvar]');
  });

  it('a release that hides its sublevel, across a stable backport that changed [vvar], leaves the era unpinned, and says so', () => {
    // 6.1.0-27-loong64: before 6.1.115 loongarch-6.0 (1 page at 16K, NR_CPUS 64), from it loongarch-6.5 (3).
    const maps = readText(sample(LOONG, 'maps-pid1.txt'));
    const vvarOf = (pages: number) => maps.replace('7ffffd2c4000-7ffffd2d4000 r--p', `${(0x7ffffd2d4000 - pages * 0x4000).toString(16)}-7ffffd2d4000 r--p`);
    const args = ['--kernel', '6.1.0-27-loong64', '--nr-cpus', '64', '--page-size', '16K'];
    // (Bare lines: the family comes from the lines' own facts, as a pasted capture's would.)
    const era = (r: ReturnType<typeof json>) => r.results[0].findings.filter((f) => f.message.startsWith('era not pinned')).map((f) => f.message);
    const before = json(['check', put('6.1-1page.txt', vvarOf(1)), ...args]);
    expect(before.code).toBe(0);
    expect(era(before)).toEqual(["era not pinned: the release 6.1.0-27-loong64 does not say its sublevel, and from 6.1.115 (a stable backport) the kernel prints loongarch-6.5's lines, which these are not: the verdict rests on a sublevel the capture does not say (give --kernel 6.1.N)"]);
    const after = json(['check', put('6.1-3pages.txt', vvarOf(3)), ...args]);
    expect(after.code).toBe(1);
    expect(era(after)).toEqual(["era not pinned: the release 6.1.0-27-loong64 does not say its sublevel, and from 6.1.115 (a stable backport) the kernel prints loongarch-6.5's lines, which these are: the verdict rests on a sublevel the capture does not say (give --kernel 6.1.N)"]);
    // The sublevel given: no doubt left.
    expect(era(json(['check', put('6.1-1page-b.txt', vvarOf(1)), '--kernel', '6.1.100', '--nr-cpus', '64', '--page-size', '16K']))).toEqual([]);
    expect(json(['check', put('6.1-1page-c.txt', vvarOf(1)), '--kernel', '6.1.115', '--nr-cpus', '64', '--page-size', '16K']).code).toBe(1);
    // Where both rows judge the lines alike (pid 1's own 4 pages: neither), nothing is said.
    expect(era(json(['check', put('6.1-4pages.txt', maps), ...args]))).toEqual([]);
  });

  it('a Debian kernel\'s build string says the sublevel its ABI name hides ("Debian 6.1.115-1"): the era is pinned, the backport side chosen', () => {
    // The real 7.2 boot, renamed as a Debian 6.1 ABI kernel would print itself (banner and uname -a).
    const as61 = (pages: number) => LOG.replaceAll('7.2.13+deb14-loong64', '6.1.0-27-loong64').replaceAll('Debian 7.2.13-1', 'Debian 6.1.115-1')
      .replaceAll('7ffffd2c4000-7ffffd2d4000 r--p', `${(0x7ffffd2d4000 - pages * 0x4000).toString(16)}-7ffffd2d4000 r--p`);
    const three = json(['check', put('deb-6.1.115-3.log', as61(3))]);
    expect([three.code, pid1(three.results).verdict]).toEqual([1, 'pass']); // the other processes keep 7.2's 4 pages
    const notes = (JSON.parse(cli(['check', put('deb-6.1.115-3b.log', as61(3)), '--format', 'json']).stdout) as { results: Array<{ label?: string; notes: string[]; profile?: string }> }).results.find((r) => r.label === 'maps-pid1')!;
    expect(notes.profile).toBe('loongarch-6.5');
    expect(notes.notes).toContain("6.1.0-27-loong64 is stable 6.1.115: its build string names Debian's 6.1.115 package");
    expect(notes.notes.join('\n')).not.toContain('era not pinned');
    // 6.0's one page, which passed as a guess before, is now a size failure.
    expect(pid1(json(['check', put('deb-6.1.115-1.log', as61(1))]).results).findings.filter((f) => f.code === 'size').map((f) => f.message))
      .toEqual(['[vvar] has 1 page, expected 3 pages (NR_CPUS=64 at 16384-byte pages)']);
  });
});

// pid 1's own aux vector and [vdso] bytes, as the capture script and the live check read them.
const auxvWords = readText(sample(LOONG, 'auxv-pid1.txt')).split('\n').flatMap((l) => l.split(/\s+/).slice(1)).filter((w) => w.length === 16);
const auxvBytes = new Uint8Array(auxvWords.length * 8);
auxvWords.forEach((w, i) => new DataView(auxvBytes.buffer).setBigUint64(i * 8, BigInt('0x' + w), true));
const vdsoBytes = readBytes(sample(LOONG, 'vdso-live-pid1.bin'));

describe('a bundle\'s kernel-max: header', () => {
  const auxv = auxvBytes;
  const vdso = vdsoBytes;
  const bundle = (kernelMax: number | undefined, maps = readText(sample(LOONG, 'maps-pid1.txt')), unameR = '7.2.13+deb14-loong64') => formatBundle({
    unameR, unameM: 'loongarch64', pageSize: 16384, pid: 1, kernelMax, maps, auxv,
    // The 7.2 image's bytes only with its own release (its Linux note says 7.2).
    vdso: unameR.startsWith('7.2.') ? { start: 0x7ffffd2d4000n, end: 0x7ffffd2d8000n, bytes: vdso } : undefined,
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
    expect(r.results[0].message).toBe(`${file}:3: the boot's NR_CPUS=64 (line 1) and the bundle's "kernel-max: 511" (NR_CPUS 512) disagree: one of them is another kernel's`);
  });

  it('two bundles of one boot have one kernel_max: the second that disagrees is not judged', () => {
    const file = put('b-two.log', `${bundle(63)}${bundle(511)}`);
    const r = json(['check', file]);
    expect(r.code).toBe(2);
    expect(r.results.map((x) => x.verdict)).toEqual(['pass', 'error']);
    const second = bundle(63).split('\n').length + 1; // each bundle opens with an empty line, then its BEGIN
    expect(r.results[1].message).toBe(`${file}:${second}: the bundle at line 2 of this boot: "kernel-max: 63" (NR_CPUS 64) and the bundle's "kernel-max: 511" (NR_CPUS 512) disagree: one of them is another kernel's`);
  });

  it('a [vdso] too low for the data pages expected under it: the expected line is written with a sign, not as digits run together', () => {
    // 2048 CPUs' records at 4K pages are 35 pages of [vvar] (0x23000), under a [vdso] at 0x10000.
    const words = [[0x21n, 0x10000n], [6n, 4096n], [0n, 0n]];
    const av = new Uint8Array(words.length * 16);
    words.forEach(([k, v], i) => { new DataView(av.buffer).setBigUint64(i * 16, k, true); new DataView(av.buffer).setBigUint64(i * 16 + 8, v, true); });
    const lines = '7fff000000-7fff030000 rw-p 00000000 00:00 0                              [stack]\n'
      + '0000c000-00010000 r--p 00000000 00:00 0                                  [vvar]\n'
      + '00010000-00011000 r-xp 00000000 00:00 0                                  [vdso]\n';
    const file = put('b-low.log', formatBundle({ unameR: '7.2.13+deb14-loong64', unameM: 'loongarch64', pageSize: 4096, pid: 1, kernelMax: 2047, maps: lines, auxv: av }));
    const r = JSON.parse(cli(['check', file, '--format', 'json']).stdout) as { results: Array<{ verdict: string; expected: string[]; findings: Array<{ code: string; message: string }> }> };
    expect(r.results[0].verdict).toBe('fail');
    expect(r.results[0].expected[0]).toBe('-00013000-00010000 r--p 00000000 00:00 0                                 [vvar]');
    expect(r.results[0].findings.find((f) => f.code === 'size')!.message).toBe('[vvar] has 4 pages, expected 35 pages (NR_CPUS=2048 at 4096-byte pages); there it would start below address 0, where no kernel maps it');
  });

  it('a kernel-max: or pagesize: header the script never writes, or written twice, is the process\'s error (exit 2 at its line), not read past', () => {
    const text = bundle(63);
    const lineOf = (t: string, needle: string) => t.split('\n').findIndex((l) => l.startsWith(needle)) + 1;
    for (const bad of ['0000000063', '-1', ' 63', '0x3f', '100000']) {
      const edited = text.replace('kernel-max: 63', `kernel-max: ${bad}`);
      const file = put(`b-bad${bad.trim()}.log`, edited);
      const r = json(['check', file]);
      expect(r.code, bad).toBe(2);
      expect(r.results[0].message, bad).toBe(`${file}:${lineOf(edited, 'kernel-max:')}: bundle header: "kernel-max: ${bad}": /sys/devices/system/cpu/kernel_max is a decimal number of at most 5 digits (NR_CPUS - 1)`);
    }
    const twice = text.replace('kernel-max: 63', 'kernel-max: 511\nkernel-max: 63');
    const file = put('b-twice.log', twice);
    const first = lineOf(twice, 'kernel-max:');
    expect(json(['check', file]).results[0].message).toBe(`${file}:${first + 1}: bundle header: a second "kernel-max:" line (line ${first} has one): one bundle is one kernel`);
    const page = text.replace('pagesize: 16384', 'pagesize: 0x4000');
    const pfile = put('b-page.log', page);
    expect(json(['check', pfile]).results[0].message).toBe(`${pfile}:${lineOf(page, 'pagesize:')}: bundle header: "pagesize: 0x4000": a page size the capture script writes in decimal bytes`);
    // As the script writes it when sysfs has no kernel_max: empty, read as unknown.
    expect(json(['check', put('b-empty.log', text.replace('kernel-max: 63', 'kernel-max: '))]).code).toBe(0);
  });

  it('a kernel message printed into a header line is cut out, as from a maps line (the console interleaves them)', () => {
    const text = bundle(63, grownVvar(readText(sample(LOONG, 'maps-pid1.txt'))));
    const msg = '[    2.279849] clocksource: Switched to clocksource tsc';
    const sizeOf = (t: string, name: string) => {
      const r = json(['check', put(name, t)]);
      return [r.code, r.results[0].findings.filter((f) => f.code === 'size').map((f) => f.message)];
    };
    const pinned = [1, ['[vvar] has 5 pages, expected 4 pages (NR_CPUS=64 at 16384-byte pages)']];
    expect(sizeOf(text.replace('kernel-max: 63', `kernel-max: 63${msg}`), 'i-end.log')).toEqual(pinned);
    // The message ended the console line: the value is the next line that is neither a message nor a bundle line.
    expect(sizeOf(text.replace('kernel-max: 63', `kernel-max: ${msg}\n[    2.280001] another message\n63`), 'i-split.log')).toEqual(pinned);
    expect(sizeOf(text.replace('pagesize: 16384', `pagesize: 16384${msg}`), 'i-page.log')).toEqual(pinned);
    // CONFIG_PRINTK_CALLER's and console_msg_format=syslog's stamps, cutting the value itself.
    expect(sizeOf(text.replace('kernel-max: 63', 'kernel-max: 6[    2.279849][    T1] clocksource: Switched\n3'), 'i-caller.log')).toEqual(pinned);
    expect(sizeOf(text.replace('kernel-max: 63', 'kernel-max: 6<6>[    2.279849] clocksource: Switched\n3'), 'i-syslog.log')).toEqual(pinned);
    const cut = readCapture(text.replace('uname-r: 7.2.13+deb14-loong64', `uname-r: 7.2.13+deb14-loong64${msg}`));
    expect([cut.bundles[0].unameR, cut.bundles[0].nrCpus, cut.kernelMarks.map((m) => m.release)]).toEqual(['7.2.13+deb14-loong64', 64, ['7.2.13+deb14-loong64']]);
  });

  it('KTAP carries every warning as a diagnostic (an unpinned size, an era), not only the rules it skipped', () => {
    const ktap = cli(['check', put('k-none.log', bundle(undefined)), '--format', 'ktap']).stdout;
    expect(ktap).toContain('\n  # not-checked: [vvar] size not pinned: it grows with NR_CPUS');
  });

  it('a Loongson 4.19 vendor kernel\'s [vvar] is accepted from 1 page, and the pass says it was not pinned (not that the kernel is older than every row)', () => {
    const r = json(['check', put('b-419.log', bundle(63, undefined, '4.19.190-6.lns7.loongarch64'))]);
    expect(r.results[0].verdict).not.toBe('error');
    const messages = r.results[0].findings.map((f) => f.message);
    expect(messages).toContain('[vvar] size not pinned: profile loongarch-vendor-4.19 accepts at least 1 page, as the kernels it stands for size it differently (`vdso-layout profiles --arch loongarch` says how)');
    expect(messages.join('\n')).not.toContain('older than every');
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
  it('a number past Kconfig\'s range is refused also where the era is open: the row that does not size [vvar] by it (5.19) is no way out', () => {
    const past = cli(['check', maps, '--nr-cpus', '4096']);
    expect([past.code, past.stdout, past.stderr]).toEqual([2, '', `vdso-layout: ${maps}: --nr-cpus 4096 is past what loongarch builds (Kconfig's NR_CPUS range ends at 2048; profile loongarch-6.0): another kernel's\n`]);
    // A family whose rows do not size by it still only notes it (x86: the flag is unused).
    const x86 = json(['check', sample('amd64-6.1.0-56-amd64', 'maps-pid1.txt'), '--nr-cpus', '4096']);
    expect([x86.code, x86.results[0].notes]).toEqual([0, expect.arrayContaining(['--nr-cpus 4096 is not used: profile x86-5.6 does not size its data pages by NR_CPUS'])]);
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
    expect(synth.stderr).toContain("vdso-layout: warning: --nr-cpus 4 is not used: profile x86-5.6 does not size its data pages by NR_CPUS\n");
    const amd64 = sample('amd64-6.1.0-56-amd64', 'maps-pid1.txt');
    type Notes = { results: Array<{ verdict: string; notes: string[] }> };
    const notesOf = (args: string[]) => (JSON.parse(cli([...args, '--format', 'json']).stdout) as Notes).results[0];
    const flagged = notesOf(['check', amd64, '--kernel', '6.1', '--nr-cpus', '4']);
    expect(flagged.verdict).toBe('pass');
    expect(flagged.notes).toContain("--nr-cpus 4 is not used: profile x86-5.6 does not size its data pages by NR_CPUS");
    expect(notesOf(['check', amd64, '--kernel', '6.1']).notes.join('\n')).not.toContain('NR_CPUS');
    // Nor held against the capture's own where it sizes nothing: one CI job's --nr-cpus for every
    // architecture must not fail amd64's boot (NR_CPUS=8192) or riscv64's (256).
    for (const entry of ['amd64-6.1.0-56-amd64', 'riscv64-7.2.13+deb14-riscv64']) {
      const r = cli(['check', sample(entry, 'console.log'), '--nr-cpus', '64']);
      expect([entry, r.code]).toEqual([entry, 0]);
    }
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
  it.skipIf(!existsSync(sysfs) && process.env.CI !== 'true')('on the running machine sysfs\'s kernel_max + 1 is NR_CPUS: a flag against it is refused where it sizes [vvar]', () => {
    const own = Number(readFileSync(sysfs, 'latin1')) + 1;
    expect(cli(['check', '--nr-cpus', String(own)]).code).toBe(0);
    // This x86 machine's [vvar] does not grow with NR_CPUS: another number is unused, and said.
    const other = cli(['check', '-v', '--nr-cpus', String(own + 1)]);
    expect(other.code).toBe(0);
    expect(other.stdout).toContain(`note: --nr-cpus ${own + 1} is not used: profile`);
    // A LoongArch process with its sysfs word (checkLive is what the live check runs): refused.
    const cap = readCapture(readText(maps), { file: '/proc/self/maps' });
    const auxv = parseAuxvBinary(auxvBytes);
    const live = (flag: number) => checkLive(cap, vdsoBytes, auxv, { nrCpus: flag }, 64);
    expect(live(64).map((r) => r.verdict)).toEqual(['pass']);
    expect(() => live(128)).toThrow(`--nr-cpus 128 does not fit this kernel's NR_CPUS 64 (${sysfs}: 63): it would size the per-CPU data for another kernel`);
  });

});
