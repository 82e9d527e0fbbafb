// LAVA job logs as a capture source. LAVA (the dispatcher behind KernelCI and Linaro's labs)
// records the device's serial output as one log entry per line, among its own messages:
//
// - The YAML log: the server's output.yaml, which is also what the web UI's "Plain log" download
//   (job_N.log) and `lavacli jobs logs --raw` give, one flow mapping per line
//     - {"dt": "2026-12-05T09:30:12.345678", "lvl": "target", "msg": "7ffd...-7ffd... r-xp ... [vdso]"}
//   (lava_common/log.py dumps each entry with default_style='"' and width 10**6, so an entry is
//   always one line and every scalar double-quoted; `lava-run` without a server prints the same
//   entries without the leading "- "). The target's lines are lvl "target"; the dispatcher's
//   ShellLogger has already dropped CRs and ESCs and put a backslash before every '"'.
// - The text log of `lavacli jobs logs`: "2026-12-05T09:30:12 <msg>" per entry, every level
//   (lavacli/commands/jobs.py print_logs), the messages as logged.
//
// Unwrapping keeps line numbers: line N of what the reader sees is line N of the log, so every
// diagnostic and error points into the file the user has. A dispatcher entry is counted and not
// read (it neither ends a maps block nor joins one), the way LAVA's own viewer hides it.
import { Buffer } from 'node:buffer';
import { InputError } from '../errors.js';
import type { Capture } from '../model/capture.js';
import type { CaptureReader } from './reader.js';

export type LavaForm = 'yaml' | 'text';

const YAML_HEAD = /^(?:- )?\{"dt": "/;
/** An older dispatcher's entries (keys and values unquoted): not this reader's shape. */
const OLD_YAML_HEAD = /^- \{dt: /;
// lavacli's "%(dt)s %(msg)s", the timestamp cut at the second, maybe coloured (a terminal), maybe
// followed by a feedback entry's " <namespace>".
const TEXT_PREFIX = /^(?:\x1b\[[0-9;]*m)?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\x1b\[[0-9;]*m)?(?: <[^>\n]*>)? /;
/** LAVA replaces a message that would make its entry 10**6 characters or more: a longer line is not LAVA's. */
const MAX_ENTRY_CHARS = 1 << 20;
/** Bytes enough to tell the forms apart ("- {"dt": "" is 10, a lavacli timestamp 20). */
const DETECT_BYTES = 32;

/**
 * Which LAVA log form a capture starts with: its first line decides. `undefined` is not a LAVA
 * log (read as it is); 'undecided' means the first line is not complete yet and too short to tell.
 */
export function detectLavaForm(head: string, complete: boolean, file = '-'): LavaForm | undefined | 'undecided' {
  const nl = head.indexOf('\n');
  const first = nl >= 0 ? head.slice(0, nl) : head;
  if (YAML_HEAD.test(first)) return 'yaml';
  if (OLD_YAML_HEAD.test(first)) {
    throw new InputError('a LAVA log with unquoted keys ("- {dt: ...") is an older dispatcher\'s YAML style, not read here: export the text log with `lavacli jobs logs ID`', { file, line: 1, column: 1 });
  }
  if (TEXT_PREFIX.test(first)) return 'text';
  return nl < 0 && !complete && first.length < DETECT_BYTES ? 'undecided' : undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
  N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};
const HEX_ESCAPES: Record<string, number> = { x: 2, u: 4, U: 8 };

/** A YAML double-quoted scalar at `at` (its opening quote): the decoded value and where it ends. */
function doubleQuoted(s: string, at: number): { value: string; end: number } | { error: string; column: number } {
  let out = '';
  let i = at + 1;
  let run = i;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) return { value: out + s.slice(run, i), end: i + 1 }; // "
    if (c !== 92) continue; // \
    out += s.slice(run, i);
    const e = s[i + 1];
    if (e !== undefined && e in SIMPLE_ESCAPES) { out += SIMPLE_ESCAPES[e]; i++; }
    else if (e !== undefined && e in HEX_ESCAPES) {
      const digits = s.slice(i + 2, i + 2 + HEX_ESCAPES[e]);
      if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== HEX_ESCAPES[e]) return { error: `bad escape \\${e}${digits}`, column: i + 1 };
      out += String.fromCodePoint(parseInt(digits, 16));
      i += 1 + digits.length;
    } else return { error: `unknown escape \\${e ?? ''}`, column: i + 1 };
    run = i + 1;
  }
  return { error: 'unterminated string', column: at + 1 };
}

