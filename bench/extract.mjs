// Benchmark (not a test): scan speed of `extract` over an uncompressed 100 MB kernel-like file
// (random bytes, a sprinkling of decoy "\x7fELF" headers, real vDSO images embedded), against
// a plain Buffer.indexOf pass over the same bytes in the same run.
//   npm run build && node bench/extract.mjs
import { readFileSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { scanForVdsos } = await import(join(root, 'dist/extract/scan.js'));
const size = 100 << 20;
const buf = Buffer.alloc(size);
randomFillSync(buf);
const imgs = ['amd64-7.2.13+deb14-amd64/vdso64.so', 'amd64-7.2.13+deb14-amd64/vdso32.so', 'amd64-7.2.13+deb14-amd64/vdsox32.so']
  .map((p) => readFileSync(join(root, 'samples/corpus', p)));
imgs.forEach((im, i) => im.copy(buf, (i + 1) * 30_000_000));
for (let k = 0; k < 2000; k++) Buffer.from('\x7fELF\x02\x01\x01', 'latin1').copy(buf, 12345 + k * 50_000); // decoys
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ours = []; const base = [];
let found = 0;
for (let r = 0; r < 7; r++) {
  let t = process.hrtime.bigint();
  found = scanForVdsos(buf).length;
  ours.push(Number(process.hrtime.bigint() - t) / 1e6);
  t = process.hrtime.bigint();
  let n = 0; let at = -1; while ((at = buf.indexOf('\x7fELF', at + 1, 'latin1')) >= 0) n++;
  base.push(Number(process.hrtime.bigint() - t) / 1e6);
}
if (found !== 3) throw new Error(`expected 3 images, found ${found}`);
const mo = median(ours); const mb = median(base);
console.log(`extract scan: 100 MiB in ${mo.toFixed(0)} ms = ${(size / 1e9 / (mo / 1000)).toFixed(2)} GB/s (goal >= 1 GB/s); bare indexOf pass ${mb.toFixed(0)} ms; ratio ${(mo / mb).toFixed(2)}x`);
