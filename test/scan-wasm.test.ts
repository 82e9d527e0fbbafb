// The WebAssembly line scanner (src/capture/scan.wat) against the JavaScript reader it stands in
// for: the same Capture, field for field, on real captures, on the benchmark's huge shapes, on
// every kind of line its grammar hands back, and on thousands of mutated captures.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureReader, type ReaderOptions } from '../src/capture/reader.js';
import { keepForCheck } from '../src/check/pipeline.js';
import { formatMapping } from '../src/capture/maps-line.js';
import { createScanner, SCAN_WINDOW } from '../src/capture/scan.js';
import { generateMaps } from '../bench/gen-maps.mjs';
import { GRAMMAR_EDGES as odd } from './maps-grammar-cases.js';
import { CORPUS, ROOT, corpusConsoleLogs, corpusEntries, filesIn, rng, AMD64_ENTRY } from './helpers.js';
import type { Capture } from '../src/model/capture.js';

const snapshot = (cap: Capture): string => JSON.stringify(cap, (_, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v));

/** Read as `check` reads a file: 1 MiB chunks, the check keep filter. */
function read(bytes: Buffer, scanner: ReaderOptions['scanner'], opts: ReaderOptions = {}, chunk = 1 << 20): string {
  const r = new CaptureReader({ keep: keepForCheck, scanner, ...opts });
  for (let at = 0; at < bytes.length; at += chunk) r.writeBytes(Buffer.from(bytes.subarray(at, Math.min(bytes.length, at + chunk))));
  return snapshot(r.end());
}

/** Read in two chunks split at k. */
function split(bytes: Buffer, k: number, scanner: ReaderOptions['scanner']): string {
  const r = new CaptureReader({ keep: keepForCheck, scanner });
  r.writeBytes(Buffer.from(bytes.subarray(0, k)));
  r.writeBytes(Buffer.from(bytes.subarray(k)));
  return snapshot(r.end());
}

async function generated(lines: number, mode: string): Promise<Buffer> {
  const parts: string[] = [];
  await generateMaps(lines, mode, { write: (s: string) => { parts.push(s); return true; }, once: () => undefined });
  return Buffer.from(parts.join(''), 'latin1');
}

const corpusMaps = (): Buffer[] => corpusEntries().flatMap((e) => filesIn(e, /^maps-.*\.txt$/).map((f) => readFileSync(join(CORPUS, e, f))));

