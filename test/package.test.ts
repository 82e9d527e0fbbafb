// The package as users get it: `npm pack`, the tarball installed into an empty directory, then
// `npx vdso-layout --version` and `npx vdso-layout check` on a sample copied there, on each Node
// line package.json's engines names (20, 22, 24), with the checkout hidden from the processes (a
// private mount namespace lays an empty tmpfs over it): the installed package must run on its own.
// The runtimes are the registry's node-linux-<arch> packages (scripts/node-runtimes.json), fetched
// by scripts/fetch-node.sh, which .ci/run runs: a missing one skips here with its reason and
// fails under CI=true; so does a machine where the checkout cannot be hidden (unshare needs root).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { ROOT, sample, AMD64_ENTRY } from './helpers.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const { versions } = JSON.parse(readFileSync(join(ROOT, 'scripts', 'node-runtimes.json'), 'utf8')) as { versions: Record<string, string> };
const cache = process.env.VDSO_LAYOUT_NODE_CACHE ?? join(homedir(), '.cache', 'vdso-layout', 'node');
const runtimeBin = (v: string) => join(cache, v, 'node_modules', `node-linux-${process.arch}`, 'bin');
const ci = Boolean(process.env.CI);
// Hiding the checkout needs a mount namespace: root (CI runs as root) and util-linux's unshare.
const hide = ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o ro none "$0" && exec "$@"', ROOT];
const canHide = spawnSync(hide[0], [...hide.slice(1), 'true']).status === 0;
if (!canHide) console.log(`packed-install tests skipped: cannot hide the checkout (\`${hide.slice(0, 4).join(' ')}\` needs root)${ci ? '' : ' (CI=true makes this a failure)'}`);

const dir = mkdtempSync(join(tmpdir(), 'vl-pack-'));
const user = join(dir, 'project'); // the user's empty project
const home = join(dir, 'home'); // a fresh HOME: npm's and vdso-layout's caches start empty
let packed: { filename: string; size: number; unpackedSize: number; files: Array<{ path: string; size: number }> };

