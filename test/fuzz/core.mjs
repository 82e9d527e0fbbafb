// The fuzz suite's inputs and entry points, shared by `npm run fuzz` (test/fuzz/run.mjs, over
// dist/ in worker threads) and the sample in `npm test`
// (test/fuzz.test.ts, over src/). Every input is a pure function of (target, index), so any
// outcome can be reproduced from its index alone. The 'corpus' target is the fuzz findings kept
// as cases (./corpus.mjs). Work per input is bounded by counts (input sizes, chunks fed, bytes
// decoded), never by a clock.
//
// Outcomes: ok (a result: parsed, a verdict), input-error (our InputError/UsageError: one clean
// line), crash (anything else), hang (no progress for minutes: a loop that never ends; only the
// runner can see those).
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { CASES } from './corpus.mjs';
import { rng } from './rng.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpus = (p) => join(ROOT, 'samples', 'corpus', p);
const host = (p) => join(ROOT, 'samples', 'host', p);

/** Full counts for `npm run fuzz` (the issue asks >= 100k images, >= 100k texts, >= 10k profiles). */
export const FULL = { elf: 100_000, text: 100_000, scanner: 20_000, profile: 10_000, check: 10_000, corpus: CASES.length };
/**
 * The scanner target feeds an input in at most this many chunks (1-byte chunks for inputs up to
 * 64 KiB, larger ones in proportion): the work per input is bounded by a count, not a clock.
 */
export const MAX_CHUNKS = 1 << 16;

/** Seeded per (target, index). */
const SEED = { elf: 0x1e1f, text: 0x7e47, scanner: 0x5ca9, profile: 0x9f0f, check: 0xc4ec, corpus: 0xc0c0 };
const randFor = (target, i) => rng(Math.imul(SEED[target], 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b));
const pick = (r, a) => a[Math.floor(r() * a.length)];
const int = (r, n) => Math.floor(r() * n);

// ---------- bases: real inputs from samples/ ----------
let BASES;
function bases() {
  if (BASES) return BASES;
  const images = ['amd64-6.1.0-56-amd64/vdso64.so', 'amd64-6.1.0-56-amd64/vdso32.so', 'amd64-6.1.0-56-amd64/dbg/vdso64.dbg.so',
    's390x-7.2.13+deb14-s390x/vdso.so', 's390x-6.1.0-50-s390x/vdso32.so', 'ppc64el-7.2.13+deb14-powerpc64le/vdso64.so',
    'mips64el-6.1.0-50-5kc-malta/vdso-o32.so', 'riscv64-7.2.13+deb14-riscv64/vdso-cfi.so', 'armhf-6.1.0-50-armmp/vdso.so',
    'loong64-7.2.13+deb14-loong64/vdso.so', 'arm64-6.1.0-56-arm64/vdso64.so'].map((p) => new Uint8Array(readFileSync(corpus(p))));
  const entries = readdirSync(join(ROOT, 'samples', 'corpus')).filter((e) => statSync(corpus(e)).isDirectory()).sort();
  const maps = entries.map((e) => join(e, 'maps-pid1.txt')).filter((p) => { try { statSync(corpus(p)); return true; } catch { return false; } })
    .map((p) => readFileSync(corpus(p), 'latin1'));
  const auxvText = ['auxv-sh-od-x8.txt', 'auxv-sh-od-x4.txt', 'auxv-sh-hexdump-C.txt', 'auxv-sh-xxd.txt', 'ld-show-auxv.txt'].map((f) => readFileSync(host(f), 'latin1'));
  for (const e of entries) { try { auxvText.push(readFileSync(corpus(join(e, 'auxv-pid1.txt')), 'latin1')); } catch { /* not every boot has one */ } }
  const auxvBin = new Uint8Array(readFileSync(host('auxv-sh.bin')));
  const bundle = readFileSync(host('bundle-busybox-sh.txt'), 'latin1');
  const log = readFileSync(corpus('amd64-7.2.13+deb14-amd64/console.log'), 'latin1').slice(30_000, 60_000);
  const profile = readFileSync(join(ROOT, 'samples', 'profiles', 'ppc-2020-datapage-in-front.json'), 'utf8');
  BASES = { images, maps, auxvText, auxvBin, bundle, log, profile };
  return BASES;
}

// ---------- mutators ----------
const INTERESTING = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x1000, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff];

