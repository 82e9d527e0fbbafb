import type { ProfileRow } from '../profile-types.js';
import { OFFSET_IS_START_UNTIL, OFFSET_READS } from './maps-offset.js';

// SuperH (32-bit kernels only): the "vsyscall" page, CONFIG_VSYSCALL (depends on MMU && (CPU_SH3 ||
// CPU_SH4), default y). With an MMU the page sizes are 4K, 8K on X2TLB parts and 64K on SH-4
// (arch/sh/mm/Kconfig, 3.15.5 and 7.1.3); 16K is NOMMU's, and a NOMMU kernel maps no vDSO.
export const SH: ProfileRow[] = [
  {
    id: 'sh-2.6.19', family: 'sh', since: '2.6.19', pageSizes: [4096, 8192, 65536], pageSizesComplete: true, defaultPageSize: 4096, embeds: 'stripped',
    offsetIsStartUntil: OFFSET_IS_START_UNTIL,
    regions: [{ name: '[vdso]', role: 'text', perms: 'r-xp', fixedPages: 1 }],
    layout: 'arch_setup_additional_pages(): addr = get_unmapped_area(NULL, 0, PAGE_SIZE, 0, 0) (bottom-up from TASK_UNMAPPED_BASE = PAGE_ALIGN(0x7c000000 / 3), after ld.so); one page, VM_READ|VM_EXEC|VM_MAYREAD|VM_MAYWRITE|VM_MAYEXEC (by hand in 2.6.19, install_special_mapping from 3.x, _install_special_mapping with .name "[vdso]" from 6.12); context.vdso = addr, which arch_vma_name() names "[vdso]"; AT_SYSINFO_EHDR = VDSO_BASE while vdso_enabled (vdso=0 leaves the page mapped and gives AT_IGNORE). The page holds vsyscall-trapa.so (linked with -s) and zeros: one r-xp [vdso] page, no data vma.',
    read: [
      { release: '2.6.18 (top Makefile)', repo: 'bronson/linux-2.6.18.8-ovz-xen', commit: 'e478bec0ba0a83a48a0f6982934b6de079e7e6b3', file: 'arch/sh/kernel', says: 'no vsyscall directory (tag v2.6.18 of a tree with mainline history)' },
      { release: '2.6.19 (top Makefile)', repo: 'bronson/linux-2.6.18.8-ovz-xen', commit: '0215ffb08ce99e2bb59eca114a99499a4d06e704', file: 'arch/sh/kernel/vsyscall/vsyscall.c', says: 'addr = get_unmapped_area(NULL, 0, PAGE_SIZE, 0, 0); vma->vm_end = addr + PAGE_SIZE; vma->vm_flags = VM_READ|VM_EXEC|VM_MAYREAD|VM_MAYEXEC|VM_MAYWRITE; arch_vma_name(): vm_start == context.vdso -> "[vdso]" (tag v2.6.19)' },
      { release: '7.1.3 (top Makefile)', repo: 'rikudousennin22/linux-7.1.3', commit: '037c6bf47ba7b581c3b798e5220e3746ff6c24f2', file: 'arch/sh/kernel/vsyscall/vsyscall.c', says: 'vdso_mapping = { .name = "[vdso]" }; addr = get_unmapped_area(NULL, 0, PAGE_SIZE, 0, 0); _install_special_mapping(mm, addr, PAGE_SIZE, VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC, &vdso_mapping); arch_vma_name() kept; Makefile: vsyscall-flags = -shared -s' },
      ...OFFSET_READS,
    ],
    captures: ['samples/qemu/sh4-6.1.176-tinyconfig-console.log'],
    open: 'The page is mapped whatever the image\'s size (fixedPages: the check holds [vdso] to one page with or without an image); an image over one page (none seen) would be cut short, and says so as a warning.',
    source: '"sh: Initial vsyscall page support" (Paul Mundt, 19f9a34f87c4), 2.6.19',
  },
];
