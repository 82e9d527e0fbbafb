import { InputError } from '../errors.js';
import type { Field } from './structs.js';

/** Bounds-checked, endian-aware reads that fail with the offset and field they were reading. */
export class ByteReader {
  readonly bytes: Uint8Array;
  readonly le: boolean;
  readonly length: bigint;
  private readonly view: DataView;

  constructor(bytes: Uint8Array, le: boolean) {
    this.bytes = bytes;
    this.le = le;
    this.length = BigInt(bytes.length);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Throws unless [offset, offset+size) lies inside the input. */
  need(offset: bigint, size: bigint, field: string, what = 'data'): number {
    if (offset < 0n || size < 0n || offset + size > this.length) {
      throw new InputError(`${what} runs past end of file (file is 0x${this.length.toString(16)} bytes)`, { offset, field });
    }
    return Number(offset);
  }

  u8(offset: bigint, field: string): number { return this.bytes[this.need(offset, 1n, field)]; }
  u16(offset: bigint, field: string): number { return this.view.getUint16(this.need(offset, 2n, field), this.le); }
  u32(offset: bigint, field: string): number { return this.view.getUint32(this.need(offset, 4n, field), this.le); }
  u64(offset: bigint, field: string): bigint { return this.view.getBigUint64(this.need(offset, 8n, field), this.le); }
  /** A native word of the ELF class, always as bigint. */
  word(offset: bigint, bits: 32 | 64, field: string): bigint {
    return bits === 64 ? this.u64(offset, field) : BigInt(this.u32(offset, field));
  }

  /** A field of a structure at `base` (structs.ts), as a number: fields of at most 4 bytes. */
  num(f: Field, base: bigint): number {
    const at = base + BigInt(f.at);
    return f.size === 1 ? this.u8(at, f.name) : f.size === 2 ? this.u16(at, f.name) : this.u32(at, f.name);
  }
  /** A field as bigint, whatever its size: addresses, offsets and sizes. */
  big(f: Field, base: bigint): bigint {
    return f.size === 8 ? this.u64(base + BigInt(f.at), f.name) : BigInt(this.num(f, base));
  }

  slice(offset: bigint, size: bigint, field: string, what?: string): Uint8Array {
    const start = this.need(offset, size, field, what);
    return this.bytes.subarray(start, start + Number(size));
  }

  /** NUL-terminated string inside [tableOff, tableOff+tableSize). */
  cstring(tableOff: bigint, tableSize: bigint, index: bigint, field: string): string {
    if (index < 0n || index >= tableSize) {
      throw new InputError(`string offset 0x${index.toString(16)} is past the end of its table (0x${tableSize.toString(16)} bytes)`, { offset: tableOff, field });
    }
    const start = this.need(tableOff + index, 0n, field);
    const end = this.need(tableOff, tableSize, field, 'string table');
    let i = start;
    const limit = end + Number(tableSize);
    while (i < limit && this.bytes[i] !== 0) i++;
    if (i === limit) throw new InputError('string is not NUL-terminated inside its table', { offset: tableOff + index, field });
    return utf8Lossy(this.bytes.subarray(start, i));
  }
}

const decoder = new TextDecoder('utf-8', { fatal: false });
/** UTF-8, each invalid byte as U+FFFD (it never falls back to Latin-1). */
function utf8Lossy(b: Uint8Array): string {
  return decoder.decode(b);
}
