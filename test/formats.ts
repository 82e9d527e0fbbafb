// Readers of check's machine formats, as strict as their consumers: KTAP v1, JUnit in junit-10.xsd's
// shape (plus xmllint where installed), JSON Schema under ajv strict mode, the GitHub runner's
// workflow-command syntax. Shared by report-consumers.test.ts and error-paths.test.ts.
import { expect } from 'vitest';
import { Ajv } from 'ajv';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ROOT } from './helpers.js';

/** Characters no output line may carry raw (what src/report/escape.ts spells out). */
export const UNSAFE_OUTPUT = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export interface KtapTest { depth: number; ok: boolean; n: number; name: string; directive?: string }

/** KTAP v1 (Documentation/dev-tools/ktap.rst), strictly: every line is one of these. */
export function parseKtap(text: string): KtapTest[] {
  const lines = text.split('\n');
  expect(lines.pop()).toBe('');
  const tests: KtapTest[] = [];
  const expected: number[] = []; const seen: number[] = [];
  for (const l of lines) {
    expect(l, `a control character or line separator in ${JSON.stringify(l)}`).not.toMatch(UNSAFE_OUTPUT);
    const m = /^((?: {2})*)(.*)$/.exec(l)!;
    const depth = m[1].length / 2; const body = m[2];
    if (body === 'KTAP version 1') { expected[depth] = -1; seen[depth] = 0; continue; }
    let p: RegExpExecArray | null;
    if ((p = /^1\.\.(\d+)$/.exec(body))) { expect(expected[depth], `plan without a version line: ${l}`).toBe(-1); expected[depth] = Number(p[1]); continue; }
    if (/^# /.test(body) || body === '#') continue; // a diagnostic line
    p = /^(ok|not ok) (\d+)(?: ([^#]*?))?(?: # (SKIP|TODO|XFAIL|ERROR)(?: (.*))?)?$/.exec(body);
    expect(p, `not a KTAP line: ${JSON.stringify(l)}`).not.toBeNull();
    seen[depth] = (seen[depth] ?? 0) + 1;
    expect(Number(p![2]), `test number at depth ${depth}`).toBe(seen[depth]);
    tests.push({ depth, ok: p![1] === 'ok', n: Number(p![2]), name: p![3] ?? '', directive: p![4] });
  }
  expect(expected[0], 'a top-level plan').toBeGreaterThanOrEqual(0);
  expect(seen[0] ?? 0, 'top-level tests == plan').toBe(expected[0]);
  return tests;
}

export interface JunitCase { name: string; classname?: string; time?: string; failure?: Array<Record<string, string>>; error?: Array<Record<string, string>> }

/**
 * JUnit as junit-10.xsd shapes it: <testsuites> of <testsuite>s (name, tests, failures, errors,
 * time) of <testcase>s (name, time); counts agree with the elements. Returns the cases.
 */
export function parseJunit(text: string): JunitCase[] {
  expect(XMLValidator.validate(text)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, isArray: (n) => ['testsuite', 'testcase', 'failure', 'error'].includes(n) }).parse(text);
  const cases: JunitCase[] = [];
  let failures = 0; let errors = 0; let tests = 0; let time = 0;
  for (const s of doc.testsuites.testsuite as Array<Record<string, unknown>>) {
    for (const a of ['name', 'tests', 'failures', 'errors', 'time']) expect(s[a], a).toBeDefined();
    const cs = (s.testcase ?? []) as JunitCase[];
    const f = cs.reduce((n, c) => n + (c.failure?.length ?? 0), 0);
    const e = cs.reduce((n, c) => n + (c.error?.length ?? 0), 0);
    expect([Number(s.failures), Number(s.errors), Number(s.tests)]).toEqual([f, e, cs.length]);
    for (const c of cs) {
      expect(typeof c.name).toBe('string');
      // A number of seconds (dorny/test-reporter shows NaN without it).
      expect(c.time).toMatch(/^\d+(\.\d+)?$/);
      for (const k of Object.keys(c)) expect(['name', 'classname', 'time', 'group', 'failure', 'error', 'skipped', 'system-out', 'system-err']).toContain(k);
    }
    expect(String(s.time)).toMatch(/^\d+(\.\d+)?$/);
    failures += f; errors += e; tests += cs.length; time += Number(s.time);
    cases.push(...cs);
  }
  expect([Number(doc.testsuites.failures), Number(doc.testsuites.errors), Number(doc.testsuites.tests)]).toEqual([failures, errors, tests]);
  expect(Number(doc.testsuites.time)).toBeCloseTo(time, 2);
  return cases;
}

export const hasXmllint = spawnSync('xmllint', ['--version'], { encoding: 'utf8' }).status === 0;
const scratch = mkdtempSync(join(tmpdir(), 'vl-formats-'));
let n = 0;
/** xmllint's verdict on a document: '' when well-formed. */
export function xmllint(text: string): string {
  const f = join(scratch, `doc-${n++}.xml`);
  writeFileSync(f, text);
  const x = spawnSync('xmllint', ['--noout', f], { encoding: 'utf8' });
  return x.status === 0 ? x.stderr : x.stderr || `exit ${x.status}`;
}

/** The two schemas, each compiled by ajv in strict mode (strictRequired, strictTypes, …). */
export function strictSchema(name: 'check-1' | 'inspect-1') {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', `${name}.schema.json`), 'utf8'));
  return new Ajv({ strict: true, allErrors: true }).compile(schema);
}

/** One result of check's JSON, the fields the tests read. */
export interface CheckJsonResult {
  verdict: string; profile: string | null; family: string | null; families: string[] | null; pageSize: string | null;
  kernelVersion: string | null; kernelBits: number | null; base: string | null; notes: string[]; expected: string[]; actual: string[];
  findings: Array<{ code: string; severity: string; message: string }>;
  /** For verdict 'error'. */
  message?: string; errorKind?: string;
}
let checkSchema: ReturnType<typeof strictSchema> | undefined;

/** `check ARGS --format json` from the built CLI, its document held to check-1's schema. */
export function checkJson(args: string[]): { code: number | null; results: CheckJsonResult[] } {
  const r = cli([...args, '--format', 'json']);
  const doc: unknown = JSON.parse(r.stdout);
  checkSchema ??= strictSchema('check-1');
  expect(checkSchema(doc), JSON.stringify(checkSchema.errors)).toBe(true);
  return { code: r.code, results: (doc as { results: CheckJsonResult[] }).results };
}

export interface WorkflowCommand { level: string; props: Record<string, string>; data: string }

/** The runner's workflow-command syntax: `::level k=v,k=v::data`, one per line, escapes decoded. */
export function parseGithub(text: string): WorkflowCommand[] {
  if (text === '') return [];
  expect(text.endsWith('\n')).toBe(true);
  const unesc = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  return text.slice(0, -1).split('\n').map((l) => {
    expect(l, `a control character or line separator in ${JSON.stringify(l)}`).not.toMatch(UNSAFE_OUTPUT);
    const m = /^::(error|warning|notice|debug)(?: ([^:]*))?::(.*)$/.exec(l);
    expect(m, `not a workflow command: ${JSON.stringify(l)}`).not.toBeNull();
    const props = m![2] ? Object.fromEntries(m![2].split(',').map((kv) => {
      const i = kv.indexOf('=');
      expect(i, kv).toBeGreaterThan(0);
      return [kv.slice(0, i), unesc(kv.slice(i + 1))];
    })) : {};
    return { level: m![1], props, data: unesc(m![3]) };
  });
}
