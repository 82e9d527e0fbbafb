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
 * The size of the stripped image the kernel would embed, for a `.so.dbg`: strip keeps the
 * allocated sections plus a few non-allocated ones (.shstrtab, .comment on some builds) and
 * writes the section header table last. Exact bytes depend on the kernel's strip flags; the
 * page count is what matters (checked against the corpus' stripped twins in the tests).
 */
function estimateStrippedSize(header: ElfHeader, sections: SectionHeader[]): bigint {
  let end = 0n;
  let kept = 1; // the NULL section
  let shstrtab = 1n;
  for (const s of sections) {
    if (s.index === 0) continue;
    if ((s.flags & SHF_ALLOC) !== 0n) {
      kept++;
      shstrtab += BigInt(s.name.length + 1);
      if (s.type !== SHT.NOBITS) end = s.offset + s.size > end ? s.offset + s.size : end;
    }
  }
  shstrtab += 10n; // ".shstrtab\0"
  kept++;
  const align = header.class === 64 ? 8n : 4n;
  const tableAt = ((end + shstrtab) + align - 1n) & ~(align - 1n);
  return tableAt + BigInt(kept * header.shentsize);
}
