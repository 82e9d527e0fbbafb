// V8's code cache for the bundle (bin/vdso-layout.js, scripts/bundle.mjs): none is built or
// shipped (it fits one Node build only); each Node records its own in the user's cache directory
// after its first run, atomically, and uses it from then on. Never in the package, never near an
// input; an unusable cache directory costs only the cache, never an error or a hang.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { ROOT, sample, AMD64_ENTRY } from './helpers.js';
import { COMMANDS } from '../src/cli/program.js';

const bin = join(ROOT, 'bin', 'vdso-layout.js');
const bundle = join(ROOT, 'dist', 'vdso-layout.bundle.js');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const dir = sample(AMD64_ENTRY);
const args = ['check', join(dir, 'maps-pid1.txt'), '--vdso', join(dir, 'vdso64.so'), '--auxv', join(dir, 'auxv-pid1.txt'), '--format', 'json'];
// Another Node build as far as V8's cache check goes: a flag in its flag hash.
const otherNode = ['--stack-size=2000'];
const run = (env: NodeJS.ProcessEnv, nodeFlags: string[] = [], cwd?: string) => {
  const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...env };
  for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
  // A bound only against a hang (what HOME=/proc/1 once caused), far above any run's time.
  return spawnSync(process.execPath, [...nodeFlags, bin, ...args], { encoding: 'latin1', env: e, cwd, timeout: 120_000 });
};
const listing = (d: string) => readdirSync(d).sort();
const expected = run({ NODE_DISABLE_COMPILE_CACHE: '1' });

