// xz for kernel payloads. Kernels compress with a BCJ filter in front of LZMA2 (x86, ARM,
// PowerPC... see scripts/xz_wrap.sh). LZMA2 is decoded by ./lzma2.ts in single-call mode (the
// output is the dictionary, so a 128 MiB dictionary costs nothing extra), then the BCJ filters
// are undone here. The block's own check (CRC32, CRC64 or SHA-256) is verified on the final
// bytes, so a wrong filter can never pass silently. Container layout: the .xz file format 1.0.4.
// Output is capped: the index states each block's size before anything is decoded, and a kernel
// payload is below MAX_PAYLOAD, so a decompression bomb is refused without decoding it.
import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';
import { crc32 } from './crc.js';
import { decodeLzma2, Lzma2Error } from './lzma2.js';

/** A decompressed kernel payload is well below this (amd64 6.12: ~60 MiB). */
export const MAX_PAYLOAD = 512 << 20;

const FILTER_LZMA2 = 0x21n;
const BCJ_NAMES: Record<string, string> = {
  '4': 'x86', '5': 'PowerPC', '6': 'IA-64', '7': 'ARM', '8': 'ARM-Thumb', '9': 'SPARC', '10': 'ARM64', '11': 'RISC-V',
};
const CHECK_SIZE = [0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64];

interface Filter { id: bigint; props: Uint8Array }
interface Block { filters: Filter[]; data: Uint8Array; dataAt: number; uncompressedSize: bigint; check: Uint8Array }

class Cursor {
  constructor(readonly b: Uint8Array, public o: number, readonly end: number, readonly base: number) {}
  byte(what: string): number {
    if (this.o >= this.end) throw new InputError(`xz: truncated ${what}`, { offset: BigInt(this.base + this.o) });
    return this.b[this.o++];
  }
  varint(what: string): bigint {
    let v = 0n;
    for (let i = 0; i < 9; i++) {
      const c = this.byte(what);
      v |= BigInt(c & 0x7f) << BigInt(7 * i);
      if ((c & 0x80) === 0) return v;
    }
    throw new InputError(`xz: ${what} is not a valid multibyte integer`, { offset: BigInt(this.base + this.o) });
  }
}

const u32le = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;

/** Split the xz stream [0, len) of `s` into its blocks, using the index for block sizes. */
function parseStream(s: Uint8Array, base: number): { checkType: number; blocks: Block[] } {
  const bad = (what: string, at: number): never => { throw new InputError(`xz: ${what}`, { offset: BigInt(base + at) }); };
  if (s.length < 32) bad('stream too short', 0);
  if (crc32(s.subarray(6, 8)) !== u32le(s, 8)) bad('stream header CRC32 mismatch', 8);
  const checkType = s[7] & 0x0f;
  const checkSize = CHECK_SIZE[checkType];
  const footer = s.length - 12;
  if (s[footer + 10] !== 0x59 || s[footer + 11] !== 0x5a) bad('no stream footer', footer);
  if (crc32(s.subarray(footer + 4, footer + 10)) !== u32le(s, footer)) bad('stream footer CRC32 mismatch', footer);
  const indexSize = (u32le(s, footer + 4) + 1) * 4;
  const indexAt = footer - indexSize;
  if (indexAt < 12 || s[indexAt] !== 0) bad('index not where the footer says', Math.max(indexAt, 0));
  if (crc32(s.subarray(indexAt, footer - 4)) !== u32le(s, footer - 4)) bad('index CRC32 mismatch', footer - 4);
  const ix = new Cursor(s, indexAt + 1, footer - 4, base);
  const records = Number(ix.varint('index record count'));
  if (records > 1 << 20) bad('absurd number of blocks', indexAt);
  const sizes: Array<[bigint, bigint]> = [];
  for (let i = 0; i < records; i++) sizes.push([ix.varint('unpadded size'), ix.varint('uncompressed size')]);

  const blocks: Block[] = [];
  let o = 12;
  for (const [unpadded, uncompressedSize] of sizes) {
    const headerSize = (s[o] + 1) * 4;
    if (s[o] === 0 || o + headerSize > indexAt) bad('block header out of place', o);
    if (crc32(s.subarray(o, o + headerSize - 4)) !== u32le(s, o + headerSize - 4)) bad('block header CRC32 mismatch', o);
    const h = new Cursor(s, o + 1, o + headerSize - 4, base);
    const flags = h.byte('block flags');
    if (flags & 0x3c) bad('reserved block flags set', o + 1);
    if (flags & 0x40) h.varint('compressed size');
    if (flags & 0x80) h.varint('uncompressed size');
    const filters: Filter[] = [];
    for (let i = 0; i <= (flags & 3); i++) {
      const id = h.varint('filter id');
      const n = Number(h.varint('filter properties size'));
      if (h.o + n > h.end) bad('filter properties run past the block header', h.o);
      filters.push({ id, props: s.subarray(h.o, h.o + n) });
      h.o += n;
    }
    const compressed = Number(unpadded) - headerSize - checkSize;
    const dataAt = o + headerSize;
    const padded = (compressed + 3) & ~3;
    if (compressed < 0 || dataAt + padded + checkSize > indexAt) bad('block runs past the index', o);
    blocks.push({ filters, data: s.subarray(dataAt, dataAt + compressed), dataAt, uncompressedSize, check: s.subarray(dataAt + padded, dataAt + padded + checkSize) });
    o = dataAt + padded + checkSize;
  }
  return { checkType, blocks };
}

