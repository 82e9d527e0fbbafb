import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import elfy from 'elfy';
import { parseVdsoImage, programTypeName, sectionTypeName, pagesFor, type VdsoImage } from '../src/elf/index.js';
import { ROOT, readBytes, AMD64_ENTRY } from './helpers.js';

interface Fixture {
  class: string; data: string; machine: string; type: string; flags: string; soname: string | null; buildId: string | null;
  linuxNoteDesc: string | null; versions: string[];
  sections: Array<{ index: number; name: string; type: string; addr: string; offset: string; size: string; entsize: string; addralign: string }>;
  programs: Array<{ type: string; offset: string; vaddr: string; filesz: string; memsz: string; flags: string; align: string }>;
  symbols: Array<{ table: string; name: string; value: string; size: string; type: string; bind: string; version: string | null }>;
}
const fixtures: Record<string, Fixture> = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/readelf.json'), 'utf8'));
const h = (v: bigint) => '0x' + v.toString(16);

function load(path: string): VdsoImage {
  const r = parseVdsoImage(readBytes(join(ROOT, path)), path);
  if (!r.ok) throw new Error(r.error.format());
  return r.value;
}

describe('every corpus image decodes as readelf decodes it', () => {
  it('covers every architecture, both classes and both endiannesses', () => {
    const ims = Object.keys(fixtures).map(load);
    expect(new Set(ims.map((i) => i.arch))).toEqual(new Set(['x86_64', 'x32', 'i386', 'aarch64', 'arm', 'loongarch64', 'mips64', 'mips', 'ppc64le', 'riscv64', 's390x', 's390']));
    expect(new Set(ims.map((i) => i.header.class))).toEqual(new Set([32, 64]));
    expect(new Set(ims.map((i) => i.header.endian))).toEqual(new Set(['le', 'be']));
  });

  for (const [path, fx] of Object.entries(fixtures)) {
    it(path.replace('samples/corpus/', ''), () => {
      const im = load(path);
      expect(`ELF${im.header.class}`).toBe(fx.class);
      expect(im.header.endian === 'le' ? "2's complement, little endian" : "2's complement, big endian").toBe(fx.data);
      expect(im.machineName).toBe(fx.machine);
      expect(h(BigInt(im.header.flags))).toBe(fx.flags.split(',')[0]);
      expect(im.soname ?? null).toBe(fx.soname);
      expect(im.buildId ?? null).toBe(fx.buildId);
      if (fx.linuxNoteDesc) {
        const b = fx.linuxNoteDesc.split(' ').map((x) => parseInt(x, 16));
        const code = im.header.endian === 'le' ? ((b[3] << 24) | (b[2] << 16) | (b[1] << 8) | b[0]) >>> 0 : ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
        if (path.endsWith('vdso-cfi.so')) expect(im.kernelVersion).toBe('7.2.13'); // readelf misreads this note; see below
        else if (code >>> 16 >= 2) expect(im.kernelVersion).toBe(`${code >>> 16}.${(code >>> 8) & 0xff}.${code & 0xff}`);
        else expect(im.kernelVersion).toBeUndefined();
      }
      expect(im.sections.map((s) => ({
        index: s.index, name: s.name, type: sectionTypeName(s.type, im.header.machine), addr: h(s.addr), offset: h(s.offset),
        size: h(s.size), entsize: h(s.entsize), addralign: String(s.addralign),
      }))).toEqual(fx.sections);
      expect(im.programs.map((p) => ({
        type: programTypeName(p.type, im.header.machine), offset: h(p.offset), vaddr: h(p.vaddr), filesz: h(p.filesz), memsz: h(p.memsz),
        flags: `${p.flags & 4 ? 'R' : ''}${p.flags & 2 ? 'W' : ''}${p.flags & 1 ? 'E' : ''}`, align: h(p.align),
      }))).toEqual(fx.programs);
      expect(im.symbols.map((s) => ({
        table: s.table, name: s.name, value: h(s.value), size: h(s.size), type: s.type, bind: s.bind, version: s.version ?? null,
      }))).toEqual(fx.symbols);
      expect(im.versions.filter((v) => !v.base).map((v) => v.name)).toEqual(fx.versions);
    });
  }
});

describe('image size as the kernel maps it', () => {
  it('a stripped image ends at its section header table, which is the file size', () => {
    for (const path of Object.keys(fixtures).filter((p) => !p.includes('/dbg/') && !p.includes('ppc64el'))) {
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
      for (const page of [4096n, 16384n, 65536n]) expect(pagesFor(d.imageSize, page), `${dbg} @${page}`).toBe(pagesFor(s.imageSize, page));
      // Debian's dbg package is a separate link (its build-id differs), but the symbols agree.
      expect(d.symbols.filter((x) => x.table === 'dynsym').map((x) => x.name)).toEqual(s.symbols.filter((x) => x.table === 'dynsym').map((x) => x.name));
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
    expect(cfi.buildId).toBe(fixtures['samples/corpus/riscv64-7.2.13+deb14-riscv64/vdso-cfi.so'].buildId);
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

describe('elfy defects are contained', () => {
  const path = `samples/corpus/${AMD64_ENTRY}/vdso64.so`;
  const bytes = readFileSync(join(ROOT, path));
  const raw = elfy.parse(bytes) as { body: { sections: Array<{ name: string; addralign: number; entsize: number; type: unknown }> } };

  it('elfy misreads ELF64 sh_addralign/sh_entsize; we read readelf\'s values', () => {
    const dynsymRaw = raw.body.sections.find((s) => s.name === '.dynsym')!;
    expect(dynsymRaw.entsize).not.toBe(24); // elfy reads bytes 54..61
    expect(dynsymRaw.addralign).not.toBe(8);
    const ours = load(path).sections.find((s) => s.name === '.dynsym')!;
    expect(ours.entsize).toBe(24n);
    expect(ours.addralign).toBe(8n);
  });

  it('elfy names SHT_GNU_versym "hios"; we keep the raw type', () => {
    expect(raw.body.sections.find((s) => s.name === '.gnu.version')!.type).toBe('hios');
    const ours = load(path).sections.find((s) => s.name === '.gnu.version')!;
    expect(sectionTypeName(ours.type, 62)).toBe('VERSYM');
  });

  it('elfy has no name for RISC-V or LoongArch; we do', () => {
    for (const [p, name] of [['riscv64-7.2.13+deb14-riscv64/vdso.so', 'RISC-V'], ['loong64-7.2.13+deb14-loong64/vdso.so', 'LoongArch']]) {
      const e = elfy.parse(readFileSync(join(ROOT, 'samples/corpus', p))) as { machine: unknown };
      expect(e.machine).toBeUndefined();
      expect(load(`samples/corpus/${p}`).machineName).toBe(name);
    }
  });

  it('elfy throws on a section name table index out of range; we return a positioned error', () => {
    const b = Buffer.from(bytes);
    b.writeUInt16LE(200, 62); // e_shstrndx
    expect(() => elfy.parse(b)).toThrow();
    const r = parseVdsoImage(new Uint8Array(b), 'x.so');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.format()).toBe('x.so: section name table index 200 is out of range (16 sections) at offset 0x3e (e_shstrndx)');
  });

  it('keeps 64-bit values exact above 2^53', () => {
    const b = Buffer.from(bytes);
    // p_vaddr of the first PT_LOAD := the old x86-64 prelink address.
    b.writeBigUInt64LE(0xffffffffff700000n, 64 + 16);
    const r = parseVdsoImage(new Uint8Array(b));
    expect(r.ok && r.value.programs[0].vaddr).toBe(0xffffffffff700000n);
  });
});
