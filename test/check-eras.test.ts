// Era boundaries, generic over the profile table: for every family and every pair of
// consecutive rows whose layouts differ, synthesize the capture shape each row implies (engine +
// kernel-exact writer, inside a real corpus capture of that family as the rest of the process),
// and check it passes with --kernel on its own side of the boundary and, one era off, fails with
// the codes the structural difference implies (derived from the two rows, not listed by hand).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { checkBlock, keepForCheck } from '../src/check/pipeline.js';
import { REGION_KINDS } from '../src/check/cluster.js';
import { computeLayout, pageCountValues, synthesize, type Layout } from '../src/layout/engine.js';
import { TASKS_OF, type KernelFamily } from '../src/layout/arch.js';
import type { ProfileRow } from '../src/layout/profile-types.js';
import { PROFILES } from '../src/layout/profiles/index.js';
import { compareVersions, parseKernelVersion } from '../src/layout/version.js';
import { readCapture } from '../src/capture/reader.js';
import { formatMapping } from '../src/capture/maps-line.js';
import { CORPUS, corpusPageSizes, readText, ROOT } from './helpers.js';
import { CAPTURES } from './corpus-table.js';
import type { Mapping } from '../src/model/maps.js';

const PAGES = corpusPageSizes();
const TEXT_PAGES = 2n;
/** Mainline rows (vendor rows are chosen by release pattern, not by era), oldest first. */
const mainline = (f: KernelFamily) => PROFILES[f].filter((r) => !r.vendor)
  .sort((a, b) => compareVersions(parseKernelVersion(a.since)!, parseKernelVersion(b.since)!));
const errorsOf = (r: ReturnType<typeof checkBlock>) => [...new Set(r.findings.filter((f) => f.severity === 'error').map((f) => f.code))].sort();

/**
 * A real capture of the family (its init process) to host the synthesized cluster, and its page
 * size: the corpus's, or for sparc64 (no Debian kernel) the first task of the sparc64 boot.
 */
function hostFor(family: KernelFamily): { text: string; page: bigint } | undefined {
  const c = CAPTURES.find((x) => x.maps === 'maps-pid1.txt' && familyOfEntry(x.entry) === family);
  if (c) return { text: readText(join(CORPUS, c.entry, c.maps)), page: PAGES[c.entry] };
  // Families without a Debian kernel in the corpus: the first task of their QEMU boot.
  const boot = ({ sparc: ['sparc64-6.1.176-tinyconfig-console.log', 8192n], parisc: ['hppa-6.1.176-tinyconfig-console.log', 4096n], sh: ['sh4-6.1.176-tinyconfig-console.log', 4096n] } as Partial<Record<KernelFamily, [string, bigint]>>)[family];
  if (!boot) return undefined;
  const log = readText(join(ROOT, 'samples', 'qemu', boot[0])).replace(/\r/g, '');
  return { text: log.split('@@@MAPS\n')[1].split('@@@AUXV')[0], page: boot[1] };
}
function familyOfEntry(entry: string): KernelFamily | undefined {
  const m = /^Linux \S+ \S+ .* (\S+) GNU\/Linux$/.exec(readText(join(CORPUS, entry, 'uname.txt')).trim());
  const machine = m?.[1] ?? '';
  for (const f of Object.keys(TASKS_OF) as KernelFamily[]) {
    if ({ x86: /^(x86_64|i.86)$/, arm64: /^aarch64$/, arm: /^armv/, powerpc: /^ppc/, s390: /^s390/, riscv: /^riscv/, mips: /^mips/, loongarch: /^loongarch/, sparc: /^sparc/, parisc: /^parisc/, sh: /^sh/ }[f].test(machine)) return f;
  }
  return undefined;
}

function layoutOf(row: ProfileRow, page: bigint, bits: 32 | 64, textPages = TEXT_PAGES): Layout {
  const task = TASKS_OF[row.family][0];
  // At the row's first release: what a kernel of its era prints (the offset column before 2.6.30).
  return computeLayout({ arch: { family: row.family, kernelBits: bits, task }, profile: row, pageSize: page, pageSizeFrom: 'flag', kernelBits: bits, textPages, kernel: row.since, kernelFrom: 'flag' });
}

