// The only module (with src/cli/shell.ts, the output of the CLI) that touches the file system, stdin and /proc.
import { read, readFileSync, openSync, readSync, closeSync, fstatSync, statSync, writeFileSync, existsSync, mkdirSync, mkdtempSync, linkSync, unlinkSync, rmSync, realpathSync, renameSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Buffer } from 'node:buffer';
import { InputError } from './errors.js';

/**
 * What an input can be, and so how large it may be. Each is read up to its limit and no
 * further: /dev/zero or /dev/urandom given by mistake ends in one clear line, not in gigabytes.
 */
const INPUT_LIMITS = {
  /** a vdso*.so or an unstripped .so.dbg: tens to hundreds of KiB; 8 MiB is generous. */
  image: { bytes: 8 << 20, what: 'a vDSO image' },
  /** /proc/PID/auxv is < 1 KiB; an od/xxd/hexdump dump of it a few KiB. */
  auxv: { bytes: 64 << 10, what: 'an aux vector' },
  /** a JSON layout profile: well under a KiB per region. */
  profile: { bytes: 64 << 10, what: 'a layout profile' },
  /** a vmlinux from a build tree, with debug info, may reach a few hundred MiB. */
  kernel: { bytes: 512 << 20, what: 'a kernel image' },
  /** ... but a kernel read from a pipe or device (no size up front) is a compressed or stripped one. */
  kernelStream: { bytes: 96 << 20, what: 'a kernel image read from a pipe or device' },
} as const;
export type InputKind = keyof typeof INPUT_LIMITS;

const mib = (n: number) => (n >= 1 << 20 ? `${n / (1 << 20)} MiB` : `${n / 1024} KiB`);

/**
 * The bytes of FILE ('-' = stdin), refusing more than the input kind allows. A regular file
 * is judged by its size before reading; a pipe or device is read up to the limit plus one byte.
 */
export function readInputBytes(file: string, kind: InputKind = 'image'): Uint8Array {
  let fd: number;
  try {
    fd = file === '-' ? 0 : openSync(file, 'r');
  } catch (e) {
    throw new InputError(describeFsError(e), { file });
  }
  try {
    let st;
    try { st = fstatSync(fd); } catch (e) { throw new InputError(describeFsError(e), { file }); }
    if (st.isDirectory()) throw new InputError(describeFsError(Object.assign(new Error(''), { code: 'EISDIR' })), { file });
    // /proc files say size 0: read them like a pipe.
    const sized = st.isFile() && st.size > 0;
    let limit: { bytes: number; what: string } = INPUT_LIMITS[kind];
    if (kind === 'kernel' && !sized) limit = INPUT_LIMITS.kernelStream;
    const tooLarge = () => new InputError(`larger than ${mib(limit.bytes)}: not ${limit.what} (read stopped there)`, { file });
    if (sized && st.size > limit.bytes) throw tooLarge();
    // allocUnsafe: pages are only touched as they are filled, so a small pipe costs little.
    const buf = Buffer.allocUnsafe(sized ? st.size + 1 : limit.bytes + 1);
    let done = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, done, buf.length - done, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); continue; } // non-blocking stdin
        if (code === 'EOF') break;
        throw new InputError(describeFsError(e), { file });
      }
      if (n === 0) break;
      done += n;
      if (done > limit.bytes) throw tooLarge();
      if (done === buf.length) break; // a regular file that grew while read: the +1 byte says so
    }
    return new Uint8Array(buf.buffer, buf.byteOffset, done);
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

/** A text input (a JSON profile): UTF-8. Captures are read as bytes by the capture reader. */
export function readInputText(file: string, kind: InputKind = 'profile'): string {
  return Buffer.from(readInputBytes(file, kind)).toString('utf8');
}

/** Small regular files are read at once (a stream per file costs thread-pool round trips). */
const READ_WHOLE_BELOW = 16 << 20;

