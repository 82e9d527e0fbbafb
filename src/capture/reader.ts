// Reading what users actually feed the checker: a maps file, a serial console log of a QEMU
// boot, a CI job log, a paste. Line-streaming (memory ∝ mappings kept), every clean-up reported.
import { Buffer } from 'node:buffer';
import { InputError } from '../errors.js';
import { bigHex, EXACT_HEX, newByteLine, readMapsLineBytes, type ByteLine } from './maps-line-bytes.js';
import { kernelBitsOfLine, mappingFromBytes, MAPS_LINE, MAPS_LINE_ANYWHERE, nameKind, parseMapsLine } from './maps-line.js';
import type { Mapping } from '../model/maps.js';
import type { AuxvDump, BlockEvidence, Bundle, Capture, DiagnosticCode, KernelMark, MapsBlock, NrCpusMark } from '../model/capture.js';
import {
  BORING_TABLE, createScanner, F_DEV, F_END, F_FILE_DEV, F_FILE_INODE, F_INODE, F_PREV_E, F_PREV_S, F_START, FLAG_BITS32, FLAG_BITS64,
  FLAG_FIRST_FILE_SEEN, FLAG_HAS_PREV, FLAG_SIZES_FULL, FLAG_TRIPLETS_FULL, I_BITS, I_BORING, I_DIGITS, I_END_DIGITS,
  I_FILE_NAME_LENGTH, I_FLAGS, I_LAST_END, I_LAST_START, I_LINE_END, I_LINE_START, I_LOADER_LENGTHS, I_LOADERS, I_NAME_AT, I_NOT_KEPT,
  I_PERMS, I_TRIPLET_LENGTHS, I_TRIPLETS, I_UNNAMED_EXEC, INPUT_BASE, LOADER_TEXT, MAX_TABLE_SIZES, SCAN_WINDOW, TRIPLET_MAX, TRIPLET_TEXT, type Scanner,
} from './scan.js';
import { LavaAwareInput } from './lava.js';
import { Diagnostics } from './diagnostics.js';
import { KeepTable, PERMS, permBitsOf, RetentionCounts, type KeepRule, type LightMapping } from './retention.js';
import { collectLoader, collectTriplets, collectTripletsInBytes, MAX_TRIPLETS } from './path-facts.js';
import { bundleBegin, type OpenBundle } from './bundle.js';
import { parseAuxvText } from './auxv.js';
import { isKernelLogLine, labelOf, prefixKind, printkStampAt, printkStampHere, stripAnsi, stripCarriageReturns, nrCpusOf, unameOf } from './console.js';
import { KEEP_BOUNDS, MAX_AUXV_TEXT, MAX_LINE_BYTES, MAX_NUL_BYTES, MAX_PROCESSES, WASM_BELOW, type KeepBounds } from './limits.js';


const LOW18 = 0x3ffff;
const low18 = (v: number | bigint): number => (typeof v === 'number' ? v & LOW18 : Number(v & 0x3ffffn)); // & on a double < 2^53 is exact mod 2^32
const sizeOf = (start: number | bigint, end: number | bigint): number | bigint =>
  (typeof start === 'number' && typeof end === 'number' ? end - start : BigInt(end) - BigInt(start));

export interface ReaderOptions {
  file?: string;
  /** Skipped lines and every clean-up become errors. */
  strict?: boolean;
  /**
   * Keep only mappings this accepts (plus their immediate neighbours, within `bounds`); default
   * keeps all. It sees the quick scan of a line (kind and perms) so that lines not kept are never
   * fully decoded: that is what keeps a million-line capture cheap. It is asked once per kind and
   * perms (retention.ts KeepTable), and the byte scanner works from the same answers.
   */
  keep?: KeepRule;
  /**
   * Which byte scanner reads large inputs: 'wasm' (scan.wat) once the input or a range of it
   * reaches WASM_BELOW bytes, 'js' never, 'always-wasm' for every range (tests compare the two).
   */
  scanner?: 'wasm' | 'js' | 'always-wasm';
  /** Bounds on what a keep filter may retain per block (defaults: KEEP_BOUNDS). */
  bounds?: KeepBounds;
}

/** Exact ordering key for a hex address: a number below 2^52, a bigint above. */
const hexKey = (h: string): number | bigint => (h.length <= EXACT_HEX ? parseInt(h, 16) : BigInt('0x' + h));

const MAPS_HEAD = /^[0-9a-f]/;
const OD_LINE = /^[0-9a-f]{6,8}(?: [0-9a-f]{8}| [0-9a-f]{16})*$/;
const LD_AUXV_LINE = /^AT_[A-Z0-9_?]+(?: \(0x[0-9a-f]+\))?:?\s+\S/;
const SMAPS_FIELD = /^[A-Z][A-Za-z0-9_]*:\s/; // "Size:  4 kB", "VmFlags: rd ex" (smaps)

