// npm run bench: every figure is a whole-process run of bin/vdso-layout.js measured against the
// tool it replaces in the same run (awk, `node -e 0`, xz -d), interleaved round by round, and
// reported as medians; peak RSS from GNU time (`/usr/bin/time -f %M`) where it is installed.
// Prints one table.
//   node bench/run-all.js [--baseline DIR] [--rounds N] [--only NAME,...] [--keep-env] [--awk PROGRAM]
// --baseline DIR: also run DIR/bin/vdso-layout.js (another checkout, built) in the same rounds,
// for a before/after table.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMaps } from './gen-maps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const baseline = arg('--baseline');
const rounds = Number(arg('--rounds') ?? 5);
const only = arg('--only')?.split(',');
// Which awk: mawk where installed (Debian's default awk, priority required; measured here on the
// 1M-line libs mix: 1.5x less CPU than gawk, 224 vs 336 ms), else `awk`, which may be gawk once
// that is installed (it is here): the faster one is the fair alternative. --awk PROGRAM picks
// another; the table's header says which ran.
const AWK = arg('--awk') ?? (spawnSync('mawk', ['-W', 'version']).status === 0 ? 'mawk' : 'awk');
// NODE_EXTRA_CA_CERTS makes Node 20 parse a certificate bundle at every start (~40 ms here, where
// the sandbox sets it for its registry proxy): it would hide what vdso-layout itself costs over
// bare Node, so the measured processes run without it unless --keep-env.
const keepEnv = process.argv.includes('--keep-env');
const runEnv = { ...process.env };
if (!keepEnv) delete runEnv.NODE_EXTRA_CA_CERTS;
// The measured runs keep their code caches in the bench's own directory: in the shared
// ~/.cache, another checkout's runs (other bundles, other Nodes) prune the newest few and can
// evict ours between rounds, which turns a measured run into a first run.
const dir = mkdtempSync(join(tmpdir(), 'vdso-layout-bench-'));
runEnv.XDG_CACHE_HOME = join(dir, 'xdg-cache');
const GNU_TIME = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M %R', 'true']).status === 0 ? '/usr/bin/time' : undefined;
const node = process.execPath;
const bin = (dir) => join(dir, 'bin', 'vdso-layout.js');
const corpus = join(root, 'samples', 'corpus', 'amd64-6.1.0-56-amd64');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sh = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * One whole-process run: wall ms, the measured process's peak RSS (KiB) and its minor page faults
 * (the pages it touched first: unlike time, the same from run to run, and on a virtual machine
 * each one costs what the line under the table says).
 */
function run({ argv, stdinFrom, ok = [0], env }) {
  const rss = join(dir, 'rss');
  const timed = GNU_TIME ? [GNU_TIME, '-f', '%M %R', '-o', rss, ...argv] : argv;
  // stdin through a pipe (as `producer | vdso-layout check -`), not a file descriptor of a file.
  const [cmd, args] = stdinFrom ? ['sh', ['-c', `cat ${sh(stdinFrom)} | ${timed.map(sh).join(' ')}`]] : [timed[0], timed.slice(1)];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26, env: { ...runEnv, ...env } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!ok.includes(r.status)) throw new Error(`${argv.join(' ')}: exit ${r.status}: ${String(r.stderr).slice(0, 300)}`);
  const [kib, faults] = GNU_TIME ? readFileSync(rss, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN];
  return { ms, kib, faults };
}

async function mapsFile(name, lines, mode) {
  const file = join(dir, name);
  const out = createWriteStream(file);
  await generateMaps(lines, mode, out);
  await new Promise((resolve) => out.end(resolve));
  return file;
}

// The cases: what a user runs, and what they would run instead.
const cases = [];
const add = (c) => { if (!only || only.includes(c.name)) cases.push(c); };
const check = (file, extra = []) => ['check', file, '--arch', 'x86_64', '--kernel', '6.18', '--format', 'json', ...extra];

