import type { ChalkInstance } from 'chalk';

/**
 * What a command writes to, given by the shell (src/cli): stdout, stderr (one line per error),
 * the colours for text output, and the shell's file writer for `check --report FORMAT=FILE`.
 * A command never touches process.stdout, process.exitCode or process.env itself.
 */
export interface Streams {
  out: (s: string) => void;
  err: (s: string) => void;
  chalk: ChalkInstance;
  /** Write a report file, replacing one that exists (throws InputError when it cannot). */
  writeFile?: (file: string, text: string) => void;
}
