import type { ChalkInstance } from 'chalk';
import { hex } from '../errors.js';
import { formatMapping } from '../capture/maps-line.js';
import { synthesize, type Layout } from '../layout/engine.js';
import type { PageCount, ProfileRow } from '../layout/profile-types.js';
import { jsonEscapeUnsafe, visible } from './escape.js';
import { SCHEMA } from './schemas.js';

const kib = (b: bigint) => (b % 1024n === 0n ? `${b / 1024n}K` : `${b}B`);

export function synthLines(layout: Layout, base: bigint): string[] {
  return synthesize(layout, base).map((m) => formatMapping(m, { kernelBits: layout.kernelBits }));
}

export function layoutSummary(layout: Layout): string[] {
  const from = (s: string) => s.replace(/-/g, ' ');
  return [
    `# ${layout.task}${layout.compat ? ' (compat task)' : ''} on a ${layout.kernelBits}-bit ${layout.family} kernel ${visible(layout.kernelVersion ?? '(version unknown)')} [${from(layout.kernelVersionFrom)}]; profile ${visible(layout.profile.id)}`,
    `# page size ${layout.pageSize} [${from(layout.pageSizeFrom)}]; text ${layout.textPages ?? '?'} page(s)${layout.textBytes !== undefined ? ` for ${layout.textBytes} bytes` : ''} [${from(layout.textFrom)}]`,
    `# source: ${visible(layout.profile.source)}`,
  ];
}

/** A labelled picture of the regions, low to high, for reviewers. */
export function diagram(layout: Layout, base: bigint, c: ChalkInstance): string {
  const top = base + layout.regions.reduce((a, r) => (r.offset + r.size > a ? r.offset + r.size : a), 0n);
  const width = top > 0xffffffffn ? 16 : 8;
  const addr = (v: bigint) => v.toString(16).padStart(width, '0');
  const out: string[] = [];
  const p = layout.pageSize;
  const bar = '+' + '-'.repeat(44) + '+';
  for (const r of [...layout.regions].reverse()) {
    const start = base + r.offset;
    const end = start + r.size;
    const pages = r.size / p;
    const label = `${r.name ?? '(unnamed)'} ${r.perms}  ${pages} page${pages === 1n ? '' : 's'} (${kib(r.size)})${r.optional ? '  [optional]' : ''}`;
    out.push(`${addr(end)} ${bar}`);
    const roles = r.pageRoles ?? [];
    const color = r.role === 'text' ? c.green : r.role === 'vclock' ? c.magenta : c.cyan;
    out.push(`${' '.repeat(width)} | ${color(label.padEnd(42))} |`);
    for (let i = roles.length - 1; i >= 0; i--) {
      const pageStart = start + BigInt(i) * p;
      const mark = r.role === 'text' && pageStart === base ? c.bold('  <- AT_SYSINFO_EHDR (ELF header)') : '';
      out.push(`${' '.repeat(width)} |   ${addr(pageStart)} ${roles[i].padEnd(42 - width - 2)}|${mark}`);
    }
    if (r.gapBelowAllowed) out.push(`${' '.repeat(width)} | ${c.dim('(a gap below is allowed: cache colouring)'.padEnd(42))} |`);
  }
  const lowest = base + layout.regions.reduce((a, r) => (r.offset < a ? r.offset : a), 0n);
  out.push(`${addr(lowest)} ${bar}`);
  for (const n of layout.neighbours) {
    out.push(`${c.dim(`neighbour ${n.name} ${n.perms.join('|')} ${n.pages} page: ${n.placement}${n.at !== undefined ? ` at ${hex(n.at)}` : ''}${n.optional ? ' (optional)' : ''}`)}`);
  }
  return out.join('\n') + '\n';
}

/**
 * Words of `text` in lines of at most `width` columns: the first after `first`, the rest after
 * `rest` (a hanging indent). A word too long for that (a path) is indented less, on a line of its
 * own; one longer than a whole line is cut into lines.
 */
function wrapText(text: string, width: number, first: string, rest: string): string[] {
  const out: string[] = [];
  let line = first;
  let empty = true;
  const push = (word: string) => {
    if (rest.length + word.length <= width) { line = rest + word; return; }
    let w = word;
    while (w.length > width) { out.push(w.slice(0, width)); w = w.slice(width); }
    line = ' '.repeat(Math.max(0, width - w.length)).slice(0, rest.length) + w;
  };
  for (const word of text.split(' ').filter((w) => w !== '')) {
    if (line.length + (empty ? 0 : 1) + word.length <= width) { line += (empty ? '' : ' ') + word; empty = false; continue; }
    if (!empty || line.trim() !== '') out.push(line);
    push(word);
    empty = false;
  }
  out.push(line);
  return out;
}

/** A row's page count as the tables print it; a per-CPU one as its formula (P: the page size). */
function rowPages(pc: PageCount, or: string, atLeast: string): string {
  if (typeof pc === 'number') return `${pc}`;
  if ('oneOf' in pc) return pc.oneOf.join(or);
  if ('perCpu' in pc) {
    const c = pc.perCpu;
    return `${c.fixed}+ceil((${c.bytesPerCpu}*NR_CPUS${c.extraBytes ? `+${c.extraBytes}` : ''})/P)`;
  }
  return pc.max === undefined ? `${atLeast}${pc.min}` : `${pc.min}..${pc.max}`;
}

