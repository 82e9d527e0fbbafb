// Step 6 of a check, explain: the chosen attempt → the verdict and what a reviewer reads with it
// (which rows fit, whether the family is decided, what could not be checked, why). Pure.
import { hex } from '../errors.js';
import { HAS_32BIT_KERNELS, ONLY_32BIT_KERNELS, type ForeignArch, type KernelFamily } from '../layout/arch.js';
import type { ProfileRow } from '../layout/profile-types.js';
import { PROFILES } from '../layout/profiles/index.js';
import { pageCountValues } from '../layout/engine.js';
import { backportAlternatives, newestMainline, olderThanTable, otherFittingRows } from '../layout/select.js';
import { compareVersions, parseKernelVersion } from '../layout/version.js';
import type { Mapping } from '../model/maps.js';
import type { Anchor } from './anchor.js';
import type { Candidates } from './candidates.js';
import type { Attempt } from './compare.js';
import { verdictOf, type CheckResult, type Finding, type Skip } from './findings.js';
import { closest, errorsOf } from './rank.js';
import type { Known } from './resolve.js';

interface Judged {
  known: Known;
  anchor: Anchor;
  cluster: readonly Mapping[];
  candidates: Candidates;
  attempts: readonly Attempt[];
  chosen: Attempt;
  /** Whether a row the release did not select fits the capture exactly (no errors). */
  rowFits: (row: ProfileRow) => boolean;
}

const rangeOf = (r: ProfileRow) => `${r.since}${r.until ? ` to ${r.until}` : ' on'}`;
const tag = (a: Attempt) => `${a.layout.profile.id}@${a.layout.pageSize / 1024n}K`;

/** The family on the verdict only when the evidence or the fitting rows decide it. */
function familyDecision(known: Known, consistent: readonly Attempt[]): { undecided: boolean; families?: Array<KernelFamily | ForeignArch> } {
  const { evidence } = known;
  const fitting = [...new Set(consistent.map((a) => a.layout.family))];
  // A name another architecture (no profile) prints too leaves the family open whatever fits.
  const undecided = evidence !== undefined && !evidence.known && (consistent.length ? fitting.length > 1 || evidence.alsoForeign !== undefined : true);
  const open = undecided ? (consistent.length ? fitting : evidence!.families) : undefined;
  return { undecided, families: open && [...open, ...(evidence?.alsoForeign?.arches ?? [])] };
}

/**
 * Where nothing names the family and the evidence leaves several, the rows of some fit and of
 * others do not: a verdict would rest on which family printed the lines, a guess (an x86_64 4.0
 * paste under --kernel 6.1 passed as riscv-5.16; an armhf task that lost all but its [vdso]
 * passed as x86-2.6). `untried`: the [vdso]-only families' rows, which never choose the verdict
 * but count here (a real hppa task's lines alone failed as ppc32's). A family older than its
 * table at the version is judged by its oldest row, as everywhere, and said so. What to say
 * instead, or undefined when the families agree.
 */
export function familiesDisagree(known: Known, tried: readonly Attempt[], untried: readonly Attempt[], anchor: Mapping | undefined): string | undefined {
  const { evidence } = known;
  if (!evidence || evidence.known) return undefined;
  const all = untried.length ? [...tried, ...untried] : tried;
  const fits = all.filter((a) => errorsOf(a) === 0);
  if (fits.length === 0) return undefined;
  const fit = new Set(fits.map((a) => a.layout.family));
  const misfit = [...new Set(all.map((a) => a.layout.family))].filter((f) => !fit.has(f));
  if (misfit.length === 0) return undefined;
  // A family with no row for the release is judged by its oldest row (as everywhere): said so.
  const version = known.version !== undefined ? parseKernelVersion(known.version) : undefined;
  const oldest = (family: KernelFamily) => (version && olderThanTable(family, version) ? `no row for ${known.version}; its oldest` : undefined);
  const fitting = [...new Set(fits.map((a) => {
    const older = oldest(a.layout.family);
    return older ? `${a.layout.profile.id} (${older})` : a.layout.profile.id;
  }))];
  const misfits = misfit.map((family) => {
    const near = closest(all.filter((a) => a.layout.family === family), anchor);
    const codes = [...new Set(near.findings.filter((f) => f.severity === 'error').map((f) => f.code))].join(', ');
    const older = oldest(family);
    return `${family} (${older ? `${older}, ` : ''}${near.layout.profile.id}: ${codes})`;
  });
  const none = misfits.length > 1 ? `${misfits.slice(0, -1).join(', ')} or ${misfits[misfits.length - 1]}` : misfits[0];
  return `family undecided: the lines fit ${fitting.join(', ')} but no row of ${none}, and nothing in them names the family: a verdict would rest on a guess (give --arch, --vdso or uname -m to decide)`;
}

