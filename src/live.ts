// The running machine: this process's own maps, auxv and [vdso] bytes.
import { InputError } from './errors.js';
import { readProcText, readSelfMemory } from './io.js';
import { readCapture } from './capture/reader.js';
import type { Capture } from './model/capture.js';
import type { Mapping } from './model/maps.js';

export interface LiveVdso { mapping: Mapping; bytes: Uint8Array }

/** This process's [vdso] bytes; pass the maps already parsed when the caller has them. */
export function readLiveVdso(cap: Capture = readCapture(readProcText('/proc/self/maps'), { file: '/proc/self/maps' })): LiveVdso {
  const mapping = cap.blocks.flatMap((b) => b.mappings).find((m) => m.kind === 'vdso');
  if (!mapping) throw new InputError('this process has no [vdso] mapping (vdso=0 on the kernel command line?)', { file: '/proc/self/maps' });
  let bytes: Uint8Array;
  try {
    bytes = readSelfMemory(mapping.start, mapping.end);
  } catch (e) {
    throw new InputError(`cannot read [vdso] from memory: ${(e as Error).message}`, { file: '/proc/self/mem' });
  }
  return { mapping, bytes };
}
