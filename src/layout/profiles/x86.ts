import { GENERIC_VVAR_ROLES, VCLOCK_ROLES, type NeighbourSpec, type ProfileRow } from '../profile-types.js';

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
    ...common, id: 'x86-2.6', since: '2.6.18', until: '3.15',
    regions: [text],
    layout: 'No data vma: the vDSO text is one install_special_mapping() vma named by arch_vma_name() ("[vdso]" when '
      + 'vm_start == mm->context.vdso). The linker script defines no vvar symbols; 64-bit time data (vsyscall_gtod_data, '
      + 'later VVAR()) lives in the kernel fixmap/vsyscall area, which is not a per-process vma. AT_SYSINFO_EHDR = mm->context.vdso '
      + '= start of [vdso]; i386/ia32 AT_SYSINFO = the __kernel_vsyscall entry inside it.',
    read: [
      { release: 'pre-3.15 x86_64/i386 tree (inferred: ". = VDSO_PRELINK + SIZEOF_HEADERS" script; Makefile not stored at this commit)', repo: 'tinyclub/tinylinux', commit: '88c8584c0acf0a744e4e935b5c8028376f305779', file: 'arch/x86/vdso/vdso-layout.lds.S', says: '. = VDSO_PRELINK + SIZEOF_HEADERS; … .text — no vvar_*/hpet_page symbols, text only' },
      { release: '3.x before 3.15 (inferred: ". = SIZEOF_HEADERS", no vvar symbols)', repo: 'benji-cannot-code/fast-vc-linux-benchmark-run-3', commit: '14e6f2cf18a2868e1b7d7d70647d8162484b2b26', file: 'arch/x86/vdso/vdso-layout.lds.S', says: 'text-only script, last state before the 3.15 vdso32 time-support rework' },
      { release: '3.10.0 vz7 (RHEL 7 base; Makefile not read)', repo: 'OpenVZ/vzkernel', commit: '500fece383797b5bd0c8e60e364fe8f72731be89', file: 'arch/x86/vdso/vma.c', says: 'setup_additional_pages(): one install_special_mapping(mm, addr, size, VM_READ|VM_EXEC|…, pages); context.vdso = addr; no data mapping' },
    ],
    captures: [],
    open: 'x86_64 64-bit tasks only have a [vdso] from 2.6.23 (2aae950b21e4 "x86_64: Add vDSO for x86-64 with '
      + 'gettimeofday/clock_gettime/getcpu"); before that only [vsyscall]. i386 with vdso=2/CONFIG_COMPAT_VDSO maps the vDSO at '
      + 'the fixed 0xffffe000 gate area instead of a randomized vma. Before a62c34bd2a8a (3.16) the name came from '
      + 'arch_vma_name(), so an mremap()ed vDSO lost its "[vdso]" name. Start boundary 2.6.18 (i386 vDSO moved into a '
      + 'randomized vma) is not re-read here.',
    source: '2.6.18 i386 vDSO randomization (vdso32 as a per-process vma); 2aae950b21e4 x86_64 vDSO (2.6.23)',
  },
  {
    ...common, id: 'x86-3.15', since: '3.15', until: '3.16',
    regions: [
      { role: 'data', pages: 2, perms: 'r--p', optional: true, pageRoles: ['hpet', 'vvar'] },
      text,
    ],
    layout: '32-bit vDSO only (i386 and ia32 compat via vdso32-setup.c): get_unmapped_area(vdso32_size + VDSO_OFFSET('
      + 'VDSO_PREV_PAGES)); addr += 2 pages; [vdso] = install_special_mapping(addr, vdso32_size); then an UNNAMED '
      + '_install_special_mapping(addr - 2 pages, 2 pages, VM_READ) with vvar at addr - 1 page and hpet at addr - 2 pages '
      + '(asm/vdso32.h VDSO_VVAR_PAGE 1, VDSO_HPET_PAGE 2, VDSO_PREV_PAGES 2). 64-bit and x32 tasks: [vdso] only, as in 2.6.',
    read: [
      { release: '3.15 (inferred: asm/vdso32.h exists only in 3.15; Makefile not stored at this commit)', repo: 'torvalds/linux', commit: 'cebeb0f1885fa93c44be5d4e0b9b640210ff088c', file: 'arch/x86/include/asm/vdso32.h', says: 'VDSO_BASE_PAGE 0, VDSO_VVAR_PAGE 1, VDSO_HPET_PAGE 2, VDSO_PAGES 3, VDSO_PREV_PAGES 2, VDSO_OFFSET(x) ((x) * PAGE_SIZE)' },
    ],
    captures: [],
    open: 'The unnamed data vma applies to 32-bit tasks only (hence optional); 64-bit/x32 tasks have no data vma in 3.15. '
      + 'vdso32-setup.c itself was read only in mailing-list copies (Andy Lutomirski\'s 3.15 "no_pages" fix quoting '
      + 'arch_setup_additional_pages), not in a stored 3.15 tree. The name column is empty (pre-a62c34bd2a8a special mappings '
      + 'have no name and arch_vma_name() only names context.vdso).',
    source: '3.15 "x86, vdso: Add 32 bit VDSO time support for 32 bit kernel" (Stefani Seibold) and follow-ups',
  },
  {
    ...common, id: 'x86-3.16', since: '3.16', until: '4.5',
    regions: [{ name: '[vvar]', role: 'data', pages: 2, perms: 'r--p', pageRoles: ['vvar', 'hpet'] }, text],
    layout: 'vdso2c era, all ABIs through map_vdso(): vvar_start = . - 2 * PAGE_SIZE; vvar_page = vvar_start; '
      + 'hpet_page = vvar_start + PAGE_SIZE. text_start = addr - image->sym_vvar_start; [vdso] installed first at text_start, '
      + 'then [vvar] (vm_special_mapping "[vvar]", -sym_vvar_start bytes, VM_READ|VM_MAYREAD) at addr. The hpet page is '
      + 'reserved even without an HPET (only io_remap_pfn_range()d if hpet_address). AT_SYSINFO_EHDR = text_start.',
    read: [
      { release: '3.16-rc (inferred: vdso2c-era script with the data AFTER .text; Makefile not stored at this commit)', repo: 'torvalds/linux', commit: '02b5a6031ba7a8cbfde5d65ff9e13ecdbc4a92ca', file: 'arch/x86/vdso/vdso-layout.lds.S', says: '. = ALIGN(PAGE_SIZE); vvar_page = .; … hpet_page = .; . = . + PAGE_SIZE; end_mapping = . — pre-release state, reversed before 3.16 final' },
      { release: '3.16-rc (same pre-release state)', repo: 'ammarfaizi2/linux-block', commit: 'd02129294a5da79bfe2388d3065a1ab83b2d098c', file: 'arch/x86/vdso/vdso-layout.lds.S', says: 'vvar_page = . after .text; hpet_page = vvar_page + PAGE_SIZE; end_mapping' },
      { release: '4.4.167 (Ubuntu xenial side of a conflicted merge; Makefile HEAD: 4.4.167)', repo: 'gyhlearner/ubuntu-xenial', commit: '73a40094d2a32d688174e2930ab03a003d62a006', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'HEAD side: vvar_start = . - 3 * PAGE_SIZE; hpet_page = +1 page; pvclock_page = +2 pages (the 4.4.y pvclock backport on top of this row\'s 2-page layout)' },
    ],
    captures: [],
    open: 'No stored tree between 3.16 and 4.4.109 was found; the 2-page script is taken from the pre-image of the stable '
      + 'backports of dac16fba6fc5 (3.16.54-rc1 review patch: "-\tvvar_start = . - 2 * PAGE_SIZE; … hpet_page = vvar_start + '
      + 'PAGE_SIZE", with map_vdso() using text_start and vvar_mapping .name "[vvar]"). 3.16-rc1 briefly put the data pages '
      + 'after the text (read above); no release shipped that. Stable series that later changed: 3.16.54+ and 4.4.110+ '
      + '(x86-4.5), 4.4.190+ (x86-4.7); other 3.17–4.3 stable series (3.18.y, 4.1.y) were not checked for the pvclock backport.',
    source: '6f121e548f83 "x86, vdso: Reimplement vdso.so preparation in build-time C", a62c34bd2a8a "x86, mm: Improve '
      + '_install_special_mapping and fix x86 vdso naming" and e6577a7ce99a "x86_64,vdso: Move the vvar area before the vdso text" (3.16)',
  },
  {
    ...common, id: 'x86-4.5', since: '4.5', until: '4.7', backports: ['3.16.54', '4.4.110'],
    regions: [{ name: '[vvar]', role: 'data', pages: 3, perms: 'r--p', pageRoles: ['vvar', 'hpet', 'pvclock'] }, text],
    layout: 'vvar_start = . - 3 * PAGE_SIZE; vvar_page = vvar_start; hpet_page = vvar_start + PAGE_SIZE; pvclock_page = '
      + 'vvar_start + 2 * PAGE_SIZE (pvclock moved from the fixmap into the vvar vma). Mapping as in x86-3.16.',
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
      + 'dropped). Mapping as in x86-3.16.',
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
    vendor: { name: 'Debian 8 (jessie) 3.16.0-*', release: '^3\\.16\\.0-[0-9]+-' },
    regions: [{ name: '[vvar]', role: 'data', pages: { oneOf: [2, 3] }, perms: 'r--p' }, text],
    layout: 'Debian\'s 3.16.0-N ABI names hide the 3.16.y sublevel: 2 pages (vvar, hpet) before 3.16.54, 3 pages (vvar, hpet, '
      + 'pvclock) from 3.16.54 (Ben Hutchings\' backport of dac16fba6fc5).',
    read: [
      { release: '3.16-rc (pre-release, data after the text)', repo: 'torvalds/linux', commit: '02b5a6031ba7a8cbfde5d65ff9e13ecdbc4a92ca', file: 'arch/x86/vdso/vdso-layout.lds.S', says: 'vvar_page and hpet_page after .text (end_mapping); replaced by vvar_start = . - 2 * PAGE_SIZE before 3.16 final' },
    ],
    captures: [],
    open: 'The 3.16.y scripts themselves were read only as the pre-/post-image of the 3.16.54 review patch, not in a stored '
      + '3.16.y tree; uname -v ("Debian 3.16.x-…") would settle the sublevel.',
    source: '3.16.54 stable backport of dac16fba6fc5 "x86/vdso: Get pvclock data from the vvar VMA instead of the fixmap"',
  },
];
