// The floor under `check` of a large file in Node (bench/run-all.js measures it as a whole
// process, like everything else): start Node, read the file in 1 MiB chunks, nothing else.
//   node bench/floor-read.mjs FILE
import { openSync, readSync } from 'node:fs';

const fd = openSync(process.argv[2], 'r');
const buf = Buffer.allocUnsafe(1 << 20);
let total = 0; let n;
while ((n = readSync(fd, buf, 0, buf.length, null)) > 0) total += n;
process.stdout.write(`${total} bytes\n`);
