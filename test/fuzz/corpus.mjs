// The project's own fuzz corpus: every hostile input a fuzz run found (issue 18, "Fuzz findings"),
// as a small file in test/fuzz/corpus/ or a generator (anything large is made at run time, never
// committed). Each case states its right outcome and bounds its work by counts — bytes decoded
// and decoder runs for extract, bytes and lines kept for check, chunks fed for the scanner — never
// by time. `npm run fuzz` runs every case at full size (its 'corpus' target); `npm test` runs the
// same cases with the large generated inputs scaled down (test/fuzz-corpus.test.ts).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, constants as Z } from 'node:zlib';

export const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'corpus');
const file = (name) => () => readFileSync(join(CORPUS_DIR, name));
const MiB = 1 << 20;

/** Deflate blocks of 1 MiB of zeros each (full flush: every block stands alone), `mib` of them, then the final block. */
function zerosDeflate(mib) {
  const block = deflateRawSync(Buffer.alloc(MiB), { finishFlush: Z.Z_FULL_FLUSH });
  return Buffer.concat([...Array(mib).fill(block), deflateRawSync(Buffer.alloc(0))]);
}
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3]);
/**
 * `members` gzip headers nested in one another: each member's deflate stream starts with a stored
 * block holding the headers after it, then all share one tail of `mib` MiB of zeros (X4).
 */
function nestedGzip(members, mib) {
  const parts = [];
  for (let k = 1; k <= members; k++) {
    const rest = (members - k) * (GZIP_HEADER.length + 5);
    parts.push(GZIP_HEADER, Buffer.from([0x00, rest & 0xff, rest >> 8, ~rest & 0xff, (~rest >> 8) & 0xff]));
  }
  return Buffer.concat([...parts, zerosDeflate(mib)]);
}

const VDSO_LINE = '7ffc6bbe2000-7ffc6bbe4000 r-xp 00000000 00:00 0 [vdso]\n';
const MAPS_HEAD = '7ffc6bbde000-7ffc6bbe2000 r--p 00000000 00:00 0                          [vvar]\n7ffc6bbe2000-7ffc6bbe4000 r-xp 00000000 00:00 0                          [vdso]\n';
const repeatTo = (line, bytes) => line.repeat(Math.max(1, Math.floor(bytes / line.length)));

/** X7: an aux-vector dump of `bytes` od lines after a labelled maps block (gen-mem.py's od file). */
const odDump = (bytes) => `@@@BEGIN maps-pid1\n${MAPS_HEAD}@@@BEGIN auxv-pid1\n${repeatTo('0000000 0000000000000021 00007ffc6bbe2000\n', bytes)}`;
/** X7: a bundle whose @@@VDSO section holds `bytes` of od lines (gen-mem.py's bundle file). */
const bigBundle = (bytes) => '@@@VDSO-LAYOUT-BUNDLE 1 BEGIN\nuname-r: 6.1.0-56-amd64\nuname-m: x86_64\npagesize: 4096\n@@@MAPS\n'
  + `${MAPS_HEAD}@@@VDSO 7ffc6bbe2000-7ffc6bbe4000\n${repeatTo('0000000 7f 45 4c 46 02 01 01 00 00 00 00 00 00 00 00 00\n', bytes)}@@@VDSO-LAYOUT-BUNDLE 1 END\n`;
/** X8: a maps capture whose [vdso] line is padded past 1 MiB before its name. */
const longLineCapture = (pad) => '00400000-00401000 r--p 00000000 00:02 18                                 /bin/busybox\n'
  + '7ffc6bbde000-7ffc6bbe2000 r--p 00000000 00:00 0                          [vvar]\n'
  + `7ffc6bbe2000-7ffc6bbe4000 r-xp 00000000 00:00 0${' '.repeat(pad)}[vdso]\n`
  + '7ffc6bc00000-7ffc6bc21000 rw-p 00000000 00:00 0                          [stack]\n';

const TOO_MANY = /more than 1024 maps blocks in one capture \(the first past the bound starts here\): split it into files of fewer processes/;
const BUDGET = /(the stream says it decompresses to [\d.]+ [MG]iB; a [\d.]+ KiB kernel file holds at most [\d.]+ MiB \(32x its size \+ 16 MiB, all its payloads together\)(, [\d.]+ [KM]iB of it spent on other payloads)? \(not decoded\)|the payload decompresses past what is left of [\d.]+ MiB; a [\d.]+ KiB kernel file holds at most [\d.]+ MiB .* \(stopped there\))/;

