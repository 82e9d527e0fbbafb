// Which page sizes a Linux kernel can have: a power of two from 4 KiB (every arch) to 256 KiB
// (hexagon's largest; powerpc 44x, the largest of the arches vdso-layout profiles, stops at 256K).
// Anything else in an input is a mistake, and would otherwise divide by zero or lay out nonsense.
const MIN_PAGE_SIZE = 4096n;
const MAX_PAGE_SIZE = 262144n;

/**
 * Why these vmas cannot be a kernel's of `page`-byte pages (a kernel maps nothing finer than its
 * page), naming the first vma off it, or undefined when every boundary is on the page.
 */
export function pageMisfit(maps: ReadonlyArray<{ start: bigint; end: bigint; line?: number }>, page: bigint): string | undefined {
  const off = maps.find((m) => m.start % page !== 0n || m.end % page !== 0n);
  if (!off) return undefined;
  const vma = `vma ${off.start.toString(16)}-${off.end.toString(16)}`;
  return `${off.line !== undefined ? `line ${off.line}'s ${vma}` : `the ${vma}`} is not on ${page}-byte pages, and a kernel maps nothing finer than its page`;
}

/** Why V cannot be a page size, or undefined if it can. */
export function pageSizeProblem(v: bigint): string | undefined {
  if (v < MIN_PAGE_SIZE || v > MAX_PAGE_SIZE || (v & (v - 1n)) !== 0n) return `${v} is not a page size (a power of two from 4096 to 262144)`;
  return undefined;
}