/** A capture's bytes: a small regular file whole (read now), anything else as chunks. */
export type CaptureBytes = { whole: Buffer; chunks?: undefined } | { whole?: undefined; chunks: AsyncGenerator<Buffer> };

/**
 * Open a file or stdin ('-') for the capture reader, as raw bytes (it decodes latin1 itself, so
 * every byte survives). A small file comes back whole and synchronously: 10,000 captures in one
 * call are then one loop with no promise per file. Errors are InputErrors.
 *
 * A file is first read into one shared 64 KiB buffer until its end: a capture of a few KiB costs
 * open, read, read (0: the end), close, with no fstat and no buffer of its own (at 10,000 files
 * the fstat and its Stats object were a twentieth of the call). The whole it returns is valid
 * until the next call: the reader copies what it keeps. Only a file that fills the buffer is
 * asked what it is (fstat), and read whole or streamed as before.
 */
export function openCaptureBytes(file: string): CaptureBytes {
  if (file === '-') return { chunks: byteChunks(0, file, Infinity) };
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new InputError(describeFsError(e), { file });
  }
  const head = (smallFileBuffer ??= Buffer.allocUnsafe(SMALL_FILE));
  let filled = 0;
  try {
    // Until the end or a full buffer; a directory fails here with EISDIR.
    for (let n = 1; n > 0 && filled < head.length; filled += n) n = readSync(fd, head, filled, head.length - filled, null);
    if (filled < head.length) return { whole: head.subarray(0, filled) };
    const st = fstatSync(fd);
    // /proc files say size 0 and hold more: read them like a pipe.
    const size = st.isFile() && st.size > 0 ? st.size : Infinity;
    if (size < READ_WHOLE_BELOW) {
      // Small regular files at once (a stream per file costs thread-pool round trips).
      const whole = Buffer.allocUnsafe(size);
      head.copy(whole, 0, 0, filled);
      for (let n = 1; n > 0 && filled < size; filled += n) n = readSync(fd, whole, filled, size - filled, null);
      return { whole: whole.subarray(0, filled) };
    }
    const opened = fd;
    fd = -1; // the stream closes it
    // A large regular file is read again from its start, in the stream's own chunks (a first
    // chunk of 64 KiB made the scan touch ~1.6 MB more); a pipe or device cannot be: its head
    // goes first.
    if (size !== Infinity) return { chunks: byteChunks(opened, file, size) };
    return { chunks: prefixed(Buffer.from(head), byteChunks(opened, file, size)) };
  } catch (e) {
    throw new InputError(describeFsError(e), { file });
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
const SMALL_FILE = 64 << 10;
let smallFileBuffer: Buffer | undefined;

async function* prefixed(first: Buffer, rest: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  yield* rest;
}

async function* byteChunks(fd: number, file: string, size: number): AsyncGenerator<Buffer> {
  if (fd !== 0 && size !== Infinity) {
    // A large regular file: two buffers in turn, the next chunk read on the thread pool while
    // the consumer works on this one (the read is a fifth of a check of a 1M-line file; this
    // way it overlaps the scan on a second core). Memory stays flat: two chunks.
    yield* readAhead(fd, file);
    return;
  }
  // Synchronous reads into one reused buffer: memory stays flat and no thread-pool round trip
  // per chunk. The consumer must be done with a chunk before asking for the next.
  // A pipe gives at most 64 KiB a read: several reads make one chunk, so the consumer's work
  // per chunk is paid per MiB, not per 64 KiB.
  const buf = Buffer.allocUnsafe(STREAM_CHUNK);
  try {
    let eof = false;
    while (!eof) {
      let filled = 0;
      while (filled < STREAM_CHUNK - PIPE_READ) {
        let n: number;
        try {
          n = readSync(fd, buf, filled, STREAM_CHUNK - filled, null);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EOF') { eof = true; break; }
          if (code === 'EAGAIN' && fd === 0) { // non-blocking stdin: the rest is read as a stream
            if (filled > 0) yield buf.subarray(0, filled);
            return yield* readStdinStream(file);
          }
          throw new InputError(describeFsError(e), { file });
        }
        if (n === 0) { eof = true; break; }
        filled += n;
      }
      if (filled > 0) yield buf.subarray(0, filled);
    }
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}
const STREAM_CHUNK = 1 << 20;
/** What one read of a pipe gives at most (Linux's default pipe buffer). */
const PIPE_READ = 64 << 10;

async function* readStdinStream(file: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of process.stdin) yield typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
  } catch (e) {
    throw new InputError(describeFsError(e), { file });
  }
}

