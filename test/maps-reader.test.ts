// The capture reader as a streaming machine: per-block evidence, chunk boundaries, the byte fast
// path against the string path, bounded retention for huge captures, hostile bytes.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCaptureBytes } from '../src/io.js';
import { readCaptureBytes, readCaptureStream } from '../src/capture/reader.js';
import { parseMapsLine } from '../src/capture/maps-line.js';
import { CaptureReader, KEEP_BOUNDS, readCapture, type ReaderOptions } from '../src/capture/index.js';
import { checkBlock } from '../src/check/pipeline.js';
import { parseArch } from '../src/layout/arch.js';
import { keepForCheck } from '../src/check/pipeline.js';
import { CORPUS, ROOT, cli, corpusConsoleLogs, corpusEntries, corpusPageSizes, filesIn, readText, rng, AMD64_ENTRY } from './helpers.js';
import type { Capture } from '../src/model/capture.js';

const mapsFiles = (): Array<[string, string]> => corpusEntries().flatMap((e) => filesIn(e, /^maps-.*\.txt$/).map((f): [string, string] => [e, f]));

describe('block evidence (page granularity, arch triplets, load address)', () => {
  const pages = corpusPageSizes();
  for (const [e, f] of mapsFiles()) {
    it(`${e}/${f}`, () => {
      const text = readText(join(CORPUS, e, f));
      const lines = text.split('\n').filter((l) => l !== '');
      const ms = lines.map((l) => parseMapsLine(l)!.mapping);
      const cap = readCapture(text);
      expect(cap.blocks).toHaveLength(1);
      const ev = cap.blocks[0].evidence;
      // Recomputed independently, in bigint, from the fully parsed lines.
      const bits = ms.reduce((acc, m) => acc | (m.start & 0x3ffffn) | (m.end & 0x3ffffn), 0n);
      expect(ev.boundaryBits).toBe(Number(bits));
      if (pages[e] !== undefined) expect(BigInt(ev.boundaryBits) & (pages[e] - 1n)).toBe(0n); // every vma is whole pages
      const segs = new Set(ms.flatMap((m) => (m.name?.startsWith('/') ? m.name.split('/').slice(1, -1) : [])).filter((s) => /^[a-z0-9_]+-linux-[a-z0-9_]+$/.test(s)));
      expect(new Set(ev.triplets)).toEqual(new Set([...segs].slice(0, 4)));
      expect(ev.firstFileStart).toBe(ms.find((m) => m.kind === 'file')?.start);
    });
  }
  it('the same evidence with a keep filter (lines not kept still count)', () => {
    const text = readText(join(CORPUS, 'arm64-6.1.0-56-arm64', 'maps-dyn.txt'));
    const all = readCapture(text).blocks[0];
    const few = readCapture(text, { keep: (m) => m.kind === 'vdso' }).blocks[0];
    expect(few.mappings.length).toBeLessThan(all.mappings.length);
    expect(few.evidence).toEqual(all.evidence);
    expect(all.evidence.triplets).toEqual(['aarch64-linux-gnu']);
  });
});

// Everything a reader produces, as plain comparable data (bigints as hex).
const snapshot = (cap: Capture): string => JSON.stringify(cap, (_, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v));
const viaBytes = (bytes: Buffer, cuts: number[], opts: ReaderOptions = {}) => {
  const r = new CaptureReader(opts);
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    // A fresh copy per chunk, zeroed after use: the reader must not keep references into it.
    const chunk = Buffer.from(bytes.subarray(at, c));
    r.writeBytes(chunk);
    chunk.fill(0x41);
    at = c;
  }
  return snapshot(r.end());
};

