// A process's aux vector as decoded (from /proc/PID/auxv, an od dump, or LD_SHOW_AUXV=1 output).

export interface AuxEntry {
  type: number;
  name: string;
  /** Numeric value when known (binary/od, or a number in LD_SHOW_AUXV). */
  value?: bigint;
  /** Text as LD_SHOW_AUXV printed it (flag names, strings). */
  raw?: string;
}

export interface Auxv {
  form: 'binary' | 'od' | 'hexdump' | 'ld-show-auxv';
  wordSize?: 4 | 8;
  endian?: 'le' | 'be';
  entries: AuxEntry[];
  sysinfoEhdr?: bigint;
  pageSize?: bigint;
  hwcap?: AuxEntry;
  hwcap2?: AuxEntry;
  platform?: string;
}