/** Chunks of a regular file, each read while the consumer works on the one before. */
async function* readAhead(fd: number, file: string): AsyncGenerator<Buffer> {
  const bufs = [Buffer.allocUnsafe(STREAM_CHUNK), Buffer.allocUnsafe(STREAM_CHUNK)];
  // Positioned reads from the start, whatever was read of the file before.
  let at = 0;
  const readInto = (b: Buffer) => new Promise<number>((resolve, reject) => read(fd, b, 0, b.length, at, (e, n) => { if (e) reject(e); else { at += n; resolve(n); } }));
  let k = 0;
  let next: Promise<number> | undefined = readInto(bufs[0]);
  try {
    for (;;) {
      let n: number;
      try {
        n = await next!;
      } catch (e) {
        next = undefined;
        throw new InputError(describeFsError(e), { file });
      }
      if (n === 0) { next = undefined; return; }
      const cur = bufs[k];
      k ^= 1;
      next = readInto(bufs[k]);
      yield cur.subarray(0, n);
    }
  } finally {
    // A consumer that stops early (an error in the reader) leaves one read in flight.
    if (next) await next.catch(() => 0);
    closeSync(fd);
  }
}

/** The first `n` bytes of a regular file, or undefined (a pipe is never read: its bytes would be lost). */
export function readFileHead(file: string, n: number): Uint8Array | undefined {
  let fd: number | undefined;
  try {
    if (file === '-') return undefined;
    fd = openSync(file, 'r');
    if (!fstatSync(fd).isFile()) return undefined;
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'ENOSPC': return 'no space left on the device';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory, expected a file';
    default: return (e as Error).message;
  }
}

/** Bytes [start, end) of this process's memory, via /proc/self/mem. */
export function readSelfMemory(start: bigint, end: bigint): Uint8Array {
  const fd = openSync('/proc/self/mem', 'r');
  try {
    const out = new Uint8Array(Number(end - start));
    let done = 0;
    while (done < out.length) {
      const n = readSync(fd, out, done, out.length - done, Number(start) + done);
      if (n <= 0) break;
      done += n;
    }
    return out.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

export function readProcText(path: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch (e) {
    throw new InputError(describeFsError(e), { file: path });
  }
}

export function readProcBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new InputError(describeFsError(e), { file: path });
  }
}

/**
 * Create FILE with this content; never overwrites (an input might be named by mistake). A write
 * that fails once the file is created (a full disk) removes it: no cut bundle is left behind to
 * be checked, or to refuse the retry as existing.
 */
