// Regression tests for the hostile inputs of issue #10 (its reproduction commands, rebuilt here so the
// tests carry their own inputs): each ends in a verdict or one clean `vdso-layout: ...` line with
// exit 2, reading no more than the input kind allows (work bounded by sizes and counts, never by a clock).
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, constants as Z } from 'node:zlib';
import { parseAuxvAny, parseAuxvText } from '../src/capture/auxv.js';
import { readCapture } from '../src/capture/reader.js';
import { checkBlock } from '../src/check/pipeline.js';
import { parseUserProfile } from '../src/layout/user-profile.js';
import { locateJsonError } from '../src/layout/json-position.js';
import { unxz } from '../src/extract/xz.js';
import { crc32 } from '../src/extract/crc.js';
import { InputError } from '../src/errors.js';
import { cli, readBytes, rng, sample, AMD64_ENTRY } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'vl-hostile-'));
const put = (name: string, content: string | Uint8Array) => { const f = join(dir, name); writeFileSync(f, content); return f; };
const V = sample(AMD64_ENTRY, 'vdso64.so');
const MAPS = '7ffc6bbde000-7ffc6bbe2000 r--p 00000000 00:00 0                          [vvar]\n7ffc6bbe2000-7ffc6bbe4000 r-xp 00000000 00:00 0                          [vdso]\n';
const maps = put('maps-min.txt', MAPS);

