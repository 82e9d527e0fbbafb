// "A pass must mean right", as a property: every built-in profile forced (--profile) on every
// sample capture, with and without the image and aux vector that belong to it: whenever a block
// passes, the expected lines equal the capture's lines (after the row's ranges, optional regions
// and allowed gaps are fitted). Bounded by counts: the table's rows × the samples' captures × 4.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseVdsoImage, type VdsoImage } from '../src/elf/index.js';
import { parseAuxvAny } from '../src/capture/auxv.js';
import { readCapture } from '../src/capture/reader.js';
import { keepForCheck } from '../src/check/pipeline.js';
import { checkCapture } from '../src/check/inputs.js';
import type { CheckResult } from '../src/check/findings.js';
import { ALL_PROFILES } from '../src/layout/profiles/index.js';
import { parseArch } from '../src/layout/arch.js';
import { CORPUS, ROOT, readBytes, readText } from './helpers.js';
import { MANIFEST } from './corpus-table.js';
import type { Auxv } from '../src/model/auxv.js';
import type { Capture } from '../src/model/capture.js';

const SAMPLES = join(ROOT, 'samples');
const rel = (p: string) => p.slice(SAMPLES.length + 1);

/** Every maps capture under samples/: corpus maps files and console logs, broken, host, qemu. */
function captureFiles(): string[] {
  const out: string[] = [];
  for (const e of readdirSync(CORPUS).sort()) {
    const dir = join(CORPUS, e);
    if (!existsSync(join(dir, 'meta.json'))) continue;
    for (const f of readdirSync(dir).sort()) if (/^maps-.*\.txt$/.test(f) || f === 'console.log') out.push(join(dir, f));
  }
  for (const d of ['broken', 'host', 'qemu']) {
    for (const f of readdirSync(join(SAMPLES, d)).sort()) if (/maps|bundle|\.log$/.test(f)) out.push(join(SAMPLES, d, f));
  }
  return out;
}

const imageCache = new Map<string, VdsoImage>();
function imageAt(p: string): VdsoImage {
  let im = imageCache.get(p);
  if (!im) { const r = parseVdsoImage(readBytes(join(SAMPLES, p))); if (!r.ok) throw r.error; im = r.value; imageCache.set(p, im); }
  return im;
}
const auxvAt = (p: string): Auxv => parseAuxvAny(readBytes(join(SAMPLES, p)), { file: p });

/** The image and aux vector the manifest pairs with a capture, and the corpus's own auxv-X for maps-X. */
function companions(file: string): { image?: string; auxv?: string } {
  const r = rel(file);
  const m = MANIFEST.checks.find((c) => c.capture === r && (c.image || c.args.includes('--vdso')));
  const arg = (flag: string) => { const i = m?.args.indexOf(flag) ?? -1; return i >= 0 ? m!.args[i + 1] : undefined; };
  const image = m?.image ?? arg('--vdso');
  let auxv = m?.auxv ?? arg('--auxv') ?? undefined;
  const own = /^corpus\/([^/]+)\/maps-(.*)\.txt$/.exec(r);
  if (!auxv && own && existsSync(join(CORPUS, own[1], `auxv-${own[2]}.txt`))) auxv = `corpus/${own[1]}/auxv-${own[2]}.txt`;
  return { image, auxv };
}

const lines = (r: CheckResult, side: 'expected' | 'actual') => r[side].map((l) => l.text);

describe('the pass invariant: a pass means every expected line is the capture\'s line', () => {
  const files = captureFiles();
  const caps = new Map<string, Capture>(files.map((f) => [f, readCapture(readText(f), { file: rel(f), keep: keepForCheck })]));

  it('the property covers the whole table and every sample capture', () => {
    expect(ALL_PROFILES.length).toBeGreaterThan(60);
    expect(files.length).toBeGreaterThan(60);
  });

  /** The capture's own line a result's actual line stands for (a console line may carry a prefix: a stamp, a LAVA wrapper). */
  const rawLines = new Map(files.map((f) => [f, readText(f).split('\n').map((l) => l.replace(/\r$/, ''))]));
  const notRaw = (file: string, r: CheckResult): string[] =>
    r.actual.filter((l) => l.line === undefined || !rawLines.get(file)![l.line - 1]?.endsWith(l.text)).map((l) => `line ${l.line}: ${l.text}`);

  /** Bare, each --kernel-bits, and each family's --arch. */
  const FLAG_VARIANTS = [{}, { kernelBits: 32 as const }, { kernelBits: 64 as const },
    ...['x86_64', 'aarch64', 'armv7l', 'ppc64le', 's390x', 'riscv64', 'mips64', 'loongarch64'].map((a) => ({ arch: parseArch(a) }))];
  it('a pass shows the capture\'s own lines, as they are in the file: with the flags that fit it, and never past one that does not', () => {
    const violations: string[] = [];
    let passes = 0;
    for (const file of files) {
      for (const flags of FLAG_VARIANTS) {
        for (const r of checkCapture(caps.get(file)!, flags)) {
          if (r.verdict !== 'pass') continue;
          passes++;
          const off = notRaw(file, r);
          if (off.length) violations.push(`${rel(file)}#${r.block} ${JSON.stringify(flags)}: ${off.join('; ')}`);
        }
      }
    }
    expect(violations.slice(0, 10).join('\n'), `${violations.length} violations`).toBe('');
    expect(passes).toBeGreaterThan(300);
  });

  it('every profile forced on every capture, ± image, ± aux vector: no pass with differing lines', () => {
    const violations: string[] = [];
    let passes = 0; let judged = 0;
    for (const file of files) {
      const cap = caps.get(file)!;
      const { image, auxv } = companions(file);
      const variants: Array<{ image?: string; auxv?: string }> = [{}];
      if (image) variants.push({ image });
      if (auxv) variants.push({ auxv });
      if (image && auxv) variants.push({ image, auxv });
      for (const v of variants) {
        const flags = { image: v.image ? imageAt(v.image) : undefined, auxv: v.auxv ? auxvAt(v.auxv) : undefined };
        for (const profile of ALL_PROFILES) {
          for (const r of checkCapture(cap, { ...flags, profile })) {
            if (r.verdict === 'error') continue;
            judged++;
            if (r.verdict !== 'pass') continue;
            passes++;
            const e = lines(r, 'expected').join('\n'); const a = lines(r, 'actual').join('\n');
            if (e !== a) violations.push(`${rel(file)}#${r.block} --profile ${profile.id}${v.image ? ' --vdso' : ''}${v.auxv ? ' --auxv' : ''}:\n  expected ${e}\n  actual   ${a}`);
            const off = notRaw(file, r);
            if (off.length) violations.push(`${rel(file)}#${r.block} --profile ${profile.id}: not the file's lines: ${off.join('; ')}`);
          }
        }
      }
    }
    expect(violations.slice(0, 10).join('\n'), `${violations.length} violations`).toBe('');
    // The property is not vacuous: many forced rows do pass, and many more are judged.
    expect(passes).toBeGreaterThan(200);
    expect(judged).toBeGreaterThan(passes * 2);
  });
});
