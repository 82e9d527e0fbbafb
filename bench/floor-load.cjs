// The floor that the bundle's size sets under a check's start-up (bench/run-all.js times it as a
// whole process against `node -e 0`): Node starting, reading dist/vdso-layout.bundle.js and a
// check's code cache as bin/vdso-layout.js reads them, and V8 deserializing the cache into the
// bundle's function. Nothing of the bundle runs: no commander, no module of ours, no check.
//   node bench/floor-load.cjs BUNDLE CACHE
// CACHE: a code cache the bin shim recorded for BUNDLE on this Node (its 8-byte header first).
// Exits 3 if V8 rejects it: a compile from source is not the floor.
'use strict';
const { closeSync, fstatSync, openSync, readSync } = require('node:fs');
const { Script } = require('node:vm');

const [bundle, cache] = process.argv.slice(2);
const readAll = (fd, buf) => {
  let done = 0;
  for (let n; done < buf.length && (n = readSync(fd, buf, done, buf.length - done, null)) > 0;) done += n;
  return done;
};
let fd = openSync(bundle, 'r');
const size = fstatSync(fd).size;
const buf = Buffer.allocUnsafeSlow(2 * size);
const source = buf.toString('latin1', 0, readAll(fd, buf.subarray(0, size)));
closeSync(fd);
fd = openSync(cache, 'r');
const cacheSize = fstatSync(fd).size;
const bytes = cacheSize <= buf.length ? buf.subarray(0, cacheSize) : Buffer.allocUnsafeSlow(cacheSize);
const cachedData = bytes.subarray(8, readAll(fd, bytes));
closeSync(fd);
const script = new Script(source, { filename: bundle, cachedData });
if (script.cachedDataRejected) {
  process.stderr.write(`floor-load: V8 rejected ${cache}\n`);
  process.exit(3);
}
if (typeof script.runInThisContext() !== 'function') process.exit(3);
