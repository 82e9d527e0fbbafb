import { GENERIC_VVAR_ROLES, type ProfileRow } from '../profile-types.js';

// LoongArch: [vvar] (r--p) directly below [vdso] (r-xp), base from get_unmapped_area(NULL,
// vdso_base() = STACK_TOP + random, ...); AT_SYSINFO_EHDR = mm->context.vdso = [vdso] start.
// From 6.0 the data area holds struct vdso_pcpu_data { u32 node; } ____cacheline_aligned_in_smp
// per possible CPU: 64 bytes (L1_CACHE_SHIFT 6) x NR_CPUS, so the [vvar] page count depends on
// NR_CPUS and PAGE_SIZE. Counts below: "16K/64" = 16 KiB pages, NR_CPUS=64 (Debian loong64 7.2:
// "RCU restricting CPUs from NR_CPUS=64"); defconfig NR_CPUS has been 64 or 256 over time.
//
//            | 16K/64 | 16K/256 | 4K/64 | 4K/256 | formula (P = PAGE_SIZE)
//  5.19      |   1    |    1    |   1   |   1    | PAGE_SIZE
//  6.0-6.4   |   1    |    2    |   2   |   5    | ceil((64*NR_CPUS + 2*sizeof(vdso_data) 480, struct padded to 64: 512) / P)
//  6.5-6.11  |   3    |    3    |   3   |   6    | 2 + ceil(64*NR_CPUS / P)
//  6.12-6.14 |   3    |    4    |   4   |   7    | 2 + ceil((64*NR_CPUS + 64 /* rng_data, padded */) / P)
//  6.15+     |   4    |    4    |   4   |   7    | 3 + ceil(64*NR_CPUS / P)
// [vdso]: exactly 1 page (vdso_info.size = PAGE_SIZE) until 2ed119aef60d (6.12) made it
// PAGE_ALIGN(vdso_end - vdso_start); with 16K pages the image is 1 page either way.
// NR_CPUS: Kconfig "range 2 256" (6.1.0, krr-io/linux-6.1.0) until "LoongArch: Increase max supported
// CPUs up to 2048" (posted 7 May 2025) made it "range 2 2048" (6.18.2, 7.1.3); 1 without SMP. The
// rows bound it by 2048 in every era (a vendor kernel may carry that patch); a boot log's RCU line
// or sysfs kernel_max pins it (see PerCpuPages).
const perCpu = (fixed: number, extraBytes = 0) => ({ perCpu: { fixed, bytesPerCpu: 64, extraBytes, maxCpus: 2048, typicalCpus: 64 } });
const common = { family: 'loongarch', pageSizes: [4096, 16384, 65536], defaultPageSize: 16384, embeds: 'stripped' } as const;
const text = { name: '[vdso]', role: 'text', perms: 'r-xp' } as const;