export class CaptureReader {
  private readonly opts: ReaderOptions;
  private readonly file: string;
  private readonly bounds: KeepBounds;
  private lineNo = 0;
  private pending = '';
  // Bytes of an unfinished line (copies: chunks may be reused by the caller once writeBytes returns).
  private parts: Buffer[] = [];
  private partsLen = 0;
  /** Inside a line longer than MAX_LINE_BYTES: dropping bytes until its newline. */
  private skippingLong = false;
  private bytesSeen = 0;
  private nulCount = 0;
  private readonly blocks: MapsBlock[] = [];
  private readonly auxvBlocks: AuxvDump[] = [];
  private readonly diagnostics: Diagnostics;
  private cur?: MapsBlock;
  private curAux?: AuxvDump;
  // Last mapping seen in the block, kept or not, as plain fields (no allocation per line):
  // addresses as doubles (exact below 2^53), or bigints when a line printed more than 13 digits.
  private hasPrev = false;
  private prevS = 0;
  private prevE = 0;
  private prevBig = false;
  private prevSB = 0n;
  private prevEB = 0n;
  private prevLine = 0;
  private prevStr?: string;
  private prevBuf?: Buffer;
  private prevAt = 0;
  private prevTo = 0;
  private prevKept = false;
  private keepNext = false;
  // Per-block retention counts for the bounds.
  private readonly retained: RetentionCounts;
  private context?: string; // label candidate for the next block
  private interleavedSince?: number;
  private readonly bundles: Bundle[] = [];
  private bundle?: OpenBundle;
  private curAuxBytes = 0;
  private tooMany?: { line: number; what: string };
  private readonly kernelMarks: KernelMark[] = [];
  private readonly nrCpusMarks: NrCpusMark[] = [];
  /** The open bundle's header as a mark (its uname-r and uname-m lines fill one). */
  private bundleMark?: KernelMark;
  // The current line when it was scanned from bytes (decoded only if it is kept).
  private lineBuf?: Buffer;
  private lineS = 0;
  private lineE = 0;
  /** Where the name starts in lineBuf (-1: anonymous), and how many hex digits the start had. */
  private lineName = -1;
  private lineDigits = 0;
  private lineText?: string;
  private lineRawName?: string;
  /** Device, inode and name length of the last file-backed line (triplets are looked for once per file). */
  private fileDev = -1;
  private fileInode = -1;
  private fileNameLength = -1;
  private readonly scratch: LightMapping = { perms: '', kind: 'anonymous', permBits: 0 };
  private readonly keepTable?: KeepTable;
  private readonly byteLine: ByteLine = newByteLine();
  /** The next '[' at or after the last name scanned in bracketBuf (its length: none). */
  private nextBracket = 0;
  private bracketBuf?: Buffer;
  /** The start of a maps line a kernel message cut in two on the console, waiting for its rest. */
  private splitHead?: { text: string; line: number };
  /** The WebAssembly scanner once a large range came (null: not usable here). */
  private scanner?: Scanner | null;
  /** The triplets list last copied into the scanner, and how many it had. */
  private syncedTriplets?: string[];
  private syncedTripletCount = 0;
  /** The same for the loaders (undefined and 0 until the block has one). */
  private syncedLoaders?: string[];
  private syncedLoaderCount = -1;
  private boring?: Uint8Array | null;

  constructor(opts: ReaderOptions = {}) {
    this.opts = opts;
    this.file = opts.file ?? '-';
    this.bounds = opts.bounds ?? KEEP_BOUNDS;
    this.retained = new RetentionCounts(this.bounds);
    this.diagnostics = new Diagnostics(this.file, opts.strict === true);
    if (opts.keep) this.keepTable = KeepTable.of(opts.keep);
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
   * Feed raw bytes. Clean maps lines are scanned in place (no string, no bigint per line);
   * anything else — CR, escapes, NULs, prefixes, prompts — goes through the string path, line
   * by line. The chunk is not retained: the caller may reuse it.
   */
  writeBytes(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.countNuls(buf);
    let start = 0;
    if (this.pending !== '') { // text was fed before: finish its line on the string path
      const nl = buf.indexOf(10);
      this.write(buf.toString('latin1', 0, nl < 0 ? buf.length : nl + 1));
      if (nl < 0) return;
      start = nl + 1;
    }
    if (this.partsLen > 0 || this.skippingLong) {
      const nl = buf.indexOf(10, start);
      this.hold(buf, start, nl < 0 ? buf.length : nl + 1);
      if (nl < 0) return;
      if (this.skippingLong) this.longLine();
      else {
        const line = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.partsLen);
        this.parts = []; this.partsLen = 0;
        this.scan(line, 0, line.length);
      }
      start = nl + 1;
    }
    const last = buf.lastIndexOf(10);
    if (last >= start) {
      if (last + 1 - start > MAX_LINE_BYTES) this.scanLinesBounded(buf, start, last + 1);
      else this.scanLines(buf, start, last + 1);
      start = last + 1;
    }
    if (start < buf.length) this.hold(buf, start, buf.length);
    // The previous line may be kept as a neighbour later: own its text before the chunk goes.
    if (this.prevBuf) { this.prevStr = this.prevBuf.toString('latin1', this.prevAt, this.prevTo); this.prevBuf = undefined; }
  }

  /**
   * Lines of b[s, e) (e just past a newline), skipping those longer than MAX_LINE_BYTES with
   * their newline, as a pipe's chunks skip them: the same bytes read whole or in chunks give the
   * same capture. Linear: runs of lines at most MAX_LINE_BYTES long go to scanLines.
   */
  private scanLinesBounded(b: Buffer, s: number, e: number): void {
    while (s < e) {
      const nl = e - s > MAX_LINE_BYTES ? b.lastIndexOf(10, s + MAX_LINE_BYTES - 1) : e - 1;
      if (nl >= s) { this.scanLines(b, s, nl + 1); s = nl + 1; continue; }
      this.longLine();
      s = b.indexOf(10, s + MAX_LINE_BYTES) + 1;
    }
  }

