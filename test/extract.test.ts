import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { extractVdsos, scanForVdsos } from '../src/extract/scan.js';
import { zstdFrameLength } from '../src/extract/decompress.js';
import { unxz } from '../src/extract/xz.js';
import { InputError } from '../src/errors.js';
import { cli, readBytes, sample } from './helpers.js';

// Real Debian kernels: one kept in the repository (samples/kernels), the others fetched and
// cached by scripts/fetch-kernels.sh (run by .ci/run), which lists in UNAVAILABLE any that the
// Debian archive no longer serves.
const CACHE = process.env.VDSO_LAYOUT_KERNEL_CACHE ?? join(homedir(), '.cache', 'vdso-layout', 'kernels');
const unavailable = existsSync(join(CACHE, 'UNAVAILABLE')) ? readFileSync(join(CACHE, 'UNAVAILABLE'), 'utf8').split('\n') : [];
type Kernel = [file: string, where: 'repo' | string, kind: string, want: Record<string, string>];
const KERNELS: Kernel[] = [
  ['vmlinuz-6.1.0-50-686-pae', 'repo', 'i386 bzImage, xz with the x86 BCJ filter', { 'i386-32.so': 'i386-6.1.0-50-686-pae/vdso32.so' }],
  ['vmlinuz-6.1.0-56-amd64', 'linux-image-6.1.0-56-amd64:amd64', 'amd64 bzImage, xz (x86 BCJ): vdso64, x32, vdso32', { 'x86_64-64.so': 'amd64-6.1.0-56-amd64/vdso64.so', 'x32-32.so': 'amd64-6.1.0-56-amd64/vdsox32.so', 'i386-32.so': 'amd64-6.1.0-56-amd64/vdso32.so' }],
  ['vmlinuz-6.1.0-56-arm64', 'linux-image-6.1.0-56-arm64:arm64', 'raw arm64 Image, uncompressed', { 'aarch64-64.so': 'arm64-6.1.0-56-arm64/vdso64.so', 'arm-32.so': 'arm64-6.1.0-56-arm64/vdso32.so' }],
  ['vmlinuz-6.1.0-50-armmp', 'linux-image-6.1.0-50-armmp:armhf', 'armhf zImage, xz (ARM BCJ)', { 'arm-32.so': 'armhf-6.1.0-50-armmp/vdso.so' }],
  ['vmlinuz-6.1.0-50-s390x', 'linux-image-6.1.0-50-s390x:s390x', 's390 vmlinuz, xz', { 's390x-64.so': 's390x-6.1.0-50-s390x/vdso64.so', 's390-32.so': 's390x-6.1.0-50-s390x/vdso32.so' }],
  ['vmlinuz-6.1.0-50-5kc-malta', 'linux-image-6.1.0-50-5kc-malta:mips64el', 'self-extracting MIPS ELF, xz', { 'mips64-n64-64.so': 'mips64el-6.1.0-50-5kc-malta/vdso-n64.so', 'mips-o32-32.so': 'mips64el-6.1.0-50-5kc-malta/vdso-o32.so', 'mips64-n32-32.so': 'mips64el-6.1.0-50-5kc-malta/vdso-n32.so' }],
  ['vmlinuz-7.2.13+deb14-amd64', 'linux-binary-7.2.13+deb14-amd64:amd64', 'amd64 bzImage, zstd', { 'x86_64-64.so': 'amd64-7.2.13+deb14-amd64/vdso64.so', 'x32-32.so': 'amd64-7.2.13+deb14-amd64/vdsox32.so', 'i386-32.so': 'amd64-7.2.13+deb14-amd64/vdso32.so' }],
  ['vmlinuz-7.2.13+deb14-s390x', 'linux-binary-7.2.13+deb14-s390x:s390x', 's390 vmlinuz, zstd', { 's390x-64.so': 's390x-7.2.13+deb14-s390x/vdso.so' }],
  ['vmlinuz-7.2.13+deb14-riscv64', 'linux-binary-7.2.13+deb14-riscv64:riscv64', 'riscv64 EFI PE (vdso and vdso-cfi)', { 'riscv64-64.so': 'riscv64-7.2.13+deb14-riscv64/vdso.so', 'riscv64-64-2.so': 'riscv64-7.2.13+deb14-riscv64/vdso-cfi.so' }],
];

