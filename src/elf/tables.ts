// The one module that touches elfy: the ELF header and the program and section header tables.
// elfy 1.0.0 reads those and nothing else. Each field is read once, by one reader: elfy where it
// reads the field right, our own ByteReader (through the layouts in structs.ts) where it does
// not. SOURCES below says which, field by field and class by class, naming the elfy defect
// (ELFY_DEFECTS) behind every field we read ourselves; test/elf.test.ts shows each defect on a
// real image. elfy only ever sees tables we have checked fit the file.
import elfy from 'elfy';
import { Buffer } from 'node:buffer';
import { InputError } from '../errors.js';
import { ByteReader } from './bytes.js';
import { SHT } from './constants.js';
import { EHDR, EI, PHDR, SHDR, type EhdrField, type Layout, type PhdrField, type ShdrField } from './structs.js';

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

/** What elfy 1.0.0 gets wrong; each is the reason some field is read by us (SOURCES). */
export const ELFY_DEFECTS = {
  unchecked: 'checks nothing: a bad class or encoding, or a table past the end of the file, throws (Error, RangeError, AssertionError) with no position; data slices are clamped silently; section names are resolved without bounds',
  doubles: 'ELF64 addresses, offsets and sizes come back as doubles, exact only below 2^53',
  shdr64Offsets: 'ELF64 sh_addralign and sh_entsize are read at offsets 46 and 54 instead of 48 and 56',
  identOffsets: 'EI_OSABI is read from byte 6 (EI_VERSION) and EI_ABIVERSION from byte 7 (EI_OSABI)',
  typeNames: 'e_type, e_machine, p_type and sh_type come back as names from incomplete tables, not numbers (SHT_GNU_versym is "hios"; RISC-V, LoongArch and PT_ARM_EXIDX have none)',
  flagObjects: 'p_flags and sh_flags come back as objects of flag names, built with 32-bit integers (ELF64 sh_flags bits 32 and up are dropped)',
} as const;
export type ElfyDefect = keyof typeof ELFY_DEFECTS;

/** A field's reader: elfy's property of that name, or our own read because of an elfy defect. */
type Source = { elfy: string } | { own: ElfyDefect };
/** [ELF32, ELF64] */
type Sources<F extends string> = Readonly<Record<F, readonly [Source, Source]>>;
const elfyReads = (property: string): readonly [Source, Source] => [{ elfy: property }, { elfy: property }];
const elfyReads32 = (property: string, defect64: ElfyDefect): readonly [Source, Source] => [{ elfy: property }, { own: defect64 }];
const weRead = (defect: ElfyDefect): readonly [Source, Source] => [{ own: defect }, { own: defect }];

// e_ident is ours too: EI_CLASS and EI_DATA are validated before elfy runs (unchecked), EI_OSABI
// and EI_ABIVERSION elfy reads at the wrong offsets (identOffsets).
export const SOURCES: { ehdr: Sources<EhdrField>; phdr: Sources<PhdrField>; shdr: Sources<ShdrField> } = {
  ehdr: {
    e_type: weRead('typeNames'),
    e_machine: weRead('typeNames'),
    e_version: elfyReads('version'),
    e_entry: elfyReads32('entry', 'doubles'),
    e_phoff: elfyReads32('phoff', 'doubles'),
    e_shoff: elfyReads32('shoff', 'doubles'),
    e_flags: elfyReads('flags'),
    e_ehsize: elfyReads('ehsize'),
    e_phentsize: elfyReads('phentsize'),
    e_phnum: elfyReads('phnum'),
    e_shentsize: elfyReads('shentsize'),
    e_shnum: elfyReads('shnum'),
    e_shstrndx: elfyReads('shstrndx'),
  },
  phdr: {
    p_type: weRead('typeNames'),
    p_flags: weRead('flagObjects'),
    p_offset: elfyReads32('offset', 'doubles'),
    p_vaddr: elfyReads32('vaddr', 'doubles'),
    p_paddr: elfyReads32('paddr', 'doubles'),
    p_filesz: elfyReads32('filesz', 'doubles'),
    p_memsz: elfyReads32('memsz', 'doubles'),
    p_align: elfyReads32('align', 'doubles'),
  },
  shdr: {
    sh_name: elfyReads('name'),
    sh_type: weRead('typeNames'),
    sh_flags: weRead('flagObjects'),
    sh_addr: elfyReads32('addr', 'doubles'),
    sh_offset: elfyReads32('off', 'doubles'),
    sh_size: elfyReads32('size', 'doubles'),
    sh_link: elfyReads('link'),
    sh_info: elfyReads('info'),
    sh_addralign: elfyReads32('addralign', 'shdr64Offsets'),
    sh_entsize: elfyReads32('entsize', 'shdr64Offsets'),
  },
};