/** What the capture's shape, the candidates and the table say about the choice. */
function choiceNotes(j: Judged, consistent: readonly Attempt[], decision: { undecided: boolean; families?: Array<KernelFamily | ForeignArch> }): string[] {
  const { known, chosen, attempts, cluster } = j;
  const { evidence, version, ctx } = known;
  const notes = [...j.candidates.notes];
  const multi = attempts.length > 1;
  if (evidence) {
    if (evidence.known) notes.push(`arch ${evidence.families[0]}, from the capture: ${evidence.reasons.join('; ')}`);
    else notes.push(`arch unknown: the capture fits ${[...evidence.families, ...(evidence.alsoForeign?.arches.map((a) => `${a} (no profile)`) ?? [])].join(', ')}${evidence.reasons.length ? ` (${evidence.reasons.join('; ')})` : ''}; judged against the closest profile`);
    notes.push(`every vma boundary is a multiple of ${evidence.granularity / 1024n}K: pages of at most that size`);
  }
  if (multi && consistent.length) notes.push(`consistent with ${consistent.map(tag).join(', ')}`);
  // A per-CPU area pinned: by what (a pass shows the NR_CPUS it rests on, as a failure does).
  for (const r of chosen.layout.regions) {
    if (r.perCpu?.nrCpus === undefined) continue;
    const pages = r.size / chosen.layout.pageSize;
    notes.push(`${r.name ?? 'the data vma'}: ${pages} page${pages === 1n ? '' : 's'} at ${chosen.layout.pageSize}-byte pages, sized by ${ctx.nrCpusSaid ?? `NR_CPUS=${r.perCpu.nrCpus}`}`);
  }
  if (decision.undecided) notes.push(`family undecided: ${decision.families!.join(', ')} fit${consistent.length ? '' : ' the evidence'}; the lines shown are ${chosen.layout.profile.id}'s (give --arch, --vdso or uname -m to decide)`);
  if (evidence && !version && errorsOf(chosen) === 0) {
    // It passes as an older era only: say what the newest layout of the family finds.
    const newestRow = newestMainline(chosen.layout.family);
    const newest = attempts.filter((a) => a.layout.profile.id === newestRow?.id).sort((x, y) => errorsOf(x) - errorsOf(y))[0];
    if (newest && errorsOf(newest) > 0) {
      const codes = [...new Set(newest.findings.filter((f) => f.severity === 'error').map((f) => f.code))].join(', ');
      notes.push(`this capture has the shape of ${chosen.layout.profile.id} (${rangeOf(chosen.layout.profile)}); on a newer kernel it is wrong (${newest.layout.profile.id}: ${codes}): give --kernel to decide`);
    }
  }
  if (multi && !consistent.length) notes.push(`no profile fits; closest is ${chosen.layout.profile.id} at ${chosen.layout.pageSize}-byte pages (it explains ${chosen.structure[0]} of the capture's ${cluster.length} cluster vma(s) by name, ${chosen.structure[1]} also by size)`);
  // Without a release vendor rows are no candidates (a release string picks them): where one fits
  // a failing process, say which and how to give it (a RHEL 5 x86_64 paste: gate ---p, 8 MiB).
  if (!j.candidates.versionSelected && !ctx.profile && !version && errorsOf(chosen) > 0) {
    for (const row of PROFILES[chosen.layout.family]) {
      if (row.vendor && j.rowFits(row)) notes.push(`the lines fit vendor row ${row.id} (${row.vendor.name}); if this is such a kernel, give its release with --kernel (uname -r) to judge them by it`);
    }
  }
  // The release chose a row that fails, but another built-in row fits exactly: say so, and how
  // to accept it. The verdict stays a failure: a guess never passes.
  if (j.candidates.versionSelected && !ctx.profile && errorsOf(chosen) > 0) {
    const known = parseKernelVersion(chosen.layout.kernelVersion ?? version ?? '');
    for (const row of otherFittingRows(chosen.layout.family, chosen.layout.profile, known, j.rowFits)) {
      notes.push(`profile ${row.id} (${rangeOf(row)}) fits this capture exactly; if this kernel carries that layout (a vendor or backported kernel), accept it with --profile ${row.id}`);
    }
  }
  return notes;
}

