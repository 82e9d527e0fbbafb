// Find the vDSO images embedded in a kernel: every ET_DYN ELF whose SONAME is a vDSO's, cut at
// the end of its section header table (which is how long the kernel's copy is).
import { Buffer } from 'node:buffer';
import { parseVdsoImage, type VdsoImage } from '../elf/index.js';
import { InputError } from '../errors.js';
import { OutputBudget } from './budget.js';
import { MAGIC, gunzipChunksAt, unxzAt, unzstdAt, type Compression } from './decompress.js';

const VDSO_SONAMES = new Set(['linux-vdso.so.1', 'linux-vdso32.so.1', 'linux-vdso64.so.1', 'linux-gate.so.1']);

export interface Found { offset: number; length: number; bytes: Uint8Array; image: VdsoImage; source: string }

const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

/** Scan bytes for embedded vDSO images (fast: memchr-speed indexOf, cheap header checks). */
export function scanForVdsos(bytes: Uint8Array, source = 'file'): Found[] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Found[] = [];
  let at = -1;
  while ((at = b.indexOf(ELF_MAGIC, at + 1)) >= 0) {
    if (at + 64 > b.length) break;
    const cls = b[at + 4]; const data = b[at + 5];
    if ((cls !== 1 && cls !== 2) || (data !== 1 && data !== 2) || b[at + 6] !== 1) continue;
    const le = data === 1;
    const u16 = (o: number) => (le ? b.readUInt16LE(at + o) : b.readUInt16BE(at + o));
    const u32 = (o: number) => (le ? b.readUInt32LE(at + o) : b.readUInt32BE(at + o));
    if (u16(16) !== 3) continue; // ET_DYN
    const shoff = cls === 2 ? Number(le ? b.readBigUInt64LE(at + 40) : b.readBigUInt64BE(at + 40)) : u32(32);
    const shentsize = u16(cls === 2 ? 58 : 46); const shnum = u16(cls === 2 ? 60 : 48);
    const length = shoff + shentsize * shnum;
    if (shnum === 0 || length > 4 << 20 || at + length > b.length) continue; // a vDSO is small
    const slice = bytes.subarray(at, at + length);
    const r = parseVdsoImage(slice);
    if (!r.ok || !r.value.soname || !VDSO_SONAMES.has(r.value.soname)) continue;
    out.push({ offset: at, length, bytes: slice, image: r.value, source });
    at += length - 1;
  }
  return out;
}

export interface ExtractResult { found: Found[]; compressions: Array<{ kind: Compression; offset: number; decoded: boolean; error?: string }> }

/** The largest vDSO image scanForVdsos accepts; a window must overlap by this much. */
const MAX_IMAGE = 4 << 20;
const WINDOW = 16 << 20;

/**
 * Scan a stream of chunks with bounded memory: windows of ~16 MiB overlapping by the largest image,
 * so every image lies whole in some window; images seen twice (in an overlap) are kept once.
 */
async function scanStream(chunks: AsyncIterable<Uint8Array>, source: string): Promise<Found[]> {
  const found: Found[] = [];
  const seen = new Set<number>();
  let parts: Uint8Array[] = [];
  let size = 0;
  let base = 0; // stream offset of the window's first byte
  const flush = (final: boolean) => {
    const win = Buffer.concat(parts, size);
    for (const f of scanForVdsos(win, source)) {
      const offset = base + f.offset;
      if (seen.has(offset)) continue;
      seen.add(offset);
      found.push({ ...f, offset, bytes: Uint8Array.from(f.bytes) }); // a copy: the window goes
    }
    if (final) return;
    const keep = Math.min(win.length, MAX_IMAGE + 64);
    parts = [win.subarray(win.length - keep)];
    base += win.length - keep;
    size = keep;
  };
  for await (const c of chunks) {
    parts.push(c);
    size += c.length;
    if (size >= WINDOW) flush(false);
  }
  flush(true);
  return found;
}

/**
 * vmlinux / raw Image: the images are there as they are. bzImage, zImage, EFI zboot, s390
 * vmlinuz, self-extracting MIPS vmlinuz: decompress the payload(s) first, then scan. A payload
 * that cannot be decoded is recorded with its error (said when no image is found at all). All
 * candidates share one output budget (./budget.ts): the decoding work is bounded by the file.
 */
export async function extractVdsos(bytes: Uint8Array, budget = new OutputBudget(bytes.length)): Promise<ExtractResult> {
  const found = scanForVdsos(bytes);
  const compressions: ExtractResult['compressions'] = [];
  if (found.length > 0) return { found, compressions };
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const [kind, magic] of MAGIC) {
    const m = Buffer.from(magic);
    let at = -1;
    let tries = 0;
    while ((at = b.indexOf(m, at + 1)) >= 0 && tries < 16) {
      tries++;
      const source = `${kind}@0x${at.toString(16)}`;
      let inner: Found[] | undefined;
      try {
        if (kind === 'gzip') {
          let any = false;
          const chunks = gunzipChunksAt(bytes, at, budget);
          inner = await scanStream((async function* () { for await (const c of chunks) { any = true; yield c; } })(), source);
          if (!any) continue;
        } else if (kind === 'xz' || kind === 'zstd') {
          const out = kind === 'xz' ? await unxzAt(bytes, at, budget) : await unzstdAt(bytes, at, budget);
          if (!out) continue;
          inner = scanForVdsos(out, source);
        } else { compressions.push({ kind, offset: at, decoded: false }); continue; }
      } catch (e) {
        // A stream that parses but cannot be decoded is worth saying, not "no vDSO found".
        if (e instanceof InputError) { compressions.push({ kind, offset: at, decoded: false, error: e.message }); continue; }
        throw e;
      }
      compressions.push({ kind, offset: at, decoded: true });
      if (inner.length) return { found: inner, compressions };
    }
  }
  return { found, compressions };
}

/** `<arch>[-<abi>]-<bits>.so`, made unique within one kernel. */
export function outputNames(found: Found[]): string[] {
  const seen = new Map<string, number>();
  return found.map((f) => {
    const im = f.image;
    const base = `${im.arch ?? `em${im.header.machine}`}${im.abi ? `-${im.abi}` : ''}-${im.header.class}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? `${base}.so` : `${base}-${n}.so`;
  });
}
