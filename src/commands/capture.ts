import { machine, release } from 'node:os';

import { formatBundle } from '../capture/script.js';
import { InputError } from '../errors.js';
import { readProcBytes, readProcText, writeNewFile } from '../io.js';
import { readLiveVdso } from '../live.js';
import { parseAuxvBinary } from '../capture/auxv.js';
import { readCapture } from '../capture/reader.js';

export interface Streams { out: (s: string) => void; err: (s: string) => void }

export function runCapture(opts: { output?: string }, io: Streams): number {
  const maps = readProcText('/proc/self/maps');
  const auxv = readProcBytes('/proc/self/auxv');
  let vdso: { start: bigint; end: bigint; bytes?: Uint8Array; error?: string } | undefined;
  try {
    const live = readLiveVdso(readCapture(maps, { file: '/proc/self/maps' }));
    vdso = { start: live.mapping.start, end: live.mapping.end, bytes: live.bytes };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    vdso = /no \[vdso\]/.test(e.message) ? undefined : { start: 0n, end: 0n, error: e.message };
  }
  const text = formatBundle({
    unameR: release(), unameM: machine(), pageSize: Number(parseAuxvBinary(auxv).pageSize ?? 0) || undefined,
    pid: process.pid, maps, auxv, vdso,
  });
  if (opts.output) writeNewFile(opts.output, text);
  else io.out(text);
  return 0;
}