/**
 * kind 'extract': the bytes are a kernel; `error` must be the reason extract gives, in at most
 *   `decodes` decoder runs and within the file's output budget.
 * kind 'check': the bytes are a capture; `code` is check's exit code, `message` its error line or
 *   a note, `kept` bounds what the reader retains (bytes of aux-dump lines, bundle [vdso] bytes,
 *   blocks), `same` asks file and 1 MiB pipe chunks to give the same verdict.
 * kind 'scanner': input `index` of the scanner target, fed as that target feeds it.
 * `sample`: the size npm test uses for a generated input (full size otherwise).
 */
export const CASES = [
  { id: 'X1', name: 'xz CRC-64 over 16 MiB of zeros (was a BigInt per byte)', kind: 'extract', bytes: file('xz-crc64-16MiB-zeros.xz'), error: null, decodes: 1 },
  { id: 'X1', name: 'xz bomb, CRC-64, 512 MiB in 78 KB', kind: 'extract', bytes: file('xz-bomb-512MiB-crc64.xz'), error: BUDGET, decodes: 0 },
  { id: 'X2', name: 'xz bomb, CRC-32, 512 MiB in 78 KB (inside the old 512 MiB cap)', kind: 'extract', bytes: file('xz-bomb-512MiB-crc32.xz'), error: BUDGET, decodes: 0 },
  { id: 'X3', name: 'xz with 10 footer candidates (each used to re-decode the stream)', kind: 'extract', bytes: file('xz-multifooter-k10.xz'), error: /xz: decoded data does not match the stream's check/, decodes: 1 },
  { id: 'X3', name: 'xz with 100 footer candidates', kind: 'extract', bytes: file('xz-multifooter-k100.xz'), error: /xz: decoded data does not match the stream's check/, decodes: 1 },
  { id: 'X4', name: '16 nested gzip members over one 512 MiB tail', kind: 'extract', bytes: (scale) => nestedGzip(16, scale === 'sample' ? 64 : 512), error: BUDGET, decodes: 16 },
  { id: 'X5', name: 'zstd bomb, 512 MiB declared', kind: 'extract', bytes: file('zstd-bomb-512MiB.zst'), error: BUDGET, decodes: 0 },
  { id: 'X5', name: 'zstd bomb x16 (16 frames of 512 MiB)', kind: 'extract', bytes: () => Buffer.concat(Array(16).fill(readFileSync(join(CORPUS_DIR, 'zstd-bomb-512MiB.zst')))), error: BUDGET, decodes: 0 },
  { id: 'X13', name: 'xz index with 0 records for a stream with a block (liblzma rejects it)', kind: 'extract', bytes: file('xz-index-0records.xz'), error: /xz: the index lists 0 blocks, the stream has 1/, decodes: 0 },
  { id: 'X13', name: 'xz x86 BCJ filter with 5 property bytes', kind: 'extract', bytes: file('xz-bcj-props5.xz'), error: /xz: the x86 filter has 5 property bytes \(0 or 4 expected\)/, decodes: 0 },
  { id: 'X13', name: 'xz index unpadded size 2^32 + n (wrapped in 32 bits)', kind: 'extract', bytes: file('xz-index-unpadded-plus-2p32.xz'), error: /xz: index record 1 says 4294967410 bytes unpadded \/ 65000 uncompressed, block 1 has 114 \/ 65000/, decodes: 0 },
  { id: 'X6', name: '200 KB of one-line maps blocks', kind: 'check', bytes: () => Buffer.from(repeatTo(`${VDSO_LINE}\n`, 200_000)), code: 2, message: TOO_MANY },
  { id: 'X6', name: '1 MB of bundles', kind: 'check', bytes: () => Buffer.from(repeatTo(`@@@VDSO-LAYOUT-BUNDLE 1 BEGIN\n@@@MAPS\n${MAPS_HEAD.split('\n')[1]}\n@@@VDSO-LAYOUT-BUNDLE 1 END\n`, 1_000_000)), code: 2, message: TOO_MANY },
  { id: 'X7', name: 'a 100 MB aux-vector dump (lines kept: none past 64 KiB)', kind: 'check', bytes: (scale) => Buffer.from(odDump(scale === 'sample' ? 2_000_000 : 100_000_000)), code: 0, message: /the aux vector dump at line \d+ is larger than 64 KiB: not an aux vector \(ignored\)/, kept: { auxvText: 64 << 10 } },
  { id: 'X7', name: 'a bundle with 100 MB of [vdso] bytes (capped at 8 MiB like --vdso)', kind: 'check', bytes: (scale) => Buffer.from(bigBundle(scale === 'sample' ? 30_000_000 : 100_000_000)), code: 0, message: /no \[vdso\] bytes \(more than 8 MiB of \[vdso\] bytes: not a vDSO image \(dropped, as --vdso would refuse it\)\)/, kept: { vdso: 0 } },
  { id: 'X8', name: 'a [vdso] line padded past 1 MiB: the same verdict from a file and a pipe', kind: 'check', bytes: () => Buffer.from(longLineCapture(1_572_864)), code: 1, message: /a line longer than 1 MiB was skipped/, same: true },
  { id: 'X14', name: 'scanner input 35 (1-byte chunks; tripped the 1 s bound)', kind: 'scanner', index: 35 },
  { id: 'X14', name: 'scanner input 77', kind: 'scanner', index: 77 },
  { id: 'X14', name: 'scanner input 1036', kind: 'scanner', index: 1036 },
];

const json = (v) => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? x.toString(16) : x));

