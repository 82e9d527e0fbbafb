#!/usr/bin/env node
// One gate step's outcome after its boot, from what the boot left: scripts/gate-series.sh runs
//   node scripts/gate-step.mjs STEP_DIR QEMU_CHECK_EXIT
// and reads one line of four fields separated by US (0x1f; a tab is IFS whitespace to bash's read,
// which would fold an empty codes field away): verdict, codes (comma-separated), detail, and
// whether the gate goes on (go) or stops (stop). STEP_DIR holds boot/console.log and check.json (one JSON document
// per checked task, as qemu-check.sh prints them).
//
// qemu-check exits 2 both when the boot failed and when the boot was fine but check could not
// judge the capture (refused, undecided): a riscv64 6.1 base whose capture check refused was
// reported "boot-failed", its boot and its vDSO clock both fine. A complete capture bundle in the
// console and check's own error entries tell the second case apart; its later steps still run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function stepOutcome(consoleLog, checkJson, qrc) {
  const docs = checkJson === undefined ? [] : checkJson.split(/^(?=\{)/m).filter((d) => d.trim());
  let parsed;
  try { parsed = docs.map((d) => JSON.parse(d)); } catch { parsed = undefined; }
  if (qrc >= 2) {
    const captured = consoleLog !== undefined && consoleLog.includes('VDSO-LAYOUT-BUNDLE 1 END');
    const errors = (parsed ?? []).flatMap((j) => j.results ?? []).filter((r) => r.verdict === 'error');
    if (captured && errors.length) {
      const message = String(errors[0].message ?? '').replace(/[\t\n\r\x1f]+/g, ' ');
      return { verdict: 'error', codes: [], detail: `not judged (check exit ${qrc}): ${message}`, go: true };
    }
    return { verdict: 'error', codes: [], detail: 'boot-failed', go: false };
  }
  if (!parsed || parsed.length === 0) return { verdict: 'error', codes: [], detail: 'check output unreadable', go: false };
  // The error-severity finding codes of every checked process, in first-seen order.
  const seen = new Set();
  for (const j of parsed) for (const r of j.results ?? []) for (const f of r.findings ?? []) if (f.severity === 'error') seen.add(f.code);
  return { verdict: qrc === 0 ? 'pass' : 'fail', codes: [...seen], detail: `check exit ${qrc}`, go: true };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, qrc] = process.argv.slice(2);
  const read = (f) => (existsSync(f) ? readFileSync(f, 'latin1') : undefined);
  const o = stepOutcome(read(join(dir, 'boot', 'console.log')), read(join(dir, 'check.json')), Number(qrc));
  process.stdout.write(`${[o.verdict, o.codes.join(','), o.detail, o.go ? 'go' : 'stop'].join('\x1f')}\n`);
}