/** The dictionary size an LZMA2 properties byte declares (xz format 1.0.4, 5.3.1). */
export function lzma2DictSize(props: number): number | undefined {
  const bits = props & 0x3f;
  if (props > 40) return undefined;
  return bits === 40 ? 0xffffffff : (2 | (bits & 1)) * 2 ** (Math.floor(bits / 2) + 11);
}

const sizeText = (n: bigint | number) => (BigInt(n) >= 1n << 20n && BigInt(n) < 1n << 40n ? `${(Number(n) / (1 << 20)).toFixed(Number(n) % (1 << 20) ? 1 : 0)} MiB` : `${n} bytes`);

/** Decode the xz stream occupying exactly `s` (base = its offset in the file, for messages). */
export async function unxz(s: Uint8Array, base = 0): Promise<Uint8Array> {
  const { checkType, blocks } = parseStream(s, base);
  const total = blocks.reduce((n, b) => n + b.uncompressedSize, 0n);
  if (total > BigInt(MAX_PAYLOAD)) throw new InputError(`xz: the stream says it decompresses to ${sizeText(total)}; a kernel payload is below ${sizeText(MAX_PAYLOAD)} (not decoded)`, { offset: BigInt(base) });
  const all = new Uint8Array(Number(total));
  let at = 0;
  for (const b of blocks) {
    const last = b.filters[b.filters.length - 1];
    if (last.id !== FILTER_LZMA2 || last.props.length !== 1) throw new InputError('xz: block does not end in an LZMA2 filter', { offset: BigInt(base + b.dataAt) });
    const dict = lzma2DictSize(last.props[0]);
    if (dict === undefined) throw new InputError(`xz: dictionary size byte 0x${last.props[0].toString(16)} is invalid (at most 0x28)`, { offset: BigInt(base + b.dataAt) });
    let out: Uint8Array = all.subarray(at, at + Number(b.uncompressedSize));
    try {
      const used = decodeLzma2(b.data, out, dict);
      if (used !== b.data.length) throw new Lzma2Error(`the LZMA2 data ends ${b.data.length - used} bytes before the block's compressed size`, used);
    } catch (e) {
      if (!(e instanceof Lzma2Error)) throw e;
      throw new InputError(`xz: LZMA2 data corrupt (${e.message}; ${sizeText(dict)} dictionary)`, { offset: BigInt(base + b.dataAt + e.at) });
    }
    for (const f of b.filters.slice(0, -1).reverse()) out = unfilter(f, out, base);
    verifyCheck(checkType, b.check, out, base);
    at += out.length;
  }
  return all;
}

