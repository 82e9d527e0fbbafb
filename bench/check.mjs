// Benchmark (not a test): `check` start-up against bare node, and 10,000 captures in one call.
//   npm run build && node bench/check.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'vdso-layout.js');
const capture = join(root, 'samples/corpus/amd64-6.1.0-56-amd64/maps-pid1.txt');
const image = join(root, 'samples/corpus/amd64-6.1.0-56-amd64/vdso64.so');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function time(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, r };
}

// 1. One real capture + image vs `node -e ''`, interleaved, 15 rounds each.
const bare = []; const ours = [];
for (let i = 0; i < 15; i++) {
  bare.push(time(['-e', '']).ms);
  const o = time([bin, 'check', capture, '--vdso', image]);
  if (o.r.status !== 0) throw new Error(o.r.stdout + o.r.stderr);
  ours.push(o.ms);
}
console.log(`check one capture + image: median ${median(ours).toFixed(1)} ms; node -e '': ${median(bare).toFixed(1)} ms; ratio ${(median(ours) / median(bare)).toFixed(2)}x (goal <= 1.2x)`);

// 2. 10,000 captures in one invocation (each a copy of a real capture, addresses shifted).
const dir = mkdtempSync(join(tmpdir(), 'vl-bench-check-'));
const text = readFileSync(capture, 'latin1');
const files = [];
for (let i = 0; i < 10_000; i++) {
  const f = join(dir, `c${i}.txt`);
  writeFileSync(f, text.replace(/7ffc6bb/g, (0x7ffc6bb - (i % 4096)).toString(16)));
  files.push(f);
}
const runs = [];
for (let k = 0; k < 3; k++) {
  const o = time([bin, 'check', '-q', '--vdso', image, ...files]);
  if (o.r.status !== 0) throw new Error(`exit ${o.r.status}: ${o.r.stdout.slice(0, 500)}${o.r.stderr.slice(0, 500)}`);
  runs.push(o.ms);
}
console.log(`check 10,000 captures in one call: median ${(median(runs) / 1000).toFixed(2)} s (${(median(runs) / 10_000 * 1000).toFixed(0)} us per capture; goal <= 3 s)`);
rmSync(dir, { recursive: true });
