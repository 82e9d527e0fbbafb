// Renderers of `diff`: the reviewer's table and its JSON (schema diff/1).
import { hex } from '../errors.js';
import type { Cluster, ClusterRegion, RegionChange } from '../check/diff.js';
import { jsonEscapeUnsafe, visible } from './escape.js';
import { SCHEMA } from './schemas.js';

const fmtRegion = (r: ClusterRegion | undefined, page: bigint) => (r ? `${r.offset < 0n ? '-' : '+'}${hex(r.offset < 0n ? -r.offset : r.offset)} ${r.size / page}p ${r.perms}` : '-');

export function diffToText(changes: RegionChange[], page: bigint, names: [string, string]): string {
  // File and maps names come from the inputs: made visible, never raw escapes on a terminal.
  const rows = [['region', `before (${visible(names[0])})`, `after (${visible(names[1])})`, 'change'], ...changes.map((c) => [visible(c.name), fmtRegion(c.before, page), fmtRegion(c.after, page), visible(c.text)])];
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  const out = rows.map((r) => `${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padEnd(w[2])}  ${r[3]}`.trimEnd());
  out.splice(1, 0, '-'.repeat(out[0].length));
  return `offsets are relative to each capture's text base ([vdso] start / AT_SYSINFO_EHDR); p = ${page}-byte pages\n${out.join('\n')}\n`;
}

export function diffToJson(changes: RegionChange[], page: bigint, before: Cluster, after: Cluster): string {
  const r = (x?: ClusterRegion) => (x ? { name: x.name, offset: hex(x.offset), size: hex(x.size), pages: Number(x.size / page), perms: x.perms, line: x.line ?? null } : null);
  return jsonEscapeUnsafe(JSON.stringify({
    schema: SCHEMA.diff, pageSize: hex(page), beforeBase: hex(before.base), afterBase: hex(after.base),
    changed: changes.some((c) => c.changes[0] !== 'same'),
    regions: changes.map((c) => ({ name: c.name, changes: c.changes, summary: c.text, before: r(c.before), after: r(c.after) })),
  }, null, 2)) + '\n';
}
