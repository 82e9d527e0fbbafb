import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { InputError } from '../src/errors.js';
import { parseVdsoImage } from '../src/elf/index.js';
import { ROOT, fuzzCount, readBytes, rng, AMD64_ENTRY } from './helpers.js';

// One image per class x endianness x table layout, so mutations hit every decoder path.
const BASES = [
  `${AMD64_ENTRY}/vdso64.so`, `${AMD64_ENTRY}/vdso32.so`, `${AMD64_ENTRY}/dbg/vdso64.dbg.so`,
  's390x-7.2.13+deb14-s390x/vdso.so', 's390x-6.1.0-50-s390x/vdso32.so', 'ppc64el-7.2.13+deb14-powerpc64le/vdso64.so',
  'mips64el-6.1.0-50-5kc-malta/vdso-o32.so', 'riscv64-7.2.13+deb14-riscv64/vdso-cfi.so', 'armhf-6.1.0-50-armmp/vdso.so',
  'loong64-7.2.13+deb14-loong64/vdso.so',
].map((p) => readBytes(join(ROOT, 'samples/corpus', p)));

const PER_RUN = fuzzCount(1200, 12_000);

/** Offsets of header-table fields worth overwriting: e_*, and the first words of each phdr/shdr. */
function interestingOffsets(b: Uint8Array): number[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const le = b[5] === 1;
  const is64 = b[4] === 2;
  const offs = [4, 5, 16, 18, 24, 28, 32, 36, 40, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62];
  const shoff = is64 ? Number(dv.getBigUint64(40, le)) : dv.getUint32(32, le);
  const shnum = dv.getUint16(is64 ? 60 : 48, le);
  const shent = is64 ? 64 : 40;
  for (let i = 0; i < shnum; i++) for (let k = 0; k < shent; k += 4) offs.push(shoff + i * shent + k);
  const phoff = is64 ? Number(dv.getBigUint64(32, le)) : dv.getUint32(28, le);
  const phnum = dv.getUint16(is64 ? 56 : 44, le);
  const phent = is64 ? 56 : 32;
  for (let i = 0; i < phnum; i++) for (let k = 0; k < phent; k += 4) offs.push(phoff + i * phent + k);
  return offs.filter((o) => o + 4 <= b.length);
}

function mutate(base: Uint8Array, rand: () => number, offsets: number[]): Uint8Array {
  const kind = Math.floor(rand() * 4);
  if (kind === 0) { // truncate anywhere
    return base.slice(0, Math.floor(rand() * base.length));
  }
  const b = base.slice();
  if (kind === 1) { // bit flips
    const n = 1 + Math.floor(rand() * 8);
    for (let i = 0; i < n; i++) b[Math.floor(rand() * b.length)] ^= 1 << Math.floor(rand() * 8);
    return b;
  }
  // overwrite a structural field with 0, all-ones, or random
  const dv = new DataView(b.buffer);
  const n = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < n; i++) {
    const o = offsets[Math.floor(rand() * offsets.length)];
    const v = kind === 2 ? (rand() < 0.5 ? 0 : 0xffffffff) : Math.floor(rand() * 0x100000000);
    if (rand() < 0.5) dv.setUint32(o, v >>> 0); else dv.setUint16(o, v & 0xffff);
  }
  return b;
}

describe('ELF reader under mutation', () => {
  it(`${PER_RUN} mutated images: each is a parsed image or an InputError with a position`, () => {
    const rand = rng(0x5eed_e1f);
    const offsets = BASES.map(interestingOffsets);
    let parsed = 0; let rejected = 0;
    const messages = new Set<string>();
    for (let i = 0; i < PER_RUN; i++) {
      const which = i % BASES.length;
      const input = mutate(BASES[which], rand, offsets[which]);
      let res;
      try {
        res = parseVdsoImage(input, 'mutant.so');
      } catch (e) {
        throw new Error(`mutant ${i} (base ${which}) threw ${(e as Error).name}: ${(e as Error).message}`);
      }
      if (res.ok) {
        parsed++;
        // Whatever parsed must be internally consistent.
        expect(res.value.imageSize).toBeGreaterThan(0n);
      } else {
        rejected++;
        expect(res.error).toBeInstanceOf(InputError);
        const line = res.error.format();
        expect(line).not.toMatch(/\n/);
        expect(line.startsWith('mutant.so: ')).toBe(true);
        expect(res.error.position.offset !== undefined || res.error.position.line !== undefined).toBe(true);
        messages.add(res.error.message.replace(/0x[0-9a-f]+|\d+/g, 'N'));
      }
    }
    // Both outcomes must actually occur, with a variety of distinct diagnostics.
    expect(parsed).toBeGreaterThan(PER_RUN / 10);
    expect(rejected).toBeGreaterThan(PER_RUN / 10);
    expect(messages.size).toBeGreaterThan(10);
  });

  it('a 4 GB e_shnum*e_shentsize claim on a small file is rejected without allocating it', () => {
    const b = BASES[0].slice();
    const dv = new DataView(b.buffer);
    dv.setUint16(58, 0xffff, true); // e_shentsize
    dv.setUint16(60, 0xffff, true); // e_shnum
    const r = parseVdsoImage(b, 'big.so');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.format()).toBe('big.so: section header table (65535 x 65535 bytes) runs past end of file (file is 0x1228 bytes) at offset 0xe28 (e_shoff)');
  });

  it('a circular version-definition chain is an error, not a hang', () => {
    const b = BASES[0].slice();
    const dv = new DataView(b.buffer);
    // .gnu.version_d at 0x3a8: vd_next of the first entry (offset 16) := 0 would end; make the
    // second entry (at 0x3a8 + 0x1c) point back by a tiny step.
    dv.setUint32(0x3a8 + 0x1c + 16, 4, true);
    const r = parseVdsoImage(b, 'loop.so');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/version definition/);
  });
});