const startupArgs = ['check', join(corpus, 'maps-pid1.txt'), '--vdso', join(corpus, 'vdso64.so'), '--auxv', join(corpus, 'auxv-pid1.txt')];
// Start-up on each Node line the package supports (scripts/node-runtimes.json: the registry's
// runtimes, fetched by scripts/fetch-node.sh), each against its own `node -e 0`; the running
// Node's row where none is fetched.
const runtimes = (() => {
  const { versions } = JSON.parse(readFileSync(join(root, 'scripts', 'node-runtimes.json'), 'utf8'));
  const cache = process.env.VDSO_LAYOUT_NODE_CACHE ?? join(homedir(), '.cache', 'vdso-layout', 'node');
  const found = Object.values(versions).map((v) => ({ version: v, node: join(cache, v, 'node_modules', `node-linux-${process.arch}`, 'bin', 'node') })).filter((r) => existsSync(r.node));
  const missing = Object.values(versions).filter((v) => !found.some((r) => r.version === v));
  if (missing.length) console.log(`start-up rows without Node ${missing.join(', ')}: not fetched (bash scripts/fetch-node.sh)`);
  return found.length ? found : [{ version: process.version.slice(1), node }];
})();
for (const rt of runtimes) {
  add({ name: 'startup', what: `check one capture + --vdso + --auxv, Node ${rt.version}`, alt: 'node -e 0 (same Node)', goal: '<= 1.2x', rounds: 4 * rounds + 1, node: rt.node,
    ours: startupArgs, altArgv: [rt.node, '-e', '0'],
    // The first run of a Node records its code cache (bin/vdso-layout.js): not what is measured.
    setup() { run({ argv: [rt.node, bin(root), ...startupArgs] }); if (baseline) run({ argv: [rt.node, bin(baseline), ...startupArgs] }); } });
}
// A user's first command is often `--version`, `check --help` or a check without the image: a
// code cache holds what its recording run compiled (bin/vdso-layout.js), so each command records
// its own, and a run that goes deeper into its command, or exercises more of it (--vdso, --auxv),
// records it again. Here a cache directory of its own where that command ran first, then one
// check; rounds as above.
const afterFirst = [
  { name: 'startup-after-version', first: ['--version'], what: 'the same after a first --version' },
  { name: 'startup-after-help', first: ['check', '--help'], what: 'the same after a first check --help' },
  { name: 'startup-after-plain', first: ['check', join(corpus, 'maps-pid1.txt')], what: 'the same after a first check without --vdso, --auxv' },
];
for (const { name, first, what } of afterFirst) {
  for (const rt of runtimes) {
    add({ name, what: `${what}, Node ${rt.version}`, alt: 'node -e 0 (same Node)', goal: '<= 1.2x', rounds: 4 * rounds + 1, node: rt.node,
      ours: startupArgs, altArgv: [rt.node, '-e', '0'],
      setup() {
        this.env = { XDG_CACHE_HOME: join(dir, `xdg-${name}-${rt.version}`) };
        this.baseEnv = { XDG_CACHE_HOME: join(dir, `xdg-${name}-${rt.version}-baseline`) };
        for (const [b, env] of [[root, this.env], ...(baseline ? [[baseline, this.baseEnv]] : [])]) {
          run({ argv: [rt.node, bin(b), ...first], env });
          run({ argv: [rt.node, bin(b), ...startupArgs], env });
        }
      } });
  }
}
// The floor, built once and shared by the runtimes' rows.
let floorShim;
async function buildFloor() {
  // Built as scripts/bundle.mjs builds the CLI; run by a shim that loads it as bin/ does.
  const { build } = await import('rolldown');
  const cli = join(dir, 'floor-cli.cjs');
  const { output: [bundled] } = await build({ input: join(root, 'bench', 'floor-cli.mjs'), platform: 'node', logLevel: 'warn', write: false, output: { file: cli, format: 'cjs', codeSplitting: false, charset: 'ascii', comments: false } });
  // Already inside require()'s function wrapper, as scripts/bundle.mjs writes the CLI's bundle.
  writeFileSync(cli, `(function (exports, require, module, __filename, __dirname) {${bundled.code}\n})`);
  const shim = join(dir, 'floor-shim.cjs');
  // One code cache per Node, as the bin shim keeps them.
  writeFileSync(shim, `'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { Script } = require('node:vm');
const file = ${JSON.stringify(cli)};
const cacheFile = file + '.' + process.version + '.cache';
let cachedData; try { cachedData = readFileSync(cacheFile); } catch {}
const script = new Script(readFileSync(file, 'latin1'), { filename: file, cachedData });
if (!cachedData) process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
script.runInThisContext()({}, require, { exports: {} }, file, ${JSON.stringify(dir)});
`);
  return shim;
}
for (const rt of runtimes) {
  add({ name: 'startup-floor', what: `floor: commander alone, bundled, code-cached, Node ${rt.version}`, alt: 'node -e 0 (same Node)', noBaseline: 'same script', rounds: 4 * rounds + 1,
    async setup() {
      floorShim ??= await buildFloor();
      this.oursArgv = [rt.node, floorShim, ...startupArgs]; this.altArgv = [rt.node, '-e', '0'];
      run({ argv: this.oursArgv }); // records the code cache
    } });
}
// The floor the bundle's size sets: reading it and the check's code cache as the shim does, and
// V8 deserializing the cache, nothing run (bench/floor-load.cjs). The cache is the one the
// startup row's first run recorded, in the bench's cache directory.
for (const rt of runtimes) {
  add({ name: 'startup-load', what: `floor: the bundle and its check cache loaded, nothing run, Node ${rt.version}`, alt: 'node -e 0 (same Node)', noBaseline: 'same script', rounds: 4 * rounds + 1,
    setup() {
      run({ argv: [rt.node, bin(root), ...startupArgs] }); // records the cache, if no row has
      const bundle = join(root, 'dist', 'vdso-layout.bundle.js');
      const [, version, id] = /^\/\/ vdso-layout (\S+) bundle ([0-9a-f]+)/.exec(readFileSync(bundle, 'latin1'));
      const cache = join(runEnv.XDG_CACHE_HOME, 'vdso-layout', 'code', `${version}-${id}-check-v${rt.version}-${process.arch}.cache`);
      this.oursArgv = [rt.node, join(root, 'bench', 'floor-load.cjs'), bundle, cache]; this.altArgv = [rt.node, '-e', '0'];
    } });
}
add({ name: 'inspect', what: 'inspect one image', alt: 'node -e 0', rounds: 4 * rounds + 1,
  ours: ['inspect', join(corpus, 'vdso64.so')], altArgv: [node, '-e', '0'] });