/** Run the CLI; expect exit 2 with exactly one `vdso-layout: ` line on stderr. */
function oneCleanLine(args: string[]): string {
  const r = cli(args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(/^vdso-layout: [^\n]+\n$/);
  expect(r.stderr).not.toMatch(/internal error/);
  return r.stderr;
}

describe('F1/F2: page sizes that are 0, not a power of two, or outside 4K..256K are input errors naming their source', () => {
  const bundle = put('bundle-pagesize0.txt', `@@@VDSO-LAYOUT-BUNDLE 1 BEGIN\npagesize: 0\n@@@MAPS\n${MAPS}@@@VDSO-LAYOUT-BUNDLE 1 END\n`);
  it('a bundle\'s pagesize: header, with and without --vdso', () => {
    for (const extra of [[], ['--vdso', V]]) {
      expect(oneCleanLine(['check', bundle, ...extra])).toBe(`vdso-layout: ${bundle}:1: the bundle's "pagesize:" header: 0 is not a page size (a power of two from 4096 to 262144)\n`);
    }
  });
  it('AT_PAGESZ in LD_SHOW_AUXV text and in a binary aux vector', () => {
    for (const v of ['0', '3000', '524288']) {
      const a = put(`auxv-${v}.txt`, `AT_SYSINFO_EHDR: 0x7ffc6bbe2000\nAT_PAGESZ: ${v}\n`);
      expect(oneCleanLine(['check', maps, '--auxv', a, '--vdso', V])).toBe(`vdso-layout: ${a}:2:1: AT_PAGESZ: ${v} is not a page size (a power of two from 4096 to 262144)\n`);
    }
    const bin = Buffer.alloc(48);
    bin.writeBigUInt64LE(33n, 0); bin.writeBigUInt64LE(0x7ffc6bbe2000n, 8); bin.writeBigUInt64LE(6n, 16); // AT_PAGESZ = 0
    expect(() => parseAuxvAny(new Uint8Array(bin))).toThrow(/implausible AT_PAGESZ 0x0/);
  });
  it('--page-size, and the layout engine itself (defence in depth)', () => {
    for (const v of ['0', '3000', '512K']) expect(oneCleanLine(['check', maps, '--page-size', v])).toMatch(/--page-size: \d+ is not a page size/);
    const block = readCapture(MAPS).blocks[0];
    expect(() => checkBlock(block, { input: 'x', pageSize: 0n })).toThrow(InputError);
    expect(() => checkBlock(block, { input: 'x', pageSize: 12288n })).toThrow(/not a page size/);
  });
});

describe('F3: xxd-style lines parse in linear time', () => {
  // No clock here (a busy machine is no evidence): the work is bounded by the input's size. A parse
  // quadratic in the line (the bug) would take ~10^12 steps on the 1,000,000-digit line and never end;
  // a linear one reads it once.
  it('a line of hex without spaces, up to 1,000,000 digits: a positioned error', () => {
    for (const n of [48, 52, 56, 200, 4000, 1_000_000]) {
      let err: InputError | undefined;
      try { parseAuxvText(`00000000: ${'f'.repeat(n)}\n`, { file: 'x.txt' }); } catch (e) { err = e as InputError; }
      expect(err?.format()).toMatch(/^x\.txt:1:1: not an od\/hexdump\/xxd\/LD_SHOW_AUXV line/);
    }
  });
  it('a real xxd dump still parses, and "*" repeats look only at the next line', () => {
    expect(parseAuxvAny(readBytes(join('samples', 'host', 'auxv-sh-xxd.txt'))).pageSize).toBe(4096n);
    // 500,000 repeats: each looking past the next line (the bug) would be ~10^11 steps.
    const stars = `000000 0000000000000021 00007ffc6bbe2000\n${'*\n'.repeat(500_000)}000010 0000000000000006 0000000000001000\n000020 0000000000000000 0000000000000000\n000030\n`;
    expect(() => parseAuxvText(stars)).toThrow(InputError);
  });
});

describe('F8 and profile types: JSON errors are one line with line:column; wrong types name the field', () => {
  it('NaN and a trailing comma', () => {
    const nan = put('profile-nan.json', '{\n  "schema": NaN\n}\n');
    expect(oneCleanLine(['check', maps, '--profile', nan])).toBe(`vdso-layout: ${nan}:2:13: not valid JSON: expected a value (a string, number, object, array, true, false or null), found "NaN\\n}\\n"\n`);
    const comma = put('profile-comma.json', '{\n  "schema": "vdso-layout/profile/1",\n  "regions": [ { "role": "text" } ],\n}\n');
    expect(oneCleanLine(['check', maps, '--profile', comma])).toBe(`vdso-layout: ${comma}:4:1: not valid JSON: expected a double-quoted property name, found "}\\n"\n`);
  });
  it('the locator agrees with JSON.parse on 3,000 mutated profiles (error iff JSON.parse throws)', () => {
    const base = readFileSync(join('samples', 'profiles', 'ppc-2020-datapage-in-front.json'), 'utf8');
    const rand = rng(7);
    let invalid = 0;
    for (let i = 0; i < 3000; i++) {
      const a = base.split('');
      for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) {
        const at = Math.floor(rand() * a.length);
        if (rand() < 0.5) a.splice(at, 1); else a.splice(at, 0, '{}[],:"\\ 0-e.tn\n\u0001'[Math.floor(rand() * 17)]);
      }
      const text = a.join('');
      let valid = true;
      try { JSON.parse(text); } catch { valid = false; }
      const where = locateJsonError(text);
      expect(where === undefined, text).toBe(valid);
      if (where) { invalid++; expect(where.line).toBeGreaterThan(0); expect(where.message).not.toMatch(/\n/); }
    }
    expect(invalid).toBeGreaterThan(1000);
  });
  it('"pages": "2", negatives, unknown neighbour keys and wrong neighbour types', () => {
    const base = { schema: 'vdso-layout/profile/1', arch: 'x86_64', pageSize: 4096, regions: [{ name: '[vvar]', role: 'data', pages: 4 }, { name: '[vdso]', role: 'text' }] };
    const cases: Array<[unknown, RegExp]> = [
      [{ ...base, regions: [{ name: '[vvar]', role: 'data', pages: '2' }, base.regions[1]] }, /\(regions\[0\]\.pages\)$/],
      [{ ...base, regions: [{ name: '[vvar]', role: 'data', pages: -1 }, base.regions[1]] }, /\(regions\[0\]\.pages\)$/],
      [{ ...base, regions: [base.regions[0], { name: '[vdso]', role: 'text', dataPagesBefore: -2 }] }, /\(regions\[1\]\.dataPagesBefore\)$/],
      [{ ...base, neighbours: [{ name: '[vsyscall]', colour: 'red' }] }, /\(neighbours\[0\]\.colour\)$/],
      [{ ...base, neighbours: [{ name: '[vsyscall]', pages: '2' }] }, /\(neighbours\[0\]\.pages\)$/],
      [{ ...base, neighbours: [{ name: '[vsyscall]', optional: 'yes' }] }, /\(neighbours\[0\]\.optional\)$/],
      [{ ...base, source: 42 }, /\(source\)$/],
    ];
    for (const [p, field] of cases) {
      let err: InputError | undefined;
      try { parseUserProfile(JSON.stringify(p), 'p.json'); } catch (e) { err = e as InputError; }
      expect(err, JSON.stringify(p)).toBeInstanceOf(InputError);
      expect(err!.format()).toMatch(field);
    }
  });
});