describe('the WebAssembly scanner reads what the JavaScript reader reads', () => {
  it('runs here (SIMD), and src/capture/scan-wasm.ts is the assembly of scan.wat as committed', () => {
    expect(createScanner(), 'WebAssembly SIMD is available on Node >= 16.4').toBeDefined();
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'wasm.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('the benchmark shapes, 60,000 lines each, across windows: normal, no [vdso], every anonymous vma r-x, libraries with long paths', async () => {
    for (const mode of ['normal', 'novdso', 'anonx', 'libs']) {
      const bytes = await generated(60_000, mode);
      expect(bytes.length).toBeGreaterThan(2 * SCAN_WINDOW);
      const js = read(bytes, 'js');
      const cap = JSON.parse(js) as Capture;
      expect(cap.blocks[0].total).toBe(60_000);
      expect(read(bytes, 'always-wasm'), mode).toBe(js);
      expect(read(bytes, 'wasm'), `${mode}, default threshold`).toBe(js);
      expect(read(bytes, 'always-wasm', {}, 65_536), `${mode}, 64 KiB chunks`).toBe(js);
      // Tight bounds: the size table fills and the rest of the candidates are refused there.
      const bounds = { perName: 2, names: 3, perSize: 1, sizes: 5 };
      expect(read(bytes, 'always-wasm', { bounds }), `${mode}, tight bounds`).toBe(read(bytes, 'js', { bounds }));
    }
  });

  it('32-bit and 64-bit kernels\' captures of 40,000 lines, as the kernel prints them (names at column 49 and 73)', () => {
    const rand = rng(0x32b17);
    for (const kernelBits of [32, 64] as const) {
      const lines: string[] = [];
      let at = 0x10000n;
      for (let i = 0; i < 40_000; i++) {
        const pages = BigInt(1 + Math.floor(rand() * 8));
        const file = rand() < 0.4;
        const perms = file ? ['r--p', 'r-xp', 'rw-p'][i % 3] : ['rw-p', 'r-xp', '---p', 'r--p'][Math.floor(rand() * 4)];
        const name = file ? `/usr/lib/${kernelBits === 32 ? 'arm-linux-gnueabihf' : 'x86_64-linux-gnu'}/lib${Math.floor(i / 3)}.so` : undefined;
        lines.push(formatMapping({ start: at, end: at + pages * 4096n, perms, offset: 0n, major: file ? 8 : 0, minor: file ? 1 : 0, inode: file ? BigInt(1000 + Math.floor(i / 3)) : 0n, name, rawName: name }, { kernelBits }));
        at += (pages + BigInt(Math.floor(rand() * 3))) * 4096n;
      }
      const bytes = Buffer.from(lines.join('\n') + '\n', 'latin1');
      const js = read(bytes, 'js');
      expect((JSON.parse(js) as Capture).blocks[0].kernelBits, `${kernelBits}-bit`).toBe(kernelBits);
      expect(read(bytes, 'always-wasm'), `${kernelBits}-bit`).toBe(js);
    }
  });

  it('other keep filters: specials only, every anonymous vma, file-backed vmas too (the scanner steps aside)', async () => {
    const bytes = await generated(20_000, 'normal');
    const filters: Array<NonNullable<ReaderOptions['keep']>> = [
      (l) => l.kind !== 'anonymous' && l.kind !== 'file',
      (l) => l.kind === 'anonymous',
      (l) => l.kind === 'file' && l.perms[2] === 'x',
    ];
    for (const keep of filters) expect(read(bytes, 'always-wasm', { keep }), String(keep)).toBe(read(bytes, 'js', { keep }));
  });

  it('dynamic loaders: the ones already collected are not handed back, every other spelling is (more than 4, long, deleted, "/ld" inside a path)', () => {
    const rand = rng(0x1d50);
    const names = ['/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', '/lib/ld-musl-x86_64.so.1', '/lib64/ld64.so.2', '/lib/ld.so.1', '/lib/ld.so.12', '/lib/ld.so.',
      '/usr/lib/ld-linux-x86-64.so.2 (deleted)', `/opt/${'x'.repeat(80)}/ld-${'y'.repeat(70)}.so.1`, '/ld-linux.so.2', '/usr/ld-dir/libc.so.6',
      '/usr/lib/ld.so.conf.d/x.so', '/usr/lib/ld6/ld-linux-aarch64.so.1', '/srv/ld-', '/usr/lib/libld-3.so', '/usr/lib/ld-linux-armhf.so.3'];
    let at = 0x555555554000;
    const lines: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      const end = at + 4096 * (1 + Math.floor(rand() * 4));
      const range = `${at.toString(16)}-${end.toString(16)}`;
      // Every line another file (its own inode), so each is looked at.
      lines.push(rand() < 0.5 ? `${`${range} r-xp 00000000 fe:01 ${1000 + i} `.padEnd(73)}${names[Math.floor(rand() * names.length)]}` : `${range} rw-p 00000000 00:00 0 `);
      at = end;
    }
    // Each count of loaders known (0 to the 4 the list holds): the first k distinct names only, then all.
    for (const k of [1, 2, 4, names.length]) {
      const allowed = names.slice(0, k);
      const picked = lines.map((l) => (l.endsWith(' ') || allowed.some((n) => l.endsWith(n)) ? l : l.replace(/\/\S.*$/, allowed[0])));
      const bytes = Buffer.from(picked.join('\n') + '\n', 'latin1');
      const js = read(bytes, 'js');
      expect((JSON.parse(js) as Capture).blocks[0].evidence.loaders?.length, `${k} names`).toBeGreaterThan(0);
      expect(read(bytes, 'always-wasm'), `${k} names`).toBe(js);
      expect(read(bytes, 'always-wasm', {}, 65_536), `${k} names, 64 KiB chunks`).toBe(js);
    }
  });

  it('every real capture of the corpus: whole, and split at every newline and one and two bytes after it', () => {
    let files = 0;
    for (const bytes of corpusMaps()) {
      files++;
      const js = read(bytes, 'js');
      expect(read(bytes, 'always-wasm')).toBe(js);
      const differ: number[] = [];
      for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) {
        for (const k of [i, i + 1, i + 2]) if (k < bytes.length && split(bytes, k, 'always-wasm') !== js) differ.push(k);
      }
      expect(differ, 'split offsets where the WebAssembly scanner differs').toEqual([]);
    }
    expect(files).toBeGreaterThan(50);
  });

  it('every console log of the corpus (prefixes, bundles, several processes): one chunk, and random chunk sizes', () => {
    const rand = rng(23);
    const logs = corpusConsoleLogs();
    for (const [e, bytes] of logs) {
      const js = read(bytes, 'js');
      expect(read(bytes, 'always-wasm'), e).toBe(js);
      expect(read(bytes, 'always-wasm', {}, 1 + Math.floor(rand() * 300)), `${e}: small chunks`).toBe(js);
    }
    expect(logs.length).toBeGreaterThan(10);
  });

  it('every real capture of the corpus, concatenated into one input of several windows', () => {
    const all = Buffer.concat(corpusMaps().flatMap((b) => [Buffer.from('@@@BEGIN maps-next\n'), b]));
    expect(read(all, 'always-wasm')).toBe(read(all, 'js'));
  });

  // Lines around the edges of the scanner's grammar: each handed back, or read, exactly as the
  // JavaScript reader reads it.
  const base = readFileSync(join(CORPUS, AMD64_ENTRY, 'maps-pid1.txt'), 'latin1').split('\n').filter(Boolean);

  it('each line at the edge of its grammar, at the start, in the middle and at the end of a capture', () => {
    for (const line of odd) {
      for (const at of [0, 1, Math.floor(base.length / 2), base.length - 1, base.length]) {
        const lines = [...base];
        lines.splice(at, 0, line);
        const bytes = Buffer.from(lines.join('\n') + '\n', 'latin1');
        expect(read(bytes, 'always-wasm'), `${JSON.stringify(line)} at ${at}`).toBe(read(bytes, 'js'));
      }
    }
  });

  it('3,000 mutated captures (bytes changed, dropped, lines repeated and swapped), in chunks of every size class', () => {
    const rand = rng(0x5ca1ab1e);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const sources = corpusMaps();
    const alphabet = Buffer.from('0123456789abcdef-: \n\r\x1b\x00[]/rwxps#AZ\t', 'latin1');
    let differing = 0;
    for (let n = 0; n < 3000; n++) {
      const lines = pick(sources).toString('latin1').split('\n');
      for (let k = 1 + Math.floor(rand() * 4); k > 0; k--) {
        const i = Math.floor(rand() * lines.length);
        const kind = Math.floor(rand() * 5);
        const l = lines[i];
        const j = Math.floor(rand() * (l.length + 1));
        if (kind === 0) lines[i] = l.slice(0, j) + String.fromCharCode(pick([...alphabet])) + l.slice(j + 1);
        else if (kind === 1) lines[i] = l.slice(0, j) + l.slice(j + 1);
        else if (kind === 2) lines.splice(i, 0, l);
        else if (kind === 3) { const o = Math.floor(rand() * lines.length); [lines[i], lines[o]] = [lines[o], lines[i]]; }
        else lines[i] = l.slice(0, j) + String.fromCharCode(pick([...alphabet])) + l.slice(j);
      }
      const bytes = Buffer.from(lines.join('\n'), 'latin1');
      const chunk = pick([1 << 20, 4096, 97, 1 + Math.floor(rand() * bytes.length)]);
      const js = read(bytes, 'js', {}, chunk);
      if (read(bytes, 'always-wasm', {}, chunk) !== js) differing++;
    }
    expect(differing, 'mutated captures the two scanners read differently').toBe(0);
  });

  it('lines longer than a window in one chunk: a 2 MiB path and 2 MiB of text are both skipped and noted, as from a pipe\'s 1 MiB chunks', () => {
    for (const long of ['555555554000-555555556000 r-xp 00000000 fe:00 1 /' + 'x'.repeat(2 << 20), 'x'.repeat(2 << 20)]) {
      const lines = [...base];
      lines.splice(1, 0, long);
      const bytes = Buffer.from(lines.join('\n') + '\n', 'latin1');
      const js = read(bytes, 'js', {}, bytes.length);
      // No kernel prints a maps line over 1 MiB; read whole or in chunks, the same bytes read the same.
      expect(js.includes('"long-line"')).toBe(true);
      expect(read(bytes, 'always-wasm', {}, bytes.length)).toBe(js);
      expect(read(bytes, 'js', {}, 1 << 20)).toBe(js);
    }
  });
});
