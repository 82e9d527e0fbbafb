// xz for kernel payloads. Kernels compress with a BCJ filter in front of LZMA2 (x86, ARM,
// PowerPC... see scripts/xz_wrap.sh). LZMA2 is decoded by ./lzma2.ts in single-call mode (the
// output is the dictionary, so a 128 MiB dictionary costs nothing extra), then the BCJ filters
// are undone here. The block's own check (CRC32, CRC64 or SHA-256) is verified on the final
// bytes, so a wrong filter can never pass silently. Container layout: the .xz file format 1.0.4.
// The stream is walked front to back as liblzma reads it: block headers, the LZMA2 chunk
// headers (they state every chunk's sizes, so a block's end and size are known without
// decoding), the index (which must list exactly these blocks) and the footer (which must point
// at this index with the header's flags). Only then is anything decoded, and only if the sizes
// fit the file's output budget (./budget.ts): a bomb is refused before decoding, and the walk is
// linear in the stream, whatever bytes follow it.
import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';
import { OutputBudget, sizeText } from './budget.js';
import { crc32 } from './crc.js';
import { decodeLzma2, Lzma2Error } from './lzma2.js';

const FILTER_LZMA2 = 0x21n;
const BCJ_NAMES: Record<string, string> = {
  '4': 'x86', '5': 'PowerPC', '6': 'IA-64', '7': 'ARM', '8': 'ARM-Thumb', '9': 'SPARC', '10': 'ARM64', '11': 'RISC-V',
};
const CHECK_SIZE = [0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64];
const MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];

interface Filter { id: bigint; props: Uint8Array }
interface Block { filters: Filter[]; data: Uint8Array; dataAt: number; uncompressedSize: number; check: Uint8Array }
interface XzStream { end: number; checkType: number; blocks: Block[]; total: number }

class Cursor {
  constructor(readonly b: Uint8Array, public o: number, readonly end: number) {}
  byte(what: string): number {
    if (this.o >= this.end) throw new InputError(`xz: truncated ${what}`, { offset: BigInt(this.o) });
    return this.b[this.o++];
  }
  varint(what: string): bigint {
    let v = 0n;
    for (let i = 0; i < 9; i++) {
      const c = this.byte(what);
      if (c === 0 && i > 0) throw new InputError(`xz: ${what} is not a valid multibyte integer (a zero byte after the first)`, { offset: BigInt(this.o - 1) });
      v |= BigInt(c & 0x7f) << BigInt(7 * i);
      if ((c & 0x80) === 0) return v;
    }
    throw new InputError(`xz: ${what} is not a valid multibyte integer`, { offset: BigInt(this.o) });
  }
}

const u32le = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;

/**
 * The LZMA2 data starting at `at`: where it ends (after its end marker) and how many bytes it
 * decodes to, read from the chunk headers alone. Linear in the number of chunks.
 */
function lzma2Extent(b: Uint8Array, at: number, limit: number): { end: number; size: number } {
  let p = at;
  let size = 0;
  for (;;) {
    if (p >= limit) throw new InputError('xz: the LZMA2 data runs past the end of the file', { offset: BigInt(p) });
    const c = b[p];
    if (c === 0x00) return { end: p + 1, size };
    if (c === 0x01 || c === 0x02) {
      if (p + 3 > limit) break;
      const n = ((b[p + 1] << 8) | b[p + 2]) + 1;
      size += n; p += 3 + n;
    } else if (c >= 0x80) {
      if (p + 5 > limit) break;
      size += (((c & 0x1f) << 16) | (b[p + 1] << 8) | b[p + 2]) + 1;
      p += (c >= 0xc0 ? 6 : 5) + ((b[p + 3] << 8) | b[p + 4]) + 1;
    } else throw new InputError(`xz: invalid LZMA2 chunk control byte 0x${c.toString(16)}`, { offset: BigInt(p) });
  }
  throw new InputError('xz: truncated LZMA2 chunk header', { offset: BigInt(p) });
}

const zeros = (b: Uint8Array, from: number, to: number) => { for (let i = from; i < to; i++) if (b[i] !== 0) return false; return true; };

/**
 * Walk the xz stream at `at` of `b` as liblzma validates it, without decoding: header, blocks,
 * index, footer. Every offset in an error is the file offset.
 */
