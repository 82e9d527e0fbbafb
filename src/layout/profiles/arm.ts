import { GENERIC_VVAR_ROLES, type NeighbourSpec, type ProfileRow, type SourceRead } from '../profile-types.js';

// 32-bit ARM kernels (armhf/armel, LPAE or not: the LPAE variant maps the same pages — corpus armmp-lpae).
// arch_setup_additional_pages() (arch/arm/kernel/process.c) reserves ONE area of 1 + vdso_total_pages pages
// with get_unmapped_area(hint = sigpage_addr(), a random page above the stack), maps "[sigpage]" at its
// start and calls arm_install_vdso(mm, addr + PAGE_SIZE): "[vvar]" there, "[vdso]" after it. So the
// cluster always reads [sigpage][vvar][vdso], contiguous, usually above [stack]. The vectors page at
// 0xffff0000 is the gate vma (CONFIG_KUSER_HELPERS), named "[vectors]" by arch_vma_name() and printed last.

const vectors: NeighbourSpec = {
  name: '[vectors]', pages: 1, perms: ['r-xp'], placement: 'fixed', at: 0xffff0000n, optional: true,
  note: 'gate vma at 0xffff0000 (CONFIG_KUSER_HELPERS), named by arch_vma_name(), printed last; absent without kuser helpers',
};
const sigpage: NeighbourSpec = {
  name: '[sigpage]', pages: 1, perms: ['r-xp'], placement: 'adjacent-below', optional: false,
  note: 'arch_setup_additional_pages maps [sigpage] at the start of one get_unmapped_area(1 + vdso_total_pages) and the vdso at addr + PAGE_SIZE (arch/arm/kernel/process.c)',
};
const text = { name: '[vdso]', role: 'text', perms: 'r-xp' } as const;
const common = { family: 'arm', pageSizes: [4096], defaultPageSize: 4096, embeds: 'stripped', neighbours: [sigpage, vectors] } as const;

const R = {
  wr48vdso: {
    release: '4.8.x (repository WindRiver-Labs/kernel-4.8.x; Makefile not stored at this commit)', repo: 'WindRiver-Labs/kernel-4.8.x',
    commit: '062948331255738725a5821fbaa4c8499c8e3966', file: 'arch/arm/kernel/vdso.c',
    says: 'vdso_data_mapping { .name = "[vvar]" }, vdso_text_mapping { .name = "[vdso]" }; vdso_total_pages = 1 (data/vvar) + text_pages; install_vvar(): _install_special_mapping(addr, PAGE_SIZE, VM_READ|VM_MAYREAD, [vvar]); arm_install_vdso(): addr += PAGE_SIZE; len = (vdso_total_pages - 1) << PAGE_SHIFT; [vdso] r-x; mm->context.vdso = addr',
  },
  wr48process: {
    release: '4.8.x (repository WindRiver-Labs/kernel-4.8.x; Makefile not stored at this commit)', repo: 'WindRiver-Labs/kernel-4.8.x',
    commit: '3ad5b114a79ba6855570ecc9054ef5cea4236056', file: 'arch/arm/kernel/process.c',
    says: 'npages = 1 (sigpage) + vdso_total_pages; hint = sigpage_addr(mm, npages) (random page between the stack top and TASK_SIZE); addr = get_unmapped_area(NULL, hint, npages << PAGE_SHIFT); _install_special_mapping(addr, PAGE_SIZE, r-x, "[sigpage]"); arm_install_vdso(mm, addr + PAGE_SIZE); gate_vma 0xffff0000 (CONFIG_KUSER_HELPERS), arch_vma_name → "[vectors]"',
  },
  gregkh: {
    release: '≥ 5.8 by content ("mmap_lock" comment, generic-vDSO clock_getres nullpatch); Makefile not stored at this commit', repo: 'gregkh/linux',
    commit: '08a70e02c36d604fcdba298d4fd774390e317c9e', file: 'arch/arm/kernel/vdso.c',
    says: 'vdso_total_pages = 1 /* for the data/vvar page */ + text_pages; install_vvar(): _install_special_mapping(addr, PAGE_SIZE, VM_READ|VM_MAYREAD, [vvar]); addr += PAGE_SIZE; [vdso] (vdso_total_pages - 1) pages — unchanged by the generic-vDSO conversion, no time-namespace page',
  },
  kingVdso: {
    release: '6.17-rc (Kingxukai/linux; its Makefile at 9b44fff… says 6.17.0-rc4; not stored at this commit)', repo: 'Kingxukai/linux',
    commit: '0291023e7330da28f2f7453c87c2ab7082d8360f', file: 'arch/arm/kernel/vdso.c',
    says: 'static_assert(__VDSO_PAGES == VDSO_NR_PAGES); vdso_total_pages = VDSO_NR_PAGES /* data/vvar pages */ + text_pages; arm_install_vdso(): vdso_install_vvar_mapping(mm, addr); addr += VDSO_NR_PAGES * PAGE_SIZE; len = (vdso_total_pages - VDSO_NR_PAGES) << PAGE_SHIFT; [vdso]',
  },
  kingProcess: {
    release: '6.17-rc (as above)', repo: 'Kingxukai/linux', commit: '0291023e7330da28f2f7453c87c2ab7082d8360f', file: 'arch/arm/kernel/process.c',
    says: 'unchanged: npages = 1 + vdso_total_pages; hint = sigpage_addr(); one get_unmapped_area; [sigpage] at addr; arm_install_vdso(mm, addr + PAGE_SIZE); gate_vma "[vectors]" at 0xffff0000 under CONFIG_KUSER_HELPERS',
  },
  kingDatapage: {
    release: '6.17-rc (as above)', repo: 'Kingxukai/linux', commit: '0291023e7330da28f2f7453c87c2ab7082d8360f', file: 'include/vdso/datapage.h',
    says: 'enum vdso_pages { TIME, TIMENS, RNG, ARCH_PAGES_START, ARCH_PAGES_END = START + VDSO_ARCH_DATA_PAGES - 1, VDSO_NR_PAGES }; arm has no arch data → dummy struct vdso_arch_data rounds to 1 page → VDSO_NR_PAGES = 4',
  },
  kingDatastore: {
    release: '6.17-rc (as above)', repo: 'Kingxukai/linux', commit: '0291023e7330da28f2f7453c87c2ab7082d8360f', file: 'lib/vdso/datastore.c',
    says: 'vdso_install_vvar_mapping(): _install_special_mapping(addr, VDSO_NR_PAGES * PAGE_SIZE, VM_READ|VM_MAYREAD|VM_IO|VM_DONTDUMP|VM_PFNMAP|VM_SEALED_SYSMAP, "[vvar]")',
  },
} satisfies Record<string, SourceRead>;

