// What the command line touches of the outside world, as one value: run() (src/cli/run.ts) takes
// it, so the whole CLI runs in-process under a test with its output captured, and src/cli.ts
// gives it the real process (processShell below).
import { Buffer } from 'node:buffer';
import { fstatSync, statSync, writeSync } from 'node:fs';
import { describeFsError, writeReportFile } from '../io.js';

export interface Shell {
  /** stdout and stderr. */
  out: (s: string) => void;
  err: (s: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  /** Is stdout a terminal, and its width (asked only by what colours or wraps). */
  stdoutIsTTY: () => boolean;
  stdoutColumns: () => number | undefined;
  /** Write a report file (check --report FORMAT=FILE); throws InputError when it cannot. */
  writeFile: (file: string, text: string) => void;
}

// Output goes to fds 1 and 2 with writeSync: creating process.stdout or process.stderr loads
// node:net or node:tty, which costs more than the rest of a check's output. On the first failed
// write (EAGAIN from a non-blocking pipe, EPIPE, anything) the rest of that text and every later
// write of either fd go through the streams, which queue and report as before; order holds.
let viaStreams = false;
// A write that failed for want of room or by the device (ENOSPC, EIO…: stdout redirected to a full
// disk) leaves a cut document where a whole one was asked for: said once, and the run exits 2. A
// closed pipe or a closed fd is the reader's choice (`| head`, `>&-`), not trouble.
let stdoutFailed = false;
const QUIET_CODES = new Set(['EPIPE', 'EBADF', 'EAGAIN']);
function stdoutTrouble(e: unknown): void {
  if (stdoutFailed) return;
  stdoutFailed = true;
  try { writeSync(2, `vdso-layout: cannot write to stdout: ${describeFsError(e)}\n`); } catch { /* stderr is gone too */ }
}
function writeTo(fd: 1 | 2, s: string): void {
  if (fd === 1 && stdoutFailed) return;
  let rest: string | Uint8Array = s;
  if (!viaStreams) {
    const bytes = Buffer.from(s, 'utf8');
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
      return;
    } catch (e) {
      if (fd === 1 && !QUIET_CODES.has((e as NodeJS.ErrnoException).code ?? '')) { stdoutTrouble(e); return; }
      viaStreams = true;
      rest = bytes.subarray(done);
    }
  }
  (fd === 1 ? stdoutStream() : process.stderr).write(rest);
}

/** Did any write fall back to the streams (which must drain before the process exits)? */
export const wroteViaStreams = (): boolean => viaStreams;
/** Did a write to stdout fail (not a closed pipe): the run's document is not whole (exit 2). */
export const stdoutWriteFailed = (): boolean => stdoutFailed;

let stdoutListening = false;
function stdoutStream(): NodeJS.WriteStream {
  // stdout may be a closed pipe (`vdso-layout … | head`): that is not an error worth a trace.
  if (!stdoutListening) {
    stdoutListening = true;
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      if (!QUIET_CODES.has(e.code ?? '')) { stdoutTrouble(e); process.exitCode = 2; }
    });
  }
  return process.stdout;
}

/**
 * Is stdout a terminal? Asked without creating process.stdout (see writeTo): a file, pipe or
 * socket is not one, nor is /dev/null, a character device like a terminal.
 */
function stdoutIsTTY(): boolean {
  try {
    const out = fstatSync(1);
    if (!out.isCharacterDevice() || out.rdev === statSync('/dev/null').rdev) return false;
  } catch {
    return false;
  }
  return Boolean(stdoutStream().isTTY);
}

/** This process: fds 1 and 2, its environment, its terminal, its file system. */
export function processShell(): Shell {
  return {
    out: (s) => writeTo(1, s),
    err: (s) => writeTo(2, s),
    env: process.env,
    stdoutIsTTY,
    stdoutColumns: () => stdoutStream().columns,
    writeFile: writeReportFile,
  };
}
