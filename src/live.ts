// The running machine: this process's own maps, auxv and [vdso] bytes.
import { InputError } from './errors.js';
import { readProcText, readSelfMemory } from './io.js';
import { readCapture } from './maps/capture.js';
import type { Mapping } from './maps/line.js';

export interface LiveVdso { mapping: Mapping; bytes: Uint8Array }

export function readLiveVdso(mapsText = readProcText('/proc/self/maps')): LiveVdso {
  const cap = readCapture(mapsText, { file: '/proc/self/maps' });
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
