// Reading a capture bundle (its format: bundle-format.ts) out of the line stream: the header, the
// section markers and the od dumps of the aux vector and the [vdso] bytes. The maps lines between
// @@@MAPS and @@@AUXV are an ordinary maps block (the reader's); this keeps the rest and, when the
// bundle ends, decodes it into a Bundle record (the aux vector parsed, the image bytes whole).
import { InputError } from '../errors.js';
import type { Bundle } from '../model/capture.js';
import { parseAuxvBinary } from './auxv.js';
import {
  BEGIN_LINE, BUNDLE_VERSION, END_LINE, HEADER, HEADER_LINE, OD_BYTES_LINE, SECTION, VDSO_LINE, VDSO_MISSING_LINE,
} from './bundle-format.js';
import { isKernelLogLine, printkStampAt } from './console.js';
import { MAX_AUXV_TEXT, MAX_BUNDLE_VDSO } from './limits.js';

/** Bytes appended one at a time into a growing Uint8Array, at most `cap` (past it: `over`). */
class ByteSink {
  private buf = new Uint8Array(256);
  length = 0;
  over = false;
  constructor(private readonly cap: number) {}
  push(v: number): void {
    if (this.length >= this.cap) { this.over = true; return; }
    if (this.length === this.buf.length) { const b = new Uint8Array(this.buf.length * 2); b.set(this.buf); this.buf = b; }
    this.buf[this.length++] = v;
  }
  bytes(): Uint8Array { return this.buf.slice(0, this.length); }
}

type Section = 'header' | 'maps' | 'auxv' | 'vdso' | 'done';

/** What a bundle line means to the reader around it. */
type BundleEvent =
  | { kind: 'none' } // not a bundle line: the reader reads it
  | { kind: 'consumed' }
  | { kind: 'begin' } // a new bundle starts: whatever was open ends
  | { kind: 'end' }
  | { kind: 'maps' } // the maps section starts: its lines are a block labelled 'bundle'
  | { kind: 'auxv' } // the maps section ended
  | { kind: 'uname-r' | 'uname-m'; value: string }
  | { kind: 'interleaved' };

const NONE: BundleEvent = { kind: 'none' };
const CONSUMED: BundleEvent = { kind: 'consumed' };
/** A header line's key, whatever follows it. */
const HEADER_KEY = new RegExp(`^(?:${Object.values(HEADER).join('|')}):`);
/** The headers that size what is expected, each a decimal number the script writes once. */
interface DecimalHeader { key: 'pageSize' | 'kernelMax'; digits: number; expected: string; once: string }
const DECIMAL_HEADERS: readonly DecimalHeader[] = [
  { key: 'pageSize', digits: 7, expected: 'a page size the capture script writes in decimal bytes', once: 'one bundle is one process' },
  // Five digits at most: Kconfig bounds NR_CPUS far below that on every architecture.
  { key: 'kernelMax', digits: 5, expected: '/sys/devices/system/cpu/kernel_max is a decimal number of at most 5 digits (NR_CPUS - 1)', once: 'one bundle is one kernel' },
];
/** A line the bundle format writes (a header, a section marker, an end): never a header's rest. */
const isBundleLine = (t: string): boolean => HEADER_KEY.test(t) || t.startsWith('@@@');

/** An open bundle, its sections as they come. */
export class OpenBundle {
  section: Section = 'header';
  unameR?: string;
  unameM?: string;
  pageSize?: bigint;
  pid?: number;
  /** /sys/devices/system/cpu/kernel_max: NR_CPUS - 1. */
  kernelMax?: number;
  vdsoRange?: [bigint, bigint];
  vdsoMissing?: string;
  /** The first header line that sizes the check (pagesize, kernel-max) but is not as the script writes it, or is said twice. */
  headerProblem?: { line: number; message: string };
  private readonly auxvBytes = new ByteSink(MAX_AUXV_TEXT);
  private readonly vdsoBytes = new ByteSink(MAX_BUNDLE_VDSO);
  /** A header line a kernel message cut (its start, before the message), waiting for its rest. */
  private headerHead?: { text: string; line: number };
  /** Where each decimal header was read (a second one is a problem). */
  private readonly decimalSaid = new Map<DecimalHeader['key'], number>();
  constructor(readonly firstLine: number, readonly version: number) {}

  private problem(line: number, message: string): BundleEvent {
    this.headerProblem ??= { line, message: `bundle header: ${message}` };
    return CONSUMED;
  }

  /** A trimmed line inside the bundle (not its BEGIN), line n of the input. */
  line(t: string, n: number): BundleEvent {
    if (this.section === 'header') {
      // A kernel message the console printed into a header line (as into maps lines): cut out.
      // The header's rest, if the message ended the console line before it, is the next line
      // that is no kernel message and no bundle line of its own.
      const head = this.headerHead;
      if (head) {
        if (isKernelLogLine(t)) return { kind: 'interleaved' };
        this.headerHead = undefined;
        if (t !== '' && !isBundleLine(t)) return this.header(head.text + t, head.line);
        const ev = this.header(head.text, head.line);
        const next = this.line(t, n);
        // The reader marks the kernel on a uname event: kept over a plain consumed line after it.
        return (ev.kind === 'uname-r' || ev.kind === 'uname-m') && (next.kind === 'consumed' || next.kind === 'none') ? ev : next;
      }
      const stamp = t.includes('[') ? printkStampAt(t) : -1;
      if (stamp > 0 && HEADER_KEY.test(t)) {
        this.headerHead = { text: t.slice(0, stamp), line: n };
        return { kind: 'interleaved' };
      }
    }
    return this.lineWhole(t, n);
  }

