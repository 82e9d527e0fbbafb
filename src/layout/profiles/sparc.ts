import { GENERIC_VVAR_ROLES, type ProfileRow } from '../profile-types.js';

// sparc64 (64-bit tasks, and 32-bit tasks as CONFIG_COMPAT, default y): 8 KiB pages only
// (PAGE_SHIFT 13; 7.1 offers HAVE_PAGE_SIZE_8KB alone). 32-bit sparc kernels map no vDSO
// (arch/sparc/Kbuild: obj-$(CONFIG_SPARC64) += vdso/). Both task widths go through one
// map_vdso(): the text first, the data area right below it; AT_SYSINFO_EHDR = mm->context.vdso =
// the start of [vdso] (arch/sparc/include/asm/elf_64.h ARCH_DLINFO, only while vdso_enabled;
// vdso=0 maps neither). The kernel embeds the stripped image (vdso2c, as x86).
const common = { family: 'sparc', pageSizes: [8192], pageSizesComplete: true, defaultPageSize: 8192, embeds: 'stripped' } as const;
const text = { name: '[vdso]', role: 'text', perms: 'r-xp' } as const;

export const SPARC: ProfileRow[] = [
  {
    ...common, id: 'sparc-4.15', since: '4.15', until: '7.1',
    regions: [{ name: '[vvar]', role: 'data', pages: 1, perms: 'r--p', pageRoles: ['data'] }, text],
    layout: 'vdso-layout.lds.S: vvar_start = . -8192; vvar_data = vvar_start ("Page size is 8192 for both 64-bit and 32-bit vdso binaries"; vdso32.lds.S includes it). map_vdso(): addr = get_unmapped_area(image->size - image->sym_vvar_start), plus vdso_addr()\'s random 0-1023 pages; text_start = addr - image->sym_vvar_start; context.vdso = text_start; _install_special_mapping(text_start, image->size, VM_READ|VM_EXEC|VM_MAYREAD|VM_MAYWRITE|VM_MAYEXEC, "[vdso]") then _install_special_mapping(addr, -image->sym_vvar_start, VM_READ|VM_MAYREAD, "[vvar]"). So low->high: a 1-page [vvar] r--p, then [vdso] r-xp. 64-bit tasks map above the VA hole (TASK_UNMAPPED_BASE = sparc64_va_hole_top + 4 GiB: 0xfffff80100000000 on UltraSPARC I/II, 0xfff8000100000000 on T4+), compat tasks top-down below STACK_TOP32.',
    read: [
      { release: '4.15.1 (top Makefile)', repo: 'Kent-Hu/linux-4.15.1', commit: 'ecb8ce09d432dd56d240378fc18ab949513f9de9', file: 'arch/sparc/vdso/vma.c', says: 'vdso_enabled = 1; "[vvar]" and "[vdso]" special mappings; text_start = addr - image->sym_vvar_start; _install_special_mapping(mm, text_start, image->size, VM_READ|VM_EXEC|...) then _install_special_mapping(mm, addr, -image->sym_vvar_start, VM_READ|VM_MAYREAD, &vvar_mapping); the compat task maps vdso_image_32_builtin through the same map_vdso()' },
      { release: '4.15.1 (same tree)', repo: 'Kent-Hu/linux-4.15.1', commit: 'ecb8ce09d432dd56d240378fc18ab949513f9de9', file: 'arch/sparc/vdso/vdso-layout.lds.S', says: 'vvar_start = . -8192; vvar_data = vvar_start' },
      { release: '6.6.17 (top Makefile)', repo: 'terryjwyoon/kernel-6.6.17', commit: '792bf5c6c67d54cf8528cb6d0d98855bf8348548', file: 'arch/sparc/vdso/vdso-layout.lds.S', says: 'vvar_start = . -8192 (the same blob from 5.10.44 through 7.0.0)' },
      { release: '7.0.0-mitosis (top Makefile; a research fork whose arch/sparc, include/vdso and lib/vdso are stock)', repo: 'julianw1010/WASP-linux-7.0.0', commit: 'd0b9a1a6ae15464631005ec307cf61b3dd0d96ff', file: 'arch/sparc/vdso/vdso-layout.lds.S', says: 'vvar_start = . -8192: no generic vDSO (no HAVE_GENERIC_VDSO in arch/sparc/Kconfig)' },
    ],
    captures: ['samples/qemu/sparc64-6.1.176-tinyconfig-console.log'],
    open: 'The 4.15 start rests on the 4.14.5 tree (monkeygq/linux-4.14.5, no arch/sparc/vdso) and the 4.15.1 one; no 4.15-rc tree was read. Oracle UEK4 (4.1.9, oracle/linux-uek) carries an earlier 64-bit-only backport with the same [vvar] + [vdso] pair: a UEK4 kernel is not selected by this row (give --profile sparc-4.15). The [vdso] size is the image\'s: one 8K page in every build read (PT_LOAD 0x8e4-0x1080 bytes).',
    source: 'sparc64 vDSO (Nagarathnam Muthusamy, "sparc64: Add 64-bit vDSO" and the compat vDSO), 4.15',
  },
  {
    ...common, id: 'sparc-7.1', since: '7.1',
    regions: [{ name: '[vvar]', role: 'data', pages: 4, perms: 'r--p', pageRoles: GENERIC_VVAR_ROLES }, text],
    layout: 'Generic vDSO and data store: arch/sparc/include/asm/vdso/vsyscall.h __VDSO_PAGES 4; vdso-layout.lds.S VDSO_VVAR_SYMS (vdso_u_data = . - __VDSO_PAGES * PAGE_SIZE); enum vdso_pages gives VDSO_NR_PAGES 4 (time, timens, rng, arch: the arch page rounds up to one page even without arch data), static_assert(VDSO_NR_PAGES == __VDSO_PAGES). map_vdso(): area = image->size + VDSO_NR_PAGES * PAGE_SIZE; text_start = addr + VDSO_NR_PAGES * PAGE_SIZE; [vdso] installed first, then vdso_install_vvar_mapping(mm, addr) = [vvar] of 4 pages (lib/vdso/datastore.c). So low->high: [vvar] 4 pages r--p, then [vdso].',
    read: [
      { release: '7.1.3 (top Makefile)', repo: 'rikudousennin22/linux-7.1.3', commit: '037c6bf47ba7b581c3b798e5220e3746ff6c24f2', file: 'arch/sparc/vdso/vma.c', says: 'static_assert(VDSO_NR_PAGES == __VDSO_PAGES); area_size = image->size + VDSO_NR_PAGES * PAGE_SIZE; text_start = addr + VDSO_NR_PAGES * PAGE_SIZE; vdso_install_vvar_mapping(mm, addr)' },
      { release: '7.1.3 (same tree)', repo: 'rikudousennin22/linux-7.1.3', commit: '037c6bf47ba7b581c3b798e5220e3746ff6c24f2', file: 'arch/sparc/include/asm/vdso/vsyscall.h', says: '#define __VDSO_PAGES 4' },
    ],
    captures: [],
    open: 'The 7.1 start is read from the 7.0.0 tree (old layout) and the 7.1.3 one (generic store); 7.1.0 itself was not read, nor the 6.x stable series for a backport (6.18.2 and 6.19 have none). No capture of this era.',
    source: '"sparc64: vdso: Switch to the generic vDSO library" (7.1)',
  },
];