  /** A line of the input that is not the target's (a LAVA dispatcher entry): counted, not read. */
  skipLine(): void { this.lineNo++; }

  /** Binary input (a device, an image given as a capture) ends the read quickly. */
  private countNuls(buf: Buffer): void {
    for (let z = buf.indexOf(0); z >= 0; z = buf.indexOf(0, z + 1)) {
      if (++this.nulCount >= MAX_NUL_BYTES) {
        throw new InputError(`not a text capture: ${MAX_NUL_BYTES} NUL bytes (binary data)`, { file: this.file, offset: BigInt(this.bytesSeen + z) });
      }
    }
    this.bytesSeen += buf.length;
  }

  /** Keep bytes [s, e) of an unfinished line; past MAX_LINE_BYTES the line is dropped. */
  private hold(buf: Buffer, s: number, e: number): void {
    if (this.skippingLong || e <= s) return;
    if (this.partsLen + (e - s) > MAX_LINE_BYTES) { this.parts = []; this.partsLen = 0; this.skippingLong = true; return; }
    this.parts.push(Buffer.from(buf.subarray(s, e)));
    this.partsLen += e - s;
  }

  private longLine(): void {
    this.skippingLong = false;
    const n = ++this.lineNo;
    this.note('long-line', n, `a line longer than ${MAX_LINE_BYTES >> 20} MiB was skipped (not a maps line)`);
    this.other('', n);
  }

  /**
   * A maps line scanned from bytes at s; returns the index of its newline, or -1 (nothing
   * consumed) when it is not a clean maps line (the string path then decides).
   */
  private fastLine(b: Buffer, s: number, bad: number): number {
    if ((!this.cur && this.curAux) || this.splitHead) return -1;
    const f = this.byteLine;
    if (!readMapsLineBytes(b, s, f)) return -1;
    const e = f.lineEnd; const nameAt = f.nameAt;
    if (bad < e) return -1;
    // A printk stamp inside the name: a console line a kernel message cut into (the string path).
    // The next '[' of the buffer is remembered: one search per '[', not one per line to the end.
    if (nameAt >= 0) {
      let k = this.nextBracket;
      if (this.bracketBuf !== b || k < nameAt) { k = b.indexOf(91, nameAt); if (k < 0) k = b.length; this.bracketBuf = b; }
      for (; k < e; k = b.indexOf(91, k + 1), k = k < 0 ? b.length : k) {
        if (printkStampHere(b.toString('latin1', k, Math.min(e, k + 40)))) { this.nextBracket = k; return -1; }
      }
      this.nextBracket = k;
    }
    this.cleanLine(b, s, e, f.start, f.end, f.digits, f.endDigits, f.permBits, nameAt, f.dev, f.inode);
    return e;
  }

  /** A clean maps line b[s, e) scanned from bytes (by fastLine or by the WebAssembly scanner). */
  private cleanLine(b: Buffer, s: number, e: number, start: number, end: number, digits: number, endDigits: number,
    permBits: number, nameAt: number, dev: number, inode: number): void {
    const n = ++this.lineNo;
    if (this.curAux) this.closeAux();
    const perms = PERMS[permBits];
    this.lineBuf = b; this.lineS = s; this.lineE = e; this.lineName = nameAt; this.lineDigits = digits; this.lineText = undefined;
    // One scratch record per reader: keep() must decide, not hold on to it.
    const light = this.scratch;
    light.perms = perms;
    light.permBits = permBits;
    light.rawName = nameAt >= 0 && b[nameAt] === 91 ? b.toString('latin1', nameAt, e) : undefined; // '['
    light.kind = nameAt < 0 ? 'anonymous' : light.rawName !== undefined ? nameKind(light.rawName) : 'file';
    const blk = this.cur;
    const keep = this.keepTable;
    if (digits > EXACT_HEX || endDigits > EXACT_HEX || blk === undefined || keep === undefined || this.prevBig || this.interleavedSince !== undefined) {
      const es = s + digits + 1;
      this.mapping(digits > EXACT_HEX ? bigHex(b, s, s + digits) : start, endDigits > EXACT_HEX ? bigHex(b, es, es + endDigits) : end, light, n);
      return;
    }
    // The common line of a huge capture: bookkeeping on plain numbers, nothing decoded.
    blk.total++;
    blk.lastLine = n;
    const ev = blk.evidence;
    ev.boundaryBits |= (start & LOW18) | (end & LOW18); // & on a double < 2^53 is exact mod 2^32
    if (nameAt < 0) { if (permBits & 2) blk.unnamedExec++; }
    else if (light.kind === 'stack') ev.stackEnd = BigInt(end);
    else if (light.kind === 'file') {
      if (ev.firstFileStart === undefined) ev.firstFileStart = BigInt(start);
      if (ev.triplets.length < MAX_TRIPLETS && this.newFile(dev, inode, e - nameAt)) this.triplets(ev.triplets, ev);
    }
    if (end <= start) this.noteBadRange(start, end, n);
    if (this.hasPrev && start < this.prevE) this.noteOrder(start, end, n);
    if (keep.keeps(light.kind, perms, permBits) && this.withinBounds(light, start, end, blk, n)) this.keepLine(blk, n, true);
    else if (this.keepNext) this.keepLine(blk, n, false);
    else this.prevKept = false;
    if (blk.kernelBits !== 64) this.kernelBitsOf(blk, end, this.prevKept ? blk.mappings[blk.mappings.length - 1] : undefined, n);
    this.hasPrev = true; this.prevBig = false; this.prevS = start; this.prevE = end; this.prevLine = n;
    this.prevStr = undefined; this.prevBuf = b; this.prevAt = s; this.prevTo = e;
  }