function parseXzStream(b: Uint8Array, at: number): XzStream {
  const bad = (what: string, o: number): never => { throw new InputError(`xz: ${what}`, { offset: BigInt(o) }); };
  const n = b.length;
  if (at + 12 > n) bad('stream too short', at);
  for (let i = 0; i < 6; i++) if (b[at + i] !== MAGIC[i]) bad('no stream header magic', at);
  if (crc32(b.subarray(at + 6, at + 8)) !== u32le(b, at + 8)) bad('stream header CRC32 mismatch', at + 8);
  if (b[at + 6] !== 0 || b[at + 7] & 0xf0) bad('reserved stream flags set', at + 6);
  const checkType = b[at + 7];
  const checkSize = CHECK_SIZE[checkType];
  const blocks: Block[] = [];
  const records: Array<[bigint, bigint]> = [];
  let total = 0;
  let o = at + 12;
  while (o < n && b[o] !== 0) {
    const headerSize = (b[o] + 1) * 4;
    if (o + headerSize > n) bad('truncated block header', o);
    if (crc32(b.subarray(o, o + headerSize - 4)) !== u32le(b, o + headerSize - 4)) bad('block header CRC32 mismatch', o);
    const h = new Cursor(b, o + 1, o + headerSize - 4);
    const flags = h.byte('block flags');
    if (flags & 0x3c) bad('reserved block flags set', o + 1);
    const statedCompressed = flags & 0x40 ? h.varint('compressed size') : undefined;
    const statedSize = flags & 0x80 ? h.varint('uncompressed size') : undefined;
    const filters: Filter[] = [];
    for (let i = 0; i <= (flags & 3); i++) {
      const id = h.varint('filter id');
      const len = Number(h.varint('filter properties size'));
      if (h.o + len > h.end) bad('filter properties run past the block header', h.o);
      filters.push({ id, props: b.subarray(h.o, h.o + len) });
      h.o += len;
    }
    if (!zeros(b, h.o, h.end)) bad('block header padding is not zero', h.o);
    // The filter chain as liblzma accepts it: BCJ filters (no properties or a 4-byte start
    // offset) in front of one LZMA2 filter with its one dictionary-size byte.
    filters.forEach((f, i) => {
      const last = i === filters.length - 1;
      if (last && (f.id !== FILTER_LZMA2 || f.props.length !== 1)) bad(f.id === FILTER_LZMA2 ? `LZMA2 filter with ${f.props.length} property bytes (1 expected)` : 'block does not end in an LZMA2 filter', o);
      if (!last && f.id === FILTER_LZMA2) bad('LZMA2 filter before the end of the chain', o);
      if (!last && BCJ_NAMES[String(f.id)] && f.props.length !== 0 && f.props.length !== 4) bad(`the ${BCJ_NAMES[String(f.id)]} filter has ${f.props.length} property bytes (0 or 4 expected)`, o);
    });
    const dataAt = o + headerSize;
    const lz = lzma2Extent(b, dataAt, n);
    const compressed = lz.end - dataAt;
    if (statedCompressed !== undefined && statedCompressed !== BigInt(compressed)) bad(`the block header says ${statedCompressed} compressed bytes, the LZMA2 data has ${compressed}`, o);
    if (statedSize !== undefined && statedSize !== BigInt(lz.size)) bad(`the block header says ${statedSize} bytes, the LZMA2 data holds ${lz.size}`, o);
    const padded = dataAt + ((compressed + 3) & ~3);
    if (padded + checkSize > n) bad('block runs past the end of the file', o);
    if (!zeros(b, lz.end, padded)) bad('block padding is not zero', lz.end);
    blocks.push({ filters, data: b.subarray(dataAt, lz.end), dataAt, uncompressedSize: lz.size, check: b.subarray(padded, padded + checkSize) });
    records.push([BigInt(headerSize + compressed + checkSize), BigInt(lz.size)]);
    total += lz.size;
    o = padded + checkSize;
  }
  // The index: must list exactly the blocks just walked.
  const indexAt = o;
  if (indexAt >= n) bad('no index after the blocks', indexAt);
  const ix = new Cursor(b, indexAt + 1, n);
  const count = ix.varint('index record count');
  if (count !== BigInt(records.length)) bad(`the index lists ${count} blocks, the stream has ${records.length}`, indexAt);
  for (const [i, [unpadded, size]] of records.entries()) {
    const u = ix.varint('unpadded size'); const s = ix.varint('uncompressed size');
    if (u !== unpadded || s !== size) bad(`index record ${i + 1} says ${u} bytes unpadded / ${s} uncompressed, block ${i + 1} has ${unpadded} / ${size}`, ix.o);
  }
  const crcAt = indexAt + ((ix.o - indexAt + 3) & ~3);
  if (crcAt + 4 + 12 > n) bad('truncated index or stream footer', ix.o);
  if (!zeros(b, ix.o, crcAt)) bad('index padding is not zero', ix.o);
  if (crc32(b.subarray(indexAt, crcAt)) !== u32le(b, crcAt)) bad('index CRC32 mismatch', crcAt);
  const footer = crcAt + 4;
  if (b[footer + 10] !== 0x59 || b[footer + 11] !== 0x5a) bad('no stream footer after the index', footer);
  if (crc32(b.subarray(footer + 4, footer + 10)) !== u32le(b, footer)) bad('stream footer CRC32 mismatch', footer);
  if ((u32le(b, footer + 4) + 1) * 4 !== footer - indexAt) bad(`the footer's backward size (${(u32le(b, footer + 4) + 1) * 4}) is not the index size (${footer - indexAt})`, footer + 4);
  if (b[footer + 8] !== b[at + 6] || b[footer + 9] !== b[at + 7]) bad('stream footer flags differ from the header\'s', footer + 8);
  return { end: footer + 12, checkType, blocks, total };
}

