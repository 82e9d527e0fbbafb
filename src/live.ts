// The running machine: this process's own maps, auxv and [vdso] bytes.
import { InputError } from './errors.js';
import { readProcBytes, readProcText, readSelfMemory } from './io.js';
import { parseAuxvAny } from './capture/auxv.js';
import type { Auxv } from './model/auxv.js';
import { readCapture, type ReaderOptions } from './capture/reader.js';
import type { Capture } from './model/capture.js';
import type { Mapping } from './model/maps.js';

export interface LiveVdso { mapping: Mapping; bytes: Uint8Array }

/** The [vdso] mapping of a process's maps, if it has one (a kernel booted with vdso=0 has none). */
export function vdsoMappingOf(cap: Capture): Mapping | undefined {
  return cap.blocks.flatMap((b) => b.mappings).find((m) => m.kind === 'vdso');
}

/** This process's [vdso] bytes; pass the maps already parsed when the caller has them. */
export function readLiveVdso(cap: Capture = readCapture(readProcText('/proc/self/maps'), { file: '/proc/self/maps' })): LiveVdso {
  const mapping = vdsoMappingOf(cap);
  if (!mapping) throw new InputError('this process has no [vdso] mapping (vdso=0 on the kernel command line?)', { file: '/proc/self/maps' });
  let bytes: Uint8Array;
  try {
    bytes = readSelfMemory(mapping.start, mapping.end);
  } catch (e) {
    throw new InputError(`cannot read [vdso] from memory: ${(e as Error).message}`, { file: '/proc/self/mem' });
  }
  return { mapping, bytes };
}

/** NR_CPUS - 1 as sysfs says it (drivers/base/cpu.c print_cpus_kernel_max), or undefined without sysfs. */
export function readKernelMax(): number | undefined {
  try {
    const m = /^(\d{1,5})\n?$/.exec(readProcText('/sys/devices/system/cpu/kernel_max'));
    return m ? Number(m[1]) : undefined;
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
}

/** This process as `check` with no capture judges it: its maps (read with `keep`), [vdso] bytes and aux vector. */
export function readLiveProcess(keep: ReaderOptions['keep']): { capture: Capture; vdso: Uint8Array; auxv: Auxv; nrCpus?: number } {
  const capture = readCapture(readProcText('/proc/self/maps'), { file: '/proc/self/maps', keep });
  const vdso = readLiveVdso(capture).bytes;
  const kernelMax = readKernelMax();
  return { capture, vdso, auxv: parseAuxvAny(readProcBytes('/proc/self/auxv'), { file: '/proc/self/auxv' }), nrCpus: kernelMax === undefined ? undefined : kernelMax + 1 };
}