  private lineWhole(t: string, n: number): BundleEvent {
    if (END_LINE.test(t)) return { kind: 'end' };
    if (t === SECTION.maps) { this.section = 'maps'; return { kind: 'maps' }; }
    if (t === SECTION.auxv) { this.section = 'auxv'; return { kind: 'auxv' }; }
    let m = VDSO_LINE.exec(t);
    if (m) { this.section = 'vdso'; this.vdsoRange = [BigInt('0x' + m[1]), BigInt('0x' + m[2])]; return CONSUMED; }
    if ((m = VDSO_MISSING_LINE.exec(t))) { this.section = 'done'; this.vdsoMissing = m[1] || 'not captured'; return CONSUMED; }
    if (this.section === 'header') return this.header(t, n);
    if (this.section === 'auxv' || this.section === 'vdso') {
      if ((m = OD_BYTES_LINE.exec(t))) {
        const into = this.section === 'auxv' ? this.auxvBytes : this.vdsoBytes;
        if (!into.over) for (const x of m[1].trim().split(' ')) if (x) into.push(parseInt(x, 16));
        return CONSUMED;
      }
      if (isKernelLogLine(t) || t === '') return { kind: 'interleaved' };
    }
    return NONE;
  }

  /** A header line, whole (uname-r, uname-m, pagesize, pid, kernel-max). */
  private header(t: string, n: number): BundleEvent {
    let m: RegExpExecArray | null;
    if ((m = HEADER_LINE.unameR.exec(t))) { this.unameR = m[1] || undefined; return this.unameR ? { kind: 'uname-r', value: this.unameR } : CONSUMED; }
    if ((m = HEADER_LINE.unameM.exec(t))) { this.unameM = m[1] || undefined; return this.unameM ? { kind: 'uname-m', value: this.unameM } : CONSUMED; }
    if ((m = HEADER_LINE.pid.exec(t))) { this.pid = Number(m[1]); return CONSUMED; }
    // The page size and NR_CPUS size what is expected: a value the script never writes, or a
    // second one, is a bundle edited or mixed, said rather than read past (the process's error).
    for (const d of DECIMAL_HEADERS) {
      if (!t.startsWith(`${HEADER[d.key]}:`)) continue;
      m = HEADER_LINE[d.key].exec(t);
      if (!m || (m[1] ?? '').length > d.digits) return this.problem(n, `"${t}": ${d.expected}`);
      const said = this.decimalSaid.get(d.key);
      if (said) return this.problem(n, `a second "${HEADER[d.key]}:" line (line ${said} has one): ${d.once}`);
      this.decimalSaid.set(d.key, n);
      if (d.key === 'pageSize') this.pageSize = m[1] ? BigInt(m[1]) : undefined;
      else this.kernelMax = m[1] ? Number(m[1]) : undefined;
      return CONSUMED;
    }
    return NONE;
  }

  /** The bundle as a record: the aux vector decoded, the [vdso] bytes kept whole (or why not). */
  close(complete: boolean, mapsBlock: number | undefined): Bundle {
    if (this.headerHead) { this.header(this.headerHead.text, this.headerHead.line); this.headerHead = undefined; }
    const tooLarge = this.vdsoBytes.over ? `more than ${MAX_BUNDLE_VDSO >> 20} MiB of [vdso] bytes: not a vDSO image (dropped, as --vdso would refuse it)` : undefined;
    const vdso = this.vdsoRange && this.vdsoBytes.length > 0 && !tooLarge ? { start: this.vdsoRange[0], end: this.vdsoRange[1], bytes: this.vdsoBytes.bytes() } : undefined;
    const vdsoMissing = tooLarge ?? this.vdsoMissing ?? (this.vdsoRange && !vdso ? 'no bytes: reading /proc/PID/mem needs root or ptrace rights (Yama)' : undefined);
    const auxvOversized = this.auxvBytes.over || undefined;
    let auxv; let auxvUnreadable: string | undefined;
    if (!auxvOversized) {
      try { auxv = parseAuxvBinary(this.auxvBytes.bytes()); } catch (e) { auxvUnreadable = (e as Error).message; }
    }
    return {
      firstLine: this.firstLine, version: this.version, unameR: this.unameR, unameM: this.unameM, pageSize: this.pageSize, pid: this.pid,
      nrCpus: this.kernelMax !== undefined ? this.kernelMax + 1 : undefined, headerProblem: this.headerProblem,
      mapsBlock, auxv, auxvUnreadable, auxvOversized, vdso, vdsoMissing, complete,
    };
  }
}

/**
 * A BEGIN line: a new bundle, or an input error when its version is not the one this tool reads
 * (a later format read as this one would be misread, and a pass must not rest on that).
 */
export function bundleBegin(t: string, line: number, file: string): OpenBundle | undefined {
  const m = BEGIN_LINE.exec(t);
  if (!m) return undefined;
  const version = Number(m[1]);
  if (version !== BUNDLE_VERSION) {
    throw new InputError(`capture bundle version ${m[1]}: this vdso-layout reads version ${BUNDLE_VERSION} (capture it again with this version's capture-script, or use a vdso-layout that reads ${m[1]})`, { file, line, column: 1 });
  }
  return new OpenBundle(line, version);
}
