import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseVdsoImage, type VdsoImage } from '../src/elf/index.js';
import { readCapture } from '../src/capture/reader.js';
import { formatMapping } from '../src/capture/maps-line.js';
import { parseAuxvText } from '../src/capture/auxv.js';
import { computeLayout, selectRow, synthesize } from '../src/layout/engine.js';
import { parseArch } from '../src/layout/arch.js';
import { PROFILES, ALL_PROFILES } from '../src/layout/profiles/index.js';
import { parseUserProfile } from '../src/layout/user-profile.js';
import { CORPUS, ROOT, corpusPageSizes, readBytes, readText, sample, AMD64_ENTRY } from './helpers.js';
import { CAPTURES } from './corpus-table.js';
import { checkCapture } from '../src/check/inputs.js';
import { keepForCheck } from '../src/check/pipeline.js';

const PAGE = corpusPageSizes();
const image = (entry: string, f: string): VdsoImage => {
  const r = parseVdsoImage(readBytes(join(CORPUS, entry, f)), f);
  if (!r.ok) throw r.error;
  return r.value;
};
const CLUSTER = new Set(['vdso', 'vvar', 'vvar_vclock', 'gic']);

describe('synth reproduces every real capture\'s vDSO cluster byte for byte', () => {
  for (const c of CAPTURES) {
    it(`${c.entry}/${c.maps} with ${c.image}`, () => {
      const cap = readCapture(readText(join(CORPUS, c.entry, c.maps)));
      const block = cap.blocks[0];
      const actual = block.mappings.filter((m) => CLUSTER.has(m.kind));
      const vdso = actual.find((m) => m.kind === 'vdso')!;
      const base = c.auxv ? parseAuxvText(readText(join(CORPUS, c.entry, c.auxv))).sysinfoEhdr! : vdso.start;
      const layout = computeLayout({ image: image(c.entry, c.image), kernelBits: block.kernelBits, pageSize: PAGE[c.entry], pageSizeFrom: 'auxv' });
      expect(layout.pageSize).toBe(PAGE[c.entry]);
      const want = actual.map((m) => formatMapping(m, { kernelBits: block.kernelBits! }));
      const got = synthesize(layout, base).map((m) => formatMapping(m, { kernelBits: layout.kernelBits }));
      expect(got).toEqual(want);
      // Neighbours' expectations hold.
      for (const n of layout.neighbours) {
        const seen = block.mappings.filter((m) => m.name === n.name);
        if (!n.optional) expect(seen, n.name).toHaveLength(1);
        for (const m of seen) {
          expect(n.perms).toContain(m.perms);
          expect(m.end - m.start).toBe(BigInt(n.pages) * layout.pageSize);
          if (n.placement === 'fixed') expect(m.start).toBe(n.at);
          if (n.placement === 'adjacent-below') expect(m.end).toBe(base + layout.regions[0].offset);
        }
      }
    });
  }

  it('the image each capture maps is the one the table names (build-id of the dumped [vdso])', () => {
    const dumps: Array<[string, string, string]> = [
      [AMD64_ENTRY, 'vdso-mem-dyn.bin', 'vdso64.so'], [AMD64_ENTRY, 'vdso-mem-compat32.bin', 'vdso32.so'],
      ['riscv64-7.2.13+deb14-riscv64', 'vdso-live-pid1.bin', 'vdso.so'],
    ];
    for (const [e, dump, img] of dumps) {
      const live = parseVdsoImage(readBytes(join(CORPUS, e, dump)));
      expect(live.ok && live.value.buildId, `${e}/${dump}`).toBe(image(e, img).buildId);
    }
  });

  it('this machine: synth from the live [vdso] matches /proc/self/maps', async () => {
    const { readLiveVdso } = await import('../src/live.js');
    const { readFileSync } = await import('node:fs');
    const text = readFileSync('/proc/self/maps', 'latin1');
    const cap = readCapture(text);
    const live = readLiveVdso(cap);
    const block = cap.blocks[0];
    const r = parseVdsoImage(live.bytes);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const layout = computeLayout({ image: r.value, kernelBits: block.kernelBits, pageSize: 4096n, pageSizeFrom: 'auxv' });
    const want = block.mappings.filter((m) => CLUSTER.has(m.kind)).map((m) => formatMapping(m, { kernelBits: 64 }));
    expect(synthesize(layout, live.mapping.start).map((m) => formatMapping(m, { kernelBits: 64 }))).toEqual(want);
  });
});

