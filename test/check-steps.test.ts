// The check pipeline's steps, each on real captures (samples/): what each step promises the
// next one. The whole pipeline is pinned by check-*.test.ts and the samples; these pin the
// contracts between the steps, so a change to one step fails here, by name.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseVdsoImage, type VdsoImage } from '../src/elf/index.js';
import { parseAuxvAny } from '../src/capture/auxv.js';
import { readCapture } from '../src/capture/reader.js';
import type { MapsBlock } from '../src/model/capture.js';
import { keepForCheck } from '../src/check/pipeline.js';
import { resolve } from '../src/check/resolve.js';
import { InputError, UsageError } from '../src/errors.js';
import { anchorCluster, locateAnchor } from '../src/check/anchor.js';
import { sortByStart } from '../src/check/cluster.js';
import { candidates, pageChoices } from '../src/check/candidates.js';
import { layoutFor, layoutInput } from '../src/check/layouts.js';
import { attemptLayout } from '../src/check/compare.js';
import { closest, errorsOf } from '../src/check/rank.js';
import { parseArch } from '../src/layout/arch.js';
import { computeLayout } from '../src/layout/engine.js';
import { PROFILES } from '../src/layout/profiles/index.js';
import { otherFittingRows, selectFor, selectRow } from '../src/layout/select.js';
import { compareVersions, parseKernelVersion } from '../src/layout/version.js';
import { CORPUS, ROOT, readBytes, readText, AMD64_ENTRY } from './helpers.js';

const AMD64 = join(CORPUS, AMD64_ENTRY);
const ARM64 = join(CORPUS, 'arm64-6.1.0-56-arm64');
const PPC_2020 = join(ROOT, 'samples/broken/ppc64-2020-unnamed-vdso.maps.txt');
const blockOf = (p: string): MapsBlock => readCapture(readText(p), { file: p, keep: keepForCheck }).blocks[0];
const image = (p: string): VdsoImage => { const r = parseVdsoImage(readBytes(p)); if (!r.ok) throw r.error; return r.value; };
const auxv = (p: string) => parseAuxvAny(readBytes(p), { file: p });
const row = (id: string) => Object.values(PROFILES).flat().find((r) => r.id === id)!;