  /** Lines in [from, to), each ending in '\n': large ranges through the WebAssembly scanner. */
  private scanLines(b: Buffer, from: number, to: number): void {
    const mode = this.opts.scanner ?? 'wasm';
    // Large ranges, or any range once the input has proven large (a pipe delivers 64 KiB at a time).
    const small = to - from < WASM_BELOW && this.bytesSeen < WASM_BELOW;
    if (mode === 'js' || (mode === 'wasm' && small) || this.bounds.sizes > MAX_TABLE_SIZES || this.boringTable() === null) {
      this.scan(b, from, to);
      return;
    }
    if (this.scanner === undefined) {
      const created = createScanner();
      // The bounds so far in this block, for the module's size table.
      if (created) for (const [size, seen] of this.retained.perSize) if (typeof size === 'number') created.markSize(size, seen < this.bounds.perSize ? 1 : 2);
      this.scanner = created ?? null;
    }
    const sc = this.scanner;
    if (sc === null) { this.scan(b, from, to); return; }
    const table = this.boringTable()!;
    while (from < to) {
      // A window of whole lines (or one line longer than a window).
      let wEnd = to;
      if (to - from > SCAN_WINDOW) {
        wEnd = b.lastIndexOf(10, from + SCAN_WINDOW - 1) + 1;
        if (wEnd <= from) wEnd = b.indexOf(10, from) + 1;
      }
      sc.load(b, from, wEnd);
      sc.bytes.set(table, BORING_TABLE);
      this.scan(sc.bytes, INPUT_BASE, INPUT_BASE + (wEnd - from), sc);
      // The window's memory is rewritten next: the previous line owns its text from here.
      if (this.prevBuf === sc.bytes) { this.prevStr = this.prevBuf.toString('latin1', this.prevAt, this.prevTo); this.prevBuf = undefined; }
      from = wEnd;
    }
  }

  /** The block's triplets into the scanner (one longer than its slot never matches there: this reader then decides). */
  private syncTriplets(sc: Scanner, triplets: string[]): void {
    for (let t = 0; t < triplets.length && t < MAX_TRIPLETS; t++) {
      const text = triplets[t];
      sc.i32[I_TRIPLET_LENGTHS + t] = text.length <= TRIPLET_MAX ? text.length : -1;
      if (text.length <= TRIPLET_MAX) sc.bytes.write(text, TRIPLET_TEXT + t * TRIPLET_MAX, 'latin1');
    }
    sc.i32[I_TRIPLETS] = Math.min(triplets.length, MAX_TRIPLETS);
    this.syncedTriplets = triplets; this.syncedTripletCount = triplets.length;
  }

  /** The block's loaders into the scanner, as syncTriplets: a loader it knows is not handed back again. */
  private syncLoaders(sc: Scanner, loaders: string[] | undefined): void {
    const n = loaders?.length ?? 0;
    for (let t = 0; t < n && t < MAX_TRIPLETS; t++) {
      const text = loaders![t];
      sc.i32[I_LOADER_LENGTHS + t] = text.length <= TRIPLET_MAX ? text.length : -1;
      if (text.length <= TRIPLET_MAX) sc.bytes.write(text, LOADER_TEXT + t * TRIPLET_MAX, 'latin1');
    }
    sc.i32[I_LOADERS] = Math.min(n, MAX_TRIPLETS);
    this.syncedLoaders = loaders; this.syncedLoaderCount = n;
  }

  /**
   * For each perms index (r8 w4 x2 s1): 1 when the keep filter takes no anonymous vma with those
   * perms, 0 when it takes them (the bounds decide). null when the scanner cannot stand in for
   * this reader: no keep filter (every line is decoded), or one that keeps file-backed vmas.
   */
  private boringTable(): Uint8Array | null {
    if (this.boring === undefined) this.boring = this.keepTable?.skippableAnonymousPerms() ?? null;
    return this.boring;
  }

