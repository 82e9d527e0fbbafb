// Renderers of check results: text (with a unified diff), json, ktap, junit, github.
import type { ChalkInstance } from 'chalk';
import { hex } from '../errors.js';
import { COMMAND_LINE, RULES, RULE_OF, type CheckResult, type ErrorKind } from '../check/findings.js';
import { jsonEscapeUnsafe, percentEncodeUnsafe, visible } from './escape.js';
import type { Format } from './formats.js';
import { SCHEMA } from './schemas.js';

export type { Format } from './formats.js';

const nameOf = (r: CheckResult) => `${r.input}${r.label ? `#${r.label}` : r.block > 0 ? `#${r.block + 1}` : ''}`;
/**
 * Each process's name in a report: FILE#label (or FILE#N). Where one capture repeats a label (a
 * gate log's native and compat tasks, each a "bundle"), the block number too, as `diff --block`
 * counts it: two "console.log#bundle" lines did not say which task failed.
 */
function namesOf(results: readonly CheckResult[]): string[] {
  const names = results.map(nameOf);
  const blocks = new Map<string, Set<number>>();
  results.forEach((r, i) => { const n = names[i]; if (!blocks.has(n)) blocks.set(n, new Set()); blocks.get(n)!.add(r.block); });
  return results.map((r, i) => (r.label && blocks.get(names[i])!.size > 1 ? `${names[i]} (block ${r.block + 1})` : names[i]));
}

type PatchMaker = typeof import('diff').createTwoFilesPatch;
let createTwoFilesPatch: PatchMaker | undefined;
/** jsdiff is only needed to show a failure; load it then (start-up stays lean). */
export async function loadDiff(): Promise<void> {
  createTwoFilesPatch ??= (await import('diff')).createTwoFilesPatch;
}

function unifiedDiff(r: CheckResult): string {
  if (!createTwoFilesPatch) throw new Error('loadDiff() first');
  const exp = r.expected.map((l) => l.text).join('\n') + '\n';
  const act = r.actual.map((l) => l.text).join('\n') + '\n';
  if (exp === act) return '';
  const patch = createTwoFilesPatch('expected', 'actual', exp, act, `synthesized by vdso-layout (${r.profile ?? 'family undecided: the closest row'})`, r.input, { context: 3 });
  return patch.split('\n').filter((l) => !l.startsWith('Index:') && !l.startsWith('====')).join('\n');
}

function summary(r: CheckResult): string {
  const undecided = !r.profile && r.families?.length ? `family undecided (${r.families.join(', ')} fit${r.consistentWith?.length ? `: ${r.consistentWith.join(', ')}` : ''})` : undefined;
  const parts = [r.profile && `profile ${r.profile}`, undecided, r.pageSize && `${r.pageSize / 1024n}K pages`, r.kernelBits && `${r.kernelBits}-bit kernel`, r.kernelVersion && `kernel ${r.kernelVersion}${r.kernelSublevelCapped ? ' or later (LINUX_VERSION_CODE caps the sublevel at 255)' : ''}`, r.base !== undefined && `base ${hex(r.base)}`];
  return parts.filter(Boolean).join(', ');
}

export function renderText(results: CheckResult[], c: ChalkInstance, opts: { quiet?: boolean; verbose?: boolean } = {}): string {
  const out: string[] = [];
  // Everything from an input is made visible before it is coloured (escapes from a file name or a
  // maps name must not reach the terminal); the diff header's tab is jsdiff's own.
  const v = (t: string) => visible(t, '\t');
  const names = namesOf(results);
  for (const [i, r] of results.entries()) {
    if (r.verdict === 'error') continue; // said on stderr by the caller, as in every format
    const warnings = r.findings.filter((f) => f.severity === 'warning');
    if (r.verdict === 'pass') {
      if (opts.quiet) continue;
      out.push(`${c.green('ok')} ${v(`${names[i]}: ${summary(r)}${r.profile && r.consistentWith && r.consistentWith.length > 1 ? ` (consistent with ${r.consistentWith.join(', ')})` : ''}`)}`);
      // What could not be checked is said on every pass, one line each (never a silent pass).
      for (const f of warnings) out.push(`  ${c.yellow(`warning[${f.code}]`)}: ${v(f.message)}`);
      if (opts.verbose) for (const n of r.notes) out.push(c.dim(`  note: ${v(n)}`));
      continue;
    }
    out.push(`${c.red('FAIL')} ${v(`${names[i]}${r.actual[0]?.line ? ` (line ${r.actual[0].line})` : ''}: ${summary(r)}`)}`);
    const d = unifiedDiff(r);
    if (d) {
      for (const raw of d.split('\n')) {
        if (raw === '') continue;
        const l = v(raw);
        out.push(l.startsWith('+') && !l.startsWith('+++') ? c.green(l) : l.startsWith('-') && !l.startsWith('---') ? c.red(l) : l.startsWith('@@') ? c.cyan(l) : l);
      }
    }
    for (const f of r.findings) {
      const tag = f.severity === 'error' ? c.red(`error[${f.code}]`) : c.yellow(`warning[${f.code}]`);
      out.push(`${tag}${f.line ? ` line ${f.line}` : ''}: ${v(f.message)}`);
      if (f.expected) out.push(`  expected: ${v(f.expected)}`);
      if (f.actual) out.push(`  actual:   ${v(f.actual)}`);
    }
    for (const n of r.notes) out.push(c.dim(`  note: ${v(n)}`));
  }
  if (results.length > 1 && (!opts.quiet || results.some((r) => r.verdict !== 'pass'))) {
    const n = (v: string) => results.filter((r) => r.verdict === v).length;
    const errors = (kinds: readonly ErrorKind[]) => results.filter((r) => r.verdict === 'error' && kinds.includes(r.errorKind ?? 'capture')).length;
    const w = results.reduce((k, r) => k + r.findings.filter((f) => f.severity === 'warning').length, 0);
    const counts = [`${n('pass')} passed`, `${n('fail')} failed`];
    // Each kind of error said apart: a capture its flags do not fit was read, and refused.
    for (const [k, kinds] of [['unreadable', ['capture', 'option']], ['refused', ['usage']], ['undecided', ['undecided']], ['internal errors', ['internal']]] as const) {
      const m = errors(kinds);
      if (m) counts.push(`${m} ${k === 'internal errors' && m === 1 ? 'internal error' : k}`);
    }
    if (w) counts.push(`${w} warning${w === 1 ? '' : 's'}`);
    out.push(`${results.length} processes checked: ${counts.join(', ')}`);
  }
  return out.length ? out.join('\n') + '\n' : '';
}