describe('profile rows at their version boundaries', () => {
  const ids = (family: keyof typeof PROFILES, v: string) => selectRow(family, v, []).id;
  it('every row: the version just before `since` picks the previous row, `since` picks it', () => {
    for (const all of Object.values(PROFILES)) {
      const rows = all.filter((r) => !r.vendor);
      for (const [i, r] of rows.entries()) {
        expect(ids(r.family, r.since)).toBe(r.id);
        if (i > 0) {
          const [a, b, c] = r.since.split('.').map(Number);
          const before = c !== undefined && c > 0 ? `${a}.${b}.${c - 1}` : b > 0 ? `${a}.${b - 1}.999` : `${a - 1}.99.0`;
          // A stable backport of a later era may claim the end of the previous series (the latest one reached wins).
          const reached = rows.flatMap((x) => (x.backports ?? []).map((bp) => ({ id: x.id, bp: bp.split('.').map(Number) })))
            .filter(({ bp }) => bp[0] === a && bp[1] === Number(before.split('.')[1]) && Number(before.split('.')[2]) >= bp[2])
            .sort((p, q) => q.bp[2] - p.bp[2]);
          const expected = reached[0]?.id ?? rows[i - 1].id;
          expect(ids(r.family, before), `${r.id} - 1`).toBe(expected);
          expect(rows[i - 1].until).toBe(r.since); // no holes, no overlaps
        }
      }
      expect(rows[rows.length - 1].until).toBeUndefined();
    }
  });
  it('data pages per era (the table the check relies on)', () => {
    const pages = (arch: string, v: string, img?: VdsoImage) => {
      const l = computeLayout({ arch: parseArch(arch), kernel: v, kernelFrom: 'flag', textPages: 2n, image: img });
      return l.regions.map((r) => `${r.name ?? '-'}:${r.size / l.pageSize}`).join(' ');
    };
    // x86: arch/x86/entry/vdso/vdso-layout.lds.S vvar_start across 3.16-6.15, and the stable backports.
    expect(pages('x86_64', '2.6.18')).toBe('[vdso]:2');
    expect(pages('x86_64', '3.14')).toBe('[vdso]:2');
    // 3.16.0 put the data after the text (jyizheng/linux-3.16 vdso-layout.lds.S end_mapping); 3.17 moved it in front.
    expect(pages('x86_64', '3.16')).toBe('[vdso]:2 [vvar]:2');
    expect(pages('x86_64', '3.17')).toBe('[vvar]:2 [vdso]:2');
    expect(pages('x86_64', '3.16.54')).toBe('[vvar]:3 [vdso]:2');
    expect(pages('x86_64', '4.4.109')).toBe('[vvar]:2 [vdso]:2');
    expect(pages('x86_64', '4.4.110')).toBe('[vvar]:3 [vdso]:2');
    expect(pages('x86_64', '4.4.190')).toBe('[vvar]:2 [vdso]:2');
    expect(pages('x86_64', '4.5')).toBe('[vvar]:3 [vdso]:2');
    expect(pages('x86_64', '4.7')).toBe('[vvar]:2 [vdso]:2');
    expect(pages('x86_64', '4.11')).toBe('[vvar]:3 [vdso]:2');
    expect(pages('x86_64', '5.5')).toBe('[vvar]:3 [vdso]:2');
    expect(pages('x86_64', '5.6')).toBe('[vvar]:4 [vdso]:2');
    expect(pages('x86_64', '6.12')).toBe('[vvar]:4 [vdso]:2');
    expect(pages('x86_64', '6.13')).toBe('[vvar]:2 [vvar_vclock]:2 [vdso]:2');
    expect(pages('x86_64', '6.15')).toBe('[vvar]:4 [vvar_vclock]:2 [vdso]:2');
    expect(pages('x86_64', '4.18.0-305.el8.x86_64')).toMatch(/^\[vvar\]:\d \[vdso\]:2$/);
    // arm64: one vma (text + data page after) until 3.17, [vvar] 1, 2 with timens (5.9), 4 (6.15).
    expect(pages('aarch64', '3.10')).toBe('[vdso]:3');
    expect(pages('aarch64', '5.8')).toBe('[vvar]:1 [vdso]:2');
    expect(pages('aarch64', '5.9')).toBe('[vvar]:2 [vdso]:2');
    expect(pages('aarch64', '6.15')).toBe('[vvar]:4 [vdso]:2');
    expect(pages('armhf', '6.14')).toBe('[vvar]:1 [vdso]:2');
    expect(pages('armhf', '6.15')).toBe('[vvar]:4 [vdso]:2');
    // powerpc: text + data page in one vma; 5.11 data first; 5.12.3/5.11.20 stable [vvar] 1; 5.13 2; 6.13 3; 6.15 4.
    expect(pages('ppc64le', '5.10')).toBe('[vdso]:3');
    expect(pages('ppc64le', '5.11')).toBe('[vdso]:3');
    expect(pages('ppc64le', '5.11.20')).toBe('[vvar]:1 [vdso]:2');
    expect(pages('ppc64le', '5.12.3')).toBe('[vvar]:1 [vdso]:2');
    expect(pages('ppc64le', '5.13')).toBe('[vvar]:2 [vdso]:2');
    expect(pages('ppc64le', '6.12.95')).toBe('[vvar]:2 [vdso]:2');
    expect(pages('ppc64le', '6.12.110')).toBe('[vvar]:3 [vdso]:2');
    expect(pages('ppc64le', '6.13')).toBe('[vvar]:3 [vdso]:2');
    expect(pages('ppc64le', '6.15')).toBe('[vvar]:4 [vdso]:2');
    expect(pages('s390x', '5.11')).toBe('[vdso]:3');
    expect(pages('s390x', '5.12')).toBe('[vvar]:2 [vdso]:2');
    expect(pages('s390x', '6.15')).toBe('[vvar]:4 [vdso]:2');
    // riscv: data inside [vdso] until 5.8, then above the text ([vdso_data] only for a 1-page image), below from 5.14.12/5.15.
    expect(pages('riscv64', '5.7')).toBe('[vdso]:3');
    expect(pages('riscv64', '5.10')).toBe('[vdso]:2 -:1');
    expect(pages('riscv64', '5.14.12')).toBe('[vdso_data]:1 [vdso]:2');
    expect(pages('riscv64', '5.15')).toBe('[vdso_data]:1 [vdso]:2');
    expect(pages('riscv64', '5.16')).toBe('[vvar]:2 [vdso]:2');
    expect(pages('mips64', '6.1')).toBe('[vvar]:1 [vdso]:2');
    expect(pages('mips64', '6.15')).toBe('[gic]:1 [vvar]:4 [vdso]:2');
    expect(pages('loongarch64', '6.15')).toBe('[vvar]:4 [vdso]:2');
  });
  it('ppc 5.11 puts the ELF header one page into [vdso]; ≤5.10 puts the data page after the text', () => {
    const l511 = computeLayout({ arch: parseArch('ppc64le'), kernel: '5.11', kernelFrom: 'flag', textPages: 1n, pageSize: 65536n });
    const [m] = synthesize(l511, 0x7fff00010000n);
    expect([m.start, m.end]).toEqual([0x7fff00000000n, 0x7fff00020000n]);
    const l510 = computeLayout({ arch: parseArch('ppc64le'), kernel: '5.10', kernelFrom: 'flag', textPages: 1n, pageSize: 65536n });
    expect(synthesize(l510, 0x7fff00010000n).map((x) => [x.start, x.end])).toEqual([[0x7fff00010000n, 0x7fff00030000n]]);
  });
  it('64K-page powerpc and 4K x86: page size comes from the image symbols, over a wrong --page-size', () => {
    const ppc = computeLayout({ image: image('ppc64el-6.1.0-50-powerpc64le', 'vdso64.so'), pageSize: 4096n, pageSizeFrom: 'flag' });
    expect([ppc.pageSize, ppc.pageSizeFrom]).toEqual([65536n, 'image-symbols']);
    expect(ppc.warnings.join()).toMatch(/data symbols say 65536-byte pages, not 4096/);
    const x86 = computeLayout({ image: image(AMD64_ENTRY, 'dbg/vdso64.dbg.so') });
    expect([x86.pageSize, x86.pageSizeFrom, x86.regions[0].from, x86.textFrom]).toEqual([4096n, 'image-symbols', 'image-symbols', 'image-estimated-from-dbg']);
    const arm64 = computeLayout({ image: image('arm64-6.1.0-56-arm64', 'dbg/vdso.dbg.so') });
    expect(arm64.regions.map((r) => r.size)).toEqual([0x2000n, 0x1000n]);
  });
  it('16K arm64 computed from symbols', () => {
    // A 16K-page arm64 build links _vdso_data = -2*16K, _timens_data = -16K.
    const base = image('arm64-6.1.0-56-arm64', 'dbg/vdso.dbg.so');
    const im: VdsoImage = { ...base, dataPageSymbols: [{ name: '_vdso_data', offset: -0x8000n }, { name: '_timens_data', offset: -0x4000n }] };
    const l = computeLayout({ image: im });
    expect([l.pageSize, l.regions[0].size, l.regions[1].size]).toEqual([16384n, 0x8000n, 0x4000n]);
  });
  it('arch names: uname -m, kernel ARCH and Debian names agree', () => {
    for (const [a, b, c] of [['x86_64', 'x86', 'amd64'], ['aarch64', 'arm64', 'arm64'], ['armv7l', 'arm', 'armhf'], ['ppc64le', 'powerpc', 'ppc64el'], ['s390x', 's390', 's390x'], ['riscv64', 'riscv', 'riscv64'], ['mips64', 'mips', 'mips64el'], ['loongarch64', 'loongarch', 'loong64']]) {
      expect(parseArch(a).family).toBe(parseArch(b).family);
      expect(parseArch(c).family).toBe(parseArch(b).family);
    }
    expect(() => parseArch('vax')).toThrow(/unknown architecture 'vax'/);
  });
  it('every row says what the source says, where it was read, and which sample captures confirm it', () => {
    for (const r of ALL_PROFILES) {
      expect(r.source.length, r.id).toBeGreaterThan(20);
      expect(r.layout.length, r.id).toBeGreaterThan(10);
      // A row no stored tree covers says so, and what it was read from instead.
      if (r.read.length === 0) expect(r.open ?? '', `${r.id}: no tree read, and open does not say why`).toMatch(/no .*tree|not stored|no stored/i);
      for (const s of r.read) {
        expect(s.commit, `${r.id}: ${s.repo}`).toMatch(/^[0-9a-f]{40}$/);
        expect(s.repo, r.id).toMatch(/^[\w.-]+\/[\w.-]+$/);
        expect(s.release.length, `${r.id}: which release the tree is`).toBeGreaterThan(3);
        expect(s.says.length, r.id).toBeGreaterThan(5);
      }
      for (const c of r.captures) expect(existsSync(join(ROOT, c)), `${r.id}: ${c}`).toBe(true);
      // Users do not have the notes gathered before the code existed: nothing may cite them.
      expect(JSON.stringify(r, (_k, x) => (typeof x === 'bigint' ? x.toString(16) : x)), r.id).not.toMatch(/layout-facts|facts doc|shared\/docs/);
    }
  });
});