/** Past a flow value (a nested mapping or sequence, as a "results" entry's msg is) starting at `at`. */
function skipFlow(s: string, at: number): number {
  let depth = 0;
  for (let i = at; i < s.length; i++) {
    const c = s[i];
    if (c === '"') { const q = doubleQuoted(s, i); if ('error' in q) return -1; i = q.end - 1; }
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') { if (--depth === 0) return i + 1; }
  }
  return -1;
}

export type LavaEntry = { lvl: string; msg?: string } | { error: string; column: number };

/**
 * One line of LAVA's YAML log: its level, and its message when it is a string (a target line
 * always is; a "results" entry's is a mapping). Only the shape LAVA writes is accepted.
 */
export function parseLavaEntry(line: string): LavaEntry {
  let i = line.startsWith('- ') ? 2 : 0;
  if (line[i] !== '{') return { error: 'not a LAVA log entry (expected - {"dt": ..., "lvl": ..., "msg": ...})', column: i + 1 };
  i++;
  const fields = new Map<string, string | undefined>();
  for (;;) {
    if (line[i] !== '"') return { error: 'expected a quoted key', column: i + 1 };
    const key = doubleQuoted(line, i);
    if ('error' in key) return key;
    i = key.end;
    if (line.slice(i, i + 2) !== ': ') return { error: `expected ": " after "${key.value}"`, column: i + 1 };
    i += 2;
    if (line[i] === '!') { // a tag: LAVA's dumper writes a number in quotes as ! "1151"
      const sp = line.indexOf(' ', i);
      if (sp < 0) return { error: `a tag without a value for "${key.value}"`, column: i + 1 };
      i = sp + 1;
    }
    if (line[i] === '"') {
      const v = doubleQuoted(line, i);
      if ('error' in v) return v;
      fields.set(key.value, v.value);
      i = v.end;
      // Only a target entry's message is read: the rest of another entry is not looked into.
      if (key.value === 'lvl' && v.value !== 'target' && fields.has('dt')) {
        return line.endsWith('}') ? { lvl: v.value } : { error: 'a LAVA log entry ends with "}"', column: line.length + 1 };
      }
    } else if (line[i] === '{' || line[i] === '[') {
      const end = skipFlow(line, i);
      if (end < 0) return { error: `unterminated value of "${key.value}"`, column: i + 1 };
      fields.set(key.value, undefined);
      i = end;
    } else return { error: `expected a quoted value for "${key.value}"`, column: i + 1 };
    if (line[i] === '}' && i === line.length - 1) break;
    if (line.slice(i, i + 2) !== ', ') return { error: 'expected ", " or a final "}"', column: i + 1 };
    i += 2;
  }
  const lvl = fields.get('lvl');
  if (!fields.has('dt') || lvl === undefined || !fields.has('msg')) return { error: 'a LAVA log entry needs "dt", "lvl" and "msg"', column: 1 };
  return { lvl, msg: fields.get('msg') };
}