  /**
   * Lines in b[from, to), each ending in '\n'. With a scanner, b is its memory: boring lines are
   * counted there, the rest read here; without, every line is read here.
   */
  private scan(b: Buffer, from: number, to: number, sc?: Scanner): void {
    this.bracketBuf = undefined; // buffers are reused: the remembered '[' is for this range only
    // CR, ESC and NUL send a line to the string path; find each once per chunk, not per line.
    let nextCr = b.indexOf(13, from); if (nextCr < 0 || nextCr >= to) nextCr = to;
    let nextEsc = b.indexOf(27, from); if (nextEsc < 0 || nextEsc >= to) nextEsc = to;
    let nextNul = this.nulCount ? b.indexOf(0, from) : to; if (nextNul < 0 || nextNul >= to) nextNul = to;
    let bad = Math.min(nextCr, nextEsc, nextNul);
    let s = from;
    while (s < to) {
      if (bad < s) {
        if (nextCr < s) { nextCr = b.indexOf(13, s); if (nextCr < 0 || nextCr >= to) nextCr = to; }
        if (nextEsc < s) { nextEsc = b.indexOf(27, s); if (nextEsc < 0 || nextEsc >= to) nextEsc = to; }
        if (nextNul < s) { nextNul = b.indexOf(0, s); if (nextNul < 0 || nextNul >= to) nextNul = to; }
        bad = Math.min(nextCr, nextEsc, nextNul);
      }
      const blk = this.cur;
      if (sc !== undefined && blk !== undefined && this.curAux === undefined && !this.prevBig && this.interleavedSince === undefined && this.splitHead === undefined) {
        const f64 = sc.f64; const i32 = sc.i32;
        const ev = blk.evidence;
        f64[F_PREV_E] = this.hasPrev ? this.prevE : 0;
        f64[F_FILE_DEV] = this.fileDev; f64[F_FILE_INODE] = this.fileInode; i32[I_FILE_NAME_LENGTH] = this.fileNameLength;
        i32[I_FLAGS] = (this.hasPrev ? FLAG_HAS_PREV : 0) | (ev.firstFileStart !== undefined ? FLAG_FIRST_FILE_SEEN : 0)
          | (ev.triplets.length >= MAX_TRIPLETS ? FLAG_TRIPLETS_FULL : 0) | (blk.kernelBits === 64 ? FLAG_BITS64 : blk.kernelBits === 32 ? FLAG_BITS32 : 0)
          | (this.retained.sizesFull ? FLAG_SIZES_FULL : 0);
        if (this.syncedTriplets !== ev.triplets || this.syncedTripletCount !== ev.triplets.length) this.syncTriplets(sc, ev.triplets);
        if (this.syncedLoaders !== ev.loaders || this.syncedLoaderCount !== (ev.loaders?.length ?? 0)) this.syncLoaders(sc, ev.loaders);
        const status = sc.scan(s, to, bad, this.keepNext ? 1 : 0);
        this.fileDev = f64[F_FILE_DEV]; this.fileInode = f64[F_FILE_INODE]; this.fileNameLength = i32[I_FILE_NAME_LENGTH];
        const boring = i32[I_BORING];
        if (boring > 0) {
          this.lineNo += boring;
          blk.total += boring;
          blk.notKept += i32[I_NOT_KEPT];
          blk.unnamedExec += i32[I_UNNAMED_EXEC];
          blk.lastLine = this.lineNo;
          ev.boundaryBits |= i32[I_BITS];
          this.hasPrev = true; this.prevBig = false; this.prevS = f64[F_PREV_S]; this.prevE = f64[F_PREV_E]; this.prevLine = this.lineNo;
          this.prevStr = undefined; this.prevBuf = b; this.prevAt = i32[I_LAST_START]; this.prevTo = i32[I_LAST_END];
          this.prevKept = false;
        }
        if (status === 0) return;
        if (status === 1) {
          const e = i32[I_LINE_END];
          this.cleanLine(b, i32[I_LINE_START], e, f64[F_START], f64[F_END], i32[I_DIGITS], i32[I_END_DIGITS], i32[I_PERMS], i32[I_NAME_AT], f64[F_DEV], f64[F_INODE]);
          s = e + 1;
          continue;
        }
        s = i32[I_LINE_START];
      }
      let e = this.fastLine(b, s, bad);
      if (e < 0) {
        e = b.indexOf(10, s);
        if (e - s > MAX_LINE_BYTES) this.longLine();
        else this.line(b.toString('latin1', s, e));
      }
      s = e + 1;
    }
  }

  end(): Capture {
    if (this.skippingLong) this.longLine();
    else if (this.partsLen > 0) {
      const rest = Buffer.concat(this.parts, this.partsLen);
      this.parts = []; this.partsLen = 0;
      this.write(rest.toString('latin1'));
    }
    if (this.pending !== '') {
      this.note('no-final-newline', this.lineNo + 1, 'input does not end with a newline');
      this.line(this.pending);
      this.pending = '';
    }
    if (this.splitHead) { const h = this.splitHead; this.splitHead = undefined; this.body(h.text, h.line); }
    this.closeBlock();
    this.closeAux();
    this.closeBundle(false);
    return {
      file: this.file, blocks: this.blocks, auxvBlocks: this.auxvBlocks, bundles: this.bundles,
      kernelMarks: this.kernelMarks, nrCpusMarks: this.nrCpusMarks, diagnostics: this.diagnostics.list(), lineCount: this.lineNo,
      tooManyProcesses: this.tooMany,
    };
  }

  private note(code: DiagnosticCode, line: number, message: string, otherLine?: number): void {
    this.diagnostics.note(code, line, message, otherLine);
  }

  private line(raw: string): void {
    let n = ++this.lineNo;
    let text = raw;
    if (text.includes('\r')) {
      const cr = stripCarriageReturns(text);
      text = cr.text;
      if (cr.crlf) this.note('crlf', n, 'CRLF line endings removed');
    }
    if (text.includes('\x1b')) {
      text = stripAnsi(text);
      this.note('ansi', n, 'ANSI escape sequences removed');
    }
    // A kernel message the console printed in the middle of a maps line: the line's start, the
    // message (ending the console line), the line's rest on the next console line. The start is
    // held, further messages skipped, and the rest joined to it.
    const head = this.splitHead;
    if (head !== undefined) {
      if (isKernelLogLine(text)) { this.note('interleaved', n, 'kernel log lines interleaved inside a maps block were skipped'); return; }
      this.splitHead = undefined;
      // Joined when that makes a maps line and the two are not whole maps lines each.
      if (MAPS_LINE.test(head.text + text) && !(MAPS_LINE.test(head.text) && MAPS_LINE.test(text))) { text = head.text + text; n = head.line; }
      else this.body(head.text, head.line);
    }
    if ((this.cur || this.bundle?.section === 'maps') && text.includes('[') && MAPS_HEAD.test(text)) {
      const stamp = printkStampAt(text);
      if (stamp > 0) {
        this.splitHead = { text: text.slice(0, stamp), line: n };
        this.note('interleaved', n, 'a kernel message printed inside a maps line was cut out');
        return;
      }
    }
    this.body(text, n);
  }