describe('byte fast path (writeBytes) against the string path', () => {
  const tricky = Buffer.from([
    'Linux host 6.18.0 #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux',
    '@@@BEGIN maps-pid1',
    '555555554000-555555556000 r--p 00000000 fe:00 338944                     /usr/lib/x86_64-linux-gnu/libc.so.6',
    '555555556000-555555558000 r-xp 00002000 fe:00 338944                     /usr/lib/x86_64-linux-gnu/libc.so.6',
    '555555558000-555555559000 r-xp 00000000 00:00 0 ',
    '555555559000-55555555a000 rw-p 00000000 00:00 0\r',
    '[   12.345678] 55555555a000-55555555b000 r-xp 00000000 00:00 0 ',
    '\x1b[0m55555555b000-55555555c000 r--p 00000000 00:00 0                          [anon:x y]',
    '7f0000000000-7f0000001000 r-xp 00000000 00:00 0 ',
    '7ffd84f3e000-7ffd84f42000 r--p 00000000 00:00 0                          [vvar]',
    '7ffd84f42000-7ffd84f44000 r--p 00000000 00:00 0                          [vvar_vclock]',
    '7ffd84f44000-7ffd84f46000 r-xp 00000000 00:00 0                          [vdso]',
    '7ffd84f46000-7ffd84f47000 r-xp 00000000 00:00 0 ',
    'ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]',
    '00400000-00401000 r-xp 00000000 08:01 42                                 /opt/my app/lib-linux-gnu.so',
    '00401000-00402000 r-xp 00000000 08:01 43         /usr/lib/arm-linux-gnueabihf/x (deleted)',
    '',
    'AT_SYSINFO_EHDR:      0x7ffd84f44000',
    'AT_PAGESZ:            4096',
    '00008000-00009000 r-xp 00000000 00:00 0 '.padEnd(49) + '[vdso]',
    '00009000-0000a000 r-xp 00000000 00:00 0 ',
    'trailing line without newline',
  ].join('\n'), 'latin1');

  it('chunk boundaries: every split point, and byte by byte, give what one chunk gives', () => {
    const whole = viaBytes(tricky, []);
    const parsed = JSON.parse(whole) as Capture;
    expect(parsed.blocks.length).toBe(2);
    expect(parsed.auxvBlocks.length).toBe(1);
    expect(parsed.blocks[0].evidence.triplets).toEqual(['x86_64-linux-gnu', 'arm-linux-gnueabihf']);
    expect(parsed.blocks[1].kernelBits).toBe(32);
    for (let k = 0; k <= tricky.length; k++) expect(viaBytes(tricky, [k]), `split at ${k}`).toEqual(whole);
    expect(viaBytes(tricky, Array.from({ length: tricky.length }, (_, i) => i))).toEqual(whole);
    // And the string path agrees on all of it (blocks, evidence, diagnostics, kernel bits).
    expect(snapshot(readCapture(tricky.toString('latin1')))).toEqual(whole);
  });

  it('with the check keep filter too: every split point', () => {
    const whole = viaBytes(tricky, [], { keep: keepForCheck });
    expect(snapshot(readCapture(tricky.toString('latin1'), { keep: keepForCheck }))).toEqual(whole);
    for (let k = 0; k <= tricky.length; k++) expect(viaBytes(tricky, [k], { keep: keepForCheck }), `split at ${k}`).toEqual(whole);
  });

  it('the WebAssembly scanner (scan.wat) on every chunk of it, and byte by byte, gives what the JavaScript one gives', () => {
    const whole = viaBytes(tricky, [], { keep: keepForCheck, scanner: 'js' });
    expect(viaBytes(tricky, [], { keep: keepForCheck, scanner: 'always-wasm' })).toEqual(whole);
    for (let k = 0; k <= tricky.length; k++) {
      expect(viaBytes(tricky, [k], { keep: keepForCheck, scanner: 'always-wasm' }), `split at ${k}`).toEqual(whole);
    }
    expect(viaBytes(tricky, Array.from({ length: tricky.length }, (_, i) => i), { keep: keepForCheck, scanner: 'always-wasm' })).toEqual(whole);
  });

  for (const [e, f] of mapsFiles()) {
    it(`${e}/${f}: split at every offset, fast path = string path`, () => {
      const bytes = readFileSync(join(CORPUS, e, f));
      const text = bytes.toString('latin1');
      const slowAll = snapshot(readCapture(text));
      expect(viaBytes(bytes, [])).toEqual(slowAll);
      const slow = snapshot(readCapture(text, { keep: keepForCheck }));
      expect((JSON.parse(slow) as Capture).blocks[0].mappings.length).toBeGreaterThan(0);
      const differ: number[] = [];
      for (let k = 1; k < bytes.length; k++) if (viaBytes(bytes, [k], { keep: keepForCheck }) !== slow) differ.push(k);
      expect(differ, 'split offsets where the fast path differs').toEqual([]);
    });
  }

  it('console logs (prefixes, bundles, several processes): chunks ending at, before and after every newline; random chunk sizes', () => {
    const rand = rng(11);
    const logs = corpusConsoleLogs();
    for (const [e, bytes] of logs) {
      const slow = snapshot(readCapture(bytes.toString('latin1'), { keep: keepForCheck }));
      for (const shift of [0, 1, 2]) {
        const cuts: number[] = [];
        for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) if (i + shift < bytes.length) cuts.push(i + shift);
        expect(viaBytes(bytes, cuts, { keep: keepForCheck }) === slow, `${e}: chunks ending ${shift} after each newline`).toBe(true);
      }
      const cuts: number[] = [];
      for (let k = 1 + Math.floor(rand() * 300); k < bytes.length; k += 1 + Math.floor(rand() * 300)) cuts.push(k);
      expect(viaBytes(bytes, cuts, { keep: keepForCheck }) === slow, `${e}: random chunk sizes`).toBe(true);
    }
    expect(logs.length).toBeGreaterThan(10);
  });
});

