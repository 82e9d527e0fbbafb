// The aux vector in the three forms a capture brings it: binary /proc/PID/auxv, an od /
// hexdump / xxd text dump of it, or glibc's LD_SHOW_AUXV=1 output.
import { Buffer } from 'node:buffer';
import { InputError } from '../errors.js';
import { pageSizeProblem } from '../layout/page-size.js';
import type { AuxEntry, Auxv } from '../model/auxv.js';

export const AT = {
  NULL: 0, IGNORE: 1, EXECFD: 2, PHDR: 3, PHENT: 4, PHNUM: 5, PAGESZ: 6, BASE: 7, FLAGS: 8, ENTRY: 9,
  NOTELF: 10, UID: 11, EUID: 12, GID: 13, EGID: 14, PLATFORM: 15, HWCAP: 16, CLKTCK: 17,
  SECURE: 23, BASE_PLATFORM: 24, RANDOM: 25, HWCAP2: 26, RSEQ_FEATURE_SIZE: 27, RSEQ_ALIGN: 28,
  HWCAP3: 29, HWCAP4: 30, EXECFN: 31, SYSINFO: 32, SYSINFO_EHDR: 33, MINSIGSTKSZ: 51,
} as const;
const AT_NAME = new Map<number, string>(Object.entries(AT).map(([k, v]) => [v, k]));
const AT_BY_NAME = new Map<string, number>(Object.entries(AT));

function finish(a: Omit<Auxv, 'sysinfoEhdr' | 'pageSize' | 'hwcap' | 'hwcap2' | 'platform'>): Auxv {
  const get = (t: number) => a.entries.find((e) => e.type === t);
  const plat = get(AT.PLATFORM);
  return {
    ...a,
    sysinfoEhdr: get(AT.SYSINFO_EHDR)?.value,
    pageSize: get(AT.PAGESZ)?.value,
    hwcap: get(AT.HWCAP),
    hwcap2: get(AT.HWCAP2),
    platform: plat?.raw !== undefined && !plat.raw.startsWith('0x') ? plat.raw : undefined,
  };
}

const entry = (type: number, value: bigint): AuxEntry => ({ type, name: AT_NAME.get(type) ?? `AT_${type}`, value });

const plausiblePage = (v: bigint) => pageSizeProblem(v) === undefined;

/** Binary auxv. Word size and endianness are inferred unless given. */
export function parseAuxvBinary(bytes: Uint8Array, opts: { wordSize?: 4 | 8; endian?: 'le' | 'be'; file?: string } = {}, form: Auxv['form'] = 'binary'): Auxv {
  const candidates: Array<[4 | 8, 'le' | 'be']> = [];
  for (const w of opts.wordSize ? [opts.wordSize] : [8, 4] as const) for (const e of opts.endian ? [opts.endian] : ['le', 'be'] as const) candidates.push([w, e]);
  const problems: string[] = [];
  for (const [w, e] of candidates) {
    const res = tryAuxv(bytes, w, e);
    if (typeof res === 'string') { problems.push(`${w * 8}-bit ${e}: ${res}`); continue; }
    return finish({ form, wordSize: w, endian: e, entries: res });
  }
  throw new InputError(`not an aux vector (${problems.join('; ')})`, { file: opts.file, offset: 0n });
}

function tryAuxv(bytes: Uint8Array, w: 4 | 8, endian: 'le' | 'be'): AuxEntry[] | string {
  if (bytes.length === 0) return 'empty';
  if (bytes.length % (2 * w) !== 0) return `length ${bytes.length} is not a multiple of ${2 * w}`;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = endian === 'le';
  const words: bigint[] = [];
  for (let o = 0; o < bytes.length; o += w) words.push(w === 8 ? dv.getBigUint64(o, le) : BigInt(dv.getUint32(o, le)));
  return auxvFromWords(words);
}

/** Pairs of (type, value) up to AT_NULL, with the plausibility checks that pick the form. */
function auxvFromWords(words: bigint[]): AuxEntry[] | string {
  const out: AuxEntry[] = [];
  let sawPage = false;
  for (let i = 0; i + 1 < words.length; i += 2) {
    const type = words[i];
    const value = words[i + 1];
    if (type === 0n) return sawPage ? out : 'no plausible AT_PAGESZ';
    if (type > 0x1000n) return `implausible type 0x${type.toString(16)} at entry ${i / 2}`;
    if (type === BigInt(AT.PAGESZ)) {
      if (!plausiblePage(value)) return `implausible AT_PAGESZ 0x${value.toString(16)}`;
      sawPage = true;
    }
    out.push(entry(Number(type), value));
  }
  return 'no AT_NULL terminator';
}

