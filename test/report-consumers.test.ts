// The check outputs through the parsers their consumers use: an XML parser and xmllint for JUnit
// (with the structure of Jenkins' junit-10.xsd), ajv and Python's jsonschema (Debian bookworm's
// 4.10 and a current one) for JSON, a strict KTAP v1 grammar, and the GitHub runner's
// workflow-command syntax. Tools that are missing skip with the reason, and fail under CI=true
// (.ci/run installs libxml2-utils and python3-jsonschema).
import { describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { Ajv } from 'ajv';
import { mkdtempSync, writeFileSync, readFileSync, copyFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readText, sample, ROOT, AMD64_ENTRY } from './helpers.js';
import { runCli } from './run-in-process.js';
import { parseKtap, strictSchema } from './formats.js';

const good = sample(AMD64_ENTRY, 'maps-pid1.txt');
const img = sample(AMD64_ENTRY, 'vdso64.so');
const dir = mkdtempSync(join(tmpdir(), 'vl-consumers-'));
// Two findings in one process: [vvar] a page short and [vdso] with the wrong permissions.
const bad = join(dir, 'bad-maps.txt');
writeFileSync(bad, readText(good).replace('7ffc6bbde000-7ffc6bbe2000 r--p', '7ffc6bbdf000-7ffc6bbe2000 r--p').replace(/(7ffc6bbe2000-[0-9a-f]+) r-xp/, '$1 rwxp'));
// File names that break naive escaping: '#', '%23', a newline and a CR.
const hash = join(dir, 'a#b.txt'); const pct = join(dir, 'a%23b.txt');
const nl = join(dir, 'line\nbreak.txt'); const cr = join(dir, 'carriage\rreturn.txt');
for (const f of [hash, pct, nl, cr]) copyFileSync(bad, f);
const missing = join(dir, 'absent\n# not ok 99 injected.txt');
const inputs = [good, bad, hash, pct, nl, cr, missing];

// Each format once, in-process (top-level await: the describe blocks below read the outputs).
const runs = {
  junit: await runCli(['check', '--format', 'junit', ...inputs, '--vdso', img]),
  json: await runCli(['check', '--format', 'json', ...inputs, '--vdso', img]),
  ktap: await runCli(['check', '--format', 'ktap', ...inputs, '--vdso', img]),
  github: await runCli(['check', '--format', 'github', ...inputs, '--vdso', img]),
};
const inspected = await runCli(['inspect', '--json', img, sample('arm64-6.1.0-56-arm64', 'vdso32.so')]);

const ci = Boolean(process.env.CI);
function tool(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { encoding: 'utf8' }).status === 0;
}
/** Skip with the reason printed; under CI=true, a missing tool fails instead. */
function needs(name: string, present: boolean, why: string) {
  if (!present) {
    if (ci) return it(`${name} is installed (.ci/run installs it)`, () => expect(present, why).toBe(true));
    console.log(`skipping ${name} checks: ${why}`);
  }
  return undefined;
}

describe('JUnit: the XML parses, its counts agree with its elements, and it has junit-10.xsd\'s shape', () => {
  const r = runs.junit;
  it('failures == <failure> elements, errors == <error> elements, per suite and in total', () => {
    expect(r.code).toBe(1); // failures and an unreadable input: the failures decide
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, isArray: (n) => ['testsuite', 'testcase', 'failure', 'error'].includes(n) }).parse(r.stdout);
    const suites = doc.testsuites.testsuite;
    let failures = 0; let errors = 0; let tests = 0;
    for (const s of suites) {
      // junit-10.xsd: a testsuite requires name, tests, failures, errors; a testcase requires name.
      for (const a of ['name', 'tests', 'failures', 'errors']) expect(s[a], a).toBeDefined();
      const cases = s.testcase as Array<Record<string, unknown>>;
      const f = cases.reduce((n, c) => n + ((c.failure as unknown[] | undefined)?.length ?? 0), 0);
      const e = cases.reduce((n, c) => n + ((c.error as unknown[] | undefined)?.length ?? 0), 0);
      expect(Number(s.failures)).toBe(f);
      expect(Number(s.errors)).toBe(e);
      expect(Number(s.tests)).toBe(cases.length);
      for (const c of cases) {
        expect(typeof c.name).toBe('string');
        for (const k of Object.keys(c)) expect(['name', 'classname', 'time', 'group', 'failure', 'error', 'skipped', 'system-out', 'system-err']).toContain(k);
      }
      failures += f; errors += e; tests += cases.length;
    }
    expect([Number(doc.testsuites.failures), Number(doc.testsuites.errors), Number(doc.testsuites.tests)]).toEqual([failures, errors, tests]);
    expect([failures, errors, tests]).toEqual([5, 1, 7]);
    // The one failure of a process carries all of its findings.
    const badCase = suites[0].testcase[1];
    expect(badCase.failure[0].type).toBe('size perms');
    expect(badCase.failure[0]['#text']).toMatch(/size line \d+: .*\nperms line \d+/s);
    // Names with a newline survive as attribute values (character references, not raw breaks).
    expect(suites[0].testcase.map((c: { name: string }) => c.name)).toContain(nl);
  });
  const hasXmllint = tool('xmllint', ['--version']);
  needs('xmllint', hasXmllint, 'xmllint not found (Debian: libxml2-utils)');
  it.skipIf(!hasXmllint)('xmllint reads it as well-formed XML', () => {
    const f = join(dir, 'out.xml');
    writeFileSync(f, r.stdout);
    const x = spawnSync('xmllint', ['--noout', f], { encoding: 'utf8' });
    expect(x.stderr).toBe('');
    expect(x.status).toBe(0);
  });
});