/** What could not be checked, and the image against the process, said out loud. */
function coverage(j: Judged): { findings: Finding[]; skipped: Skip[] } {
  const { ctx, version, auxvBase, maps } = j.known;
  const findings: Finding[] = [];
  const skipped: Skip[] = [];
  // A text vma of fixed size (sh) is checked without the image.
  if (!ctx.image && j.chosen.layout.textFrom !== 'profile') {
    skipped.push({ rule: 'image', reason: 'no vDSO image (--vdso, or a capture bundle with the [vdso] bytes): the text size is not checked' });
    findings.push({ code: 'not-checked', severity: 'warning', message: 'text size not checked: no vDSO image given' });
  }
  const { doubted, evidence } = j.known;
  if (evidence?.alsoForeign) {
    const { why, arches } = evidence.alsoForeign;
    findings.push({ code: 'not-checked', severity: 'warning', message: `architecture not confirmed by the capture: ${why}, which ${arches.join(' and ')} kernels print too, and vdso-layout has no profile for them (give --arch, --vdso or uname -m to decide)` });
  }
  if (doubted) {
    findings.push({ code: 'not-checked', severity: 'warning', message: `architecture not confirmed by the capture: ${doubted.by}, but ${doubted.hints.join('; ')}` });
  }
  if (!version && !ctx.profile) {
    findings.push({ code: 'not-checked', severity: 'warning', message: `kernel version unknown (no --kernel, no Linux note, no uname in the capture): the exact era is not pinned${j.attempts.length > 1 ? '' : `; assumed ${j.chosen.layout.profile.id}`}` });
  }
  // A row forced with --profile that ended before the kernel's version: a backport brings a newer
  // layout into an older kernel, never the reverse, so only a kernel that reverted it prints it.
  const forced = ctx.profile;
  const known = forced?.until !== undefined && version ? parseKernelVersion(version) : undefined;
  const until = forced?.until !== undefined ? parseKernelVersion(forced.until) : undefined;
  if (forced && known && until && compareVersions(known, until) >= 0) {
    findings.push({ code: 'not-checked', severity: 'warning', message: `profile ${forced.id} is the layout of ${forced.since} to before ${forced.until}, and the kernel is ${version}: a newer kernel prints it only if it reverted the change (give the row of ${version}, or no --profile)` });
  }
  // A release that hides its sublevel (6.1.0-27-loong64) where a stable backport inside its series
  // changed the layout: if the two rows judge these lines differently, the verdict rests on which
  // side of the backport the kernel is, which nothing in the capture says.
  const chosenFits = errorsOf(j.chosen) === 0;
  // The engine selected the row (an image) or the candidates did, by the capture's release.
  const alternatives = ctx.profile ? [] : ctx.image ? j.chosen.layout.backportAlternatives : backportAlternatives(j.chosen.layout.family, version, ctx.kernelUpstream);
  const series = (s: string) => s.split(/[.-]/).slice(0, 2).join('.');
  for (const alt of alternatives) {
    if (j.rowFits(alt) === chosenFits) continue;
    const from = (alt.backports ?? []).find((b) => series(b) === series(version ?? '')) ?? alt.since;
    const what = alt.backports?.includes(from) ? 'a stable backport' : 'a stable release';
    // Not "holds only before": a later backport in the series may bring lines like these back (x86 4.4.190).
    findings.push({ code: 'not-checked', severity: 'warning', message: `era not pinned: the release ${version} does not say its sublevel, and from ${from} (${what}) the kernel prints ${alt.id}'s lines, which these ${chosenFits ? 'are not' : 'are'}: the verdict rests on a sublevel the capture does not say (give --kernel ${series(from)}.N)` });
  }
  // A per-CPU data area (LoongArch's [vvar]) without NR_CPUS: only Kconfig's range is checked.
  for (const r of j.chosen.layout.regions) {
    if (!r.perCpu || r.perCpu.nrCpus !== undefined || r.allowed === undefined || typeof r.allowed === 'number') continue;
    const name = r.name ?? 'the data vma';
    const range = `${pageCountValues(r.allowed).describe} pages at ${j.chosen.layout.pageSize}-byte pages`;
    skipped.push({ rule: 'data_pages', reason: `${name} holds a record per possible CPU: its exact size needs NR_CPUS, which the capture does not say (${range} accepted)` });
    findings.push({ code: 'not-checked', severity: 'warning', message: `${name} size not pinned: it grows with NR_CPUS, which the capture does not say, so ${range} are accepted (a boot log's "RCU restricting CPUs from NR_CPUS=" line, a bundle's kernel-max or --nr-cpus pins it)` });
  }
  // A count open upwards (a row that stands for kernels sizing it differently): only its floor is checked.
  for (const r of j.chosen.layout.regions) {
    if (r.perCpu || r.allowed === undefined || typeof r.allowed === 'number' || !('min' in r.allowed) || r.allowed.max !== undefined) continue;
    const name = r.name ?? 'the data vma';
    const id = j.chosen.layout.profile.id;
    skipped.push({ rule: 'data_pages', reason: `profile ${id} accepts ${name} of at least ${r.allowed.min} page${r.allowed.min === 1 ? '' : 's'}: the kernels it stands for size it differently` });
    findings.push({ code: 'not-checked', severity: 'warning', message: `${name} size not pinned: profile ${id} accepts at least ${r.allowed.min} page${r.allowed.min === 1 ? '' : 's'}, as the kernels it stands for size it differently (\`vdso-layout profiles --arch ${j.chosen.layout.family}\` says how)` });
  }
  if (auxvBase === undefined) skipped.push({ rule: 'auxv_base', reason: 'no aux vector (--auxv, or one in the capture): AT_SYSINFO_EHDR is not checked' });
  // The image's ABI against the process: a 64-bit task has vmas above 4 GiB (its vDSO among them),
  // a 32-bit one (i386, arm, x32, o32 under a 64-bit kernel) none.
  if (ctx.image && maps.length > 0) {
    const above4G = maps.some((m) => m.end > 0x100000000n && m.kind !== 'vsyscall' && m.kind !== 'vectors');
    const cls = ctx.image.header.class;
    if (cls === 64 && !above4G) findings.push({ code: 'image-mismatch', severity: 'error', message: `the image is ${ctx.image.arch ?? 'ELF64'} (64-bit) but every vma of this process is below 4 GiB: a 32-bit task (compat or x32), which maps the kernel's 32-bit vDSO image, not this one` });
    else if (cls === 32 && above4G) findings.push({ code: 'image-mismatch', severity: 'error', message: `the image is ${ctx.image.arch ?? 'ELF32'} (32-bit) but this process has vmas above 4 GiB: a 64-bit task, which maps the kernel's 64-bit vDSO image, not this one` });
  }
  if (ctx.image && ctx.dumpedImage) {
    const a = ctx.image; const d = ctx.dumpedImage;
    if (a.arch !== d.arch) findings.push({ code: 'image-mismatch', severity: 'error', message: `the target's [vdso] is ${d.arch} but --vdso is ${a.arch}` });
    else if (a.buildId && d.buildId && a.buildId !== d.buildId) findings.push({ code: 'image-mismatch', severity: 'error', message: `the target's [vdso] has build-id ${d.buildId}, --vdso has ${a.buildId}: not the same build` });
  }
  return { findings, skipped };
}