/** A command in the user's project, the checkout hidden, with `node` (and so npx) from `bin`. */
function inProject(bin: string, argv: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env.PATH}`, HOME: home, NO_COLOR: '1', npm_config_offline: 'true', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  for (const k of Object.keys(env)) if (k.startsWith('XDG_') || k.startsWith('VDSO_LAYOUT') || k.startsWith('npm_config_cache') || k === 'INIT_CWD') delete env[k];
  const r = spawnSync(hide[0], [...hide.slice(1), ...argv], { cwd: user, env, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!canHide) return;
  // dist/ is built already (`npm test` builds first): --ignore-scripts keeps prepare from building it again under running tests.
  const r = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  [packed] = JSON.parse(r.stdout);
  mkdirSync(user); mkdirSync(home);
  // A project of its own (as `npm init` leaves it): without one npm installs into the nearest
  // ancestor directory that has a package.json, wherever the temporary directory is.
  writeFileSync(join(user, 'package.json'), '{ "name": "user-project", "private": true }\n');
  const s = sample(AMD64_ENTRY);
  for (const f of ['maps-pid1.txt', 'vdso64.so', 'auxv-pid1.txt']) copyFileSync(join(s, f), join(user, f));
  // With the system's Node and npm: no registry needed, the package has no dependencies.
  const install = inProject(dirname(process.execPath), ['npm', 'install', '--offline', join(dir, packed.filename)]);
  expect(install.code, install.stderr).toBe(0);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the packed package', () => {
  it.skipIf(!canHide)('ships the shim, one bundle, schemas, LICENSE and README, and no dependencies', () => {
    const schemas = readdirSync(join(ROOT, 'schemas')).map((f) => `schemas/${f}`);
    expect(packed.files.map((f) => f.path).sort()).toEqual(
      ['LICENSE', 'README.md', 'bin/package.json', 'bin/vdso-layout.js', 'dist/vdso-layout.bundle.js', 'package.json', ...schemas].sort());
    const installed = JSON.parse(readFileSync(join(user, 'node_modules', 'vdso-layout', 'package.json'), 'utf8'));
    expect(installed.dependencies ?? {}).toEqual({});
    expect(readdirSync(join(user, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual(['vdso-layout']);
    // engines names exactly the lines tested below.
    expect(pkg.engines.node).toBe(Object.keys(versions).join(' || '));
  });
  it.skipIf(!canHide)("README's listing of the package is what npm pack ships", () => {
    // The listing under "The package" is written by hand from `npm pack --dry-run`: every file it
    // names, none it lacks, and sizes within 2% (README.md's own size moves with every edit).
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### The package'));
    const from = section.indexOf('```\n') + 4;
    const block = section.slice(from, section.indexOf('```', from));
    const bytes = (n: string, unit: string) => Number(n) * (unit === 'kB' ? 1000 : unit === 'MB' ? 1e6 : 1);
    const files = block.slice(0, block.search(/^\d+ files, /m)); // the totals line says what it was before, too
    const listed = new Map([...files.matchAll(/(\d+(?:\.\d+)?) (B|kB|MB) (\S+)/g)].map((m) => [m[3], bytes(m[1], m[2])]));
    expect([...listed.keys()].sort()).toEqual(packed.files.map((f) => f.path).sort());
    const near = (said: number, real: number) => Math.abs(said - real) <= Math.max(0.02 * real, 50);
    for (const f of packed.files) if (f.path !== 'README.md') expect(near(listed.get(f.path)!, f.size), `${f.path}: listed ${listed.get(f.path)}, packed ${f.size}`).toBe(true);
    const totals = /^(\d+) files, (\d+(?:\.\d+)?) kB packed, (\d+(?:\.\d+)?) kB unpacked/m.exec(block);
    expect(totals, 'the totals line').not.toBeNull();
    expect(Number(totals![1])).toBe(packed.files.length);
    expect(near(bytes(totals![2], 'kB'), packed.size), `packed: listed ${totals![2]} kB, is ${packed.size} B`).toBe(true);
    expect(near(bytes(totals![3], 'kB'), packed.unpackedSize), `unpacked: listed ${totals![3]} kB, is ${packed.unpackedSize} B`).toBe(true);
  });

  if (ci && !canHide) it('can hide the checkout in CI', () => expect.fail('unshare --mount failed: run CI as root'));
  for (const [line, version] of Object.entries(versions)) {
    const bin = runtimeBin(version);
    const present = existsSync(join(bin, 'node'));
    const why = `node ${version} is not in ${cache} (scripts/fetch-node.sh fetches it)`;
    if (!present && ci) it(`Node ${line}: the runtime is fetched in CI`, () => expect.fail(why));
    else if (!present) console.log(`packed-install test on Node ${line} skipped: ${why} (CI=true makes this a failure)`);
    it.skipIf(!present || !canHide)(`Node ${line} (${version}): npx vdso-layout --version and check a sample, the checkout out of reach`, () => {
      const before = listing(join(user, 'node_modules'));
      expect(inProject(bin, ['node', '--version']).stdout.trim()).toBe(`v${version}`);
      // The checkout really is out of reach.
      expect(inProject(bin, ['ls', '-A', ROOT]).stdout).toBe('');
      const v = inProject(bin, ['npx', 'vdso-layout', '--version']);
      expect(v.stderr).toBe('');
      expect(v).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
      const args = ['check', 'maps-pid1.txt', '--vdso', 'vdso64.so', '--auxv', 'auxv-pid1.txt'];
      const expected = spawnSync(process.execPath, [join(ROOT, 'bin', 'vdso-layout.js'), ...args, '--format', 'json'], { cwd: user, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      const json = inProject(bin, ['npx', 'vdso-layout', ...args, '--format', 'json']);
      expect(json.stderr).toBe('');
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toEqual(JSON.parse(expected.stdout));
      expect(JSON.parse(json.stdout).results[0].verdict).toBe('pass');
      const text = inProject(bin, ['npx', 'vdso-layout', ...args]);
      expect(text).toMatchObject({ code: 0, stderr: '' });
      expect(text.stdout).toMatch(/^ok maps-pid1\.txt: profile x86-5\.6/m);
      // Run time wrote nothing into the package; the code caches for this Node (one per command:
      // --version's, the check's) are in the user's cache.
      expect(listing(join(user, 'node_modules'))).toEqual(before);
      const caches = readdirSync(join(home, '.cache', 'vdso-layout', 'code')).filter((f) => f.includes(`-v${version}-`));
      expect(caches.map((f) => /^[^-]+-[0-9a-f]{16}-(.+)-v\d+\.\d+\.\d+-/.exec(f)?.[1]).sort()).toEqual(['check', 'other']);
    }, 300_000);
  }
});

function listing(d: string): string[] {
  const out: string[] = [];
  const walk = (p: string) => { for (const e of readdirSync(p, { withFileTypes: true })) { const f = join(p, e.name); out.push(relative(d, f)); if (e.isDirectory()) walk(f); } };
  walk(d);
  return out.sort();
}
