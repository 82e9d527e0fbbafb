import { machine, release } from 'node:os';

import { formatBundle } from '../capture/script.js';
import { InputError, UsageError } from '../errors.js';
import { readProcBytes, readProcText, writeNewFile } from '../io.js';
import { readKernelMax, readLiveVdso, vdsoMappingOf } from '../live.js';
import { parseAuxvBinary } from '../capture/auxv.js';
import { readCapture } from '../capture/reader.js';
import type { Streams } from './streams.js';


export function runCapture(opts: { output?: string }, io: Pick<Streams, 'out'>): number {
  if (opts.output === '') throw new UsageError('-o: an empty file name (give a file, or no -o for stdout)');
  const maps = readProcText('/proc/self/maps');
  const auxv = readProcBytes('/proc/self/auxv');
  let vdso: { start: bigint; end: bigint; bytes?: Uint8Array; error?: string } | undefined;
  try {
    // No [vdso] at all (vdso=0) is said by the bundle's absent @@@VDSO section, not as an error.
    const cap = readCapture(maps, { file: '/proc/self/maps' });
    if (vdsoMappingOf(cap)) {
      const live = readLiveVdso(cap);
      vdso = { start: live.mapping.start, end: live.mapping.end, bytes: live.bytes };
    }
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    vdso = { start: 0n, end: 0n, error: e.message };
  }
  const text = formatBundle({
    unameR: release(), unameM: machine(), pageSize: Number(parseAuxvBinary(auxv).pageSize ?? 0) || undefined,
    pid: process.pid, kernelMax: readKernelMax(), maps, auxv, vdso,
  });
  if (opts.output) writeNewFile(opts.output, text);
  else io.out(text);
  return 0;
}
