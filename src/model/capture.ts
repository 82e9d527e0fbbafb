// What the capture layer emits: per process (a maps block, an aux vector dump, a bundle) the
// decoded records, and what the reader cleaned up on the way. check/ reads these, never the input.
import type { Auxv } from './auxv.js';
import type { Mapping } from './maps.js';

export type DiagnosticCode =
  | 'crlf' | 'ansi' | 'kernel-log-prefix' | 'syslog-prefix' | 'line-prefix' | 'odd-perms'
  | 'no-trailing-space' | 'no-final-newline' | 'unsorted' | 'overlap' | 'bad-range' | 'interleaved' | 'smaps' | 'skipped'
  | 'long-line' | 'not-kept' | 'lava-log';

export interface Diagnostic {
  code: DiagnosticCode;
  /** First line it was seen on. */
  line: number;
  /** How many lines it applied to. */
  count: number;
  message: string;
  /** For unsorted/overlap: the other line. */
  otherLine?: number;
}

export interface MapsBlock {
  /** 0-based, in input order. */
  index: number;
  firstLine: number;
  lastLine: number;
  /** `maps-pid1` from `@@@BEGIN maps-pid1`, or the command line seen before the block. */
  label?: string;
  /** The mappings kept (all of them unless a keep filter was given), in order. */
  mappings: Mapping[];
  /** Mappings seen in the block, kept or not. */
  total: number;
  /** Anonymous executable mappings seen in the block, kept or not (vDSO text candidates when unnamed). */
  unnamedExec: number;
  /** Lines the keep filter accepted but the retention bounds left out (duplicates, candidates of a size already kept twice). */
  notKept: number;
  /** Kernel pointer size the lines show (address width or name column), if any line tells. */
  kernelBits?: 32 | 64;
  /** Cheap facts from every line, kept or not (for choosing a layout from a bare maps file). */
  evidence: BlockEvidence;
}

export interface BlockEvidence {
  /** OR of the low 18 bits of every vma start and end (0 = all 256K-aligned): the page size is at
   *  most the lowest set bit (e.g. 0x1000 set → 4K granularity). */
  boundaryBits: number;
  /** Distinct arch triplets seen in file paths ("x86_64-linux-gnu", "aarch64-linux-gnu",
   *  "arm-linux-gnueabihf", "x86_64-linux-gnux32", …): a path segment `<cpu>-linux-<abi>`; at most 4. */
  triplets: string[];
  /** Start of the block's first file-backed mapping (usually the executable: its load address). */
  firstFileStart?: bigint;
  /** End of the [stack] vma: the top of the task's user space, give or take its randomization. */
  stackEnd?: bigint;
  /** Dynamic loaders mapped (base names: "ld-linux-aarch64.so.1", "ld-musl-x86_64.so.1",
   *  "ld64.so.2"; at most 4): their names carry the ABI. Looked for with the triplets. */
  loaders?: string[];
}

/** An aux vector dump in the text (od / hexdump / LD_SHOW_AUXV lines): its lines and what they decode to. */
export interface AuxvDump {
  firstLine: number; label?: string; lines: string[];
  /** The dump ran past MAX_AUXV_TEXT (no aux vector is that long): its lines were not kept, nor decoded. */
  oversized?: boolean;
  /** The lines decoded; else, unless oversized, why they do not decode. */
  auxv?: Auxv;
  unreadable?: string;
}

/** A capture bundle (vdso-layout capture-script / capture): one process's maps, auxv and [vdso] bytes. */
export interface Bundle {
  firstLine: number;
  version: number;
  unameR?: string;
  unameM?: string;
  pageSize?: bigint;
  pid?: number;
  /** NR_CPUS, from the "kernel-max:" header (sysfs kernel_max + 1). */
  nrCpus?: number;
  /** A header line that sizes the check (pagesize, kernel-max) malformed or said twice: the process is not judged. */
  headerProblem?: { line: number; message: string };
  /** Index into Capture.blocks of the bundle's maps. */
  mapsBlock?: number;
  /** The aux vector section, decoded (undefined: oversized, or unreadable and why). */
  auxv?: Auxv;
  auxvUnreadable?: string;
  vdso?: { start: bigint; end: bigint; bytes: Uint8Array };
  /** Why there are no [vdso] bytes (not root, Yama, no [vdso], more than an image can be). */
  vdsoMissing?: string;
  /** The aux vector section ran past MAX_AUXV_TEXT bytes: dropped. */
  auxvOversized?: boolean;
  complete: boolean;
}

export interface KernelMark {
  line: number; release: string; machine?: string; banner: boolean;
  /** The upstream x.y.z a Debian build string names ("Debian 6.1.115-1") where the release hides it. */
  upstream?: string;
}

/** Where a log says the kernel's NR_CPUS (Tree RCU's boot line "RCU restricting CPUs from NR_CPUS=N"). */
export interface NrCpusMark { line: number; nrCpus: number }

export interface Capture {
  file: string;
  blocks: MapsBlock[];
  /** Aux vector dumps (od / LD_SHOW_AUXV lines) found in the input, decoded. */
  auxvBlocks: AuxvDump[];
  /**
   * Where the log names its kernel, in order: boot banners ("Linux version …"), `uname -a` lines
   * and bundle headers. A log may hold several boots; each process is judged by its own (kernelOf).
   */
  kernelMarks: KernelMark[];
  /** Where the log says NR_CPUS, in order (bounded as kernelMarks are); each process takes its boot's. */
  nrCpusMarks: NrCpusMark[];
  bundles: Bundle[];
  diagnostics: Diagnostic[];
  lineCount: number;
  /** More processes (maps blocks, aux vector dumps or bundles) than MAX_PROCESSES: the first line past the bound. */
  tooManyProcesses?: { line: number; what: string };
}