/** Read a capture's bytes in chunks of `step` (1 MiB: what a pipe gives the CLI). */
function readIn(api, bytes, step, name) {
  const rd = new api.capture.CaptureReader({ file: name, keep: api.check.keepForCheck });
  for (let at = 0; at < bytes.length; at += step) rd.writeBytes(bytes.subarray(at, at + step));
  return rd.end();
}

/**
 * Run case `c` against the modules in `api` (loadApi); throws when its outcome or a bound is
 * wrong. Returns what was measured (counts), for the runner's report.
 */
export async function runCase(api, c, scale, tmp) {
  const fail = (what) => { throw new Error(`${c.id} ${c.name}: ${what}`); };
  if (c.kind === 'scanner') {
    const { runOne, MAX_CHUNKS } = await import('./core.mjs');
    const fed = { chunks: 0 };
    await runOne(api, 'scanner', c.index, tmp, fed);
    if (fed.chunks > 2 * MAX_CHUNKS) fail(`fed in ${fed.chunks} chunks, over 2 x ${MAX_CHUNKS}`);
    return { chunks: fed.chunks };
  }
  const bytes = c.bytes(scale);
  if (c.kind === 'extract') {
    const budget = new api.budget.OutputBudget(bytes.length);
    const { found, compressions } = await api.scan.extractVdsos(bytes, budget);
    if (found.length) fail('found a vDSO in a hostile input');
    const errors = compressions.filter((x) => x.error).map((x) => x.error);
    if (c.error === null ? errors.length : !errors.some((e) => c.error.test(e))) fail(`errors ${JSON.stringify(errors)}, expected ${c.error}`);
    // Bounded work: at most the file's budget decoded (a streamed decoder may pass it by one 1 MiB chunk), in few runs.
    if (budget.used > budget.limit + MiB) fail(`decoded ${budget.used} bytes, over the budget ${budget.limit}`);
    if (budget.decodes > c.decodes) fail(`${budget.decodes} decoder runs, expected at most ${c.decodes}`);
    return { bytes: bytes.length, decoded: budget.used, limit: budget.limit, decodes: budget.decodes };
  }
  // check: the reader's retained state is bounded, then the whole command gives the right verdict.
  const cap = readIn(api, bytes, MiB, 'corpus.txt');
  if (cap.blocks.length > api.capture.MAX_PROCESSES || cap.bundles.length > api.capture.MAX_PROCESSES) fail(`${cap.blocks.length} blocks kept`);
  const auxvText = cap.auxvBlocks.reduce((n, a) => n + a.lines.reduce((k, l) => k + l.length + 1, 0), 0);
  if (c.kept?.auxvText !== undefined && auxvText > c.kept.auxvText) fail(`${auxvText} bytes of aux-dump lines kept`);
  const vdso = cap.bundles.reduce((n, b) => n + (b.vdso?.bytes.length ?? 0), 0);
  if (c.kept?.vdso !== undefined && vdso > c.kept.vdso) fail(`${vdso} [vdso] bytes kept`);
  if (c.same) {
    const whole = readIn(api, bytes, bytes.length, 'corpus.txt');
    if (json(whole) !== json(cap)) fail('read whole and read in 1 MiB chunks, the same bytes give different captures');
  }
  mkdirSync(tmp, { recursive: true });
  const path = join(tmp, `corpus-${c.id}.txt`);
  writeFileSync(path, bytes);
  let out = ''; let err = '';
  const code = await api.cmd.runCheck([path], { format: 'json' }, { out: (s) => { out += s; }, err: (s) => { err += s; }, chalk: api.chalk });
  if (code !== c.code) fail(`exit ${code}, expected ${c.code} (${err.trim()})`);
  if (!c.message.test(out)) fail(`the JSON report lacks ${c.message}`);
  if (code === 2 && err.split('\n').length !== 2) fail(`stderr is not one line: ${JSON.stringify(err.slice(0, 300))}`);
  JSON.parse(out);
  return { bytes: bytes.length, blocks: cap.blocks.length, auxvText, vdso };
}