export const ARM: ProfileRow[] = [
  {
    ...common, id: 'arm-4.1', since: '4.1', until: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: 1, perms: 'r--p', pageRoles: ['data'] }, text],
    layout: 'one get_unmapped_area(1 + 1 + text pages) above the stack (sigpage_addr hint): [sigpage] at addr, install_vvar() "[vvar]" PAGE_SIZE r--p at addr + PAGE_SIZE, "[vdso]" r-xp at addr + 2 pages; mm->context.vdso = AT_SYSINFO_EHDR = [vdso] start. vdso.lds.S: _vdso_data = . - VDSO_DATA_SIZE (one page). No time-namespace page on arm (no GENERIC_VDSO_TIME_NS).',
    read: [R.wr48vdso, R.wr48process, R.gregkh],
    captures: [
      'samples/corpus/armhf-5.10.0-32-armmp/maps-pid1.txt',
      'samples/corpus/armhf-6.1.0-50-armmp/maps-pid1.txt',
      'samples/corpus/armhf-6.1.0-50-armmp-lpae/maps-pid1.txt',
    ],
    open: 'No 4.1 tree was read (earliest read: 4.8.x); the 4.1 start is the release that merged the ARM VDSO series (Nathan Lynch, 2015). With CONFIG_VDSO=n (or if vdso_init failed) only [sigpage] is mapped and there is no [vvar]/[vdso]. On CPUs without a usable arch timer the vDSO is still mapped (only its symbols are nulled).',
    source: 'ARM VDSO series (Nathan Lynch, 4.1): arch/arm/kernel/vdso.c arm_install_vdso() + arch/arm/kernel/process.c',
  },
  {
    ...common, id: 'arm-6.15', since: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: 4, perms: 'r--p', pageRoles: GENERIC_VVAR_ROLES }, text],
    layout: 'generic data store: vdso_total_pages = VDSO_NR_PAGES (4) + text; vdso_install_vvar_mapping() "[vvar]" 4 * PAGE_SIZE r--p at addr + PAGE_SIZE, "[vdso]" at + 4 pages; [sigpage] still first in the same reservation.',
    read: [R.kingVdso, R.kingProcess, R.kingDatapage, R.kingDatastore],
    captures: ['samples/corpus/armhf-7.2.13+deb14-armmp/maps-pid1.txt'],
    source: '31e9fa2ba9ad "arm: vdso: Switch to generic storage implementation" (6.15): __VDSO_PAGES 4, install_vvar() → vdso_install_vvar_mapping()',
  },
];