/**
 * The layout a check without an image holds a capture to: the text size is read off the capture's
 * [vdso] vma, less the data pages the row keeps inside it (riscv 4.15, arm64 3.7, powerpc 2.6).
 */
function asJudged(row: ProfileRow, got: Shape, page: bigint, bits: 32 | 64): Layout {
  const t = row.regions.find((r) => r.role === 'text')!;
  const inner = BigInt((t.dataPagesBefore ?? 0) + (t.dataPagesAfter ?? 0));
  const vdso = got.lines.find((m) => m.kind === 'vdso');
  const pages = vdso ? (vdso.end - vdso.start) / page - inner : TEXT_PAGES;
  return layoutOf(row, page, bits, pages > 0n ? pages : 1n);
}

interface Shape { lines: Mapping[]; header: bigint }
const shapeOf = (l: Layout, base: bigint): Shape => ({ lines: synthesize(l, base), header: l.regions.find((r) => r.role === 'text')!.headerOffset ?? 0n });
const sameShape = (a: Shape, b: Shape) => a.header === b.header && a.lines.length === b.lines.length && a.lines.every((m, i) => m.name === b.lines[i].name && m.start === b.lines[i].start && m.end === b.lines[i].end && m.perms === b.lines[i].perms);

/** What a reviewer would report when a capture of shape `got` is held to `want`'s row. */
function impliedCodes(got: Shape, want: Layout, base: bigint): Set<string> {
  const out = new Set<string>();
  const wantLines = synthesize(want, base);
  const regionOf = (m: Mapping) => want.regions.find((r) => r.name === m.name);
  const textBase = base;
  const renamed = new Set<Mapping>();
  for (const g of got.lines) {
    const w = wantLines.find((x) => x.name === g.name);
    // An unnamed vma where the row has a named region: the name was lost.
    const cover = g.name === undefined ? wantLines.find((x) => x.name !== undefined && x.start < g.end && x.end > g.start) : undefined;
    if (!w && cover) { out.add(regionOf(cover)!.role === 'text' ? 'vdso-unnamed' : 'vvar-unnamed'); renamed.add(cover); continue; }
    // An unnamed vma beside (not inside) the expected cluster can be any mmap: compare leaves it.
    if (!w && g.name === undefined && !wantLines.some((x) => x.start < g.end && x.end > g.start)) continue;
    if (!w) { out.add('unexpected'); continue; }
    const r = regionOf(w)!;
    const pages = (g.end - g.start) / want.pageSize;
    const accepted = r.role === 'text' ? true : r.allowed !== undefined ? pageCountValues(r.allowed).accepts(Number(pages)) : g.end - g.start === w.end - w.start;
    if (!accepted) out.add('size');
    if (g.perms !== w.perms) out.add('perms');
    // The same vma with another offset column (a kernel before 2.6.30 printed its start).
    if (g.start === w.start && g.end === w.end && g.perms === w.perms && g.offset !== w.offset) out.add('unexpected');
    if ((g.start < textBase) !== (w.start < textBase)) out.add('order');
    else if (g.start !== w.start || g.end !== w.end) { out.add('gap'); out.add('overlap'); }
  }
  for (const w of wantLines) if (!renamed.has(w) && !got.lines.some((g) => g.name === w.name)) out.add(regionOf(w)!.role === 'text' ? 'vdso-missing' : 'vvar-missing');
  const wantHeader = want.regions.find((r) => r.role === 'text')!.headerOffset ?? 0n;
  if (got.header !== wantHeader) out.add('auxv-base');
  // Sizes accepted by a range leave positions to the capture (compare fits them): no gap then.
  if (!out.has('size') && !out.has('unexpected') && !out.has('vvar-missing') && !out.has('order') && !out.has('auxv-base')) { out.delete('gap'); out.delete('overlap'); }
  return out;
}

