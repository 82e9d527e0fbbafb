// Which page sizes a Linux kernel can have: a power of two from 4 KiB (every arch) to 256 KiB
// (hexagon's largest; powerpc 44x, the largest of the arches vdso-layout profiles, stops at 256K).
// Anything else in an input is a mistake, and would otherwise divide by zero or lay out nonsense.
const MIN_PAGE_SIZE = 4096n;
const MAX_PAGE_SIZE = 262144n;

/** Why V cannot be a page size, or undefined if it can. */
export function pageSizeProblem(v: bigint): string | undefined {
  if (v < MIN_PAGE_SIZE || v > MAX_PAGE_SIZE || (v & (v - 1n)) !== 0n) return `${v} is not a page size (a power of two from 4096 to 262144)`;
  return undefined;
}