describe('extract from real Debian kernels: byte-identical to the corpus images', () => {
  for (const [file, where, kind, want] of KERNELS) {
    const path = where === 'repo' ? join('samples', 'kernels', file) : join(CACHE, file);
    const present = existsSync(path);
    const gone = where !== 'repo' && unavailable.includes(where);
    // In CI every kernel is either cached or known to be gone from the archive; never silently absent.
    if (!present && !gone && process.env.CI) it(`${file} is cached (scripts/fetch-kernels.sh)`, () => expect(present, path).toBe(true));
    it.skipIf(!present)(`${file} (${kind})${gone ? ' [no longer in the Debian archive]' : ''}`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'vl-ex-'));
      const r = cli(['extract', path, '-o', dir, '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.images.map((i: { name: string }) => i.name).sort()).toEqual(Object.keys(want).sort());
      for (const [name, corpus] of Object.entries(want)) {
        expect(readFileSync(join(dir, name)).equals(readFileSync(sample(...corpus.split('/')))), name).toBe(true);
      }
      expect(readdirSync(dir).length).toBe(Object.keys(want).length);
    });
  }
});

describe('xz: every BCJ filter the xz encoder offers, decoded and checked against the stream\'s own check', () => {
  const dir = join('samples', 'extract', 'xz');
  const payload = readFileSync(join(dir, 'payload.bin'));
  for (const f of ['x86-crc32.xz', 'x86-crc64.xz', 'x86-blocks.xz', 'arm-crc32.xz', 'armthumb-crc32.xz', 'arm64-crc32.xz', 'powerpc-crc32.xz', 'sparc-crc32.xz', 'lzma2-sha256.xz']) {
    it(f, async () => {
      expect(Buffer.from(await unxz(readBytes(join(dir, f)))).equals(payload)).toBe(true);
    });
  }
  it('an unsupported filter (IA-64) is named', async () => {
    await expect(unxz(readBytes(join(dir, 'ia64-crc32.xz')))).rejects.toThrow('xz: the IA-64 filter is not supported');
  });
  it('a flipped byte in the compressed data is caught (by the decoder or by the check), never returned', async () => {
    const b = readBytes(join(dir, 'x86-crc32.xz'));
    b[5000] ^= 0x10;
    await expect(unxz(b)).rejects.toBeInstanceOf(InputError);
    const c = readBytes(join(dir, 'x86-crc32.xz'));
    c[9] ^= 1; // stream header CRC32
    await expect(unxz(c)).rejects.toBeInstanceOf(InputError);
  });
});

describe('extract: containers and compressions', () => {
  const v64 = readBytes(sample('amd64-7.2.13+deb14-amd64', 'vdso64.so'));
  const v32 = readBytes(sample('amd64-7.2.13+deb14-amd64', 'vdso32.so'));
  it('an uncompressed vmlinux-like blob: images found in place, cut at their section header table end', () => {
    const blob = Buffer.concat([Buffer.alloc(10000, 0x90), v64, Buffer.alloc(333), v32, Buffer.from('\x7fELF junk that is not an image')]);
    const found = scanForVdsos(blob);
    expect(found.map((f) => [f.offset, f.length, f.image.soname])).toEqual([[10000, v64.length, 'linux-vdso.so.1'], [10000 + v64.length + 333, v32.length, 'linux-gate.so.1']]);
  });
  it('a zstd payload made by the zstd encoder, followed by the appended size word', async () => {
    const blob = readBytes(join('samples', 'extract', 'x86-7.2-vdsos-in-zstd-payload.bin'));
    const { found, compressions } = await extractVdsos(blob);
    expect(compressions).toEqual([{ kind: 'zstd', offset: 3000, decoded: true }]);
    expect(Buffer.from(found[0].bytes).equals(Buffer.from(v64))).toBe(true);
    expect(Buffer.from(found[1].bytes).equals(Buffer.from(v32))).toBe(true);
    expect(zstdFrameLength(blob, 3000)).toBe(blob.length - 3000 - 4 - 500);
  });
  it('a gzip payload with trailing bytes', async () => {
    const payload = Buffer.concat([Buffer.alloc(5000, 1), v32, Buffer.alloc(100)]);
    const blob = Buffer.concat([Buffer.alloc(700, 7), gzipSync(payload), Buffer.from([1, 2, 3, 4, 5])]);
    const { found } = await extractVdsos(blob);
    expect(found.map((f) => f.image.arch)).toEqual(['i386']);
  });
  it('lz4 is named, not guessed at; no image at all is a positioned error', () => {
    const lz4 = Buffer.concat([Buffer.alloc(100), Buffer.from([0x02, 0x21, 0x4c, 0x18]), Buffer.alloc(8000, 0x55)]);
    const dir = mkdtempSync(join(tmpdir(), 'vl-ex-'));
    const f = join(dir, 'lz4.bin');
    writeFileSync(f, lz4);
    const r = cli(['extract', f]);
    expect([r.code, r.stderr]).toEqual([2, `vdso-layout: ${f}: no vDSO found; the payload looks lz4-compressed, which vdso-layout cannot decompress (decompress it first, or pass the vmlinux from the build tree) at offset 0x64\n`]);
    const r2 = cli(['extract', sample('amd64-6.1.0-56-amd64', 'maps-pid1.txt')]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/no vDSO image found/);
  });
});