/**
 * The kernel's width as a result may say it: read (the lines, a flag, uname -m), a 64-bit task's
 * (its image), or the one width the decided family's kernels have. Else the engine's assumption,
 * which is no evidence and is not said (a ppc32 paste of unread width was "64-bit kernel").
 */
function kernelBitsSaid(known: Known, chosen: Attempt, undecided: boolean): 32 | 64 | undefined {
  if (known.kernelBits !== undefined) return known.kernelBits;
  if (known.ctx.image?.header.class === 64) return 64;
  if (undecided) return undefined;
  const family = chosen.layout.family;
  return ONLY_32BIT_KERNELS.has(family) ? 32 : HAS_32BIT_KERNELS.has(family) ? undefined : 64;
}

/** The result for one block (before the pass invariant, which check.ts applies). */
export function explain(j: Judged, input: string, block: { index: number; label?: string }): CheckResult {
  const { chosen, anchor, attempts } = j;
  const consistent: Attempt[] = [];
  for (const a of attempts) if (errorsOf(a) === 0) consistent.push(a);
  const decision = familyDecision(j.known, consistent);
  const notes = choiceNotes(j, consistent, decision);
  const covered = coverage(j);
  const findings = [...chosen.findings, ...covered.findings];
  for (const w of chosen.layout.warnings) notes.push(w);
  if (anchor.by === 'unnamed-heuristic' && anchor.mapping) notes.push(`located the vDSO text by its place (an unnamed r-x vma at ${hex(anchor.mapping.start)})`);
  const { undecided, families } = decision;
  const bits = kernelBitsSaid(j.known, chosen, undecided);
  const expected: CheckResult['expected'] = [];
  for (const text of chosen.lines.expected) expected.push({ text });
  const actual: CheckResult['actual'] = [];
  for (let i = 0; i < chosen.lines.actual.length; i++) actual.push({ text: chosen.lines.actual[i], line: chosen.actual[i].line });
  return {
    input, block: block.index, label: block.label, verdict: verdictOf(findings), base: anchor.mapping ? chosen.base : undefined,
    anchoredBy: anchor.mapping ? anchor.by : undefined,
    profile: undecided ? undefined : chosen.layout.profile.id, family: undecided ? undefined : chosen.layout.family, families,
    consistentWith: attempts.length > 1 ? consistent.map((a) => a.layout.profile.id).filter((v, i, arr) => arr.indexOf(v) === i) : undefined,
    kernelBits: bits, kernelVersion: chosen.layout.kernelVersion,
    kernelSublevelCapped: chosen.layout.kernelVersionFrom === 'image' && parseKernelVersion(chosen.layout.kernelVersion ?? '')?.[2] === 255 ? true : undefined,
    pageSize: chosen.layout.pageSize,
    expected, actual, findings, skipped: covered.skipped, notes,
  };
}