function verifyCheck(type: number, check: Uint8Array, data: Uint8Array, base: number): void {
  let ok = true;
  if (type === 1) ok = crc32(data) === u32le(check, 0);
  else if (type === 4) ok = crc64(data) === (BigInt(u32le(check, 0)) | (BigInt(u32le(check, 4)) << 32n));
  else if (type === 10) ok = Buffer.from(createHash('sha256').update(data).digest()).equals(Buffer.from(check));
  else if (type !== 0) throw new InputError(`xz: check type ${type} is not supported`, { offset: BigInt(base) });
  if (!ok) throw new InputError('xz: decoded data does not match the stream\'s check', { offset: BigInt(base) });
}

let CRC64_TABLE: BigUint64Array | undefined;
function crc64(b: Uint8Array): bigint {
  if (!CRC64_TABLE) {
    CRC64_TABLE = new BigUint64Array(256);
    for (let n = 0; n < 256; n++) {
      let c = BigInt(n);
      for (let k = 0; k < 8; k++) c = c & 1n ? 0xc96c5795d7870f42n ^ (c >> 1n) : c >> 1n;
      CRC64_TABLE[n] = c;
    }
  }
  let c = 0xffffffffffffffffn;
  for (let i = 0; i < b.length; i++) c = CRC64_TABLE[Number((c ^ BigInt(b[i])) & 0xffn)] ^ (c >> 8n);
  return c ^ 0xffffffffffffffffn;
}

/** Undo one BCJ filter (the decoder side of liblzma's "simple" filters), in place. */
function unfilter(f: Filter, buf: Uint8Array, base: number): Uint8Array {
  const start = f.props.length === 4 ? u32le(f.props, 0) : 0;
  const name = BCJ_NAMES[String(f.id)];
  switch (Number(f.id)) {
    case 4: x86(buf, start); break;
    case 5: powerpc(buf, start); break;
    case 7: arm(buf, start); break;
    case 8: armThumb(buf, start); break;
    case 9: sparc(buf, start); break;
    case 10: arm64(buf, start); break;
    default: throw new InputError(`xz: the ${name ?? `0x${f.id.toString(16)}`} filter is not supported`, { offset: BigInt(base) });
  }
  return buf;
}

function x86(b: Uint8Array, start: number): void {
  // Relative CALL (E8) / JMP (E9) targets were made absolute; the mask tracks recent E8/E9
  // bytes so that their operands are not converted twice.
  const allowed = [true, true, true, false, true, false, false, false];
  const bitNumber = [0, 1, 2, 2, 3, 3, 3, 3];
  const msb = (x: number) => x === 0 || x === 0xff;
  let prevMask = 0;
  let prevPos = start - 5;
  for (let i = 0; i + 5 <= b.length;) {
    if (b[i] !== 0xe8 && b[i] !== 0xe9) { i++; continue; }
    const pos = start + i;
    const offset = pos - prevPos;
    prevPos = pos;
    if (offset > 5) prevMask = 0;
    else for (let k = 0; k < offset; k++) { prevMask &= 0x77; prevMask <<= 1; }
    let x = b[i + 4];
    if (msb(x) && allowed[(prevMask >>> 1) & 7] && prevMask >>> 1 < 0x10) {
      let src = ((x << 24) | (b[i + 3] << 16) | (b[i + 2] << 8) | b[i + 1]) >>> 0;
      let dest: number;
      for (;;) {
        dest = (src - (pos + 5)) >>> 0;
        if (prevMask === 0) break;
        const bit = bitNumber[prevMask >>> 1];
        x = (dest >>> (24 - bit * 8)) & 0xff;
        if (!msb(x)) break;
        src = (dest ^ (2 ** (32 - bit * 8) - 1)) >>> 0;
      }
      b[i + 4] = (dest >>> 24) & 1 ? 0xff : 0x00;
      b[i + 3] = (dest >>> 16) & 0xff;
      b[i + 2] = (dest >>> 8) & 0xff;
      b[i + 1] = dest & 0xff;
      i += 5;
      prevMask = 0;
    } else {
      i++;
      prevMask |= 1;
      if (msb(x)) prevMask |= 0x10;
    }
  }
}

