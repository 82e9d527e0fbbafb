// Kernel payload decompression. Each decoder finds where its stream ends (kernels append
// a size word and more after it) and decodes exactly that stream.
//   gzip: Node's zlib (raw inflate stops at the end of the deflate stream).
//   xz:   ./xz.ts (xz-embedded in WebAssembly for LZMA2, plus the kernel's BCJ filters).
//   zstd: Node's zlib where the runtime has it (22.15+), else fzstd (pure JS).
import { inflateRawSync } from 'node:zlib';
import * as zlib from 'node:zlib';
import { decompress as fzstdDecompress } from 'fzstd';
import { InputError } from '../errors.js';
import { crc32 } from './crc.js';
import { unxz } from './xz.js';

export type Compression = 'gzip' | 'xz' | 'zstd' | 'lz4' | 'lzo' | 'bzip2';

export const MAGIC: Array<[Compression, number[]]> = [
  ['gzip', [0x1f, 0x8b, 0x08]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
  ['lz4', [0x02, 0x21, 0x4c, 0x18]],
  ['lzo', [0x89, 0x4c, 0x5a, 0x4f]],
  ['bzip2', [0x42, 0x5a, 0x68]],
];

export function gunzipAt(buf: Uint8Array, at: number): Uint8Array | undefined {
  const b = buf.subarray(at);
  if (b.length < 18) return undefined;
  const flags = b[3];
  let o = 10;
  if (flags & 4) o += 2 + (b[o] | (b[o + 1] << 8)); // FEXTRA
  if (flags & 8) { while (o < b.length && b[o] !== 0) o++; o++; } // FNAME
  if (flags & 16) { while (o < b.length && b[o] !== 0) o++; o++; } // FCOMMENT
  if (flags & 2) o += 2; // FHCRC
  try { return inflateRawSync(b.subarray(o)); } catch { return undefined; }
}

/** Candidate ends of the xz stream starting at `at`: footers whose CRC32 checks out. */
export function xzStreamEnds(buf: Uint8Array, at: number, limit = 64 << 20): number[] {
  const out: number[] = [];
  if (at + 24 > buf.length) return out;
  const f0 = buf[at + 6]; const f1 = buf[at + 7];
  // Stream header CRC32 covers the two flag bytes.
  const hcrc = (buf[at + 8] | (buf[at + 9] << 8) | (buf[at + 10] << 16) | (buf[at + 11] << 24)) >>> 0;
  if (crc32(buf.subarray(at + 6, at + 8)) !== hcrc) return out;
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const foot = Buffer.from([f0, f1, 0x59, 0x5a]);
  let e = at + 12;
  while ((e = b.indexOf(foot, e)) >= 0 && e - at < limit) {
    const start = e - 8; // CRC32(4) backward size(4) flags(2) 'YZ'
    const fcrc = (b[start] | (b[start + 1] << 8) | (b[start + 2] << 16) | (b[start + 3] << 24)) >>> 0;
    if (start >= at + 12 && crc32(b.subarray(start + 4, start + 10)) === fcrc) out.push(e + 4);
    e++;
  }
  return out;
}

export async function unxzAt(buf: Uint8Array, at: number): Promise<Uint8Array | undefined> {
  let lastError: InputError | undefined;
  for (const end of xzStreamEnds(buf, at)) {
    try { return await unxz(buf.subarray(at, end), at); } catch (e) {
      if (!(e instanceof InputError)) throw e;
      lastError = e; // a later footer may be the real one
    }
  }
  if (lastError) throw lastError;
  return undefined;
}

/** Length of the zstd frame at `at` (header, blocks, checksum), or undefined if it is not one. */
export function zstdFrameLength(b: Uint8Array, at: number): number | undefined {
  let o = at + 4;
  if (o >= b.length) return undefined;
  const fhd = b[o++];
  const fcsFlag = fhd >> 6; const single = (fhd >> 5) & 1; const checksum = (fhd >> 2) & 1; const did = fhd & 3;
  if ((fhd >> 3) & 1) return undefined; // reserved bit
  if (!single) o++;
  o += [0, 1, 2, 4][did];
  o += fcsFlag === 0 ? single : [0, 2, 4, 8][fcsFlag];
  for (;;) {
    if (o + 3 > b.length) return undefined;
    const h = b[o] | (b[o + 1] << 8) | (b[o + 2] << 16);
    const last = h & 1; const type = (h >> 1) & 3; const size = h >>> 3;
    if (type === 3) return undefined;
    o += 3 + (type === 1 ? 1 : size);
    if (last) break;
  }
  o += checksum ? 4 : 0;
  return o <= b.length ? o - at : undefined;
}

export function unzstdAt(buf: Uint8Array, at: number): Uint8Array | undefined {
  const len = zstdFrameLength(buf, at);
  if (len === undefined) return undefined;
  const frame = buf.subarray(at, at + len);
  const native = (zlib as unknown as { zstdDecompressSync?: (b: Uint8Array) => Uint8Array }).zstdDecompressSync;
  try { return native ? native(frame) : fzstdDecompress(frame); } catch { return undefined; }
}
