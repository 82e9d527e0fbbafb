// The one module that touches elfy. elfy 1.0.0 decodes the ELF header and the program and
// section header tables; it has known defects, each contained here:
//   - it asserts / throws TypeError / RangeError on malformed input → we validate every table
//     bound ourselves first, so elfy only ever sees tables that fit in the file; anything it
//     still throws becomes an InputError;
//   - 64-bit fields come back as doubles (exact only below 2^53) → every ELF64 address, offset
//     and size is re-read as bigint;
//   - ELF64 sh_addralign / sh_entsize are read at offsets 46/54 instead of 48/56 → re-read;
//   - flag bits ≥ 31 are lost (mapFlags on int32) → flags re-read raw;
//   - type names are lossy (SHT_GNU_versym → 'hios', PT_GNU_PROPERTY → undefined, no RISC-V
//     or LoongArch machine) → raw numeric types are re-read and named by our own tables;
//   - data slices are silently clamped → bounds are checked by us, elfy's `data` is unused;
//   - section names are resolved without bounds checks → we resolve them ourselves.
// Where elfy is exact (every ELF32 field, the 32-bit fields of ELF64) its values are used.
import elfy from 'elfy';
import { Buffer } from 'node:buffer';
import { InputError } from '../errors.js';
import { ByteReader } from './bytes.js';
import { SHT } from './constants.js';

export interface ElfHeader {
  class: 32 | 64;
  endian: 'le' | 'be';
  osabi: number;
  abiVersion: number;
  type: number;
  machine: number;
  version: number;
  entry: bigint;
  phoff: bigint;
  shoff: bigint;
  flags: number;
  ehsize: number;
  phentsize: number;
  phnum: number;
  shentsize: number;
  shnum: number;
  shstrndx: number;
}

export interface ProgramHeader {
  index: number;
  type: number;
  flags: number;
  offset: bigint;
  vaddr: bigint;
  paddr: bigint;
  filesz: bigint;
  memsz: bigint;
  align: bigint;
}

export interface SectionHeader {
  index: number;
  nameOffset: number;
  name: string;
  type: number;
  flags: bigint;
  addr: bigint;
  offset: bigint;
  size: bigint;
  link: number;
  info: number;
  addralign: bigint;
  entsize: bigint;
}

export interface ElfTables {
  header: ElfHeader;
  programs: ProgramHeader[];
  sections: SectionHeader[];
  reader: ByteReader;
}

const SHN_XINDEX = 0xffff;

