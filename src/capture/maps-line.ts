// One /proc/PID/maps line: field-anchored parsing and the kernel-exact writer
// (fs/proc/task_mmu.c show_vma_header_prefix + show_map_vma; fs/seq_file.c seq_pad).

import type { Buffer } from 'node:buffer';
import type { Mapping, NameKind } from '../model/maps.js';
import { bigHex, EXACT_HEX, newByteLine, readMapsLineBytes } from './maps-line-bytes.js';
import { PERMS } from './retention.js';

const SPECIAL_KINDS: Readonly<Record<string, NameKind>> = {
  '[vdso]': 'vdso', '[vvar]': 'vvar', '[vvar_vclock]': 'vvar_vclock', '[vsyscall]': 'vsyscall',
  '[vectors]': 'vectors', '[sigpage]': 'sigpage', '[uprobes]': 'uprobes', '[gic]': 'gic',
  '[heap]': 'heap', '[stack]': 'stack',
  // riscv 5.8-5.14 named its vDSO data page so (arch_vma_name); a data mapping like [vvar].
  '[vdso_data]': 'vvar',
};

export function nameKind(name: string | undefined): NameKind {
  if (name === undefined || name === '') return 'anonymous';
  const k = SPECIAL_KINDS[name];
  if (k) return k;
  if (name.startsWith('[stack:') && name.endsWith(']')) return 'stack_tid';
  if (name.startsWith('[anon:')) return 'anon_named';
  if (name.startsWith('[anon_shmem:')) return 'anon_shmem';
  if (name.startsWith('[') && name.endsWith(']')) return 'special';
  return 'file';
}

/**
 * The maps-line grammar, field by field (show_vma_header_prefix prints
 * "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", then seq_pad and the name): liberal in widths
 * (minimum-width printing makes any count of digits legal), strict in structure. The regexes
 * below are built from this table; the byte paths (reader.ts fastLine, scan.wat) read a subset of
 * it and hand every other line to MAPS_LINE: test/maps-grammar.test.ts runs one table of lines
 * through all of them.
 */
const FIELD = {
  address: '[0-9a-f]+',
  perms: '\\S{4}',
  offset: '[0-9a-f]+',
  device: '[0-9a-f]+', // major and minor
  inode: '\\d+',
  inodeSuffix: '(?::\\d+)?', // tolerated after the inode, as the first reader did
} as const;

/**
 * A whole maps line: 1 start, 2 end, 3 perms, 4 offset, 5 major, 6 minor, 7 inode, 8 the padding
 * (undefined: no space after the inode, as when trailing blanks were stripped), 9 the name.
 */
export const MAPS_LINE = new RegExp(`^(${FIELD.address})-(${FIELD.address}) (${FIELD.perms}) (${FIELD.offset}) (${FIELD.device}):(${FIELD.device}) (${FIELD.inode})${FIELD.inodeSuffix}(?:( +)(.*))?$`);
/** A maps line's fields somewhere in a console line (after a prefix): addresses of 8-16 digits, as the kernel prints them. */
export const MAPS_LINE_ANYWHERE = new RegExp(`[0-9a-f]{8,16}-[0-9a-f]{8,16} ${FIELD.perms} ${FIELD.offset} ${FIELD.device}:${FIELD.device} ${FIELD.inode}`);

export interface ParsedLine { mapping: Mapping }

/** Parse one clean maps line (no CR, no log prefix). Returns undefined if it is not one. */
export function parseMapsLine(text: string, line?: number): ParsedLine | undefined {
  const m = MAPS_LINE.exec(text);
  if (!m) return undefined;
  const [, s, e, perms, off, maj, min, ino, pad] = m;
  const rest = m[9] ?? '';
  const start = BigInt('0x' + s);
  const end = BigInt('0x' + e);
  const rawName = rest === '' ? undefined : rest;
  const name = rawName === undefined ? undefined : decodeName(rawName);
  const mapping: Mapping = {
    start, end, perms, offset: BigInt('0x' + off), major: parseInt(maj, 16), minor: parseInt(min, 16),
    inode: BigInt(ino), name, rawName, kind: nameKind(name), deleted: rawName?.endsWith(' (deleted)') ?? false,
    line, addrDigits: s.length,
  };
  if (rawName !== undefined) mapping.nameColumn = text.length - rest.length;
  else if (pad === undefined) mapping.noTrailingSpace = true;
  return { mapping };
}

/** Decimal digits a double holds exactly (10^15). */
const EXACT_DEC = 15;
const scratch = newByteLine();

/**
 * The Mapping parseMapsLine gives the line at b[s] (up to its '\n'), read from the bytes: no
 * regex, no string of the whole line. undefined when the byte path does not read the line
 * (readMapsLineBytes) or its offset, device or inode is wider than a double holds: the caller
 * parses the text. test/maps-line-bytes.test.ts holds it to parseMapsLine.
 */
