// Reading what users actually feed the checker: a maps file, a serial console log of a QEMU
// boot, a CI job log, a paste. Line-streaming (memory ∝ mappings kept), every clean-up reported.
import { Buffer } from 'node:buffer';
import { InputError } from '../errors.js';
import { kernelBitsOfLine, nameKind, parseMapsLine, type Mapping, type NameKind } from './line.js';

export type DiagnosticCode =
  | 'crlf' | 'ansi' | 'kernel-log-prefix' | 'syslog-prefix' | 'line-prefix' | 'odd-perms'
  | 'no-trailing-space' | 'no-final-newline' | 'unsorted' | 'overlap' | 'bad-range' | 'interleaved' | 'smaps' | 'skipped';

export interface Diagnostic {
  code: DiagnosticCode;
  /** First line it was seen on. */
  line: number;
  /** How many lines it applied to. */
  count: number;
  message: string;
  /** For unsorted/overlap: the other line. */
  otherLine?: number;
}

export interface MapsBlock {
  /** 0-based, in input order. */
  index: number;
  firstLine: number;
  lastLine: number;
  /** `maps-pid1` from `@@@BEGIN maps-pid1`, or the command line seen before the block. */
  label?: string;
  /** The mappings kept (all of them unless a keep filter was given), in order. */
  mappings: Mapping[];
  /** Mappings seen in the block, kept or not. */
  total: number;
  /** Kernel pointer size the lines show (address width or name column), if any line tells. */
  kernelBits?: 32 | 64;
  /** Cheap facts from every line, kept or not (for choosing a layout from a bare maps file). */
  evidence: BlockEvidence;
}

export interface BlockEvidence {
  /** OR of the low 18 bits of every vma start and end (0 = all 256K-aligned): the page size is at
   *  most the lowest set bit (e.g. 0x1000 set → 4K granularity). */
  boundaryBits: number;
  /** Distinct arch triplets seen in file paths ("x86_64-linux-gnu", "aarch64-linux-gnu",
   *  "arm-linux-gnueabihf", "x86_64-linux-gnux32", …): a path segment `<cpu>-linux-<abi>`; at most 4. */
  triplets: string[];
  /** Start of the block's first file-backed mapping (usually the executable: its load address). */
  firstFileStart?: bigint;
}

/** At most this many distinct triplets are collected per block. */
const MAX_TRIPLETS = 4;
// A multiarch directory in a path: /usr/lib/x86_64-linux-gnu/libc.so.6.
const TRIPLET_RE = /\/([a-z0-9_]+-linux-[a-z0-9_]+)(?=\/)/g;
const LOW18 = 0x3ffff;
const low18 = (v: number | bigint): number => (typeof v === 'number' ? v & LOW18 : Number(v & 0x3ffffn)); // & on a double < 2^53 is exact mod 2^32

/** Arch triplets in a file path, added to `into` (distinct, at most MAX_TRIPLETS). */
export function collectTriplets(path: string, into: string[]): void {
  if (!path.includes('-linux-')) return;
  for (const m of path.matchAll(TRIPLET_RE)) {
    if (into.length >= MAX_TRIPLETS) return;
    if (!into.includes(m[1])) into.push(m[1]);
  }
}

export interface TextBlock { firstLine: number; label?: string; lines: string[] }

/** A capture bundle (vdso-layout capture-script / capture): one process's maps, auxv and [vdso] bytes. */
export interface Bundle {
  firstLine: number;
  version: number;
  unameR?: string;
  unameM?: string;
  pageSize?: bigint;
  pid?: number;
  /** Index into Capture.blocks of the bundle's maps. */
  mapsBlock?: number;
  auxv: Uint8Array;
  vdso?: { start: bigint; end: bigint; bytes: Uint8Array };
  /** Why there are no [vdso] bytes (not root, Yama, no [vdso]). */
  vdsoMissing?: string;
  complete: boolean;
}

