// The layouts structs.ts computes from its declarations, against what a C compiler makes of the
// same structs: sizeof and offsetof(field):sizeof(field), printed by gcc from glibc's <elf.h>
// (whose Elf32_/Elf64_ Ehdr, Phdr, Shdr, Dyn, Sym and Nhdr are those of the kernel's
// include/uapi/linux/elf.h). A wrong type or a wrong ELF64 order moves an offset here.
import { describe, expect, it } from 'vitest';
import { DYN, EHDR, NHDR, PHDR, SHDR, SYM, VERDAUX, VERDEF, VERSYM, type Struct } from '../src/elf/structs.js';

const C: Array<[string, Struct<string>, string, string]> = [
  ['Ehdr', EHDR,
    '52 e_type@16:2 e_machine@18:2 e_version@20:4 e_entry@24:4 e_phoff@28:4 e_shoff@32:4 e_flags@36:4 e_ehsize@40:2 e_phentsize@42:2 e_phnum@44:2 e_shentsize@46:2 e_shnum@48:2 e_shstrndx@50:2',
    '64 e_type@16:2 e_machine@18:2 e_version@20:4 e_entry@24:8 e_phoff@32:8 e_shoff@40:8 e_flags@48:4 e_ehsize@52:2 e_phentsize@54:2 e_phnum@56:2 e_shentsize@58:2 e_shnum@60:2 e_shstrndx@62:2'],
  ['Phdr', PHDR,
    '32 p_type@0:4 p_offset@4:4 p_vaddr@8:4 p_paddr@12:4 p_filesz@16:4 p_memsz@20:4 p_flags@24:4 p_align@28:4',
    '56 p_type@0:4 p_offset@8:8 p_vaddr@16:8 p_paddr@24:8 p_filesz@32:8 p_memsz@40:8 p_flags@4:4 p_align@48:8'],
  ['Shdr', SHDR,
    '40 sh_name@0:4 sh_type@4:4 sh_flags@8:4 sh_addr@12:4 sh_offset@16:4 sh_size@20:4 sh_link@24:4 sh_info@28:4 sh_addralign@32:4 sh_entsize@36:4',
    '64 sh_name@0:4 sh_type@4:4 sh_flags@8:8 sh_addr@16:8 sh_offset@24:8 sh_size@32:8 sh_link@40:4 sh_info@44:4 sh_addralign@48:8 sh_entsize@56:8'],
  ['Dyn', DYN, '8 d_tag@0:4 d_val@4:4', '16 d_tag@0:8 d_val@8:8'],
  ['Sym', SYM,
    '16 st_name@0:4 st_value@4:4 st_size@8:4 st_info@12:1 st_other@13:1 st_shndx@14:2',
    '24 st_name@0:4 st_value@8:8 st_size@16:8 st_info@4:1 st_other@5:1 st_shndx@6:2'],
  ['Verdef', VERDEF,
    '20 vd_version@0:2 vd_flags@2:2 vd_ndx@4:2 vd_cnt@6:2 vd_hash@8:4 vd_aux@12:4 vd_next@16:4',
    '20 vd_version@0:2 vd_flags@2:2 vd_ndx@4:2 vd_cnt@6:2 vd_hash@8:4 vd_aux@12:4 vd_next@16:4'],
  ['Verdaux', VERDAUX, '8 vda_name@0:4 vda_next@4:4', '8 vda_name@0:4 vda_next@4:4'],
  ['Versym', VERSYM, '2 versym@0:2', '2 versym@0:2'],
  ['Nhdr', NHDR, '12 n_namesz@0:4 n_descsz@4:4 n_type@8:4', '12 n_namesz@0:4 n_descsz@4:4 n_type@8:4'],
];

/** "sizeof name@offset:size ..." in the ELF32 declaration order, as the C program printed it. */
function described(s: Struct<string>, bits: 32 | 64, order: string[]): string {
  const { size, fields } = s[bits];
  return [String(size), ...order.map((f) => `${f}@${fields[f].at}:${fields[f].size}`)].join(' ');
}

describe('ELF struct layouts (structs.ts) equal the C layouts', () => {
  for (const [name, s, c32, c64] of C) {
    it(`Elf32_${name} and Elf64_${name}`, () => {
      const order = c32.split(' ').slice(1).map((f) => f.split('@')[0]);
      expect(Object.keys(s[32].fields).sort()).toEqual([...order].sort());
      expect(Object.keys(s[64].fields).sort()).toEqual([...order].sort());
      expect(described(s, 32, order)).toBe(c32);
      expect(described(s, 64, order)).toBe(c64);
      for (const f of order) expect(s[32].fields[f].name).toBe(f);
    });
  }
});
