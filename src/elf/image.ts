// A vDSO image decoded: the header tables (tables.ts, through elfy), then the dynamic section,
// symbol versions, symbols and notes (a module each), and the size the kernel maps.
import { InputError, type Result } from '../errors.js';
import { DT, MACHINE_NAMES, SHF_ALLOC, SHT, deriveArch, type ArchName, type MipsAbi } from './constants.js';
import { dynamicValue, readDynamic, readSoname, type DynamicEntry } from './dynamic.js';
import { noteFacts, readAllNotes, type ElfNote } from './notes.js';
import { dataPageSymbols, readSymbols, type DataPageSymbol, type ElfSymbol } from './symbols.js';
import { linkedSection, readElfTables, type ElfHeader, type ProgramHeader, type SectionHeader } from './tables.js';
import { readVersionDefs, type VersionDef } from './versions.js';

export interface VdsoImage {
  header: ElfHeader;
  machineName: string;
  arch?: ArchName;
  abi?: MipsAbi;
  programs: ProgramHeader[];
  sections: SectionHeader[];
  dynamic: DynamicEntry[];
  soname?: string;
  hasHash: boolean;
  hasGnuHash: boolean;
  versions: VersionDef[];
  symbols: ElfSymbol[];
  notes: ElfNote[];
  kernelVersion?: string;
  buildId?: string;
  /** True when a .symtab or debug sections are present (a `.so.dbg`). */
  unstripped: boolean;
  fileSize: bigint;
  /** Bytes the kernel maps as text, before page rounding, for the stripped image it embeds. */
  imageSize: bigint;
  /** How imageSize was obtained. */
  imageSizeSource: 'section-table-end' | 'estimated-from-dbg' | 'file-size';
  dataPageSymbols: DataPageSymbol[];
  warnings: string[];
}

export function pagesFor(size: bigint, pageSize: bigint): bigint {
  return (size + pageSize - 1n) / pageSize;
}

/** Decode a vDSO image. Pure: bytes in, a value or an InputError out. */
export function parseVdsoImage(bytes: Uint8Array, file?: string): Result<VdsoImage> {
  try {
    return { ok: true, value: decode(bytes) };
  } catch (e) {
    // Only our own error type is an answer; anything else is a bug and must surface (the
    // mutation test relies on that, the CLI turns it into one line and exit 2).
    if (e instanceof InputError) return { ok: false, error: file ? e.withFile(file) : e };
    throw e;
  }
}

function decode(bytes: Uint8Array): VdsoImage {
  const { header, programs, sections, reader: r } = readElfTables(bytes);
  const warnings: string[] = [];
  const derived = deriveArch(header.machine, header.class, header.endian, header.flags);
  const machineName = MACHINE_NAMES[header.machine] ?? `machine ${header.machine}`;
  if (!derived) warnings.push(`unknown e_machine ${header.machine}: no Linux vDSO architecture`);
  const first = (type: number) => sections.find((s) => s.type === type);

  const dynamic = readDynamic(r, header, programs, first(SHT.DYNAMIC));
  const dynsym = first(SHT.DYNSYM);
  const dynstr = dynsym ? linkedSection(header, sections, dynsym, 'dynsym') : undefined;
  const soname = readSoname(r, programs, dynamic, dynstr, warnings);
  const verdef = first(SHT.VERDEF);
  const versions = verdef ? readVersionDefs(r, verdef, linkedSection(header, sections, verdef, 'verdef')) : [];
  const symbols = readSymbols(r, header, sections, versions, warnings);
  const notes = readAllNotes(r, programs, sections, warnings);
  const { kernelVersion, buildId } = noteFacts(notes, header, warnings);

  const unstripped = sections.some((s) => s.type === SHT.SYMTAB || s.name.startsWith('.debug_'));
  const fileSize = BigInt(bytes.length);
  const { imageSize, imageSizeSource } = mappedSize(header, sections, unstripped, fileSize);

  return {
    header, machineName, arch: derived?.arch, abi: derived?.abi, programs, sections, dynamic, soname,
    hasHash: dynamicValue(dynamic, DT.HASH) !== undefined, hasGnuHash: dynamicValue(dynamic, DT.GNU_HASH) !== undefined,
    versions, symbols, notes, kernelVersion, buildId, unstripped, fileSize, imageSize, imageSizeSource,
    dataPageSymbols: dataPageSymbols(symbols, header.class), warnings,
  };
}

function mappedSize(header: ElfHeader, sections: SectionHeader[], unstripped: boolean, fileSize: bigint): Pick<VdsoImage, 'imageSize' | 'imageSizeSource'> {
  if (unstripped) return { imageSize: estimateStrippedSize(header, sections), imageSizeSource: 'estimated-from-dbg' };
  const shEnd = header.shnum > 0 ? header.shoff + BigInt(header.shnum * header.shentsize) : 0n;
  // The kernel's copy ends with the section header table (what objcopy --strip writes last).
  if (shEnd > 0n) return { imageSize: shEnd, imageSizeSource: 'section-table-end' };
  return { imageSize: fileSize, imageSizeSource: 'file-size' };
}

/**
 * The size of the stripped image the kernel would embed, for a `.so.dbg`. objcopy -S keeps every
 * allocated section where it is and, of the others, all but debug info, symbol tables and their
 * relocations (.comment, mips's .pdr, riscv's and arm's attributes stay), laid out after them in
 * section order, then a new .shstrtab (tails shared) and the section header table. Byte for byte
 * on the gate's own builds (riscv64, s390x, mips n64 and o32, armhf) and on Debian's x86 and arm64 twins
 * (test/elf.test.ts); counting only the allocated sections came out 304 bytes short for mips.
 */
function estimateStrippedSize(header: ElfHeader, sections: SectionHeader[]): bigint {
  const alignUp = (v: bigint, a: bigint) => (a > 1n ? (v + a - 1n) & ~(a - 1n) : v);
  const stripped = (s: SectionHeader) => s.name.startsWith('.debug') || s.name.startsWith('.zdebug') || s.name.startsWith('.gnu_debug')
    || s.type === SHT.SYMTAB || s.type === SHT.STRTAB || s.type === SHT.REL || s.type === SHT.RELA;
  let end = 0n;
  const kept: string[] = [];
  for (const s of sections) {
    // x86 strips its exception table too: OBJCOPYFLAGS := -S --remove-section __ex_table
    // (arch/x86/entry/vdso/Makefile, Kingxukai/linux@0291023e7330).
    if (s.index === 0 || (s.flags & SHF_ALLOC) === 0n || s.name === '__ex_table') continue;
    kept.push(s.name);
    if (s.type !== SHT.NOBITS && s.offset + s.size > end) end = s.offset + s.size;
  }
  for (const s of sections) {
    if (s.index === 0 || (s.flags & SHF_ALLOC) !== 0n || stripped(s)) continue;
    kept.push(s.name);
    end = alignUp(end, s.addralign) + s.size;
  }
  kept.push('.shstrtab');
  // The new .shstrtab shares tails: ".hash" is written once, as the end of ".gnu.hash".
  let names = 1n;
  for (const n of new Set(kept)) if (!kept.some((m) => m.length > n.length && m.endsWith(n))) names += BigInt(n.length + 1);
  const tableAt = alignUp(end + names, header.class === 64 ? 8n : 4n);
  return tableAt + BigInt((kept.length + 1) * header.shentsize);
}