export const LOONGARCH: ProfileRow[] = [
  {
    ...common, id: 'loongarch-vendor-4.19', since: '4.19', until: '4.20',
    vendor: { name: 'Loongson 4.19 LoongArch kernels (Loongnix / Kylin / UOS style, MIPS-derived vDSO)', release: '^4\\.19\\.' },
    regions: [{ name: '[vvar]', role: 'data', pages: { min: 1, typical: 1 }, perms: 'r--p', pageRoles: ['data'] }, text],
    layout: 'MIPS-derived arch/loongarch/kernel/vdso.c: static vdso_vvar_mapping { .name = "[vvar]", .pages = no_pages }; vvar_size = PAGE_SIZE; base = get_unmapped_area(NULL, vdso_base(), vvar_size + image->size); _install_special_mapping(mm, base, vvar_size, VM_READ|VM_MAYREAD, "[vvar]") + remap_pfn_range of union loongarch_vdso_data (time fields + vdso_pcpu_data pcpu_data[NR_CPUS], 16 bytes each, capped by u8 page[PAGE_SIZE]); text at base + PAGE_SIZE.',
    read: [
      { release: '4.19.190 (LOONGSON_RELEASE = 6; top Makefile read at this commit)', repo: 'MiaoHao-oops/ipipe-la', commit: 'ddf6c0c58b81d06de76fbfad3e00fbfd92c20734', file: 'arch/loongarch/kernel/vdso.c', says: 'vvar_size = PAGE_SIZE; data_addr = base; vdso_addr = data_addr + PAGE_SIZE; _install_special_mapping(mm, base, vvar_size, VM_READ | VM_MAYREAD, &vdso_vvar_mapping /* "[vvar]" */)' },
      { release: '4.19.190 (same tree)', repo: 'MiaoHao-oops/ipipe-la', commit: 'ddf6c0c58b81d06de76fbfad3e00fbfd92c20734', file: 'arch/loongarch/include/asm/vdso.h', says: 'union loongarch_vdso_data { struct { ...time fields...; vdso_pcpu_data pcpu_data[NR_CPUS]; }; u8 page[PAGE_SIZE]; }' },
    ],
    captures: [],
    open: 'Another Loongson 4.19 release (vdso.c text via the index, id 11433317449, repository not shown) uses vvar_size = sizeof(vdso) with union { struct loongarch_vdso_data data; u8 pages[PAGE_ALIGN(sizeof(struct loongarch_vdso_data))]; }, i.e. PAGE_ALIGN(~80 + 16*NR_CPUS): still 1 page at 16K for NR_CPUS <= 1019, 2 at 4K/256. Hence {min 1}. openEuler / Anolis / Kylin stored LoongArch trees were not found in the index.',
    source: 'Loongson out-of-tree LoongArch port on 4.19 (not mainline)',
  },
  {
    ...common, id: 'loongarch-vendor-5.10', since: '5.10', until: '5.11',
    vendor: { name: 'OpenHarmony 5.10 (backport of mainline LoongArch incl. 6.5 time-namespace vvar)', release: '^5\\.10\\.' },
    regions: [{ name: '[vvar]', role: 'data', pages: perCpu(2), perms: 'r--p', pageRoles: ['data', 'timens', 'pcpu'] }, text],
    layout: 'Same code as mainline 6.5-6.11: generic_vdso_data (1 page) + timens page + loongarch_vdso_data { pdata[NR_CPUS] } pages; _install_special_mapping(mm, data_addr, VVAR_SIZE, VM_READ|VM_MAYREAD|VM_PFNMAP, "[vvar]" with vvar_fault); text (vdso_info.size = PAGE_SIZE) at data_addr + VVAR_SIZE.',
    read: [
      { release: '5.10.x (OpenHarmony; Makefile not stored at this commit)', repo: 'openharmony/kernel_linux_5.10', commit: '180120baff52dda67150102dd7d6c227c873f912', file: 'arch/loongarch/kernel/vdso.c', says: 'vvar_fault: VVAR_GENERIC_PAGE_OFFSET / VVAR_TIMENS_PAGE_OFFSET / VVAR_LOONGARCH_PAGES_START..END; size = VVAR_SIZE + info->size; _install_special_mapping(mm, data_addr, VVAR_SIZE, ..., &info->data_mapping); vdso_addr = data_addr + VVAR_SIZE' },
    ],
    captures: [],
    open: 'Only OpenHarmony\'s 5.10 was found. Other 5.10-based LoongArch kernels (openEuler OLK-5.10, Anolis 5.10, Kylin) were not found in the index; if they carry an older Loongson vDSO they would look like the 4.19 vendor row instead, so a mismatch on a non-OpenHarmony 5.10 kernel is not proof of a bug.',
    source: 'OpenHarmony kernel_linux_5.10 LoongArch backport (not mainline)',
  },
  {
    ...common, id: 'loongarch-5.19', since: '5.19', until: '6.0',
    regions: [{ name: '[vvar]', role: 'data', pages: 1, perms: 'r--p', pageRoles: ['data'] }, text],
    layout: 'vdso_info { .size = PAGE_SIZE, code_mapping "[vdso]", data_mapping "[vvar]" }; vvar_size = PAGE_SIZE; data_addr = get_unmapped_area(NULL, vdso_base(), vvar_size + info->size); _install_special_mapping(mm, data_addr, vvar_size, VM_READ|VM_MAYREAD, "[vvar]") + remap_pfn_range(vdso_data, PAGE_SIZE); _install_special_mapping(mm, data_addr + PAGE_SIZE, info->size, r-x, "[vdso]"). get_vdso_data() = vdso base - PAGE_SIZE.',
    read: [
      { release: '5.19-era LoongArch port (pre-getcpu; Makefile not stored at this commit)', repo: 'xen0n/linux', commit: '7e23264524a6c0b82d96c51f7a278d024bb6e3e6', file: 'arch/loongarch/kernel/vdso.c', says: 'static union loongarch_vdso_data { u8 page[PAGE_SIZE]; struct vdso_data data[CS_BASES]; }; .size = PAGE_SIZE; vvar_size = PAGE_SIZE; vdso_addr = data_addr + PAGE_SIZE; data_mapping .name = "[vvar]"' },
    ],
    captures: [],
    open: '[vdso] is always exactly 1 page here (vdso_info.size = PAGE_SIZE), whatever the image size. No capture of this era.',
    source: 'LoongArch port "Add VDSO and VSYSCALL support" (5.19)',
  },
  {
    ...common, id: 'loongarch-6.0', since: '6.0', until: '6.5',
    regions: [{ name: '[vvar]', role: 'data', pages: perCpu(0, 512), perms: 'r--p', pageRoles: ['pcpu+data'] }, text],
    layout: 'struct loongarch_vdso_data { struct vdso_pcpu_data pdata[NR_CPUS]; struct vdso_data data[CS_BASES]; }; VDSO_DATA_SIZE = PAGE_ALIGN(sizeof(struct loongarch_vdso_data)); vvar_size = VDSO_DATA_SIZE; remap_pfn_range(&loongarch_vdso_data, vvar_size); vdso_addr = data_addr + VDSO_DATA_SIZE. One [vvar] vma: per-CPU array at the bottom, generic vdso_data at bottom + 64*NR_CPUS (get_vdso_data() = vdso base - VDSO_DATA_SIZE + SMP_CACHE_BYTES*NR_CPUS). Pages: ceil((64*NR_CPUS + 512)/PAGE_SIZE): 16K/64 1, 16K/256 2, 4K/64 2, 4K/256 5.',
    read: [
      { release: '6.1.0-rc7 (top Makefile)', repo: 'krr-io/linux-6.1.0', commit: '2a410d07ec5ec084264732088d6b07ae06681287', file: 'arch/loongarch/include/asm/vdso/vdso.h', says: 'struct vdso_pcpu_data { u32 node; } ____cacheline_aligned_in_smp; struct loongarch_vdso_data { struct vdso_pcpu_data pdata[NR_CPUS]; struct vdso_data data[CS_BASES]; }; #define VDSO_DATA_SIZE PAGE_ALIGN(sizeof(struct loongarch_vdso_data))' },
      { release: '6.1.0-rc7 (top Makefile)', repo: 'krr-io/linux-6.1.0', commit: '2a410d07ec5ec084264732088d6b07ae06681287', file: 'include/vdso/datapage.h', says: 'VDSO_BASES (CLOCK_TAI + 1) = 12; CS_BASES (CS_RAW + 1) = 2; struct vdso_data { u32 seq; s32 clock_mode; u64 cycle_last; u64 mask; u32 mult; u32 shift; union { vdso_timestamp basetime[VDSO_BASES]; ... }; s32 tz_minuteswest; s32 tz_dsttime; u32 hrtimer_res; u32 __unused; struct arch_vdso_data arch_data /* {} */; }: 240 bytes, so data[CS_BASES] is 480 and the 64-byte-aligned struct 64*NR_CPUS + 512' },
      { release: '6.1.0-rc7 (top Makefile)', repo: 'krr-io/linux-6.1.0', commit: '2a410d07ec5ec084264732088d6b07ae06681287', file: 'arch/loongarch/kernel/vdso.c', says: 'vvar_size = VDSO_DATA_SIZE; size = vvar_size + info->size; _install_special_mapping(mm, data_addr, vvar_size, VM_READ | VM_MAYREAD, &info->data_mapping); vdso_addr = data_addr + VDSO_DATA_SIZE' },
    ],
    captures: [],
    open: 'Start read from the patch "[PATCH V2] LoongArch: Add vDSO syscall __vdso_getcpu()" (23 Jun 2022) and the LoongArch 6.0 pull that lists it with the PCI support; no 6.0 tree was read, the layout was read in 6.1.0-rc7. Also applies to 6.1.0-6.1.114 (6.1.115 backported the 6.5 layout).',
    source: '"LoongArch: Add vDSO syscall __vdso_getcpu()" (6.0): VDSO_DATA_SIZE = PAGE_ALIGN(pcpu[NR_CPUS] + vdso_data[CS_BASES])',
  },
  {
    ...common, id: 'loongarch-6.5', since: '6.5', until: '6.12', backports: ['6.1.115'],
    regions: [{ name: '[vvar]', role: 'data', pages: perCpu(2), perms: 'r--p', pageRoles: ['data', 'timens', 'pcpu'] }, text],
    layout: 'enum vvar_pages { VVAR_GENERIC_PAGE_OFFSET, VVAR_TIMENS_PAGE_OFFSET, VVAR_LOONGARCH_PAGES_START, VVAR_LOONGARCH_PAGES_END = START + LOONGARCH_VDSO_DATA_PAGES - 1, VVAR_NR_PAGES }; LOONGARCH_VDSO_DATA_SIZE = PAGE_ALIGN(sizeof(struct loongarch_vdso_data { pdata[NR_CPUS] })); VVAR_SIZE = VVAR_NR_PAGES << PAGE_SHIFT; _install_special_mapping(mm, data_addr, VVAR_SIZE, VM_READ|VM_MAYREAD|VM_PFNMAP, "[vvar]" .fault = vvar_fault); text at data_addr + VVAR_SIZE (still 1 page). Pages: 2 + ceil(64*NR_CPUS/PAGE_SIZE): 16K/64 3, 16K/256 3, 4K/64 3, 4K/256 6.',
    read: [
      { release: 'vendor 5.10 carrying exactly this code (see loongarch-vendor-5.10)', repo: 'openharmony/kernel_linux_5.10', commit: '180120baff52dda67150102dd7d6c227c873f912', file: 'arch/loongarch/kernel/vdso.c', says: 'vvar_fault over VVAR_GENERIC / VVAR_TIMENS / VVAR_LOONGARCH_PAGES_START..END; _install_special_mapping(mm, data_addr, VVAR_SIZE, VM_READ | VM_MAYREAD | VM_PFNMAP, &info->data_mapping)' },
    ],
    captures: [],
    open: 'Mainline start read from "[PATCH v4 2/2] LoongArch: Add support to clone a time namespace" (Tiezhu Yang; queued for loongarch-next 7 Jun 2023 -> 6.5). Stable: the Linux 6.1.115 announcement (1 Nov 2024) lists arch/loongarch/kernel/vdso.c +98 and asm/vdso/vdso.h +32 and "LoongArch: Add support to clone a time namespace" - hence backports [6.1.115]. No mainline 6.5-6.11 tree was read with a commit.',
    source: '"LoongArch: Add support to clone a time namespace" (6.5; stable 6.1.115)',
  },
  {
    ...common, id: 'loongarch-6.12', since: '6.12', until: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: perCpu(2, 64), perms: 'r--p', pageRoles: ['data', 'timens', 'pcpu+rng'] }, text],
    layout: 'struct loongarch_vdso_data { struct vdso_pcpu_data pdata[NR_CPUS]; struct vdso_rng_data rng_data; } (getrandom); otherwise as 6.5. Pages: 2 + ceil((64*NR_CPUS + 64)/PAGE_SIZE): 16K/64 3, 16K/256 4, 4K/64 4, 4K/256 7. [vdso] = PAGE_ALIGN(vdso_end - vdso_start) from 2ed119aef60d "LoongArch: Set correct size for vDSO code mapping" (fix for the getrandom commit, same release).',
    read: [
      { release: '6.12-6.14 (rng_data in loongarch_vdso_data, dynamic vdso_info.size; Makefile not stored at this commit)', repo: 'torvalds/linux', commit: '25768de50b1f2dbb6ea44bd5148a87fe2c9c3688', file: 'arch/loongarch/kernel/vdso.c', says: 'static union { u8 page[LOONGARCH_VDSO_DATA_SIZE]; struct loongarch_vdso_data vdata; }; vdso_rng_data = &loongarch_vdso_data.vdata.rng_data; vdso_info.size = PAGE_ALIGN(vdso_end - vdso_start); size = VVAR_SIZE + info->size; _install_special_mapping(mm, data_addr, VVAR_SIZE, VM_READ | VM_MAYREAD | VM_PFNMAP, &info->data_mapping)' },
    ],
    captures: [],
    open: 'The rng_data member pushes the arch part one page over whenever 64*NR_CPUS is a multiple of PAGE_SIZE (16K/256, 4K/64, 4K/256): the only era where 16K/64 and 16K/256 differ by a page. Release of the getrandom wiring (6.12) is from the random.git vDSO pull listing "LoongArch: vDSO: Wire up getrandom() vDSO implementation" (v5 posted 29 Aug 2024).',
    source: '"LoongArch: vDSO: Wire up getrandom() vDSO implementation" + 2ed119aef60d "LoongArch: Set correct size for vDSO code mapping" (6.12)',
  },
  {
    ...common, id: 'loongarch-6.15', since: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: perCpu(3), perms: 'r--p', pageRoles: GENERIC_VVAR_ROLES }, text],
    layout: 'select ARCH_HAS_VDSO_ARCH_DATA + GENERIC_VDSO_DATA_STORE; asm/vdso/arch_data.h: struct vdso_arch_data { struct vdso_pcpu_data pdata[NR_CPUS]; }; VDSO_NR_PAGES = 3 + VDSO_ARCH_DATA_PAGES (ALIGN(sizeof(vdso_arch_data), PAGE_SIZE)); VVAR_SIZE = VDSO_NR_PAGES << PAGE_SHIFT; vdso_install_vvar_mapping(mm, data_addr) ("[vvar]"), text at data_addr + VVAR_SIZE. Pages: 3 + ceil(64*NR_CPUS/PAGE_SIZE): 16K/64 4, 16K/256 4, 4K/64 4, 4K/256 7 (NR_CPUS=2048: 16K 11, 4K 35).',
    read: [
      { release: '6.15+ (generic datastore)', repo: 'torvalds/linux', commit: '0235220807033c7a1dc2a96cc23b6eae0dd11c81', file: 'lib/vdso/datastore.c', says: 'vdso_arch_data_store: union { struct vdso_arch_data data; u8 page[VDSO_ARCH_DATA_SIZE]; }; vdso_install_vvar_mapping: "[vvar]", VDSO_NR_PAGES * PAGE_SIZE' },
      { release: '7.1.3 (top Makefile)', repo: 'rikudousennin22/linux-7.1.3', commit: '037c6bf47ba7b581c3b798e5220e3746ff6c24f2', file: 'arch/loongarch/include/asm/vdso/arch_data.h', says: 'struct vdso_pcpu_data { u32 node; } ____cacheline_aligned_in_smp; struct vdso_arch_data { struct vdso_pcpu_data pdata[NR_CPUS]; } (L1_CACHE_SHIFT 6: 64 bytes per CPU)' },
      { release: '7.1.3 (top Makefile)', repo: 'rikudousennin22/linux-7.1.3', commit: '037c6bf47ba7b581c3b798e5220e3746ff6c24f2', file: 'include/vdso/datapage.h', says: 'VDSO_ARCH_DATA_SIZE ALIGN(sizeof(struct vdso_arch_data), PAGE_SIZE); enum vdso_pages { VDSO_TIME_PAGE_OFFSET, VDSO_TIMENS_PAGE_OFFSET, VDSO_RNG_PAGE_OFFSET, VDSO_ARCH_PAGES_START, VDSO_ARCH_PAGES_END = START + VDSO_ARCH_DATA_PAGES - 1, VDSO_NR_PAGES }' },
      { release: '7.1.3 (top Makefile)', repo: 'rikudousennin22/linux-7.1.3', commit: '037c6bf47ba7b581c3b798e5220e3746ff6c24f2', file: 'arch/loongarch/Kconfig', says: 'config NR_CPUS int "Maximum number of CPUs (2-2048)" range 2 2048 default "2048" depends on SMP' },
    ],
    captures: ['samples/corpus/loong64-7.2.13+deb14-loong64/maps-pid1.txt', 'samples/corpus/loong64-7.2.13+deb14-loong64/auxv-pid1.txt'],
    open: 'Debian 7.2.13 (16K pages, NR_CPUS=64): [vvar] r--p 0x10000 (4 pages) then [vdso] r-xp 0x4000; AT_SYSINFO_EHDR 0x7ffffd2d4000 = [vdso] start. The conversion was read as "[PATCH v3 10/18] LoongArch: vDSO: Switch to generic storage implementation" (4 Feb 2025; tip timers/vdso -> 6.15; pinned as d2862bb9d9ca by its tip-bot mail, Commit-ID d2862bb9d9ca58f41319a55db0ca275774ae0c6a, and the linux-next merge report).',
    source: 'd2862bb9d9ca "LoongArch: vDSO: Switch to generic storage implementation" (6.15): VDSO_NR_PAGES = 3 + pdata[NR_CPUS] pages',
  },
];