/** Parse and validate the ELF header and its two header tables. Throws InputError only. */
export function readElfTables(bytes: Uint8Array): ElfTables {
  const len = BigInt(bytes.length);
  if (bytes.length < 16) throw new InputError('file too short for an ELF identification (16 bytes)', { offset: len, field: 'e_ident' });
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new InputError('not an ELF file: bad magic (expected 7f 45 4c 46)', { offset: 0n, field: 'e_ident[EI_MAG]' });
  }
  const cls = bytes[4];
  if (cls !== 1 && cls !== 2) throw new InputError(`invalid ELF class ${cls} (expected 1 or 2)`, { offset: 4n, field: 'e_ident[EI_CLASS]' });
  const data = bytes[5];
  if (data !== 1 && data !== 2) throw new InputError(`invalid ELF data encoding ${data} (expected 1 or 2)`, { offset: 5n, field: 'e_ident[EI_DATA]' });
  const bits: 32 | 64 = cls === 2 ? 64 : 32;
  const r = new ByteReader(bytes, data === 1);
  const ehsizeMin = bits === 64 ? 64n : 52n;
  r.need(0n, ehsizeMin, 'e_ehsize', 'ELF header');

  const w = bits === 64 ? 8n : 4n;
  const phoff = r.word(0x18n + w, bits, 'e_phoff');
  const shoff = r.word(0x18n + 2n * w, bits, 'e_shoff');
  const at = 0x18n + 3n * w; // e_flags
  const phentsize = r.u16(at + 6n, 'e_phentsize');
  const phnum = r.u16(at + 8n, 'e_phnum');
  const shentsize = r.u16(at + 10n, 'e_shentsize');
  const shnum = r.u16(at + 12n, 'e_shnum');
  const shstrndx = r.u16(at + 14n, 'e_shstrndx');

  const phMin = bits === 64 ? 56 : 32;
  const shMin = bits === 64 ? 64 : 40;
  const tables: Array<[bigint, bigint, string]> = [];
  if (phnum > 0) {
    if (phentsize < phMin) throw new InputError(`program header entry size ${phentsize} is smaller than ${phMin}`, { offset: at + 6n, field: 'e_phentsize' });
    checkTable(r, phoff, phnum, phentsize, ehsizeMin, 'program header table', 'e_phoff');
    tables.push([phoff, phoff + BigInt(phnum * phentsize), 'program header table']);
  }
  if (shoff !== 0n && shnum === 0) {
    throw new InputError('extended section numbering (e_shnum 0 with a section table) is not supported', { offset: at + 12n, field: 'e_shnum' });
  }
  if (shnum > 0) {
    if (shentsize < shMin) throw new InputError(`section header entry size ${shentsize} is smaller than ${shMin}`, { offset: at + 10n, field: 'e_shentsize' });
    checkTable(r, shoff, shnum, shentsize, ehsizeMin, 'section header table', 'e_shoff');
    tables.push([shoff, shoff + BigInt(shnum * shentsize), 'section header table']);
    if (shstrndx === SHN_XINDEX) throw new InputError('extended section string index (SHN_XINDEX) is not supported', { offset: at + 14n, field: 'e_shstrndx' });
    if (shstrndx >= shnum) throw new InputError(`section name table index ${shstrndx} is out of range (${shnum} sections)`, { offset: at + 14n, field: 'e_shstrndx' });
  }
  if (tables.length === 2 && tables[0][0] < tables[1][1] && tables[1][0] < tables[0][1]) {
    throw new InputError('program and section header tables overlap', { offset: shoff, field: 'e_shoff' });
  }

  // elfy, on tables we know fit. Its header/tables parse is all we use it for.
  let parsed: { header: ReturnType<InstanceType<typeof elfy.Parser>['parseHeader']>; body: ReturnType<InstanceType<typeof elfy.Parser>['parseBody']> };
  try {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const p = new elfy.Parser();
    const header = p.parseHeader(buf);
    // elfy reads ELF64 e_phoff/e_shoff as doubles; they are < file size here, hence exact.
    const body = p.parseBody(buf, header);
    parsed = { header, body };
  } catch (e) {
    throw new InputError(`malformed ELF tables (${(e as Error).message})`, { offset: 0n, field: 'elf' });
  }

  const header: ElfHeader = {
    class: bits,
    endian: data === 1 ? 'le' : 'be',
    osabi: bytes[7], // EI_OSABI (elfy maps it through a lossy table)
    abiVersion: bytes[8],
    type: r.u16(16n, 'e_type'),
    machine: r.u16(18n, 'e_machine'),
    version: r.u32(20n, 'e_version'),
    entry: r.word(0x18n, bits, 'e_entry'),
    phoff,
    shoff,
    flags: Number(parsed.header.flags) >>> 0,
    ehsize: r.u16(at + 4n, 'e_ehsize'),
    phentsize: Number(parsed.header.phentsize),
    phnum: Number(parsed.header.phnum),
    shentsize: Number(parsed.header.shentsize),
    shnum: Number(parsed.header.shnum),
    shstrndx: Number(parsed.header.shstrndx),
  };

  const programs = parsed.body.programs.map((ep, index): ProgramHeader => {
    const o = phoff + BigInt(index * phentsize);
    const ph: ProgramHeader = bits === 64
      ? {
        index, type: r.u32(o, 'p_type'), flags: r.u32(o + 4n, 'p_flags'),
        offset: r.u64(o + 8n, 'p_offset'), vaddr: r.u64(o + 16n, 'p_vaddr'), paddr: r.u64(o + 24n, 'p_paddr'),
        filesz: r.u64(o + 32n, 'p_filesz'), memsz: r.u64(o + 40n, 'p_memsz'), align: r.u64(o + 48n, 'p_align'),
      }
      : {
        index, type: r.u32(o, 'p_type'), flags: r.u32(o + 24n, 'p_flags'),
        offset: BigInt(ep.offset as number), vaddr: BigInt(ep.vaddr as number), paddr: BigInt(ep.paddr as number),
        filesz: BigInt(ep.filesz as number), memsz: BigInt(ep.memsz as number), align: BigInt(ep.align as number),
      };
    if (ph.filesz > 0n && ph.offset + ph.filesz > len) {
      throw new InputError(`segment ${index} runs past end of file (0x${ph.offset.toString(16)}+0x${ph.filesz.toString(16)} > 0x${len.toString(16)})`, { offset: o + (bits === 64 ? 8n : 4n), field: `p_offset[${index}]` });
    }
    return ph;
  });

  const sections = parsed.body.sections.map((es, index): SectionHeader => {
    const o = shoff + BigInt(index * shentsize);
    const common = { index, nameOffset: Number(es.name), name: '', link: Number(es.link), info: Number(es.info), type: r.u32(o + 4n, 'sh_type') };
    const sh: SectionHeader = bits === 64
      ? {
        ...common, flags: r.u64(o + 8n, 'sh_flags'), addr: r.u64(o + 16n, 'sh_addr'), offset: r.u64(o + 24n, 'sh_offset'),
        size: r.u64(o + 32n, 'sh_size'), addralign: r.u64(o + 48n, 'sh_addralign'), entsize: r.u64(o + 56n, 'sh_entsize'),
      }
      : {
        ...common, flags: BigInt(r.u32(o + 8n, 'sh_flags')), addr: BigInt(es.addr as number), offset: BigInt(es.off as number),
        size: BigInt(es.size as number), addralign: BigInt(es.addralign as number), entsize: BigInt(es.entsize as number),
      };
    if (sh.type !== SHT.NOBITS && sh.type !== SHT.NULL && sh.size > 0n && sh.offset + sh.size > len) {
      throw new InputError(`section ${index} runs past end of file (0x${sh.offset.toString(16)}+0x${sh.size.toString(16)} > 0x${len.toString(16)})`, { offset: o + (bits === 64 ? 24n : 16n), field: `sh_offset[${index}]` });
    }
    return sh;
  });

  if (sections.length > 0 && header.shstrndx !== 0) {
    const strtab = sections[header.shstrndx];
    if (strtab.type !== SHT.STRTAB) {
      throw new InputError(`section name table (section ${header.shstrndx}) is not a string table (type 0x${strtab.type.toString(16)})`, { offset: shoff + BigInt(header.shstrndx * shentsize) + 4n, field: 'e_shstrndx' });
    }
    for (const s of sections) {
      if (s.index === 0 && s.nameOffset === 0) continue;
      s.name = r.cstring(strtab.offset, strtab.size, BigInt(s.nameOffset), `sh_name[${s.index}]`);
    }
  }
  return { header, programs, sections, reader: r };
}

function checkTable(r: ByteReader, off: bigint, count: number, entsize: number, ehsize: bigint, what: string, field: string): void {
  const size = BigInt(count) * BigInt(entsize);
  if (off < ehsize) throw new InputError(`${what} overlaps the ELF header`, { offset: off, field });
  if (off + size > r.length) {
    throw new InputError(`${what} (${count} x ${entsize} bytes) runs past end of file (file is 0x${r.length.toString(16)} bytes)`, { offset: off, field });
  }
}
