// The floor under `check` of many small captures in one call (bench/run-all.js measures it as a
// whole process): start Node, then for each file what openByteStream does for a small regular
// file (open, fstat, read it whole, close), nothing else.
//   node bench/floor-files.mjs FILE...
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

let total = 0;
for (const file of process.argv.slice(2)) {
  const fd = openSync(file, 'r');
  const size = fstatSync(fd).size;
  const buf = Buffer.allocUnsafe(size);
  for (let n = 1, done = 0; n > 0 && done < size; done += n) { n = readSync(fd, buf, done, size - done, null); total += n; }
  closeSync(fd);
}
process.stdout.write(`${total} bytes\n`);
