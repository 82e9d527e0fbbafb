// Reading what users actually feed the checker: a maps file, a serial console log of a QEMU
// boot, a CI job log, a paste. Line-streaming (memory ∝ mappings kept), every clean-up reported.
import { InputError } from '../errors.js';
import { kernelBitsOfLine, parseMapsLine, type Mapping } from './line.js';

export type DiagnosticCode =
  | 'crlf' | 'ansi' | 'kernel-log-prefix' | 'syslog-prefix' | 'line-prefix' | 'odd-perms'
  | 'no-trailing-space' | 'no-final-newline' | 'unsorted' | 'overlap' | 'interleaved' | 'smaps' | 'skipped';

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
}

export interface TextBlock { firstLine: number; label?: string; lines: string[] }

export interface Capture {
  file: string;
  blocks: MapsBlock[];
  /** Aux vector dumps (od / LD_SHOW_AUXV lines) found in the input, unparsed. */
  auxvBlocks: TextBlock[];
  kernelRelease?: { value: string; line: number };
  machine?: { value: string; line: number };
  diagnostics: Diagnostic[];
  lineCount: number;
}

export interface ReaderOptions {
  file?: string;
  /** Skipped lines and every clean-up become errors. */
  strict?: boolean;
  /** Keep only these mappings (plus their immediate neighbours); default keeps all. */
  keep?: (m: Mapping) => boolean;
}

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
const SMAPS_FIELD = /^[A-Z][A-Za-z0-9_]*:\s/; // "Size:  4 kB", "VmFlags: rd ex" (smaps)

export class CaptureReader {
  private readonly opts: ReaderOptions;
  private readonly file: string;
  private lineNo = 0;
  private pending = '';
  private readonly blocks: MapsBlock[] = [];
  private readonly auxvBlocks: TextBlock[] = [];
  private readonly diags = new Map<string, Diagnostic>();
  private cur?: MapsBlock;
  private curAux?: TextBlock;
  private prev?: Mapping; // last mapping of the current block, kept or not
  private prevKept = false;
  private keepNext = false;
  private context?: string; // label candidate for the next block
  private interleavedSince?: number;
  private kernelRelease?: { value: string; line: number };
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

  end(): Capture {
    if (this.pending !== '') {
      this.note('no-final-newline', this.lineNo + 1, 'input does not end with a newline');
      this.line(this.pending);
      this.pending = '';
    }
    this.closeBlock();
    this.closeAux();
    return {
      file: this.file, blocks: this.blocks, auxvBlocks: this.auxvBlocks, kernelRelease: this.kernelRelease,
      machine: this.machine, diagnostics: [...this.diags.values()].sort((a, b) => a.line - b.line), lineCount: this.lineNo,
    };
  }

  private note(code: DiagnosticCode, line: number, message: string, otherLine?: number): void {
    if (this.opts.strict && code !== 'unsorted' && code !== 'overlap') {
      throw new InputError(`${message} (--strict)`, { file: this.file, line, column: 1 });
    }
    // Per-line findings (order) are kept one by one; clean-ups are counted per kind.
    const key = code === 'unsorted' || code === 'overlap' ? `${code}:${line}` : code;
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
    let parsed = parseMapsLine(text, n);
    if (!parsed) {
      const at = text.search(MAPS_ANYWHERE);
      if (at > 0) {
        const prefix = text.slice(0, at);
        const candidate = parseMapsLine(text.slice(at), n);
        if (candidate) {
          parsed = candidate;
          if (KERNEL_LOG_PREFIX.test(prefix)) this.note('kernel-log-prefix', n, `kernel log prefix removed (e.g. ${JSON.stringify(prefix)})`);
          else if (SYSLOG_PREFIX.test(prefix)) this.note('syslog-prefix', n, `syslog level prefix removed (e.g. ${JSON.stringify(prefix)})`);
          else this.note('line-prefix', n, `line prefix removed (e.g. ${JSON.stringify(prefix.slice(0, 40))})`);
        }
      }
    }
    if (parsed) {
      this.closeAux();
      const m = parsed.mapping;
      if (parsed.oddPerms) this.note('odd-perms', n, `unusual permission characters ${JSON.stringify(m.perms)} (Linux prints [r-][w-][x-][ps])`);
      if (m.noTrailingSpace) this.note('no-trailing-space', n, 'anonymous mapping line without the trailing space after the inode (qemu-user)');
      this.mapping(m, n);
      return;
    }
    this.other(text, n);
  }

  private mapping(m: Mapping, n: number): void {
    if (!this.cur) {
      this.cur = { index: this.blocks.length, firstLine: n, lastLine: n, label: this.context, mappings: [], total: 0 };
      this.prev = undefined; this.prevKept = false; this.keepNext = false;
    }
    if (this.interleavedSince !== undefined) {
      this.note('interleaved', this.interleavedSince, 'kernel log lines interleaved inside a maps block were skipped');
      this.interleavedSince = undefined;
    }
    const b = this.cur;
    b.total++;
    b.lastLine = n;
    const bits = b.kernelBits === 64 ? 64 : kernelBitsOfLine(m);
    if (bits !== undefined && b.kernelBits !== 64) b.kernelBits = bits;
    const prev = this.prev;
    if (prev && m.start < prev.end) {
      if (m.start < prev.start) this.note('unsorted', n, `mapping at ${m.start.toString(16)} comes after ${prev.start.toString(16)} (line ${prev.line}): maps is sorted by address`, prev.line);
      else this.note('overlap', n, `mapping ${m.start.toString(16)}-${m.end.toString(16)} overlaps ${prev.start.toString(16)}-${prev.end.toString(16)} (line ${prev.line})`, prev.line);
    }
    const keep = this.opts.keep;
    if (!keep || keep(m)) {
      if (keep && prev && !this.prevKept) b.mappings.push(prev);
      b.mappings.push(m);
      this.prevKept = true;
      this.keepNext = true;
    } else if (this.keepNext) {
      b.mappings.push(m);
      this.prevKept = true;
      this.keepNext = false;
    } else {
      this.prevKept = false;
    }
    this.prev = m;
  }

  private other(text: string, n: number): void {
    const t = text.trim();
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
  for await (const chunk of stream) r.write(typeof chunk === 'string' ? chunk : chunk.toString('latin1'));
  return r.end();
}
