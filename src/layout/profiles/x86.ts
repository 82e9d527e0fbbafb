import { GENERIC_VVAR_ROLES, VCLOCK_ROLES, type NeighbourSpec, type ProfileRow } from '../profile-types.js';
import { OFFSET_IS_START_UNTIL, OFFSET_READS } from './maps-offset.js';

// x86: x86_64, x32 and i386 (native and ia32 compat) share one linker script
// (arch/x86/vdso/vdso-layout.lds.S, arch/x86/entry/vdso/ from 4.2, entry/vdso/common/ in 7.x)
// and, from 3.16 on, one map_vdso(); so one table serves all three ABIs.

const vsyscall: NeighbourSpec = {
  name: '[vsyscall]', pages: 1, perms: ['r-xp', '--xp'], placement: 'fixed', at: 0xffffffffff600000n, optional: true,
  tasks: ['x86_64'],
  note: 'gate vma (arch/x86/entry/vsyscall/vsyscall_64.c get_gate_vma), printed last: gate_vma.vm_flags VM_READ|VM_EXEC = r-xp '
    + '(native/emulate); map_vsyscall() sets VM_EXEC only in vsyscall=xonly (5.3+, the Kconfig default since) = --xp; '
    + 'get_gate_vma() returns NULL with vsyscall=none (Debian\'s default: absent) and for tasks without MM_CONTEXT_HAS_VSYSCALL '
    + '(ia32 compat: never shown to 32-bit tasks). Corpus: amd64-5.10 +vsyscall=emulate r-xp; this build machine 6.18 --xp.',
};
const text = { name: '[vdso]', role: 'text', perms: 'r-xp' } as const;
const common = { family: 'x86', pageSizes: [4096], defaultPageSize: 4096, embeds: 'stripped', neighbours: [vsyscall] } as const;

