import { DATA_TIMENS_ROLES, GENERIC_VVAR_ROLES, type ProfileRow } from '../profile-types.js';
import { OFFSET_IS_START_UNTIL, OFFSET_READS } from './maps-offset.js';

// powerpc embeds the *unstripped* image (vdso64_wrapper.S / vdso32_wrapper.S .incbin the .so.dbg, then
// .balign PAGE_SIZE), so the text part of [vdso] spans the whole .dbg file rounded up to PAGE_SIZE.
// Corpus: ppc64el 5.10.262 embedded vdso64.so is byte-identical to dbg/vdso64.dbg.so (sha256 59503bda…).
// Page sizes: 4K and 64K (ppc64), 16K (8xx, 44x) and 256K (44x PPC_256K_PAGES) on ppc32.
const common = {
  family: 'powerpc',
  pageSizes: [4096, 16384, 65536, 262144],
  defaultPageSize: 65536,
  embeds: 'unstripped',
} as const;

/** 6.13/6.14 (and 6.12.110+ stable): base page (arch data: syscall maps, cache info, tb freq, rng data),
 *  then the time page, then the timens page (c39b1dcf055d, enum vvar_pages BASE/TIME/TIMENS). */
const BASE_TIME_TIMENS_ROLES = ['arch', 'time', 'timens'] as const;

