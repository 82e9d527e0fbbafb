// V8's code cache for the bundle (bin/vdso-layout.js, scripts/bundle.mjs): the build records one
// for the Node that builds; any other Node (here: this one with a V8 flag that changes the
// cache's flag hash, as another version would) records its own in the user's cache directory
// after its first run and uses it from then on. Never in the package, never near an input.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { ROOT, sample } from './helpers.js';

const bin = join(ROOT, 'bin', 'vdso-layout.js');
const bundle = join(ROOT, 'dist', 'vdso-layout.bundle.js');
const shipped = `${bundle}.${process.version}-${process.arch}.cache`;
const dir = sample('amd64-6.1.0-56-amd64');
const args = ['check', join(dir, 'maps-pid1.txt'), '--vdso', join(dir, 'vdso64.so'), '--auxv', join(dir, 'auxv-pid1.txt'), '--format', 'json'];
// Another Node build as far as V8's cache check goes: a flag in its flag hash.
const otherNode = ['--stack-size=2000'];
const run = (env: NodeJS.ProcessEnv, nodeFlags: string[] = otherNode) =>
  spawnSync(process.execPath, [...nodeFlags, bin, ...args], { encoding: 'latin1', env: { ...process.env, NO_COLOR: '1', ...env } });
const listing = (d: string) => readdirSync(d).sort();

describe('code cache', () => {
  it('the build ships a cache this Node accepts; the bundle is ASCII and evaluates to the CommonJS wrapper function', () => {
    const source = readFileSync(bundle, 'latin1');
    expect(source).toMatch(/^[\x00-\x7f]*$/);
    const script = new Script(source, { filename: bundle, cachedData: readFileSync(shipped) });
    expect(script.cachedDataRejected).toBe(false);
    const fn = script.runInThisContext({ filename: bundle }) as unknown;
    expect(typeof fn).toBe('function');
    expect((fn as (...a: unknown[]) => unknown).length).toBe(5); // exports, require, module, __filename, __dirname
  });

  it('another Node records its own in $XDG_CACHE_HOME/vdso-layout/code on its first run, then reuses it', () => {
    const home = mkdtempSync(join(tmpdir(), 'vl-cache-'));
    const before = { dist: listing(join(ROOT, 'dist')), inputs: listing(dir) };
    const expected = run({}, []);
    const first = run({ XDG_CACHE_HOME: home });
    expect(first.stderr).toBe('');
    expect(first.status).toBe(expected.status);
    expect(first.stdout).toBe(expected.stdout);
    const code = join(home, 'vdso-layout', 'code');
    const files = readdirSync(code);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^${statSync(bundle).size}-\\d+-${process.version}-${process.arch}\\.cache$`));
    expect(statSync(code).mode & 0o777).toBe(0o700);
    const written = statSync(join(code, files[0])).mtimeMs;
    const second = run({ XDG_CACHE_HOME: home });
    expect(second.stdout).toBe(expected.stdout);
    expect(readdirSync(code)).toEqual(files);
    expect(statSync(join(code, files[0])).mtimeMs).toBe(written); // accepted, so not written again
    expect({ dist: listing(join(ROOT, 'dist')), inputs: listing(dir) }).toEqual(before);
  });

  it('NODE_DISABLE_COMPILE_CACHE=1 writes nothing; an unusable cache directory costs only the cache', () => {
    const home = mkdtempSync(join(tmpdir(), 'vl-cache-'));
    const expected = run({}, []);
    const off = run({ XDG_CACHE_HOME: home, NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(off.stdout).toBe(expected.stdout);
    expect(existsSync(join(home, 'vdso-layout'))).toBe(false);
    const notADir = join(home, 'file');
    writeFileSync(notADir, '');
    const blocked = run({ XDG_CACHE_HOME: notADir });
    expect(blocked.stderr).toBe('');
    expect(blocked.status).toBe(expected.status);
    expect(blocked.stdout).toBe(expected.stdout);
  });

  it('a damaged cache is rejected by V8 and replaced', () => {
    const home = mkdtempSync(join(tmpdir(), 'vl-cache-'));
    const expected = run({}, []);
    run({ XDG_CACHE_HOME: home });
    const code = join(home, 'vdso-layout', 'code');
    const [file] = readdirSync(code);
    const bytes = readFileSync(join(code, file));
    writeFileSync(join(code, file), bytes.subarray(0, bytes.length >> 1));
    const damaged = run({ XDG_CACHE_HOME: home });
    expect(damaged.stderr).toBe('');
    expect(damaged.stdout).toBe(expected.stdout);
    const rewritten = statSync(join(code, file));
    expect(rewritten.size).toBeGreaterThan(bytes.length >> 1);
    run({ XDG_CACHE_HOME: home });
    expect(statSync(join(code, file)).mtimeMs).toBe(rewritten.mtimeMs); // the new one is accepted
  });
});
