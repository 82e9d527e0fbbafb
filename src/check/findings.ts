import type { ForeignArch, KernelFamily } from '../layout/arch.js';
// Finding codes are a stable contract (README, JSON, KTAP, JUnit, GitHub annotations use them).

export const FINDING_CODES = [
  'vdso-missing', 'vdso-unnamed', 'vvar-missing', 'vvar-unnamed', 'order', 'size', 'perms', 'gap', 'overlap',
  'split', 'duplicate', 'auxv-base', 'image-size', 'image-mismatch', 'neighbour', 'unexpected', 'not-checked',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

/** KTAP subtests: each finding code belongs to one rule. */
export const RULES = ['vdso_present', 'data_pages', 'layout', 'auxv_base', 'image', 'neighbours'] as const;
export type Rule = (typeof RULES)[number];

export const RULE_OF: Record<FindingCode, Rule> = {
  'vdso-missing': 'vdso_present', 'vdso-unnamed': 'vdso_present', duplicate: 'vdso_present', split: 'layout',
  'vvar-missing': 'data_pages', 'vvar-unnamed': 'data_pages', size: 'data_pages', perms: 'layout',
  order: 'layout', gap: 'layout', overlap: 'layout', unexpected: 'layout',
  'auxv-base': 'auxv_base', 'image-size': 'image', 'image-mismatch': 'image', neighbour: 'neighbours', 'not-checked': 'image',
};

interface CaptureLine { text: string; line?: number }

export interface Finding {
  code: FindingCode;
  severity: 'error' | 'warning';
  /** One sentence a reviewer understands. */
  message: string;
  expected?: string;
  actual?: string;
  /** Line in the capture the finding points at. */
  line?: number;
}

export interface Skip { rule: Rule; reason: string }

export interface CheckResult {
  input: string;
  /** 0-based maps block (process) in the input. */
  block: number;
  label?: string;
  verdict: 'pass' | 'fail' | 'error';
  /** AT_SYSINFO_EHDR / text base used. */
  base?: bigint;
  anchoredBy?: 'auxv' | 'name' | 'unnamed-heuristic';
  /** The row the verdict names; absent when the capture's evidence cannot decide the family. */
  profile?: string;
  /** The kernel family judged against; absent when undecided (then `families` says which fit). */
  family?: KernelFamily;
  /**
   * Undecided family: the families that fit the capture (by its evidence, and by its rows when any
   * passes), then the architectures without a profile that print the same names (csky).
   */
  families?: Array<KernelFamily | ForeignArch>;
  /** No image/kernel given: every profile the capture is consistent with. */
  consistentWith?: string[];
  kernelBits?: 32 | 64;
  kernelVersion?: string;
  /** kernelVersion is an image note's x.y.255: LINUX_VERSION_CODE caps the sublevel, the kernel is that or later. */
  kernelSublevelCapped?: boolean;
  pageSize?: bigint;
  expected: CaptureLine[];
  actual: CaptureLine[];
  findings: Finding[];
  skipped: Skip[];
  /** Reader clean-ups and other notes (never change the verdict). */
  notes: string[];
  /** For verdict 'error': why the input could not be read. */
  message?: string;
  /**
   * For verdict 'error', what could not be used: a capture; a file an option names (`--vdso`,
   * `--auxv`, `--profile`: then no capture is judged); the command line; or the tool itself.
   */
  errorKind?: ErrorKind;
  /** Wall time spent reading and checking this process (the shell measures it; JUnit's `time`). */
  seconds?: number;
}

const ERROR_KINDS = ['capture', 'option', 'usage', 'internal', 'undecided'] as const;
/** The input an error result names when no file could be judged because of the command line itself. */
export const COMMAND_LINE = '(command line)';
export type ErrorKind = (typeof ERROR_KINDS)[number];

export function verdictOf(findings: Finding[]): 'pass' | 'fail' {
  return findings.some((f) => f.severity === 'error') ? 'fail' : 'pass';
}

/**
 * "A pass must mean right", enforced on the result itself: a verdict passes only if every
 * expected line is the capture's line. compareCluster says what differs; should a difference
 * ever reach here without a finding, this one makes it a failure rather than a pass.
 */
export function withPassInvariant(r: CheckResult): CheckResult {
  if (r.verdict !== 'pass') return r;
  const exp = r.expected; const act = r.actual;
  let at = -1;
  for (let i = 0; i < exp.length && at < 0; i++) if (i >= act.length || exp[i].text !== act[i].text) at = i;
  if (at < 0 && exp.length !== act.length) at = exp.length;
  if (at < 0) return r;
  const finding: Finding = {
    code: 'unexpected', severity: 'error', message: 'the capture\'s lines differ from the profile\'s (first difference shown): a pass needs every line equal',
    expected: exp[at]?.text, actual: act[at]?.text, line: act[at]?.line,
  };
  return { ...r, verdict: 'fail', findings: [...r.findings, finding] };
}