/** Reads the fields of one structure at `base`, each from the reader SOURCES names. */
function fields<F extends string>(layout: Layout<F>, sources: Sources<F>, bits: 32 | 64, r: ByteReader, base: bigint, parsed: Record<string, unknown>) {
  const c = bits === 64 ? 1 : 0;
  const big = (f: F): bigint => {
    const s = sources[f][c];
    return 'elfy' in s ? BigInt(parsed[s.elfy] as number) : r.big(layout.fields[f], base);
  };
  return { big, num: (f: F): number => Number(big(f)) };
}

const SHN_XINDEX = 0xffff;

function malformed(e: unknown): InputError {
  return new InputError(`malformed ELF tables (${(e as Error).message})`, { offset: 0n, field: 'elf' });
}

/** Parse and validate the ELF header and its two header tables. Throws InputError only. */
export function readElfTables(bytes: Uint8Array): ElfTables {
  const len = BigInt(bytes.length);
  if (bytes.length < 16) throw new InputError('file too short for an ELF identification (16 bytes)', { offset: len, field: 'e_ident' });
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new InputError('not an ELF file: bad magic (expected 7f 45 4c 46)', { offset: 0n, field: 'e_ident[EI_MAG]' });
  }
  const cls = bytes[EI.CLASS];
  if (cls !== 1 && cls !== 2) throw new InputError(`invalid ELF class ${cls} (expected 1 or 2)`, { offset: BigInt(EI.CLASS), field: 'e_ident[EI_CLASS]' });
  const data = bytes[EI.DATA];
  if (data !== 1 && data !== 2) throw new InputError(`invalid ELF data encoding ${data} (expected 1 or 2)`, { offset: BigInt(EI.DATA), field: 'e_ident[EI_DATA]' });
  const bits: 32 | 64 = cls === 2 ? 64 : 32;
  const r = new ByteReader(bytes, data === 1);
  const ehdr = EHDR[bits];
  r.need(0n, BigInt(ehdr.size), 'e_ehsize', 'ELF header');

  // elfy's header parse reads nothing past the fixed header, which is now known to be there.
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parser = new elfy.Parser();
  let elfyHeader: ReturnType<typeof parser.parseHeader>;
  try { elfyHeader = parser.parseHeader(buf); } catch (e) { throw malformed(e); }
  const h = fields(ehdr, SOURCES.ehdr, bits, r, 0n, elfyHeader);
  const header: ElfHeader = {
    class: bits,
    endian: data === 1 ? 'le' : 'be',
    osabi: bytes[EI.OSABI],
    abiVersion: bytes[EI.ABIVERSION],
    type: h.num('e_type'),
    machine: h.num('e_machine'),
    version: h.num('e_version'),
    entry: h.big('e_entry'),
    phoff: h.big('e_phoff'),
    shoff: h.big('e_shoff'),
    flags: h.num('e_flags'),
    ehsize: h.num('e_ehsize'),
    phentsize: h.num('e_phentsize'),
    phnum: h.num('e_phnum'),
    shentsize: h.num('e_shentsize'),
    shnum: h.num('e_shnum'),
    shstrndx: h.num('e_shstrndx'),
  };
  const { phoff, shoff, phnum, phentsize, shnum, shentsize, shstrndx } = header;
  const at = (f: EhdrField) => BigInt(ehdr.fields[f].at);

  const phMin = PHDR[bits].size;
  const shMin = SHDR[bits].size;
  const ehsizeMin = BigInt(ehdr.size);
  const tables: Array<[bigint, bigint, string]> = [];
  if (phnum > 0) {
    if (phentsize < phMin) throw new InputError(`program header entry size ${phentsize} is smaller than ${phMin}`, { offset: at('e_phentsize'), field: 'e_phentsize' });
    checkTable(r, phoff, phnum, phentsize, ehsizeMin, 'program header table', 'e_phoff');
    tables.push([phoff, phoff + BigInt(phnum * phentsize), 'program header table']);
  }
  if (shoff !== 0n && shnum === 0) {
    throw new InputError('extended section numbering (e_shnum 0 with a section table) is not supported', { offset: at('e_shnum'), field: 'e_shnum' });
  }
  if (shnum > 0) {
    if (shentsize < shMin) throw new InputError(`section header entry size ${shentsize} is smaller than ${shMin}`, { offset: at('e_shentsize'), field: 'e_shentsize' });
    checkTable(r, shoff, shnum, shentsize, ehsizeMin, 'section header table', 'e_shoff');
    tables.push([shoff, shoff + BigInt(shnum * shentsize), 'section header table']);
    if (shstrndx === SHN_XINDEX) throw new InputError('extended section string index (SHN_XINDEX) is not supported', { offset: at('e_shstrndx'), field: 'e_shstrndx' });
    if (shstrndx >= shnum) throw new InputError(`section name table index ${shstrndx} is out of range (${shnum} sections)`, { offset: at('e_shstrndx'), field: 'e_shstrndx' });
  }
  if (tables.length === 2 && tables[0][0] < tables[1][1] && tables[1][0] < tables[0][1]) {
    throw new InputError('program and section header tables overlap', { offset: shoff, field: 'e_shoff' });
  }

  // elfy's table parse, on tables we know fit.
  let body: ReturnType<typeof parser.parseBody>;
  try { body = parser.parseBody(buf, elfyHeader); } catch (e) { throw malformed(e); }

  const phdr = PHDR[bits];
  const programs = body.programs.map((parsed, index): ProgramHeader => {
    const o = phoff + BigInt(index * phentsize);
    const p = fields(phdr, SOURCES.phdr, bits, r, o, parsed);
    const ph: ProgramHeader = {
      index, type: p.num('p_type'), flags: p.num('p_flags'), offset: p.big('p_offset'), vaddr: p.big('p_vaddr'),
      paddr: p.big('p_paddr'), filesz: p.big('p_filesz'), memsz: p.big('p_memsz'), align: p.big('p_align'),
    };
    if (ph.filesz > 0n && ph.offset + ph.filesz > len) {
      throw new InputError(`segment ${index} runs past end of file (0x${ph.offset.toString(16)}+0x${ph.filesz.toString(16)} > 0x${len.toString(16)})`, { offset: o + BigInt(phdr.fields.p_offset.at), field: `p_offset[${index}]` });
    }
    return ph;
  });

  const shdr = SHDR[bits];
  const sections = body.sections.map((parsed, index): SectionHeader => {
    const o = shoff + BigInt(index * shentsize);
    const s = fields(shdr, SOURCES.shdr, bits, r, o, parsed);
    const sh: SectionHeader = {
      index, nameOffset: s.num('sh_name'), name: '', link: s.num('sh_link'), info: s.num('sh_info'), type: s.num('sh_type'),
      flags: s.big('sh_flags'), addr: s.big('sh_addr'), offset: s.big('sh_offset'), size: s.big('sh_size'),
      addralign: s.big('sh_addralign'), entsize: s.big('sh_entsize'),
    };
    if (sh.type !== SHT.NOBITS && sh.type !== SHT.NULL && sh.size > 0n && sh.offset + sh.size > len) {
      throw new InputError(`section ${index} runs past end of file (0x${sh.offset.toString(16)}+0x${sh.size.toString(16)} > 0x${len.toString(16)})`, { offset: o + BigInt(shdr.fields.sh_offset.at), field: `sh_offset[${index}]` });
    }
    return sh;
  });

  if (sections.length > 0 && header.shstrndx !== 0) {
    const strtab = sections[header.shstrndx];
    if (strtab.type !== SHT.STRTAB) {
      throw new InputError(`section name table (section ${header.shstrndx}) is not a string table (type 0x${strtab.type.toString(16)})`, { offset: shoff + BigInt(header.shstrndx * shentsize) + BigInt(shdr.fields.sh_type.at), field: 'e_shstrndx' });
    }
    for (const s of sections) {
      if (s.index === 0 && s.nameOffset === 0) continue;
      s.name = r.cstring(strtab.offset, strtab.size, BigInt(s.nameOffset), `sh_name[${s.index}]`);
    }
  }
  return { header, programs, sections, reader: r };
}

/** The section `s` links to (sh_link), or an error at that sh_link. */
export function linkedSection(header: ElfHeader, sections: SectionHeader[], s: SectionHeader, what: string): SectionHeader {
  const l = sections[s.link];
  if (!l || s.link === 0) {
    throw new InputError(`${what} section ${s.index} links to missing section ${s.link}`, { offset: header.shoff + BigInt(s.index * header.shentsize), field: `sh_link[${s.index}]` });
  }
  return l;
}

function checkTable(r: ByteReader, off: bigint, count: number, entsize: number, ehsize: bigint, what: string, field: string): void {
  const size = BigInt(count) * BigInt(entsize);
  if (off < ehsize) throw new InputError(`${what} overlaps the ELF header`, { offset: off, field });
  if (off + size > r.length) {
    throw new InputError(`${what} (${count} x ${entsize} bytes) runs past end of file (file is 0x${r.length.toString(16)} bytes)`, { offset: off, field });
  }
}
