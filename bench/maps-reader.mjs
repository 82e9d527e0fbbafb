// Benchmark (not a test): our streaming maps reader vs awk on a generated 1,000,000-line
// maps file, in one run, as whole processes. Prints the time ratio and our peak RSS.
//   node bench/maps-reader.mjs [lines]      (needs `npm run build` first)
import { spawnSync, execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const lines = Number(process.argv[2] ?? 1_000_000);

if (process.argv[2] === '--child') {
  // The measured process: stream the file through the reader, keeping only the vDSO cluster.
  const { readCaptureStream } = await import(join(here, '..', 'dist', 'maps', 'capture.js'));
  const { createReadStream } = await import('node:fs');
  const cap = await readCaptureStream(createReadStream(process.argv[3]), { keep: (m) => m.kind === 'vdso' });
  const vdso = cap.blocks.flatMap((b) => b.mappings).filter((m) => m.kind === 'vdso').length;
  process.stdout.write(JSON.stringify({ vdso, maxRssKiB: process.resourceUsage().maxRSS }) + '\n');
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'vl-bench-'));
const file = join(dir, 'maps.txt');
await new Promise((resolve) => {
  const out = createWriteStream(file);
  let addr = 0x400000n;
  let i = 0;
  const names = ['/usr/lib/x86_64-linux-gnu/libc.so.6', '', '[heap]', '/opt/some app/lib with spaces.so', '[anon:scudo:primary]'];
  const write = () => {
    let ok = true;
    while (i < lines && ok) {
      const end = addr + 0x1000n * BigInt(1 + (i % 7));
      const name = i === lines - 3 ? '[vvar]' : i === lines - 2 ? '[vdso]' : names[i % names.length];
      const prefix = `${addr.toString(16).padStart(12, '0')}-${end.toString(16).padStart(12, '0')} ${i % 3 ? 'r--p' : 'r-xp'} ${(i * 4096).toString(16).padStart(8, '0')} 08:01 ${1000 + (i % 50000)} `;
      ok = out.write(name ? prefix.padEnd(72) + ' ' + name + '\n' : prefix + '\n');
      addr = end;
      i++;
    }
    if (i < lines) out.once('drain', write); else out.end(resolve);
  };
  write();
});
const size = statSync(file).size;

function time(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return { ms, out: r.stdout };
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ours = []; const awk = []; let rss = 0;
for (let k = 0; k < 3; k++) {
  const a = time('awk', ['$6=="[vdso]"', file]); awk.push(a.ms);
  const o = time(process.execPath, [fileURLToPath(import.meta.url), '--child', file]); ours.push(o.ms);
  const j = JSON.parse(o.out); rss = Math.max(rss, j.maxRssKiB);
  if (j.vdso !== 1) throw new Error('reader did not find the one [vdso]');
}
let awkVersion = 'awk';
try { awkVersion = execFileSync('awk', ['-W', 'version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0]; } catch { /* version flag differs between awks */ }
const mo = median(ours); const ma = median(awk);
console.log(`maps reader: ${lines} lines, ${(size / 1e6).toFixed(1)} MB (${awkVersion})`);
console.log(`  vdso-layout reader  median ${mo.toFixed(0)} ms  (${(size / 1e6 / (mo / 1000)).toFixed(0)} MB/s), peak RSS ${(rss / 1024).toFixed(1)} MiB`);
console.log(`  awk '$6=="[vdso]"'   median ${ma.toFixed(0)} ms  (${(size / 1e6 / (ma / 1000)).toFixed(0)} MB/s)`);
console.log(`  ratio ours/awk      ${(mo / ma).toFixed(2)}x  (< 1 means faster than awk)`);
rmSync(dir, { recursive: true });