export function renderJson(results: CheckResult[]): string {
  return jsonEscapeUnsafe(JSON.stringify({
    schema: SCHEMA.check,
    results: results.map((r) => ({
      input: r.input, block: r.block, label: r.label ?? null, verdict: r.verdict,
      ...(r.verdict === 'error' ? { message: r.message, errorKind: r.errorKind ?? 'capture' } : {}),
      base: r.base === undefined ? null : hex(r.base), anchoredBy: r.anchoredBy ?? null, profile: r.profile ?? null,
      family: r.family ?? null, families: r.families ?? null,
      consistentWith: r.consistentWith ?? null, kernelBits: r.kernelBits ?? null, kernelVersion: r.kernelVersion ?? null,
      pageSize: r.pageSize === undefined ? null : hex(r.pageSize),
      expected: r.expected.map((l) => l.text), actual: r.actual.map((l) => l.text), actualLines: r.actual.map((l) => l.line ?? null),
      findings: r.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, expected: f.expected ?? null, actual: f.actual ?? null, line: f.line ?? null })),
      skipped: r.skipped, notes: r.notes,
    })),
  }, null, 2)) + '\n';
}

// KTAP v1: a test line's description ends at '#' (the directive), and every line is one line.
// '%' is escaped first, so that '%23' in a file name and '#' never map to the same name; control
// characters and line separators are percent-encoded too (UTF-8), so names stay distinct.
const ktapDesc = (s: string) => percentEncodeUnsafe(s.replace(/%/g, '%25').replace(/#/g, '%23'));
/** A diagnostic line's text: anything may follow '# ', except a line break or a control character. */
const ktapDiag = (s: string) => visible(s, '\t');

/** KTAP v1 as kselftest emits it: one test per capture, one subtest per rule. */
export function renderKtap(results: CheckResult[]): string {
  const out = ['KTAP version 1', `1..${results.length}`];
  const names = namesOf(results);
  results.forEach((r, i) => {
    const name = ktapDesc(`vdso_layout ${names[i]}`);
    if (r.verdict === 'error') {
      out.push(`# ${ktapDiag(r.message ?? '')}`, `not ok ${i + 1} ${name} # ERROR ${ktapDesc(r.message ?? '')}`);
      return;
    }
    out.push('  KTAP version 1', `  1..${RULES.length}`);
    // Warnings as diagnostics: what was not checked is part of the result (a SKIP says it per rule
    // where one rule was skipped; an era or a size not pinned holds for the whole process).
    for (const f of r.findings) if (f.severity === 'warning') out.push(`  # ${f.code}: ${ktapDiag(f.message)}`);
    RULES.forEach((rule, k) => {
      const fs = r.findings.filter((f) => RULE_OF[f.code] === rule && f.severity === 'error');
      const skip = r.skipped.find((s) => s.rule === rule);
      for (const f of fs) out.push(`  # ${f.code}: ${ktapDiag(f.message)}`);
      if (fs.length) out.push(`  not ok ${k + 1} ${rule}`);
      else if (skip) out.push(`  ok ${k + 1} ${rule} # SKIP ${ktapDesc(skip.reason)}`);
      else out.push(`  ok ${k + 1} ${rule}`);
    });
    out.push(`${r.verdict === 'pass' ? 'ok' : 'not ok'} ${i + 1} ${name}`);
  });
  const n = (v: string) => results.filter((r) => r.verdict === v).length;
  out.push(`# Totals: pass:${n('pass')} fail:${n('fail')} xfail:0 xpass:0 skip:0 error:${n('error')}`);
  return out.join('\n') + '\n';
}

// XML 1.0 allows neither C0 controls (but tab, LF, CR) nor U+FFFE/U+FFFF nor lone surrogates.
// Attribute values escape line breaks too (a parser would normalize raw ones to spaces).
const xmlText = (s: string) => visible(s, '\t\n\r').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
  .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
  .replace(/\r/g, '&#13;');
const xml = (s: string) => xmlText(s).replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');

/**
 * JUnit as Jenkins' junit-10.xsd has it: one <testcase> per process; a failing one carries exactly
 * one <failure> with every finding in it, so `failures` always equals the number of <failure>s.
 */
export function renderJunit(results: CheckResult[]): string {
  const failures = results.filter((r) => r.verdict === 'fail').length;
  const errors = results.filter((r) => r.verdict === 'error').length;
  // `time` in seconds on every element (report readers such as dorny/test-reporter sum them and
  // show NaN without them).
  const time = (t: number) => t.toFixed(3);
  const total = time(results.reduce((t, r) => t + (r.seconds ?? 0), 0));
  const out = ['<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="vdso-layout" tests="${results.length}" failures="${failures}" errors="${errors}" time="${total}">`,
    `  <testsuite name="vdso-layout check" tests="${results.length}" failures="${failures}" errors="${errors}" skipped="0" time="${total}">`];
  const names = namesOf(results);
  for (const [i, r] of results.entries()) {
    out.push(`    <testcase classname="vdso-layout.check" name="${xml(names[i])}" time="${time(r.seconds ?? 0)}">`);
    if (r.verdict === 'error') out.push(`      <error message="${xml(r.message ?? '')}" type="${r.errorKind === 'usage' || r.errorKind === 'internal' || r.errorKind === 'undecided' ? r.errorKind : 'input'}"/>`);
    if (r.verdict === 'fail') {
      const errs = r.findings.filter((x) => x.severity === 'error');
      const codes = [...new Set(errs.map((f) => f.code))];
      const head = errs.length === 0 ? 'the layout does not match' : errs.length === 1 ? errs[0].message : `${errs.length} findings: ${codes.join(', ')}`;
      const body = errs.map((f) => [`${f.code}${f.line ? ` line ${f.line}` : ''}: ${f.message}`, f.expected ? `  expected: ${f.expected}` : '', f.actual ? `  actual:   ${f.actual}` : ''].filter(Boolean).join('\n')).join('\n');
      out.push(`      <failure message="${xml(head)}" type="${xml(codes.join(' ') || 'mismatch')}">${xmlText(body)}</failure>`);
    }
    const sysout = [...r.findings.filter((x) => x.severity === 'warning').map((f) => `warning[${f.code}]: ${f.message}`), ...r.notes.map((n) => `note: ${n}`)];
    if (sysout.length) out.push(`      <system-out>${xmlText(sysout.join('\n'))}</system-out>`);
    out.push('    </testcase>');
  }
  out.push('  </testsuite>', '</testsuites>');
  return out.join('\n') + '\n';
}

// GitHub workflow commands: data escapes % \r \n; properties also : and ,.
const ghData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const ghProp = (s: string) => ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
/** A file property: CR and LF are encoded exactly (the runner decodes them), the other controls made visible. */
const ghFile = (s: string) => ghProp(visible(s, '\r\n'));
const ERROR_TITLE = { capture: 'unreadable', option: 'unreadable', usage: 'usage', internal: 'internal-error', undecided: 'undecided' } as const;

export function renderGithub(results: CheckResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    if (r.verdict === 'error') {
      const kind = r.errorKind ?? 'capture';
      // An unreadable file, or a capture its flags do not fit, points at that file; a usage error
      // of the command line or a bug points at nothing.
      const file = kind !== 'internal' && r.input !== COMMAND_LINE ? `file=${ghFile(r.input)},` : '';
      out.push(`::error ${file}title=${ghProp(`vdso-layout ${ERROR_TITLE[kind]}`)}::${ghData(visible(r.message ?? ''))}`);
      continue;
    }
    for (const f of r.findings) {
      const level = f.severity === 'error' ? 'error' : 'warning';
      const props = [`file=${ghFile(r.input)}`, f.line ? `line=${f.line}` : '', `title=${ghProp(`vdso-layout ${f.code}`)}`].filter(Boolean).join(',');
      out.push(`::${level} ${props}::${ghData(visible(f.message) + (f.expected ? `\nexpected: ${visible(f.expected)}` : '') + (f.actual ? `\nactual:   ${visible(f.actual)}` : ''))}`);
    }
  }
  return out.length ? out.join('\n') + '\n' : '';
}

export function renderMachine(format: Exclude<Format, 'text'>, results: CheckResult[]): string {
  switch (format) {
    case 'json': return renderJson(results);
    case 'ktap': return renderKtap(results);
    case 'junit': return renderJunit(results);
    case 'github': return renderGithub(results);
  }
}

export function render(format: Format, results: CheckResult[], c: ChalkInstance, opts: { quiet?: boolean; verbose?: boolean }): string {
  return format === 'text' ? renderText(results, c, opts) : renderMachine(format, results);
}