describe('before 2.6.30 the offset column of a vDSO line is its start (insert_vm_struct\'s vm_pgoff, printed for every vma)', () => {
  const hardy = readText(join(ROOT, 'samples', 'pastes', 'ppc32-ubuntu-hardy-livecd-xorg-free-abort-2008.txt'));
  const check = (kernel?: string) => checkCapture(readCapture(hardy, { file: 'h', keep: keepForCheck }), { arch: parseArch('ppc'), kernel })[0];
  it('a release before it expects the start, 2.6.30 and later 0; an unknown release of a row that spans it takes either', () => {
    const at = (kernel: string | undefined) => computeLayout({ profile: ALL_PROFILES.find((r) => r.id === 'powerpc-2.6.18'), arch: parseArch('ppc'), kernel, kernelFrom: kernel ? 'flag' : undefined, textPages: 2n, pageSize: 4096n });
    expect([at('2.6.24').offsetColumn, at('2.6.29.6').offsetColumn, at('2.6.30').offsetColumn, at('4.19').offsetColumn, at(undefined).offsetColumn]).toEqual(['start', 'start', 'zero', 'zero', 'either']);
    expect(synthesize(at('2.6.24'), 0x100000n).map((m) => formatMapping(m, { kernelBits: 32 }))).toEqual(['00100000-00103000 r-xp 00100000 00:00 0          [vdso]']);
    // The x86_64 gate is static (vm_pgoff 0), and rows that start at or after 2.6.30 never print it.
    for (const id of ['x86-2.6.18', 'x86-3.15', 'powerpc-5.11', 'arm-4.1']) expect([id, ALL_PROFILES.find((r) => r.id === id)!.offsetIsStartUntil]).toEqual([id, undefined]);
  });
  it('the Hardy live CD\'s real [vdso] line passes as 2.6.24 and as an unknown release, and fails as 2.6.30', () => {
    expect([check('2.6.24').verdict, check('2.6.24').profile]).toEqual(['pass', 'powerpc-2.6.18']);
    expect(check().verdict).toBe('pass');
    const late = check('2.6.30');
    expect([late.verdict, late.findings.filter((f) => f.severity === 'error').map((f) => f.message)]).toEqual(['fail', ['[vdso] at 0x100000-0x103000 shows offset 0x100000, device 0:0, inode 0: the kernel prints a special mapping as 00000000 00:00 0']]);
    // And the line as a later kernel prints it, held to 2.6.24: the offset that kernel printed is said.
    const zeroed = checkCapture(readCapture(hardy.replace('r-xp 00100000 00:00 0 ', 'r-xp 00000000 00:00 0 '), { file: 'h', keep: keepForCheck }), { arch: parseArch('ppc'), kernel: '2.6.24' })[0];
    expect(zeroed.findings.filter((f) => f.severity === 'error').map((f) => f.message)).toEqual(['[vdso] at 0x100000-0x103000 shows offset 0x0, device 0:0, inode 0: a kernel before 2.6.30 prints its start as its offset (0x100000, device 0:0, inode 0: vm_pgoff of a vma without a file)']);
  });
});

