import { DATA_TIMENS_ROLES, GENERIC_VVAR_ROLES, type ProfileRow } from '../profile-types.js';
import { OFFSET_IS_START_UNTIL, OFFSET_READS } from './maps-offset.js';

// s390 embeds the stripped vdso64.so (vdso.so after "s390/vdso: Rename vdso64 to vdso"); 4K pages only.
// 31-bit compat tasks: vdso32 with the 64-bit shape until 5.4, none 5.5–5.13.2, minimal vdso32 again from
// 779df2248739 (5.14; stable 5.13.3 and 5.12.y), gone with "s390: Remove compat support" — see the research notes.
const common = { family: 's390', pageSizes: [4096], defaultPageSize: 4096, embeds: 'stripped' } as const;

export const S390: ProfileRow[] = [
  {
    ...common, id: 's390-2.6.29', since: '2.6.29', until: '5.3',
    offsetIsStartUntil: OFFSET_IS_START_UNTIL,
    regions: [{ name: '[vdso]', role: 'text', perms: 'r-xp', dataPagesAfter: 1 }],
    layout:
      'vdso64_pages = image pages + 1; vdso64_pagelist[vdso64_pages - 1] = virt_to_page(vdso_data), so one ' +
      '[vdso] vma of image pages then the data page; install_special_mapping(mm, vdso_base, vdso_pages << PAGE_SHIFT, ' +
      'VM_READ|VM_EXEC|…); named "[vdso]" by arch_vma_name() when vm_start == mm->context.vdso_base in the trees read ' +
      'here; later trees of the same shape (RHEL 8.10 read, see s390-rhel8) name it by a vm_special_mapping .name ' +
      '"[vdso]" via _install_special_mapping() instead: the same maps line. AT_SYSINFO_EHDR = vma ' +
      'start. "Only map the vdso for dynamically linked elf binaries": if (!uses_interp) return 0, so static ' +
      'executables have no [vdso] and no AT_SYSINFO_EHDR. vdso=off disables it. Compat (31-bit) tasks get vdso32, same shape.',
    read: [
      {
        release: '3.x (CONFIG_64BIT/strict_strtoul era; Makefile not stored at this commit)',
        repo: 'torvalds/linux', commit: 'db8c246937713e60b7628661ccc187eeb81f2bae',
        file: 'arch/s390/kernel/vdso.c',
        says: 'if (!uses_interp) return 0; vdso64_pages = ((&vdso64_end - &vdso64_start + PAGE_SIZE - 1) >> PAGE_SHIFT) + 1; ' +
          'vdso64_pagelist[vdso64_pages - 1] = virt_to_page(vdso_data); arch_vma_name(): vm_start == context.vdso_base ? "[vdso]"',
      },
      {
        release: '3.10.0-514.26.1.el7 (Makefile: VERSION 3 PATCHLEVEL 10, RHEL_MAJOR 7 RHEL_MINOR 3 RHEL_RELEASE 514.26.1)',
        repo: 'OpenVZ/vzkernel', commit: '113cc254f8d2aa6004e4dbb1d5a0e94a19dd3e57',
        file: 'arch/s390/kernel/vdso.c',
        says: 'same code: uses_interp check, data page last in vdso64_pagelist/vdso32_pagelist, install_special_mapping, arch_vma_name',
      },
      ...OFFSET_READS,
    ],
    captures: [],
    open:
      'No 2.6.29 tree read: the start is taken from the vDSO version node LINUX_2.6.29 and the 2008 copyright. ' +
      'Whether "map vdso also for statically linked binaries" went to stable trees before 5.3 was not checked.',
    source: 'Martin Schwidefsky, s390 vdso (arch/s390/kernel/vdso.c, 2008)',
  },
  {
    ...common, id: 's390-5.3', since: '5.3', until: '5.12',
    regions: [{ name: '[vdso]', role: 'text', perms: 'r-xp', dataPagesAfter: 1 }],
    layout:
      'same shape as s390-2.6.29 (image pages then the data page in one [vdso] vma, AT_SYSINFO_EHDR = vma start) ' +
      'but mapped for static executables too (uses_interp check removed). Compat vdso32 removed in 5.5 ' +
      '(2115fbf7210b "s390: remove compat vdso code"): 31-bit tasks get no vDSO 5.5–5.13.2.',
    read: [],
    captures: [],
    open:
      'No 5.3–5.11 tree stored (the only candidate, daedaevibin/bluejay-kernel, holds Git LFS pointers). The shape ' +
      'rests on the s390-5.12-1 pull: "s390/vdso: put vdso datapage in a separate vma" then "move data page before ' +
      'code pages", i.e. before 5.12 the data page was inside [vdso] after the code; the vma may be named by a ' +
      'vm_special_mapping instead of arch_vma_name() late in this era (same name). No capture before 6.1.',
    source: '"s390/vdso: map vdso also for statically linked binaries" (Heiko Carstens, s390-5.3-5 pull for 5.3-rc4)',
  },
  {
    ...common, id: 's390-5.12', since: '5.12', until: '6.15',
    regions: [
      { name: '[vvar]', role: 'data', pages: 2, perms: 'r--p', pageRoles: DATA_TIMENS_ROLES },
      { name: '[vdso]', role: 'text', perms: 'r-xp' },
    ],
    layout:
      'enum vvar_pages { VVAR_DATA_PAGE_OFFSET, VVAR_TIMENS_PAGE_OFFSET, VVAR_NR_PAGES } (2, unconditional; ' +
      'BUILD_BUG_ON(VVAR_NR_PAGES != __VVAR_PAGES)); map_vdso(): _install_special_mapping(vvar_start, ' +
      'VVAR_NR_PAGES*PAGE_SIZE, VM_READ|VM_MAYREAD|VM_IO|VM_DONTDUMP|VM_PFNMAP, "[vvar]") then vdso_text_start = ' +
      'vvar_start + VVAR_NR_PAGES*PAGE_SIZE, "[vdso]"; context.vdso_base = vdso_text_start = AT_SYSINFO_EHDR. ' +
      'lds: PROVIDE(_vdso_data = . - __VVAR_PAGES * PAGE_SIZE), _timens_data = _vdso_data + PAGE_SIZE; 6.12 adds ' +
      '_vdso_rng_data inside the data page (no extra page). Placement (by 6.1, vdso_addr()): random, PMD-bounded, just above the stack.',
    read: [
      {
        release: 'unknown (≈6.1: VMA_ITERATOR + get_random_int; mainline 6.1 or a RHEL 9 backport)',
        repo: 'ctrliq/kernel-src-tree', commit: 'e4d3e17cfcd8f8b5b7a4ade5f1bb5b1f7349a465',
        file: 'arch/s390/kernel/vdso.c',
        says: 'enum vvar_pages {DATA, TIMENS, NR}; vvar "[vvar]" VVAR_NR_PAGES*PAGE_SIZE at vvar_start; "[vdso]" at vvar_start + VVAR_NR_PAGES*PAGE_SIZE; vdso_base = vdso_text_start',
      },
      {
        release: 'unknown (≥6.2: get_random_u32_below; NVIDIA kernel tree)',
        repo: 'NVIDIA/NV-Kernels', commit: '9f9e93dc59192ec6faf2b36dc29a583d5528ea88',
        file: 'arch/s390/kernel/vdso.c',
        says: 'same map_vdso(); vdso_size() = vdso_text_size() + VVAR_NR_PAGES * PAGE_SIZE',
      },
      {
        release: '6.12–6.14 era (getrandom present, pre-generic-storage; Makefile not stored at this commit)',
        repo: 'torvalds/linux', commit: 'c5fb51b71788926feef0d07f30c8af1d5e4af1a6',
        file: 'arch/s390/kernel/vdso64/vdso64.lds.S',
        says: 'PROVIDE(_vdso_data = . - __VVAR_PAGES * PAGE_SIZE); PROVIDE(_vdso_rng_data = _vdso_data + __VDSO_RND_DATA_OFFSET); _timens_data = _vdso_data + PAGE_SIZE',
      },
    ],
    captures: [
      'samples/corpus/s390x-6.1.0-50-s390x/maps-pid1.txt',
      'samples/corpus/s390x-6.1.0-50-s390x/auxv-pid1.txt',
    ],
    open:
      'No 5.12.0 tree stored; 5.12 rests on the "s390 patches for the 5.12 merge window" pull (5056c2c53a22, ' +
      '214b3564869c, eeab78b05d20 "implement generic vdso time namespace support", all in s390-5.12-1) and the 6.1 capture.',
    source: '5056c2c53a22 "s390/vdso: put vdso datapage in a separate vma", 214b3564869c "s390/vdso: move data page before code pages", eeab78b05d20 "s390/vdso: implement generic vdso time namespace support" (5.12)',
  },
  {
    ...common, id: 's390-6.15', since: '6.15',
    regions: [
      { name: '[vvar]', role: 'data', pages: 4, perms: 'r--p', pageRoles: GENERIC_VVAR_ROLES },
      { name: '[vdso]', role: 'text', perms: 'r-xp' },
    ],
    layout: 'generic datastore: [vvar] of VDSO_NR_PAGES (time, timens, rng, arch) then [vdso]; AT_SYSINFO_EHDR = [vdso] start.',
    read: [],
    captures: [
      'samples/corpus/s390x-7.2.13+deb14-s390x/maps-pid1.txt',
      'samples/corpus/s390x-7.2.13+deb14-s390x/auxv-pid1.txt',
    ],
    open: 'No 6.15+ s390 tree read; commit id from the tip timers/vdso push (2025-02-21); 4 pages confirmed by the 7.2 capture ([vvar] 0x4000).',
    source: '9bf39a65b20c "s390/vdso: Switch to generic storage implementation" (6.15)',
  },
];
