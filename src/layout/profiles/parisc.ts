import type { ProfileRow } from '../profile-types.js';

// PA-RISC: 32-bit kernels, and 64-bit ones whose userland is 32-bit all the same (compat tasks get
// the vdso32 image). 4K pages: the 16K and 64K choices depend on BROKEN (arch/parisc/Kconfig,
// 5.17-rc5 to 7.1.3). The kernel maps the vDSO .so as linked, with no strip step
// (arch/parisc/kernel/vdso32/Makefile), padded to whole pages by vdso32_wrapper.S.
export const PARISC: ProfileRow[] = [
  {
    id: 'parisc-5.18', family: 'parisc', since: '5.18', pageSizes: [4096], pageSizesComplete: true, defaultPageSize: 4096, embeds: 'unstripped',
    regions: [{ name: '[vdso]', role: 'text', perms: 'r-xp' }],
    layout: 'arch_setup_additional_pages(): vdso_text_len = &vdso32_end - &vdso32_start (vdso64 for a 64-bit task); map_base = mm->mmap_base less 0-31 random pages; vdso_text_start = get_unmapped_area(NULL, map_base, vdso_text_len, 0, 0); _install_special_mapping(mm, vdso_text_start, vdso_text_len, VM_READ|VM_EXEC|VM_MAYREAD|VM_MAYWRITE|VM_MAYEXEC, "[vdso]"); context.vdso_base = vdso_text_start = AT_SYSINFO_EHDR (asm/elf.h ARCH_DLINFO). vdso32_wrapper.S: .balign PAGE_SIZE; .incbin "vdso32.so"; .balign PAGE_SIZE. So one r-xp [vdso] vma of the whole linked .so in pages, and no data vma: parisc has no generic vDSO or data page (no GENERIC_VDSO / GENERIC_GETTIMEOFDAY in arch/parisc/Kconfig, 5.19 to 7.1.3; from 6.12 its time functions are syscall wrappers).',
    read: [
      { release: '5.17.0-rc5 (top Makefile)', repo: 'dunli/linux-5.17', commit: 'a5835cacde99c041fb7d17a65ce72ab6392befb6', file: 'arch/parisc', says: 'no vdso file under arch/parisc; asm/elf.h has no ARCH_DLINFO / AT_SYSINFO_EHDR' },
      { release: '5.18.0-rc1 (top Makefile)', repo: 'torvalds/linux', commit: 'cf5c5763eb531ff5120111ad300126e926fb5a56', file: 'arch/parisc/kernel/vdso.c', says: 'vdso32_mapping = { .name = "[vdso]" }; _install_special_mapping(mm, vdso_text_start, vdso_text_len, VM_READ|VM_EXEC|VM_MAYREAD|VM_MAYWRITE|VM_MAYEXEC, vdso_mapping)' },
      { release: '5.19.0 (top Makefile)', repo: 'yishangzhang/linux-5.19', commit: '4a8550523ce9de6602a52c26c161b4e7992ce34e', file: 'arch/parisc/kernel/vdso32/vdso32_wrapper.S', says: '.balign PAGE_SIZE; vdso32_start: .incbin "arch/parisc/kernel/vdso32/vdso32.so"; .balign PAGE_SIZE; vdso32_end: (vdso32/Makefile links vdso32.so with no strip step)' },
      { release: '7.1.3 (top Makefile)', repo: 'rikudousennin22/linux-7.1.3', commit: '037c6bf47ba7b581c3b798e5220e3746ff6c24f2', file: 'arch/parisc/kernel/vdso.c', says: 'the same: vdso_text_len = &vdso32_end - &vdso32_start; _install_special_mapping(mm, vdso_text_start, vdso_text_len, ...), one "[vdso]" mapping; arch/parisc/Kconfig has no GENERIC_VDSO, PARISC_PAGE_SIZE_4KB the default' },
    ],
    captures: ['samples/qemu/hppa-6.1.176-tinyconfig-console.log'],
    open: 'The 5.18 start rests on 5.17-rc5 (none) and 5.18-rc1 (present): no 5.17 or 5.18 final tree was read. The [vdso] size is the linked .so\'s, debug sections and all: 2424 bytes (one page) in the 6.1.176 boot; a 6.19 vdso32.so built here was 3036 bytes, 6488 with CONFIG_DEBUG_INFO (two pages). No 64-bit userland exists, so the vdso64 mapping of a parisc64 kernel is source-only.',
    source: '"parisc: Add vDSO support" (Helge Deller), 5.18',
  },
];