// 10,000 small captures, one file each (4,096 different ones: the stack's address varies); the
// 20k row adds 10,000 more, different again, so that what a further 10,000 cost shows apart from
// what the first ones pay once (start-up, the JIT, the heap growing), printed under the table.
const manyFiles = (n, tag, shift) => {
  const text = readFileSync(join(corpus, 'maps-pid1.txt'), 'latin1');
  const files = [];
  for (let i = 0; i < n; i++) {
    const f = join(dir, `${tag}${i}.txt`);
    writeFileSync(f, text.replace(/7ffc6bb/g, (0x7ffc6bb - shift - (i % 4096)).toString(16)));
    files.push(f);
  }
  return files;
};
let files10k;
// On each Node line (the runtime running the bench first): how fast V8 tiers the check's code up
// is most of a 10,000-capture call, and each line's V8 does it differently.
for (const rt of [{ version: process.version.slice(1), node }, ...runtimes.filter((r) => `v${r.version}` !== process.version)]) {
  add({ name: '10k', what: `check 10,000 captures in one call, Node ${rt.version}`, alt: "awk '$6==\"[vdso]\"' (same files)", goal: '<= 5x, <= 100 MiB', node: rt.node, setup() {
    files10k ??= manyFiles(10_000, 'c', 0);
    this.ours = ['check', '-q', '--vdso', join(corpus, 'vdso64.so'), ...files10k];
    this.altArgv = [AWK, '$6=="[vdso]"', ...files10k];
  } });
}
add({ name: '10k-floor', what: 'floor: Node starting and reading those files, nothing else', alt: "awk '$6==\"[vdso]\"' (same files)", noBaseline: 'same script', setup() {
  files10k ??= manyFiles(10_000, 'c', 0);
  this.oursArgv = [node, join(root, 'bench', 'floor-files.mjs'), ...files10k]; this.altArgv = [AWK, '$6=="[vdso]"', ...files10k];
} });
add({ name: '20k', what: 'check 20,000 captures in one call (10,000 more)', alt: "awk '$6==\"[vdso]\"' (same files)", setup() {
  files10k ??= manyFiles(10_000, 'c', 0);
  const more = manyFiles(10_000, 'd', 0x10000);
  this.ours = ['check', '-q', '--vdso', join(corpus, 'vdso64.so'), ...files10k, ...more];
  this.altArgv = [AWK, '$6=="[vdso]"', ...files10k, ...more];
} });
add({ name: '1m', what: 'check a 1,000,000-line maps file', alt: "awk '$6==\"[vdso]\"'", goal: '<= 1.0x, <= 100 MiB', async setup() {
  this.file = await mapsFile('maps-1m.txt', 1_000_000, 'normal');
  this.ours = check(this.file); this.altArgv = [AWK, '$6=="[vdso]"', this.file];
} });
add({ name: '1m-js', what: 'the same, JavaScript scanner (VDSO_LAYOUT_SCANNER=js)', alt: "awk '$6==\"[vdso]\"'", env: { VDSO_LAYOUT_SCANNER: 'js' }, noBaseline: 'has no WebAssembly scanner', async setup() {
  this.file = await mapsFile('maps-1m-js.txt', 1_000_000, 'normal');
  this.ours = check(this.file); this.altArgv = [AWK, '$6=="[vdso]"', this.file];
} });
add({ name: 'floor', what: 'floor: Node starting and reading that file, nothing else', alt: "awk '$6==\"[vdso]\"'", noBaseline: 'same script', async setup() {
  this.file = await mapsFile('maps-1m-floor.txt', 1_000_000, 'normal');
  this.oursArgv = [node, join(root, 'bench', 'floor-read.mjs'), this.file]; this.altArgv = [AWK, '$6=="[vdso]"', this.file];
} });
add({ name: '1m-novdso', what: 'worst case: 1M lines, no [vdso]', alt: "awk '$6==\"[vdso]\"'", goal: '<= 1.0x, <= 100 MiB', ok: [1], async setup() {
  this.file = await mapsFile('maps-1m-novdso.txt', 1_000_000, 'novdso');
  this.ours = check(this.file); this.altArgv = [AWK, '$6=="[vdso]"', this.file];
} });
add({ name: '1m-anonx', what: 'worst case: 1M lines, every anonymous vma r-x', alt: "awk '$6==\"[vdso]\"'", goal: '<= 1.0x, <= 100 MiB', async setup() {
  this.file = await mapsFile('maps-1m-anonx.txt', 1_000_000, 'anonx');
  this.ours = check(this.file); this.altArgv = [AWK, '$6=="[vdso]"', this.file];
} });
add({ name: '1m-libs', what: 'mix: 1/3 library lines (long paths), 1/4 anon r-x', alt: "awk '$6==\"[vdso]\"'", goal: '<= 1.0x, <= 100 MiB', async setup() {
  this.file = await mapsFile('maps-1m-libs.txt', 1_000_000, 'libs');
  this.ours = check(this.file); this.altArgv = [AWK, '$6=="[vdso]"', this.file];
} });
add({ name: 'stdin-1m', what: 'stdin: 1M lines (anonymous r-x) piped', alt: "awk '$6==\"[vdso]\"'", async setup() {
  this.stdin = await mapsFile('maps-1m-anonx-stdin.txt', 1_000_000, 'anonx');
  this.ours = check('-'); this.altArgv = [AWK, '$6=="[vdso]"'];
} });
add({ name: 'stdin-5m', what: 'worst case: stdin, 5M lines (anonymous r-x) piped', alt: "awk '$6==\"[vdso]\"'", goal: 'linear, flat RSS', noBaseline: 'the issue measured 34.5 s and 1.42 GB', rounds: Math.max(3, Math.ceil(rounds / 2)), async setup() {
  this.stdin = await mapsFile('maps-5m-anonx.txt', 5_000_000, 'anonx');
  this.ours = check('-'); this.altArgv = [AWK, '$6=="[vdso]"'];
} });
// The sample kernel for extract, and its xz payload (from the xz magic on) for the decoders alone.
const kernel = join(root, 'samples', 'kernels', 'vmlinuz-6.1.0-50-686-pae');
const xzPayloadOf = (file) => { const b = readFileSync(file); return b.subarray(b.indexOf(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))); };
add({ name: 'extract', what: 'extract: i386 6.1 vmlinuz (xz)', alt: 'xz -dc (its payload)', setup() {
  const payload = join(dir, 'payload.xz');
  writeFileSync(payload, xzPayloadOf(kernel));
  this.ours = ['extract', kernel]; this.altArgv = ['xz', '-dc', '--single-stream', payload];
} });