/** The table as text for a terminal of `width` columns (the long form is --json). */
export function profilesToText(rows: readonly ProfileRow[], width = 80): string {
  const out: string[] = [];
  const pad = ''.padEnd(17);
  // A labelled field ("source: …") wraps under its text, not under its label.
  const field = (label: string, text: string) => out.push(...wrapText(text, width, `${pad}${label} `, `${pad}${''.padEnd(label.length + 1)}`));
  for (const r of rows) {
    const regions = r.regions.map((g) => {
      if (g.role === 'text') return `${g.name ?? '(unnamed)'} text${g.dataPagesBefore ? ` [${g.dataPagesBefore} data page first]` : ''}${g.dataPagesAfter ? ` [+${g.dataPagesAfter} data page after]` : ''}`;
      const pc = g.pages ?? 1;
      const n = rowPages(pc, '|', '>=');
      return `${g.name ?? '(unnamed)'} ${n}${g.optional ? '?' : ''}${g.gapBelowAllowed ? ' (gap below allowed)' : ''}`;
    }).join(' · ');
    const head = `${r.id.padEnd(16)} ${`${r.since}${r.until ? `..<${r.until}` : '+'}`.padEnd(14)} ${r.pageSizes.map((x) => `${x / 1024}K`).join('/').padEnd(11)} `;
    out.push(...wrapText(regions, width, head, ''.padEnd(head.length)));
    if (r.vendor) field('vendor:', `${r.vendor.name} (uname -r matching /${r.vendor.release}/)`);
    if (r.backports?.length) field('stable backports:', r.backports.map((b) => `${b} (the rest of ${b.split('.').slice(0, 2).join('.')}.y)`).join(', '));
    field('source:', r.source);
    if (r.layout) field('layout:', r.layout);
    for (const [i, s] of r.read.entries()) field(i === 0 ? 'read:' : '     ', `${s.release} ${s.repo}@${s.commit.slice(0, 12)} ${s.file}: ${s.says}`);
    if (r.read.length === 0) field('read:', '(no tree cited)');
    field('captures:', r.captures.length ? r.captures.join(', ') : 'none (source only)');
    if (r.open) field('open:', r.open);
  }
  return out.join('\n') + '\n';
}

const regionsText = (r: ProfileRow): string => r.regions.map((g) => {
  const name = g.name ?? '(unnamed)';
  if (g.role === 'text') return `${name}${g.dataPagesBefore ? ` (${g.dataPagesBefore} data page first)` : ''}${g.dataPagesAfter ? ` (+${g.dataPagesAfter} data page)` : ''}`;
  const pc = g.pages ?? 1;
  const n = rowPages(pc, ' or ', '≥');
  return `${name} ${n}${g.optional ? ' (optional)' : ''}${g.tasks ? ` (${g.tasks.join(', ')} tasks only)` : ''}${g.nameOnlyWithTextPages ? ` (named only for a ${g.nameOnlyWithTextPages}-page text)` : ''}`;
}).join(', ');

/** The history table for README and reviewers: one line per row, the citations counted. */
export function profilesToMarkdown(rows: readonly ProfileRow[]): string {
  const out = ['| family | row | releases | regions, low to high | trees read | confirmed by |', '|---|---|---|---|---|---|'];
  for (const r of rows) {
    const releases = `${r.since}${r.until ? ` – <${r.until}` : ' –'}${r.backports?.length ? `; stable ${r.backports.join(', ')}` : ''}${r.vendor ? `; ${r.vendor.name}` : ''}`;
    // A tree once, however many of its files were read.
    const trees = r.read.length ? [...new Set(r.read.map((s) => `${s.repo}@${s.commit.slice(0, 12)}`))].join(', ') : 'none stored (see `open`)';
    const captures = r.captures.length ? `${r.captures.length} capture${r.captures.length > 1 ? 's' : ''}` : 'source only';
    out.push(`| ${r.family} | \`${r.id}\` | ${releases} | ${regionsText(r).replace(/\|/g, '\\|')} | ${trees} | ${captures} |`);
  }
  return out.join('\n') + '\n';
}

export function profilesToJson(rows: readonly ProfileRow[]): string {
  return JSON.stringify({
    schema: SCHEMA.profiles,
    profiles: rows.map((r) => ({
      ...r,
      // Kept for profiles/1 readers (fields are only ever added): a summary of read + captures.
      verified: r.captures.length ? `captures: ${r.captures.join(', ')}` : r.read.length ? `source: ${r.read.map((s) => `${s.repo}@${s.commit.slice(0, 12)} (${s.release})`).join(', ')}` : 'unverified',
      neighbours: (r.neighbours ?? []).map((n) => ({ ...n, at: n.at === undefined ? undefined : hex(n.at) })),
    })),
  }, null, 2) + '\n';
}

export function layoutToJson(layout: Layout, base: bigint, lines: string[]): string {
  return jsonEscapeUnsafe(JSON.stringify({
    schema: SCHEMA.synth,
    arch: layout.task, family: layout.family, kernelBits: layout.kernelBits, compat: layout.compat,
    kernelVersion: layout.kernelVersion ?? null, kernelVersionFrom: layout.kernelVersionFrom,
    pageSize: hex(layout.pageSize), pageSizeFrom: layout.pageSizeFrom, profile: layout.profile.id,
    base: hex(base), textPages: layout.textPages === undefined ? null : Number(layout.textPages), textFrom: layout.textFrom,
    regions: layout.regions.map((r) => ({ name: r.name ?? null, role: r.role, start: hex(base + r.offset), end: hex(base + r.offset + r.size), offset: hex(r.offset), size: hex(r.size), perms: r.perms, optional: Boolean(r.optional), pageRoles: r.pageRoles ?? null, from: r.from })),
    neighbours: layout.neighbours.map((n) => ({ name: n.name, pages: n.pages, perms: n.perms, placement: n.placement, at: n.at === undefined ? null : hex(n.at), optional: n.optional })),
    lines, warnings: layout.warnings,
  }, null, 2)) + '\n';
}
