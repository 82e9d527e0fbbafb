import { DATA_TIMENS_ROLES, GENERIC_VVAR_ROLES, type NeighbourSpec, type ProfileRow, type SourceRead } from '../profile-types.js';

// arm64 (AArch64 tasks, and AArch32 "compat" tasks on the same kernel).
//
// Shape of every era after 3.17: [vvar] (r--p, N pages) right below [vdso] (r-xp), both reserved by one
// get_unmapped_area(vvar + text) and mapped by two _install_special_mapping calls; mm->context.vdso and
// AT_SYSINFO_EHDR = the [vdso] start. Page counts are in kernel pages at any of 4K/16K/64K: the text is
// vdso.so padded to PAGE_SIZE (vdso.S .balign PAGE_SIZE), the data pages are N * PAGE_SIZE.
// Compat tasks get the same [vvar]+[vdso] pair (vdso32) only from 5.3 with CONFIG_COMPAT_VDSO; before
// that a compat task has no vDSO at all, only the pages below.

/** Compat kuser-helper page at 0xffff0000; before 5.2 it also held the sigreturn trampolines and was always mapped. */
const vectorsAlways: NeighbourSpec = {
  name: '[vectors]', pages: 1, perms: ['r-xp'], placement: 'fixed', at: 0xffff0000n, optional: false, tasks: ['arm'],
  note: 'AArch32 vectors page at AARCH32_VECTORS_BASE (kuser helpers + sigreturn code), mapped for every compat task before 5.2',
};
/** 5.2+: only with CONFIG_KUSER_HELPERS (default y). */
const vectors: NeighbourSpec = {
  name: '[vectors]', pages: 1, perms: ['r-xp'], placement: 'fixed', at: 0xffff0000n, optional: true, tasks: ['arm'],
  note: 'AArch32 kuser helpers at AARCH32_VECTORS_BASE, only with CONFIG_KUSER_HELPERS (5.2+); corpus arm64 5.10/6.1 maps-compat32',
};
/** 5.2–5.7: the compat sigreturn page exists only when there is no compat vDSO (CONFIG_COMPAT_VDSO=n). */
const sigpageUnlessCompatVdso: NeighbourSpec = {
  name: '[sigpage]', pages: 1, perms: ['r-xp'], placement: 'anywhere', optional: true, tasks: ['arm'],
  note: 'aarch32_sigreturn_setup() is called only #ifndef CONFIG_COMPAT_VDSO (5.3–5.7); own get_unmapped_area',
};
/** 5.2 (no compat vDSO yet) and 5.8+: always mapped for compat tasks, by its own get_unmapped_area after the vDSO. */
const sigpage: NeighbourSpec = {
  name: '[sigpage]', pages: 1, perms: ['r-xp'], placement: 'anywhere', optional: false, tasks: ['arm'],
  note: 'aarch32_sigreturn_setup(): own get_unmapped_area(PAGE_SIZE) after the compat vDSO, so top-down it lands right below [vvar] (corpus 5.10/6.1) but nothing guarantees adjacency',
};
/** Some Android device kernels (Kevin Brodsky's out-of-tree compat patches): kuser helpers page under another name. */
const kuserhelpers: NeighbourSpec = {
  name: '[kuserhelpers]', pages: 1, perms: ['r-xp'], placement: 'fixed', at: 0xffff0000n, optional: true, tasks: ['arm'],
  note: 'Android out-of-tree compat code: kuser helpers at AARCH32_KUSER_HELPERS_BASE named "[kuserhelpers]" (CONFIG_KUSER_HELPERS)',
};
const sigreturnAndroid: NeighbourSpec = {
  name: '[sigreturn]', pages: 1, perms: ['r-xp'], placement: 'anywhere', optional: true, tasks: ['arm'],
  note: 'Android out-of-tree compat code without CONFIG_VDSO32: sigreturn trampolines page named "[sigreturn]"',
};
const sigpageOptional: NeighbourSpec = { ...sigpage, optional: true };

