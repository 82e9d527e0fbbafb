// Step 3 of a check, candidates: which profile rows (and page sizes) may apply. The profile; the
// image's (the engine selects its row); the release's; or, with nothing but the capture, every
// row of the families the capture's evidence leaves. Which row a release selects is the policy
// in layout/select.ts; this step only asks it. Pure.
import type { ProfileRow } from '../layout/profile-types.js';
import { familiesRunning, type KernelFamily } from '../layout/arch.js';
import { PROFILES, TEXT_ONLY_FAMILIES } from '../layout/profiles/index.js';
import { rowsWithoutRelease, selectRow } from '../layout/select.js';
import { parseKernelVersion } from '../layout/version.js';
import { pagesFitting } from './evidence.js';
import type { Known } from './resolve.js';

export interface Candidates {
  /** undefined: the row the engine selects for the image. */
  rows: Array<ProfileRow | undefined>;
  /** A release (or the image) chose the row, rather than the capture's shape. */
  versionSelected: boolean;
  /** What the selection said (vendor, backport, ambiguity, out of table). */
  notes: string[];
  /**
   * The rows of the [vdso]-only families the evidence left but that were not tried: they never
   * choose the verdict, but whether they fit says whether the families agree (explain.ts).
   */
  untried: ProfileRow[];
}

export function candidates(known: Known): Candidates {
  const { ctx, family, version, evidence } = known;
  const notes: string[] = [];
  if (ctx.profile) return { rows: [ctx.profile], versionSelected: false, notes, untried: [] };
  if (ctx.image) return { rows: [undefined], versionSelected: true, notes, untried: [] };
  if (family) {
    return { rows: version ? [selectRow(family, version, notes, ctx.kernelUpstream)] : rowsWithoutRelease(family), versionSelected: Boolean(version), notes, untried: [] };
  }
  // A family whose every layout is the text vma alone (parisc, sh) prints what any family's kernel
  // prints once it loses its data pages: among others the lines leave, its row would pass that
  // regression as its own. It is judged only where the evidence leaves it alone (or only such).
  const left = evidence!.families;
  const withData = left.filter((f) => !TEXT_ONLY_FAMILIES.has(f));
  const families = withData.length ? withData : left;
  if (families.length < left.length) {
    const skipped = left.filter((f) => !families.includes(f));
    notes.push(`${skipped.join(', ')} not tried: ${skipped.length > 1 ? 'their layouts are' : 'its layout is'} the [vdso] alone, which ${families.length > 1 ? `any of ${families.join(', ')}` : families[0]} prints when it loses its data pages (give --arch, --vdso or uname -m to decide)`);
  }
  const rowsOf = version && parseKernelVersion(version)
    ? (fs: readonly KernelFamily[]) => fs.map((f) => selectRow(f, version, [], ctx.kernelUpstream))
    : (fs: readonly KernelFamily[]) => fs.flatMap((f) => rowsWithoutRelease(f));
  return { rows: rowsOf(families), versionSelected: false, notes, untried: rowsOf(left.filter((f) => !families.includes(f))) };
}

/** Below this many vmas in a block, page granularity is weak evidence (see pageChoices). */
const ENOUGH_VMAS = 3;

/** The page sizes to try a row at: the known one, else what the capture's vma boundaries allow. */
export function pageChoices(known: Known, row: ProfileRow | undefined): Array<bigint | undefined> {
  const sizes = known.fixedPage === undefined ? pageSizesToTry(known, row) : undefined;
  if (!sizes) return [known.fixedPage];
  // No vma boundary is finer than a page. With enough vmas, the page is the largest the row
  // allows that divides every boundary: on smaller pages all of them would be aligned to a
  // larger one by chance.
  const fit = pagesFitting(sizes, known.granularity);
  if (fit.length) return known.vmaCount >= ENOUGH_VMAS ? [fit[0]] : fit;
  return [BigInt(Math.min(...sizes))];
}

/**
 * The page sizes the capture may choose among: the row's, without an image. An image says its
 * page size by its data symbols (the engine reads them), but a [vdso]-only family's has none
 * (sh's one page runs at 4K, 8K or 64K): for such an image the family's sizes, the capture's to choose.
 */
function pageSizesToTry(known: Known, row: ProfileRow | undefined): readonly number[] | undefined {
  const im = known.ctx.image;
  if (!im) return row?.pageSizes;
  // Most images have data symbols: settled before looking the family up (once per attempt).
  if (im.dataPageSymbols.length > 0) return undefined;
  const family = im.arch ? familiesRunning(im.arch).find((f) => TEXT_ONLY_FAMILIES.has(f)) : undefined;
  if (!family) return undefined;
  return row?.pageSizes ?? [...new Set(PROFILES[family].flatMap((r) => r.pageSizes))];
}

/** Every page size a row may run at, for trying rows the release did not select. */
export function allPageSizes(known: Known, row: ProfileRow): Array<bigint | undefined> {
  if (known.fixedPage !== undefined) return [known.fixedPage];
  if (known.ctx.image && !pageSizesToTry(known, row)) return [undefined];
  return row.pageSizes.map((p) => BigInt(p));
}