  /** A line cleaned of CRs, escapes and interleaved kernel messages. */
  private body(text: string, n: number): void {
    let body = text;
    let q = MAPS_LINE.exec(body);
    if (!q) {
      const at = text.search(MAPS_LINE_ANYWHERE);
      if (at > 0) {
        const prefix = text.slice(0, at);
        const rest = text.slice(at);
        q = MAPS_LINE.exec(rest);
        if (q) {
          body = rest;
          const kind = prefixKind(prefix);
          if (kind === 'kernel-log-prefix') this.note(kind, n, `kernel log prefix removed (e.g. ${JSON.stringify(prefix)})`);
          else if (kind === 'syslog-prefix') this.note(kind, n, `syslog level prefix removed (e.g. ${JSON.stringify(prefix)})`);
          else this.note(kind, n, `line prefix removed (e.g. ${JSON.stringify(prefix.slice(0, 40))})`);
        }
      }
    }
    if (q) {
      this.closeAux();
      const perms = q[3];
      // Four characters (MAPS_LINE): none of the 16 Linux prints is some character outside [r-][w-][x-][ps].
      const permBits = permBitsOf(perms);
      if (permBits < 0) this.note('odd-perms', n, `unusual permission characters ${JSON.stringify(perms)} (Linux prints [r-][w-][x-][ps])`);
      const rawName = q[9] === undefined || q[9] === '' ? undefined : q[9];
      if (q[8] === undefined) this.note('no-trailing-space', n, 'anonymous mapping line without the trailing space after the inode (trailing blanks stripped, as mail, Markdown and forums do)');
      this.lineBuf = undefined; this.lineText = body; this.lineRawName = rawName;
      this.mapping(hexKey(q[1]), hexKey(q[2]), { perms, rawName, kind: nameKind(rawName), permBits }, n);
      return;
    }
    this.other(text, n);
  }

  /** The current line's text (decoded from bytes only when needed). */
  private currentText(): string {
    return this.lineText ?? (this.lineText = this.lineBuf!.toString('latin1', this.lineS, this.lineE));
  }

  private full(text: string, n: number): Mapping {
    const p = parseMapsLine(text, n);
    if (!p) throw new InputError('maps line passed the quick scan but not the parser', { file: this.file, line: n, column: 1 });
    return p.mapping;
  }
  /** The Mapping of the line b[s, e) (a '\n' at e) that the byte path read: from its bytes, no regex. */
  private fullAt(b: Buffer, s: number, e: number, n: number): Mapping {
    return mappingFromBytes(b, s, n) ?? this.full(b.toString('latin1', s, e), n);
  }

  /** Within the retention bounds: count the line against its name or size. */
  private withinBounds(light: LightMapping, start: number | bigint, end: number | bigint, b: MapsBlock, n: number): boolean {
    const name = light.kind === 'anonymous' ? undefined : light.rawName ?? this.nameOfLine();
    const size = name === undefined ? sizeOf(start, end) : 0;
    const count = this.retained.admit(name, size);
    if (count === 0) {
      b.notKept++;
      // Unnamed ones are routine (JIT code); repeated names are worth a word.
      const bounds = this.bounds;
      if (name !== undefined) this.note('not-kept', n, `more than ${bounds.perName} lines of one name (or ${bounds.names} names): the rest were not kept, e.g. ${name.slice(0, 60)}`);
      return false;
    }
    if (name === undefined && this.scanner && typeof size === 'number') this.scanner.markSize(size, count < this.bounds.perSize ? 1 : 2);
    return true;
  }

  private nameOfLine(): string {
    if (this.lineBuf === undefined) return this.lineRawName ?? '';
    return this.lineName < 0 ? '' : this.lineBuf.toString('latin1', this.lineName, this.lineE);
  }

  /**
   * Whether this file-backed line maps another file than the file-backed line before it (device,
   * inode and name length differ): a file's consecutive vmas are searched for a triplet once.
   */
  private newFile(dev: number, inode: number, nameLength: number): boolean {
    if (dev === this.fileDev && inode === this.fileInode && nameLength === this.fileNameLength) return false;
    this.fileDev = dev; this.fileInode = inode; this.fileNameLength = nameLength;
    return true;
  }

  /** newFile() for a line the general path took: device and inode re-read from its text. */
  private newFileOfLine(): boolean {
    const m = MAPS_LINE.exec(this.lineBuf === undefined ? this.lineText! : this.currentText());
    if (!m) return true;
    const name = this.nameOfLine();
    let inode = 0;
    for (let k = 0; k < m[7].length; k++) inode = inode * 10 + (m[7].charCodeAt(k) - 48); // as the byte scan computes it
    return this.newFile(parseInt(m[5], 16) * 1048576 + parseInt(m[6], 16), inode, name.length);
  }