/** The dictionary size an LZMA2 properties byte declares (xz format 1.0.4, 5.3.1). */
function lzma2DictSize(props: number): number | undefined {
  const bits = props & 0x3f;
  if (props > 40) return undefined;
  return bits === 40 ? 0xffffffff : (2 | (bits & 1)) * 2 ** (Math.floor(bits / 2) + 11);
}

/**
 * Decode the xz stream at `at` of `buf` (default: the whole buffer is one stream). Its size must
 * fit the budget (default: what `buf` can honestly hold); it is decoded once.
 */
export async function unxz(buf: Uint8Array, at = 0, budget = new OutputBudget(buf.length)): Promise<Uint8Array> {
  const { checkType, blocks, total } = parseXzStream(buf, at);
  budget.declare('xz', total, at);
  for (const b of blocks) {
    const last = b.filters[b.filters.length - 1];
    if (lzma2DictSize(last.props[0]) === undefined) throw new InputError(`xz: dictionary size byte 0x${last.props[0].toString(16)} is invalid (at most 0x28)`, { offset: BigInt(b.dataAt) });
    for (const f of b.filters.slice(0, -1)) if (!BCJ_NAMES[String(f.id)] || f.id === 6n || f.id === 11n) throw new InputError(`xz: the ${BCJ_NAMES[String(f.id)] ?? `0x${f.id.toString(16)}`} filter is not supported`, { offset: BigInt(at) });
    if (checkType !== 0 && checkType !== 1 && checkType !== 4 && checkType !== 10) throw new InputError(`xz: check type ${checkType} is not supported`, { offset: BigInt(at) });
  }
  budget.decodes++;
  budget.take('xz', total, at);
  const all = new Uint8Array(total);
  let o = 0;
  for (const b of blocks) {
    const last = b.filters[b.filters.length - 1];
    const dict = lzma2DictSize(last.props[0])!;
    let out: Uint8Array = all.subarray(o, o + b.uncompressedSize);
    try {
      const used = decodeLzma2(b.data, out, dict);
      if (used !== b.data.length) throw new Lzma2Error(`the LZMA2 data ends ${b.data.length - used} bytes before the block's compressed size`, used);
    } catch (e) {
      if (!(e instanceof Lzma2Error)) throw e;
      throw new InputError(`xz: LZMA2 data corrupt (${e.message}; ${sizeText(dict)} dictionary)`, { offset: BigInt(b.dataAt + e.at) });
    }
    for (const f of b.filters.slice(0, -1).reverse()) out = unfilter(f, out, at);
    verifyCheck(checkType, b.check, out, at);
    o += out.length;
  }
  return all;
}

function verifyCheck(type: number, check: Uint8Array, data: Uint8Array, base: number): void {
  let ok = true;
  if (type === 1) ok = crc32(data) === u32le(check, 0);
  else if (type === 4) { const [lo, hi] = crc64(data); ok = lo === u32le(check, 0) && hi === u32le(check, 4); }
  else if (type === 10) ok = Buffer.from(createHash('sha256').update(data).digest()).equals(Buffer.from(check));
  else if (type !== 0) throw new InputError(`xz: check type ${type} is not supported`, { offset: BigInt(base) });
  if (!ok) throw new InputError('xz: decoded data does not match the stream\'s check', { offset: BigInt(base) });
}

// CRC-64/XZ (ECMA-182 polynomial, reflected), table-driven on two 32-bit halves: one table
// lookup and a few int32 operations per byte (a BigInt per byte cost ~1 s per MiB).
// Int32Array and int32 arithmetic throughout: V8 keeps the values unboxed.
let CRC64_LO: Int32Array | undefined;
let CRC64_HI: Int32Array | undefined;
/** CRC-64 of `b` as [low 32 bits, high 32 bits] (unsigned). */
export function crc64(b: Uint8Array): [number, number] {
  if (!CRC64_LO || !CRC64_HI) {
    CRC64_LO = new Int32Array(256); CRC64_HI = new Int32Array(256);
    const POLY_LO = 0xd7870f42 | 0; const POLY_HI = 0xc96c5795 | 0;
    for (let n = 0; n < 256; n++) {
      let lo = n; let hi = 0;
      for (let k = 0; k < 8; k++) {
        const odd = lo & 1;
        lo = (lo >>> 1) | (hi << 31); hi >>>= 1;
        if (odd) { lo ^= POLY_LO; hi ^= POLY_HI; }
      }
      CRC64_LO[n] = lo; CRC64_HI[n] = hi;
    }
  }
  const tl = CRC64_LO; const th = CRC64_HI;
  let lo = -1; let hi = -1;
  for (let i = 0; i < b.length; i++) {
    const k = (lo ^ b[i]) & 0xff;
    lo = tl[k] ^ (lo >>> 8) ^ (hi << 24);
    hi = th[k] ^ (hi >>> 8);
  }
  return [~lo >>> 0, ~hi >>> 0];
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