describe('x86 3.15: the unnamed 2-page data vma is every 32-bit task\'s, and no 64-bit or x32 task\'s', () => {
  // vdso32-setup.c of 3.15.5 installs it for every i386 task (a 32-bit kernel's, ia32 compat);
  // vma.c maps x86_64 and x32 tasks a [vdso] only. It was optional, so a 32-bit task without it passed.
  const layout = (arch: string) => computeLayout({ arch: parseArch(arch), kernel: '3.15', textPages: 1n });
  it('synth: i386 gets it below the text, x86_64 and x32 do not', () => {
    expect(layout('i386').regions.map((r) => [r.name, r.size, r.optional])).toEqual([[undefined, 0x2000n, undefined], ['[vdso]', 0x1000n, undefined]]);
    for (const arch of ['x86_64', 'x32']) expect(layout(arch).regions.map((r) => r.name)).toEqual(['[vdso]']);
  });
  it('check --kernel 3.15 of real 32-bit captures (i386 kernel, amd64 compat): without it, vvar-missing; with the 3.15 shape, a pass', async () => {
    const { checkCapture } = await import('../src/check/inputs.js');
    const { keepForCheck } = await import('../src/check/pipeline.js');
    for (const [entry, f] of [['i386-6.1.0-50-686-pae', 'maps-pid1.txt'], [AMD64_ENTRY, 'maps-compat32.txt']]) {
      const text = readText(join(CORPUS, entry, f));
      const check = (t: string) => checkCapture(readCapture(t, { file: f, keep: keepForCheck }), { kernel: '3.15' })[0];
      const without = check(text.replace(/^.*\[vvar\]\n/m, ''));
      expect(without.verdict, `${entry}: ${without.message}`).toBe('fail');
      expect(without.findings.map((x) => x.code)).toContain('vvar-missing');
      // The 3.15 shape: [vvar] becomes the 2 unnamed pages just below the text.
      const vvar = /^([0-9a-f]+)-([0-9a-f]+)( r--p 00000000 00:00 0) +\[vvar\]$/m.exec(text)!;
      const end = BigInt(`0x${vvar[2]}`);
      const shaped = text.replace(vvar[0], `${(end - 0x2000n).toString(16)}-${vvar[2]}${vvar[3]} `);
      const ok = check(shaped);
      expect(ok.verdict, `${entry}: ${ok.message} ${JSON.stringify(ok.findings)}`).toBe('pass');
      expect(ok.profile).toBe('x86-3.15');
    }
  });
});

