// `npm run fuzz`: the full fuzz counts (test/fuzz/core.mjs) over the built CLI modules (dist/),
// in worker threads. The work per input is bounded by counts in core.mjs (input sizes, chunks fed,
// bytes decoded), not by a clock: a busy machine makes a run slower, never failed. Only a worker
// whose input index has not moved for HANG_MS (a loop that never ends) is terminated, the input
// recorded as a hang, and the rest of its range restarted. The slowest input is reported.
//   npm run fuzz [-- --scale 0.1] [-- --only elf,text]
import { Worker, isMainThread, workerData, parentPort } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { rmSync } from 'node:fs';
import { FULL, loadApi, runOne, tmpDirFor } from './core.mjs';

const HANG_MS = 120_000;
// Shared counters per worker: [current index, ok, input-error, crash, slowest ms, started].
const SLOTS = 6;

if (!isMainThread) {
  const { target, from, to, shared, tag } = workerData;
  const s = new Int32Array(shared);
  const api = await loadApi('dist');
  const tmp = tmpDirFor(tag);
  for (let i = from; i < to; i++) {
    Atomics.store(s, 0, i);
    const t = performance.now();
    try {
      const o = await runOne(api, target, i, tmp);
      Atomics.add(s, o === 'ok' ? 1 : 2, 1);
    } catch (e) {
      Atomics.add(s, 3, 1);
      parentPort.postMessage({ crash: { target, index: i, error: String(e?.stack ?? e).split('\n').slice(0, 3).join(' | ') } });
    }
    const ms = Math.ceil(performance.now() - t);
    if (ms > Atomics.load(s, 4)) Atomics.store(s, 4, ms);
  }
  Atomics.store(s, 0, to);
  rmSync(tmp, { recursive: true, force: true });
  parentPort.postMessage({ done: true });
} else {
  const args = process.argv.slice(2);
  const scale = Number(args[args.indexOf('--scale') + 1] ?? 1) || 1;
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : Object.keys(FULL);
  const workers = Math.max(1, Math.min(2, availableParallelism()));
  const report = [];
  let failed = false;
  for (const target of only) {
    // The corpus is a fixed set of cases: every one runs whatever the scale.
    const total = target === 'corpus' ? FULL.corpus : Math.round(FULL[target] * (args.includes('--scale') ? scale : 1));
    const t0 = performance.now();
    const tally = { ok: 0, 'input-error': 0, crash: 0, hang: 0, slowestMs: 0 };
    const crashes = []; const hangs = [];
    const runRange = (from, to, tag) => new Promise((resolve) => {
      if (from >= to) return resolve();
      const shared = new SharedArrayBuffer(SLOTS * 4);
      const s = new Int32Array(shared);
      Atomics.store(s, 0, from);
      const w = new Worker(new URL(import.meta.url), { workerData: { target, from, to, shared, tag } });
      let last = from; let since = performance.now(); let finished = false;
      const collect = () => { tally.ok += s[1]; tally['input-error'] += s[2]; tally.crash += s[3]; tally.slowestMs = Math.max(tally.slowestMs, s[4]); };
      // Loading the modules is not an input: it gets 5 s more.
      let warm = false;
      const timer = setInterval(() => {
        const cur = Atomics.load(s, 0);
        if (cur !== last) { last = cur; since = performance.now(); warm = true; return; }
        if (performance.now() - since > (warm ? HANG_MS : HANG_MS + 5000) && !finished) {
          finished = true; clearInterval(timer);
          hangs.push(cur); tally.hang++;
          collect();
          w.terminate().then(() => runRange(cur + 1, to, `${tag}.${cur}`).then(resolve));
        }
      }, 50);
      w.on('message', (m) => {
        if (m.crash) crashes.push(m.crash);
        if (m.done && !finished) { finished = true; clearInterval(timer); collect(); w.terminate().then(resolve); }
      });
      w.on('error', (e) => { if (!finished) { finished = true; clearInterval(timer); collect(); crashes.push({ target, index: Atomics.load(s, 0), error: `worker died: ${e.message}` }); tally.crash++; runRange(Atomics.load(s, 0) + 1, to, `${tag}.e`).then(resolve); } });
    });
    const progress = setInterval(() => process.stderr.write(`  ${target}: ${tally.ok + tally['input-error'] + tally.crash + tally.hang} finished in restarted ranges, ${crashes.length} crashes, ${hangs.length} hangs so far, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`), 60_000);
    const per = Math.ceil(total / workers);
    await Promise.all(Array.from({ length: workers }, (_, k) => runRange(k * per, Math.min(total, (k + 1) * per), `${target}${k}`)));
    clearInterval(progress);
    const seconds = (performance.now() - t0) / 1000;
    report.push({ target, inputs: total, ...tally, seconds: Number(seconds.toFixed(1)) });
    console.log(`${target.padEnd(8)} ${String(total).padStart(7)} inputs: ok ${tally.ok}, input-error ${tally['input-error']}, crash ${tally.crash}, hang ${tally.hang} (slowest ${tally.slowestMs} ms) in ${seconds.toFixed(1)} s`);
    for (const c of crashes.slice(0, 10)) console.log(`  crash ${c.target}#${c.index}: ${c.error}`);
    for (const h of hangs.slice(0, 10)) console.log(`  hang ${target}#${h} (no progress for ${HANG_MS / 1000} s)`);
    if (crashes.length || hangs.length) failed = true;
  }
  console.log(JSON.stringify({ fuzz: report }));
  process.exitCode = failed ? 1 : 0;
}
