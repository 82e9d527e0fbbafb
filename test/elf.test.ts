import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import elfy from 'elfy';
import { parseVdsoImage, programTypeName, sectionTypeName, pagesFor, type VdsoImage } from '../src/elf/index.js';
import { ELFY_DEFECTS, SOURCES, type ElfyDefect } from '../src/elf/tables.js';
import { ROOT, readBytes, AMD64_ENTRY } from './helpers.js';
import { readCaptureBytes } from '../src/capture/reader.js';
import { corpusDumps } from './readelf.js';


function load(path: string): VdsoImage {
  const r = parseVdsoImage(readBytes(join(ROOT, path)), path);
  if (!r.ok) throw new Error(r.error.format());
  return r.value;
}

// The comparison with readelf's output, image by image, is its own tier: test/elf-readelf.test.ts.
describe('image size as the kernel maps it', () => {
  it('a stripped image ends at its section header table, which is the file size', () => {
    for (const path of corpusDumps().map((d) => d.image.slice(ROOT.length + 1)).filter((p) => !p.includes('/dbg/') && !p.includes('ppc64el'))) {
      const im = load(path);
      expect(im.unstripped, path).toBe(false);
      expect(im.imageSizeSource).toBe('section-table-end');
      expect(im.imageSize, path).toBe(im.fileSize);
    }
  });

  it('estimates the stripped size of a .so.dbg to the same page count as its stripped twin', () => {
    const twins: Array<[string, string]> = [
      [`${AMD64_ENTRY}/dbg/vdso64.dbg.so`, `${AMD64_ENTRY}/vdso64.so`],
      [`${AMD64_ENTRY}/dbg/vdso32.dbg.so`, `${AMD64_ENTRY}/vdso32.so`],
      [`${AMD64_ENTRY}/dbg/vdsox32.dbg.so`, `${AMD64_ENTRY}/vdsox32.so`],
      ['arm64-6.1.0-56-arm64/dbg/vdso.dbg.so', 'arm64-6.1.0-56-arm64/vdso64.so'],
      ['arm64-6.1.0-56-arm64/dbg/vdso32.dbg.so', 'arm64-6.1.0-56-arm64/vdso32.so'],
    ];
    for (const [dbg, stripped] of twins) {
      const d = load(`samples/corpus/${dbg}`);
      const s = load(`samples/corpus/${stripped}`);
      expect(d.unstripped).toBe(true);
      expect(d.imageSizeSource).toBe('estimated-from-dbg');
      expect(d.fileSize).toBeGreaterThan(s.fileSize);
      // Byte for byte: what objcopy -S keeps, and x86's __ex_table removed.
      expect(d.imageSize, dbg).toBe(s.imageSize);
      for (const page of [4096n, 16384n, 65536n]) expect(pagesFor(d.imageSize, page), `${dbg} @${page}`).toBe(pagesFor(s.imageSize, page));
      // Debian's dbg package is a separate link (its build-id differs), but the symbols agree.
      expect(d.symbols.filter((x) => x.table === 'dynsym').map((x) => x.name)).toEqual(s.symbols.filter((x) => x.table === 'dynsym').map((x) => x.name));
    }
  });

  it('estimates a gate build\'s .so.dbg to the byte of the image its booted kernel mapped (the bundle\'s [vdso] bytes)', () => {
    // Each gate sample keeps the .so.dbg it built and the console log of its boot, whose bundle holds
    // the [vdso] bytes the running kernel mapped: the stripped image itself (riscv64, s390x, mips n64
    // and o32, x86_64, arm64, armhf; the x86 and arm64 compat bundles of those boots carry no bytes, and ppc
    // embeds the unstripped image, so neither is here).
    const cases: Array<[string, string, number]> = [
      ['riscv64-6.1-vvar-exec', 'vdso.so.dbg', 0], ['s390x-6.1-vvar-above-text', 'vdso64.so.dbg', 0],
      ['mips64el-6.1-vdso-text-long', 'vdso.so.dbg', 0], ['mips64el-6.1-vdso-text-long', 'vdso-o32.so.dbg', 1],
      ['x86-6.1-vvar-page', 'vdso64.so.dbg', 0], ['x86-6.1-vma-mistake', 'vdso64.so.dbg', 0], ['arm64-6.1-vvar-gap', 'vdso.so.dbg', 0],
      ['armhf-6.1-sigpage-above-vdso', 'vdso.so.dbg', 0],
    ];
    for (const [run, dbg, block] of cases) {
      const dir = join('samples', 'gate', run, 'step-0');
      const d = load(join(dir, dbg));
      const bundle = readCaptureBytes(readBytes(join(ROOT, dir, 'console.log')), { file: run }).bundles[block];
      const dumped = parseVdsoImage(bundle.vdso!.bytes, `${run} bundle ${block}`);
      if (!dumped.ok) throw new Error(dumped.error.format());
      expect([run, dbg, d.imageSizeSource, d.imageSize]).toEqual([run, dbg, 'estimated-from-dbg', dumped.value.imageSize]);
    }
  });

  it('reads data-page symbols as negative offsets from the text base', () => {
    const x86 = load(`samples/corpus/${AMD64_ENTRY}/dbg/vdso64.dbg.so`);
    const off = Object.fromEntries(x86.dataPageSymbols.map((d) => [d.name, d.offset]));
    expect(off.vvar_start).toBe(-0x4000n);
    expect(off.pvclock_page).toBe(-0x3000n);
    expect(off.hvclock_page).toBe(-0x2000n);
    expect(off.timens_page).toBe(-0x1000n);
    const arm32 = load('samples/corpus/arm64-6.1.0-56-arm64/dbg/vdso32.dbg.so');
    expect(arm32.dataPageSymbols.find((d) => d.name === '_vdso_data')?.offset).toBe(-0x2000n);
    const ppc64k = load('samples/corpus/ppc64el-6.1.0-50-powerpc64le/vdso64.so');
    expect(ppc64k.dataPageSymbols.find((d) => d.name === '_vdso_datapage')?.offset).toBe(-0x20000n);
  });

  it('reads the riscv64 vdso-cfi.so notes that readelf misaligns (padding between note sections)', () => {
    const cfi = load('samples/corpus/riscv64-7.2.13+deb14-riscv64/vdso-cfi.so');
    const plain = load('samples/corpus/riscv64-7.2.13+deb14-riscv64/vdso.so');
    // readelf prints owner "Linux" with desc 06 00 00 00 (namesz read as desc); the real note is 7.2.13.
    expect(cfi.kernelVersion).toBe('7.2.13');
    expect(plain.kernelVersion).toBe('7.2.13');
    expect(cfi.buildId).toBe(/Build ID: ([0-9a-f]+)/.exec(readFileSync(join(ROOT, 'samples/corpus/riscv64-7.2.13+deb14-riscv64/vdso-cfi.so.readelf.txt'), 'utf8'))![1]);
    expect(cfi.notes.map((n) => `${n.owner}:${n.type}`)).toEqual(['GNU:3', 'GNU:5', 'Linux:0', 'Linux:256']);
  });

  it('reports a note with impossible sizes as a warning, not a crash', () => {
    const path = `samples/corpus/${AMD64_ENTRY}/vdso64.so`;
    const b = Buffer.from(readFileSync(join(ROOT, path)));
    b.writeUInt32LE(0x7fff0000, 0x500 + 4); // descsz of the first note in .note (offset 0x500)
    const r = parseVdsoImage(new Uint8Array(b));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.kernelVersion).toBeUndefined();
      expect(r.value.warnings.join('\n')).toMatch(/note at offset 0x500 has impossible sizes/);
    }
  });
});

