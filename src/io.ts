// The only module (with cli.ts) that touches the file system, stdin and /proc.
import { readFileSync, openSync, readSync, closeSync, fstatSync, writeFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { InputError } from './errors.js';

export function readInputBytes(file: string): Uint8Array {
  try {
    return file === '-' ? readFileSync(0) : readFileSync(file);
  } catch (e) {
    throw new InputError(describeFsError(e), { file });
  }
}

/** A text input (a JSON profile): UTF-8. Captures are read as bytes by the capture reader. */
export function readInputText(file: string): string {
  return Buffer.from(readInputBytes(file)).toString('utf8');
}

/** Small regular files are read at once (a stream per file costs thread-pool round trips). */
const READ_WHOLE_BELOW = 16 << 20;

/**
 * Chunks of a file or stdin ('-') as raw bytes (the capture reader decodes latin1 itself, so
 * every byte survives). Open errors surface as InputError when iterated.
 */
export async function* openByteStream(file: string): AsyncGenerator<Buffer> {
  // One open and one fstat per file (10,000 captures in one call are mostly system calls).
  let fd: number;
  let size = Infinity;
  try {
    fd = file === '-' ? 0 : openSync(file, 'r');
    if (fd !== 0) {
      const st = fstatSync(fd);
      if (st.isDirectory()) { closeSync(fd); throw Object.assign(new Error('is a directory'), { code: 'EISDIR' }); }
      if (st.isFile()) size = st.size;
    }
  } catch (e) {
    throw new InputError(describeFsError(e), { file });
  }
  if (size < READ_WHOLE_BELOW) {
    // Small regular files at once (a stream per file costs thread-pool round trips).
    const whole = Buffer.allocUnsafe(size);
    let done = 0;
    try {
      for (let n = 1; n > 0 && done < size; done += n) n = readSync(fd, whole, done, size - done, null);
    } catch (e) {
      throw new InputError(describeFsError(e), { file });
    } finally {
      closeSync(fd);
    }
    yield whole.subarray(0, done);
    return;
  }
  // Synchronous reads into one reused buffer: memory stays flat and no thread-pool round trip
  // per chunk. The consumer must be done with a chunk before asking for the next.
  const buf = Buffer.allocUnsafe(STREAM_CHUNK);
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, STREAM_CHUNK, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EOF') return;
        if (code === 'EAGAIN' && fd === 0) break; // non-blocking stdin: read it as a stream
        throw new InputError(describeFsError(e), { file });
      }
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    if (fd !== 0) closeSync(fd);
  }
  try {
    for await (const chunk of process.stdin) yield typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
  } catch (e) {
    throw new InputError(describeFsError(e), { file });
  }
}
const STREAM_CHUNK = 1 << 20;

export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'no such file';
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

/** Create FILE with this content; never overwrites (an input might be named by mistake). */
export function writeNewFile(file: string, content: string | Uint8Array): void {
  try {
    writeFileSync(file, content, { flag: 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === 'EEXIST' ? 'already exists; not overwriting it' : describeFsError(e), { file });
  }
}