describe('F9: /dev/zero and /dev/urandom as any input end quickly in one line', () => {
  for (const dev of ['/dev/zero', '/dev/urandom']) {
    it(dev, () => {
      expect(oneCleanLine(['check', dev])).toMatch(/^vdso-layout: \/dev\/\w+: not a text capture: \d+ NUL bytes \(binary data\) at offset 0x[0-9a-f]+\n$/);
      expect(oneCleanLine(['check', maps, '--vdso', dev])).toBe(`vdso-layout: ${dev}: larger than 8 MiB: not a vDSO image (read stopped there)\n`);
      expect(oneCleanLine(['check', maps, '--auxv', dev])).toBe(`vdso-layout: ${dev}: larger than 64 KiB: not an aux vector (read stopped there)\n`);
      expect(oneCleanLine(['check', maps, '--profile', dev])).toBe(`vdso-layout: ${dev}: larger than 64 KiB: not a layout profile (read stopped there)\n`);
      expect(oneCleanLine(['inspect', dev])).toMatch(/larger than 8 MiB: not a vDSO image/);
      expect(oneCleanLine(['extract', dev])).toMatch(/larger than 96 MiB: not a kernel image read from a pipe or device/);
    });
  }
  it('a regular file over the limit is refused by its size, before reading', () => {
    const big = join(dir, 'big.so');
    writeFileSync(big, Buffer.alloc(9 << 20));
    expect(oneCleanLine(['inspect', big])).toBe(`vdso-layout: ${big}: larger than 8 MiB: not a vDSO image (read stopped there)\n`);
  });
});

/** A one-block xz stream (CRC32 check) around raw LZMA2 data, claiming `size` bytes. */
function xzStream(lzma2: Uint8Array, dictByte: number, size: bigint, check: number): Uint8Array {
  const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
  const varint = (v: bigint) => { const o: number[] = []; do { let c = Number(v & 0x7fn); v >>= 7n; if (v) c |= 0x80; o.push(c); } while (v); return o; };
  const flags = [0x00, 0x01];
  const hdrBody = [0x02, 0x00, 0x21, 0x01, dictByte, 0, 0, 0];
  const header = [...hdrBody, ...le32(crc32(Uint8Array.from(hdrBody)))];
  const pad = (4 - (lzma2.length % 4)) % 4;
  const index = [0x00, ...varint(1n), ...varint(BigInt(header.length + lzma2.length + 4)), ...varint(size)];
  while (index.length % 4) index.push(0);
  const indexAll = [...index, ...le32(crc32(Uint8Array.from(index)))];
  const footBody = [...le32(indexAll.length / 4 - 1), ...flags];
  return Uint8Array.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, ...flags, ...le32(crc32(Uint8Array.from(flags))), ...header, ...lzma2, ...Array(pad).fill(0), ...le32(check), ...indexAll, ...le32(crc32(Uint8Array.from(footBody))), ...footBody, 0x59, 0x5a]);
}

