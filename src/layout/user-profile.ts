// A user profile: the layout a patch series intends to introduce, as JSON, validated field by
// field so a wrong file says exactly which field and what is allowed.
import { InputError } from '../errors.js';
import { parseArch, type KernelFamily } from './arch.js';
import { locateJsonError } from './json-position.js';
import { hasUnsafeText } from '../report/escape.js';
import { SCHEMA } from '../report/schemas.js';
import type { NeighbourSpec, PageCount, PerCpuPages, ProfileRow, RegionSpec, Role } from './profile-types.js';
import { perCpuPages } from './engine.js';
import { ALL_PROFILES, embedsOf } from './profiles/index.js';

const USER_PROFILE_SCHEMA = SCHEMA.profile;
const ROLES: Role[] = ['data', 'vclock', 'text', 'gic'];
const PERMS_RE = /^[r-][w-][x-][ps]$/;
const PAGE_SIZES = [4096, 8192, 16384, 65536, 262144];

/**
 * The most pages a region of a user profile may have (or put before/after the text): a vDSO data
 * area is a handful of pages; a count past this is a typo, whose lines would run off the address space.
 */
const MAX_REGION_PAGES = 4096;

/** NR_CPUS as --nr-cpus takes it. */
const MAX_NR_CPUS = 99999;

/**
 * `"pages": { "perCpu": { … } }`: a data area sized by the kernel's NR_CPUS, as the built-in
 * LoongArch rows are (fixed pages, then bytesPerCpu per possible CPU and extraBytes, rounded up).
 */
function perCpuSpec(o: Record<string, unknown>, f: string, pageSize: number, bad: (field: string, expected: string) => never): PerCpuPages {
  const keys = Object.keys(o);
  if (keys.length !== 1 || keys[0] !== 'perCpu' || typeof o.perCpu !== 'object' || o.perCpu === null || Array.isArray(o.perCpu)) {
    return bad(f, 'a whole number of pages, or { "perCpu": { "fixed", "bytesPerCpu", "extraBytes", "maxCpus", "typicalCpus" } } for a data area sized by NR_CPUS');
  }
  const g = o.perCpu as Record<string, unknown>;
  const fields = ['fixed', 'bytesPerCpu', 'extraBytes', 'maxCpus', 'typicalCpus'];
  for (const k of Object.keys(g)) if (!fields.includes(k)) bad(`${f}.perCpu.${k}`, `one of ${fields.join(', ')}`);
  const whole = (k: string, min: number, max: number, fallback?: number): number => {
    const v = g[k] ?? fallback;
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) bad(`${f}.perCpu.${k}`, `a whole number from ${min} to ${max}`);
    return v as number;
  };
  const fixed = whole('fixed', 0, MAX_REGION_PAGES, 0);
  const bytesPerCpu = whole('bytesPerCpu', 1, pageSize);
  const extraBytes = whole('extraBytes', 0, MAX_REGION_PAGES * pageSize, 0);
  const maxCpus = whole('maxCpus', 1, MAX_NR_CPUS);
  const typicalCpus = whole('typicalCpus', 1, maxCpus, Math.min(64, maxCpus));
  const spec = { fixed, bytesPerCpu, extraBytes, maxCpus, typicalCpus };
  if (perCpuPages(spec, BigInt(pageSize), maxCpus) > MAX_REGION_PAGES) bad(`${f}.perCpu`, `at most ${MAX_REGION_PAGES} pages at maxCpus`);
  return spec;
}

export function findBuiltinProfile(id: string): ProfileRow | undefined {
  return ALL_PROFILES.find((p) => p.id === id);
}