export const POWERPC: ProfileRow[] = [
  {
    ...common, id: 'powerpc-2.6.12', since: '2.6.12', until: '2.6.18',
    offsetIsStartUntil: OFFSET_IS_START_UNTIL,
    regions: [{ role: 'text', perms: 'r-xp', dataPagesAfter: 1 }],
    layout:
      'one vma built by hand (vm_ops nopage) of (vdso_pages + 1) pages: the image pages, then the data page ' +
      '(systemcfg) last ("Last page is systemcfg"); no arch_vma_name() yet, so /proc/PID/maps prints the vma ' +
      'with no name; AT_SYSINFO_EHDR = thread.vdso_base = vma start. ppc64 only until the ppc/ppc64 merge ' +
      '(2.6.15, arch/powerpc/kernel/vdso.c, which adds vdso32 for ppc32 with the same shape).',
    read: [
      {
        release: 'pre-2.6.15 (arch/ppc64 tree; top Makefile not stored at this commit)',
        repo: 'torvalds/linux', commit: '2fc2991175bf77395e6b15fe6b2304d3bf72da40',
        file: 'arch/ppc64/kernel/vdso.c',
        says: 'vma->vm_end = vma->vm_start + ((vdso_pages + 1) << PAGE_SHIFT) ("systemcfg is mapped in the last one"); ' +
          'nopage: if ((vma->vm_end - address) <= PAGE_SIZE) pg = virt_to_page(systemcfg); no arch_vma_name',
      },
      ...OFFSET_READS,
    ],
    captures: [],
    open:
      'First release not read from a tree: the ppc64 vDSO (LINUX_2.6.15 version node came later) appeared in ' +
      'early 2005 (2.6.11 or 2.6.12); 2.6.12 is assumed. The name appears only from 2.6.18 (arch_vma_name, see next row).',
    source: 'Benjamin Herrenschmidt, ppc64 vDSO (arch/ppc64/kernel/vdso.c, 2005)',
  },
  {
    ...common, id: 'powerpc-2.6.18', since: '2.6.18', until: '5.11',
    offsetIsStartUntil: OFFSET_IS_START_UNTIL,
    regions: [{ name: '[vdso]', role: 'text', perms: 'r-xp', dataPagesAfter: 1 }],
    layout:
      'one vma of (vdso_pages + 1) pages: image pages then the data page ("Add a page to the vdso size for the ' +
      'data page"; install_special_mapping() from 2.6.2x); named "[vdso]" by arch_vma_name() when vm_start == ' +
      'mm->context.vdso_base; AT_SYSINFO_EHDR = vdso_base = vma start. The image exports __kernel_datapage_offset, ' +
      'patched at boot to (vdso_pages << PAGE_SHIFT) - sym, i.e. the page after the image. vdso_base is aligned to ' +
      'VDSO_ALIGNMENT (64K) from the 4.x era on (address only, not shape).',
    read: [
      {
        release: '2.6.18.8 (OpenVZ/Xen tree; release from the repository name)',
        repo: 'bronson/linux-2.6.18.8-ovz-xen', commit: '9435a3ea2ab07922ae7a6eb41015fc2b5b744cd5',
        file: 'arch/powerpc/kernel/vdso.c',
        says: 'vdso_pages ++ ("Add a page to the vdso size for the data page"); vma->vm_end = vm_start + (vdso_pages << PAGE_SHIFT); ' +
          'arch_vma_name(): vma->vm_start == vma->vm_mm->context.vdso_base ? "[vdso]"',
      },
      {
        release: '4.18.0 (RHEL 8 tree; Makefile VERSION 4 PATCHLEVEL 18 SUBLEVEL 0, RHEL_DRM 5.14.21)',
        repo: 'Seneca-CDOT/dynaccel-kernel-4.18.0', commit: 'b46dec7a12c624f234c4eaf9826796fb04113860',
        file: 'arch/powerpc/kernel/vdso.c',
        says: 'install_special_mapping(mm, vdso_base, vdso_pages << PAGE_SHIFT, …, vdso_pagelist) after vdso_pages++; ' +
          'current->mm->context.vdso_base = vdso_base; arch_vma_name() as above; VDSO_ALIGNMENT (1 << 16)',
      },
      {
        release: 'pre-5.11 (VDSO64_LBASE era; Makefile not stored at this commit)',
        repo: 'torvalds/linux', commit: '20c7775aecea04d8ca322039969d49dcf568e0e9',
        file: 'arch/powerpc/kernel/vdso64/vdso64.lds.S',
        says: '. = VDSO64_LBASE + SIZEOF_HEADERS; global __kernel_datapage_offset ("Has to be there for the kernel to find"); no _vdso_datapage symbol',
      },
      ...OFFSET_READS,
    ],
    captures: [
      'samples/corpus/ppc64el-5.10.262-vdsocorpus-ppc64le/maps-pid1.txt',
      'samples/corpus/ppc64el-5.10.262-vdsocorpus-ppc64le/auxv-pid1.txt',
    ],
    source: '"[PATCH] powerpc vdso updates" (Benjamin Herrenschmidt, 2006-05-30, "2.6.18 material"): context.vdso_base + arch_vma_name()',
  },
  {
    ...common, id: 'powerpc-5.11', since: '5.11', until: '5.12.3',
    regions: [{ name: '[vdso]', role: 'text', perms: 'r-xp', dataPagesBefore: 1 }],
    layout:
      'one vma of vdso_size + PAGE_SIZE, named "[vdso]" by its vm_special_mapping (c1bab64360e6 replaced ' +
      'arch_vma_name()); pagelist[0] = the data page, pagelist[i + 1] = image page i, so the data page is the ' +
      'FIRST page of [vdso]; mm->context.vdso = vdso_base + PAGE_SIZE, so AT_SYSINFO_EHDR points one page into ' +
      'the vma; vdso_mremap() accepts only new_size == text_size + PAGE_SIZE. _vdso_datapage = . - PAGE_SIZE.',
    read: [
      {
        release: '5.13 merge window (the commit that ends this layout; its parent is the 5.11/5.12 code)',
        repo: 'torvalds/linux', commit: '1c4bce6753857dc409a0197342d18764e7f4b741',
        file: 'arch/powerpc/kernel/vdso.c',
        says: 'after the split: vvar_size = PAGE_SIZE; mm->context.vdso = vdso_base + vvar_size; [vvar] then [vdso]. ' +
          'The diff of this commit (stable mails "[PATCH 5.12 305/384]", and Dmitry Safonov 2021-03-26) shows the ' +
          'removed 5.11/5.12 code: "vdso_size += PAGE_SIZE", "pagelist[0] = virt_to_page(vdso_data)", ' +
          '"pagelist[i + 1] = …", "mm->context.vdso = (void __user *)vdso_base + PAGE_SIZE"',
      },
    ],
    captures: [],
    open:
      'No 5.11.0/5.12.0 tree is stored; the 5.11 code is read from the "-" side of the 1c4bce675385 diff as sent ' +
      'to stable (both 5.11.y and 5.12.y carried it). CRIU issue #1417 (ppc64le 5.11.x) shows the symptom. ' +
      'The unnamed-[vdso] state of the brief is the dropped v8 series (July 2020), never a release.',
    source: '511157ab641e "powerpc/vdso: Move vdso datapage up front" (5.11), with c1bab64360e6 "powerpc/vdso: Move to _install_special_mapping() and remove arch_vma_name()" (5.11)',
  },
  {
    ...common, id: 'powerpc-5.12.3-stable', since: '5.12.3', until: '5.13', backports: ['5.11.20'],
    regions: [
      { name: '[vvar]', role: 'data', pages: 1, perms: 'r--p', pageRoles: ['data'] },
      { name: '[vdso]', role: 'text', perms: 'r-xp' },
    ],
    layout:
      'stable-only layout (never in a mainline release): 1c4bce675385 without the 5.13 time-namespace page: ' +
      '_install_special_mapping(vdso_base, vvar_size = PAGE_SIZE, VM_READ|VM_MAYREAD|VM_IO|VM_DONTDUMP|VM_PFNMAP, ' +
      '"[vvar]") then (vdso_base + vvar_size, vdso_size, "[vdso]"); AT_SYSINFO_EHDR = [vdso] start.',
    read: [
      {
        release: '5.13 merge window (upstream commit as backported)',
        repo: 'torvalds/linux', commit: '1c4bce6753857dc409a0197342d18764e7f4b741',
        file: 'arch/powerpc/kernel/vdso.c',
        says: 'unsigned long vvar_size = PAGE_SIZE; vvar_setup_pages(): pagelist[0] = virt_to_page(vdso_data); two _install_special_mapping() calls, [vvar] first',
      },
    ],
    captures: [],
    open:
      'Stable releases read from kernel.org stable-rc push mails, not trees: linux-5.12.y push 2021-05-12 (5.12.3 ' +
      'queue, "[PATCH 5.12 305/384] powerpc/vdso: Separate vvar vma from vdso", commit 437f5335…/f486ef7e…) and ' +
      'linux-5.11.y push 2021-05-11 ending "Linux 5.11.20-rc2" containing 4448dfe436d1. That the final 5.11.20 and ' +
      '5.12.3 kept it was not checked against a tree. Distribution 5.11/5.12 kernels built from earlier stable ' +
      'releases show the powerpc-5.11 layout.',
    source: '1c4bce675385 "powerpc/vdso: Separate vvar vma from vdso" (upstream 5.13, "Cc: stable # v5.11"), stable 5.11.20 and 5.12.3',
  },
  {
    ...common, id: 'powerpc-5.13', since: '5.13', until: '6.13',
    regions: [
      { name: '[vvar]', role: 'data', pages: 2, perms: 'r--p', pageRoles: DATA_TIMENS_ROLES },
      { name: '[vdso]', role: 'text', perms: 'r-xp' },
    ],
    layout:
      'enum vvar_pages { VVAR_DATA_PAGE_OFFSET, VVAR_TIMENS_PAGE_OFFSET, VVAR_NR_PAGES } (unconditional; only the ' +
      'fault handler depends on CONFIG_TIME_NS); vvar_size = VVAR_NR_PAGES * PAGE_SIZE; [vvar] (vvar_fault) then ' +
      '[vdso] at vdso_base + vvar_size; mm->context.vdso = [vdso] start = AT_SYSINFO_EHDR; ' +
      'PROVIDE(_vdso_datapage = . - 2 * PAGE_SIZE).',
    read: [
      {
        release: 'unknown (≥6.1-era API: VMA_ITERATOR, zap_page_range; a mainline 6.1/6.2 or a RHEL 9 backport)',
        repo: 'ctrliq/kernel-src-tree', commit: '12ad438523f4d2ed350ab045a0d0194384047af3',
        file: 'arch/powerpc/kernel/vdso.c',
        says: 'enum vvar_pages {VVAR_DATA_PAGE_OFFSET, VVAR_TIMENS_PAGE_OFFSET, VVAR_NR_PAGES}; vvar_size = VVAR_NR_PAGES * PAGE_SIZE; ' +
          '_install_special_mapping(mm, vdso_base, vvar_size, …, &vvar_spec) then (vdso_base + vvar_size, vdso_size, …, vdso_spec)',
      },
      {
        release: '5.13–6.12 era (Makefile not stored at this commit)',
        repo: 'torvalds/linux', commit: '2b1333b80885b896807ffb6ccf4bc21d29aa65e0',
        file: 'arch/powerpc/kernel/vdso/vdso64.lds.S',
        says: 'PROVIDE(_vdso_datapage = . - 2 * PAGE_SIZE)',
      },
      {
        release: '6.x before 6.13 (asm/vdso/page.h include; Makefile not stored at this commit)',
        repo: 'linuxppc/linux-snowpatch', commit: '0d548523e0f77ce3b44908b7f5ebbf393eb39782',
        file: 'arch/powerpc/kernel/vdso/vdso64.lds.S',
        says: 'PROVIDE(_vdso_datapage = . - 2 * PAGE_SIZE)',
      },
    ],
    captures: [
      'samples/corpus/ppc64el-6.1.0-50-powerpc64le/maps-pid1.txt',
      'samples/corpus/ppc64el-6.1.0-50-powerpc64le/auxv-pid1.txt',
      'samples/corpus/ppc64el-6.12.95+deb12-powerpc64le-64k/maps-pid1.txt',
      'samples/corpus/ppc64el-6.12.95+deb12-powerpc64le-64k/auxv-pid1.txt',
    ],
    open:
      '6.12.y from 6.12.110 on carries c39b1dcf055d (3 pages): see powerpc-6.13 backports. No 5.13.0 tree read; ' +
      'the 2-page count at 5.13 rests on 74205b3fc2ef being merged with 1c4bce675385 for 5.13 (powerpc-5.13 shortlog) ' +
      'and on the 6.1/6.12 captures (_vdso_datapage = -0x20000 at 64K).',
    source: '1c4bce675385 "powerpc/vdso: Separate vvar vma from vdso" + 74205b3fc2ef "powerpc/vdso: Add support for time namespaces" (5.13)',
  },
  {
    ...common, id: 'powerpc-6.13', since: '6.13', until: '6.15', backports: ['6.12.110'],
    regions: [
      { name: '[vvar]', role: 'data', pages: 3, perms: 'r--p', pageRoles: BASE_TIME_TIMENS_ROLES },
      { name: '[vdso]', role: 'text', perms: 'r-xp' },
    ],
    layout:
      'enum vvar_pages { VVAR_BASE_PAGE_OFFSET, VVAR_TIME_PAGE_OFFSET, VVAR_TIMENS_PAGE_OFFSET, VVAR_NR_PAGES } ' +
      '(3, unconditional); vdso_data_store is 2 pages (struct vdso_data data[] __aligned(PAGE_SIZE) moved to the ' +
      'second page); PROVIDE(_vdso_datapage = . - 3 * PAGE_SIZE); [vvar] then [vdso], AT_SYSINFO_EHDR = [vdso] start.',
    read: [],
    captures: [],
    open:
      'No 6.13/6.14 tree is stored. Read from the patch ("[PATCH 1/2] powerpc/vdso: Add a page for non-time data", ' +
      '2024-10-02, lds "- 2 * PAGE_SIZE" → "- 3 * PAGE_SIZE"), the powerpc-6.13-1 pull (lists it) and the 6.15 ' +
      'generic-storage patch, whose "-" side is "_vdso_datapage = . - 3 * PAGE_SIZE". Stable: linux-6.12.y ' +
      'stable-rc push 2026-09-11 ending "Linux 6.12.110-rc1" contains 8531212ecd54 "powerpc/vdso: Add a page for ' +
      'non-time data"; the final 6.12.110 release was not checked. 6.12.95 (corpus) still has 2 pages.',
    source: 'c39b1dcf055d "powerpc/vdso: Add a page for non-time data" (6.13); stable 6.12.110 (8531212ecd54)',
  },
  {
    ...common, id: 'powerpc-6.15', since: '6.15',
    regions: [
      { name: '[vvar]', role: 'data', pages: 4, perms: 'r--p', pageRoles: GENERIC_VVAR_ROLES },
      { name: '[vdso]', role: 'text', perms: 'r-xp' },
    ],
    layout:
      'vdso_install_vvar_mapping(mm, vdso_base) maps VDSO_NR_PAGES (time, timens, rng, arch; ' +
      'static_assert(__VDSO_PAGES == VDSO_NR_PAGES)), vvar_size = VDSO_NR_PAGES * PAGE_SIZE; VDSO_VVAR_SYMS in the ' +
      'lds (vdso_u_data = . - 4 pages); [vdso] at vdso_base + vvar_size = AT_SYSINFO_EHDR. The arch page holds ' +
      'vdso_arch_data (syscall maps, cache geometry, tb_ticks_per_sec) and fits one page at 4K and 64K.',
    read: [],
    captures: [
      'samples/corpus/ppc64el-7.2.13+deb14-powerpc64le/maps-pid1.txt',
      'samples/corpus/ppc64el-7.2.13+deb14-powerpc64le/auxv-pid1.txt',
    ],
    open:
      'No 6.15+ tree stored for arch/powerpc/kernel/vdso.c; read from the generic-storage patch (tip timers/vdso, ' +
      'merged for 6.15) and confirmed by the 7.2 capture: [vvar] 0x4000 at 4K; vdso_u_time_data -0x4000, ' +
      'vdso_u_rng_data -0x2000, vdso_u_arch_data -0x1000. 64K-page 6.15+ not captured.',
    source: '223970df2bff "powerpc/vdso: Switch to generic storage implementation" (6.15)',
  },
];