const OD_RE = /^([0-9a-f]{6,8})((?: [0-9a-f]{2,16})*)\s*$/;
const HEXDUMP_C_RE = /^([0-9a-f]{8})  ((?:[0-9a-f]{2} {1,2}){1,16})\s*(\|.*\|)?\s*$/;
// xxd: offset, colon, hex groups separated by one space, two spaces, the text column. The hex
// column is cut at the first double space and then checked: no nested quantifier can backtrack.
const XXD_HEAD_RE = /^([0-9a-f]{8}): /;
const XXD_HEX_RE = /^[0-9a-f]{2,32}(?: [0-9a-f]{2,32})*$/;
function xxdLine(l: string): [offset: string, hex: string] | undefined {
  const m = XXD_HEAD_RE.exec(l);
  if (!m) return undefined;
  const rest = l.slice(m[0].length);
  const cut = rest.indexOf('  ');
  const hex = (cut >= 0 ? rest.slice(0, cut) : rest).trimEnd();
  if (!XXD_HEX_RE.test(hex) || hex.split(' ').some((g) => g.length % 2 !== 0)) return undefined;
  return [m[1], hex];
}
/** Text dumps of an aux vector are a few KiB; a larger one inside a capture is not one. */
const MAX_AUXV_TEXT = 1 << 20;

/** od -A x -t x8 / -t x4 / -t x1, hexdump -C, xxd. */
export function parseAuxvText(text: string, opts: { wordSize?: 4 | 8; endian?: 'le' | 'be'; file?: string } = {}): Auxv {
  if (text.length > MAX_AUXV_TEXT) throw new InputError(`an aux vector dump of ${text.length} characters: not an aux vector (at most ${MAX_AUXV_TEXT})`, { file: opts.file, line: 1 });
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new InputError('empty aux vector', { file: opts.file, line: 1 });
  if (lines.some((l) => /^AT_/.test(l.trim()))) return parseLdShowAuxv(text, opts.file);
  const bytes: number[] = [];
  const words: bigint[] = [];
  let width = 0; // od word width in bytes; 0 = byte-oriented (hexdump -C, xxd, od -t x1)
  let form: Auxv['form'] = 'od';
  let last: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trim();
    let m: RegExpExecArray | null;
    if (l === '*') { // od/hexdump "same as previous line": repeat it up to the next offset
      // od and hexdump follow "*" with the next line that differs (or the final offset).
      const after = lines[i + 1]?.trim() ?? '';
      const xx = xxdLine(after);
      const next = OD_RE.exec(after) ?? HEXDUMP_C_RE.exec(after) ?? (xx ? [after, xx[0]] : undefined);
      if (!next || last.length === 0) throw new InputError('"*" without lines around it', { file: opts.file, line: i + 1 });
      const until = parseInt(next[1], 16);
      if (until > 64 << 10) throw new InputError('"*" repeats past 64 KiB: not an aux vector', { file: opts.file, line: i + 1 });
      while ((width ? words.length * width : bytes.length) < until) {
        for (const x of last) { if (width) words.push(BigInt('0x' + x)); else bytes.push(parseInt(x, 16)); }
      }
      continue;
    }
    if ((m = HEXDUMP_C_RE.exec(l))) {
      form = 'hexdump';
      last = m[2].trim().split(/\s+/);
      for (const b of last) bytes.push(parseInt(b, 16));
      continue;
    }
    const xxd = xxdLine(l);
    if (xxd) {
      form = 'hexdump';
      last = [];
      for (const group of xxd[1].split(' ')) for (let k = 0; k < group.length; k += 2) last.push(group.slice(k, k + 2));
      for (const b of last) bytes.push(parseInt(b, 16));
      continue;
    }
    if ((m = OD_RE.exec(l))) {
      const ws = m[2].trim() === '' ? [] : m[2].trim().split(' ');
      if (ws.length === 0) continue; // the final offset-only line
      const wlen = ws[0].length;
      if (ws.some((x) => x.length !== wlen) || ![2, 8, 16].includes(wlen)) throw new InputError('od line with mixed or unsupported word widths (use -t x8, x4 or x1)', { file: opts.file, line: i + 1 });
      width = wlen === 2 ? 0 : wlen / 2;
      last = ws;
      for (const x of ws) { if (width) words.push(BigInt('0x' + x)); else bytes.push(parseInt(x, 16)); }
      continue;
    }
    throw new InputError(`not an od/hexdump/xxd/LD_SHOW_AUXV line: ${JSON.stringify(l.slice(0, 60))}`, { file: opts.file, line: i + 1, column: 1 });
  }
  if (width === 0) return parseAuxvBinary(Uint8Array.from(bytes), { ...opts }, form);
  // od prints words as numbers in the target's byte order. x8: 64-bit values. x4: either a
  // 32-bit process's words, or halves of 64-bit values (low half first on little-endian).
  const candidates: Array<[4 | 8, 'le' | 'be' | undefined, bigint[]]> = [];
  if (width === 8) candidates.push([8, undefined, words]);
  else {
    const pair = (hiFirst: boolean) => {
      const out: bigint[] = [];
      for (let i = 0; i + 1 < words.length; i += 2) out.push(hiFirst ? (words[i] << 32n) | words[i + 1] : (words[i + 1] << 32n) | words[i]);
      return out;
    };
    if (opts.wordSize !== 8) candidates.push([4, undefined, words]);
    if (opts.wordSize !== 4) {
      if (opts.endian !== 'be') candidates.push([8, 'le', pair(false)]);
      if (opts.endian !== 'le') candidates.push([8, 'be', pair(true)]);
    }
  }
  const problems: string[] = [];
  for (const [w, e, ws] of candidates) {
    const res = auxvFromWords(ws);
    if (typeof res === 'string') { problems.push(`${w * 8}-bit: ${res}`); continue; }
    return finish({ form, wordSize: w, endian: e, entries: res });
  }
  throw new InputError(`not an aux vector (${problems.join('; ')})`, { file: opts.file, line: 1 });
}

