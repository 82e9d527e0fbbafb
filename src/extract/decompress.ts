// Kernel payload decompression. Each decoder finds where its stream ends (kernels append
// a size word and more after it) and decodes exactly that stream.
//   gzip: Node's zlib, streamed (raw inflate stops at the end of the deflate stream); the
//         caller scans the output as it comes, so a gzip bomb costs a window, not its size.
//   xz:   ./xz.ts (LZMA2 in ./lzma2.ts, plus the kernel's BCJ filters).
// Every decoder draws on one OutputBudget per kernel file (./budget.ts): sizes a stream states
// are refused before decoding when they do not fit, and streamed output stops where it runs out.
//   zstd: Node's zlib where the runtime has it (22.15+), else zstddec (the reference decoder in
//         WebAssembly: ~30x faster than a pure-JS one on a kernel payload).
import * as zlib from 'node:zlib';
import { InputError } from '../errors.js';
import { OutputBudget } from './budget.js';
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

/** Where the deflate data of the gzip member at `at` starts, or undefined if the header is not one. */
function gzipDataStart(b: Uint8Array): number | undefined {
  if (b.length < 18) return undefined;
  const flags = b[3];
  if (flags & 0xe0) return undefined; // reserved flag bits: not a gzip header
  let o = 10;
  if (flags & 4) o += 2 + (b[o] | (b[o + 1] << 8)); // FEXTRA
  if (flags & 8) { while (o < b.length && b[o] !== 0) o++; o++; } // FNAME
  if (flags & 16) { while (o < b.length && b[o] !== 0) o++; o++; } // FCOMMENT
  if (flags & 2) o += 2; // FHCRC
  return o < b.length ? o : undefined;
}

/**
 * The gzip payload at `at`, inflated in chunks (at most the budget's bytes). Undefined when the
 * header is not a gzip header; a deflate error or an oversized payload throws InputError.
 */
export async function* gunzipChunksAt(buf: Uint8Array, at: number, budget = new OutputBudget(buf.length)): AsyncGenerator<Buffer> {
  const b = buf.subarray(at);
  const o = gzipDataStart(b);
  if (o === undefined) return;
  // A budget spent on earlier candidates decodes nothing more; a chunk is at most what is left.
  if (budget.left === 0) budget.take('gzip', 1, at);
  budget.decodes++;
  const inflate = zlib.createInflateRaw({ chunkSize: Math.max(64 << 10, Math.min(1 << 20, budget.left)) });
  inflate.end(b.subarray(o));
  let total = 0;
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      total += chunk.length;
      budget.take('gzip', chunk.length, at);
      yield chunk;
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`gzip: deflate data corrupt after ${total} bytes (${(e as Error).message})`, { offset: BigInt(at) });
  } finally {
    inflate.destroy();
  }
}

/** The xz stream at `at`, decoded (undefined if there is no stream header there). */
export async function unxzAt(buf: Uint8Array, at: number, budget = new OutputBudget(buf.length)): Promise<Uint8Array | undefined> {
  if (at + 12 > buf.length || crc32(buf.subarray(at + 6, at + 8)) !== u32le(buf, at + 8)) return undefined;
  return unxz(buf, at, budget);
}

const u32le = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;

/** Length and declared content size of the zstd frame at `at`, or undefined if it is not one. */
function zstdFrame(b: Uint8Array, at: number): { length: number; contentSize?: number } | undefined {
  let o = at + 4;
  if (o >= b.length) return undefined;
  const fhd = b[o++];
  const fcsFlag = fhd >> 6; const single = (fhd >> 5) & 1; const checksum = (fhd >> 2) & 1; const did = fhd & 3;
  if ((fhd >> 3) & 1) return undefined; // reserved bit
  if (!single) o++;
  o += [0, 1, 2, 4][did];
  const fcsLen = fcsFlag === 0 ? single : [0, 2, 4, 8][fcsFlag];
  let contentSize: number | undefined;
  if (fcsLen > 0 && o + fcsLen <= b.length) {
    let v = 0;
    for (let k = fcsLen - 1; k >= 0; k--) v = v * 256 + b[o + k];
    contentSize = fcsLen === 2 ? v + 256 : v;
  }
  o += fcsLen;
  for (;;) {
    if (o + 3 > b.length) return undefined;
    const h = b[o] | (b[o + 1] << 8) | (b[o + 2] << 16);
    const last = h & 1; const type = (h >> 1) & 3; const size = h >>> 3;
    if (type === 3) return undefined;
    o += 3 + (type === 1 ? 1 : size);
    if (last) break;
  }
  o += checksum ? 4 : 0;
  return o <= b.length ? { length: o - at, contentSize } : undefined;
}

export const zstdFrameLength = (b: Uint8Array, at: number): number | undefined => zstdFrame(b, at)?.length;

let zstddec: { decode(b: Uint8Array, size?: number): Uint8Array } | undefined;
/** The zstd frame at `at`, decoded; undefined if it is not a frame; InputError if it cannot be decoded. */
export async function unzstdAt(buf: Uint8Array, at: number, budget = new OutputBudget(buf.length)): Promise<Uint8Array | undefined> {
  const f = zstdFrame(buf, at);
  if (!f) return undefined;
  const frame = buf.subarray(at, at + f.length);
  const native = (zlib as unknown as { zstdDecompressSync?: (b: Uint8Array, o?: { maxOutputLength?: number }) => Uint8Array }).zstdDecompressSync;
  // Kernels append the decompressed size (le32) after the frame; use it when the frame has none.
  const end = at + f.length;
  const appended = end + 4 <= buf.length ? (buf[end] | (buf[end + 1] << 8) | (buf[end + 2] << 16) | (buf[end + 3] << 24)) >>> 0 : undefined;
  const size = f.contentSize ?? appended;
  if (f.contentSize !== undefined) budget.declare('zstd', f.contentSize, at);
  const room = budget.left;
  budget.decodes++;
  try {
    if (native) {
      // Decoded in one call, at most the budget's bytes (a frame without a stated size cannot
      // be sized up front; the output bound stops a bomb at the budget).
      const out = native(frame, { maxOutputLength: Math.max(1, room) });
      budget.take('zstd', out.length, at);
      return out;
    }
    if (size === undefined) throw new Error('no content size in the frame or after it');
    budget.declare('zstd', size, at);
    budget.take('zstd', size, at);
    if (!zstddec) {
      const { ZSTDDecoder } = await import('zstddec');
      const d = new ZSTDDecoder();
      // zstddec loads its WebAssembly through fetch() of a data: URL whenever fetch exists; in
      // Node that first loads undici (~25 ms, a fifth of an extract). Without fetch it
      // instantiates from a Buffer, the same bytes.
      const g = globalThis as { fetch?: unknown };
      const fetch = g.fetch;
      g.fetch = undefined;
      try { await d.init(); } finally { g.fetch = fetch; }
      zstddec = d;
    }
    // zstddec returns whatever the decoder wrote (ZSTD errors come back as a negative length).
    const out = zstddec.decode(frame, size);
    if (out.length !== size) throw new Error(`corrupt data: the decoder stopped after ${out.length} of ${size} bytes`);
    return out;
  } catch (e) {
    if (e instanceof InputError) throw e;
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || /maxOutputLength|too large/i.test((e as Error).message)) budget.take('zstd', room + 1, at);
    throw new InputError(`zstd: frame could not be decoded (${(e as Error).message})`, { offset: BigInt(at) });
  }
}