export const X86: ProfileRow[] = [
  {
    ...common, id: 'x86-2.6.18', since: '2.6.18', until: '2.6.23',
    // x86_64 64-bit tasks have no vDSO yet: the only vma maps prints as [vdso] is the vsyscall gate.
    regions: [{ name: '[vdso]', role: 'text', perms: '---p' }],
    neighbours: [],
    layout: 'x86_64 before 2aae950b21e4: no vDSO for 64-bit tasks. The vsyscall area is the gate vma (arch/x86_64/mm/init.c: '
      + 'static struct vm_area_struct gate_vma = { .vm_start = VSYSCALL_START, .vm_end = VSYSCALL_END, .vm_page_prot = '
      + 'PAGE_READONLY } -- no vm_flags, so maps prints ---p), appended last by m_start()/m_next() (get_gate_vma()). x86_64 '
      + 'has no arch_vma_name() yet (the weak one returns NULL), and fs/proc/task_mmu.c show_map_internal() names an '
      + 'anonymous vma with no mm "[vdso]": so the gate prints as "ffffffffff600000-ffffffffffe00000 ---p 00000000 00:00 0 '
      + '[vdso]" (VSYSCALL_START -10 MiB .. VSYSCALL_END -2 MiB: 8 MiB). get_gate_vma() returns NULL for TIF_IA32 tasks.',
    read: [
      { release: '2.6.18.8 OpenVZ/Xen (from the repository name; Makefile not read)', repo: 'bronson/linux-2.6.18.8-ovz-xen', commit: '5e4ff14b6b6392c367492d233537e851edeac13c', file: 'arch/x86_64/mm/init.c', says: 'gate_vma = { .vm_start = VSYSCALL_START, .vm_end = VSYSCALL_END, .vm_page_prot = PAGE_READONLY } (no vm_flags); get_gate_vma(): NULL for TIF_IA32, else &gate_vma; no arch_vma_name()' },
      { release: '2.6.18.8 (same tree)', repo: 'bronson/linux-2.6.18.8-ovz-xen', commit: '5e4ff14b6b6392c367492d233537e851edeac13c', file: 'fs/proc/task_mmu.c', says: 'show_map_internal(): name = arch_vma_name(vma); if (!name) { if (mm) { [heap] / [stack] } else { name = "[vdso]"; } }; m_start() returns get_gate_vma() as the tail vma' },
    ],
    captures: [],
    open: 'VSYSCALL_END (-2UL << 20) is from include/asm-x86_64/vsyscall.h, not stored in that tree (the 8 MiB span is what '
      + 'RHEL 5 pastes show). i386 tasks of this era (a 32-bit kernel) DO have a real one-page r-xp [vdso] (2.6.18 i386 '
      + 'vDSO randomization): this row does not describe them; bare they fit x86-2.6, with --kernel 2.6.18-2.6.22 they fail '
      + 'perms. The 2.6.23 vDSO patch (Andi Kleen, "Add vDSO for x86-64", posted 17 Nov 2006) adds arch_vma_name() with '
      + 'vma == &gate_vma -> "[vsyscall]" and vm_start == context.vdso -> "[vdso]"; RHEL 5 (2.6.18-*.el5) kept this row\'s '
      + 'gate naming. Tasks with MM-less gate and no vDSO can carry no AT_SYSINFO_EHDR: an image or aux vector does not apply.',
    source: '2.6.18 fs/proc/task_mmu.c names an MM-less vma "[vdso]"; x86_64 gate_vma without vm_flags (until 2aae950b21e4, 2.6.23)',
  },
  {
    ...common, id: 'x86-2.6', since: '2.6.23', until: '3.15',
    offsetIsStartUntil: OFFSET_IS_START_UNTIL,
    // i386 and ia32 tasks: install_special_mapping(mm, addr, PAGE_SIZE, …) in vdso32-setup.c
    // (2.6.29, read below): one page whatever the image, until 3.15's vdso32 rework.
    regions: [{ ...text, fixedPages: 1, fixedPagesTasks: ['i386'] }],
    layout: 'No data vma: the vDSO text is one install_special_mapping() vma named by arch_vma_name() ("[vdso]" when '
      + 'vm_start == mm->context.vdso). The linker script defines no vvar symbols; 64-bit time data (vsyscall_gtod_data, '
      + 'later VVAR()) lives in the kernel fixmap/vsyscall area, which is not a per-process vma. AT_SYSINFO_EHDR = mm->context.vdso '
      + '= start of [vdso]; i386/ia32 AT_SYSINFO = the __kernel_vsyscall entry inside it.',
    read: [
      { release: 'pre-3.15 x86_64/i386 tree (inferred: ". = VDSO_PRELINK + SIZEOF_HEADERS" script; Makefile not stored at this commit)', repo: 'tinyclub/tinylinux', commit: '88c8584c0acf0a744e4e935b5c8028376f305779', file: 'arch/x86/vdso/vdso-layout.lds.S', says: '. = VDSO_PRELINK + SIZEOF_HEADERS; … .text — no vvar_*/hpet_page symbols, text only' },
      { release: '3.x before 3.15 (inferred: ". = SIZEOF_HEADERS", no vvar symbols)', repo: 'benji-cannot-code/fast-vc-linux-benchmark-run-3', commit: '14e6f2cf18a2868e1b7d7d70647d8162484b2b26', file: 'arch/x86/vdso/vdso-layout.lds.S', says: 'text-only script, last state before the 3.15 vdso32 time-support rework' },
      { release: '3.10.0 vz7 (RHEL 7 base; Makefile not read)', repo: 'OpenVZ/vzkernel', commit: '500fece383797b5bd0c8e60e364fe8f72731be89', file: 'arch/x86/vdso/vma.c', says: 'setup_additional_pages(): one install_special_mapping(mm, addr, size, VM_READ|VM_EXEC|…, pages); context.vdso = addr; no data mapping' },
      { release: '2.6.29 (top Makefile)', repo: 'BillZPage/linux-2.6.29', commit: '44925f2e0c216036e08f07a459ece64a804ac022', file: 'arch/x86/vdso/vdso32-setup.c', says: 'arch_setup_additional_pages(): ret = install_special_mapping(mm, addr, PAGE_SIZE, VM_READ|VM_EXEC|VM_MAYREAD|VM_MAYWRITE|VM_MAYEXEC|VM_ALWAYSDUMP, vdso32_pages): a 32-bit task\'s [vdso] is one page' },
      ...OFFSET_READS,
    ],
    captures: [],
    open: 'x86_64 64-bit tasks only have a [vdso] from 2.6.23 (2aae950b21e4 "x86_64: Add vDSO for x86-64 with '
      + 'gettimeofday/clock_gettime/getcpu"); before that the gate vma printed as [vdso] (x86-2.6.18). i386 with vdso=2/CONFIG_COMPAT_VDSO maps the vDSO at '
      + 'the fixed 0xffffe000 gate area instead of a randomized vma. Before a62c34bd2a8a (3.16) the name came from '
      + 'arch_vma_name(), so an mremap()ed vDSO lost its "[vdso]" name. Start boundary 2.6.18 (i386 vDSO moved into a '
      + 'randomized vma) is not re-read here.',
    source: '2aae950b21e4 x86_64 vDSO (2.6.23; also names the gate "[vsyscall]"); i386: 2.6.18 vDSO randomization (vdso32 as a per-process vma)',
  },
  {
    ...common, id: 'x86-3.15', since: '3.15', until: '3.16',
    regions: [
      // Every i386 task (a 32-bit kernel's, or ia32 compat) gets it; x86_64 and x32 tasks none.
      { role: 'data', pages: 2, perms: 'r--p', tasks: ['i386'], pageRoles: ['hpet', 'vvar'] },
      text,
    ],
    layout: '32-bit vDSO only (i386 and ia32 compat via vdso32-setup.c): get_unmapped_area(vdso32_size + VDSO_OFFSET('
      + 'VDSO_PREV_PAGES)); addr += 2 pages; [vdso] = install_special_mapping(addr, vdso32_size); then an UNNAMED '
      + '_install_special_mapping(addr - 2 pages, 2 pages, VM_READ) with vvar at addr - 1 page and hpet at addr - 2 pages '
      + '(asm/vdso32.h VDSO_VVAR_PAGE 1, VDSO_HPET_PAGE 2, VDSO_PREV_PAGES 2). 64-bit and x32 tasks: [vdso] only, as in 2.6.',
    read: [
      { release: '3.15 (inferred: asm/vdso32.h exists only in 3.15; Makefile not stored at this commit)', repo: 'torvalds/linux', commit: 'cebeb0f1885fa93c44be5d4e0b9b640210ff088c', file: 'arch/x86/include/asm/vdso32.h', says: 'VDSO_BASE_PAGE 0, VDSO_VVAR_PAGE 1, VDSO_HPET_PAGE 2, VDSO_PAGES 3, VDSO_PREV_PAGES 2, VDSO_OFFSET(x) ((x) * PAGE_SIZE)' },
      { release: '3.15.5 (top Makefile: VERSION 3, PATCHLEVEL 15, SUBLEVEL 5; a research tree\'s "Base" import, vdso code unchanged)', repo: 'pradeep0605/CS736_Eager_paging_linux-3.15.5', commit: 'a9bdf583266c5a5dcf5c1ce4130d40b3662be78b', file: 'arch/x86/vdso/vdso32-setup.c', says: 'arch_setup_additional_pages(): returns early only for TIF_X32 (x32_setup_additional_pages) or vdso_enabled != 1; else install_special_mapping(addr, vdso32_size, r-x) then, unconditionally, _install_special_mapping(addr - VDSO_OFFSET(VDSO_PREV_PAGES), VDSO_OFFSET(VDSO_PREV_PAGES), VM_READ, no_pages); on CONFIG_X86_64 it is #defined syscall32_setup_pages, which asm/elf.h makes compat_arch_setup_additional_pages (fs/compat_binfmt_elf.c)' },
      { release: '3.15.5 (same tree)', repo: 'pradeep0605/CS736_Eager_paging_linux-3.15.5', commit: 'a9bdf583266c5a5dcf5c1ce4130d40b3662be78b', file: 'arch/x86/vdso/vma.c', says: 'setup_additional_pages() (64-bit and x32 tasks): one install_special_mapping(addr, size, r-x); no data vma (the 64-bit vvar is a fixmap page, asm/vvar.h VVAR_ADDRESS)' },
    ],
    captures: [],
    open: 'The unnamed data vma is 32-bit tasks\' only: every i386 task has it (a 32-bit kernel\'s, and ia32 compat), x86_64 '
      + 'and x32 tasks have none. Without an image a compat capture is taken for an i386 task; an x32 task of this era '
      + 'checked without its image fails vvar-missing (a false fail, never a false pass). The name column is empty '
      + '(pre-a62c34bd2a8a special mappings have no name and arch_vma_name() only names context.vdso).',
    source: '3.15 "x86, vdso: Add 32 bit VDSO time support for 32 bit kernel" (Stefani Seibold) and follow-ups',
  },
  {
    ...common, id: 'x86-3.16', since: '3.16', until: '3.17',
    regions: [text, { name: '[vvar]', role: 'data', pages: 2, perms: 'r--p', pageRoles: ['vvar', 'hpet'] }],
    layout: 'vdso2c era, data AFTER the text: vdso-layout.lds.S ends with ". = ALIGN(PAGE_SIZE); vvar_page = .; … . = '
      + 'vvar_page + PAGE_SIZE; hpet_page = .; . = . + PAGE_SIZE; end_mapping = ."; map_vdso(): addr = '
      + 'get_unmapped_area(image->sym_end_mapping); context.vdso = addr; [vdso] = _install_special_mapping(addr, '
      + 'image->size, r-x); [vvar] = _install_special_mapping(addr + image->size, sym_end_mapping - image->size, VM_READ, '
      + '"[vvar]"). So low->high: [vdso], then a 2-page [vvar] (vvar, hpet) directly above it. AT_SYSINFO_EHDR = [vdso] start.',
    read: [
      { release: '3.16.0 (top Makefile: VERSION 3, PATCHLEVEL 16, SUBLEVEL 0)', repo: 'jyizheng/linux-3.16', commit: '82df2fe423b2b673a3721391d0a4ecd7018cddb6', file: 'arch/x86/vdso/vdso-layout.lds.S', says: 'after .text/.altinstr_replacement: ". = ALIGN(PAGE_SIZE); vvar_page = .; … hpet_page = .; . = . + PAGE_SIZE; . = ALIGN(PAGE_SIZE); end_mapping = ."' },
      { release: '3.16.0 (same tree)', repo: 'jyizheng/linux-3.16', commit: '82df2fe423b2b673a3721391d0a4ecd7018cddb6', file: 'arch/x86/vdso/vma.c', says: 'map_vdso(): addr = get_unmapped_area(NULL, addr, image->sym_end_mapping, 0, 0); context.vdso = addr; _install_special_mapping(mm, addr, image->size, …) then _install_special_mapping(mm, addr + image->size, …, &vvar_mapping "[vvar]")' },
      { release: '3.16-rc (same script; Makefile not stored at this commit)', repo: 'torvalds/linux', commit: '02b5a6031ba7a8cbfde5d65ff9e13ecdbc4a92ca', file: 'arch/x86/vdso/vdso-layout.lds.S', says: '. = ALIGN(PAGE_SIZE); vvar_page = .; … hpet_page = .; . = . + PAGE_SIZE; end_mapping = .' },
    ],
    captures: [],
    open: 'Ubuntu 14.04 HWE 3.16.0-<ABI>-generic kernels keep this layout (pastes in samples/pastes show [vdso] 2 pages '
      + 'directly below [vvar] 2 pages; see x86-ubuntu-3.16). In the 3.16.y stable series the data moved in front (x86-3.17) '
      + 'at a sublevel not located here (by 3.16.54, when x86-4.5\'s pvclock backport took over): a 3.16.1-3.16.53 kernel '
      + 'with the data in front fails "order" against this row (a false fail, never a false pass).',
    source: '6f121e548f83 "x86, vdso: Reimplement vdso.so preparation in build-time C" and a62c34bd2a8a "x86, mm: Improve '
      + '_install_special_mapping and fix x86 vdso naming" (3.16)',
  },
  {
    ...common, id: 'x86-3.17', since: '3.17', until: '4.5',
    regions: [{ name: '[vvar]', role: 'data', pages: 2, perms: 'r--p', pageRoles: ['vvar', 'hpet'] }, text],
    layout: 'vdso2c era, all ABIs through map_vdso(): vvar_start = . - 2 * PAGE_SIZE; vvar_page = vvar_start; '
      + 'hpet_page = vvar_start + PAGE_SIZE. text_start = addr - image->sym_vvar_start; [vdso] installed first at text_start, '
      + 'then [vvar] (vm_special_mapping "[vvar]", -sym_vvar_start bytes, VM_READ|VM_MAYREAD) at addr. The hpet page is '
      + 'reserved even without an HPET (only io_remap_pfn_range()d if hpet_address). AT_SYSINFO_EHDR = text_start.',
    read: [
      { release: '3.18.19 (top Makefile: VERSION 3, PATCHLEVEL 18, SUBLEVEL 19)', repo: 'xienli/cairo_cleasis_kernel', commit: 'a3a46321e7398d1cbc4e93dfa3e303247a929b96', file: 'arch/x86/vdso/vdso-layout.lds.S', says: '"User/kernel shared data is before the vDSO": vvar_start = . - 2 * PAGE_SIZE; vvar_page = vvar_start; hpet_page = vvar_start + PAGE_SIZE; then . = SIZEOF_HEADERS' },
      { release: '4.4.167 (Ubuntu xenial side of a conflicted merge; Makefile HEAD: 4.4.167)', repo: 'gyhlearner/ubuntu-xenial', commit: '73a40094d2a32d688174e2930ab03a003d62a006', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'HEAD side: vvar_start = . - 3 * PAGE_SIZE; hpet_page = +1 page; pvclock_page = +2 pages (the 4.4.y pvclock backport on top of this row\'s 2-page layout)' },
    ],
    captures: [],
    open: 'The 3.17 start is the merge of e6577a7ce99a for 3.17 (3.16.0 itself has the data after the text: x86-3.16); no '
      + '3.17.0 tree was stored, 3.18.19 is the oldest release read with the data in front. The 3.16.y stable series had '
      + 'the front layout by 3.16.54 (pre-image of the 3.16.54-rc1 review patch of dac16fba6fc5: "-\tvvar_start = . - 2 * '
      + 'PAGE_SIZE; … hpet_page = vvar_start + PAGE_SIZE"); the 3.16.y sublevel that took e6577a7ce99a was not located. '
      + 'Stable series that later changed: 3.16.54+ and 4.4.110+ '
      + '(x86-4.5), 4.4.190+ (x86-4.7); other 3.17–4.3 stable series (3.18.y, 4.1.y) were not checked for the pvclock backport.',
    source: 'e6577a7ce99a "x86_64,vdso: Move the vvar area before the vdso text" (3.17)',
  },
  {
    ...common, id: 'x86-4.5', since: '4.5', until: '4.7', backports: ['3.16.54', '4.4.110'],
    regions: [{ name: '[vvar]', role: 'data', pages: 3, perms: 'r--p', pageRoles: ['vvar', 'hpet', 'pvclock'] }, text],
    layout: 'vvar_start = . - 3 * PAGE_SIZE; vvar_page = vvar_start; hpet_page = vvar_start + PAGE_SIZE; pvclock_page = '
      + 'vvar_start + 2 * PAGE_SIZE (pvclock moved from the fixmap into the vvar vma). Mapping as in x86-3.17.',
    read: [
      { release: '4.5/4.6 (inferred: entry/vdso path, fake section table, hpet_page and pvclock_page; Makefile not stored at this commit)', repo: 'torvalds/linux', commit: '245f0db0de926601353776085e6f6a4c974c5615', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 3 * PAGE_SIZE; vvar_page = vvar_start; hpet_page = vvar_start + PAGE_SIZE; pvclock_page = vvar_start + 2 * PAGE_SIZE' },
      { release: '4.4.167 (Ubuntu xenial; Makefile HEAD side)', repo: 'gyhlearner/ubuntu-xenial', commit: '73a40094d2a32d688174e2930ab03a003d62a006', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'HEAD: vvar_start = . - 3 * PAGE_SIZE; hpet_page = vvar_start + PAGE_SIZE; pvclock_page = vvar_start + 2 * PAGE_SIZE' },
      { release: '4.4.x Synology (sublevel not determinable: Makefile stored only at another commit)', repo: 'yingziwu/synology-linux', commit: '6ee444295618d3aabfb05f1df4299e06b3e44cff', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 3 * PAGE_SIZE; hpet_page = +1 page; pvclock_page = +2 pages' },
    ],
    captures: [],
    open: 'Backport sublevels: 3.16.54 is from Ben Hutchings\' "[PATCH 3.16 131/136] x86/vdso: Get pvclock data from the vvar '
      + 'VMA instead of the fixmap" (3.16.54-rc1 review, "[bwh: Backported to 3.16: adjust filenames]"); 4.4.110 is inferred '
      + '(the patch sits among the 4.4.110 KPTI/KAISER patches in the UEK4 changelog, and 4.4.190\'s HPET-removal backport '
      + 'shows the 3-page pre-image) — no 4.4.109/4.4.110 tree was read. Where both 4.4.110 (this row) and 4.4.190 (x86-4.7) '
      + 'match, the higher backport must win.',
    source: 'dac16fba6fc5 "x86/vdso: Get pvclock data from the vvar VMA instead of the fixmap" (4.5)',
  },
  {
    ...common, id: 'x86-4.7', since: '4.7', until: '4.11', backports: ['4.4.190'],
    regions: [{ name: '[vvar]', role: 'data', pages: 2, perms: 'r--p', pageRoles: ['vvar', 'pvclock'] }, text],
    layout: 'vvar_start = . - 2 * PAGE_SIZE; vvar_page = vvar_start; pvclock_page = vvar_start + PAGE_SIZE (hpet_page '
      + 'dropped). Mapping as in x86-3.17.',
    read: [
      { release: '4.9.214 (from the repository name; Makefile not read)', repo: 'patchguard/Linux_4.9.214', commit: '33046e43966073752e57a0e7bc9cd7f525de89ea', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 2 * PAGE_SIZE; vvar_page = vvar_start; pvclock_page = vvar_start + PAGE_SIZE' },
    ],
    captures: [],
    open: 'The 4.7 start is the release of 1ed95e52d902 (authored 2016-04-08), not read in a 4.6/4.7 tree. 4.4.190 is from '
      + 'Greg KH\'s "[PATCH 4.4 71/78] x86/vdso: Remove direct HPET access through the vDSO" (lds: "- 3 * PAGE_SIZE" -> '
      + '"- 2 * PAGE_SIZE", pvclock_page -> vvar_start + PAGE_SIZE) and Konstantin Khlebnikov\'s follow-up naming '
      + 'd96d87834d5b "# v4.4.190". Debian 9 (4.9) equals this row.',
    source: '1ed95e52d902 "x86/vdso: Remove direct HPET access through the vDSO" (4.7)',
  },
  {
    ...common, id: 'x86-4.11', since: '4.11', until: '5.6',
    regions: [{ name: '[vvar]', role: 'data', pages: 3, perms: 'r--p', pageRoles: ['vvar', 'pvclock', 'hvclock'] }, text],
    layout: 'vvar_start = . - 3 * PAGE_SIZE; vvar_page = vvar_start; pvclock_page = vvar_start + PAGE_SIZE; hvclock_page = '
      + 'vvar_start + 2 * PAGE_SIZE (Hyper-V TSC page). Pages are faulted in by vvar_fault(); the hvclock/pvclock pages stay '
      + 'unpopulated (SIGBUS on touch) without that clocksource, but the vma size does not change.',
    read: [
      { release: '4.15.18 (Ubuntu bionic side of a conflicted merge; Makefile "temp" side: 4.15.18)', repo: 'gyhlearner/ubuntu-xenial', commit: '73a40094d2a32d688174e2930ab03a003d62a006', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'temp side: pvclock_page = vvar_start + PAGE_SIZE; hvclock_page = vvar_start + 2 * PAGE_SIZE (vvar_start = . - 3 * PAGE_SIZE)' },
      { release: '4.19.48 (from the repository name; Makefile not read)', repo: 'patchguard/linux-4.19.48', commit: '417a7e7e60d6102b4d4b873638203de7b9cb4983', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 3 * PAGE_SIZE; pvclock_page = vvar_start + PAGE_SIZE; hvclock_page = vvar_start + 2 * PAGE_SIZE' },
      { release: '4.18-era RHEL-8-derived (inferred from the API: down_write_killable(&mm->mmap_sem), VCLOCK_*; release file not stored at this commit)', repo: 'ctrliq/kernel-src-tree', commit: '507eb29dc680e7244df70ca25cf32eb306935c1e', file: 'arch/x86/entry/vdso/vma.c', says: 'vvar_fault() serves sym_vvar_page, sym_pvclock_page, sym_hvclock_page only; [vvar] = -image->sym_vvar_start bytes at addr, [vdso] at text_start' },
    ],
    captures: [],
    open: 'The 4.11 start is the release of the VCLOCK_HVCLOCK vDSO reader (Vitaly Kuznetsov, early 2017), not read in a '
      + '4.10/4.11 tree. Page count equals x86-4.5 (3) but the third page changed role. Ubuntu 18.04 (4.15), Debian 10 (4.19), '
      + 'Amazon Linux 2 4.14 and Ubuntu 20.04 (5.4) select this row.',
    source: '"x86/vdso: Add VCLOCK_HVCLOCK vDSO clock read method" (4.11)',
  },
  {
    ...common, id: 'x86-5.6', since: '5.6', until: '6.13',
    regions: [{ name: '[vvar]', role: 'data', pages: 4, perms: 'r--p', pageRoles: ['vvar', 'pvclock', 'hvclock', 'timens'] }, text],
    layout: 'vvar_start = . - 4 * PAGE_SIZE; vvar_page = vvar_start; pvclock_page = +1; hvclock_page = +2; timens_page = +3 '
      + '(unconditional, CONFIG_TIME_NS or not). map_vdso(): [vdso] at text_start = addr - sym_vvar_start, then [vvar] '
      + '(-sym_vvar_start bytes, VM_READ|VM_MAYREAD|VM_IO|VM_DONTDUMP|VM_PFNMAP) at addr. 6.11 vgetrandom data sits inside '
      + 'the vvar page (vdso_rng_data = vvar_page + __VDSO_RND_DATA_OFFSET), no extra page.',
    read: [
      { release: '5.x (inferred: timens fault handling, mm->mmap walk; Makefile not stored at this commit)', repo: 'torvalds/linux', commit: '05909cd9a0c8811731b38697af13075e8954314f', file: 'arch/x86/entry/vdso/vma.c', says: 'vvar_fault(): sym_vvar_page (timens-aware), sym_pvclock_page, sym_hvclock_page, sym_timens_page; [vvar] = -image->sym_vvar_start at addr; context.vdso = text_start' },
      { release: '6.x before 6.13 (inferred: for_each_vma, hv_get_tsc_pfn, arch_syscall_is_vdso_sigreturn)', repo: 'torvalds/linux', commit: '254a142007114cad7b0a901215c1558e4315d46f', file: 'arch/x86/entry/vdso/vma.c', says: 'same single [vvar] mapping of -image->sym_vvar_start bytes below [vdso]' },
      { release: '5.14.0 vz9 (RHEL 9 base; Makefile.rhelver RHEL_MAJOR 9 / MINOR 0 read at a sibling commit)', repo: 'OpenVZ/vzkernel', commit: '5708e26f5a5a560d68280f1f0a0a5a20b81fe834', file: 'arch/x86/entry/vdso/vma.c', says: 'single "[vvar]" vm_special_mapping of -image->sym_vvar_start bytes, timens-aware vvar_fault()' },
    ],
    captures: [
      'samples/corpus/amd64-5.10.0-46-amd64/maps-pid1.txt',
      'samples/corpus/amd64-5.10.0-46-amd64/maps-compat32.txt',
      'samples/corpus/amd64-5.10.0-46-amd64+vsyscall=emulate/maps-pid1.txt',
      'samples/corpus/amd64-5.10.0-46-amd64+vsyscall=emulate/maps-compat32.txt',
      'samples/corpus/amd64-6.1.0-56-amd64/maps-pid1.txt',
      'samples/corpus/amd64-6.1.0-56-amd64/maps-compat32.txt',
      'samples/corpus/amd64-6.1.0-56-amd64/dbg/vdso64.dbg.nm.txt',
      'samples/corpus/amd64-6.1.0-56-amd64/dbg/vdso32.dbg.nm.txt',
      'samples/corpus/amd64-6.1.0-56-amd64/dbg/vdsox32.dbg.nm.txt',
      'samples/corpus/i386-5.10.0-32-686/maps-pid1.txt',
      'samples/corpus/i386-6.1.0-50-686-pae/maps-pid1.txt',
    ],
    open: 'RHEL 9 minors after 9.0 were not read (a backport of the 6.13 vclock split would need a vendor row). The 5.6 start '
      + 'is the timers-core pull carrying "x86/vdso: Add time napespace page" (lds "- 3 * PAGE_SIZE" -> "- 4 * PAGE_SIZE").',
    source: 'Dmitry Safonov "x86/vdso: Add time napespace page" (timens series, 5.6)',
  },
  {
    ...common, id: 'x86-6.13', since: '6.13', until: '6.15',
    regions: [
      { name: '[vvar]', role: 'data', pages: 2, perms: 'r--p', pageRoles: ['vvar', 'timens'] },
      { name: '[vvar_vclock]', role: 'vclock', pages: 2, perms: 'r--p', pageRoles: VCLOCK_ROLES },
      text,
    ],
    layout: 'vvar_start = . - __VVAR_PAGES * PAGE_SIZE (__VVAR_PAGES 4); timens_page = vvar_start + PAGE_SIZE; vclock pages '
      + 'at VDSO_VCLOCK_PAGES_START = vvar_start + (__VVAR_PAGES - VDSO_NR_VCLOCK_PAGES(2)) * PAGE_SIZE. map_vdso(): [vdso] at '
      + 'text_start, then [vvar] of (__VVAR_PAGES - VDSO_NR_VCLOCK_PAGES) pages at addr, then [vvar_vclock] of 2 pages right '
      + 'above it (pvclock, hvclock), so low->high: [vvar] 2, [vvar_vclock] 2, [vdso].',
    read: [
      { release: '6.13–6.14 (inferred: __VVAR_PAGES with VDSO_VCLOCK_PAGES_START, before the generic store; Makefile not read)', repo: 'gregkh/linux', commit: 'ffcc53a52918738a65e5ba92b8f95c15c38fe19f', file: 'arch/x86/include/asm/vdso/vsyscall.h', says: '#define __VVAR_PAGES 4; VDSO_NR_VCLOCK_PAGES 2; VDSO_VCLOCK_PAGES_START(_b) ((_b) + (__VVAR_PAGES - VDSO_NR_VCLOCK_PAGES) * PAGE_SIZE); PVCLOCK_OFFSET 0, HVCLOCK_OFFSET 1' },
    ],
    captures: [],
    open: 'No 6.13/6.14 capture. The vma.c split was read in the posted patch ("[PATCH 20/28] x86: vdso: Split virtual clock '
      + 'pages into dedicated mapping": [vvar] (__VVAR_PAGES - VDSO_NR_VCLOCK_PAGES) * PAGE_SIZE at addr, "[vvar_vclock]" '
      + 'VDSO_NR_VCLOCK_PAGES * PAGE_SIZE at addr + 2 pages), not in a stored 6.13 tree; CRIU #2539 confirms [vvar_vclock] on '
      + '6.13.0-rc1.',
    source: 'e93d2521b27f "x86/vdso: Split virtual clock pages into dedicated mapping" (6.13)',
  },
  {
    ...common, id: 'x86-6.15', since: '6.15',
    regions: [
      { name: '[vvar]', role: 'data', pages: 4, perms: 'r--p', pageRoles: GENERIC_VVAR_ROLES },
      { name: '[vvar_vclock]', role: 'vclock', pages: 2, perms: 'r--p', pageRoles: VCLOCK_ROLES },
      text,
    ],
    layout: 'Generic data store: VDSO_VVAR_SYMS puts vdso_u_data = . - __VDSO_PAGES * PAGE_SIZE (__VDSO_PAGES 6); '
      + 'enum vdso_pages gives VDSO_NR_PAGES 4 (time, timens, rng, arch: the arch-data page is ALIGN(sizeof, PAGE_SIZE) = 1 '
      + 'page even when x86 has no arch data). map_vdso(): text_start = addr + __VDSO_PAGES * PAGE_SIZE; [vdso] installed '
      + 'first, then vdso_install_vvar_mapping(mm, addr) = [vvar] 4 pages, then [vvar_vclock] 2 pages at '
      + 'VDSO_VCLOCK_PAGES_START(addr); static_assert(VDSO_NR_PAGES + VDSO_NR_VCLOCK_PAGES == __VDSO_PAGES). Unchanged in 7.x '
      + '(the script moved to arch/x86/entry/vdso/common/).',
    read: [
      { release: '6.15+ (inferred: vdso_install_vvar_mapping, VM_SEALED_SYSMAP; Makefile not read)', repo: 'Kingxukai/linux', commit: '0291023e7330da28f2f7453c87c2ab7082d8360f', file: 'arch/x86/entry/vdso/vma.c', says: 'static_assert(VDSO_NR_PAGES + VDSO_NR_VCLOCK_PAGES == __VDSO_PAGES); text_start = addr + __VDSO_PAGES * PAGE_SIZE; vdso_install_vvar_mapping(mm, addr); "[vvar_vclock]" at VDSO_VCLOCK_PAGES_START(addr), VDSO_NR_VCLOCK_PAGES * PAGE_SIZE' },
      { release: '6.15+ (inferred: CONFIG_GENERIC_VDSO_DATA_STORE enum)', repo: 'torvalds/linux', commit: '365841e1557ace6e8b4d5ba06a6cf53f699bc684', file: 'include/vdso/datapage.h', says: 'enum vdso_pages { TIME, TIMENS, RNG, ARCH_PAGES_START, ARCH_PAGES_END = START + VDSO_ARCH_DATA_PAGES - 1, VDSO_NR_PAGES }; VDSO_ARCH_DATA_SIZE ALIGN(sizeof(struct vdso_arch_data), PAGE_SIZE)' },
      { release: '7.x (newest stored: script under entry/vdso/common/)', repo: 'torvalds/linux', commit: '693c819fedcdcabfda7488e2d5e355a84c2fd1b0', file: 'arch/x86/entry/vdso/common/vdso-layout.lds.S', says: 'VDSO_VVAR_SYMS; vclock_pages = VDSO_VCLOCK_PAGES_START(vdso_u_data); pvclock_page = +0, hvclock_page = +1 page' },
    ],
    captures: [
      'samples/corpus/amd64-7.2.13+deb14-amd64/maps-pid1.txt',
      'samples/corpus/amd64-7.2.13+deb14-amd64/maps-compat32.txt',
      'samples/host/maps-self.txt',
    ],
    source: 'dafde29605eb "x86/vdso: Switch to generic storage implementation" (6.15): VDSO_NR_PAGES 4 + VDSO_NR_VCLOCK_PAGES 2',
  },
  // ---- vendor rows (chosen by uname -r before the mainline version) ----
  {
    ...common, id: 'x86-debian-3.16', since: '3.16', until: '3.17',
    vendor: { name: 'Debian 8 (jessie) 3.16.0-*', release: '^3\\.16\\.0-[0-9]+-(amd64|686|686-pae|586|rt-amd64|rt-686-pae)$' },
    regions: [{ name: '[vvar]', role: 'data', pages: { oneOf: [2, 3] }, perms: 'r--p' }, text],
    layout: 'Debian\'s 3.16.0-N ABI names hide the 3.16.y sublevel: 2 pages (vvar, hpet) before 3.16.54, 3 pages (vvar, hpet, '
      + 'pvclock) from 3.16.54 (Ben Hutchings\' backport of dac16fba6fc5).',
    read: [
      { release: '3.16-rc (pre-release, data after the text)', repo: 'torvalds/linux', commit: '02b5a6031ba7a8cbfde5d65ff9e13ecdbc4a92ca', file: 'arch/x86/vdso/vdso-layout.lds.S', says: 'vvar_page and hpet_page after .text (end_mapping); replaced by vvar_start = . - 2 * PAGE_SIZE before 3.16 final' },
    ],
    captures: [],
    open: 'The 3.16.y scripts themselves were read only as the pre-/post-image of the 3.16.54 review patch, not in a stored '
      + '3.16.y tree; uname -v ("Debian 3.16.x-…") would settle the sublevel. Debian builds of 3.16.y before the stable '
      + 'series took e6577a7ce99a (sublevel not located) would have the data after the text (x86-3.16): such a capture '
      + 'fails "order" here. The pattern names Debian\'s x86 flavours only: Ubuntu 14.04 HWE "3.16.0-N-generic" has its own row.',
    source: '3.16.54 stable backport of dac16fba6fc5 "x86/vdso: Get pvclock data from the vvar VMA instead of the fixmap"',
  },
  {
    ...common, id: 'x86-uek4', since: '4.1', until: '4.2',
    vendor: { name: 'Oracle UEK R4 4.1.12-*.el6uek / el7uek', release: '^4\\.1\\.12-[0-9][0-9.]*\\.el[67]uek' },
    regions: [{ name: '[vvar]', role: 'data', pages: { oneOf: [2, 3] }, perms: 'r--p' }, text],
    layout: 'UEK4 is mainline 4.1 (x86-3.17: [vvar] 2 pages, vvar + hpet, below [vdso]) plus, from its 2018 Meltdown/KPTI '
      + 'updates, the backport of dac16fba6fc5 "x86/vdso: Get pvclock data from the vvar VMA instead of the fixmap" '
      + '(x86-4.5: vvar_start = . - 3 * PAGE_SIZE; hpet_page = +1; pvclock_page = +2): [vvar] 2 or 3 pages by build.',
    read: [],
    captures: [],
    open: 'No UEK4 tree is stored (oracle/linux-uek holds newer UEK branches only): the backport is known from the UEK4 '
      + 'changelog, where it sits among the KPTI/KAISER patches (see x86-4.5), and the first UEK4 build carrying it was not '
      + 'located, hence 2 or 3 pages. A 3-page [vvar] on a pre-2018 UEK4 build would pass here wrongly; uname -v (the build '
      + 'date) would settle it.',
    source: 'Oracle UEK4 (4.1.12) backport of dac16fba6fc5 (mainline 4.5) with its KPTI updates',
  },
  {
    ...common, id: 'x86-ubuntu-3.16', since: '3.16', until: '3.17',
    vendor: { name: 'Ubuntu 14.10 / 14.04 HWE (lts-utopic) 3.16.0-*', release: '^3\\.16\\.0-[0-9]+-(generic|lowlatency)$' },
    regions: [text, { name: '[vvar]', role: 'data', pages: 2, perms: 'r--p', pageRoles: ['vvar', 'hpet'] }],
    layout: 'As mainline 3.16.0 (x86-3.16): [vdso] at context.vdso, then a 2-page [vvar] (vvar, hpet) directly above it. '
      + 'Ubuntu\'s 3.16 kernels are 3.16.0 plus the 3.16.y-ckt extended stable updates, which did not move the data in front.',
    read: [
      { release: '3.16.0 (top Makefile: VERSION 3, PATCHLEVEL 16, SUBLEVEL 0)', repo: 'jyizheng/linux-3.16', commit: '82df2fe423b2b673a3721391d0a4ecd7018cddb6', file: 'arch/x86/vdso/vma.c', says: '[vdso] at addr (image->size), [vvar] at addr + image->size' },
    ],
    captures: [],
    open: 'No Ubuntu utopic tree was stored; the layout rests on the 3.16.0 release tree and on public pastes from Ubuntu '
      + '14.04 hosts ([vdso] 2 pages directly below [vvar] 2 pages; samples/pastes, INDEX). A -ckt build that took '
      + 'e6577a7ce99a would fail "order" here.',
    source: 'Ubuntu 3.16.0-<ABI> (3.16.7-ckt based) = mainline 3.16.0 layout',
  },
];
