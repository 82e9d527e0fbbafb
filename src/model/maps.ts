// One /proc/PID/maps line as decoded: what the capture layer emits and check, layout and report read.

export type NameKind =
  | 'anonymous' | 'file' | 'vdso' | 'vvar' | 'vvar_vclock' | 'vsyscall' | 'vectors' | 'sigpage'
  | 'uprobes' | 'gic' | 'heap' | 'stack' | 'stack_tid' | 'anon_named' | 'anon_shmem' | 'special';

export interface Mapping {
  start: bigint;
  end: bigint;
  /** The 4 permission characters exactly as printed. */
  perms: string;
  offset: bigint;
  major: number;
  minor: number;
  inode: bigint;
  /** Name with the kernel's `\012` decoded; undefined for anonymous mappings. */
  name?: string;
  /** Name exactly as printed (escapes kept). */
  rawName?: string;
  kind: NameKind;
  /** The name ends in " (deleted)" (flagged, never stripped: a file may really be called that). */
  deleted: boolean;
  /** 1-based line in the input, when it came from one. */
  line?: number;
  /** Hex digits the start address was printed with (8 on 32-bit kernels for low addresses). */
  addrDigits: number;
  /** 0-based column where the name starts, when there is one. */
  nameColumn?: number;
  /** The anonymous line lacked the trailing space after the inode (trailing blanks stripped by mail, Markdown, a forum; qemu-user's own maps print it so too). */
  noTrailingSpace?: boolean;
}
