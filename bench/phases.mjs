// Where a check of many small captures goes, inside one process: for each capture the open and
// read (what openCaptureBytes does), the parse (readCaptureBytes) and the check (checkCapture),
// summed per round. Round 1 is the process's first, while V8 tiers the code up; later rounds
// run warm code over the same files. For insight only: bench/run-all.js times whole processes.
//   node bench/phases.mjs [--rounds N] [--dist DIR] --vdso IMAGE FILE...
// --dist: the built modules to measure (default: this checkout's dist/), e.g. a baseline's.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const { values, positionals: files } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '2' }, dist: { type: 'string' }, vdso: { type: 'string' } },
});
if (!values.vdso || files.length === 0) {
  process.stderr.write('usage: node bench/phases.mjs [--rounds N] [--dist DIR] --vdso IMAGE FILE...\n');
  process.exit(2);
}
const dist = resolve(values.dist ?? new URL('../dist', import.meta.url).pathname);
const load = (m) => import(pathToFileURL(resolve(dist, m)).href);
const { openCaptureBytes } = await load('io.js');
const { readCaptureBytes } = await load('capture/reader.js');
const { checkCapture } = await load('check/inputs.js');
const { keepForCheck } = await load('check/pipeline.js');
const { loadImage } = await load('commands/options.js');

const flags = { image: loadImage(values.vdso) };
const microseconds = () => Number(process.hrtime.bigint()) / 1e3;
const ms = (us) => `${(us / 1000).toFixed(0)} ms`;
for (let round = 1; round <= Number(values.rounds); round++) {
  let io = 0; let parse = 0; let check = 0; let passed = 0;
  for (const file of files) {
    const t0 = microseconds();
    const bytes = openCaptureBytes(file);
    const t1 = microseconds();
    // Every bench capture is small: read whole, as the CLI reads a small regular file.
    const capture = readCaptureBytes(bytes.whole, { file, strict: false, keep: keepForCheck });
    const t2 = microseconds();
    const results = checkCapture(capture, flags);
    const t3 = microseconds();
    io += t1 - t0; parse += t2 - t1; check += t3 - t2;
    for (const r of results) if (r.verdict === 'pass') passed++;
  }
  const n = files.length;
  console.log(`round ${round}: open+read ${ms(io)}, parse ${ms(parse)}, check ${ms(check)} for ${n} captures`
    + ` (${((io + parse + check) / n).toFixed(1)} µs each; ${passed} passed)`);
}