  /** Arch triplets in the current file-backed line: each "-linux-" in its name, in place. */
  private triplets(into: string[], ev?: BlockEvidence): void {
    if (ev) collectLoader(this.lineBuf ? this.nameOfLine() : this.lineRawName ?? this.currentText(), ev);
    const b = this.lineBuf;
    if (!b) { collectTriplets(this.lineRawName ?? this.currentText(), into); return; }
    collectTripletsInBytes(b, this.lineName, this.lineE, into);
  }

  private mapping(start: number | bigint, end: number | bigint, light: LightMapping, n: number): void {
    let b = this.cur;
    if (!b) {
      b = this.cur = { index: this.blocks.length, firstLine: n, lastLine: n, label: this.context, mappings: [], total: 0, unnamedExec: 0, notKept: 0, evidence: { boundaryBits: 0, triplets: [] } };
      this.hasPrev = false; this.prevKept = false; this.keepNext = false;
      this.retained.clear(); this.scanner?.clearSizes();
      this.fileDev = -1; this.fileInode = -1; this.fileNameLength = -1;
    }
    if (this.interleavedSince !== undefined) {
      this.note('interleaved', this.interleavedSince, 'kernel log lines interleaved inside a maps block were skipped');
      this.interleavedSince = undefined;
    }
    b.total++;
    b.lastLine = n;
    const ev = b.evidence;
    ev.boundaryBits |= low18(start) | low18(end);
    if (light.kind === 'file') {
      if (ev.firstFileStart === undefined) ev.firstFileStart = BigInt(start);
      if (ev.triplets.length < MAX_TRIPLETS && this.newFileOfLine()) this.triplets(ev.triplets, ev);
    } else if (light.kind === 'anonymous' && light.perms.charCodeAt(2) === 120) b.unnamedExec++;
    else if (light.kind === 'stack') ev.stackEnd = BigInt(end);
    if (end <= start) this.noteBadRange(start, end, n);
    if (this.hasPrev && start < (this.prevBig ? this.prevEB : this.prevE)) this.noteOrder(start, end, n);
    const keep = this.keepTable;
    if (!keep || (keep.keeps(light.kind, light.perms, light.permBits) && this.withinBounds(light, start, end, b, n))) this.keepLine(b, n, true);
    else if (this.keepNext) this.keepLine(b, n, false);
    else this.prevKept = false;
    if (b.kernelBits !== 64) this.kernelBitsOf(b, end, b.mappings.length && this.prevKept ? b.mappings[b.mappings.length - 1] : undefined, n);
    this.hasPrev = true; this.prevLine = n;
    if (typeof start === 'number' && typeof end === 'number') { this.prevBig = false; this.prevS = start; this.prevE = end; }
    else { this.prevBig = true; this.prevSB = BigInt(start); this.prevEB = BigInt(end); }
    if (this.lineBuf === undefined) { this.prevStr = this.lineText; this.prevBuf = undefined; }
    else { this.prevStr = undefined; this.prevBuf = this.lineBuf; this.prevAt = this.lineS; this.prevTo = this.lineE; }
  }

  /** Keep the current line (and, when it is kept for itself, the line before it as a neighbour). */
  private keepLine(b: MapsBlock, n: number, forItself: boolean): void {
    if (forItself && this.hasPrev && !this.prevKept && this.opts.keep) {
      b.mappings.push(this.prevStr !== undefined ? this.full(this.prevStr, this.prevLine) : this.fullAt(this.prevBuf!, this.prevAt, this.prevTo, this.prevLine));
    }
    b.mappings.push(this.lineBuf === undefined ? this.full(this.currentText(), n) : this.fullAt(this.lineBuf, this.lineS, this.lineE, n));
    this.prevKept = true;
    this.keepNext = forItself;
  }

  private kernelBitsOf(b: MapsBlock, end: number | bigint, kept: Mapping | undefined, n: number): void {
    let bits: 32 | 64 | undefined;
    if (end > 0xffffffff) bits = 64;
    else if (kept) bits = kernelBitsOfLine(kept);
    else if (this.lineBuf === undefined) bits = kernelBitsOfLine(this.full(this.currentText(), n));
    else if (this.lineDigits > 8) bits = 64;
    else {
      // Only a name at column 49 or 73 can tell; other lines say nothing (kernelBitsOfLine).
      const col = this.lineName - this.lineS;
      if (this.lineName >= 0 && (col === 49 || col === 73)) bits = kernelBitsOfLine(this.fullAt(this.lineBuf, this.lineS, this.lineE, n));
    }
    if (bits !== undefined) b.kernelBits = bits;
  }

  private noteBadRange(start: number | bigint, end: number | bigint, n: number): void {
    this.note('bad-range', n, `mapping ${start.toString(16)}-${end.toString(16)} does not end above its start`);
  }

  private noteOrder(start: number | bigint, end: number | bigint, n: number): void {
    const ps = this.prevBig ? this.prevSB : this.prevS;
    const pe = this.prevBig ? this.prevEB : this.prevE;
    if (start < ps) this.note('unsorted', n, `mapping at ${start.toString(16)} comes after ${ps.toString(16)} (line ${this.prevLine}): maps is sorted by address`, this.prevLine);
    else this.note('overlap', n, `mapping ${start.toString(16)}-${end.toString(16)} overlaps ${ps.toString(16)}-${pe.toString(16)} (line ${this.prevLine})`, this.prevLine);
  }