export function parseUserProfile(text: string, file: string): ProfileRow {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    const where = locateJsonError(text);
    if (where) throw new InputError(where.message, { file, line: where.line, column: where.column });
    throw new InputError(`not valid JSON (${(e as Error).message.split('\n')[0]})`, { file });
  }
  const bad = (field: string, expected: string): never => { throw new InputError(`expected ${expected}`, { file, field }); };
  if (typeof j !== 'object' || j === null || Array.isArray(j)) bad('(top level)', 'a JSON object');
  const o = j as Record<string, unknown>;
  if (o.schema !== USER_PROFILE_SCHEMA) bad('schema', `"${USER_PROFILE_SCHEMA}"`);
  const known = new Set(['schema', 'id', 'arch', 'since', 'pageSize', 'regions', 'neighbours', 'embeds', 'source', 'description']);
  for (const k of Object.keys(o)) if (!known.has(k)) bad(k, `one of the fields ${[...known].join(', ')}`);
  if (typeof o.arch !== 'string') bad('arch', 'an architecture name such as "powerpc", "ppc64le", "x86_64" or "arm64"');
  let family: KernelFamily;
  try { family = parseArch(o.arch as string).family; } catch { return bad('arch', 'a known architecture (uname -m, kernel ARCH or Debian name)'); }
  const id = o.id === undefined ? `user:${file}` : typeof o.id === 'string' && o.id !== '' && !hasUnsafeText(o.id) ? o.id : bad('id', 'a non-empty string of printable characters');
  if (typeof o.pageSize !== 'number' || !PAGE_SIZES.includes(o.pageSize)) bad('pageSize', `one of ${PAGE_SIZES.join(', ')}`);
  const pageSize = o.pageSize as number;
  if (!Array.isArray(o.regions) || o.regions.length === 0) bad('regions', 'a non-empty array of regions, low address first');
  const regions: RegionSpec[] = (o.regions as unknown[]).map((r, i) => {
    const f = `regions[${i}]`;
    if (typeof r !== 'object' || r === null) return bad(f, 'an object');
    const g = r as Record<string, unknown>;
    const allowed = new Set(['name', 'role', 'pages', 'bytes', 'perms', 'fixedPages', 'dataPagesBefore', 'dataPagesAfter', 'optional', 'gapBelowAllowed', 'pageRoles']);
    for (const k of Object.keys(g)) if (!allowed.has(k)) bad(`${f}.${k}`, `one of ${[...allowed].join(', ')}`);
    if (g.name !== null && g.name !== undefined && (typeof g.name !== 'string' || !/^\[[^\]\n]+\]$/.test(g.name) || hasUnsafeText(g.name))) bad(`${f}.name`, 'a bracketed special-mapping name such as "[vvar]" (printable characters), or null for an unnamed vma');
    if (!ROLES.includes(g.role as Role)) bad(`${f}.role`, `one of ${ROLES.join(', ')}`);
    const role = g.role as Role;
    const perms = g.perms ?? (role === 'text' ? 'r-xp' : 'r--p');
    if (typeof perms !== 'string' || !PERMS_RE.test(perms)) bad(`${f}.perms`, 'four maps permission characters such as "r--p" or "r-xp"');
    let pages: PageCount | undefined;
    if (role === 'text') {
      if (g.pages !== undefined || g.bytes !== undefined) bad(`${f}.pages`, 'no size on the text region (the image decides it; "fixedPages" where the kernel maps a fixed size whatever the image)');
      if (g.fixedPages !== undefined && (!Number.isInteger(g.fixedPages) || (g.fixedPages as number) < 1 || (g.fixedPages as number) > MAX_REGION_PAGES)) bad(`${f}.fixedPages`, `a whole number of pages from 1 to ${MAX_REGION_PAGES}`);
    } else {
      if (g.dataPagesBefore !== undefined || g.dataPagesAfter !== undefined) bad(`${f}.dataPagesBefore`, 'dataPagesBefore/After only on the text region');
      if (g.fixedPages !== undefined) bad(`${f}.fixedPages`, 'fixedPages only on the text region');
      if (g.pages !== undefined && g.bytes !== undefined) bad(`${f}.bytes`, 'either pages or bytes, not both');
      if (typeof g.pages === 'object' && g.pages !== null && !Array.isArray(g.pages)) {
        pages = { perCpu: perCpuSpec(g.pages as Record<string, unknown>, `${f}.pages`, pageSize, bad) };
      } else if (g.pages !== undefined) {
        if (!Number.isInteger(g.pages) || (g.pages as number) < 1 || (g.pages as number) > MAX_REGION_PAGES) bad(`${f}.pages`, `a whole number of pages from 1 to ${MAX_REGION_PAGES}`);
        pages = g.pages as number;
      } else if (g.bytes !== undefined) {
        if (!Number.isInteger(g.bytes) || (g.bytes as number) <= 0 || (g.bytes as number) % pageSize !== 0 || (g.bytes as number) / pageSize > MAX_REGION_PAGES) bad(`${f}.bytes`, `a positive multiple of pageSize (${pageSize}), at most ${MAX_REGION_PAGES} pages`);
        pages = (g.bytes as number) / pageSize;
      } else bad(`${f}.pages`, 'the size of a data region, in pages (or "bytes")');
    }
    for (const k of ['dataPagesBefore', 'dataPagesAfter'] as const) {
      if (g[k] !== undefined && (!Number.isInteger(g[k]) || (g[k] as number) < 0 || (g[k] as number) > MAX_REGION_PAGES)) bad(`${f}.${k}`, `a whole number of pages from 0 to ${MAX_REGION_PAGES}`);
    }
    for (const k of ['optional', 'gapBelowAllowed'] as const) if (g[k] !== undefined && typeof g[k] !== 'boolean') bad(`${f}.${k}`, 'true or false');
    if (g.pageRoles !== undefined && !(Array.isArray(g.pageRoles) && g.pageRoles.every((x) => typeof x === 'string' && !hasUnsafeText(x)))) bad(`${f}.pageRoles`, 'an array of page labels such as ["data", "timens"]');
    return {
      name: (g.name as string | null | undefined) ?? undefined, role, pages, perms: perms as string,
      fixedPages: g.fixedPages as number | undefined,
      dataPagesBefore: g.dataPagesBefore as number | undefined, dataPagesAfter: g.dataPagesAfter as number | undefined,
      optional: g.optional as boolean | undefined, gapBelowAllowed: g.gapBelowAllowed as boolean | undefined,
      pageRoles: g.pageRoles as string[] | undefined,
    };
  });
  const texts = regions.filter((r) => r.role === 'text').length;
  if (texts !== 1) bad('regions', `exactly one region with role "text" (found ${texts})`);
  const neighbours: NeighbourSpec[] = o.neighbours === undefined ? [] : Array.isArray(o.neighbours) ? (o.neighbours as unknown[]).map((n, i) => {
    const f = `neighbours[${i}]`;
    const g = (typeof n === 'object' && n !== null && !Array.isArray(n) ? n : bad(f, 'an object')) as Record<string, unknown>;
    const allowed = new Set(['name', 'pages', 'perms', 'placement', 'at', 'optional']);
    for (const k of Object.keys(g)) if (!allowed.has(k)) bad(`${f}.${k}`, `one of ${[...allowed].join(', ')}`);
    if (g.pages !== undefined && (!Number.isInteger(g.pages) || (g.pages as number) < 1 || (g.pages as number) > MAX_REGION_PAGES)) bad(`${f}.pages`, `a whole number of pages from 1 to ${MAX_REGION_PAGES}`);
    if (g.optional !== undefined && typeof g.optional !== 'boolean') bad(`${f}.optional`, 'true or false');
    if (typeof g.name !== 'string' || !/^\[[^\]]+\]$/.test(g.name) || hasUnsafeText(g.name)) bad(`${f}.name`, 'a bracketed name such as "[vsyscall]" (printable characters)');
    const placement = g.placement ?? 'anywhere';
    if (!['fixed', 'adjacent-below', 'anywhere'].includes(placement as string)) bad(`${f}.placement`, 'one of fixed, adjacent-below, anywhere');
    let at: bigint | undefined;
    if (placement === 'fixed') {
      if (typeof g.at !== 'string' || !/^0x[0-9a-fA-F]+$/.test(g.at)) bad(`${f}.at`, 'a hex address string such as "0xffff0000" for a fixed neighbour');
      at = BigInt(g.at as string);
    }
    const perms = g.perms === undefined ? ['r-xp'] : Array.isArray(g.perms) && g.perms.every((p) => typeof p === 'string' && PERMS_RE.test(p)) ? g.perms as string[] : bad(`${f}.perms`, 'an array of permission strings such as ["r-xp"]');
    return { name: g.name as string, pages: typeof g.pages === 'number' ? g.pages : 1, perms, placement: placement as NeighbourSpec['placement'], at, optional: g.optional === true };
  }) : bad('neighbours', 'an array');
  for (const k of ['source', 'description'] as const) if (o[k] !== undefined && (typeof o[k] !== 'string' || hasUnsafeText(o[k] as string))) bad(k, 'a string of printable characters');
  // The family's own (powerpc's .so.dbg, parisc's linked .so are mapped whole).
  const embeds = o.embeds ?? embedsOf(family);
  if (embeds !== 'stripped' && embeds !== 'unstripped') bad('embeds', '"stripped" or "unstripped"');
  if (o.since !== undefined && (typeof o.since !== 'string' || !/^\d+\.\d+/.test(o.since))) bad('since', 'a kernel version string such as "5.11"');
  return {
    id: id as string, family, since: (o.since as string | undefined) ?? '0.0', pageSizes: [pageSize], defaultPageSize: pageSize,
    regions, neighbours, embeds: embeds as 'stripped' | 'unstripped',
    source: typeof o.source === 'string' ? o.source : `user profile ${file}`,
    layout: typeof o.description === 'string' ? o.description : 'user profile', read: [], captures: [],
  };
}