describe('F7/F10 and the 128 MiB dictionary: xz, gzip and zstd payloads decode under a cap, with clear errors', () => {
  const payload = readBytes(join('samples', 'extract', 'xz', 'payload.bin'));
  it('any dictionary size decodes (single-call: the output is the dictionary): 128 MiB, 3 GiB, 4 GiB - 1', async () => {
    const s = readBytes(join('samples', 'extract', 'xz', 'lzma2-sha256.xz'));
    for (const dict of [0x1e, 0x25, 0x28]) {
      const b = s.slice();
      b[16] = dict; // the block header's LZMA2 properties byte
      const c = crc32(b.subarray(12, 20));
      b[20] = c & 0xff; b[21] = (c >>> 8) & 0xff; b[22] = (c >>> 16) & 0xff; b[23] = c >>> 24;
      expect(Buffer.from(await unxz(b)).equals(Buffer.from(payload)), `dict byte 0x${dict.toString(16)}`).toBe(true);
    }
  });
  it('a stream whose chunks claim 1 GiB is refused from its chunk headers, before decoding; an index claiming 2^62 bytes does not match its blocks', async () => {
    // 512 LZMA chunk headers of 2 MiB each over one junk byte: never decoded, so never looked at.
    const chunks = Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0x00, 0x00, 0x5d, 0x00]), ...Array(511).fill(Buffer.from([0x9f, 0xff, 0xff, 0x00, 0x00, 0x00])), Buffer.from([0x00])]);
    const bomb = put('xz-bomb.bin', Buffer.concat([Buffer.alloc(0x5000), Buffer.from(xzStream(chunks, 0x16, 1n << 30n, 0))]));
    expect(oneCleanLine(['extract', bomb])).toMatch(/^vdso-layout: .*xz-bomb\.bin: no vDSO found; the xz payload could not be decoded \(xz: the stream says it decompresses to 1 GiB; a 23\.\d KiB kernel file holds at most 16\.\d MiB \(32x its size \+ 16 MiB, all its payloads together\) \(not decoded\)\) at offset 0x5000\n$/);
    await expect(unxz(xzStream(Uint8Array.from([0x00]), 0x16, 1n << 62n, 0))).rejects.toThrow('xz: index record 1 says 17 bytes unpadded / 4611686018427387904 uncompressed, block 1 has 17 / 0');
  });
  it('corrupt LZMA2 data and a bad dictionary byte say what and where', async () => {
    // A valid LZMA2 chunk header (dictionary reset, 16 bytes unpacked, 6 packed, lc3 lp0 pb2) over garbage.
    const junk = Uint8Array.from([0xe0, 0x00, 0x0f, 0x00, 0x05, 0x5d, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]);
    await expect(unxz(xzStream(junk, 0x16, 16n, 0))).rejects.toThrow(/^xz: LZMA2 data corrupt \(bad range coder start; 8 MiB dictionary\)$/);
    await expect(unxz(xzStream(Uint8Array.from([0x00]), 0x29, 0n, 0))).rejects.toThrow('xz: dictionary size byte 0x29 is invalid (at most 0x28)');
    await expect(unxz(xzStream(Uint8Array.from([0x02, 0x00, 0x00, 0x41, 0x00]), 0x16, 1n, 0))).rejects.toThrow(/the first LZMA2 chunk does not reset the dictionary/);
  });
  it('a gzip bomb stops at its file\'s output budget (32x its size + 16 MiB) in bounded memory, with a message', () => {
    // Sync-flushed deflate blocks of 1 MiB of zeros, repeated: 600 MiB from ~600 KiB.
    const mib = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: Z.Z_SYNC_FLUSH });
    const bomb = put('gz-bomb.bin', Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3]), ...Array(600).fill(mib), deflateRawSync(Buffer.alloc(0))]));
    expect(oneCleanLine(['extract', bomb])).toMatch(/the gzip payload could not be decoded \(gzip: the payload decompresses past what is left of 35\.0 MiB; a 607\.6 KiB kernel file holds at most 35\.0 MiB \(32x its size \+ 16 MiB, all its payloads together\) \(stopped there\)\) at offset 0x0\n$/);
  });
  it('a corrupt gzip and a corrupt zstd frame are recorded with their decoder\'s error', () => {
    const gz = put('bad.gz', Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3]), Buffer.from([0xff, 0xff, 0xff, 0xff]), Buffer.alloc(100)]));
    expect(oneCleanLine(['extract', gz])).toMatch(/the gzip payload could not be decoded \(gzip: deflate data corrupt after 0 bytes \(.+\)\) at offset 0x0\n$/);
    const good = readBytes(join('samples', 'extract', 'x86-7.2-vdsos-in-zstd-payload.bin'));
    const bad = good.slice(); for (let i = 3200; i < 3400; i++) bad[i] ^= 0x5a; // inside the first block: the frame's structure stays
    expect(oneCleanLine(['extract', put('bad-zstd.bin', bad)])).toMatch(/the zstd payload could not be decoded \(zstd: frame could not be decoded \(.+\)\) at offset 0xbb8\n$/);
  });
});

