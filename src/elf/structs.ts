// Every ELF structure the reader decodes, as data: one table per structure giving each field's
// offset and size in ELF32 and in ELF64 (as pyelftools' elf/structs.py and Go's debug/elf
// Header32/Header64, Prog32/Prog64... do). The modules read fields by name through these tables
// (ByteReader.num / .big), so an offset is written once, here, and an error names the field.

type FieldSize = 1 | 2 | 4 | 8;
export interface Field { readonly name: string; readonly at: number; readonly size: FieldSize }
/** One structure in one ELF class: its size and its fields. */
export interface Layout<F extends string> { readonly size: number; readonly fields: Readonly<Record<F, Field>> }
/** A structure in both classes. */
export type Struct<F extends string> = Readonly<Record<32 | 64, Layout<F>>>;

type Row = readonly [at32: number, size32: FieldSize, at64: number, size64: FieldSize];

function struct<F extends string>(size32: number, size64: number, rows: Record<F, Row>): Struct<F> {
  const layout = (c: 0 | 1, size: number): Layout<F> => ({
    size,
    fields: Object.fromEntries(Object.entries<Row>(rows).map(([name, row]) => [name, { name, at: row[c * 2], size: row[c * 2 + 1] }])) as Record<F, Field>,
  });
  return { 32: layout(0, size32), 64: layout(1, size64) };
}

/** Elf32_Ehdr / Elf64_Ehdr after e_ident (the 16 identification bytes are read one by one). */
export const EHDR = struct(52, 64, {
  e_type: [16, 2, 16, 2],
  e_machine: [18, 2, 18, 2],
  e_version: [20, 4, 20, 4],
  e_entry: [24, 4, 24, 8],
  e_phoff: [28, 4, 32, 8],
  e_shoff: [32, 4, 40, 8],
  e_flags: [36, 4, 48, 4],
  e_ehsize: [40, 2, 52, 2],
  e_phentsize: [42, 2, 54, 2],
  e_phnum: [44, 2, 56, 2],
  e_shentsize: [46, 2, 58, 2],
  e_shnum: [48, 2, 60, 2],
  e_shstrndx: [50, 2, 62, 2],
});
export type EhdrField = keyof typeof EHDR[32]['fields'];

/** e_ident bytes (same in both classes). */
export const EI = { CLASS: 4, DATA: 5, VERSION: 6, OSABI: 7, ABIVERSION: 8 } as const;

/** Elf32_Phdr / Elf64_Phdr: ELF64 moves p_flags up next to p_type. */
export const PHDR = struct(32, 56, {
  p_type: [0, 4, 0, 4],
  p_offset: [4, 4, 8, 8],
  p_vaddr: [8, 4, 16, 8],
  p_paddr: [12, 4, 24, 8],
  p_filesz: [16, 4, 32, 8],
  p_memsz: [20, 4, 40, 8],
  p_flags: [24, 4, 4, 4],
  p_align: [28, 4, 48, 8],
});
export type PhdrField = keyof typeof PHDR[32]['fields'];

/** Elf32_Shdr / Elf64_Shdr. */
export const SHDR = struct(40, 64, {
  sh_name: [0, 4, 0, 4],
  sh_type: [4, 4, 4, 4],
  sh_flags: [8, 4, 8, 8],
  sh_addr: [12, 4, 16, 8],
  sh_offset: [16, 4, 24, 8],
  sh_size: [20, 4, 32, 8],
  sh_link: [24, 4, 40, 4],
  sh_info: [28, 4, 44, 4],
  sh_addralign: [32, 4, 48, 8],
  sh_entsize: [36, 4, 56, 8],
});
export type ShdrField = keyof typeof SHDR[32]['fields'];

/** Elf32_Dyn / Elf64_Dyn. */
export const DYN = struct(8, 16, {
  d_tag: [0, 4, 0, 8],
  d_val: [4, 4, 8, 8],
});

/** Elf32_Sym / Elf64_Sym: ELF64 moves st_info, st_other and st_shndx in front of st_value. */
export const SYM = struct(16, 24, {
  st_name: [0, 4, 0, 4],
  st_value: [4, 4, 8, 8],
  st_size: [8, 4, 16, 8],
  st_info: [12, 1, 4, 1],
  st_other: [13, 1, 5, 1],
  st_shndx: [14, 2, 6, 2],
});

/** Elf_Verdef (the same in both classes). */
export const VERDEF = struct(20, 20, {
  vd_version: [0, 2, 0, 2],
  vd_flags: [2, 2, 2, 2],
  vd_ndx: [4, 2, 4, 2],
  vd_cnt: [6, 2, 6, 2],
  vd_hash: [8, 4, 8, 4],
  vd_aux: [12, 4, 12, 4],
  vd_next: [16, 4, 16, 4],
});

/** Elf_Verdaux. */
export const VERDAUX = struct(8, 8, {
  vda_name: [0, 4, 0, 4],
  vda_next: [4, 4, 4, 4],
});

/** Elf_Versym: one half-word per .dynsym entry. */
export const VERSYM = struct(2, 2, {
  versym: [0, 2, 0, 2],
});

/** Elf_Nhdr (the same in both classes; the name and desc follow, each padded). */
export const NHDR = struct(12, 12, {
  n_namesz: [0, 4, 0, 4],
  n_descsz: [4, 4, 4, 4],
  n_type: [8, 4, 8, 4],
});