const LD_RE = /^AT_([A-Z0-9_?]+)(?: \(0x([0-9a-f]+)\))?:?\s+(.*)$/;

/** glibc's `LD_SHOW_AUXV=1` output. Unknown label forms keep their raw text. */
export function parseLdShowAuxv(text: string, file?: string): Auxv {
  const entries: AuxEntry[] = [];
  const lineOf: number[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].replace(/\r$/, '').trim();
    if (l === '') continue;
    const m = LD_RE.exec(l);
    if (!m) throw new InputError(`not an LD_SHOW_AUXV line: ${JSON.stringify(l.slice(0, 60))}`, { file, line: i + 1, column: 1 });
    const [, label, unknownType, rawValue] = m;
    const raw = rawValue.trim();
    let type = label === '???' && unknownType ? parseInt(unknownType, 16) : AT_BY_NAME.get(label.replace(/:$/, ''));
    if (type === undefined) type = -1;
    const name = type >= 0 ? (AT_NAME.get(type) ?? `AT_${type}`) : label;
    let value: bigint | undefined;
    if (/^0x[0-9a-f]+$/i.test(raw)) value = BigInt(raw);
    else if (/^\d+$/.test(raw) && !/^HWCAP/.test(label)) value = BigInt(raw);
    else if (/^HWCAP\d?$/.test(label) && /^[0-9a-f]+$/i.test(raw)) value = BigInt('0x' + raw); // x86 prints hex without 0x
    if (type === AT.PAGESZ && value !== undefined) {
      const problem = pageSizeProblem(value);
      if (problem) throw new InputError(`AT_PAGESZ: ${problem}`, { file, line: i + 1, column: 1 });
    }
    // The entries a check reads: unreadable or twice is no aux vector a kernel wrote (each type is
    // there once), not one to go on without (it was dropped in silence, and the base taken elsewhere).
    if (type === AT.SYSINFO_EHDR || type === AT.PAGESZ) {
      const at = `AT_${label}`;
      if (value === undefined) throw new InputError(`${at}: expected a number (0x… or decimal), not ${JSON.stringify(raw.slice(0, 40))}`, { file, line: i + 1, column: 1 });
      const before = entries.findIndex((e) => e.type === type);
      if (before >= 0) throw new InputError(`${at} is given twice (lines ${lineOf[before]} and ${i + 1}): a kernel writes each entry once (two processes' output?)`, { file, line: i + 1, column: 1 });
    }
    lineOf.push(i + 1);
    entries.push({ type, name, value, raw });
  }
  if (entries.length === 0) throw new InputError('empty LD_SHOW_AUXV output', { file, line: 1 });
  return finish({ form: 'ld-show-auxv', entries });
}

/** Any of the forms, detected from the bytes. */
export function parseAuxvAny(bytes: Uint8Array, opts: { wordSize?: 4 | 8; endian?: 'le' | 'be'; file?: string } = {}): Auxv {
  const head = Buffer.from(bytes.subarray(0, 256)).toString('latin1');
  const looksText = bytes.length > 0 && /^[\x09\x0a\x0d\x20-\x7e]*$/.test(head) && /^\s*(AT_|[0-9a-f]{6,8}[ :])/.test(head);
  if (looksText) return parseAuxvText(Buffer.from(bytes).toString('latin1'), opts);
  return parseAuxvBinary(bytes, opts);
}
