// The WebAssembly line scanner (scan.wat) as the capture reader uses it: one instance per
// reader, the input copied into its memory a window at a time. The layout constants mirror the
// state block described at the top of scan.wat.
import { SCAN_WASM } from './scan-wasm.js';

/** Where the input starts in the module's memory (below: the state block and the size table). */
export const INPUT_BASE = 20480;
/** Input bytes per call: a window of lines, copied into the module's memory. */
export const SCAN_WINDOW = 1 << 20;
/** Bytes after the last newline the module may read (its vector loads). */
const TAIL = 64;
// Indexes into the f64 and i32 views of the state block.
export const F_PREV_E = 0, F_START = 1, F_END = 2, F_FILE_DEV = 3, F_FILE_INODE = 4, F_DEV = 5, F_INODE = 6, F_PREV_S = 7;
export const I_FILE_NAME_LENGTH = 16, I_FLAGS = 17, I_LINE_START = 18, I_LINE_END = 19, I_NAME_AT = 20, I_PERMS = 21,
  I_DIGITS = 22, I_END_DIGITS = 23, I_BORING = 24, I_BITS = 25, I_LAST_START = 26, I_LAST_END = 27, I_NOT_KEPT = 28,
  I_UNNAMED_EXEC = 29, I_TRIPLETS = 30, I_LOADERS = 31, I_TRIPLET_LENGTHS = 36, I_LOADER_LENGTHS = 104;
export const FLAG_HAS_PREV = 1, FLAG_FIRST_FILE_SEEN = 2, FLAG_TRIPLETS_FULL = 4, FLAG_BITS64 = 8, FLAG_SIZES_FULL = 16, FLAG_BITS32 = 32;
/** Byte offsets: the perms table, the known triplets' and loaders' text (64 bytes each). */
export const BORING_TABLE = 128, TRIPLET_TEXT = 160, TRIPLET_MAX = 64, LOADER_TEXT = 432;
/** The size table has 2048 slots: the bounds may hold at most this many sizes for the module to be used. */
export const MAX_TABLE_SIZES = 1024;

export interface Scanner {
  /** scan(p, to, bad, stopFirst): 0 all lines boring, 1 an interesting clean line, 2 a line for the caller. */
  scan: (p: number, to: number, bad: number, stopFirst: number) => number;
  /** Record the caller's bounds for an unnamed size: 1 room left, 2 full. */
  markSize: (size: number, state: number) => void;
  clearSizes: () => void;
  f64: Float64Array;
  i32: Int32Array;
  /** The module's memory as bytes: the window is at INPUT_BASE, rewritten by the next load. */
  bytes: Buffer;
  load(src: Uint8Array, from: number, to: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

/** A scanner, or undefined where the runtime cannot run the module (no SIMD): the caller reads in JavaScript. */
export function createScanner(): Scanner | undefined {
  if (compiled === undefined) {
    try { compiled = new WebAssembly.Module(Buffer.from(SCAN_WASM, 'base64')); } catch { compiled = null; }
  }
  if (compiled === null) return undefined;
  const exports = new WebAssembly.Instance(compiled).exports as unknown as
    { memory: WebAssembly.Memory; scan: Scanner['scan']; markSize: Scanner['markSize']; clearSizes: Scanner['clearSizes'] };
  const memory = exports.memory;
  const views = () => ({ f64: new Float64Array(memory.buffer, 0, 16), i32: new Int32Array(memory.buffer, 0, 128), bytes: Buffer.from(memory.buffer) });
  const s: Scanner = {
    scan: exports.scan, markSize: exports.markSize, clearSizes: exports.clearSizes,
    ...views(),
    load(src, from, to) {
      const need = INPUT_BASE + (to - from) + TAIL;
      if (need > memory.buffer.byteLength) {
        memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
        Object.assign(s, views());
      }
      s.bytes.set(src.subarray(from, to), INPUT_BASE);
      s.bytes.fill(0, INPUT_BASE + (to - from), INPUT_BASE + (to - from) + TAIL);
    },
  };
  return s;
}
