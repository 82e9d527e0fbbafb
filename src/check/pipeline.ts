// One process (maps block) → one verdict. Pure: parsed inputs in, a CheckResult out. A pipeline
// of small steps, each in its own module:
//   resolve (resolve.ts)       the inputs → what is known before any layout
//   anchor (anchor.ts)         where the capture's vDSO text sits, and its cluster
//   candidates (candidates.ts) which profile rows, at which page sizes, may apply
//                              (which row a release selects: layout/select.ts)
//   compare (compare.ts)       each candidate layout against the capture
//   rank (rank.ts)             the closest of them; none where the families the lines
//                              leave disagree (explain.ts familiesDisagree: undecided)
//   explain (explain.ts)       the verdict, findings and notes
import { BeforeTableError, NrCpusRangeError, UndecidedError, UsageError } from '../errors.js';
import type { Layout } from '../layout/engine.js';
import type { ProfileRow } from '../layout/profile-types.js';
import { beforeTable } from '../layout/select.js';
import type { MapsBlock } from '../model/capture.js';
import type { NameKind } from '../model/maps.js';
import { anchorCluster } from './anchor.js';
import { allPageSizes, candidates, pageChoices } from './candidates.js';
import { belongsToCheck } from './cluster.js';
import { attemptLayout, type Attempt, type AttemptInput } from './compare.js';
import { explain, familiesDisagree } from './explain.js';
import { withPassInvariant, type CheckResult } from './findings.js';
import { layoutFor, layoutInput } from './layouts.js';
import { closest, errorsOf } from './rank.js';
import { resolve, type CheckContext } from './resolve.js';

export type { CheckContext } from './resolve.js';

/** Keep filter for the capture reader: what a check can need from a process's maps (see cluster.ts). */
export function keepForCheck(l: { kind: NameKind; perms: string }): boolean {
  return belongsToCheck(l);
}

export function checkBlock(block: MapsBlock, ctx: CheckContext): CheckResult {
  const known = resolve(block, ctx);
  const { anchor, cluster } = anchorCluster(known.maps, known.auxvBase, ctx.image);
  const cands = candidates(known);
  const compareWith: AttemptInput = { mappings: block.mappings, anchor: anchor.mapping, cluster, auxvBase: known.auxvBase, image: ctx.image };
  const build = (row: ProfileRow | undefined, page: bigint | undefined): Layout | undefined => {
    const input = layoutInput(known, anchor, row, page);
    return input && layoutFor(input);
  };

  // Each row at each page size it may run at. Among several candidates, a row the engine cannot
  // lay out here is no candidate.
  // An NR_CPUS past the range of a family's per-CPU rows is past every kernel of that family (the
  // bound is Kconfig's widest): its rows that do not size by NR_CPUS are no way out either.
  const pastRange: NrCpusRangeError[] = [];
  const attemptsOf = (rows: ReadonlyArray<ProfileRow | undefined>, skipUnfit: boolean): Attempt[] => {
    const out: Attempt[] = [];
    for (const row of rows) {
      for (const page of pageChoices(known, row)) {
        let layout: Layout | undefined;
        try { layout = build(row, page); } catch (e) {
          if (!(e instanceof UsageError) || !skipUnfit) throw e;
          if (e instanceof NrCpusRangeError) pastRange.push(e);
          continue;
        }
        if (layout) out.push(attemptLayout(layout, out.length, compareWith));
      }
    }
    return out;
  };
  const attempts = attemptsOf(cands.rows, cands.rows.length > 1);
  if (pastRange.length && attempts.every((a) => pastRange.some((e) => e.family === a.layout.family))) throw pastRange[0];
  if (attempts.length === 0) throw new UsageError('no architecture: give --vdso IMAGE or --arch NAME');

  const rowFits = (row: ProfileRow) => allPageSizes(known, row).some((page) => {
    let layout: Layout | undefined;
    try { layout = build(row, page); } catch { return false; }
    return layout !== undefined && errorsOf(attemptLayout(layout, 0, compareWith)) === 0;
  });
  const undecided = familiesDisagree(known, attempts, attemptsOf(cands.untried, true), anchor.mapping);
  if (undecided) throw new UndecidedError(undecided, { file: ctx.input, line: block.firstLine });
  // A kernel older than its family's table: the oldest row would be a guess at what it printed,
  // pass or fail (--profile names the row to judge by instead). Where the families the lines
  // leave include one whose table reaches the kernel, the verdict is that one's (an x86_64 paste
  // named 2.6.18 fails as x86-2.6.18; it was refused as "older than every riscv row").
  const tooOldOf = (a: Attempt) => (ctx.profile ? undefined : beforeTable(a.layout.family, a.layout.profile, a.layout.kernelVersion));
  const reaching = attempts.filter((a) => !tooOldOf(a));
  const chosen = closest(reaching.length ? reaching : attempts, anchor.mapping);
  const tooOld = tooOldOf(chosen);
  if (tooOld) throw new BeforeTableError(`${tooOld.why}, so a verdict would rest on a guess (give --profile ${tooOld.oldest.id} to judge the lines by that row)`, { file: ctx.input, line: block.firstLine });
  return withPassInvariant(explain({ known, anchor, cluster, candidates: cands, attempts, chosen, rowFits }, ctx.input, block));
}
