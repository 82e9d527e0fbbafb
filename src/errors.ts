// One error type for every kind of bad input. It carries a position so the CLI can print
// exactly one line such as `vdso-layout: img.so: section header table runs past end of file
// at offset 0xe28 (e_shoff)` and exit 2, never a stack trace.

export interface Position {
  /** Input file name as the user gave it ("-" for stdin). */
  file?: string;
  /** Byte offset into a binary input. */
  offset?: bigint;
  /** 1-based line (and column) for text inputs. */
  line?: number;
  column?: number;
  /** The structure field that was wrong, e.g. `e_shoff`, `sh_entsize`, `regions[1].pages`. */
  field?: string;
}

export class InputError extends Error {
  readonly position: Position;
  constructor(message: string, position: Position = {}) {
    super(message);
    this.name = 'InputError';
    this.position = position;
  }

  withFile(file: string): InputError {
    return this.position.file ? this : new InputError(this.message, { ...this.position, file });
  }

  /** `FILE:LINE:COL: message`, or `FILE: message at offset 0x… (field)`. */
  format(): string {
    const p = this.position;
    let where = p.file ?? '';
    if (p.line !== undefined) where += `${where ? ':' : ''}${p.line}${p.column !== undefined ? `:${p.column}` : ''}`;
    let text = this.message;
    if (p.offset !== undefined) text += ` at offset 0x${p.offset.toString(16)}`;
    if (p.field) text += ` (${p.field})`;
    return where ? `${where}: ${text}` : text;
  }
}

/**
 * A process nothing names the family of, whose lines the families they leave judge differently
 * (one's rows fit, another's not): readable, but no verdict can be given without a guess.
 */
export class UndecidedError extends InputError {
  constructor(message: string, position: Position = {}) {
    super(message, position);
    this.name = 'UndecidedError';
  }

  override withFile(file: string): UndecidedError {
    return this.position.file ? this : new UndecidedError(this.message, { ...this.position, file });
  }
}

export type Result<T, E = InputError> = { ok: true; value: T } | { ok: false; error: E };

/** Usage errors (bad flags, unknown names): exit 2 like bad input, but no position. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * A kernel older than every row of its family: undecided. A flag the capture's own words
 * contradict (--kernel against its uname -r) is refused first, as the plainer of the two.
 */
export class BeforeTableError extends UndecidedError {
  constructor(message: string, position: Position = {}) {
    super(message, position);
    this.name = 'BeforeTableError';
  }
}

/** An NR_CPUS (said by the capture or --nr-cpus) past every kernel of the row's family. */
export class NrCpusRangeError extends UsageError {
  constructor(message: string, readonly family: string) {
    super(message);
    this.name = 'NrCpusRangeError';
  }
}

export const hex = (v: bigint): string => (v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);