describe('resolve: the inputs → what is known before any layout', () => {
  it('the maps alone: the family evidence is gathered, the page size is left to the capture', () => {
    const k = resolve(blockOf(join(AMD64, 'maps-pid1.txt')), { input: 'm' });
    expect(k.family).toBeUndefined();
    expect(k.evidence?.families).toContain('x86');
    expect(k.pageFrom).toBe('capture');
    expect(k.fixedPage).toBeUndefined();
    expect(k.auxvBase).toBeUndefined();
  });
  it('an image or --arch names the family: no evidence is gathered; the image note is the version', () => {
    const b = blockOf(join(AMD64, 'maps-pid1.txt'));
    const withImage = resolve(b, { input: 'm', image: image(join(AMD64, 'vdso64.so')) });
    expect(withImage.evidence).toBeUndefined();
    expect(withImage.version).toMatch(/^6\.1\./);
    const withArch = resolve(b, { input: 'm', arch: parseArch('x86_64') });
    expect([withArch.family, withArch.evidence]).toEqual(['x86', undefined]);
  });
  it('the aux vector gives the text base and the page size; a flag outranks AT_PAGESZ', () => {
    const b = blockOf(join(AMD64, 'maps-pid1.txt'));
    const a = auxv(join(AMD64, 'auxv-pid1.txt'));
    const k = resolve(b, { input: 'm', auxv: a });
    expect([k.auxvBase, k.fixedPage, k.pageFrom]).toEqual([0x7ffc6bbe2000n, 4096n, 'auxv']);
    expect(resolve(b, { input: 'm', auxv: a, pageSize: 4096n, pageSizeFrom: 'flag' }).pageFrom).toBe('flag');
    expect(resolve(b, { input: 'm', pageSize: 4096n, pageSizeFrom: 'capture' }).pageFrom).toBe('capture');
  });
  it('a page size the vma boundaries are finer than: refused when --page-size says it, the capture\'s error when the capture does', () => {
    const b = blockOf(join(AMD64, 'maps-pid1.txt'));
    expect(resolve(b, { input: 'm', pageSize: 4096n }).fixedPage).toBe(4096n);
    expect(() => resolve(b, { input: 'm', pageSize: 16384n, pageSizeFrom: 'flag' })).toThrow(UsageError);
    expect(() => resolve(b, { input: 'm', pageSize: 16384n })).toThrow(/^--page-size 16384 does not fit this capture's own lines: line \d+'s vma [0-9a-f]+-[0-9a-f]+ is not on 16384-byte pages/);
    // The real aux vector with AT_PAGESZ edited, and a bundle's header as inputs.ts passes it.
    const a = auxv(join(AMD64, 'auxv-pid1.txt'));
    const contexts = [[{ input: 'm', auxv: { ...a, pageSize: 65536n } }, 'AT_PAGESZ'], [{ input: 'm', pageSize: 65536n, pageSizeFrom: 'capture' }, 'the bundle\'s "pagesize:"']] as const;
    for (const [ctx, said] of contexts) {
      let thrown: unknown;
      try { resolve(b, ctx); } catch (e) { thrown = e; }
      expect(thrown).toBeInstanceOf(InputError);
      expect((thrown as InputError).message).toMatch(new RegExp(`^${said} 65536 does not fit the process's own maps lines`));
      expect((thrown as InputError).position.line).toBe(b.firstLine);
    }
  });
  it('a page size the stack\'s top rules out: refused as a flag, the capture\'s error as AT_PAGESZ (a 16K loongarch kernel passed at 4K)', () => {
    // Real 16K loong64 7.2 and 64K ppc64el 5.10 processes: both stacks end at the top of 47 bits,
    // which loongarch gives at 16K only and ppc64 at 64K only; 4K pages were taken on the flag's word.
    const loong = blockOf(join(CORPUS, 'loong64-7.2.13+deb14-loong64', 'maps-pid1.txt'));
    const ppc = blockOf(join(CORPUS, 'ppc64el-5.10.262-vdsocorpus-ppc64le', 'maps-pid1.txt'));
    expect(() => resolve(loong, { input: 'm', pageSize: 4096n, pageSizeFrom: 'flag' }))
      .toThrow("--page-size 4096 does not fit this capture's own lines: [stack] ends at 0x7ffffbe28000, the top of a 47-bit user space, which the kernel gives only on other pages (loongarch at 16K)");
    expect(() => resolve(ppc, { input: 'm', pageSize: 4096n, pageSizeFrom: 'flag', arch: parseArch('ppc64le') }))
      .toThrow('(powerpc at 64K)');
    expect(resolve(loong, { input: 'm', pageSize: 16384n, pageSizeFrom: 'flag' }).fixedPage).toBe(16384n);
    expect(resolve(ppc, { input: 'm', pageSize: 65536n, pageSizeFrom: 'flag' }).fixedPage).toBe(65536n);
    let thrown: unknown;
    try { resolve(loong, { input: 'm', auxv: { ...auxv(join(CORPUS, 'loong64-7.2.13+deb14-loong64', 'auxv-pid1.txt')), pageSize: 4096n } }); } catch (e) { thrown = e; }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).message).toMatch(/^AT_PAGESZ 4096 does not fit the process's own maps lines: \[stack\] ends at/);
  });
  it('a 32-bit task under a 64-bit kernel is a compat capture', () => {
    expect(resolve(blockOf(join(AMD64, 'maps-compat32.txt')), { input: 'm', kernelBits: 64 }).compatCapture).toBe(true);
    expect(resolve(blockOf(join(AMD64, 'maps-pid1.txt')), { input: 'm', kernelBits: 64 }).compatCapture).toBe(false);
  });
  it('a family without 32-bit kernels on a 32-bit kernel\'s lines is a usage error', () => {
    const b = { ...blockOf(join(AMD64, 'maps-compat32.txt')), kernelBits: 32 as const };
    expect(() => resolve(b, { input: 'm', arch: parseArch('s390x') })).toThrow("--arch s390x (s390) does not fit this capture's own lines: 32-bit kernel lines (address width, name column)");
  });
});

describe('anchor: the text vma, before any layout', () => {
  it('[vdso] by name; AT_SYSINFO_EHDR when the aux vector is there; its cluster holds [vvar]', () => {
    const b = blockOf(join(AMD64, 'maps-pid1.txt'));
    expect(locateAnchor(b.mappings, undefined).by).toBe('name');
    const { anchor, cluster } = anchorCluster(b.mappings, 0x7ffc6bbe2000n);
    expect([anchor.by, anchor.mapping?.name]).toEqual(['auxv', '[vdso]']);
    expect(cluster.map((m) => m.name)).toEqual(['[vvar]', '[vdso]']);
  });
  it('the 2020 powerpc regression: the text lost its name; found by its place, r-x and unnamed', () => {
    const { anchor, cluster } = anchorCluster(blockOf(PPC_2020).mappings, undefined);
    expect(anchor.by).toBe('unnamed-heuristic');
    expect(anchor.mapping).toMatchObject({ name: undefined, perms: 'r-xp', start: 0x7fffbcb00000n });
    expect(cluster.length).toBeGreaterThan(0);
  });
});

