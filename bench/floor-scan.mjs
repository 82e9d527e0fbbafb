// The floor for any maps reader written for Node (bench/run-all.js measures it as a whole
// process, like everything else): read the file in 1 MiB chunks, find each newline with
// Buffer.indexOf and parse the start and end addresses of each line — nothing else.
//   node bench/floor-scan.mjs FILE
import { openSync, readSync } from 'node:fs';

const fd = openSync(process.argv[2], 'r');
const buf = Buffer.allocUnsafe(1 << 20);
let carry = 0; let lines = 0; let unsorted = 0; let prevEnd = 0; let n;
while ((n = readSync(fd, buf, carry, buf.length - carry, null)) > 0) {
  const lim = carry + n; let s = 0;
  for (let nl = buf.indexOf(10, s); nl >= 0 && nl < lim; nl = buf.indexOf(10, s)) {
    let i = s; let start = 0; let end = 0; let c;
    while ((c = buf[i]) !== 45) { start = start * 16 + (c <= 57 ? c - 48 : c - 87); i++; }
    i++;
    while ((c = buf[i]) !== 32) { end = end * 16 + (c <= 57 ? c - 48 : c - 87); i++; }
    if (start < prevEnd) unsorted++;
    prevEnd = end; lines++; s = nl + 1;
  }
  buf.copy(buf, 0, s, lim); carry = lim - s;
}
process.stdout.write(`${lines} lines, ${unsorted} out of order\n`);
