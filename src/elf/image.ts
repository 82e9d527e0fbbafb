import { Buffer } from 'node:buffer';
import { InputError, type Result } from '../errors.js';
import type { ByteReader } from './bytes.js';
import {
  DT, DT_NAMES, MACHINE_NAMES, PT, SHF_ALLOC, SHT, STV_NAMES, deriveArch,
  symbolBindName, symbolTypeName, type ArchName, type MipsAbi,
} from './constants.js';
import { readElfTables, type ElfHeader, type ProgramHeader, type SectionHeader } from './tables.js';

export interface DynamicEntry { tag: bigint; name: string; value: bigint }
export interface VersionDef { index: number; flags: number; name: string; base: boolean }
export interface ElfSymbol {
  name: string;
  value: bigint;
  size: bigint;
  type: string;
  bind: string;
  visibility: string;
  shndx: number;
  /** Defined version name (`LINUX_2.6`), undefined for local/base symbols. */
  version?: string;
  /** False for a non-default (`@`, hidden) version. */
  versionDefault?: boolean;
  table: 'dynsym' | 'symtab';
}
export interface ElfNote { owner: string; type: number; desc: Uint8Array; offset: bigint }

/** A symbol that tells where the vDSO data pages sit relative to the text base. */
export interface DataPageSymbol { name: string; offset: bigint }

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

const NT_GNU_BUILD_ID = 3;