/** A target line as the device printed it: the ShellLogger's '\"' undone, bytes as latin1 chars (the reader's text). */
function targetText(msg: string): string {
  let t = msg.includes('\\"') ? msg.replace(/\\"/g, '"') : msg;
  if (t.includes('\n')) t = t.replace(/\n/g, ' '); // one entry, one line (ShellLogger never logs a newline)
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(t) ? Buffer.from(t, 'utf8').toString('latin1') : t;
}

/**
 * A capture reader behind a LAVA detector: the first line decides; a LAVA log is unwrapped line
 * by line into the reader (one line in, one line out), anything else goes to the reader untouched
 * (bytes stay on its byte path).
 */
export class LavaAwareInput {
  private form?: LavaForm | 'none';
  private head: Buffer[] = [];
  private headText = '';
  private headLength = 0;
  private pending = '';
  private lineNo = 0;
  private entries = 0;
  private targetLines = 0;

  constructor(private readonly reader: CaptureReader, private readonly file = '-') {}

  write(chunk: string): void {
    if (this.form === undefined) { this.headText += chunk; if (!this.decide(this.headText, false)) return; const t = this.headText; this.headText = ''; this.route(t); return; }
    this.route(chunk);
  }

  writeBytes(chunk: Uint8Array): void {
    if (this.form === undefined) {
      if (this.headLength === 0) {
        // Decided by the first chunk, as almost always: it goes on uncopied (a 1 MiB copy was ~4% of a 1M-line check).
        const view = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        if (this.decide(view.toString('latin1', 0, Math.min(view.length, 4096)), false)) { this.routeBytes(chunk); return; }
      }
      const buf = Buffer.allocUnsafe(chunk.byteLength); // the caller may reuse its chunk
      buf.set(chunk);
      this.head.push(buf); this.headLength += buf.length;
      const all = Buffer.concat(this.head, this.headLength);
      if (!this.decide(all.toString('latin1', 0, Math.min(all.length, 4096)), false)) return;
      this.head = []; this.headLength = 0;
      this.routeBytes(all);
      return;
    }
    this.routeBytes(chunk);
  }

  end(): Capture {
    if (this.form === undefined) {
      const text = this.headText || Buffer.concat(this.head, this.headLength).toString('latin1');
      this.decide(text, true);
      if (this.headText) this.route(text); else if (this.headLength) this.routeBytes(Buffer.concat(this.head, this.headLength));
    }
    if (this.form !== 'none' && this.pending !== '') { const last = this.pending; this.pending = ''; this.unwrap(last, false); }
    const cap = this.reader.end();
    if (this.form === 'yaml' || this.form === 'text') {
      const what = this.form === 'yaml'
        ? `LAVA job log (YAML): the device's output read from its ${this.targetLines} "target" entries; ${this.entries - this.targetLines} dispatcher entries skipped`
        : 'LAVA job log (lavacli text): the timestamp before each line removed';
      cap.diagnostics.unshift({ code: 'lava-log', line: 1, count: 1, message: what });
    }
    return cap;
  }

  /** True once the form is known. */
  private decide(head: string, complete: boolean): boolean {
    const f = detectLavaForm(head, complete, this.file);
    if (f === 'undecided') return false;
    this.form = f ?? 'none';
    return true;
  }

  private route(text: string): void {
    if (this.form === 'none') { this.reader.write(text); return; }
    this.lines(text);
  }

  private routeBytes(chunk: Uint8Array): void {
    if (this.form === 'none') { this.reader.writeBytes(chunk); return; }
    this.lines(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1'));
  }

  private lines(text: string): void {
    const all = this.pending === '' ? text : this.pending + text;
    let start = 0;
    for (let nl = all.indexOf('\n'); nl >= 0; nl = all.indexOf('\n', start)) {
      this.unwrap(all.slice(start, nl), true);
      start = nl + 1;
    }
    this.pending = all.slice(start);
    if (this.pending.length > MAX_ENTRY_CHARS) this.tooLong(this.lineNo + 1);
  }

  private tooLong(line: number): never {
    throw new InputError(`LAVA job log: a line longer than ${MAX_ENTRY_CHARS} characters (LAVA's entries are shorter)`, { file: this.file, line });
  }

  private unwrap(raw: string, newline: boolean): void {
    const n = ++this.lineNo;
    if (raw.length > MAX_ENTRY_CHARS) this.tooLong(n);
    const eol = newline ? '\n' : '';
    if (this.form === 'text') {
      const m = TEXT_PREFIX.exec(raw);
      const msg = m ? raw.slice(m[0].length) : raw;
      this.reader.write((msg.includes('\\"') ? msg.replace(/\\"/g, '"') : msg) + eol); // lavacli prints the ShellLogger's \" as it is
      return;
    }
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') { this.reader.skipLine(); return; }
    // The YAML form is ASCII (LAVA escapes the rest), but a re-encoded copy may not be.
    // eslint-disable-next-line no-control-regex
    const e = parseLavaEntry(/[^\x00-\x7f]/.test(line) ? Buffer.from(line, 'latin1').toString('utf8') : line);
    if ('error' in e) throw new InputError(`LAVA job log: ${e.error}`, { file: this.file, line: n, column: e.column });
    this.entries++;
    if (e.lvl !== 'target' || e.msg === undefined) { this.reader.skipLine(); return; }
    this.targetLines++;
    this.reader.write(targetText(e.msg) + eol);
  }
}