const text = { name: '[vdso]', role: 'text', perms: 'r-xp' } as const;
const vvar1 = { name: '[vvar]', role: 'data', pages: 1, perms: 'r--p', pageRoles: ['data'] } as const;
const common = { family: 'arm64', pageSizes: [4096, 16384, 65536], defaultPageSize: 4096, embeds: 'stripped' } as const;

const VDSO_C = 'arch/arm64/kernel/vdso.c';

const R = {
  k3gxx310: {
    release: '3.10.9 / 3.10.49 (Makefile at this commit is an unresolved merge of the two)', repo: 'Exynos5422/android_kernel_samsung_k3gxx',
    commit: '9f033d74ffc449448c58222e40581448527b81d5', file: VDSO_C,
    says: 'both sides of the merge: vdso_mapping_len = (vdso_pages + 1) << PAGE_SHIFT; one install_special_mapping(mm, vdso_base, vdso_mapping_len, VM_READ|VM_EXEC|…, vdso_pagelist) with vdso_pagelist[vdso_pages] = the data page (after the code); mm->context.vdso = vdso_base; arch_vma_name(): vm_start == context.vdso → "[vdso]", or "[vectors]" when it is AARCH32_VECTORS_BASE (compat)',
  },
  kud318: {
    release: '3.18.139 (Makefile read at 0121f1ba…, same repository)', repo: 'KudProject/kernel_xiaomi_msm8953-3.18',
    commit: 'cdb3bec128c942ffb403bd5765dbf6e96cdc556a', file: VDSO_C,
    says: 'vdso_spec[2] = { "[vvar]", "[vdso]" }; _install_special_mapping(vdso_base, PAGE_SIZE, VM_READ|VM_MAYREAD, [vvar]); vdso_base += PAGE_SIZE; mm->context.vdso = vdso_base; _install_special_mapping(text, [vdso]); compat: aarch32_setup_vectors_page() maps "[vectors]" PAGE_SIZE at AARCH32_VECTORS_BASE (kuser helpers + sigreturn code)',
  },
  torvalds45: {
    release: '4.x (~4.5 by content; the stored Makefile is at another commit)', repo: 'torvalds/linux',
    commit: '01b944fe1cd4e21a2a9ed51adbdbafe2d5e905ba', file: VDSO_C,
    says: '[vvar] PAGE_SIZE at vdso_base, vdso_base += PAGE_SIZE, [vdso] vdso_text_len; compat "[vectors]" at AARCH32_VECTORS_BASE',
  },
  baylibre49: {
    release: '4.9.184/4.9.185 (android-4.9-p; conflict markers "Merge 4.9.184 into android-4.9-p" / "Linux 4.9.185")', repo: 'BayLibre/android_kernel_common',
    commit: '82c57fa0a5021c815e0a0fee56b75a5711dac7a1', file: VDSO_C,
    says: 'vdso_mapping_len = vdso_text_len + PAGE_SIZE; [vvar] PAGE_SIZE then [vdso]; compat "[vectors]" only (mainline 3.17–5.1 shape)',
  },
  endcredits54: {
    release: '5.4.226 (Android/QCOM msm-5.4; Makefile read at 077b877d…, same repository)', repo: 'EndCredits/android_kernel_xiaomi_sm8350',
    commit: '25b0edf255b1a12b38ff49510e708e164d7e35e4', file: VDSO_C,
    says: '__setup_additional_pages(): vdso_mapping_len = vdso_text_len + PAGE_SIZE; [vvar] PAGE_SIZE then [vdso] (no timens page); aarch32_setup_additional_pages(): [vectors] if IS_ENABLED(CONFIG_KUSER_HELPERS), compat [vvar]+[vdso] if IS_ENABLED(CONFIG_COMPAT_VDSO), then aarch32_sigreturn_setup() "[sigpage]" unconditionally (the 5.8 code, backported)',
  },
  colin: {
    release: 'linux-next, early 2025 (VM_SEALED_SYSMAP present, generic storage not yet; Makefile not read)', repo: 'ColinIanKing/linux-next',
    commit: '6742f72d084b273a9c0ef2071c13798ec7c7f36b', file: VDSO_C,
    says: 'BUILD_BUG_ON(VVAR_NR_PAGES != __VVAR_PAGES); vdso_mapping_len = vdso_text_len + VVAR_NR_PAGES * PAGE_SIZE; _install_special_mapping(vdso_base, VVAR_NR_PAGES * PAGE_SIZE, VM_READ|VM_MAYREAD|VM_PFNMAP|VM_SEALED_SYSMAP, vvar_map "[vvar]"); vdso_base += VVAR_NR_PAGES * PAGE_SIZE; [vdso]; compat: kuser helpers, COMPAT_VDSO, then [sigpage]',
  },
  uek: {
    release: '~6.1 by content (maple-tree MA_STATE in vdso_join_timens; Makefile not stored at this commit)', repo: 'oracle/linux-uek',
    commit: '0d7175a9c678c2eb7c9d2fcdd58d6cf3e190fec1', file: VDSO_C,
    says: '[vvar] VVAR_NR_PAGES * PAGE_SIZE (vvar_fault, vvar_mremap), then [vdso] at + VVAR_NR_PAGES * PAGE_SIZE; compat [vectors]/[vvar]/[vdso]/[sigpage] as mainline',
  },
  openeuler: {
    release: '~6.6 by content (VMA_ITERATOR + zap_vma_pages; Makefile not stored at this commit)', repo: 'openeuler-mirror/kernel',
    commit: '4bdaca345adf39f2803832809c7ca8761a64881c', file: VDSO_C,
    says: 'same two mappings with VVAR_NR_PAGES; adds a VDSO_ABI_ILP32 image mapped the same way for ILP32 tasks; compat code under CONFIG_AARCH32_EL0',
  },
  baylibreNew: {
    release: 'Android common ≥6.x by content (mseal_system_mappings() backport; Makefile not stored at this commit)', repo: 'BayLibre/android_kernel_common',
    commit: '032aa5ae394afe565f5adcbb28b44e9bfe4c9c17', file: VDSO_C,
    says: 'BUILD_BUG_ON(VVAR_NR_PAGES != __VVAR_PAGES); [vvar] VVAR_NR_PAGES * PAGE_SIZE then [vdso]; compat order kuser helpers → COMPAT_VDSO → [sigpage]',
  },
  kingVdso: {
    release: '6.17.0-rc4', repo: 'Kingxukai/linux', commit: '9b44fff655e2c6f4cc53cb499dd2c038e99cb013', file: VDSO_C,
    says: 'BUILD_BUG_ON(VDSO_NR_PAGES != __VDSO_PAGES); vdso_mapping_len = vdso_text_len + VDSO_NR_PAGES * PAGE_SIZE; vdso_install_vvar_mapping(mm, vdso_base); vdso_base += VDSO_NR_PAGES * PAGE_SIZE; mm->context.vdso = vdso_base; [vdso]',
  },
  kingLds: {
    release: '6.17.0-rc4', repo: 'Kingxukai/linux', commit: '9b44fff655e2c6f4cc53cb499dd2c038e99cb013', file: 'arch/arm64/kernel/vdso/vdso.lds.S',
    says: 'SECTIONS { VDSO_VVAR_SYMS  . = SIZEOF_HEADERS; … } — the data symbols sit below the image',
  },
  kingDatapage: {
    release: '6.17-rc (same repository as 9b44fff…; Makefile not stored at this commit)', repo: 'Kingxukai/linux', commit: '0291023e7330da28f2f7453c87c2ab7082d8360f', file: 'include/vdso/datapage.h',
    says: 'enum vdso_pages { VDSO_TIME_PAGE_OFFSET, VDSO_TIMENS_PAGE_OFFSET, VDSO_RNG_PAGE_OFFSET, VDSO_ARCH_PAGES_START, VDSO_ARCH_PAGES_END = START + VDSO_ARCH_DATA_PAGES - 1, VDSO_NR_PAGES }; without ARCH_HAS_VDSO_ARCH_DATA the dummy struct vdso_arch_data { char __unused; } rounds to one page → VDSO_NR_PAGES = 4; VDSO_VVAR_SYMS: vdso_u_data = . - __VDSO_PAGES * PAGE_SIZE',
  },
  kingDatastore: {
    release: '6.17-rc (same repository as 9b44fff…; Makefile not stored at this commit)', repo: 'Kingxukai/linux', commit: '0291023e7330da28f2f7453c87c2ab7082d8360f', file: 'lib/vdso/datastore.c',
    says: 'vdso_install_vvar_mapping(): _install_special_mapping(mm, addr, VDSO_NR_PAGES * PAGE_SIZE, VM_READ|VM_MAYREAD|VM_IO|VM_DONTDUMP|VM_PFNMAP|VM_SEALED_SYSMAP, &vdso_vvar_mapping) named "[vvar]"',
  },
  exynos990: {
    release: 'Android 4.19 device kernel (Samsung exynos990; Makefile not stored at this commit)', repo: 'ExtremeXT/android_kernel_samsung_exynos990',
    commit: '10b76e89b56ae5b2d5e86cb96de38b48c0124cc6', file: VDSO_C,
    says: 'native: [vvar] PAGE_SIZE then [vdso] (mainline shape); compat: aarch32_setup_vectors_page() maps "[sigpage]" at get_unmapped_area(PAGE_SIZE) and, #ifdef CONFIG_KUSER_HELPERS, "[kuserhelpers]" at AARCH32_KUSER_HELPERS_BASE — no "[vectors]"',
  },
} satisfies Record<string, SourceRead>;

