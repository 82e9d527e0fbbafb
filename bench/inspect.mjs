// Benchmark (not a test): `inspect` on one image against bare `node -e ''`, interleaved, medians.
//   npm run build && node bench/inspect.mjs
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const image = join(root, 'samples/corpus/amd64-6.1.0-56-amd64/vdso64.so');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const run = (args) => { const t = process.hrtime.bigint(); const r = spawnSync(process.execPath, args); if (r.status !== 0) throw new Error(String(r.stderr)); return Number(process.hrtime.bigint() - t) / 1e6; };
const bare = []; const ours = [];
for (let i = 0; i < 15; i++) { bare.push(run(['-e', ''])); ours.push(run([join(root, 'bin/vdso-layout.js'), 'inspect', image])); }
console.log(`inspect one image: median ${median(ours).toFixed(1)} ms; node -e '': ${median(bare).toFixed(1)} ms; ratio ${(median(ours) / median(bare)).toFixed(2)}x`);