describe('kernel messages inside a bundle on a serial console', () => {
  // A real CI boot (samples/qemu/…-interleaved.log): "[    2.279849] clocksource: Switched to
  // clocksource tsc" landed at the end of a maps line, and its newline left a blank line.
  const real = readFileSync(join(ROOT, 'samples', 'qemu', 'amd64-6.1.0-56-console-interleaved.log'));
  const vdsoLine = '7fff6c9cb000-7fff6c9cd000 r-xp 00000000 00:00 0                          [vdso]';
  // The same boot with a message glued to "[vdso]" itself, as the console could have printed it.
  const glued = Buffer.from(real.toString('latin1').replace(`${vdsoLine}\r\n`, `${vdsoLine}[    2.279850] random: crng init done\r\n\r\n`), 'latin1');
  const lf = (b: Buffer) => Buffer.from(b.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
  const variants: Array<[string, Buffer]> = [
    ['as captured', real], ['a message glued to [vdso]', glued], ['that without CRs (the byte scanners)', lf(glued)],
  ];
  // The [vdso] line cut by a message at each of its bytes, the rest of it on the next console
  // line, with another message (a whole line) in between half of the time.
  // The stamp as printk writes it, with CONFIG_PRINTK_CALLER's caller after it, with
  // console_msg_format=syslog's level before it, or alone (an empty message), in turn.
  const stamps = ['[    2.279850] random: crng init done', '[    2.279850][    T1] random: crng init done', '<5>[    2.279850] random: crng init done', '[    2.279850]'];
  const cuts = Array.from({ length: vdsoLine.length - 1 }, (_, k) => k + 1).map((k): [string, Buffer] => {
    const msg = `${stamps[k % stamps.length]}\r\n${k % 2 ? '[    2.279901] another one\r\n' : ''}`;
    return [`[vdso] line cut at ${k}`, Buffer.from(real.toString('latin1').replace(`${vdsoLine}\r\n`, `${vdsoLine.slice(0, k)}${msg}${vdsoLine.slice(k)}\r\n`), 'latin1')];
  });

  it('the bundle stays one process with its whole vDSO cluster, whichever way the lines are read', () => {
    expect(glued.equals(real)).toBe(false);
    for (const [what, bytes] of variants) {
      for (const scanner of ['js', 'always-wasm'] as const) {
        const cap = JSON.parse(viaBytes(bytes, [], { keep: keepForCheck, scanner })) as Capture;
        const bundleBlocks = cap.blocks.filter((b) => b.label === 'bundle');
        expect(bundleBlocks, `${what}, ${scanner}`).toHaveLength(1);
        const names = bundleBlocks[0].mappings.map((m) => m.name);
        expect(names, `${what}, ${scanner}`).toEqual(expect.arrayContaining(['[vvar]', '[vdso]']));
        expect(cap.bundles[0].mapsBlock).toBe(bundleBlocks[0].index);
      }
    }
  });

  it('a maps line a kernel message cut in two at any byte is joined again, with or without CRs', () => {
    for (const [what, bytes] of cuts) {
      for (const input of [bytes, lf(bytes)]) {
        const cap = JSON.parse(viaBytes(input, [], { keep: keepForCheck })) as Capture;
        const block = cap.blocks.find((b) => b.label === 'bundle');
        expect(block?.mappings.find((m) => m.kind === 'vdso')?.rawName, what).toBe('[vdso]');
        expect(cap.blocks.filter((b) => b.label === 'bundle'), what).toHaveLength(1);
        expect(JSON.parse(viaBytes(input, [], { keep: keepForCheck, scanner: 'always-wasm' })), what).toEqual(cap);
        expect(snapshot(readCapture(input.toString('latin1'), { keep: keepForCheck })), `${what}: string path`).toBe(JSON.stringify(cap, (_, v) => v));
        // As openCaptureBytes' chunks feed a reader: one buffer, refilled for every chunk.
        for (const scanner of ['js', 'always-wasm'] as const) {
          const reused = Buffer.alloc(4096);
          const r = new CaptureReader({ keep: keepForCheck, scanner });
          for (let at = 0; at < input.length; at += reused.length) { const n = input.copy(reused, 0, at); r.writeBytes(reused.subarray(0, n)); }
          expect(JSON.parse(snapshot(r.end())), `${what}: one buffer reused, ${scanner}`).toEqual(cap);
        }
      }
    }
  });

  it('and check passes on each, naming the skipped lines', () => {
    for (const [what, bytes] of variants) {
      const r = cli(['check', '-', '--format', 'json'], { input: bytes });
      expect(r.code, `${what}: ${r.stdout}`).toBe(0);
      const results = JSON.parse(r.stdout).results as Array<{ verdict: string; notes: string[] }>;
      expect(results.map((x) => x.verdict), what).toEqual(['pass']);
      expect(results[0].notes.join('\n'), what).toMatch(/a kernel message printed inside a maps line was cut out/);
    }
  });
});

describe('huge and hostile captures: bounded retention, clean refusals', () => {
  const line = (s: number, e: number, perms: string, name = '') => {
    const p = `${s.toString(16)}-${e.toString(16)} ${perms} 00000000 00:00 0 `;
    return name ? `${p.padEnd(72)} ${name}` : p;
  };

  it('thousands of duplicate [vdso]/[vvar] lines: a bounded number kept, the rest counted and noted', () => {
    const real = readText(join(CORPUS, AMD64_ENTRY, 'maps-pid1.txt')).split('\n').filter(Boolean);
    const cluster = real.filter((l) => /\[(vvar|vdso)\]$/.test(l));
    const text = [...real, ...Array.from({ length: 4000 }, (_, i) => cluster[i % cluster.length])].join('\n') + '\n';
    const cap = readCapture(text, { keep: keepForCheck });
    const b = cap.blocks[0];
    expect(b.total).toBe(real.length + 4000);
    expect(b.mappings.filter((m) => m.kind === 'vdso').length).toBe(KEEP_BOUNDS.perName);
    expect(b.mappings.length).toBeLessThanOrEqual(3 * (2 * KEEP_BOUNDS.perName + real.length));
    expect(b.notKept).toBe(4000 + cluster.length - 2 * KEEP_BOUNDS.perName);
    expect(cap.diagnostics.find((d) => d.code === 'not-kept')?.count).toBe(b.notKept);
  });

  it('an unnamed vDSO among 20,000 anonymous r-x vmas is still found, as without bounds', () => {
    // The 2020 powerpc symptom on a real capture: [vdso] lost its name; plus a JIT's worth of r-x.
    const real = readText(join(CORPUS, AMD64_ENTRY, 'maps-pid1.txt')).split('\n').filter(Boolean);
    const jit = Array.from({ length: 20_000 }, (_, i) => line(0x10000000 + i * 0x3000, 0x10000000 + i * 0x3000 + 0x2000, 'r-xp'));
    const unnamed = real.map((l) => (l.endsWith('[vdso]') ? l.slice(0, l.indexOf(' 0 ') + 3) : l));
    const text = [unnamed[0], ...jit, ...unnamed.slice(1)].join('\n') + '\n';
    const bounded = readCapture(text, { keep: keepForCheck }).blocks[0];
    const all = readCapture(text).blocks[0];
    expect(bounded.unnamedExec).toBe(20_001);
    expect(bounded.mappings.length).toBeLessThan(40);
    const ctx = { input: 'x', arch: parseArch('x86_64'), kernel: '6.1' };
    const a = checkBlock(bounded, ctx); const b = checkBlock(all, ctx);
    expect(a.anchoredBy).toBe('unnamed-heuristic');
    expect([a.verdict, a.base, a.findings.map((f) => f.code)]).toEqual([b.verdict, b.base, b.findings.map((f) => f.code)]);
    expect(a.findings.map((f) => f.code)).toContain('vdso-unnamed');
  });

  it('NUL bytes (a device, an image given as a capture): refused with an offset, after reading little', () => {
    const r = new CaptureReader({ file: 'z' });
    expect(() => r.writeBytes(new Uint8Array(1 << 20))).toThrow(/not a text capture: 64 NUL bytes \(binary data\)/);
    const cli1 = cli(['check', '/dev/zero']);
    expect(cli1.code).toBe(2);
    expect(cli1.stdout + cli1.stderr).toMatch(/\/dev\/zero: not a text capture: 64 NUL bytes \(binary data\) at offset 0x3f/);
    const cli2 = cli(['check', '/dev/urandom']);
    expect(cli2.code).toBe(2);
    expect(cli2.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a 10 MB line on stdin is skipped (noted) without buffering it, and the maps after it are read', () => {
    const long = Buffer.alloc(10 << 20, 0x61);
    const maps = readFileSync(join(CORPUS, AMD64_ENTRY, 'maps-pid1.txt'));
    const input = Buffer.concat([long, Buffer.from('\n'), maps]);
    const r = new CaptureReader({ keep: keepForCheck });
    for (let i = 0; i < input.length; i += 65536) r.writeBytes(input.subarray(i, i + 65536));
    const cap = r.end();
    expect(cap.diagnostics.find((d) => d.code === 'long-line')?.line).toBe(1);
    expect(cap.blocks[0].mappings.some((m) => m.kind === 'vdso')).toBe(true);
    const out = cli(['check', '-', '--format', 'json'], { input });
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).results[0].verdict).toBe('pass');
  });

  it('200,000 anonymous r-x lines: memory is the kept handful, not the lines', () => {
    const parts = Array.from({ length: 200_000 }, (_, i) => line(0x555555554000 + i * 0x2000, 0x555555555000 + i * 0x2000, 'r-xp'));
    const cap = readCapture(parts.join('\n') + '\n', { keep: keepForCheck });
    expect(cap.blocks[0].unnamedExec).toBe(200_000);
    expect(cap.blocks[0].mappings.length).toBeLessThanOrEqual(2 * KEEP_BOUNDS.perSize + 2);
  });

  it('8,000 duplicate [vdso] lines through the CLI (fuzz repro F4 shape) end in a verdict', () => {
    const real = readText(join(CORPUS, AMD64_ENTRY, 'maps-pid1.txt')).split('\n').filter(Boolean);
    const vdso = real.find((l) => l.endsWith('[vdso]'))!;
    const input = [...real, ...Array.from({ length: 8000 }, () => vdso)].join('\n') + '\n';
    const r = cli(['check', '-', '--format', 'json'], { input });
    expect(r.code).toBe(1);
    const res = JSON.parse(r.stdout).results[0];
    expect(res.findings.map((f: { code: string }) => f.code)).toContain('duplicate');
    expect(res.notes.join('\n')).toMatch(/not kept/);
  });
});