/** Data-page symbols the vDSO linker scripts define (vdso.lds.S / vdso-layout.lds.S of each arch, include/vdso/datapage.h). */
export const DATA_PAGE_SYMBOLS = new Set([
  'vvar_start', 'vvar_page', 'hpet_page', 'timens_page', 'pvclock_page', 'hvclock_page', 'vclock_pages',
  '_vdso_data', '_timens_data', '_vdso_rng_data', '_loongarch_data', '_vdso_datapage',
  'vdso_u_data', 'vdso_u_time_data', 'vdso_u_rng_data', 'vdso_u_arch_data', '__vdso_u_timens_data',
  '__kernel_datapage_offset', 'vdso_rng_data',
]);

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
  const bits = header.class;
  const derived = deriveArch(header.machine, bits, header.endian, header.flags);
  const machineName = MACHINE_NAMES[header.machine] ?? `machine ${header.machine}`;
  if (!derived) warnings.push(`unknown e_machine ${header.machine}: no Linux vDSO architecture`);

  const byType = (t: number) => sections.filter((s) => s.type === t);
  const linked = (s: SectionHeader, what: string): SectionHeader => {
    const l = sections[s.link];
    if (!l || s.link === 0) throw new InputError(`${what} section ${s.index} links to missing section ${s.link}`, { offset: header.shoff + BigInt(s.index * header.shentsize), field: `sh_link[${s.index}]` });
    return l;
  };

  // .dynamic: prefer PT_DYNAMIC (what the loader uses), else SHT_DYNAMIC.
  const dynamic: DynamicEntry[] = [];
  const dynPh = programs.find((p) => p.type === PT.DYNAMIC);
  const dynSh = byType(SHT.DYNAMIC)[0];
  const dynOff = dynPh ? dynPh.offset : dynSh?.offset;
  const dynSize = dynPh ? dynPh.filesz : dynSh?.size;
  if (dynOff !== undefined && dynSize !== undefined) {
    const ent = bits === 64 ? 16n : 8n;
    r.need(dynOff, dynSize, 'p_offset(PT_DYNAMIC)', 'dynamic section');
    for (let o = dynOff; o + ent <= dynOff + dynSize; o += ent) {
      const tag = r.word(o, bits, 'd_tag');
      const value = r.word(o + ent / 2n, bits, 'd_val');
      if (tag === DT.NULL) break;
      dynamic.push({ tag, name: DT_NAMES.get(tag) ?? `0x${tag.toString(16)}`, value });
    }
  }
  const dynVal = (tag: bigint) => dynamic.find((d) => d.tag === tag)?.value;
  const dynstrSec = byType(SHT.DYNSYM)[0] ? linked(byType(SHT.DYNSYM)[0], 'dynsym') : undefined;
  let soname: string | undefined;
  const sonameOff = dynVal(DT.SONAME);
  if (sonameOff !== undefined) {
    const strtab = dynstrSec ?? stringTableFromDynamic(r, programs, dynVal(DT.STRTAB), dynVal(DT.STRSZ));
    if (strtab) soname = r.cstring(strtab.offset, strtab.size, sonameOff, 'DT_SONAME');
    else warnings.push('DT_SONAME present but no string table found');
  }

  // Version definitions (.gnu.version_d) → index → name.
  const versions: VersionDef[] = [];
  const verdefSec = byType(SHT.VERDEF)[0];
  if (verdefSec) {
    const strtab = linked(verdefSec, 'verdef');
    const maxEntries = Number(verdefSec.size / 20n) + 1;
    let o = verdefSec.offset;
    const end = verdefSec.offset + verdefSec.size;
    for (let n = 0; n < maxEntries; n++) {
      r.need(o, 20n, 'vd_version', 'version definition');
      if (o + 20n > end) throw new InputError('version definition runs past its section', { offset: o, field: 'vd_next' });
      const flags = r.u16(o + 2n, 'vd_flags');
      const index = r.u16(o + 4n, 'vd_ndx');
      const aux = BigInt(r.u32(o + 12n, 'vd_aux'));
      const next = BigInt(r.u32(o + 16n, 'vd_next'));
      const nameOff = BigInt(r.u32(o + aux, 'vda_name'));
      versions.push({ index, flags, name: r.cstring(strtab.offset, strtab.size, nameOff, 'vda_name'), base: (flags & 1) !== 0 });
      if (next === 0n) break;
      if (next < 20n) throw new InputError('version definition chain does not advance (circular)', { offset: o + 16n, field: 'vd_next' });
      o += next;
      if (n === maxEntries - 1) throw new InputError('version definition chain is longer than its section', { offset: o, field: 'vd_next' });
    }
  }
  const versionName = new Map(versions.map((v) => [v.index, v.name]));

  const symbols: ElfSymbol[] = [];
  const versymSec = byType(SHT.VERSYM)[0];
  for (const [secType, table] of [[SHT.DYNSYM, 'dynsym'], [SHT.SYMTAB, 'symtab']] as const) {
    const sec = byType(secType)[0];
    if (!sec) continue;
    const strtab = linked(sec, table);
    const want = bits === 64 ? 24n : 16n;
    const shEntOff = header.shoff + BigInt(sec.index * header.shentsize) + (bits === 64 ? 56n : 36n);
    if (sec.entsize !== want) throw new InputError(`${table} entry size ${sec.entsize} (expected ${want})`, { offset: shEntOff, field: `sh_entsize[${sec.index}]` });
    const count = sec.size / want;
    const useVersym = table === 'dynsym' && versymSec && versymSec.link === sec.index;
    if (useVersym) r.need(versymSec.offset, count * 2n, `sh_size[${versymSec.index}]`, 'version symbol table');
    for (let i = 0n; i < count; i++) {
      const o = sec.offset + i * want;
      const nameOff = BigInt(r.u32(o, 'st_name'));
      let value: bigint; let size: bigint; let info: number; let other: number; let shndx: number;
      if (bits === 64) {
        info = r.u8(o + 4n, 'st_info'); other = r.u8(o + 5n, 'st_other'); shndx = r.u16(o + 6n, 'st_shndx');
        value = r.u64(o + 8n, 'st_value'); size = r.u64(o + 16n, 'st_size');
      } else {
        value = BigInt(r.u32(o + 4n, 'st_value')); size = BigInt(r.u32(o + 8n, 'st_size'));
        info = r.u8(o + 12n, 'st_info'); other = r.u8(o + 13n, 'st_other'); shndx = r.u16(o + 14n, 'st_shndx');
      }
      let name = r.cstring(strtab.offset, strtab.size, nameOff, `st_name[${table}:${i}]`);
      // Section symbols are unnamed; like readelf, show the section's name.
      if (name === '' && (info & 0xf) === 3 && shndx < sections.length) name = sections[shndx].name;
      const sym: ElfSymbol = {
        name,
        value, size, type: symbolTypeName(info & 0xf), bind: symbolBindName(info >> 4),
        visibility: STV_NAMES[other & 3], shndx, table,
      };
      if (useVersym) {
        const vs = r.u16(versymSec.offset + i * 2n, 'versym');
        const idx = vs & 0x7fff;
        if (idx >= 2) {
          const name = versionName.get(idx);
          if (name === undefined) warnings.push(`symbol ${sym.name} has version index ${idx} with no definition`);
          else { sym.version = name; sym.versionDefault = (vs & 0x8000) === 0; }
        }
      }
      symbols.push(sym);
    }
  }

  const notes: ElfNote[] = [];
  // Notes: per SHT_NOTE section, each with its own alignment (as readelf does: one PT_NOTE
  // may hold an 8-aligned .note.gnu.property and a 4-aligned .note, as riscv64 7.2's
  // vdso-cfi.so does); PT_NOTE segments only when there are no section headers.
  const noteAreas = byType(SHT.NOTE).map((s) => ({ off: s.offset, size: s.size, align: s.addralign === 8n ? 8n : 4n }));
  if (noteAreas.length === 0) {
    for (const p of programs.filter((p) => p.type === PT.NOTE)) noteAreas.push({ off: p.offset, size: p.filesz, align: p.align === 8n ? 8n : 4n });
  }
  for (const area of noteAreas) readNotes(r, area.off, area.size, area.align, notes, warnings);
  let kernelVersion: string | undefined;
  let buildId: string | undefined;
  for (const n of notes) {
    if (n.owner === 'Linux' && n.type === 0 && n.desc.length === 4 && kernelVersion === undefined) {
      const code = new DataView(n.desc.buffer, n.desc.byteOffset, 4).getUint32(0, header.endian === 'le');
      // LINUX_VERSION_CODE = a<<16 | b<<8 | min(c, 255); a real one has a ≥ 2.
      if (code >>> 16 >= 2) kernelVersion = `${code >>> 16}.${(code >>> 8) & 0xff}.${code & 0xff}`;
      else warnings.push(`Linux note type 0 holds 0x${code.toString(16)}, not a LINUX_VERSION_CODE`);
    } else if (n.owner === 'GNU' && n.type === NT_GNU_BUILD_ID && buildId === undefined) {
      buildId = Buffer.from(n.desc).toString('hex');
    }
  }

  const unstripped = sections.some((s) => s.type === SHT.SYMTAB || s.name.startsWith('.debug_'));
  const fileSize = BigInt(bytes.length);
  const shEnd = header.shnum > 0 ? header.shoff + BigInt(header.shnum * header.shentsize) : 0n;
  let imageSize: bigint;
  let imageSizeSource: VdsoImage['imageSizeSource'];
  if (unstripped) {
    imageSize = estimateStrippedSize(header, sections);
    imageSizeSource = 'estimated-from-dbg';
  } else if (shEnd > 0n) {
    // The kernel's copy ends with the section header table (what objcopy --strip writes last).
    imageSize = shEnd;
    imageSizeSource = 'section-table-end';
  } else {
    imageSize = fileSize;
    imageSizeSource = 'file-size';
  }

  const dataPageSymbols: DataPageSymbol[] = [];
  for (const s of symbols) {
    if (!DATA_PAGE_SYMBOLS.has(s.name) || dataPageSymbols.some((d) => d.name === s.name)) continue;
    // Link-time values below the text base are negative (two's complement).
    dataPageSymbols.push({ name: s.name, offset: BigInt.asIntN(bits, s.value) });
  }

  return {
    header, machineName, arch: derived?.arch, abi: derived?.abi, programs, sections, dynamic, soname,
    hasHash: dynVal(DT.HASH) !== undefined, hasGnuHash: dynVal(DT.GNU_HASH) !== undefined,
    versions, symbols, notes, kernelVersion, buildId, unstripped, fileSize, imageSize, imageSizeSource,
    dataPageSymbols, warnings,
  };
}

