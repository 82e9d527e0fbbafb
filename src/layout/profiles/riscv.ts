import { DATA_TIMENS_ROLES, GENERIC_VVAR_ROLES, type ProfileRow } from '../profile-types.js';

// RISC-V (riscv64, and rv32 compat tasks since 5.19: compat_vdso_info uses the same mapping code and
// names, only the image differs). 4 KiB base pages only. AT_SYSINFO_EHDR = mm->context.vdso = start
// of the [vdso] vma in every era (4.15-5.7: start of the single vma).
// 7.x: CONFIG_RISCV_USER_CFI builds a second image (vdso-cfi.so); vdso_init() picks it boot-wide when
// the hart has Zimop. Same mapping code, same layout; only the image (and maybe its page count) differs.
const common = { family: 'riscv', pageSizes: [4096], defaultPageSize: 4096, embeds: 'stripped' } as const;
const text = { name: '[vdso]', role: 'text', perms: 'r-xp' } as const;

export const RISCV: ProfileRow[] = [
  {
    ...common, id: 'riscv-4.15', since: '4.15', until: '5.8',
    regions: [{ ...text, dataPagesAfter: 1 }],
    layout: 'arch_setup_additional_pages: vdso_len = (vdso_pages + 1) << PAGE_SHIFT; ONE install_special_mapping(mm, vdso_base, vdso_len, VM_READ|VM_EXEC|VM_MAYREAD|VM_MAYWRITE|VM_MAYEXEC, vdso_pagelist) whose last page is the data page (vdso_pagelist[vdso_pages] = virt_to_page(vdso_data)); arch_vma_name returns "[vdso]" for vm_start == context.vdso. So maps prints one r-xp [vdso] vma = text pages + 1 data page above the text; no [vvar]. vdso.lds.S: PROVIDE(_vdso_data = . + PAGE_SIZE).',
    read: [
      { release: '4.15-era RISC-V port (pre-upstream tree; no Makefile at that commit)', repo: 'riscvarchive/riscv-linux', commit: '7a4dc5bdd93aecf0e43a428489395f67bb6b564c', file: 'arch/riscv/kernel/vdso.c', says: 'vdso_len = (vdso_pages + 1) << PAGE_SHIFT; install_special_mapping(mm, vdso_base, vdso_len, VM_READ | VM_EXEC | ...); arch_vma_name: vm_start == context.vdso -> "[vdso]"' },
      { release: '4.19.268 (Android 4.19 tree; Makefile read at 026b4eb8cc0861286cecab5af6d1b61832f072bb)', repo: 'engstk/op8', commit: 'f5e3a970e72c420e1f2f1fb67db9fc0552f8cee3', file: 'arch/riscv/kernel/vdso.c', says: 'same single install_special_mapping of vdso_len = (vdso_pages + 1) pages; only "[vdso]" named' },
    ],
    captures: [],
    open: 'The data page sits inside the r-xp [vdso] vma (last page). AT_SYSINFO_EHDR = vma start. No corpus capture of this era.',
    source: 'RISC-V port (4.15): arch/riscv/kernel/vdso.c; superseded by 01f76386b0ac "riscv: set the permission of vdso_data to read-only" (5.8)',
  },
  {
    ...common, id: 'riscv-5.8', since: '5.8', until: '5.15',
    regions: [text, { name: '[vdso_data]', role: 'data', pages: 1, perms: 'r--p', pageRoles: ['data'], nameOnlyWithTextPages: 1 }],
    layout: 'Two install_special_mapping calls: text (vdso_pages << PAGE_SHIFT, r-x) at vdso_base = context.vdso, then the data page (PAGE_SIZE, VM_READ|VM_MAYREAD) at vdso_base + text. arch_vma_name: vm_start == context.vdso -> "[vdso]"; vm_start == context.vdso + PAGE_SIZE -> "[vdso_data]". vdso.lds.S: PROVIDE(_vdso_data = . + PAGE_SIZE). 5.10.y stays here (the 5.10 stable queue of 11 Oct 2021, i.e. 5.10.73, took only "make arch_setup_additional_pages wait for mmap_sem for write killable", not the move).',
    read: [
      { release: '5.8 merge window (this commit is 01f76386b0ac itself, tag riscv-for-linus-5.8-mw1)', repo: 'torvalds/linux', commit: '01f76386b0ac0b1c1094456c8f43ea6085fc49d2', file: 'arch/riscv/kernel/vdso.c', says: 'install_special_mapping(text, vdso_pages << PAGE_SHIFT); vdso_base += text; install_special_mapping(mm, vdso_base, PAGE_SIZE, VM_READ | VM_MAYREAD, &vdso_pagelist[vdso_pages]); arch_vma_name: context.vdso + PAGE_SIZE -> "[vdso_data]"' },
      { release: '5.14-era out-of-tree compat series (mmap_write_lock_killable, pre-move)', repo: 'sugarfillet/linux', commit: 'a7b7b2d23ca9b11aa4c5f96924740913018d1bec', file: 'arch/riscv/kernel/vdso.c', says: 'same two mappings, text first, data after; "[vdso_data]" at context.vdso + PAGE_SIZE' },
    ],
    captures: [],
    open: 'The data vma is named "[vdso_data]" ONLY when the text is exactly one page: arch_vma_name tests context.vdso + PAGE_SIZE, but the data page is at context.vdso + vdso_pages*PAGE_SIZE. With a 2-page image the data vma prints with no name (and the vDSO reads its data from the wrong page - the bug 78a743cd82a3 fixed). So the row names it only for a 1-page text (nameOnlyWithTextPages); a 1-page image is the usual case (the fix\'s test case had to force a bigger one).',
    source: 'ad5d1122b82f "riscv: use vDSO common flow to reduce the latency of the time-related functions" + 01f76386b0ac "riscv: set the permission of vdso_data to read-only" (5.8)',
  },
  {
    ...common, id: 'riscv-5.15', since: '5.15', until: '5.16', backports: ['5.14.12'],
    regions: [{ name: '[vdso_data]', role: 'data', pages: 1, perms: 'r--p', pageRoles: ['data'] }, text],
    layout: 'enum vvar_pages { VVAR_DATA_PAGE_OFFSET, VVAR_NR_PAGES }; VVAR_SIZE = 1 page (__VVAR_PAGES 1). install_special_mapping(data, vdso_base, VVAR_SIZE, VM_READ|VM_MAYREAD) first, then text at vdso_base + VVAR_SIZE; context.vdso = vdso_base + VVAR_SIZE. arch_vma_name: context.vdso -> "[vdso]", context.vdso - VVAR_SIZE -> "[vdso_data]" (always matches now). vdso.lds.S: PROVIDE(_vdso_data = . - __VVAR_PAGES * PAGE_SIZE).',
    read: [],
    captures: [],
    open: 'Read from the 5.14.12 stable patch ([PATCH 5.14 124/151], upstream 78a743cd82a35ca0724179fc22834f06a2151fc2, in the 5.14.12-rc1 review series of 11 Oct 2021) and the linux-stable-rc post-receive log of that day (queue/5.14 took Refactor asm/vdso.h + Move vdso data page up front; queue/5.10 did not). No stored tree of 5.15.y was read; Ubuntu 22.04 (5.15) riscv64 trees were not found in the index. Mainline: in the RISC-V fixes pull for 5.15-rc.',
    source: '78a743cd82a3 "riscv/vdso: Move vdso data page up front" (5.15; stable 5.14.12)',
  },
  {
    ...common, id: 'riscv-5.16', since: '5.16', until: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: 2, perms: 'r--p', pageRoles: DATA_TIMENS_ROLES }, text],
    layout: 'vm_special_mapping rv_vdso_maps[] = { [vvar] (.fault = vvar_fault), [vdso] (.mremap) }; _install_special_mapping(mm, vdso_base, VVAR_SIZE, VM_READ|VM_MAYREAD|VM_PFNMAP, dm) then text at vdso_base + VVAR_SIZE; enum vvar_pages { VVAR_DATA_PAGE_OFFSET, VVAR_TIMENS_PAGE_OFFSET, VVAR_NR_PAGES } = 2 pages regardless of CONFIG_TIME_NS; BUILD_BUG_ON(VVAR_NR_PAGES != __VVAR_PAGES) with __VVAR_PAGES 2. arch_vma_name removed. rv32 compat (5.19+): rv_compat_vdso_maps with the same names and sizes.',
    read: [
      { release: '5.19-6.0 (compat vdso present, mm->mmap list walk; Makefile not stored at this commit)', repo: 'torvalds/linux', commit: '9599a2e52ef647f300a0b76f77983937e1bebfcb', file: 'arch/riscv/kernel/vdso.c', says: 'enum vvar_pages {VVAR_DATA_PAGE_OFFSET, VVAR_TIMENS_PAGE_OFFSET, VVAR_NR_PAGES}; _install_special_mapping(mm, vdso_base, VVAR_SIZE, ...dm "[vvar]"); vdso_base += VVAR_SIZE; context.vdso = vdso_base; _install_special_mapping(text, cm "[vdso]")' },
    ],
    captures: [],
    open: 'Start boundary read from the patch "[PATCH -next] riscv/vdso: Add support for time namespaces" (1 Sep 2021, after 5.15-rc1 opened -> 5.16): __VVAR_PAGES 1 -> 2, arch_vma_name replaced by named vm_special_mappings. The last tree before 6.15 was seen only as the 6.15 conversion patch\'s removed lines (_install_special_mapping(mm, vdso_base, VVAR_SIZE, ..., &rv_vvar_map); BUILD_BUG_ON(VVAR_NR_PAGES != __VVAR_PAGES)). hwprobe arch data (6.4+) lives inside the data page, no page-count change. Ubuntu 24.04 (6.8) riscv64 tree not found; expected = this row.',
    source: 'dffe11e280a4 "riscv/vdso: Add support for time namespaces" (5.16): __VVAR_PAGES 2',
  },
  {
    ...common, id: 'riscv-6.15', since: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: 4, perms: 'r--p', pageRoles: GENERIC_VVAR_ROLES }, text],
    layout: 'ret = vdso_install_vvar_mapping(mm, vdso_base) (lib/vdso/datastore.c: "[vvar]", VDSO_NR_PAGES * PAGE_SIZE, VM_READ|VM_MAYREAD|VM_IO|VM_DONTDUMP|VM_PFNMAP); BUILD_BUG_ON(VDSO_NR_PAGES != __VDSO_PAGES); text at vdso_base + VVAR_SIZE. include/vdso/datapage.h: enum vdso_pages { TIME, TIMENS, RNG, ARCH_PAGES_START.. ARCH_PAGES_END = START + VDSO_ARCH_DATA_PAGES - 1, VDSO_NR_PAGES }; riscv vdso_arch_data (hwprobe values, ~100 bytes) is 1 page -> 4 pages.',
    read: [
      { release: '6.15+ (generic datastore with VDSO_ARCH_PAGES; Makefile not stored at this commit)', repo: 'torvalds/linux', commit: '0235220807033c7a1dc2a96cc23b6eae0dd11c81', file: 'lib/vdso/datastore.c', says: 'vdso_vvar_mapping = { .name = "[vvar]", .fault = vvar_fault }; vdso_install_vvar_mapping: _install_special_mapping(mm, addr, VDSO_NR_PAGES * PAGE_SIZE, VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP | VM_PFNMAP, ...)' },
    ],
    captures: ['samples/corpus/riscv64-7.2.13+deb14-riscv64/maps-pid1.txt', 'samples/corpus/riscv64-7.2.13+deb14-riscv64/auxv-pid1.txt'],
    open: 'Debian 7.2.13 (NR_CPUS=256, no Zimop under QEMU): [vvar] r--p 0x4000 then [vdso] r-xp 0x2000; AT_SYSINFO_EHDR 0x7fff924dc000 = [vdso] start; the live [vdso] bytes equal vdso.so, not vdso-cfi.so. Whether a Zimop hart gets a 2- or 3-page [vdso] depends on vdso-cfi.so (5784 bytes in Debian 7.2 -> 2 pages).',
    source: '46fe55b204bf "riscv: vdso: Switch to generic storage implementation" (6.15; the tip-bot mail "merged into the timers/vdso branch of tip", Commit-ID 46fe55b204bfb007e0f0a5409dcda063ad98b089, and the 6.15 merge list name it): __VDSO_PAGES 4',
  },
];
