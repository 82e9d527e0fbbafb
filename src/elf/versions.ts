// Symbol versioning: the version definitions (.gnu.version_d) and the per-symbol version
// indexes (.gnu.version) that name them.
import { InputError } from '../errors.js';
import type { ByteReader } from './bytes.js';
import { VERDAUX, VERDEF, VERSYM } from './structs.js';
import type { SectionHeader } from './tables.js';

export interface VersionDef { index: number; flags: number; name: string; base: boolean }

const VER_FLG_BASE = 1;
/** The hidden bit of a versym entry: a non-default (`@`) version. */
const VERSYM_HIDDEN = 0x8000;

/** The chain of Elf_Verdef entries of a SHT_GNU_verdef section, names from its linked string table. */
export function readVersionDefs(r: ByteReader, verdef: SectionHeader, strtab: SectionHeader): VersionDef[] {
  const versions: VersionDef[] = [];
  const { size: entSize, fields: vd } = VERDEF[32];
  const ent = BigInt(entSize);
  const vda = VERDAUX[32].fields;
  const maxEntries = Number(verdef.size / ent) + 1;
  let o = verdef.offset;
  const end = verdef.offset + verdef.size;
  for (let n = 0; n < maxEntries; n++) {
    r.need(o, ent, vd.vd_version.name, 'version definition');
    if (o + ent > end) throw new InputError('version definition runs past its section', { offset: o, field: 'vd_next' });
    const flags = r.num(vd.vd_flags, o);
    const index = r.num(vd.vd_ndx, o);
    const aux = r.big(vd.vd_aux, o);
    const next = r.big(vd.vd_next, o);
    const nameOff = r.big(vda.vda_name, o + aux);
    versions.push({ index, flags, name: r.cstring(strtab.offset, strtab.size, nameOff, 'vda_name'), base: (flags & VER_FLG_BASE) !== 0 });
    if (next === 0n) break;
    if (next < ent) throw new InputError('version definition chain does not advance (circular)', { offset: o + BigInt(vd.vd_next.at), field: 'vd_next' });
    o += next;
    if (n === maxEntries - 1) throw new InputError('version definition chain is longer than its section', { offset: o, field: 'vd_next' });
  }
  return versions;
}

/** The .gnu.version entries of `count` symbols, checked to fit the file. */
export function versymReader(r: ByteReader, versym: SectionHeader, count: bigint): (i: bigint) => { index: number; hidden: boolean } {
  const vs = VERSYM[32];
  r.need(versym.offset, count * BigInt(vs.size), `sh_size[${versym.index}]`, 'version symbol table');
  return (i) => {
    const v = r.num(vs.fields.versym, versym.offset + i * BigInt(vs.size));
    return { index: v & ~VERSYM_HIDDEN, hidden: (v & VERSYM_HIDDEN) !== 0 };
  };
}
