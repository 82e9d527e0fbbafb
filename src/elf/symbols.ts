// The symbol tables (.dynsym, and .symtab in a .so.dbg), with each dynamic symbol's version, and
// the data-page symbols among them.
import { InputError } from '../errors.js';
import type { ByteReader } from './bytes.js';
import { SHT, STV_NAMES, symbolBindName, symbolTypeName } from './constants.js';
import { SHDR, SYM } from './structs.js';
import { linkedSection, type ElfHeader, type SectionHeader } from './tables.js';
import { versymReader, type VersionDef } from './versions.js';

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

/** A symbol that tells where the vDSO data pages sit relative to the text base. */
export interface DataPageSymbol { name: string; offset: bigint }

/** Data-page symbols the vDSO linker scripts define (vdso.lds.S / vdso-layout.lds.S of each arch, include/vdso/datapage.h). */
const DATA_PAGE_SYMBOLS = new Set([
  'vvar_start', 'vvar_page', 'hpet_page', 'timens_page', 'pvclock_page', 'hvclock_page', 'vclock_pages',
  '_vdso_data', '_timens_data', '_vdso_rng_data', '_loongarch_data', '_vdso_datapage',
  'vdso_u_data', 'vdso_u_time_data', 'vdso_u_rng_data', 'vdso_u_arch_data', '__vdso_u_timens_data',
  '__kernel_datapage_offset', 'vdso_rng_data',
]);

const STT_SECTION = 3;

/** Every entry of the first SHT_DYNSYM and the first SHT_SYMTAB section, in that order. */
export function readSymbols(r: ByteReader, header: ElfHeader, sections: SectionHeader[], versions: VersionDef[], warnings: string[]): ElfSymbol[] {
  const symbols: ElfSymbol[] = [];
  const bits = header.class;
  const sym = SYM[bits];
  const f = sym.fields;
  const want = BigInt(sym.size);
  const versionName = new Map(versions.map((v) => [v.index, v.name]));
  const versymSec = sections.find((s) => s.type === SHT.VERSYM);
  for (const [secType, table] of [[SHT.DYNSYM, 'dynsym'], [SHT.SYMTAB, 'symtab']] as const) {
    const sec = sections.find((s) => s.type === secType);
    if (!sec) continue;
    const strtab = linkedSection(header, sections, sec, table);
    if (sec.entsize !== want) {
      const at = header.shoff + BigInt(sec.index * header.shentsize) + BigInt(SHDR[bits].fields.sh_entsize.at);
      throw new InputError(`${table} entry size ${sec.entsize} (expected ${want})`, { offset: at, field: `sh_entsize[${sec.index}]` });
    }
    const count = sec.size / want;
    const versym = table === 'dynsym' && versymSec && versymSec.link === sec.index ? versymReader(r, versymSec, count) : undefined;
    for (let i = 0n; i < count; i++) {
      const o = sec.offset + i * want;
      const nameOff = r.big(f.st_name, o);
      const info = r.num(f.st_info, o);
      const other = r.num(f.st_other, o);
      const shndx = r.num(f.st_shndx, o);
      let name = r.cstring(strtab.offset, strtab.size, nameOff, `st_name[${table}:${i}]`);
      // Section symbols are unnamed; like readelf, show the section's name.
      if (name === '' && (info & 0xf) === STT_SECTION && shndx < sections.length) name = sections[shndx].name;
      const s: ElfSymbol = {
        name, value: r.big(f.st_value, o), size: r.big(f.st_size, o), type: symbolTypeName(info & 0xf), bind: symbolBindName(info >> 4),
        visibility: STV_NAMES[other & 3], shndx, table,
      };
      if (versym) {
        const v = versym(i);
        if (v.index >= 2) {
          const vname = versionName.get(v.index);
          if (vname === undefined) warnings.push(`symbol ${s.name} has version index ${v.index} with no definition`);
          else { s.version = vname; s.versionDefault = !v.hidden; }
        }
      }
      symbols.push(s);
    }
  }
  return symbols;
}

/** The data-page symbols, first of each name, as signed offsets from the text base. */
export function dataPageSymbols(symbols: ElfSymbol[], bits: 32 | 64): DataPageSymbol[] {
  const found: DataPageSymbol[] = [];
  for (const s of symbols) {
    if (!DATA_PAGE_SYMBOLS.has(s.name) || found.some((d) => d.name === s.name)) continue;
    // Link-time values below the text base are negative (two's complement).
    found.push({ name: s.name, offset: BigInt.asIntN(bits, s.value) });
  }
  return found;
}