describe('user profiles', () => {
  const ok = { schema: 'vdso-layout/profile/1', arch: 'powerpc', pageSize: 65536, regions: [{ name: '[vdso]', role: 'text', dataPagesBefore: 1 }] };
  const err = (o: unknown) => { try { parseUserProfile(JSON.stringify(o), 'p.json'); return 'no error'; } catch (e) { return (e as { format(): string }).format(); } };
  it('accepts the README example and lays it out', () => {
    const p = parseUserProfile(readText(sample('..', 'profiles', 'ppc-2020-datapage-in-front.json')), 'x.json');
    const l = computeLayout({ profile: p, arch: parseArch('ppc64le'), textPages: 1n });
    expect(l.regions.map((r) => [r.name, r.offset, r.size])).toEqual([['[vdso]', -65536n, 131072n]]);
  });
  it('each kind of bad field gets its own message', () => {
    expect(err({ ...ok, schema: 'x' })).toBe('p.json: expected "vdso-layout/profile/1" (schema)');
    expect(err({ ...ok, arch: 'vax' })).toBe('p.json: expected a known architecture (uname -m, kernel ARCH or Debian name) (arch)');
    expect(err({ ...ok, pageSize: 1000 })).toBe('p.json: expected one of 4096, 8192, 16384, 65536, 262144 (pageSize)');
    expect(err({ ...ok, regions: [] })).toBe('p.json: expected a non-empty array of regions, low address first (regions)');
    expect(err({ ...ok, regions: [{ name: 'vvar', role: 'data', pages: 1 }, ok.regions[0]] })).toMatch(/\(regions\[0\]\.name\)$/);
    expect(err({ ...ok, regions: [{ name: '[vvar]', role: 'stuff', pages: 1 }, ok.regions[0]] })).toBe('p.json: expected one of data, vclock, text, gic (regions[0].role)');
    expect(err({ ...ok, regions: [{ name: '[vvar]', role: 'data', pages: 0 }, ok.regions[0]] })).toBe('p.json: expected a whole number of pages from 1 to 4096 (regions[0].pages)');
    expect(err({ ...ok, regions: [{ name: '[vvar]', role: 'data', bytes: 100 }, ok.regions[0]] })).toBe('p.json: expected a positive multiple of pageSize (65536), at most 4096 pages (regions[0].bytes)');
    expect(err({ ...ok, regions: [{ name: '[vvar]', role: 'data', pages: 1, perms: 'rwx' }, ok.regions[0]] })).toMatch(/\(regions\[0\]\.perms\)$/);
    expect(err({ ...ok, regions: [{ name: '[vvar]', role: 'data', pages: 1 }] })).toBe('p.json: expected exactly one region with role "text" (found 0) (regions)');
    expect(err({ ...ok, regions: [{ name: '[vdso]', role: 'text', pages: 2 }] })).toBe('p.json: expected no size on the text region (the image decides it; "fixedPages" where the kernel maps a fixed size whatever the image) (regions[0].pages)');
    expect(err({ ...ok, neighbours: [{ name: '[vectors]', placement: 'fixed' }] })).toMatch(/\(neighbours\[0\]\.at\)$/);
    expect(err({ ...ok, colour: 1 })).toMatch(/\(colour\)$/);
    expect(err({ ...ok, regions: [{ name: '[vvar]', role: 'data', pages: 1, pageRoles: 'data' }, ok.regions[0]] })).toMatch(/\(regions\[0\]\.pageRoles\)$/);
    expect(() => parseUserProfile('{ "schema": ', 'p.json')).toThrow(/not valid JSON/);
  });
  it('a data area sized by NR_CPUS ("perCpu") and a text of fixed size ("fixedPages"), as the built-in rows have them', () => {
    const la = parseUserProfile(readText(sample('..', 'profiles', 'loongarch-per-cpu-vvar.json')), 'la.json');
    const builtin = ALL_PROFILES.find((r) => r.id === 'loongarch-6.15')!;
    // The same pages as the built-in 6.15 row at every NR_CPUS the row's Kconfig range allows.
    for (const nrCpus of [1, 64, 255, 256, 257, 2048]) {
      const size = (profile: typeof la) => computeLayout({ profile, arch: parseArch('loongarch64'), textPages: 1n, nrCpus }).regions[0].size;
      expect([nrCpus, size(la)]).toEqual([nrCpus, size(builtin)]);
    }
    const la64 = computeLayout({ profile: la, arch: parseArch('loongarch64'), textPages: 1n, nrCpus: 64 });
    expect(la64.regions.map((r) => [r.name, r.size])).toEqual([['[vvar]', 4n * 16384n], ['[vdso]', 16384n]]);
    const pc = { name: '[vvar]', role: 'data' };
    const lo = { ...ok, arch: 'loongarch', pageSize: 16384, regions: [pc, { name: '[vdso]', role: 'text' }] };
    const with_ = (perCpu: unknown) => err({ ...lo, regions: [{ ...pc, pages: { perCpu } }, lo.regions[1]] });
    expect(with_({ fixed: 3, bytesPerCpu: 64, maxCpus: 2048 })).toBe('no error');
    expect(with_({ fixed: 3, bytesPerCpu: 64 })).toBe('p.json: expected a whole number from 1 to 99999 (regions[0].pages.perCpu.maxCpus)');
    expect(with_({ fixed: 3, bytesPerCpu: 0, maxCpus: 64 })).toBe('p.json: expected a whole number from 1 to 16384 (regions[0].pages.perCpu.bytesPerCpu)');
    expect(with_({ fixed: 3, bytesPerCpu: 64, maxCpus: 64, typicalCpus: 128 })).toBe('p.json: expected a whole number from 1 to 64 (regions[0].pages.perCpu.typicalCpus)');
    expect(with_({ fixed: 3, bytesPerCpu: 64, maxCpus: 64, cpus: 1 })).toBe('p.json: expected one of fixed, bytesPerCpu, extraBytes, maxCpus, typicalCpus (regions[0].pages.perCpu.cpus)');
    expect(with_({ bytesPerCpu: 16384, maxCpus: 99999 })).toBe('p.json: expected at most 4096 pages at maxCpus (regions[0].pages.perCpu)');
    expect(err({ ...lo, regions: [{ ...pc, pages: { min: 1 } }, lo.regions[1]] })).toMatch(/^p\.json: expected a whole number of pages, or \{ "perCpu": .* \(regions\[0\]\.pages\)$/);
    // sh maps one page whatever the image (the built-in sh-2.6.19 row's fixedPages).
    const sh = parseUserProfile(JSON.stringify({ ...ok, arch: 'sh', pageSize: 4096, regions: [{ name: '[vdso]', role: 'text', fixedPages: 1 }] }), 'sh.json');
    expect(computeLayout({ profile: sh, arch: parseArch('sh4'), textPages: 2n }).regions.map((r) => r.size)).toEqual([4096n]);
    expect(err({ ...ok, regions: [{ name: '[vdso]', role: 'text', fixedPages: 0 }] })).toBe('p.json: expected a whole number of pages from 1 to 4096 (regions[0].fixedPages)');
    expect(err({ ...ok, regions: [{ name: '[vvar]', role: 'data', pages: 1, fixedPages: 1 }, ok.regions[0]] })).toBe('p.json: expected fixedPages only on the text region (regions[0].fixedPages)');
  });
});

describe('README history table', () => {
  it('is the table `profiles --markdown` prints for the built-in rows', async () => {
    const { profilesToMarkdown } = await import('../src/report/layout.js');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /<!-- profiles:begin -->\n([\s\S]*?)<!-- profiles:end -->/.exec(readme);
    expect(block, 'README has the profiles block').not.toBeNull();
    expect(block![1]).toBe(profilesToMarkdown(ALL_PROFILES));
  });
});
