import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { extractVdsos, scanForVdsos } from '../src/extract/scan.js';
import { zstdFrameLength } from '../src/extract/decompress.js';
import { unxz } from '../src/extract/xz.js';
import { InputError } from '../src/errors.js';
import { readBytes, ROOT, sample, AMD64_ENTRY } from './helpers.js';
import { runCli } from './run-in-process.js';

// Real Debian kernels: one kept in the repository (samples/kernels), compared with its corpus copy;
// the others are the *current* kernels of their suites, fetched and cached by
// scripts/fetch-kernels.sh (run by .ci/run), which writes CACHE/kernels.tsv. A fetched kernel is
// verified on its own (every image parses and carries the package's version note) and compared
// with the corpus only where it is the very build the corpus was made from.
const CACHE = process.env.VDSO_LAYOUT_KERNEL_CACHE ?? join(homedir(), '.cache', 'vdso-layout', 'kernels');
const FETCH = join(ROOT, 'scripts', 'fetch-kernels.sh');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
// The Linux note holds LINUX_VERSION_CODE, whose sublevel is clamped at 255.
const noteOf = (debianVersion: string) => {
  const [a, b, c = '0'] = debianVersion.replace(/^\d+:/, '').split(/[-+~]/)[0].split('.');
  return `${a}.${b}.${Math.min(Number(c), 255)}`;
};
// The arch of the image each kernel must have for its own (native) ABI.
const NATIVE: Record<string, string> = { amd64: 'x86_64', i386: 'i386', arm64: 'aarch64', armhf: 'arm', s390x: 's390x', mips64el: 'mips64', riscv64: 'riscv64', ppc64el: 'ppc64le', loong64: 'loongarch64' };

interface Fetched { suite: string; arch: string; flavour: string; status: string; pkg: string; version: string; file: string; note: string }
function manifest(): Map<string, Fetched> {
  const m = new Map<string, Fetched>();
  const path = join(CACHE, 'kernels.tsv');
  if (!existsSync(path)) return m;
  for (const line of readFileSync(path, 'utf8').split('\n').filter(Boolean)) {
    const [suite, arch, flavour, status, pkg, version, file, note] = line.split('\t');
    m.set(`${suite} ${arch} ${flavour}`, { suite, arch, flavour, status, pkg, version, file, note });
  }
  return m;
}
/** Corpus images of this exact build (same kernel release and Debian version), if the corpus has it. */
function corpusImages(k: Fetched): Uint8Array[] | undefined {
  const dir = sample(`${k.arch}-${k.pkg.replace(/^linux-image-/, '')}`);
  if (!existsSync(join(dir, 'meta.json'))) return undefined;
  const uname = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')).uname as string;
  if (!uname.includes(`Debian ${k.version} `)) return undefined;
  return readdirSync(dir).filter((f) => /^vdso.*\.so$/.test(f)).map((f) => readBytes(join(dir, f)));
}

describe('extract from the real Debian kernel kept in the repository: byte-identical to the corpus', () => {
  it('vmlinuz-6.1.0-50-686-pae (i386 bzImage, xz with the x86 BCJ filter)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vl-ex-'));
    const r = await runCli(['extract', join('samples', 'kernels', 'vmlinuz-6.1.0-50-686-pae'), '-o', dir, '--json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout).images.map((i: { name: string }) => i.name)).toEqual(['i386-32.so']);
    expect(readFileSync(join(dir, 'i386-32.so')).equals(readFileSync(sample('i386-6.1.0-50-686-pae', 'vdso32.so')))).toBe(true);
  });
});

describe('extract from the current Debian kernels (scripts/fetch-kernels.sh): every image parses and carries the package version', () => {
  const entries = spawnSync('bash', [FETCH, '--list'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  const fetched = manifest();
  it('fetch-kernels.sh lists its kernels', () => expect(entries.length).toBeGreaterThan(5));
  for (const entry of entries) {
    const k = fetched.get(entry);
    const path = k?.status === 'ok' ? join(CACHE, k.file) : undefined;
    const present = path !== undefined && existsSync(path);
    if (!present) {
      const why = !k ? `not fetched (run scripts/fetch-kernels.sh; cache ${CACHE})` : k.status === 'ok' ? `${path} is missing` : `${k.status}: ${k.note}`;
      // Under CI, .ci/run fetched the kernels: only a suite that really has no such kernel may be absent.
      if (process.env.CI && k?.status !== 'absent') it(`${entry}: fetched`, () => expect.fail(why));
      else it.skip(`${entry}: ${why}`, () => {});
      if (!process.env.CI || k?.status === 'absent') console.log(`extract test skipped: ${entry}: ${why}`);
      continue;
    }
    const corpus = corpusImages(k!);
    it(`${entry}: ${k!.pkg} ${k!.version}${corpus ? ' (the corpus build: byte-identical images)' : ''}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vl-ex-'));
      const r = await runCli(['extract', path!, '-o', dir, '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const images = JSON.parse(r.stdout).images as { name: string; file: string; arch: string; kernelVersion: string | null; buildId: string | null }[];
      expect(images.length).toBeGreaterThan(0);
      expect(images.map((i) => i.arch)).toContain(NATIVE[k!.arch]);
      // Independent of any corpus copy: the version note is the package's upstream version, and
      // every image written parses on its own.
      for (const im of images) expect(im.kernelVersion, im.name).toBe(noteOf(k!.version));
      const ins = await runCli(['inspect', ...images.map((i) => i.file), '--json']);
      expect(ins.code).toBe(0);
      expect(JSON.parse(ins.stdout).images.map((i: { buildId: string }) => i.buildId)).toEqual(images.map((i) => i.buildId));
      expect(readdirSync(dir).length).toBe(images.length);
      // The very build the corpus holds: byte-identical images.
      if (corpus) {
        expect(images.map((i) => sha(readFileSync(i.file))).sort()).toEqual(corpus.map(sha).sort());
      }
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
  it('lz4 is named, not guessed at; no image at all is a positioned error', async () => {
    const lz4 = Buffer.concat([Buffer.alloc(100), Buffer.from([0x02, 0x21, 0x4c, 0x18]), Buffer.alloc(8000, 0x55)]);
    const dir = mkdtempSync(join(tmpdir(), 'vl-ex-'));
    const f = join(dir, 'lz4.bin');
    writeFileSync(f, lz4);
    const r = await runCli(['extract', f]);
    expect([r.code, r.stderr]).toEqual([2, `vdso-layout: ${f}: no vDSO found; the payload looks lz4-compressed, which vdso-layout cannot decompress (decompress it first, or pass the vmlinux from the build tree) at offset 0x64\n`]);
    const r2 = await runCli(['extract', sample(AMD64_ENTRY, 'maps-pid1.txt')]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/no vDSO image found/);
  });
});