export function mappingFromBytes(b: Buffer, s: number, line?: number): Mapping | undefined {
  const f = scratch;
  if (!readMapsLineBytes(b, s, f)) return undefined;
  if (f.offsetDigits > EXACT_HEX || f.devDigits > EXACT_HEX || f.inodeDigits > EXACT_DEC) return undefined;
  const rawName = f.nameAt < 0 ? undefined : b.toString('latin1', f.nameAt, f.lineEnd);
  if (rawName?.includes('\r')) return undefined; // MAPS_LINE's `.` stops at a CR
  const name = rawName === undefined ? undefined : decodeName(rawName);
  const es = s + f.digits + 1; // the end address
  const mapping: Mapping = {
    start: f.digits > EXACT_HEX ? bigHex(b, s, s + f.digits) : BigInt(f.start),
    end: f.endDigits > EXACT_HEX ? bigHex(b, es, es + f.endDigits) : BigInt(f.end),
    perms: PERMS[f.permBits], offset: BigInt(f.offset), major: f.major, minor: f.minor,
    inode: BigInt(f.inode), name, rawName, kind: nameKind(name), deleted: rawName?.endsWith(' (deleted)') ?? false,
    line, addrDigits: f.digits,
  };
  // The byte path reads only lines with the space after the inode: noTrailingSpace never applies.
  if (rawName !== undefined) mapping.nameColumn = f.nameAt - s;
  return mapping;
}

/** `\012` (mangle_path's escape for '\n') and `\\` → the bytes they stand for. */
function decodeName(raw: string): string {
  return raw.includes('\\') ? raw.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))) : raw;
}

/** The name column: seq_setwidth(25 + sizeof(void *) * 6 - 1), then seq_pad adds one space. */
export const padWidth = (kernelBits: 32 | 64): number => 25 + (kernelBits / 8) * 6 - 1;

// An expected vma below address 0 (a capture's [vdso] too low for the data pages a row puts under
// it) is no line a kernel prints: its start is written with a sign, not as digits run together.
const hexMin = (v: bigint, digits: number) => (v < 0n ? `-${(-v).toString(16).padStart(digits, '0')}` : v.toString(16).padStart(digits, '0'));
/** Offset, device and inode of a mapping of no file (every special mapping): the same text each time. */
const NO_FILE = ' 00000000 00:00 0 ';

export interface FormatOptions { kernelBits: 32 | 64 }

/** Exactly what the kernel prints for this mapping (without the newline). */
export function formatMapping(m: Pick<Mapping, 'start' | 'end' | 'perms' | 'offset' | 'major' | 'minor' | 'inode' | 'rawName' | 'name'>, opts: FormatOptions): string {
  // Joined, not concatenated: one flat string. Concatenation leaves a tree of ~18 pieces (~600
  // bytes a line, kept in every result: 23 MB of the heap after checking 10,000 captures).
  const fileFields = m.offset === 0n && m.major === 0 && m.minor === 0 && m.inode === 0n ? NO_FILE
    : [' ', hexMin(m.offset, 8), ' ', m.major.toString(16).padStart(2, '0'), ':', m.minor.toString(16).padStart(2, '0'), ' ', m.inode, ' '].join('');
  const prefix = [hexMin(m.start, 8), '-', hexMin(m.end, 8), ' ', m.perms, fileFields].join('');
  const name = m.rawName ?? (m.name === undefined ? undefined : m.name.replace(/\n/g, '\\012'));
  if (name === undefined) return prefix;
  const width = padWidth(opts.kernelBits);
  return [prefix.padEnd(width, ' '), name].join(' ');
}

/** Kernel pointer size as shown by one line, if the line alone tells. */
export function kernelBitsOfLine(m: Mapping): 32 | 64 | undefined {
  if (m.addrDigits > 8 || m.end > 0xffffffffn) return 64;
  if (m.nameColumn !== undefined) {
    // The length of formatMapping's prefix (up to and with the space after the inode), computed.
    const hexLen = (v: bigint, min: number) => Math.max(min, v.toString(16).length);
    const prefixLen = hexLen(m.start, 8) + 1 + hexLen(m.end, 8) + 1 + m.perms.length + 1 + hexLen(m.offset, 8) + 1
      + Math.max(2, m.major.toString(16).length) + 1 + Math.max(2, m.minor.toString(16).length) + 1 + m.inode.toString().length + 1;
    if (m.nameColumn === padWidth(64) + 1 && prefixLen < padWidth(64)) return 64;
    if (m.nameColumn === padWidth(32) + 1 && prefixLen < padWidth(32)) return 32;
  }
  return undefined;
}
