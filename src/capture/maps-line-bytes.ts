// The maps-line grammar read from bytes in place: the JavaScript fast path of MAPS_LINE
// (maps-line.ts) for clean lines, numbers as doubles, nothing decoded. It accepts a subset of
// the grammar (perms Linux prints, one space between fields, at most 16 digits an address, the
// space after the inode); any other line is the string path's. scan.wat reads the same subset
// (test/maps-grammar.test.ts holds the three to one table of lines).
import type { Buffer } from 'node:buffer';

/** A clean maps line's fields (a scratch record: the next read overwrites it). */
export interface ByteLine {
  /** Addresses as doubles: exact up to 13 digits (longer runs the caller re-reads as bigint). */
  start: number; end: number; digits: number; endDigits: number;
  /** r8 w4 x2 s1. */
  permBits: number;
  /** major * 2^20 + minor. */
  dev: number; inode: number;
  /** The offset, major and minor as doubles, and digit counts (a double is exact up to 13 hex, 15 decimal digits). */
  offset: number; offsetDigits: number; major: number; minor: number; devDigits: number; inodeDigits: number;
  /** Where the name starts (-1: anonymous), and the index of the line's newline. */
  nameAt: number; lineEnd: number;
}

/** Read the line at s (it ends in '\n') into `out`; false when it is not a clean maps line. */
export function readMapsLineBytes(b: Buffer, s: number, out: ByteLine): boolean {
  let i = s;
  let c: number;
  i = readHex(b, i); // start address: a double, exact up to 13 digits; longer runs take the general path as bigint
  const start = hexValue;
  c = b[i];
  const digits = i - s;
  if (digits === 0 || digits > 16 || c !== 45) return false; // '-'
  const es = ++i;
  i = readHex(b, i); // end address
  const end = hexValue;
  c = b[i];
  const endDigits = i - es;
  if (endDigits === 0 || endDigits > 16 || c !== 32) return false;
  const p = ++i;
  const r = b[p], w = b[p + 1], x = b[p + 2], q = b[p + 3];
  if ((r !== 114 && r !== 45) || (w !== 119 && w !== 45) || (x !== 120 && x !== 45) || (q !== 112 && q !== 115) || b[p + 4] !== 32) return false;
  i = readHex(b, p + 5); // offset
  const offset = hexValue;
  c = b[i];
  const offsetDigits = i - (p + 5);
  if (offsetDigits === 0 || c !== 32) return false;
  let f = ++i;
  i = readHex(b, i); // major
  const major = hexValue;
  c = b[i];
  let devDigits = i - f;
  if (i === f || c !== 58) return false;
  f = ++i;
  i = readHex(b, i); // minor
  const minor = hexValue;
  c = b[i];
  if (i === f || c !== 32) return false;
  if (i - f > devDigits) devDigits = i - f;
  const dev = major * 1048576 + minor;
  f = ++i; c = b[i]; // inode, then the trailing space
  let inode = 0;
  while (c >= 48 && c <= 57) { inode = inode * 10 + (c - 48); c = b[++i]; }
  if (i === f || c !== 32) return false;
  const inodeDigits = i - f;
  c = b[++i];
  while (c === 32) c = b[++i]; // padding to the name column
  let nameAt = -1;
  if (c !== 10) { nameAt = i; i = b.indexOf(10, i); }
  out.start = start; out.end = end; out.digits = digits; out.endDigits = endDigits;
  out.permBits = (r === 114 ? 8 : 0) | (w === 119 ? 4 : 0) | (x === 120 ? 2 : 0) | (q === 115 ? 1 : 0);
  out.dev = dev; out.inode = inode; out.nameAt = nameAt; out.lineEnd = i;
  out.offset = offset; out.offsetDigits = offsetDigits; out.major = major; out.minor = minor; out.devDigits = devDigits; out.inodeDigits = inodeDigits;
  return true;
}

/** Hex digits a double holds exactly (2^52): wider addresses are read again with bigHex. */
export const EXACT_HEX = 13;
/** The hex digits b[i, j) as a bigint ([vsyscall]'s 16-digit addresses: more than a double holds). */
export const bigHex = (b: Buffer, i: number, j: number): bigint => BigInt('0x' + b.toString('latin1', i, j));

/** A scratch record for readMapsLineBytes. */
export const newByteLine = (): ByteLine => ({
  start: 0, end: 0, digits: 0, endDigits: 0, permBits: 0, dev: 0, inode: 0, nameAt: -1, lineEnd: 0,
  offset: 0, offsetDigits: 0, major: 0, minor: 0, devDigits: 0, inodeDigits: 0,
});

/** readHex's value: a module scratch slot, so the hot loop allocates nothing. */
let hexValue = 0;
/** Read lower-case hex digits from i into hexValue (a double); the index after the last one. */
function readHex(b: Buffer, i: number): number {
  let v = 0;
  let c = b[i];
  while (true) {
    if (c >= 48 && c <= 57) v = v * 16 + (c - 48);
    else if (c >= 97 && c <= 102) v = v * 16 + (c - 87);
    else break;
    c = b[++i];
  }
  hexValue = v;
  return i;
}