add({ name: 'extract-zstd', what: 'extract: that payload as zstd (-10, size appended)', alt: 'zstd -dc', setup() {
  // Debian's kernels are xz or gzip; a zstd one is made from the same payload (xz -dc | zstd).
  const vmlinux = spawnSync('xz', ['-dc', '--single-stream'], { input: xzPayloadOf(kernel), maxBuffer: 1 << 28 });
  const zst = spawnSync('zstd', ['-q', '-10', '-c'], { input: vmlinux.stdout, maxBuffer: 1 << 28 });
  if (vmlinux.status !== 0 || zst.status !== 0) throw new Error('extract-zstd needs xz and zstd (apt-get install xz-utils zstd)');
  // As the kernel's `zstd22_with_size` leaves it: the frame, then the size as le32.
  const size = Buffer.alloc(4); size.writeUInt32LE(vmlinux.stdout.length);
  const payload = join(dir, 'vmlinux.zst'); const withSize = join(dir, 'vmlinux.zst+size');
  writeFileSync(payload, zst.stdout); writeFileSync(withSize, Buffer.concat([zst.stdout, size]));
  this.ours = ['extract', withSize]; this.altArgv = ['zstd', '-dc', payload];
} });

const loadAtStart = loadavg().map((x) => x.toFixed(2)).join(' ');
for (const c of cases) await c.setup?.();
const rowsOf = (c) => ['ours', 'alt', ...(baseline && !c.noBaseline ? ['base'] : [])];
const samples = new Map(cases.map((c) => [c, Object.fromEntries(rowsOf(c).map((k) => [k, []]))]));
const maxRounds = Math.max(...cases.map((c) => c.rounds ?? rounds));
for (let r = 0; r < maxRounds; r++) {
  for (const c of cases) {
    if (r >= (c.rounds ?? rounds)) continue;
    const s = samples.get(c);
    // Interleaved: ours, the alternative, the baseline, in turn.
    s.ours.push(run({ argv: c.oursArgv ?? [c.node ?? node, bin(root), ...c.ours], stdinFrom: c.stdin, ok: c.ok ?? [0, 1], env: c.env }));
    s.alt.push(run({ argv: c.altArgv, stdinFrom: c.stdin, ok: [0] }));
    if (s.base) s.base.push(run({ argv: [c.node ?? node, bin(baseline), ...c.ours], stdinFrom: c.stdin, ok: c.ok ?? [0, 1], env: c.baseEnv ?? c.env }));
  }
}
rmSync(dir, { recursive: true, force: true });

