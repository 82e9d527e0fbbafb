import { GENERIC_VVAR_ROLES, type ProfileRow } from '../profile-types.js';

// MIPS (o32, n32, n64 tasks: arch_setup_additional_pages maps current->thread.abi->vdso, so the layout
// is the same for all three ABIs; only the image differs - vdso-o32.so / vdso-n32.so / vdso.so).
// The ELF vDSO starts in 4.4. Before it (2.6.34-4.3) arch/mips/kernel/vdso.c mapped ONE page of signal
// trampolines (no ELF image, no data page) as "[vdso]" via arch_vma_name: out of scope (no image).
//
// MIPS colours the data page (cpu_has_dc_aliases, since 0f02cfbc3d9e, 2018; backported to stable), so
// the cluster may start above the get_unmapped_area() result: a gap BELOW the lowest region is normal;
// inside the cluster everything is contiguous.
//
// Not modelled as a neighbour (compare matches neighbours by name, and this one has none): since 4.8
// (432c6bacbd0c) an unnamed 1-page "delay slot emulation" vma at STACK_TOP, rwxp until
// adcc81f148d7 (5.0, "write-protect delay slot emulation pages", also in some stable trees), r-xp
// after; absent with CONFIG_MIPS_FP_SUPPORT=n (5.1+ option). It is not adjacent to the cluster.
const common = { family: 'mips', pageSizes: [4096, 16384, 65536], defaultPageSize: 4096, embeds: 'stripped' } as const;
const text = { name: '[vdso]', role: 'text', perms: 'r-xp' } as const;
// Pre-6.15 [vvar]: page 0 = GIC user page (io_remap_pfn_range, uncached) when mips_gic_present(), then
// the data page. Without a GIC: the data page only.
const vvarGicOrNot = {
  name: '[vvar]', role: 'data', pages: { oneOf: [1, 2] }, perms: 'r--p', gapBelowAllowed: true, pageRoles: ['data'],
} as const;