describe('JSON: the schemas validate every output with ajv and with Python jsonschema (4.10 and current)', () => {
  const r = runs.json;
  const out = join(dir, 'out.json');
  writeFileSync(out, r.stdout);
  const inspect = inspected;
  const outInspect = join(dir, 'inspect.json');
  writeFileSync(outInspect, inspect.stdout);
  const pairs: Array<[string, string]> = [[join(ROOT, 'schemas', 'check-1.schema.json'), out], [join(ROOT, 'schemas', 'inspect-1.schema.json'), outInspect]];
  it('both schemas compile under ajv strict mode (every required key defined, no unknown keywords) and accept the outputs', () => {
    expect(strictSchema('check-1')(JSON.parse(readFileSync(out, 'utf8')))).toBe(true);
    expect(strictSchema('inspect-1')(JSON.parse(readFileSync(outInspect, 'utf8')))).toBe(true);
  });
  it('ajv; and no relative $id for a resolver to trip on', () => {
    for (const [schema, file] of pairs) {
      const s = JSON.parse(readFileSync(schema, 'utf8'));
      if (s.$id !== undefined) expect(s.$id).toMatch(/^[a-z][a-z0-9+.-]*:/); // absolute, or none
      const validate = new Ajv({ allErrors: true }).compile(s);
      expect(validate(JSON.parse(readFileSync(file, 'utf8'))), JSON.stringify(validate.errors)).toBe(true);
    }
  });
  const script = 'import json,sys,jsonschema\nfrom importlib.metadata import version\nfor s,i in zip(sys.argv[1::2], sys.argv[2::2]):\n  jsonschema.validate(json.load(open(i)), json.load(open(s)))\nprint(version("jsonschema"))';
  // Debian's python3-jsonschema (bookworm: 4.10) lives with /usr/bin/python3; a newer one may be on PATH.
  for (const py of ['/usr/bin/python3', 'python3']) {
    const present = tool(py, ['-c', 'import jsonschema']);
    needs(`${py} jsonschema`, present, `${py} has no jsonschema module (Debian: python3-jsonschema)`);
    it.skipIf(!present)(`${py} jsonschema validates both outputs`, () => {
      const x = spawnSync(py, ['-c', script, ...pairs.flat()], { encoding: 'utf8' });
      expect(x.stderr).toBe('');
      expect(x.status).toBe(0);
      console.log(`${py}: jsonschema ${x.stdout.trim()} accepted the outputs`);
    });
  }
});

describe('KTAP: a strict v1 grammar, names escaped, no path breaks a line', () => {
  const r = runs.ktap;
  it('parses; one top-level test per input; "#" and "%23" stay distinct; a newline in a path stays on its line', () => {
    const tests = parseKtap(r.stdout).filter((t) => t.depth === 0);
    expect(tests.length).toBe(inputs.length);
    const names = tests.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    const unescape = (s: string) => s.replace(/%23/g, '#').replace(/%25/g, '%');
    expect(unescape(names[2])).toBe(`vdso_layout ${hash}`);
    expect(unescape(names[3])).toBe(`vdso_layout ${pct}`);
    expect(tests.map((t) => t.ok)).toEqual([true, false, false, false, false, false, false]);
    expect(tests[6].directive).toBe('ERROR');
    expect(r.stdout).not.toMatch(/^not ok 99/m); // the injected text in a file name stays inside its line
  });
});

describe('a gate log\'s two bundles (native and compat task): each process named apart in every format', () => {
  const log = join(ROOT, 'samples', 'gate', 'arm64-6.1-vvar-gap', 'step-1', 'console.log');
  it('text, KTAP and JUnit say "#bundle (block N)", so the failing task is named; a one-bundle capture keeps "#bundle"', async () => {
    const text = (await runCli(['check', log])).stdout;
    expect(text.match(/^FAIL \S+#bundle \(block \d\)/gm)).toEqual([`FAIL ${log}#bundle (block 1)`, `FAIL ${log}#bundle (block 2)`]);
    const ktap = parseKtap((await runCli(['check', '--format', 'ktap', log])).stdout).filter((t) => t.depth === 0);
    expect(ktap.map((t) => t.name.replace(/%23/g, '#'))).toEqual([1, 2].map((n) => `vdso_layout ${log}#bundle (block ${n})`));
    const junit = new XMLParser({ ignoreAttributes: false }).parse((await runCli(['check', '--format', 'junit', log])).stdout);
    expect(junit.testsuites.testsuite.testcase.map((t: Record<string, string>) => t['@_name'])).toEqual([1, 2].map((n) => `${log}#bundle (block ${n})`));
    const one = join(ROOT, 'samples', 'gate', 'ppc64-2020', 'step-0', 'console.log');
    expect((await runCli(['check', one])).stdout).toMatch(/#bundle(?! \(block)/);
  });
});

describe('GitHub workflow commands: one command per line, titles "vdso-layout CODE"', () => {
  const r = runs.github;
  it('every line parses as ::level key=value,...::message; properties and data unescape to the inputs', () => {
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(inputs.length);
    const unesc = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
    const files = new Set<string>();
    for (const l of lines) {
      // The runner's parser: "::" command, optional " k=v,k=v", "::", data; no raw CR or LF.
      const m = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(l);
      expect(m, l).not.toBeNull();
      const props = Object.fromEntries(m![2].split(',').map((kv) => { const i = kv.indexOf('='); return [kv.slice(0, i), unesc(kv.slice(i + 1))]; }));
      expect(props.title).toMatch(/^vdso-layout [a-z][a-z-]*$/);
      files.add(props.file);
    }
    expect([...files].sort()).toEqual([bad, hash, pct, nl, cr, missing].sort());
  });
});
