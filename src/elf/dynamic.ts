// The dynamic section: its entries up to DT_NULL, and the soname they name.
import type { ByteReader } from './bytes.js';
import { DT, DT_NAMES, PT } from './constants.js';
import { DYN } from './structs.js';
import type { ElfHeader, ProgramHeader, SectionHeader } from './tables.js';

export interface DynamicEntry { tag: bigint; name: string; value: bigint }

/** The entries of PT_DYNAMIC (what the loader uses), else of the SHT_DYNAMIC section, up to DT_NULL. */
export function readDynamic(r: ByteReader, header: ElfHeader, programs: ProgramHeader[], dynamicSection: SectionHeader | undefined): DynamicEntry[] {
  const dynamic: DynamicEntry[] = [];
  const dynPh = programs.find((p) => p.type === PT.DYNAMIC);
  const off = dynPh ? dynPh.offset : dynamicSection?.offset;
  const size = dynPh ? dynPh.filesz : dynamicSection?.size;
  if (off === undefined || size === undefined) return dynamic;
  const dyn = DYN[header.class];
  const ent = BigInt(dyn.size);
  r.need(off, size, 'p_offset(PT_DYNAMIC)', 'dynamic section');
  for (let o = off; o + ent <= off + size; o += ent) {
    const tag = r.big(dyn.fields.d_tag, o);
    const value = r.big(dyn.fields.d_val, o);
    if (tag === DT.NULL) break;
    dynamic.push({ tag, name: DT_NAMES.get(tag) ?? `0x${tag.toString(16)}`, value });
  }
  return dynamic;
}

export const dynamicValue = (dynamic: DynamicEntry[], tag: bigint): bigint | undefined => dynamic.find((d) => d.tag === tag)?.value;

/**
 * DT_SONAME's string, from the dynamic symbols' string table (`dynstr`, the section .dynsym links
 * to) or else the one DT_STRTAB/DT_STRSZ place in a PT_LOAD.
 */
export function readSoname(r: ByteReader, programs: ProgramHeader[], dynamic: DynamicEntry[], dynstr: SectionHeader | undefined, warnings: string[]): string | undefined {
  const sonameOff = dynamicValue(dynamic, DT.SONAME);
  if (sonameOff === undefined) return undefined;
  const strtab = dynstr ?? stringTableFromDynamic(r, programs, dynamicValue(dynamic, DT.STRTAB), dynamicValue(dynamic, DT.STRSZ));
  if (strtab) return r.cstring(strtab.offset, strtab.size, sonameOff, 'DT_SONAME');
  warnings.push('DT_SONAME present but no string table found');
  return undefined;
}

function stringTableFromDynamic(r: ByteReader, programs: ProgramHeader[], addr?: bigint, size?: bigint): { offset: bigint; size: bigint } | undefined {
  if (addr === undefined || size === undefined) return undefined;
  const load = programs.find((p) => p.type === PT.LOAD && addr >= p.vaddr && addr < p.vaddr + p.filesz);
  if (!load) return undefined;
  const offset = addr - load.vaddr + load.offset;
  r.need(offset, size, 'DT_STRTAB', 'dynamic string table');
  return { offset, size };
}