export function writeNewFile(file: string, content: string | Uint8Array): void {
  try {
    writeFileSync(file, content, { flag: 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') try { unlinkSync(file); } catch { /* never created */ }
    throw new InputError(code === 'EEXIST' ? 'already exists; not overwriting it' : describeFsError(e), { file });
  }
}

/**
 * Write FILES into DIR (created if missing; its parent must exist) all or nothing: each is written in full to a
 * temporary directory inside DIR, then linked into place (link never overwrites: an existing
 * file is an error, even one that appears meanwhile). On any failure nothing of ours is left.
 */
export function writeNewFiles(dir: string, files: Array<[name: string, content: Uint8Array]>): void {
  const fail = (e: unknown, file: string): never => {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === 'EEXIST' ? 'already exists; not overwriting it' : code === 'ENOTDIR' ? 'is not a directory' : describeFsError(e), { file });
  };
  let created = false;
  try {
    const st = statSync(dir, { throwIfNoEntry: false });
    if (st && !st.isDirectory()) fail(Object.assign(new Error(''), { code: 'ENOTDIR' }), dir);
    if (!st) { mkdirSync(dir); created = true; } // one level only: recursive mkdir loops on some /proc paths (Node 20)
  } catch (e) {
    if (e instanceof InputError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError('cannot create this directory: its parent does not exist', { file: dir });
    fail(e, dir);
  }
  for (const [name] of files) if (existsSync(join(dir, name))) fail(Object.assign(new Error(''), { code: 'EEXIST' }), join(dir, name));
  let tmp: string | undefined;
  const placed: string[] = [];
  try {
    // A directory that exists and takes no new entry (/proc/self says ENOENT, a read-only mount EROFS).
    try { tmp = mkdtempSync(join(dir, '.vdso-layout-')); } catch (e) { throw new InputError(`cannot write files into this directory: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it takes no new files' : describeFsError(e)}`, { file: dir }); }
    for (const [name, content] of files) {
      try { writeFileSync(join(tmp!, name), content, { flag: 'wx' }); } catch (e) { fail(e, join(dir, name)); }
    }
    for (const [name] of files) {
      try { linkSync(join(tmp!, name), join(dir, name)); } catch (e) { fail(e, join(dir, name)); }
      placed.push(join(dir, name));
    }
  } catch (e) {
    for (const f of placed) try { unlinkSync(f); } catch { /* best effort */ }
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    if (created) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  rmSync(tmp!, { recursive: true, force: true });
}

/**
 * Which of `files` is the file `target` names (through another spelling or a link), if any. A
 * target that does not exist is none of them: only an existing file can be lost by writing it.
 */
export function existingFileAmong(target: string, files: readonly string[]): string | undefined {
  let t;
  try { t = statSync(target); } catch { return undefined; }
  const at = resolve(target);
  return files.find((f) => {
    if (resolve(f) === at) return true;
    try { const s = statSync(f); return s.dev === t.dev && s.ino === t.ino; } catch { return false; }
  });
}

/** Is FILE the regular file, pipe or socket this process's stdout goes to (not a terminal or /dev/null)? */
export function isStdoutStream(file: string): boolean {
  try {
    const out = fstatSync(1);
    if (out.isCharacterDevice()) return false;
    const t = statSync(file);
    return t.dev === out.dev && t.ino === out.ino;
  } catch {
    return false;
  }
}

/**
 * Write a report FILE (check --report), replacing an earlier one: reports are outputs, rewritten
 * on every run. A regular file (or none yet) is replaced whole: written beside it, then renamed
 * over it, so a failed write (a full disk) leaves the earlier report, never a cut document. A
 * device or FIFO (/dev/stderr, a pipe) is written as it is; so is a file whose directory takes no
 * new entry.
 */
export function writeReportFile(file: string, content: string): void {
  const fail = (e: unknown): never => { throw new InputError(`cannot write this report: ${describeFsError(e)}`, { file }); };
  let target = file;
  let st;
  try { st = statSync(file, { throwIfNoEntry: false }); } catch (e) { fail(e); }
  if (st && !st.isFile()) { try { writeFileSync(file, content); } catch (e) { fail(e); } return; }
  // A link is followed: the file it names is replaced, the link kept.
  if (st) try { target = realpathSync(file); } catch (e) { fail(e); }
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.vdso-layout-tmp`);
  try {
    writeFileSync(tmp, content, { flag: 'wx' });
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* not created */ }
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS' && code !== 'EEXIST') fail(e);
    try { writeFileSync(file, content); } catch (e2) { fail(e2); }
    return;
  }
  try { renameSync(tmp, target); } catch (e) { try { unlinkSync(tmp); } catch { /* gone */ } fail(e); }
}