describe('era boundaries: each row\'s shape passes on its side and fails one era off with the implied codes', () => {
  for (const family of Object.keys(PROFILES) as KernelFamily[]) {
    const rows = mainline(family);
    const host = hostFor(family);
    for (let i = 1; i < rows.length; i++) {
      const [early, late] = [rows[i - 1], rows[i]];
      it(`${family}: ${early.id} | ${late.id}`, () => {
        if (!host) throw new Error(`no real capture of ${family} to host the shape`);
        const raw = readCapture(host.text).blocks[0];
        const bits = raw.kernelBits ?? 64;
        const corpusPage = host.page;
        const page = early.pageSizes.includes(Number(corpusPage)) && late.pageSizes.includes(Number(corpusPage)) ? corpusPage : BigInt(late.defaultPageSize);
        const vdso = raw.mappings.find((m) => m.kind === 'vdso')!;
        const base = vdso.start - (vdso.start % page);
        const L = { early: layoutOf(early, page, bits), late: layoutOf(late, page, bits) };
        const S = { early: shapeOf(L.early, base), late: shapeOf(L.late, base) };
        if (sameShape(S.early, S.late)) return; // the rows differ in source only: nothing a capture shows
        const capture = (s: Shape, row: ProfileRow) => {
          const lo = s.lines.reduce((a, m) => (m.start < a ? m.start : a), s.lines[0].start);
          const hi = s.lines.reduce((a, m) => (m.end > a ? m.end : a), s.lines[0].end);
          const below = (row.neighbours ?? []).filter((n) => n.placement === 'adjacent-below').map((n) => n.name);
          // Not the host's [stack]: it sits where the host's own release put it, which another era's
          // kernel may not (riscv64's 47 bits came with Sv48).
          const rest = raw.mappings.filter((m) => !REGION_KINDS.has(m.kind) && m.kind !== 'stack' && !below.includes(m.name ?? '') && !(m.start < hi + page && m.end > lo - page))
            .map((m) => ({ ...m }));
          const moved = raw.mappings.filter((m) => below.includes(m.name ?? '')).map((m) => ({ ...m, start: lo - (m.end - m.start), end: lo }));
          const ms = [...rest, ...moved, ...s.lines].sort((x, y) => (x.start < y.start ? -1 : 1));
          return readCapture(ms.map((m) => formatMapping(m, { kernelBits: bits })).join('\n') + '\n', { keep: keepForCheck }).blocks[0];
        };
        const judge = (s: Shape, row: ProfileRow, as: ProfileRow) => checkBlock(capture(s, row), {
          input: `${row.id} as ${as.id}`, kernel: as.since, kernelFrom: 'flag', arch: { family, kernelBits: bits, task: TASKS_OF[family][0] },
          auxv: { form: 'od', entries: [], sysinfoEhdr: base, pageSize: page },
        });
        for (const [side, row] of [['early', early], ['late', late]] as const) {
          const own = judge(S[side], row, row);
          expect(own.profile).toBe(row.id);
          expect(errorsOf(own), `${row.id} shape with --kernel ${row.since}: ${JSON.stringify(own.findings)}`).toEqual([]);
          const otherRow = side === 'early' ? late : early;
          const off = judge(S[side], row, otherRow);
          expect(off.profile).toBe(otherRow.id);
          const implied = impliedCodes(S[side], asJudged(otherRow, S[side], page, bits), base);
          const got = errorsOf(off);
          if (implied.size === 0) {
            // The other row's ranges accept this shape (loongarch's per-CPU minimum): it passes.
            expect(got, `${row.id} shape as ${otherRow.id}`).toEqual([]);
            continue;
          }
          expect(got.length, `${row.id} shape with --kernel ${otherRow.since} must fail (implied: ${[...implied].join(', ')})`).toBeGreaterThan(0);
          if (process.env.ERAS_DEBUG) console.log(`${row.id} as ${otherRow.id}: ${got.join(',')} (implied ${[...implied].join(',')})`);
          for (const c of got) expect([...implied], `${row.id} shape as ${otherRow.id}: ${JSON.stringify(off.findings)}`).toContain(c);
        }
      });
    }
  }
});