const C510 = ['samples/corpus/arm64-5.10.0-32-arm64/maps-pid1.txt', 'samples/corpus/arm64-5.10.0-32-arm64/maps-compat32.txt'];
const C61 = ['samples/corpus/arm64-6.1.0-56-arm64/maps-pid1.txt', 'samples/corpus/arm64-6.1.0-56-arm64/maps-compat32.txt'];

export const ARM64: ProfileRow[] = [
  {
    ...common, id: 'arm64-3.7', since: '3.7', until: '3.17',
    regions: [{ ...text, dataPagesAfter: 1 }],
    neighbours: [vectorsAlways],
    layout: 'one vma of vdso_pages + 1 pages: install_special_mapping(vdso_base, (vdso_pages + 1) << PAGE_SHIFT, r-x) with the data page last (after the code); named "[vdso]" by arch_vma_name() (vm_start == mm->context.vdso); AT_SYSINFO_EHDR = vma start. Compat tasks: no vDSO, "[vectors]" at 0xffff0000.',
    read: [R.k3gxx310],
    captures: [],
    open: 'No clean mainline tree of 3.7–3.16 is stored: the 3.10 tree read is an unresolved merge (the vdso mapping code is identical on both sides). The end boundary (3.17) comes from 601255ae3c98 "arm64: vdso: move data page before code pages" and 2fea7f6c98f5 "arm64: vdso: move to _install_special_mapping and remove arch_vma_name" (Will Deacon, July 2014), which are believed to have been merged for 3.17; no 3.16 or 3.17 tree was found to bracket it, only 3.10.49 (old) and 3.18.139 (new).',
    source: 'arm64 vDSO introduction (Will Deacon, 3.7): arch/arm64/kernel/vdso.c',
  },
  {
    ...common, id: 'arm64-3.17', since: '3.17', until: '5.2',
    regions: [vvar1, text],
    neighbours: [vectorsAlways],
    layout: 'get_unmapped_area(vdso_text_len + PAGE_SIZE); _install_special_mapping(vdso_base, PAGE_SIZE, VM_READ|VM_MAYREAD, "[vvar]"); vdso_base += PAGE_SIZE; mm->context.vdso = vdso_base; _install_special_mapping(vdso_base, vdso_text_len, r-x, "[vdso]"). Compat tasks: no vDSO; "[vectors]" (kuser helpers + sigreturn code) at 0xffff0000.',
    read: [R.kud318, R.torvalds45, R.baylibre49],
    captures: [],
    open: 'Start release 3.17 not bracketed by stored trees (see arm64-3.7). Compat tasks have no [vvar]/[vdso] in this era, so only the [vectors] neighbour applies to them.',
    source: '601255ae3c98 "arm64: vdso: move data page before code pages" + 2fea7f6c98f5 "arm64: vdso: move to _install_special_mapping and remove arch_vma_name" (3.17)',
  },
  {
    ...common, id: 'arm64-5.2', since: '5.2', until: '5.3',
    regions: [vvar1, text],
    neighbours: [vectors, sigpage],
    layout: 'native as arm64-3.17. Compat tasks (still no vDSO): "[vectors]" holds only the kuser helpers and is mapped only with CONFIG_KUSER_HELPERS; the sigreturn code moved to its own "[sigpage]" (get_unmapped_area).',
    read: [R.torvalds45, R.endcredits54],
    captures: [],
    open: 'No 5.2 tree was found; the boundary is the arm64 pull "arm64: updates for 5.2" (Will Deacon, 2019-05-06) listing "arm64: compat: Alloc separate pages for vectors and sigpage" and "arm64: compat: Add KUSER_HELPERS config option". The compat code quoted is from the later 5.4.226 tree.',
    source: 'Vincenzo Frascino, "arm64: compat: Alloc separate pages for vectors and sigpage" + "arm64: compat: Add KUSER_HELPERS config option" (5.2)',
  },
  {
    ...common, id: 'arm64-5.3', since: '5.3', until: '5.8',
    regions: [vvar1, text],
    neighbours: [vectors, sigpageUnlessCompatVdso],
    layout: 'generic vDSO conversion; __setup_additional_pages(): [vvar] PAGE_SIZE then [vdso] at +PAGE_SIZE, for AArch64 and (CONFIG_COMPAT_VDSO) for the AArch32 vdso32 image alike. Compat: [vectors] (KUSER_HELPERS); with COMPAT_VDSO the sigreturn trampolines come from vdso32 and there is no [sigpage]; without it, [sigpage] and no compat vDSO.',
    read: [R.torvalds45, R.endcredits54],
    captures: [],
    open: 'No mainline 5.3–5.7 tree is stored; the aarch32_setup_additional_pages() text "#ifdef CONFIG_COMPAT_VDSO __setup_additional_pages(ARM64_VDSO32…) #else aarch32_sigreturn_setup(mm)" was seen only in unattributed index hits (patch mails and one vdso.c). Compat [vvar]/[vdso] exist only if the kernel was built with CONFIG_COMPAT_VDSO (needs a 32-bit cross compiler at build time).',
    source: 'Vincenzo Frascino generic vDSO + compat vDSO series (5.3): "arm64: vdso: Substitute gettimeofday() with C implementation", "arm64: compat: Add vDSO"',
  },
  {
    ...common, id: 'arm64-5.8', since: '5.8', until: '5.9',
    regions: [vvar1, text],
    neighbours: [vectors, sigpage],
    layout: 'as arm64-5.3, but aarch32_setup_additional_pages() now always calls aarch32_sigreturn_setup() after the compat vDSO: compat tasks get [vvar]+[vdso] (COMPAT_VDSO) and a [sigpage].',
    read: [R.endcredits54],
    captures: [],
    open: 'Boundary from the "arm64 fixes for -rc3" pull (Will Deacon, 2020-06-26) and the Linux 5.8-rc3 shortlog: a39060b009ca "arm64: compat: Allow 32-bit vdso and sigpage to co-exist", 8e411be6aad1 "arm64: compat: Always use sigpage for sigreturn trampoline", 2d071968a405 "…Remove 32-bit sigreturn code from the vDSO". Whether 5.4.y/5.7.y stable took them is not settled (a Nov 2020 thread says 4.19 would need them backported); only an Android 5.4 tree with the backport was read.',
    source: '8e411be6aad1 "arm64: compat: Always use sigpage for sigreturn trampoline" (5.8-rc3)',
  },
  {
    ...common, id: 'arm64-5.9', since: '5.9', until: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: 2, perms: 'r--p', pageRoles: DATA_TIMENS_ROLES }, text],
    neighbours: [vectors, sigpage],
    layout: 'enum vvar_pages { VVAR_DATA_PAGE_OFFSET, VVAR_TIMENS_PAGE_OFFSET, VVAR_NR_PAGES } (unconditional; __VVAR_PAGES 2, BUILD_BUG_ON equal); [vvar] VVAR_NR_PAGES * PAGE_SIZE r--p (VM_PFNMAP, vvar_fault) then [vdso] at + 2 pages; vdso.lds.S _vdso_data = . - __VVAR_PAGES * PAGE_SIZE, _timens_data = _vdso_data + PAGE_SIZE (CONFIG_TIME_NS). Same for the compat vdso32. 6.12 getrandom adds _vdso_rng_data inside the first data page (__VDSO_RND_DATA_OFFSET), no extra page.',
    read: [R.uek, R.openeuler, R.baylibreNew, R.colin],
    captures: [...C510, ...C61],
    open: 'Start boundary: 3503d56cc723 "arm64/vdso: Add time namespace page" was applied to the arm64 tree in June 2020 (for-next/timens, merge window of 5.9); no 5.8/5.9 tree was read, the earliest confirmation is the corpus 5.10 capture. The [vvar] is 2 pages whether or not CONFIG_TIME_NS is set.',
    source: '3503d56cc723 "arm64/vdso: Add time namespace page" (5.9)',
  },
  {
    ...common, id: 'arm64-6.15', since: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: 4, perms: 'r--p', pageRoles: GENERIC_VVAR_ROLES }, text],
    neighbours: [vectors, sigpage],
    layout: 'generic data store: vdso_install_vvar_mapping() maps VDSO_NR_PAGES (time, timens, rng, arch = 4) * PAGE_SIZE "[vvar]" r--p at vdso_base, then [vdso] at + 4 pages; vdso.lds.S VDSO_VVAR_SYMS (vdso_u_data = . - __VDSO_PAGES * PAGE_SIZE, __VDSO_PAGES 4). Same for the compat vdso32.',
    read: [R.kingVdso, R.kingLds, R.kingDatapage, R.kingDatastore],
    captures: [],
    open: 'No arm64 capture ≥ 6.15 in the corpus (the armhf 7.2 capture confirms VDSO_NR_PAGES = 4 for the same generic code). The 6.15 start is from the tip timers/vdso commit 0b3bc3354eb9 (merged for 6.15); the tree read is 6.17-rc4.',
    source: '0b3bc3354eb9 "arm64: vdso: Switch to generic storage implementation" (6.15): __VVAR_PAGES 2 → __VDSO_PAGES 4',
  },
  // Vendor: Android device kernels that carry Kevin Brodsky's out-of-tree AArch32 patches instead of the
  // mainline compat code. Native tasks are unaffected; compat tasks show "[kuserhelpers]" (not "[vectors]")
  // and "[sigpage]" or "[sigreturn]", possibly a compat [vvar]+[vdso] (CONFIG_VDSO32).
  {
    ...common, id: 'arm64-android-4.x-compat', since: '4.4', until: '5.4',
    vendor: { name: 'Android device kernel with out-of-tree AArch32 vDSO/kuser patches', release: '^4\\.(4|9|14|19)\\.\\d+.*(android|-perf|-qgki)' },
    regions: [vvar1, text],
    neighbours: [vectors, kuserhelpers, sigpageOptional, sigreturnAndroid],
    layout: 'native: [vvar] PAGE_SIZE then [vdso] (as arm64-3.17). Compat: "[sigpage]" (or "[sigreturn]" without CONFIG_VDSO32) at get_unmapped_area, "[kuserhelpers]" at 0xffff0000 with CONFIG_KUSER_HELPERS; with CONFIG_VDSO32 a compat [vvar] (1 page) + [vdso].',
    read: [R.exynos990],
    captures: [],
    open: 'Which Android trees carry these patches is not settled: android-4.9-p common (BayLibre 82c57fa0) has the mainline "[vectors]" code, while a Samsung 4.19 device tree has "[kuserhelpers]"; the "[sigreturn]"/CONFIG_VDSO32 variant was seen only in an unattributed index hit. Android 4.19 later also got the mainline 5.3 compat vDSO backport (vdso32/, per a Nov 2020 LKML thread by a Google engineer). The release regex is a guess: Android/QCOM uname strings vary.',
    source: 'Android out-of-tree "arm64: compat: …" patches (Kevin Brodsky), not in mainline',
  },
];