function stringTableFromDynamic(r: ByteReader, programs: ProgramHeader[], addr?: bigint, size?: bigint): { offset: bigint; size: bigint } | undefined {
  if (addr === undefined || size === undefined) return undefined;
  const load = programs.find((p) => p.type === PT.LOAD && addr >= p.vaddr && addr < p.vaddr + p.filesz);
  if (!load) return undefined;
  const offset = addr - load.vaddr + load.offset;
  r.need(offset, size, 'DT_STRTAB', 'dynamic string table');
  return { offset, size };
}

function readNotes(r: ByteReader, off: bigint, size: bigint, align: bigint, out: ElfNote[], warnings: string[]): void {
  // Kernel notes (ELFNOTE) pad name and desc to 4 even in an 8-aligned section; the linker
  // may put padding between input sections (riscv64 7.2 vdso-cfi.so: a 4-aligned build-id,
  // zero padding, an 8-aligned .note.gnu.property, then the Linux note). So: 4-byte padding
  // inside a note, and at a boundary skip to the section alignment when only that offset
  // holds a plausible note header.
  const pad4 = (n: bigint) => (n + 3n) & ~3n;
  const end = off + size;
  const plausible = (o: bigint): boolean => {
    if (o + 12n > end) return false;
    const namesz = BigInt(r.u32(o, 'n_namesz'));
    const descsz = BigInt(r.u32(o + 4n, 'n_descsz'));
    if (namesz === 0n || namesz > 256n || o + 12n + pad4(namesz) + pad4(descsz) > end) return false;
    const name = r.slice(o + 12n, namesz, 'n_name');
    return name[name.length - 1] === 0 && name.subarray(0, -1).every((c) => c >= 0x20 && c < 0x7f);
  };
  let o = off;
  while (o + 12n <= end) {
    if (!plausible(o) && align > 4n) {
      const aligned = (o + align - 1n) & ~(align - 1n);
      if (aligned !== o && plausible(aligned)) o = aligned;
    }
    if (o + 12n > end) return;
    const namesz = BigInt(r.u32(o, 'n_namesz'));
    const descsz = BigInt(r.u32(o + 4n, 'n_descsz'));
    const type = r.u32(o + 8n, 'n_type');
    const nameAt = o + 12n;
    const descAt = nameAt + pad4(namesz);
    const next = descAt + pad4(descsz);
    if (namesz === 0n && descsz === 0n && type === 0) { o += 4n; continue; } // padding
    if (next > end) {
      warnings.push(`note at offset 0x${o.toString(16)} has impossible sizes (namesz ${namesz}, descsz ${descsz}, area ends at 0x${end.toString(16)}); notes after it are skipped`);
      return;
    }
    const nameBytes = r.slice(nameAt, namesz, 'n_name');
    const owner = Buffer.from(nameBytes).toString('latin1').replace(/\0+$/, '');
    out.push({ owner, type, desc: r.slice(descAt, descsz, 'n_desc'), offset: o });
    o = next;
  }
}

/**
 * The size of the stripped image the kernel would embed, for a `.so.dbg`: strip keeps the
 * allocated sections plus a few non-allocated ones (.shstrtab, .comment on some builds) and
 * writes the section header table last. Exact bytes depend on the kernel's strip flags; the
 * page count is what matters (checked against the corpus' stripped twins in the tests).
 */
export function estimateStrippedSize(header: ElfHeader, sections: SectionHeader[]): bigint {
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