  private other(text: string, n: number): void {
    const t = text.trim();
    if (this.bundleLine(t, n)) return;
    // A kernel message printed on the console in the middle of a maps dump does not end it.
    if (this.cur && isKernelLogLine(text)) {
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
      if (!this.curAux) { this.curAux = { firstLine: n, label: this.context, lines: [] }; this.curAuxBytes = 0; }
      // Past what an aux vector dump can be, its lines are counted, not kept: memory stays flat.
      this.curAuxBytes += t.length + 1;
      if (this.curAuxBytes > MAX_AUXV_TEXT) { this.curAux.oversized = true; this.curAux.lines = []; } else this.curAux.lines.push(t);
      return;
    }
    this.closeAux();
    if (t === '') return;
    if (this.opts.strict) this.note('skipped', n, `not a maps line: ${JSON.stringify(t.slice(0, 60))}`);
    this.scanContext(t, n);
    const label = labelOf(t);
    if (label !== undefined) this.context = label;
  }

  private scanContext(t: string, n: number): void {
    const nrCpus = nrCpusOf(t);
    if (nrCpus !== undefined) {
      if (this.nrCpusMarks.length < MAX_PROCESSES) this.nrCpusMarks.push({ line: n, nrCpus });
      return;
    }
    const u = unameOf(t);
    if (!u) return;
    this.mark({ line: n, release: u.release, machine: u.machine, banner: u.machine === undefined, upstream: u.upstream });
  }

  /** A place the log names its kernel (bounded as the processes are: past it, the last ones are not kept). */
  private mark(m: KernelMark): void {
    if (this.kernelMarks.length < MAX_PROCESSES) this.kernelMarks.push(m);
  }

  /** Bundle markers and the od byte dumps inside a bundle. True when the line was consumed. */
  private bundleLine(t: string, n: number): boolean {
    const begun = bundleBegin(t, n, this.file);
    if (begun) {
      this.closeBlock(); this.closeAux(); this.closeBundle(false);
      this.bundle = begun;
      this.bundleMark = undefined;
      return true;
    }
    const b = this.bundle;
    if (!b) return false;
    const ev = b.line(t, n);
    switch (ev.kind) {
      case 'none': return false;
      case 'end': this.closeBlock(); this.closeBundle(true); return true;
      case 'maps': this.context = 'bundle'; return true;
      case 'auxv': this.closeBlock(); return true;
      case 'uname-r': case 'uname-m': {
        // A machine alone names no kernel; the release makes the mark, the machine joins it.
        if (b.unameR === undefined) return true;
        if (this.bundleMark) { this.bundleMark.release = b.unameR; this.bundleMark.machine = b.unameM; return true; }
        this.bundleMark = { line: n, release: b.unameR, machine: b.unameM, banner: false };
        this.mark(this.bundleMark);
        return true;
      }
      case 'interleaved': this.note('interleaved', n, 'kernel log lines inside a bundle were skipped'); return true;
      default: return true;
    }
  }

  private closeBundle(complete: boolean): void {
    const b = this.bundle;
    if (!b) return;
    this.bundle = undefined;
    if (this.bundles.length >= MAX_PROCESSES) { this.tooMany ??= { line: b.firstLine, what: 'bundles' }; return; }
    const mapsBlock = this.blocks.findIndex((x) => x.label === 'bundle' && x.firstLine > b.firstLine);
    this.bundles.push(b.close(complete, mapsBlock >= 0 ? mapsBlock : undefined));
  }

  private closeBlock(): void {
    if (!this.cur) return;
    this.interleavedSince = undefined;
    if (this.blocks.length < MAX_PROCESSES) this.blocks.push(this.cur);
    else this.tooMany ??= { line: this.cur.firstLine, what: 'maps blocks' };
    this.cur = undefined;
    this.context = undefined;
  }

  private closeAux(): void {
    const dump = this.curAux;
    if (!dump) return;
    if (this.auxvBlocks.length < MAX_PROCESSES) {
      if (!dump.oversized) {
        try { dump.auxv = parseAuxvText(dump.lines.join('\n'), { file: this.file }); } catch (e) { dump.unreadable = (e as Error).message; }
      }
      this.auxvBlocks.push(dump);
    } else this.tooMany ??= { line: dump.firstLine, what: 'aux vector dumps' };
    this.curAux = undefined;
    this.context = undefined;
  }
}

/** Whole-text convenience wrapper (tests, small inputs). */
export function readCapture(text: string, opts: ReaderOptions = {}): Capture {
  const r = new LavaAwareInput(new CaptureReader(opts), opts.file); // a LAVA job log is unwrapped (src/capture/lava.ts)
  r.write(text);
  return r.end();
}

/** A capture read whole as bytes (a small file): no promise, no chunking. */
export function readCaptureBytes(bytes: Uint8Array, opts: ReaderOptions = {}): Capture {
  const r = new LavaAwareInput(new CaptureReader(opts), opts.file);
  r.writeBytes(bytes);
  return r.end();
}

/** Stream a readable (file or stdin) through the reader. */
export async function readCaptureStream(stream: AsyncIterable<string | Buffer>, opts: ReaderOptions = {}): Promise<Capture> {
  const r = new LavaAwareInput(new CaptureReader(opts), opts.file);
  for await (const chunk of stream) {
    if (typeof chunk === 'string') r.write(chunk);
    else r.writeBytes(chunk);
  }
  return r.end();
}