export interface Capture {
  file: string;
  blocks: MapsBlock[];
  /** Aux vector dumps (od / LD_SHOW_AUXV lines) found in the input, unparsed. */
  auxvBlocks: TextBlock[];
  kernelRelease?: { value: string; line: number };
  machine?: { value: string; line: number };
  bundles: Bundle[];
  diagnostics: Diagnostic[];
  lineCount: number;
}

export interface ReaderOptions {
  file?: string;
  /** Skipped lines and every clean-up become errors. */
  strict?: boolean;
  /**
   * Keep only mappings this accepts (plus their immediate neighbours); default keeps all.
   * It sees the light scan of a line (perms, raw name, kind) so that lines not kept are
   * never fully decoded: that is what keeps a million-line capture cheap.
   */
  keep?: (m: LightMapping) => boolean;
}

const PERMS_CACHE = new Map<number, string>();

function hexEnd(b: Uint8Array, i: number, e: number): number {
  let v = 0;
  while (i < e) {
    const c = b[i];
    if (c >= 48 && c <= 57) v = v * 16 + (c - 48);
    else if (c >= 97 && c <= 102) v = v * 16 + (c - 87);
    else break;
    i++;
  }
  hexScratch.value = v; // exact below 2^53; longer runs are re-read as bigint
  return i;
}
const hexScratch = { value: 0 };
function hexKeyBytes(b: Uint8Array, i: number, j: number): number | bigint {
  if (j - i > 13) return BigInt('0x' + Buffer.from(b.buffer, b.byteOffset + i, j - i).toString('latin1'));
  let v = 0;
  for (let k = i; k < j; k++) { const c = b[k]; v = v * 16 + (c <= 57 ? c - 48 : c - 87); }
  return v;
}

interface PrevLine { start: number | bigint; end: number | bigint; line: number; str?: string; buf?: Buffer; s: number; e: number }

/** What the quick scan of a maps line knows without decoding it. */
export interface LightMapping { perms: string; rawName?: string; kind: NameKind }

// Structure only (the full parse re-validates): start, end, perms, and the name.
const QUICK_RE = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) [0-9a-f]+ [0-9a-f]+:[0-9a-f]+ \d+(?::\d+)?(?:( +)(.*))?$/;
/** Exact ordering key for a hex address: a number below 2^52, a bigint above. */
const hexKey = (h: string): number | bigint => (h.length <= 13 ? parseInt(h, 16) : BigInt('0x' + h));
const PERM_CHARS = ['r-', 'w-', 'x-', 'ps'];

const MAPS_ANYWHERE = /[0-9a-f]{8,16}-[0-9a-f]{8,16} \S{4} [0-9a-f]+ [0-9a-f]+:[0-9a-f]+ \d+/;
// ESC [ … final, plus two-char ESC sequences (charset selection, keypad modes).
const ANSI_RE = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78c]/g;
const KERNEL_LOG_PREFIX = /^\s*(?:<\d+>)?\[\s*\d+\.\d+\]\s?$/;
const KERNEL_LOG_LINE = /^\s*(?:<\d+>)?\[\s*\d+\.\d+\]/;
const SYSLOG_PREFIX = /^\s*<\d+>\s?$/;
const OD_LINE = /^[0-9a-f]{6,8}(?: [0-9a-f]{8}| [0-9a-f]{16})*$/;
const LD_AUXV_LINE = /^AT_[A-Z0-9_?]+(?: \(0x[0-9a-f]+\))?:?\s+\S/;
const LINUX_BANNER = /Linux version (\S+) /;
const UNAME_A = /^Linux \S+ (\d+\.\d+\S*) #.* (\S+) GNU\/Linux$/;
const BEGIN_MARK = /^@@@BEGIN (\S+)/;
const BUNDLE_BEGIN = /^@@@VDSO-LAYOUT-BUNDLE (\d+) BEGIN$/;
const BUNDLE_END = /^@@@VDSO-LAYOUT-BUNDLE \d+ END$/;
const OD_BYTES = /^[0-9a-f]{6,8}((?: [0-9a-f]{2}){0,16})$/;
const SMAPS_FIELD = /^[A-Z][A-Za-z0-9_]*:\s/; // "Size:  4 kB", "VmFlags: rd ex" (smaps)