describe('elfy defects are contained: each shown on a real image, with what we read instead', () => {
  const path = `samples/corpus/${AMD64_ENTRY}/vdso64.so`;
  const bytes = readFileSync(join(ROOT, path));
  type Raw = { osabi: unknown; abiversion: unknown; machine: unknown; body: { programs: Array<{ type: unknown; flags: unknown }>; sections: Array<{ name: string; addr: number; addralign: number; entsize: number; type: unknown; flags: unknown }> } };
  const raw = elfy.parse(bytes) as Raw;
  const section = (im: VdsoImage, name: string) => im.sections.find((s) => s.name === name)!;

  // Keyed by defect: a defect added to ELFY_DEFECTS without a test here does not compile.
  const shown: Record<ElfyDefect, () => void> = {
    unchecked: () => {
      const b = Buffer.from(bytes);
      b.writeUInt16LE(200, 62); // e_shstrndx
      expect(() => elfy.parse(b)).toThrow();
      const r = parseVdsoImage(new Uint8Array(b), 'x.so');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.format()).toBe('x.so: section name table index 200 is out of range (16 sections) at offset 0x3e (e_shstrndx)');
    },
    doubles: () => {
      // .hash's sh_addr as it would be in an image linked at x86_64's old vDSO address: above
      // 2^53 a double keeps 2048-byte steps, so elfy loses the low bits.
      const at = 0xe28 + 1 * 64 + 16;
      const b = Buffer.from(bytes);
      b.writeBigUInt64LE(0xffffffffff700120n, at);
      const e = elfy.parse(b) as Raw;
      expect(BigInt(e.body.sections[1].addr)).not.toBe(0xffffffffff700120n);
      const r = parseVdsoImage(new Uint8Array(b));
      expect(r.ok && r.value.sections[1].addr).toBe(0xffffffffff700120n);
    },
    shdr64Offsets: () => {
      const dynsymRaw = raw.body.sections.find((s) => s.name === '.dynsym')!;
      expect(dynsymRaw.entsize).not.toBe(24); // elfy reads bytes 54..61
      expect(dynsymRaw.addralign).not.toBe(8);
      const ours = section(load(path), '.dynsym');
      expect(ours.entsize).toBe(24n);
      expect(ours.addralign).toBe(8n);
    },
    identOffsets: () => {
      // readelf: "OS/ABI: UNIX - System V", "ABI Version: 0"; elfy reads EI_VERSION (1) as the OS/ABI.
      expect(raw.osabi).toBe('hpux');
      expect(raw.abiversion).toBe('none');
      const im = load(path);
      expect([im.header.osabi, im.header.abiVersion]).toEqual([0, 0]);
    },
    typeNames: () => {
      expect(raw.body.sections.find((s) => s.name === '.gnu.version')!.type).toBe('hios');
      expect(sectionTypeName(section(load(path), '.gnu.version').type, 62)).toBe('VERSYM');
      for (const [p, name] of [['riscv64-7.2.13+deb14-riscv64/vdso.so', 'RISC-V'], ['loong64-7.2.13+deb14-loong64/vdso.so', 'LoongArch']]) {
        const e = elfy.parse(readFileSync(join(ROOT, 'samples/corpus', p))) as Raw;
        expect(e.machine).toBeUndefined();
        expect(load(`samples/corpus/${p}`).machineName).toBe(name);
      }
      const arm = 'samples/corpus/armhf-6.1.0-50-armmp/vdso.so';
      expect((elfy.parse(readFileSync(join(ROOT, arm))) as Raw).body.programs[0].type).toBeUndefined();
      const im = load(arm);
      expect(programTypeName(im.programs[0].type, im.header.machine)).toBe('EXIDX');
    },
    flagObjects: () => {
      expect(raw.body.sections.find((s) => s.name === '.dynamic')!.flags).toEqual({ write: true, alloc: true });
      expect(section(load(path), '.dynamic').flags).toBe(3n); // SHF_WRITE | SHF_ALLOC
      const at = 0xe28 + 7 * 64 + 8; // .dynamic's sh_flags, with bit 32 set too
      const b = Buffer.from(bytes);
      b.writeBigUInt64LE(0x100000003n, at);
      expect((elfy.parse(b) as Raw).body.sections[7].flags).toEqual({ write: true, alloc: true });
      const r = parseVdsoImage(new Uint8Array(b));
      expect(r.ok && r.value.sections[7].flags).toBe(0x100000003n);
    },
  };
  for (const [defect, show] of Object.entries(shown)) it(`${defect}: ${ELFY_DEFECTS[defect as ElfyDefect]}`, show);

  it('takes from elfy only fields no defect touches (every other field is ours)', () => {
    for (const table of Object.values(SOURCES)) {
      for (const [field, bySource] of Object.entries(table)) {
        for (const s of bySource) if ('own' in s) expect(Object.keys(ELFY_DEFECTS), field).toContain(s.own);
      }
    }
    // ELF64 takes only the 32-bit fields and the half-words from elfy.
    expect(Object.entries(SOURCES.phdr).filter(([, s]) => 'elfy' in s[1]).map(([f]) => f)).toEqual([]);
    expect(Object.entries(SOURCES.shdr).filter(([, s]) => 'elfy' in s[1]).map(([f]) => f)).toEqual(['sh_name', 'sh_link', 'sh_info']);
  });

  it('keeps 64-bit values exact above 2^53', () => {
    const b = Buffer.from(bytes);
    // p_vaddr of the first PT_LOAD := the old x86-64 prelink address.
    b.writeBigUInt64LE(0xffffffffff700000n, 64 + 16);
    const r = parseVdsoImage(new Uint8Array(b));
    expect(r.ok && r.value.programs[0].vaddr).toBe(0xffffffffff700000n);
  });
});