const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtRss = (kib) => (Number.isNaN(kib) ? 'n/a' : `${(kib / 1024).toFixed(0)} MiB`);
const header = ['case', 'vdso-layout', 'peak RSS', 'faults', 'alternative', 'alt', 'alt faults', 'ratio', 'goal'];
if (baseline) header.push('baseline', 'base RSS', 'base faults', 'base ratio');
const rows = [header];
for (const c of cases) {
  const s = samples.get(c);
  const m = (k) => median(s[k].map((x) => x.ms));
  const rss = (k) => Math.max(...s[k].map((x) => x.kib));
  const faults = (k) => { const f = median(s[k].map((x) => x.faults)); return Number.isNaN(f) ? 'n/a' : String(f); };
  const ratio = m('ours') / m('alt');
  const row = [c.what, fmtMs(m('ours')), fmtRss(rss('ours')), faults('ours'), c.alt, fmtMs(m('alt')), faults('alt'), `${ratio.toFixed(2)}x`, c.goal ?? ''];
  if (baseline) row.push(...(s.base ? [fmtMs(m('base')), fmtRss(rss('base')), faults('base'), `${(m('base') / m('alt')).toFixed(2)}x`] : ['not run', '', '', c.noBaseline ?? '']));
  rows.push(row);
}
const width = header.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
const line = (r) => `| ${r.map((v, i) => v.padEnd(width[i])).join(' | ')} |`;
// Node 20 loads NODE_EXTRA_CA_CERTS at start-up (measured: 22 and 24 do not).
if (process.env.NODE_EXTRA_CA_CERTS) console.log(keepEnv ? 'NODE_EXTRA_CA_CERTS kept (--keep-env): Node 20 parses that bundle in every process, ours and node -e 0 alike (~35-40 ms each), which pulls start-up ratios towards 1' : 'NODE_EXTRA_CA_CERTS unset for the measured processes (Node 20 parses it in every process, ~35-40 ms; --keep-env keeps it)');
console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (at the end; ${loadAtStart} at the start); node ${process.version}, ${rounds} rounds (start-up cases ${4 * rounds + 1}), medians; ${GNU_TIME ? 'peak RSS of the measured process (max over rounds)' : 'GNU time not installed: no RSS'}; awk: ${spawnSync(AWK, ['-W', 'version'], { encoding: 'utf8' }).stdout?.split('\n')[0] || 'awk'}`);
// What a minor fault costs on this machine: 64 MiB filled twice, the first time touching each page.
const touch = (() => {
  const b = Buffer.allocUnsafeSlow(64 << 20);
  const t0 = process.hrtime.bigint(); b.fill(1); const t1 = process.hrtime.bigint(); b.fill(2); const t2 = process.hrtime.bigint();
  return { first: Number(t1 - t0) / 1e3 / 16384, again: Number(t2 - t1) / 1e3 / 16384 };
})();
console.log(`faults: minor page faults of the measured process (median); filling a 4 KiB page touched for the first time took ${touch.first.toFixed(2)} us here, ${touch.again.toFixed(2)} us the second time`);
console.log(line(rows[0]));
console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows.slice(1)) console.log(line(r));
const k10 = cases.find((c) => c.name === '10k'); const k20 = cases.find((c) => c.name === '20k');
if (k10 && k20) {
  const m = (c, k) => median(samples.get(c)[k].map((x) => x.ms));
  const more = m(k20, 'ours') - m(k10, 'ours'); const moreAlt = m(k20, 'alt') - m(k10, 'alt');
  console.log(`20,000 vs 10,000 captures: the second 10,000 cost ${fmtMs(more)} (awk ${fmtMs(moreAlt)}: ${(more / moreAlt).toFixed(2)}x; ${(more / m(k10, 'alt')).toFixed(2)}x awk's first 10,000); the first 10,000 ${fmtMs(m(k10, 'ours'))}`);
}
const s5 = cases.find((c) => c.name === 'stdin-5m'); const s1 = cases.find((c) => c.name === 'stdin-1m');
if (s5 && s1) {
  const m = (c) => median(samples.get(c).ours.map((x) => x.ms)); const r = (c) => Math.max(...samples.get(c).ours.map((x) => x.kib));
  console.log(`stdin 5M vs 1M lines: time x${(m(s5) / m(s1)).toFixed(2)} for 5x the lines; peak RSS ${fmtRss(r(s1))} -> ${fmtRss(r(s5))}`);
}
