// What the reader cleaned up or noticed, per kind (counted) or per line (order problems, bounded).
// Under --strict every clean-up is an input error at its line instead.
import { InputError } from '../errors.js';
import type { Diagnostic, DiagnosticCode } from '../model/capture.js';
import { MAX_ORDER_NOTES } from './limits.js';

export class Diagnostics {
  private readonly byKey = new Map<string, Diagnostic>();
  private readonly orderNotes = new Map<DiagnosticCode, number>();
  constructor(private readonly file: string, private readonly strict: boolean) {}

  note(code: DiagnosticCode, line: number, message: string, otherLine?: number): void {
    const perLine = code === 'unsorted' || code === 'overlap' || code === 'bad-range';
    if (this.strict && !perLine && code !== 'not-kept') {
      throw new InputError(`${message} (--strict)`, { file: this.file, line, column: 1 });
    }
    // Per-line findings (order) are kept one by one, up to a bound; clean-ups are counted per kind.
    let key: string = code;
    if (perLine) {
      const n = (this.orderNotes.get(code) ?? 0) + 1;
      this.orderNotes.set(code, n);
      if (n <= MAX_ORDER_NOTES) key = `${code}:${line}`;
      else { key = `${code}:more`; message = `more lines out of order (${code}) after the first ${MAX_ORDER_NOTES}`; otherLine = undefined; }
    }
    const d = this.byKey.get(key);
    if (d) d.count++;
    else this.byKey.set(key, { code, line, count: 1, message, otherLine });
  }

  /** Every diagnostic, by the line it was first seen on. */
  list(): Diagnostic[] {
    return [...this.byKey.values()].sort((a, b) => a.line - b.line);
  }
}