describe('candidates: which rows may apply', () => {
  it('no release: never a vendor row, never the powerpc row whose text is unnamed (the regression is judged as one)', () => {
    const k = resolve(blockOf(PPC_2020), { input: 'm', arch: parseArch('ppc64le') });
    const ids = candidates(k).rows.map((r) => r!.id);
    expect(ids).toContain('powerpc-6.15');
    expect(ids).not.toContain('powerpc-2.6.12');
    expect(ids.filter((id) => row(id).vendor)).toEqual([]);
  });
  it('a vendor release selects its row, and says so; a plain mainline release says nothing', () => {
    const b = blockOf(join(AMD64, 'maps-pid1.txt'));
    const vendor = candidates(resolve(b, { input: 'm', arch: parseArch('x86_64'), kernel: '5.14.0-427.el9.x86_64' }));
    expect([vendor.rows.map((r) => r!.id), vendor.versionSelected]).toEqual([['x86-rhel9'], true]);
    expect(vendor.notes).toEqual([expect.stringMatching(/^RHEL 9 .* kernel \(release '5\.14\.0-427\.el9\.x86_64' matches /)]);
    expect(candidates(resolve(b, { input: 'm', arch: parseArch('x86_64'), kernel: '6.1.0-56-amd64' })).notes).toEqual([]);
  });
  it('an image: the engine selects the row (one candidate, undefined)', () => {
    const k = resolve(blockOf(join(AMD64, 'maps-pid1.txt')), { input: 'm', image: image(join(AMD64, 'vdso64.so')) });
    expect(candidates(k)).toEqual({ rows: [undefined], versionSelected: true, notes: [], untried: [] });
  });
  it('page sizes: the known one; else, with enough vmas, the largest the row allows that divides every boundary', () => {
    const k = resolve(blockOf(join(ARM64, 'maps-pid1.txt')), { input: 'm', arch: parseArch('aarch64') });
    expect(k.granularity % 4096n).toBe(0n);
    const choices = pageChoices(k, row('arm64-6.15'));
    expect(choices).toHaveLength(1);
    expect(k.granularity % choices[0]!).toBe(0n);
    const fixed = resolve(blockOf(join(ARM64, 'maps-pid1.txt')), { input: 'm', arch: parseArch('aarch64'), pageSize: 4096n });
    expect(pageChoices(fixed, row('arm64-6.15'))).toEqual([4096n]);
    expect(pageChoices({ ...fixed, granularity: 65536n }, row('arm64-6.15'))).toEqual([4096n]); // known: the boundaries are not asked
  });
});

describe('layouts: one memo of computeLayout keyed by its whole input', () => {
  const b = blockOf(join(AMD64, 'maps-pid1.txt'));
  const k = resolve(b, { input: 'm', arch: parseArch('x86_64') });
  const { anchor } = anchorCluster(b.mappings, undefined);
  it('the same input gives the same Layout object, equal to what computeLayout makes', () => {
    const input = layoutInput(k, anchor, row('x86-5.6'), 4096n)!;
    expect(layoutFor(input)).toBe(layoutFor({ ...input }));
    expect(layoutFor(input)).toEqual(computeLayout(input));
  });
  it('a row is keyed by identity, not id (a user profile may reuse a built-in id)', () => {
    const builtIn = row('x86-5.6');
    const copy = { ...builtIn, regions: builtIn.regions.map((g) => (g.name === '[vvar]' ? { ...g, pages: 3 } : g)) };
    const a = layoutFor(layoutInput(k, anchor, builtIn, 4096n)!);
    const c = layoutFor(layoutInput(k, anchor, copy, 4096n)!);
    expect(c).not.toBe(a);
    expect(c.regions.find((g) => g.name === '[vvar]')!.size).toBe(3n * 4096n);
  });
  it('without an image the text size comes from the anchor vma (two pages here)', () => {
    expect(layoutInput(k, anchor, row('x86-5.6'), 4096n)!.textPages).toBe(2n);
  });
});

describe('compare and rank', () => {
  const b = blockOf(join(AMD64, 'maps-pid1.txt'));
  const k = resolve(b, { input: 'm', arch: parseArch('x86_64') });
  const { anchor, cluster } = anchorCluster(b.mappings, undefined);
  const attempt = (id: string, order: number) =>
    attemptLayout(layoutFor(layoutInput(k, anchor, row(id), 4096n)!), order, { mappings: b.mappings, anchor: anchor.mapping, cluster });
  it('the 6.1 layout fits a 6.1 capture at the [vdso] start; the 6.15 layout does not', () => {
    const fits = attempt('x86-5.6', 0);
    expect([errorsOf(fits), fits.base]).toEqual([0, anchor.mapping!.start]);
    expect(errorsOf(attempt('x86-6.15', 1))).toBeGreaterThan(0);
  });
  it('more of the capture explained wins over table order; on a full tie a mainline row over a vendor one', () => {
    expect(closest([attempt('x86-6.15', 0), attempt('x86-5.6', 1)], anchor.mapping).layout.profile.id).toBe('x86-5.6');
    const vendor = attempt('x86-android-6.1', 0);
    expect(errorsOf(vendor)).toBe(0);
    expect(closest([vendor, attempt('x86-5.6', 1)], anchor.mapping).layout.profile.id).toBe('x86-5.6');
  });
  it('no text vma at all: one vdso-missing error, whatever the layout', () => {
    const none = attemptLayout(layoutFor(layoutInput(k, { by: 'name' }, row('x86-5.6'), 4096n)!), 0, { mappings: [], anchor: undefined, cluster: [] });
    expect(none.findings.map((f) => f.code)).toEqual(['vdso-missing']);
  });
});

describe('the selection policy: typed reasons, the note rendered from them', () => {
  it('each way a release selects a row has its own reason', () => {
    expect(selectFor('x86', '5.14.0-427.el9.x86_64').reason).toMatchObject({ kind: 'vendor', vendor: expect.stringMatching(/RHEL 9/) });
    expect(selectFor('x86', '4.4.200').reason).toEqual({ kind: 'backport', row: 'x86-4.7', from: '4.4.190', series: '4.4' });
    expect(selectFor('x86', '2.4.37').reason).toMatchObject({ kind: 'older-than-table', row: PROFILES.x86[0].id });
    expect(selectFor('x86', '6.1.0-56-amd64').reason).toMatchObject({ kind: 'mainline-era', since: '5.6', sublevelKnown: false });
  });
  it('a mainline era goes unsaid unless the unknown sublevel leaves a backported row open', () => {
    const plain: string[] = [];
    selectRow('x86', '6.1.0-56-amd64', plain);
    expect(plain).toEqual([]);
    const open: string[] = [];
    const s = selectFor('powerpc', '5.11.0-3-generic');
    expect([s.reason.kind, s.alternatives.map((r) => r.id)]).toEqual(['mainline-era', ['powerpc-5.12.3-stable']]);
    selectRow('powerpc', '5.11.0-3-generic', open);
    expect(open).toEqual([s.why]);
  });
  it('other rows that may carry the layout: mainline first, vendor rows only when none fits, never an era that ended before the kernel', () => {
    const chosen = row('x86-5.6');
    const v61 = parseKernelVersion('6.1');
    expect(otherFittingRows('x86', chosen, v61, () => true).map((r) => r.id)).toEqual(['x86-6.13', 'x86-6.15']);
    const vendorOnly = otherFittingRows('x86', chosen, v61, (r) => Boolean(r.vendor));
    expect(vendorOnly.length).toBeGreaterThan(0);
    expect(vendorOnly.every((r) => r.vendor && (!r.until || compareVersions(parseKernelVersion(r.until)!, v61!) > 0))).toBe(true);
    expect(otherFittingRows('x86', chosen, v61, () => false)).toEqual([]);
  });
});

describe('parseKernelVersion: parsed once per string, bounded', () => {
  it('gives the same tuple again, and every release past the bound still parses to its own numbers', () => {
    expect(parseKernelVersion('6.1.0-56-amd64')).toEqual([6, 1, 0]);
    expect(parseKernelVersion('6.1.0-56-amd64')).toBe(parseKernelVersion('6.1.0-56-amd64'));
    expect(parseKernelVersion('not a release')).toBeUndefined();
    expect(parseKernelVersion('not a release')).toBeUndefined();
    // Past the memo's bound (1024 strings) it starts again: nothing is lost or mixed up.
    for (let i = 0; i < 3000; i++) expect(parseKernelVersion(`v${i % 7}.${i}.${i % 300}-test`)).toEqual([i % 7, i, i % 300]);
    expect(parseKernelVersion(' 5.10.262 ')).toEqual([5, 10, 262]);
    expect(parseKernelVersion('6.1.0-56-amd64')).toEqual([6, 1, 0]);
  });
});

describe('sortByStart', () => {
  it('orders as a stable Array.prototype.sort by start does, ties in input order, at every length up to and past the insertion-sort bound', () => {
    let seed = 0x9e3779b9;
    const rand = (n: number) => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n; };
    for (let len = 0; len <= 40; len++) {
      for (let round = 0; round < 25; round++) {
        // Few distinct starts, so that ties are common; `id` tells tied entries apart.
        const list = Array.from({ length: len }, (_, id) => ({ start: BigInt(rand(6)) << 12n, id }));
        const want = list.slice().sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
        const got = sortByStart(list);
        expect(got).toBe(list); // in place
        expect(got.map((m) => m.id)).toEqual(want.map((m) => m.id));
      }
    }
  });
});