export const MIPS: ProfileRow[] = [
  {
    ...common, id: 'mips-4.4', since: '4.4', until: '4.8',
    regions: [vvarGicOrNot, text],
    layout: 'gic_size = gic_present ? PAGE_SIZE : 0; vvar_size = gic_size + PAGE_SIZE; base = get_unmapped_area(NULL, 0, vvar_size + image->size); _install_special_mapping(mm, base, vvar_size, VM_READ|VM_MAYREAD, "[vvar]"); GIC user page io-remapped at base, data page remap_pfn_range at data_addr = base + gic_size; text _install_special_mapping at vdso_addr = data_addr + PAGE_SIZE; context.vdso = vdso_addr (AT_SYSINFO_EHDR). 2 pages with a GIC (pageRoles gic, data), 1 without.',
    read: [],
    captures: [],
    open: 'No 4.4-4.7 tree could be read with a repository and commit. Evidence: a 4.9-era vdso.c text (index id 281730603, repository not shown) with exactly this code minus colouring, the 4.9 vendor tree in the mips-4.8 row, and the blame excerpt of a later tree (index id 2169069595) that attributes arch_setup_additional_pages to ebb5e78cc634 (Alex Smith, 2015-10-21) and the GIC/vvar_size lines to a7f4df4e21dd (same day), both 4.4. Whether the GIC page is present cannot be told from the image: it depends on the platform (mips_gic_present()). No capture of this era.',
    source: 'ebb5e78cc634 "MIPS: Initial implementation of a VDSO" + a7f4df4e21dd (GIC user page in [vvar]) (4.4)',
  },
  {
    ...common, id: 'mips-4.8', since: '4.8', until: '6.15',
    regions: [vvarGicOrNot, text],
    layout: 'As 4.4, plus the delay-slot emulation page mapped first at STACK_TOP (unnamed, not adjacent). From 0f02cfbc3d9e (Aug 2018; 4.19-rc/4.20, also in the 4.9 vendor tree below via stable): size += shm_align_mask + 1 and base re-aligned so the data page has the kernel\'s cache colour when cpu_has_dc_aliases (gap below [vvar]); From ea7e0480a4b6 (Sep 2018, 4.20): get_unmapped_area(NULL, vdso_base(), ...) with vdso_base() = STACK_TOP (+ PAGE_SIZE for the emulation page) + random. 4.14+: gic_size = mips_gic_present() ? PAGE_SIZE : 0. [vvar] = gic_size + PAGE_SIZE, text at data_addr + PAGE_SIZE.',
    read: [
      { release: '6.5-6.14 era (do_mmap(..., &unused, NULL), get_random_u32_below; Makefile not stored at this commit)', repo: 'torvalds/linux', commit: '0410c6121529409b08e81a77ae3ee58c657e2243', file: 'arch/mips/kernel/vdso.c', says: 'gic_size = mips_gic_present() ? PAGE_SIZE : 0; vvar_size = gic_size + PAGE_SIZE; if (cpu_has_dc_aliases) { base = __ALIGN_MASK(base, shm_align_mask); base += (vdso_data - gic_size) & shm_align_mask; } _install_special_mapping(mm, base, vvar_size, VM_READ | VM_MAYREAD, "[vvar]"); vdso_addr = data_addr + PAGE_SIZE' },
      { release: '4.9.x vendor tree (Keenetic router kernel; Makefile not stored at this commit)', repo: 'keenetic/kernel-49', commit: '135e330836269d7606d159c12f970803ec7cd24c', file: 'arch/mips/kernel/vdso.c', says: 'mmap_region(NULL, STACK_TOP, PAGE_SIZE, VM_READ | VM_EXEC | ...) emulation page (write-protect backported); gic_size = gic_present ? PAGE_SIZE : 0; vvar_size = gic_size + PAGE_SIZE; colouring; get_unmapped_area(NULL, 0, size, 0, 0); "[vvar]" then text at data_addr + PAGE_SIZE' },
      { release: '4.19.268 (Android 4.19 tree; Makefile read at 026b4eb8cc0861286cecab5af6d1b61832f072bb)', repo: 'engstk/op8', commit: 'f5e3a970e72c420e1f2f1fb67db9fc0552f8cee3', file: 'arch/mips/kernel/vdso.c', says: 'mmap_region(NULL, STACK_TOP, PAGE_SIZE, VM_READ | VM_EXEC | ...) emulation page; vvar_size = gic_size + PAGE_SIZE; colouring; vdso_base() = STACK_TOP + PAGE_SIZE + random' },
    ],
    captures: ['samples/corpus/mips64el-6.1.0-50-5kc-malta/maps-pid1.txt', 'samples/corpus/mips64el-6.1.0-50-5kc-malta/auxv-pid1.txt'],
    open: 'Debian 6.1.0-50-5kc-malta (MIPS 5KE, no GIC, "no aliases" D-cache): [vvar] r--p 1 page directly below [vdso] r-xp 1 page (n64 image); AT_SYSINFO_EHDR = [vdso] start; the emulation page is an unnamed r-xp vma at fffbffd000, far below. With a MIPS GIC (CPS systems: 1004K/interAptiv/P5600/I6400 on Malta or Boston, MT7621, ...) [vvar] is 2 pages. Start boundary 4.8 = the emulation page (432c6bacbd0c, 2016-07-08); it changes no vDSO region, so a kernel in 4.8-6.14 and one in 4.4-4.7 differ only by that neighbour.',
    source: '432c6bacbd0c "MIPS: Use per-mm page to execute branch delay slot instructions" (4.8); 0f02cfbc3d9e (cache colouring, 2018); adcc81f148d7 (emulation page r-x, 5.0)',
  },
  {
    ...common, id: 'mips-6.15', since: '6.15',
    regions: [
      { name: '[gic]', role: 'gic', pages: 1, perms: 'r--p', optional: true, gapBelowAllowed: true, pageRoles: ['gic'] },
      { name: '[vvar]', role: 'data', pages: 4, perms: 'r--p', gapBelowAllowed: true, pageRoles: GENERIC_VVAR_ROLES },
      text,
    ],
    layout: 'size = gic_size + VDSO_NR_PAGES * PAGE_SIZE + image->size; data_addr = base + gic_size; vdso_addr = data_addr + VDSO_NR_PAGES * PAGE_SIZE; vdso_install_vvar_mapping(mm, data_addr) ("[vvar]", VDSO_NR_PAGES pages); if (gic_size) _install_special_mapping(mm, base, gic_size, VM_READ|VM_MAYREAD, "[gic]") + io_remap_pfn_range; text at vdso_addr. MIPS has no ARCH_HAS_VDSO_ARCH_DATA; the fallback struct vdso_arch_data still rounds to one page, so VDSO_NR_PAGES = 4 at every page size.',
    read: [
      { release: '6.15+ (generic datastore)', repo: 'torvalds/linux', commit: '0235220807033c7a1dc2a96cc23b6eae0dd11c81', file: 'lib/vdso/datastore.c', says: 'vdso_install_vvar_mapping: "[vvar]", VDSO_NR_PAGES * PAGE_SIZE, VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP | VM_PFNMAP' },
    ],
    captures: [],
    open: 'arch/mips/kernel/vdso.c of this era was read only as text via the index (id 454778748: vdso_install_vvar_mapping(mm, data_addr); gic_mapping { .name = "[gic]" } installed at base with VM_READ|VM_MAYREAD) and as the conversion patch. [gic] (1 page, GIC user counters, uncached) sits directly below [vvar] when present; a gap below [vvar] is legitimate only when [gic] is absent (the colouring gap then falls below [vvar]). Seen as the conversion patch ("[PATCH v3 13/18] MIPS: vdso: Switch to generic storage implementation", Feb 2025; tip timers/vdso -> 6.15): it both split [gic] out and replaced the 1-page data with VDSO_NR_PAGES. No corpus capture of MIPS >= 6.15.',
    source: '69896119dc9d "MIPS: vdso: Switch to generic storage implementation" (6.15; Commit-ID 69896119dc9d6cdb7db3914a88c4a7b31e342a20 in the timers/vdso merge list, and named so by 14b46ba92bf5, the Nov 2025 fix for the one page it still reserved below the stack top): [gic] split out, [vvar] = VDSO_NR_PAGES (4)',
  },
];