function arm(b: Uint8Array, start: number): void {
  for (let i = 0; i + 4 <= b.length; i += 4) {
    if (b[i + 3] !== 0xeb) continue; // BL
    const src = ((b[i + 2] << 16) | (b[i + 1] << 8) | b[i]) << 2;
    const dest = ((src - (start + i + 8)) >>> 2) & 0xffffff;
    b[i + 2] = dest >>> 16; b[i + 1] = (dest >>> 8) & 0xff; b[i] = dest & 0xff;
  }
}

function armThumb(b: Uint8Array, start: number): void {
  for (let i = 0; i + 4 <= b.length; i += 2) {
    if ((b[i + 1] & 0xf8) !== 0xf0 || (b[i + 3] & 0xf8) !== 0xf8) continue; // BL pair
    const src = (((b[i + 1] & 7) << 19) | (b[i] << 11) | ((b[i + 3] & 7) << 8) | b[i + 2]) << 1;
    const dest = ((src - (start + i + 4)) >>> 1) >>> 0;
    b[i + 1] = 0xf0 | ((dest >>> 19) & 7); b[i] = (dest >>> 11) & 0xff;
    b[i + 3] = 0xf8 | ((dest >>> 8) & 7); b[i + 2] = dest & 0xff;
    i += 2;
  }
}

function powerpc(b: Uint8Array, start: number): void {
  for (let i = 0; i + 4 <= b.length; i += 4) {
    if (b[i] >>> 2 !== 0x12 || (b[i + 3] & 3) !== 1) continue; // big-endian "bl"
    const src = (((b[i] & 3) << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | (b[i + 3] & ~3)) >>> 0;
    const dest = (src - (start + i)) >>> 0;
    b[i] = 0x48 | ((dest >>> 24) & 3); b[i + 1] = (dest >>> 16) & 0xff; b[i + 2] = (dest >>> 8) & 0xff;
    b[i + 3] = (b[i + 3] & 3) | (dest & 0xfc);
  }
}

function sparc(b: Uint8Array, start: number): void {
  for (let i = 0; i + 4 <= b.length; i += 4) {
    if (!((b[i] === 0x40 && (b[i + 1] & 0xc0) === 0) || (b[i] === 0x7f && (b[i + 1] & 0xc0) === 0xc0))) continue; // "call"
    const src = (((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) << 2) >>> 0;
    let dest = ((src - (start + i)) >>> 0) >>> 2;
    dest = ((((0 - ((dest >>> 22) & 1)) << 22) & 0x3fffffff) | (dest & 0x3fffff) | 0x40000000) >>> 0;
    b[i] = dest >>> 24; b[i + 1] = (dest >>> 16) & 0xff; b[i + 2] = (dest >>> 8) & 0xff; b[i + 3] = dest & 0xff;
  }
}

function arm64(b: Uint8Array, start: number): void {
  for (let i = 0; i + 4 <= b.length; i += 4) {
    const pc = (start + i) >>> 0;
    let ins = u32le(b, i);
    if (ins >>> 26 === 0x25) { // BL
      ins = (0x94000000 | ((ins - (pc >>> 2)) & 0x03ffffff)) >>> 0;
    } else if (((ins & 0x9f000000) >>> 0) === 0x90000000) { // ADRP
      const src = ((ins >>> 29) & 3) | ((ins >>> 3) & 0x001ffffc);
      if (((src + 0x00020000) & 0x001c0000) !== 0) continue;
      const dest = (src - (pc >>> 12)) >>> 0;
      ins = ((ins & 0x9000001f) | ((dest & 3) << 29) | ((dest & 0x0003fffc) << 3) | ((0 - (dest & 0x00020000)) & 0x00e00000)) >>> 0;
    } else continue;
    b[i] = ins & 0xff; b[i + 1] = (ins >>> 8) & 0xff; b[i + 2] = (ins >>> 16) & 0xff; b[i + 3] = ins >>> 24;
  }
}
