import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { AT, parseAuxvAny, parseAuxvBinary, parseAuxvText, parseLdShowAuxv } from '../src/capture/auxv.js';
import { readCapture } from '../src/capture/reader.js';
import { InputError } from '../src/errors.js';
import { CORPUS, ROOT, corpusEntries, corpusPageSizes, filesIn, readBytes, readText, fuzzCount, rng, sample, AMD64_ENTRY } from './helpers.js';

const PAGE = corpusPageSizes();

const host = (f: string) => join(ROOT, 'samples', 'host', f);

describe('auxv: od dumps from every corpus boot', () => {
  for (const e of corpusEntries()) {
    it(e, () => {
      const maps = readCapture(readText(join(CORPUS, e, 'maps-pid1.txt')));
      const vdso = maps.blocks[0].mappings.find((m) => m.kind === 'vdso')!;
      const pid1 = filesIn(e, /^auxv-pid1\.txt$/);
      const page = PAGE[e];
      expect(page).toBeDefined();
      for (const f of filesIn(e, /^auxv.*\.txt$/)) {
        const a = parseAuxvText(readText(join(CORPUS, e, f)), { file: f });
        expect(a.form).toBe('od');
        expect(a.pageSize, `${e}/${f}`).toBe(page);
        expect(a.sysinfoEhdr, `${e}/${f}`).toBeDefined();
        if (f === 'auxv-compat32.txt') expect(a.wordSize).toBe(4);
      }
      // Same process: AT_SYSINFO_EHDR is the start of [vdso] (except ppc 5.10 where [vdso] holds text + data).
      if (pid1.length) expect(parseAuxvText(readText(join(CORPUS, e, pid1[0]))).sysinfoEhdr).toBe(vdso?.start);
    });
  }
});

describe('auxv: the other forms, from real producers on this machine', () => {
  const bin = readBytes(host('auxv-sh.bin'));
  const want = parseAuxvBinary(bin);
  it('binary: 64-bit little-endian inferred', () => {
    expect([want.wordSize, want.endian, want.pageSize]).toEqual([8, 'le', 4096n]);
    const maps = readCapture(readText(host('maps-sh.txt')));
    expect(want.sysinfoEhdr).toBe(maps.blocks[0].mappings.find((m) => m.kind === 'vdso')!.start);
  });
  for (const f of ['auxv-sh-od-x8.txt', 'auxv-sh-od-x4.txt', 'auxv-sh-hexdump-C.txt', 'auxv-sh-xxd.txt']) {
    it(f, () => {
      const a = parseAuxvAny(readBytes(host(f)));
      expect(a.entries).toEqual(want.entries);
      expect(a.wordSize).toBe(8);
    });
  }
  it('LD_SHOW_AUXV=1 (glibc): values, flag text kept raw, AT_PLATFORM', () => {
    const a = parseAuxvAny(readBytes(host('ld-show-auxv.txt')));
    expect(a.form).toBe('ld-show-auxv');
    expect(a.pageSize).toBe(4096n);
    expect(a.platform).toBe('x86_64');
    expect(a.sysinfoEhdr).toBeGreaterThan(0n);
    const ppc = parseLdShowAuxv(readText(sample('ppc64el-6.1.0-50-powerpc64le', 'ld-show-auxv.txt')));
    expect(ppc.hwcap?.raw).toMatch(/^[a-z0-9_ ]+$/); // powerpc prints HWCAP as flag names
    expect(ppc.hwcap?.value).toBeUndefined();
    expect(ppc.pageSize).toBe(65536n);
    expect(ppc.platform).toMatch(/^power/);
  });
  it('LD_SHOW_AUXV: an AT_SYSINFO_EHDR or AT_PAGESZ that is no number, or given twice, is refused at its line (it was dropped in silence)', () => {
    const real = readText(host('ld-show-auxv.txt'));
    const ehdr = real.split('\n').findIndex((l) => l.startsWith('AT_SYSINFO_EHDR')) + 1;
    const err = (text: string) => { try { parseLdShowAuxv(text, 'a.txt'); return 'no error'; } catch (e) { return (e as InputError).format(); } };
    expect(err(real.replace(/^AT_SYSINFO_EHDR:.*$/m, 'AT_SYSINFO_EHDR:      zz'))).toBe(`a.txt:${ehdr}:1: AT_SYSINFO_EHDR: expected a number (0x… or decimal), not "zz"`);
    expect(err(real.replace(/^AT_PAGESZ:.*$/m, 'AT_PAGESZ:            banana'))).toMatch(/^a\.txt:\d+:1: AT_PAGESZ: expected a number \(0x… or decimal\), not "banana"$/);
    const twice = real.replace(/^(AT_SYSINFO_EHDR:.*)$/m, '$1\nAT_SYSINFO_EHDR:      0x1000');
    expect(err(twice)).toBe(`a.txt:${ehdr + 1}:1: AT_SYSINFO_EHDR is given twice (lines ${ehdr} and ${ehdr + 1}): a kernel writes each entry once (two processes' output?)`);
    expect(err(real)).toBe('no error');
  });
  it('unknown AT_??? entries and big-endian binary', () => {
    const a = parseLdShowAuxv('AT_??? (0x33): 0x1234\nAT_PAGESZ:            65536\n');
    expect(a.entries[0]).toMatchObject({ type: 51, value: 0x1234n });
    const be = Buffer.alloc(48);
    be.writeBigUInt64BE(BigInt(AT.SYSINFO_EHDR), 0); be.writeBigUInt64BE(0x3fffff000n, 8);
    be.writeBigUInt64BE(BigInt(AT.PAGESZ), 16); be.writeBigUInt64BE(65536n, 24);
    const b = parseAuxvBinary(new Uint8Array(be));
    expect([b.wordSize, b.endian, b.sysinfoEhdr, b.pageSize]).toEqual([8, 'be', 0x3fffff000n, 65536n]);
  });
  it('says what is wrong when it is none of them', () => {
    expect(() => parseAuxvAny(new Uint8Array(readFileSync(sample(AMD64_ENTRY, 'vdso64.so'))))).toThrow(/not an aux vector/);
    expect(() => parseAuxvText('000000 0000000000000021\nhello\n', { file: 'a.txt' })).toThrow(InputError);
    try { parseAuxvText('000000 0000000000000021\nhello\n', { file: 'a.txt' }); } catch (e) {
      expect((e as InputError).format()).toBe('a.txt:2:1: not an od/hexdump/xxd/LD_SHOW_AUXV line: "hello"');
    }
  });
});