describe('code cache', () => {
  it('the bundle is ASCII, evaluates to the CommonJS wrapper function, and its first line names the version and a hash of the rest', () => {
    const source = readFileSync(bundle, 'latin1');
    expect(source).toMatch(/^[\x00-\x7f]*$/);
    const [first, ...rest] = source.split('\n');
    const hash = createHash('sha256').update(rest.join('\n')).digest('hex').slice(0, 16);
    expect(first).toMatch(new RegExp(`^// vdso-layout ${version.replace(/\./g, '\\.')} bundle ${hash}:`));
    const fn = new Script(source, { filename: bundle }).runInThisContext() as unknown;
    expect(typeof fn).toBe('function');
    expect((fn as (...a: unknown[]) => unknown).length).toBe(5); // exports, require, module, __filename, __dirname
    expect(readdirSync(join(ROOT, 'dist')).filter((f) => f.endsWith('.cache'))).toEqual([]); // none built, none shipped
    expect(expected.status).toBe(0);
  });

  it('a Node records its own in $XDG_CACHE_HOME/vdso-layout/code on its first run, then reuses it', () => {
    const home = mkdtempSync(join(tmpdir(), 'vl-cache-'));
    const before = { dist: listing(join(ROOT, 'dist')), bin: listing(join(ROOT, 'bin')), inputs: listing(dir) };
    const first = run({ XDG_CACHE_HOME: home });
    expect(first.stderr).toBe('');
    expect(first.status).toBe(expected.status);
    expect(first.stdout).toBe(expected.stdout);
    const code = join(home, 'vdso-layout', 'code');
    const files = readdirSync(code);
    expect(files).toHaveLength(1);
    const id = /^\/\/ vdso-layout \S+ bundle ([0-9a-f]+)/.exec(readFileSync(bundle, 'latin1'))![1];
    expect(files).toEqual([`${version}-${id}-check-${process.version}-${process.arch}.cache`]);
    expect(statSync(code).mode & 0o777).toBe(0o700);
    const written = statSync(join(code, files[0])).mtimeMs;
    const second = run({ XDG_CACHE_HOME: home });
    expect(second.stdout).toBe(expected.stdout);
    expect(readdirSync(code)).toEqual(files);
    expect(statSync(join(code, files[0])).mtimeMs).toBe(written); // accepted, so not written again
    expect({ dist: listing(join(ROOT, 'dist')), bin: listing(join(ROOT, 'bin')), inputs: listing(dir) }).toEqual(before);
    // A Node whose cache V8 rejects (here: a V8 flag in its flag hash) replaces it atomically, leaving no temporary file.
    const other = run({ XDG_CACHE_HOME: home }, otherNode);
    expect(other.stdout).toBe(expected.stdout);
    expect(readdirSync(code)).toEqual(files);
    expect(statSync(join(code, files[0])).mtimeMs).toBeGreaterThan(written);
  });

  it('each command records its own: a first --version leaves the check its own cache, holding the check\'s code', () => {
    const home = mkdtempSync(join(tmpdir(), 'vl-cache-'));
    const code = join(home, 'vdso-layout', 'code');
    const e: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: home };
    expect(spawnSync(process.execPath, [bin, '--version'], { encoding: 'latin1', env: e }).stdout).toBe(`${version}\n`);
    const id = /^\/\/ vdso-layout \S+ bundle ([0-9a-f]+)/.exec(readFileSync(bundle, 'latin1'))![1];
    const name = (command: string) => `${version}-${id}-${command}-${process.version}-${process.arch}.cache`;
    expect(readdirSync(code)).toEqual([name('other')]);
    expect(run({ XDG_CACHE_HOME: home }).stdout).toBe(expected.stdout);
    expect(readdirSync(code).sort()).toEqual([name('check'), name('other')]);
    // What --version compiled is commander and the top level; a check's run compiles the reader, the ELF decoder and the check.
    expect(statSync(join(code, name('check'))).size).toBeGreaterThan(2 * statSync(join(code, name('other'))).size);
    // Caches of other bundles and Nodes: the newest 8 stay; this bundle's for this Node all stay.
    for (let i = 0; i < 12; i++) {
      const f = join(code, `0.0.${i}-0123456789abcdef-check-v0.0.0-x64.cache`);
      writeFileSync(f, 'x');
      utimesSync(f, 1_000_000 + i, 1_000_000 + i);
    }
    const synth = spawnSync(process.execPath, [bin, 'synth', '--arch', 'x86_64', '--kernel', '6.1'], { encoding: 'latin1', env: e });
    expect(synth.status).toBe(0);
    expect(readdirSync(code).sort()).toEqual([
      ...Array.from({ length: 8 }, (_, k) => `0.0.${k + 4}-0123456789abcdef-check-v0.0.0-x64.cache`).sort(),
      name('check'), name('other'), name('synth'),
    ].sort());
  });

  it('a cache recorded by a run that stopped short of its command is recorded again by the first run that goes deeper', () => {
    const home = mkdtempSync(join(tmpdir(), 'vl-cache-'));
    const e: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: home };
    const check = (...a: string[]) => spawnSync(process.execPath, [bin, 'check', ...a], { encoding: 'latin1', env: e });
    const id = /^\/\/ vdso-layout \S+ bundle ([0-9a-f]+)/.exec(readFileSync(bundle, 'latin1'))![1];
    const file = join(home, 'vdso-layout', 'code', `${version}-${id}-check-${process.version}-${process.arch}.cache`);
    // What a user often runs first: help (commander alone), then a check of a file that is not there.
    expect(check('--help').status).toBe(0);
    const help = { depth: readFileSync(file)[0], size: statSync(file).size };
    expect(help.depth).toBe(0);
    expect(check(join(dir, 'no-such-maps.txt')).status).toBe(2);
    const missing = { depth: readFileSync(file)[0], size: statSync(file).size };
    expect(missing.depth).toBe(1);
    expect(missing.size).toBeGreaterThan(help.size);
    const judged = run({ XDG_CACHE_HOME: home });
    expect(judged.stdout).toBe(expected.stdout);
    const full = { depth: readFileSync(file)[0], size: statSync(file).size, mtime: statSync(file).mtimeMs };
    expect(full.depth).toBe(2);
    // The reader, the ELF decoder and the check, compiled by the judged run, are in it now.
    expect(full.size).toBeGreaterThan(3 * help.size);
    expect(readdirSync(join(home, 'vdso-layout', 'code'))).toHaveLength(1); // no temporary file left
    // From here on nothing writes it: a shallower run or one as deep as the recording one.
    expect(run({ XDG_CACHE_HOME: home }).stdout).toBe(expected.stdout);
    expect(check('--help').status).toBe(0);
    expect(check(join(dir, 'no-such-maps.txt')).status).toBe(2);
    expect(statSync(file).mtimeMs).toBe(full.mtime);
  });

  it('a run that exercises what the recording runs did not (--vdso, --auxv, --format json after a plain check) records it again, holding both', () => {
    const home = mkdtempSync(join(tmpdir(), 'vl-cache-'));
    const direct = mkdtempSync(join(tmpdir(), 'vl-cache-'));
    const e: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: home };
    const plain = () => spawnSync(process.execPath, [bin, 'check', join(dir, 'maps-pid1.txt')], { encoding: 'latin1', env: e });
    const id = /^\/\/ vdso-layout \S+ bundle ([0-9a-f]+)/.exec(readFileSync(bundle, 'latin1'))![1];
    const name = `${version}-${id}-check-${process.version}-${process.arch}.cache`;
    const file = join(home, 'vdso-layout', 'code', name);
    const header = (f: string) => { const b = readFileSync(f); return { depth: b[0], reach: b.readUInt32LE(4), size: b.length, mtime: statSync(f).mtimeMs }; };
    expect(plain().status).toBe(0);
    const first = header(file);
    expect(first.depth).toBe(2);
    expect(run({ XDG_CACHE_HOME: home }).stdout).toBe(expected.stdout);
    const both = header(file);
    expect(both.mtime).toBeGreaterThan(first.mtime);
    expect(both.depth).toBe(2);
    expect(both.reach & first.reach).toBe(first.reach);
    expect(both.reach).not.toBe(first.reach);
    // It holds the ELF reader and the JSON renderer as a cache recorded by that run alone does.
    expect(run({ XDG_CACHE_HOME: direct }).stdout).toBe(expected.stdout);
    const alone = header(join(direct, 'vdso-layout', 'code', name));
    expect(both.reach).toBe((first.reach | alone.reach) >>> 0);
    expect(both.size).toBeGreaterThan(first.size);
    expect(both.size).toBeGreaterThanOrEqual(Math.floor(alone.size * 0.99));
    // Runs within what it holds write nothing: either one again, or a shallower one.
    expect(plain().status).toBe(0);
    expect(run({ XDG_CACHE_HOME: home }).stdout).toBe(expected.stdout);
    expect(spawnSync(process.execPath, [bin, 'check', join(dir, 'no-such-maps.txt')], { env: e }).status).toBe(2);
    expect(header(file).mtime).toBe(both.mtime);
    expect(readdirSync(join(home, 'vdso-layout', 'code'))).toEqual([name]); // no temporary file left
  });

  it('run() says what of its command a run exercised (the shim\'s cache reach)', async () => {
    const { runCli } = await import('./run-in-process.js');
    const reach = async (...a: string[]) => (await runCli(a)).reach;
    const maps = join(dir, 'maps-pid1.txt');
    const plain = await reach('check', maps);
    expect(await reach('check', maps)).toBe(plain);
    expect(await reach('--version')).toBe(0);
    expect(await reach('check', '--help')).toBe(0);
    const withImage = await reach('check', '--vdso', join(dir, 'vdso64.so'), maps);
    expect(withImage & plain).toBe(plain);
    expect(withImage).not.toBe(plain);
    // Each output format its own bit, whether on stdout or in a report file.
    const formats = ['json', 'ktap', 'junit', 'github'];
    const onStdout = await Promise.all(formats.map((f) => reach('check', '--format', f, maps)));
    expect(new Set(onStdout).size).toBe(formats.length);
    const reportDir = mkdtempSync(join(tmpdir(), 'vl-reach-'));
    const inReport = await reach('check', '--report', `junit=${join(reportDir, 'r.xml')}`, maps);
    const junit = inReport & onStdout[2] & ~plain; // the value's bit: --format junit and --report junit=F share it
    expect(junit).not.toBe(0);
    expect(await reach('check', '--report', `json=${join(reportDir, 'r.json')}`, maps) & junit).toBe(0);
    // A failure is reach too: its explanation and the diff run only then.
    const broken = join(ROOT, 'samples', 'broken', 'ppc64-2020-unnamed-vdso.maps.txt');
    const failed = await reach('check', broken);
    expect(failed & ~(await reach('check', maps))).not.toBe(0);
    rmSync(reportDir, { recursive: true, force: true });
  });

  it('run() says how far into its command a run went (the shim\'s cache depth)', async () => {
    const { runCli } = await import('./run-in-process.js');
    const depth = async (...a: string[]) => (await runCli(a)).depth;
    expect(await depth('--version')).toBe(0);
    expect(await depth('check', '--help')).toBe(0);
    expect(await depth('check', '--format', 'yaml')).toBe(0); // commander refuses the choice
    expect(await depth('frobnicate')).toBe(0);
    expect(await depth('check', join(dir, 'no-such-maps.txt'))).toBe(1);
    expect(await depth('check', '--vdso', join(dir, 'no-such.so'), join(dir, 'maps-pid1.txt'))).toBe(1);
    expect(await depth(...args)).toBe(2);
    const broken = join(ROOT, 'samples', 'broken', 'ppc64-2020-unnamed-vdso.maps.txt');
    expect((await runCli(['check', broken])).code).toBe(1);
    expect(await depth('check', broken)).toBe(2); // a mismatch is a result too
    expect(await depth('capture-script')).toBe(2);
    expect(await depth('profiles', '--arch', 'x86_64')).toBe(2);
  });

  it('the shim knows the commands run() knows (src/cli/program.ts)', () => {
    const shim = readFileSync(bin, 'latin1');
    const listed = /const COMMANDS = (\[[^\]]*\]);/.exec(shim)![1];
    expect(JSON.parse(listed.replace(/'/g, '"'))).toEqual([...COMMANDS]);
  });

  it('NODE_DISABLE_COMPILE_CACHE=1 writes nothing; an unusable cache directory costs only the cache, never a hang', () => {
    const home = mkdtempSync(join(tmpdir(), 'vl-cache-'));
    const off = run({ XDG_CACHE_HOME: home, NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(off.stdout).toBe(expected.stdout);
    expect(existsSync(join(home, 'vdso-layout'))).toBe(false);
    const notADir = join(home, 'file');
    writeFileSync(notADir, '');
    const blocked = run({ XDG_CACHE_HOME: notADir });
    expect(blocked.stderr).toBe('');
    expect(blocked.status).toBe(expected.status);
    expect(blocked.stdout).toBe(expected.stdout);
    // HOME=/proc/1: mkdir answers ENOENT although the parent exists, which sends mkdirSync's
    // recursive mode (and Node 22's own compile cache) into an endless loop.
    const proc = run({ XDG_CACHE_HOME: undefined, HOME: '/proc/1' });
    expect(proc.error).toBeUndefined();
    expect(proc).toMatchObject({ status: expected.status, stdout: expected.stdout, stderr: '' });
    // A relative XDG_CACHE_HOME is ignored (XDG spec), and no HOME means no cache: nothing near the inputs or the cwd.
    const cwd = mkdtempSync(join(tmpdir(), 'vl-cwd-'));
    const relative = run({ XDG_CACHE_HOME: 'cache', HOME: undefined }, [], cwd);
    expect(relative).toMatchObject({ status: expected.status, stdout: expected.stdout, stderr: '' });
    expect(readdirSync(cwd)).toEqual([]);
    // A FIFO where the cache belongs must not block the read.
    const fifoHome = mkdtempSync(join(tmpdir(), 'vl-cache-'));
    run({ XDG_CACHE_HOME: fifoHome });
    const [cacheFile] = readdirSync(join(fifoHome, 'vdso-layout', 'code'));
    rmSync(join(fifoHome, 'vdso-layout', 'code', cacheFile));
    expect(spawnSync('mkfifo', [join(fifoHome, 'vdso-layout', 'code', cacheFile)]).status).toBe(0);
    const fifo = run({ XDG_CACHE_HOME: fifoHome });
    expect(fifo.error).toBeUndefined();
    expect(fifo).toMatchObject({ status: expected.status, stdout: expected.stdout, stderr: '' });
  });

  it('a damaged cache is rejected by V8 and replaced', () => {
    const home = mkdtempSync(join(tmpdir(), 'vl-cache-'));
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

  it('the buffer the bundle and its cache are read into is not kept once the bundle runs (held, it was promoted and kept to exit)', () => {
    const home = mkdtempSync(join(tmpdir(), 'vl-cache-'));
    const hook = join(home, 'buffers.cjs');
    // Registered before the shim's own exit handler; two full collections, so that the first one's
    // freeing of array buffers is finished when the second returns.
    writeFileSync(hook, "process.on('exit', () => { gc(); gc(); process.stderr.write(`arrayBuffers ${process.memoryUsage().arrayBuffers}\\n`); });\n");
    const heldAtExit = () => {
      const r = spawnSync(process.execPath, ['--expose-gc', '--require', hook, bin, ...args], { encoding: 'latin1', env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: home } });
      expect(r.stdout).toBe(expected.stdout);
      return Number(/arrayBuffers (\d+)/.exec(r.stderr)![1]);
    };
    const compiled = heldAtExit(); // no cache yet: the bundle compiled, the cache recorded
    const cached = heldAtExit(); // the cache read into the bundle's buffer
    expect(readdirSync(join(home, 'vdso-layout', 'code'))).toHaveLength(1);
    // The buffer is twice the bundle's size (~1.3 MB); what stays is Node's own and the inputs' (~10 KB).
    const bundleSize = statSync(bundle).size;
    expect(compiled).toBeLessThan(bundleSize / 8);
    expect(cached).toBeLessThan(bundleSize / 8);
  });

  it('a check loads no built-in module that bare node does not, but vm (start-up: perf_hooks alone is 11 modules)', () => {
    const home = mkdtempSync(join(tmpdir(), 'vl-cache-'));
    const hook = join(home, 'loaded.cjs');
    writeFileSync(hook, "process.on('exit', () => process.stderr.write(process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).join('\\n')))\n");
    const listed = (argv: string[]) => new Set(spawnSync(process.execPath, ['--require', hook, ...argv], { encoding: 'latin1', env: { ...process.env, XDG_CACHE_HOME: home } }).stderr.split('\n'));
    const bare = listed(['-e', '0']);
    const check = listed([bin, ...args]);
    expect(check.has('NativeModule vm')).toBe(true); // the list is read
    expect([...check].filter((m) => !bare.has(m) && !/^NativeModule (vm|process)$/.test(m))).toEqual([]);
  });
});