function mutateImage(r, base) {
  const k = int(r, 6);
  if (k === 0) return base.slice(0, int(r, base.length + 1)); // truncated anywhere
  const b = base.slice();
  const dv = new DataView(b.buffer);
  const n = 1 + int(r, 8);
  for (let j = 0; j < n; j++) {
    // header fields and the tables they point at are where parsers break; bias towards them
    const at = r() < 0.5 ? int(r, Math.min(b.length, 0x40)) : r() < 0.5 ? int(r, Math.min(b.length, 0x800)) : int(r, b.length);
    if (k === 1) b[at] ^= 1 << int(r, 8);
    else if (k === 2 && at + 4 <= b.length) dv.setUint32(at & ~3, pick(r, INTERESTING), r() < 0.5);
    else if (k === 3 && at + 2 <= b.length) dv.setUint16(at & ~1, pick(r, INTERESTING) & 0xffff, r() < 0.5);
    else if (k === 4 && at + 8 <= b.length) dv.setBigUint64(at & ~7, BigInt(pick(r, INTERESTING)) << BigInt(int(r, 33)), r() < 0.5);
    else b[at] = int(r, 256);
  }
  return b;
}

const ALPHABET = '0123456789abcdef-: []\r\n\x1b/AT_x*|#%\t\x00';
function mutateChars(r, s) {
  // Edits by slicing: splitting a multi-MiB text into characters would cost more than the run.
  const n = 1 + int(r, 10);
  for (let j = 0; j < n && s.length; j++) {
    const at = int(r, s.length);
    const k = r();
    if (k < 0.4) s = s.slice(0, at) + ALPHABET[int(r, ALPHABET.length)] + s.slice(at + 1);
    else if (k < 0.7) s = s.slice(0, at) + s.slice(at + 1 + int(r, 20));
    else { const a = int(r, s.length); s = s.slice(0, at) + s.slice(a, a + int(r, 4096)) + s.slice(at); }
  }
  return s;
}

/** The shapes the issue names, applied to a real text. */
function shape(r, s) {
  switch (int(r, 12)) {
    case 0: return s.replace(/^pagesize: ?\d*/m, `pagesize: ${pick(r, ['0', '1', '3', '4095', '12288', '524288', '99999999999999999999', ''])}`);
    case 1: return s.replace(/^(AT_PAGESZ:\s+)\d+/m, `$1${pick(r, ['0', '1', '1000', '65537', '18446744073709551615'])}`).replace(/^(0000[0-9a-f]{2,4} 0000000000000006 )[0-9a-f]{16}/m, `$1${pick(r, ['0000000000000000', '0000000000000001', 'ffffffffffffffff'])}`);
    case 2: { const lines = s.split('\n'); lines.splice(int(r, lines.length), 0, pick(r, ['a', 'f', '7', ' ', '0-']).repeat(10_000 + int(r, 200_000))); return lines.join('\n'); } // one long line
    case 3: return s.replace(/\r?\n/g, '\r'); // CR-only
    case 4: { const lines = s.split('\n'); const v = lines.findIndex((l) => l.includes('[vdso]')); if (v < 0) return s; lines.splice(v, 0, ...Array(1 + int(r, 150)).fill(lines[v])); return lines.join('\n'); } // duplicates
    case 5: return s.replace(/^([0-9a-f]{6,8})( .*)$/m, `$1$2\n*\n${pick(r, ['ffffffff', '00100000', '7fffffff', '0001000'])}`); // od/hexdump "*" with a huge repeat
    case 6: return s.replace(/[0-9a-f]{8,16}/g, (m) => (r() < 0.2 ? 'f'.repeat(m.length + int(r, 40)) : m)); // huge numbers
    case 7: return s.split('\n').map((l) => l.replace(/ /g, '')).join('\n'); // xxd -p / no separators
    case 8: return s.split('\n').map((l, i) => (i % 2 ? l.toUpperCase() : l)).join('\n');
    case 9: return `${'00000000: '}${'ff'.repeat(20 + int(r, 60))}\n${s}`; // the F3 shape
    case 10: return s.repeat(2 + int(r, 20)); // many blocks
    default: return s.replace(/\n/g, '\r\n');
  }
}

function textInput(r) {
  const B = bases();
  const base = pick(r, [() => pick(r, B.maps), () => pick(r, B.auxvText), () => B.bundle, () => B.log.slice(int(r, 20_000)), () => pick(r, B.maps) + '\n' + pick(r, B.auxvText)])();
  const k = r();
  return k < 0.35 ? shape(r, base) : k < 0.9 ? mutateChars(r, base) : mutateChars(r, shape(r, base));
}