describe('extract -o: clean errors, all or nothing', () => {
  const kernel = join('samples', 'kernels', 'vmlinuz-6.1.0-50-686-pae');
  it('a clash, a file in the way, a missing parent and an unwritable place leave nothing behind', () => {
    const out = join(dir, 'out');
    expect(cli(['extract', kernel, '-o', out]).code).toBe(0);
    expect(readdirSync(out)).toEqual(['i386-32.so']);
    expect(oneCleanLine(['extract', kernel, '-o', out])).toBe(`vdso-layout: ${join(out, 'i386-32.so')}: already exists; not overwriting it\n`);
    expect(oneCleanLine(['extract', kernel, '-o', join(out, 'i386-32.so')])).toBe(`vdso-layout: ${join(out, 'i386-32.so')}: is not a directory\n`);
    expect(oneCleanLine(['extract', kernel, '-o', join(dir, 'no', 'such', 'dir')])).toMatch(/cannot create this directory: its parent does not exist\n$/);
    expect(readdirSync(out)).toEqual(['i386-32.so']); // no temporary directory left
    expect(existsSync(join(dir, 'no'))).toBe(false);
    mkdirSync(join(dir, 'ro'), { mode: 0o555 });
    if (process.getuid?.() === 0) console.log('skipping the read-only directory case: root writes anywhere');
    else {
      expect(oneCleanLine(['extract', kernel, '-o', join(dir, 'ro')])).toMatch(/permission denied\n$/);
      expect(readdirSync(join(dir, 'ro'))).toEqual([]);
    }
    // A directory that takes no new entry: said so (it was "/proc/self: no such file").
    expect(oneCleanLine(['extract', kernel, '-o', '/proc/self'])).toBe('vdso-layout: /proc/self: cannot write files into this directory: it takes no new files\n');
  });

  it('empty names and a second stdin are usage errors, not stdout, every profile or an empty capture', () => {
    // -o '' wrote to stdout (capture) or nowhere (extract); --arch '' listed every profile; - - read stdin twice.
    expect(oneCleanLine(['extract', kernel, '-o', ''])).toBe('vdso-layout: -o: an empty directory name (give a directory, or no -o to only list the images)\n');
    expect(oneCleanLine(['capture', '-o', ''])).toBe('vdso-layout: -o: an empty file name (give a file, or no -o for stdout)\n');
    expect(oneCleanLine(['profiles', '--arch', ''])).toMatch(/^vdso-layout: unknown architecture ''/);
    expect(oneCleanLine(['check', '-', '-'])).toBe('vdso-layout: - (stdin) is named more than once: it can be read only once\n');
    // diff says an empty capture as check does.
    expect(oneCleanLine(['diff', sample(AMD64_ENTRY, 'maps-pid1.txt'), '/dev/null'])).toBe('vdso-layout: /dev/null: no /proc/PID/maps lines found\n');
  });
});
