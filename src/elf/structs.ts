// Every ELF structure the reader decodes, as data, in the spirit of pyelftools' elf/structs.py:
// each structure is declared once, as its members in order with their ELF types
// (include/uapi/linux/elf.h, glibc <elf.h> for Verdef/Verdaux/Versym), and the ELF class decides
// what a type is (Elf32_Addr is 4 bytes, Elf64_Addr 8). Offsets and sizes are computed from that,
// laid out as a C compiler lays out the header's struct. The modules read fields by name through
// these layouts (ByteReader.num / .big), so an error names the field.

type FieldSize = 1 | 2 | 4 | 8;
export interface Field { readonly name: string; readonly at: number; readonly size: FieldSize }
/** One structure in one ELF class: its size and its fields. */
export interface Layout<F extends string> { readonly size: number; readonly fields: Readonly<Record<F, Field>> }
/** A structure in both classes. */
export type Struct<F extends string> = Readonly<Record<32 | 64, Layout<F>>>;

/**
 * The ELF types: size in ELF32, size in ELF64. ELF32 has no (S)Xword: where ELF64 has one
 * (sh_flags, p_filesz, st_size, d_tag, d_val...) ELF32 has a (S)Word, as pyelftools'
 * Elf_xword/Elf_sxword are. Signed fields are read unsigned, as they always were (d_tag is
 * only compared with DT_* constants).
 */
const TYPES = {
  uchar: [1, 1], half: [2, 2], word: [4, 4], addr: [4, 8], off: [4, 8], xword: [4, 8], sxword: [4, 8],
} as const satisfies Record<string, readonly [FieldSize, FieldSize]>;
/** unsigned char e_ident[EI_NIDENT]: laid out, not a field (its bytes are read one by one, EI). */
const EI_NIDENT = 16;
type Member = keyof typeof TYPES | 'ident';
type Fields<M> = { [K in keyof M]: M[K] extends 'ident' ? never : K }[keyof M] & string;

/**
 * A structure from its members in ELF32 order; `order64` where ELF64 orders them otherwise
 * (Elf64_Phdr and Elf64_Sym move their small fields forward so the words pack without holes).
 */
function struct<const M extends Record<string, Member>>(members: M, order64?: readonly Fields<M>[]): Struct<Fields<M>> {
  const names = Object.keys(members) as Array<keyof M & string>;
  const idents = names.filter((n) => members[n] === 'ident');
  const order = order64 ? [...idents, ...order64] : names;
  if (order.length !== names.length || new Set(order).size !== names.length) throw new Error(`ELF64 order ${order.join(' ')} is not a permutation of ${names.join(' ')}`);
  const layout = (bits: 32 | 64, sequence: ReadonlyArray<keyof M & string>): Layout<Fields<M>> => {
    const fields: Record<string, Field> = {};
    let at = 0;
    let align = 1;
    for (const name of sequence) {
      const type = members[name];
      if (type === 'ident') { at += EI_NIDENT; continue; }
      const size = TYPES[type as keyof typeof TYPES][bits === 64 ? 1 : 0];
      at = Math.ceil(at / size) * size; // each member on its natural alignment, as in C
      align = Math.max(align, size);
      fields[name] = { name, at, size };
      at += size;
    }
    return { size: Math.ceil(at / align) * align, fields: fields as Record<Fields<M>, Field> };
  };
  return { 32: layout(32, names), 64: layout(64, order) };
}

/** Elf32_Ehdr / Elf64_Ehdr. */
export const EHDR = struct({
  e_ident: 'ident', e_type: 'half', e_machine: 'half', e_version: 'word', e_entry: 'addr', e_phoff: 'off', e_shoff: 'off',
  e_flags: 'word', e_ehsize: 'half', e_phentsize: 'half', e_phnum: 'half', e_shentsize: 'half', e_shnum: 'half', e_shstrndx: 'half',
});
export type EhdrField = keyof typeof EHDR[32]['fields'];

/** e_ident bytes (same in both classes). */
export const EI = { CLASS: 4, DATA: 5, VERSION: 6, OSABI: 7, ABIVERSION: 8 } as const;

/** Elf32_Phdr / Elf64_Phdr: ELF64 moves p_flags up next to p_type. */
export const PHDR = struct(
  { p_type: 'word', p_offset: 'off', p_vaddr: 'addr', p_paddr: 'addr', p_filesz: 'xword', p_memsz: 'xword', p_flags: 'word', p_align: 'xword' },
  ['p_type', 'p_flags', 'p_offset', 'p_vaddr', 'p_paddr', 'p_filesz', 'p_memsz', 'p_align'],
);
export type PhdrField = keyof typeof PHDR[32]['fields'];

/** Elf32_Shdr / Elf64_Shdr. */
export const SHDR = struct({
  sh_name: 'word', sh_type: 'word', sh_flags: 'xword', sh_addr: 'addr', sh_offset: 'off',
  sh_size: 'xword', sh_link: 'word', sh_info: 'word', sh_addralign: 'xword', sh_entsize: 'xword',
});
export type ShdrField = keyof typeof SHDR[32]['fields'];

/** Elf32_Dyn / Elf64_Dyn (d_val stands for the d_un union; d_ptr is the same bytes). */
export const DYN = struct({ d_tag: 'sxword', d_val: 'xword' });

/** Elf32_Sym / Elf64_Sym: ELF64 moves st_info, st_other and st_shndx in front of st_value. */
export const SYM = struct(
  { st_name: 'word', st_value: 'addr', st_size: 'xword', st_info: 'uchar', st_other: 'uchar', st_shndx: 'half' },
  ['st_name', 'st_info', 'st_other', 'st_shndx', 'st_value', 'st_size'],
);

/** Elf_Verdef (the same in both classes). */
export const VERDEF = struct({ vd_version: 'half', vd_flags: 'half', vd_ndx: 'half', vd_cnt: 'half', vd_hash: 'word', vd_aux: 'word', vd_next: 'word' });

/** Elf_Verdaux. */
export const VERDAUX = struct({ vda_name: 'word', vda_next: 'word' });

/** Elf_Versym: one half-word per .dynsym entry. */
export const VERSYM = struct({ versym: 'half' });

/** Elf_Nhdr (the same in both classes; the name and desc follow, each padded). */
export const NHDR = struct({ n_namesz: 'word', n_descsz: 'word', n_type: 'word' });