describe('maps and auxv readers under mutation', () => {
  const n = fuzzCount(500, 10_000);
  it(`${n} mutated maps captures and ${n} mutated auxv inputs: a result or our own error`, () => {
    const rand = rng(99);
    const mapsBase = readText(sample('amd64-7.2.13+deb14-amd64', 'console.log')).slice(30_000, 70_000);
    const auxvBases = [readText(host('auxv-sh-od-x8.txt')), readText(host('auxv-sh-xxd.txt')), readText(host('ld-show-auxv.txt')), readText(sample('armhf-6.1.0-50-armmp', 'auxv-pid1.txt'))];
    const binBase = readBytes(host('auxv-sh.bin'));
    const alphabet = '0123456789abcdef-: []\r\n\x1b/AT_x*|';
    const mut = (s: string) => {
      const a = s.split('');
      const n = 1 + Math.floor(rand() * 10);
      for (let i = 0; i < n; i++) {
        const at = Math.floor(rand() * a.length);
        const k = rand();
        if (k < 0.4) a[at] = alphabet[Math.floor(rand() * alphabet.length)];
        else if (k < 0.7) a.splice(at, 1 + Math.floor(rand() * 20));
        else a.splice(at, 0, a.slice(Math.floor(rand() * a.length), Math.floor(rand() * a.length)).join(''));
      }
      return a.join('');
    };
    let mapsBlocks = 0;
    for (let i = 0; i < n; i++) {
      const text = mut(i % 2 ? mapsBase.slice(Math.floor(rand() * 30_000), 40_000) : mapsBase.slice(0, 3000));
      try { mapsBlocks += readCapture(text, { strict: i % 10 === 0 }).blocks.length; } catch (e) {
        if (!(e instanceof InputError)) throw new Error(`maps mutant ${i}: ${(e as Error).stack}`);
      }
    }
    let ok = 0; let bad = 0;
    for (let i = 0; i < n; i++) {
      try {
        if (i % 5 === 4) {
          const b = binBase.slice(0, Math.floor(rand() * (binBase.length + 1)));
          for (let k = 0; k < 3; k++) if (b.length) b[Math.floor(rand() * b.length)] ^= 1 << Math.floor(rand() * 8);
          parseAuxvAny(b);
        } else parseAuxvAny(new Uint8Array(Buffer.from(mut(auxvBases[i % 4]), 'latin1')));
        ok++;
      } catch (e) {
        if (!(e instanceof InputError)) throw new Error(`auxv mutant ${i}: ${(e as Error).stack}`);
        bad++;
      }
    }
    expect(mapsBlocks).toBeGreaterThan(n / 2);
    expect(ok).toBeGreaterThan(n / 20);
    expect(bad).toBeGreaterThan(n / 20);
  });
});
