// The capture layer's bounds: what one input may cost in memory and work, whatever it holds.

/**
 * With a keep filter, retention is bounded so that a hostile or huge capture costs bounded
 * memory and bounded work downstream: per block at most `perName` lines of one name (the rest
 * counted), and unnamed lines grouped by size, at most `perSize` of each size and `sizes`
 * different sizes (a size seen once is kept, so "the only one of this size" stays exact), and at
 * most `names` different names. Neighbours of kept lines are kept too (at most twice as many).
 */
export interface KeepBounds { perName: number; names: number; perSize: number; sizes: number }
export const KEEP_BOUNDS: Readonly<KeepBounds> = { perName: 8, names: 256, perSize: 2, sizes: 1024 };
/** Longer lines are skipped unread (a maps line is at most ~16 KiB: PATH_MAX, escaped). */
export const MAX_LINE_BYTES = 1 << 20;
/**
 * Processes in one capture: a boot log or a host dump has a handful to a few hundred. Checking one
 * costs ~1 ms with nothing to narrow its layout, so past this a capture is refused (split it).
 */
export const MAX_PROCESSES = 1024;
/** An aux vector is < 1 KiB, a text dump of it a few KiB: past this (as for --auxv) it is not one. */
export const MAX_AUXV_TEXT = 64 << 10;
/** A bundle's [vdso] bytes are capped like --vdso (INPUT_LIMITS.image in io.ts). */
export const MAX_BUNDLE_VDSO = 8 << 20;
/** NUL bytes tolerated (serial-console noise) before the input is refused as binary. */
export const MAX_NUL_BYTES = 64;
/** Order diagnostics (unsorted/overlap/bad-range) kept one by one; the rest are counted. */
export const MAX_ORDER_NOTES = 32;

/** Inputs shorter than this are read in JavaScript: instantiating the module costs more. */
export const WASM_BELOW = 256 << 10;