function profileInput(r) {
  const base = JSON.parse(bases().profile);
  const regionsPool = [{ name: '[vvar]', role: 'data', pages: 4 }, { name: '[vvar_vclock]', role: 'vclock', pages: 2 }, { name: '[vdso]', role: 'text' }, { name: null, role: 'gic', bytes: 4096 }];
  const o = structuredClone(base);
  if (r() < 0.5) { o.arch = pick(r, ['x86_64', 'arm64', 'powerpc', 'ppc64le', 's390x', 'riscv64', 'mips', 'loongarch64', 'arm', 'i386', 'sparc', '', 1]); o.pageSize = pick(r, [4096, 16384, 65536, 262144, 0, 4095, -4096, '4096', null]); }
  if (r() < 0.6) o.regions = Array.from({ length: int(r, 5) }, () => structuredClone(pick(r, regionsPool)));
  const fields = ['pages', 'bytes', 'dataPagesBefore', 'dataPagesAfter', 'optional', 'gapBelowAllowed', 'pageRoles', 'perms', 'name', 'role', 'unknown'];
  const values = [0, -1, 1, 2, 1.5, '2', true, null, [], {}, 'r-xp', '[x]', 1e308, ['data'], 'NaN'];
  for (let j = int(r, 4); j > 0; j--) {
    const target = r() < 0.7 && Array.isArray(o.regions) && o.regions.length ? pick(r, o.regions) : o;
    if (target && typeof target === 'object') target[pick(r, target === o ? ['schema', 'id', 'since', 'embeds', 'neighbours', 'source', 'description', 'extra', 'regions'] : fields)] = pick(r, values);
  }
  if (r() < 0.3) o.neighbours = [{ name: pick(r, ['[vsyscall]', 'x', 1]), placement: pick(r, ['fixed', 'adjacent-below', 'anywhere', 'elsewhere']), at: pick(r, ['0xffff0000', 'zz', 5]), pages: pick(r, [1, '2', -1, 0]), [pick(r, ['perms', 'optional', 'bogus'])]: pick(r, values) }];
  const text = JSON.stringify(o, null, r() < 0.5 ? 2 : 0);
  return r() < 0.3 ? mutateChars(r, text) : text;
}

// ---------- entry points ----------
/** Load the modules the CLI uses, from dist/ (the runner) or src/ (vitest). */
export async function loadApi(from) {
  const m = (p) => import(join(ROOT, from, p));
  const [elf, scan, inspect, capture, check, auxv, prof, errors, report, color, cmd, budget] = await Promise.all([
    m('elf/index.js'), m('extract/scan.js'), m('report/inspect.js'), m('capture/reader.js'), m('check/pipeline.js'), m('capture/auxv.js'),
    m('layout/user-profile.js'), m('errors.js'), m('report/check-results.js'), m('report/color.js'), m('commands/check.js'), m('extract/budget.js')]);
  await report.loadDiff();
  const chalk = await color.makeChalk(0);
  return { elf, scan, inspect, capture, check, auxv, prof, errors, report, chalk, cmd, budget };
}

const isOurs = (api, e) => e instanceof api.errors.InputError || e instanceof api.errors.UsageError;

/**
 * Run input i of target against api: resolves to 'ok' | 'input-error', or throws (a crash).
 * `fed.chunks` counts the chunks the scanner target fed (its work bound).
 */