export class CaptureReader {
  private readonly opts: ReaderOptions;
  private readonly file: string;
  private lineNo = 0;
  private pending = '';
  private pendingBytes?: Uint8Array;
  private readonly blocks: MapsBlock[] = [];
  private readonly auxvBlocks: TextBlock[] = [];
  private readonly diags = new Map<string, Diagnostic>();
  private cur?: MapsBlock;
  private curAux?: TextBlock;
  // Last mapping seen in the block, kept or not; one reused record (no allocation per line).
  private prev?: PrevLine;
  private readonly prevRec: PrevLine = { start: 0, end: 0, line: 0, s: 0, e: 0 };
  private prevKept = false;
  private keepNext = false;
  private context?: string; // label candidate for the next block
  private interleavedSince?: number;
  private kernelRelease?: { value: string; line: number };
  private readonly bundles: Bundle[] = [];
  private bundle?: Bundle & { section: 'header' | 'maps' | 'auxv' | 'vdso' | 'done'; auxvBytes: number[]; vdsoBytes: number[]; vdsoRange?: [bigint, bigint] };
  private machine?: { value: string; line: number };

  constructor(opts: ReaderOptions = {}) {
    this.opts = opts;
    this.file = opts.file ?? '-';
  }

  /** Feed a chunk of text (latin1: bytes as chars). */
  write(chunk: string): void {
    let start = 0;
    const text = this.pending === '' ? chunk : this.pending + chunk;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      this.line(text.slice(start, nl));
      start = nl + 1;
    }
    this.pending = text.slice(start);
  }

  /**
   * Feed raw bytes. Clean maps lines are scanned in place (no string per line); anything
   * else — CR, escapes, prefixes, prompts — goes through the string path, line by line.
   */
  writeBytes(chunk: Uint8Array): void {
    let buf = chunk;
    if (this.pendingBytes) {
      const joined = new Uint8Array(this.pendingBytes.length + chunk.length);
      joined.set(this.pendingBytes); joined.set(chunk, this.pendingBytes.length);
      buf = joined;
      this.pendingBytes = undefined;
    }
    if (this.pending !== '') { this.write(Buffer.from(buf).toString('latin1')); return; }
    const nodeBuf = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    let start = 0;
    // Lines holding a CR or an ESC take the string path; find those bytes once per chunk.
    let nextCr = nodeBuf.indexOf(13);
    let nextEsc = nodeBuf.indexOf(27);
    for (;;) {
      const nl = nodeBuf.indexOf(10, start);
      if (nl < 0) break;
      if (nextCr >= 0 && nextCr < start) nextCr = nodeBuf.indexOf(13, start);
      if (nextEsc >= 0 && nextEsc < start) nextEsc = nodeBuf.indexOf(27, start);
      const clean = (nextCr < 0 || nextCr >= nl) && (nextEsc < 0 || nextEsc >= nl);
      if (!clean || !this.fastLine(nodeBuf, start, nl)) this.line(nodeBuf.toString('latin1', start, nl));
      start = nl + 1;
    }
    if (start < buf.length) this.pendingBytes = buf.slice(start);
  }

  /** A maps line scanned from bytes (the caller rules out CR and ESC); false if it is not one. */
  private fastLine(b: Buffer, s: number, e: number): boolean {
    if (!this.cur && this.curAux) return false;
    let i = s;
    let j = hexEnd(b, i, e);
    if (j === i || j - i > 16 || b[j] !== 45) return false; // start '-'
    const startKey = j - i <= 13 ? hexScratch.value : hexKeyBytes(b, i, j);
    i = j + 1; j = hexEnd(b, i, e);
    if (j === i || j - i > 16 || b[j] !== 32) return false; // end ' '
    const endKey = j - i <= 13 ? hexScratch.value : hexKeyBytes(b, i, j);
    i = j + 1;
    const permsAt = i;
    if (i + 5 > e || b[i + 4] !== 32) return false;
    const r = b[i], w = b[i + 1], x = b[i + 2], p = b[i + 3];
    if ((r !== 114 && r !== 45) || (w !== 119 && w !== 45) || (x !== 120 && x !== 45) || (p !== 112 && p !== 115)) return false;
    i += 5; j = hexEnd(b, i, e); if (j === i || b[j] !== 32) return false; // offset
    i = j + 1; j = hexEnd(b, i, e); if (j === i || b[j] !== 58) return false; // major
    i = j + 1; j = hexEnd(b, i, e); if (j === i || b[j] !== 32) return false; // minor
    i = j + 1; j = i; while (j < e && b[j] >= 48 && b[j] <= 57) j++;
    if (j === i || j >= e || b[j] !== 32) return false; // inode, then the trailing space
    j++;
    // Named lines are padded to the kernel's name column (49 or 73): try those before walking
    // the spaces. Column 49 first: on a 64-bit line it is padding, so it cannot match there.
    // (Only the keep filter sees this guess; kept lines are fully re-parsed.)
    if (j < e && b[j] === 32) {
      const c32 = s + 49; const c64 = s + 73;
      if (c32 > j && c32 < e && b[c32 - 1] === 32 && b[c32] !== 32) j = c32;
      else if (c64 > j && c64 < e && b[c64 - 1] === 32 && b[c64] !== 32 && b[c32] === 32) j = c64;
      while (j < e && b[j] === 32) j++;
    }
    let kind: NameKind;
    let rawName: string | undefined;
    if (j === e) kind = 'anonymous';
    else if (b[j] === 91) { rawName = b.toString('latin1', j, e); kind = nameKind(rawName); } // '['
    else kind = 'file';
    this.lineNo++;
    this.closeAux();
    const code = (r << 24) | (w << 16) | (x << 8) | p;
    let perms = PERMS_CACHE.get(code);
    if (perms === undefined) { perms = b.toString('latin1', permsAt, permsAt + 4); PERMS_CACHE.set(code, perms); }
    this.lineBuf = b; this.lineS = s; this.lineE = e;
    // One scratch record per reader: keep() must decide, not hold on to it.
    const light = this.scratch;
    light.perms = perms; light.rawName = rawName; light.kind = kind;
    this.mapping(undefined, startKey, endKey, light, this.lineNo);
    return true;
  }

  end(): Capture {
    if (this.pendingBytes) { const rest = this.pendingBytes; this.pendingBytes = undefined; this.write(Buffer.from(rest).toString('latin1')); }
    if (this.pending !== '') {
      this.note('no-final-newline', this.lineNo + 1, 'input does not end with a newline');
      this.line(this.pending);
      this.pending = '';
    }
    this.closeBlock();
    this.closeAux();
    this.closeBundle(false);
    return {
      file: this.file, blocks: this.blocks, auxvBlocks: this.auxvBlocks, kernelRelease: this.kernelRelease, bundles: this.bundles,
      machine: this.machine, diagnostics: [...this.diags.values()].sort((a, b) => a.line - b.line), lineCount: this.lineNo,
    };
  }

  private note(code: DiagnosticCode, line: number, message: string, otherLine?: number): void {
    if (this.opts.strict && code !== 'unsorted' && code !== 'overlap' && code !== 'bad-range') {
      throw new InputError(`${message} (--strict)`, { file: this.file, line, column: 1 });
    }
    // Per-line findings (order) are kept one by one; clean-ups are counted per kind.
    const key = code === 'unsorted' || code === 'overlap' || code === 'bad-range' ? `${code}:${line}` : code;
    const d = this.diags.get(key);
    if (d) d.count++;
    else this.diags.set(key, { code, line, count: 1, message, otherLine });
  }

  private line(raw: string): void {
    const n = ++this.lineNo;
    let text = raw;
    if (text.endsWith('\r')) {
      text = text.replace(/\r+$/, '');
      this.note('crlf', n, 'CRLF line endings removed');
    }
    if (text.includes('\r')) text = text.slice(text.lastIndexOf('\r') + 1); // a terminal overwrote the start
    if (text.includes('\x1b')) {
      text = text.replace(ANSI_RE, '');
      this.note('ansi', n, 'ANSI escape sequences removed');
    }
    let body = text;
    let q = QUICK_RE.exec(body);
    if (!q) {
      const at = text.search(MAPS_ANYWHERE);
      if (at > 0) {
        const prefix = text.slice(0, at);
        const rest = text.slice(at);
        q = QUICK_RE.exec(rest);
        if (q) {
          body = rest;
          if (KERNEL_LOG_PREFIX.test(prefix)) this.note('kernel-log-prefix', n, `kernel log prefix removed (e.g. ${JSON.stringify(prefix)})`);
          else if (SYSLOG_PREFIX.test(prefix)) this.note('syslog-prefix', n, `syslog level prefix removed (e.g. ${JSON.stringify(prefix)})`);
          else this.note('line-prefix', n, `line prefix removed (e.g. ${JSON.stringify(prefix.slice(0, 40))})`);
        }
      }
    }
    if (q && q[4] !== undefined && q[4] !== '' && q[3] === undefined) q = null;
    if (q) {
      this.closeAux();
      const perms = q[3];
      for (let i = 0; i < 4; i++) {
        if (!PERM_CHARS[i].includes(perms[i])) { this.note('odd-perms', n, `unusual permission characters ${JSON.stringify(perms)} (Linux prints [r-][w-][x-][ps])`); break; }
      }
      const rawName = q[5] === undefined || q[5] === '' ? undefined : q[5];
      if (q[4] === undefined) this.note('no-trailing-space', n, 'anonymous mapping line without the trailing space after the inode (qemu-user)');
      this.lineBuf = undefined;
      this.mapping(body, q[1], q[2], { perms, rawName, kind: nameKind(rawName) }, n);
      return;
    }
    this.other(text, n);
  }

  private full(text: string, n: number): Mapping {
    const p = parseMapsLine(text, n);
    if (!p) throw new InputError('maps line passed the quick scan but not the parser', { file: this.file, line: n, column: 1 });
    return p.mapping;
  }

  // The current byte-scanned line, decoded only if it is kept (see fastLine).
  private lineBuf?: Buffer;
  private readonly scratch: LightMapping = { perms: '', kind: 'anonymous' };
  private lineS = 0;
  private lineE = 0;

  private mapping(lineText: string | undefined, startHex: string | number | bigint, endHex: string | number | bigint, light: LightMapping, n: number): void {
    if (!this.cur) {
      this.cur = { index: this.blocks.length, firstLine: n, lastLine: n, label: this.context, mappings: [], total: 0, evidence: { boundaryBits: 0, triplets: [] } };
      this.prev = undefined; this.prevKept = false; this.keepNext = false;
    }
    if (this.interleavedSince !== undefined) {
      this.note('interleaved', this.interleavedSince, 'kernel log lines interleaved inside a maps block were skipped');
      this.interleavedSince = undefined;
    }
    const b = this.cur;
    b.total++;
    b.lastLine = n;
    const start = typeof startHex === 'string' ? hexKey(startHex) : startHex;
    const end = typeof endHex === 'string' ? hexKey(endHex) : endHex;
    const buf = this.lineBuf; const ls = this.lineS; const le = this.lineE;
    const text = (): string => (lineText !== undefined ? lineText : buf!.toString('latin1', ls, le));
    const ev = b.evidence;
    ev.boundaryBits |= low18(start) | low18(end);
    if (light.kind === 'file') {
      ev.firstFileStart ??= BigInt(start);
      if (ev.triplets.length < MAX_TRIPLETS) collectTriplets(light.rawName ?? text(), ev.triplets);
    }
    if (end <= start) this.note('bad-range', n, `mapping ${start.toString(16)}-${end.toString(16)} does not end above its start`);
    const prev = this.prev;
    if (prev && start < prev.end) {
      if (start < prev.start) this.note('unsorted', n, `mapping at ${start.toString(16)} comes after ${prev.start.toString(16)} (line ${prev.line}): maps is sorted by address`, prev.line);
      else this.note('overlap', n, `mapping ${start.toString(16)}-${end.toString(16)} overlaps ${prev.start.toString(16)}-${prev.end.toString(16)} (line ${prev.line})`, prev.line);
    }
    let kept: Mapping | undefined;
    const keep = this.opts.keep;
    if (!keep || keep(light)) {
      if (keep && prev && !this.prevKept) b.mappings.push(this.full(prev.str ?? prev.buf!.toString('latin1', prev.s, prev.e), prev.line));
      kept = this.full(text(), n);
      this.prevKept = true;
      this.keepNext = true;
    } else if (this.keepNext) {
      kept = this.full(text(), n);
      this.prevKept = true;
      this.keepNext = false;
    } else {
      this.prevKept = false;
    }
    if (kept) b.mappings.push(kept);
    if (b.kernelBits !== 64) {
      const bits = end > 0xffffffff ? 64 : kernelBitsOfLine(kept ?? this.full(text(), n));
      if (bits !== undefined) b.kernelBits = bits;
    }
    const prevRec = this.prevRec;
    prevRec.start = start; prevRec.end = end; prevRec.line = n; prevRec.str = lineText; prevRec.buf = buf; prevRec.s = ls; prevRec.e = le;
    this.prev = prevRec;
  }

  private other(text: string, n: number): void {
    const t = text.trim();
    if (this.bundleLine(t, n)) return;
    // A kernel message printed on the console in the middle of a maps dump does not end it.
    if (this.cur && KERNEL_LOG_LINE.test(text)) {
      this.interleavedSince ??= n;
      this.scanContext(t, n);
      return;
    }
    // smaps: attribute lines between the maps headers belong to the same process.
    if (this.cur && SMAPS_FIELD.test(t)) {
      this.note('smaps', n, 'smaps attribute lines skipped (the mapping headers are used)');
      return;
    }
    this.closeBlock();
    if (OD_LINE.test(t) || LD_AUXV_LINE.test(t)) {
      if (!this.curAux) this.curAux = { firstLine: n, label: this.context, lines: [] };
      this.curAux.lines.push(t);
      return;
    }
    this.closeAux();
    if (t === '') return;
    if (this.opts.strict) this.note('skipped', n, `not a maps line: ${JSON.stringify(t.slice(0, 60))}`);
    this.scanContext(t, n);
    const mark = BEGIN_MARK.exec(t);
    if (mark) this.context = mark[1];
    else if (/\/proc\/\S+\/maps/.test(t) || /^[$#] /.test(t)) this.context = t.slice(0, 100);
  }

  private scanContext(t: string, n: number): void {
    let m = UNAME_A.exec(t);
    if (m) { this.kernelRelease = { value: m[1], line: n }; this.machine = { value: m[2], line: n }; return; }
    m = LINUX_BANNER.exec(t);
    if (m && !this.kernelRelease) this.kernelRelease = { value: m[1], line: n };
  }

  /** Bundle markers and the od byte dumps inside a bundle. True when the line was consumed. */
  private bundleLine(t: string, n: number): boolean {
    let m = BUNDLE_BEGIN.exec(t);
    if (m) {
      this.closeBlock(); this.closeAux(); this.closeBundle(false);
      this.bundle = { firstLine: n, version: Number(m[1]), auxv: new Uint8Array(), complete: false, section: 'header', auxvBytes: [], vdsoBytes: [] };
      return true;
    }
    const b = this.bundle;
    if (!b) return false;
    if (BUNDLE_END.test(t)) { this.closeBlock(); this.closeBundle(true); return true; }
    if (t === '@@@MAPS') { b.section = 'maps'; this.context = 'bundle'; return true; }
    if (t === '@@@AUXV') { this.closeBlock(); b.section = 'auxv'; return true; }
    if ((m = /^@@@VDSO ([0-9a-f]+)-([0-9a-f]+)$/.exec(t))) { b.section = 'vdso'; b.vdsoRange = [BigInt('0x' + m[1]), BigInt('0x' + m[2])]; return true; }
    if ((m = /^@@@VDSO-(?:NONE|UNREADABLE) ?(.*)$/.exec(t))) { b.section = 'done'; b.vdsoMissing = m[1] || 'not captured'; return true; }
    if (b.section === 'header') {
      if ((m = /^uname-r: ?(.*)$/.exec(t))) { b.unameR = m[1] || undefined; if (b.unameR) this.kernelRelease = { value: b.unameR, line: n }; return true; }
      if ((m = /^uname-m: ?(.*)$/.exec(t))) { b.unameM = m[1] || undefined; if (b.unameM) this.machine = { value: b.unameM, line: n }; return true; }
      if ((m = /^pagesize: ?(\d*)$/.exec(t))) { b.pageSize = m[1] ? BigInt(m[1]) : undefined; return true; }
      if ((m = /^pid: ?(\d+)$/.exec(t))) { b.pid = Number(m[1]); return true; }
      return false;
    }
    if (b.section === 'auxv' || b.section === 'vdso') {
      if ((m = OD_BYTES.exec(t))) {
        const into = b.section === 'auxv' ? b.auxvBytes : b.vdsoBytes;
        for (const x of m[1].trim().split(' ')) if (x) into.push(parseInt(x, 16));
        return true;
      }
      if (KERNEL_LOG_LINE.test(t) || t === '') { this.note('interleaved', n, 'kernel log lines inside a bundle were skipped'); return true; }
    }
    return false;
  }

  private closeBundle(complete: boolean): void {
    const b = this.bundle;
    if (!b) return;
    this.bundle = undefined;
    const mapsBlock = this.blocks.findIndex((x) => x.label === 'bundle' && x.firstLine > b.firstLine);
    const vdso = b.vdsoRange && b.vdsoBytes.length > 0 ? { start: b.vdsoRange[0], end: b.vdsoRange[1], bytes: Uint8Array.from(b.vdsoBytes) } : undefined;
    const vdsoMissing = b.vdsoMissing ?? (b.vdsoRange && !vdso ? 'no bytes: reading /proc/PID/mem needs root or ptrace rights (Yama)' : undefined);
    this.bundles.push({
      firstLine: b.firstLine, version: b.version, unameR: b.unameR, unameM: b.unameM, pageSize: b.pageSize, pid: b.pid,
      mapsBlock: mapsBlock >= 0 ? mapsBlock : undefined, auxv: Uint8Array.from(b.auxvBytes), vdso, vdsoMissing, complete,
    });
  }

  private closeBlock(): void {
    if (!this.cur) return;
    this.interleavedSince = undefined;
    this.blocks.push(this.cur);
    this.cur = undefined;
    this.context = undefined;
  }

  private closeAux(): void {
    if (!this.curAux) return;
    this.auxvBlocks.push(this.curAux);
    this.curAux = undefined;
    this.context = undefined;
  }
}

/** Whole-text convenience wrapper (tests, small inputs). */
export function readCapture(text: string, opts: ReaderOptions = {}): Capture {
  const r = new CaptureReader(opts);
  r.write(text);
  return r.end();
}

/** Stream a readable (file or stdin) through the reader. */
export async function readCaptureStream(stream: AsyncIterable<string | Buffer>, opts: ReaderOptions = {}): Promise<Capture> {
  const r = new CaptureReader(opts);
  for await (const chunk of stream) {
    if (typeof chunk === 'string') r.write(chunk);
    else r.writeBytes(chunk);
  }
  return r.end();
}