describe('a capture file read whole or streamed: the same capture', () => {
  it('readCaptureBytes (a small file, no promise) equals readCaptureStream in 4 KiB chunks, on every real console log', async () => {
    const logs = corpusConsoleLogs();
    expect(logs.length).toBeGreaterThan(8);
    for (const [entry, bytes] of logs) {
      async function* chunks() { for (let at = 0; at < bytes.length; at += 4096) yield bytes.subarray(at, at + 4096); }
      const streamed = snapshot(await readCaptureStream(chunks(), { file: entry, keep: keepForCheck }));
      expect(snapshot(readCaptureBytes(bytes, { file: entry, keep: keepForCheck })), entry).toBe(streamed);
    }
  });

  it('openCaptureBytes: under 16 MiB a file comes whole (through one shared buffer below 64 KiB), 16 MiB and more or stdin as chunks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vl-open-'));
    const bytesOf = async (got: ReturnType<typeof openCaptureBytes>) => {
      if (got.whole) return Buffer.from(got.whole);
      const parts: Buffer[] = [];
      for await (const c of got.chunks!) parts.push(Buffer.from(c));
      return Buffer.concat(parts);
    };
    // Either side of the shared buffer's 64 KiB: below it the file is read to its end there;
    // at and above it the file is asked its size and read whole into its own buffer.
    for (const size of [0, 1, (64 << 10) - 1, 64 << 10, (64 << 10) + 1, 300_000]) {
      const f = join(dir, `f${size}.txt`);
      const content = Buffer.alloc(size);
      for (let i = 0; i < size; i++) content[i] = 0x20 + (i * 7) % 90;
      writeFileSync(f, content);
      const got = openCaptureBytes(f);
      expect(got.whole, `${size} bytes`).toBeDefined();
      expect(got.whole!.equals(content), `${size} bytes`).toBe(true);
    }
    const big = join(dir, 'big.txt');
    const bigContent = Buffer.alloc(16 << 20, 0x0a);
    bigContent.write('first line\n', 0);
    bigContent.write('last line\n', bigContent.length - 10);
    writeFileSync(big, bigContent);
    const chunked = openCaptureBytes(big);
    expect(chunked.whole).toBeUndefined();
    expect((await bytesOf(chunked)).equals(bigContent)).toBe(true);
    // /proc files say size 0: read to their end, whole or (past 64 KiB) as chunks.
    expect((await bytesOf(openCaptureBytes('/proc/self/maps'))).toString('latin1')).toMatch(/\[stack\]/);
    expect(() => openCaptureBytes(join(dir, 'absent'))).toThrow(/no such file/);
    expect(() => openCaptureBytes(dir)).toThrow(/is a directory/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('openCaptureBytes: a capture read from the shared buffer keeps nothing of it (the next file overwrites it)', () => {
    // Every maps file of the corpus, and the boot logs that fit the buffer: each line of each
    // differs from the one before it in the buffer.
    const files = [
      ...mapsFiles().map(([e, f]) => join(CORPUS, e, f)),
      ...readdirSync(join(ROOT, 'samples', 'qemu')).filter((n) => n.endsWith('.log')).map((n) => join(ROOT, 'samples', 'qemu', n)).filter((f) => statSync(f).size < 64 << 10),
    ];
    expect(files.length).toBeGreaterThan(40);
    expect(files.some((f) => f.endsWith('.log'))).toBe(true);
    const alone = files.map((f) => snapshot(readCaptureBytes(readFileSync(f), { file: f, keep: keepForCheck })));
    // Read in turn through the shared buffer, every capture held until all are read.
    const inTurn = files.map((f) => readCaptureBytes(openCaptureBytes(f).whole!, { file: f, keep: keepForCheck }));
    expect(inTurn.map(snapshot)).toEqual(alone);
  });
});