export async function runOne(api, target, i, tmp, fed = { chunks: 0 }) {
  const r = randFor(target, i);
  const B = bases();
  if (target === 'corpus') {
    // The fuzz findings of issue 18 at full size (test/fuzz/corpus.mjs): a wrong outcome or a
    // bound passed throws, which the runner records as a crash of that index.
    const { runCase } = await import('./corpus.mjs');
    await runCase(api, CASES[i % CASES.length], 'full', tmp);
    return CASES[i % CASES.length].kind === 'extract' || CASES[i % CASES.length].code === 2 ? 'input-error' : 'ok';
  }
  try {
    if (target === 'elf') {
      const b = mutateImage(r, pick(r, B.images));
      const res = api.elf.parseVdsoImage(b, 'fuzz.so');
      api.scan.scanForVdsos(b);
      if (!res.ok) { if (!(res.error instanceof api.errors.InputError)) throw new Error('parseVdsoImage returned a non-InputError'); res.error.format(); return 'input-error'; }
      api.inspect.inspectToJson([{ file: 'fuzz.so', image: res.value }], []);
      api.inspect.inspectToText([{ file: 'fuzz.so', image: res.value }], api.chalk);
      return 'ok';
    }
    if (target === 'scanner') {
      // The byte reader with each scanner, JavaScript and WebAssembly: the same capture or the same error.
      const bytes = Buffer.from(textInput(r), 'latin1');
      const step = Math.max(1 + (i % 7) * 4096, Math.ceil(bytes.length / MAX_CHUNKS));
      const viaBytes = (scanner) => {
        const rd = new api.capture.CaptureReader({ file: 'fuzz.txt', keep: api.check.keepForCheck, strict: i % 10 === 0, scanner });
        try {
          for (let at = 0; at < bytes.length; at += step) { rd.writeBytes(bytes.subarray(at, at + step)); fed.chunks++; }
          return JSON.stringify(rd.end(), (_, v) => (typeof v === 'bigint' ? v.toString(16) : v));
        } catch (e) { if (!isOurs(api, e)) throw e; return `error: ${e.message}`; }
      };
      const js = viaBytes('js');
      if (viaBytes('always-wasm') !== js) throw new Error('the WebAssembly scanner read this input differently from the JavaScript reader');
      return js.startsWith('error: ') ? 'input-error' : 'ok';
    }
    if (target === 'text') {
      const text = textInput(r);
      // ok when either reading gives a result: the text is a capture, an aux vector dump, or both.
      let ok = false;
      try { api.auxv.parseAuxvAny(Buffer.from(text, 'latin1'), { file: 'fuzz-auxv.txt' }); ok = true; } catch (e) { if (!isOurs(api, e)) throw e; }
      const cap = api.capture.readCapture(text, { file: 'fuzz.txt', keep: api.check.keepForCheck, strict: i % 10 === 0 });
      for (const block of cap.blocks.slice(0, 3)) {
        try {
          const res = api.check.checkBlock(block, { input: 'fuzz.txt', pageSize: cap.bundles[0]?.pageSize });
          api.report.renderJson([res]); api.report.renderKtap([res]); api.report.renderJunit([res]); api.report.renderGithub([res]); api.report.renderText([res], api.chalk);
          ok = true;
        } catch (e) { if (!isOurs(api, e)) throw e; }
      }
      return ok ? 'ok' : 'input-error';
    }
    if (target === 'profile') {
      const row = api.prof.parseUserProfile(profileInput(r), 'fuzz.json');
      const cap = api.capture.readCapture(pick(r, B.maps), { keep: api.check.keepForCheck });
      const res = api.check.checkBlock(cap.blocks[0], { input: 'fuzz', profile: row });
      api.report.renderJson([res]);
      return 'ok';
    }
    if (target === 'check') {
      // The whole `check` command as the CLI runs it: files on disk, flags, every format.
      mkdirSync(tmp, { recursive: true });
      const files = { maps: join(tmp, `maps-${i % 4}.txt`), vdso: join(tmp, `vdso-${i % 4}.so`), auxv: join(tmp, `auxv-${i % 4}`) };
      const useBundle = r() < 0.3;
      writeFileSync(files.maps, useBundle ? (r() < 0.5 ? shape(r, B.bundle) : mutateChars(r, B.bundle)) : pick(r, B.maps));
      const flags = { format: pick(r, ['text', 'json', 'ktap', 'junit', 'github']) };
      if (r() < 0.8) { writeFileSync(files.vdso, mutateImage(r, pick(r, B.images))); flags.vdso = files.vdso; }
      if (r() < 0.6) {
        const k = r();
        writeFileSync(files.auxv, k < 0.3 ? mutateImage(r, B.auxvBin) : k < 0.6 ? shape(r, pick(r, B.auxvText)) : mutateChars(r, pick(r, B.auxvText)));
        flags.auxv = files.auxv;
      }
      if (r() < 0.1) flags.pageSize = pick(r, ['0', '4096', '64K', '3000', '1M']);
      const sink = () => {};
      const code = await api.cmd.runCheck([files.maps], flags, { out: sink, err: sink, chalk: api.chalk });
      return code === 2 ? 'input-error' : 'ok';
    }
    throw new Error(`unknown target ${target}`);
  } catch (e) {
    if (isOurs(api, e)) return 'input-error';
    throw e;
  }
}

export const tmpDirFor = (tag) => join(tmpdir(), `vdso-layout-fuzz-${process.pid}-${tag}`);
