import type { NeighbourSpec, ProfileRow, RegionSpec, SourceRead } from '../profile-types.js';
import { ARM64 } from './arm64.js';
import { POWERPC } from './powerpc.js';
import { RISCV } from './riscv.js';
import { S390 } from './s390.js';
import { X86 } from './x86.js';
import { OFFSET_IS_START_UNTIL, OFFSET_READS } from './maps-offset.js';

// Vendor kernels people run, read in the vendor's own tree (each row's `read` names the tree, commit and file).
// One row per vendor line x family whose tree was read. A row that says "same as mainline <id>" copies
// that row's regions/neighbours/page sizes: it documents that the vendor tree was read and found equal.
// Rows that differ: RHEL 8 from 4.18.0-305 (x86 timens page, arm64 timens page), Ubuntu 16.04 by ABI
// number (x86), Android 15/16 x86_64 (16 KiB page-size-emulation granule).
// These rows replace the older guesses x86-rhel8 and x86-ubuntu-4.4 in x86.ts (same release patterns,
// now split by ABI number); keep only one set.
//
// Release patterns (RegExp sources, matched against uname -r; rows are also bounded by since/until):
//   RHEL 8 and rebuilds: 4.18.0-<ABI>.<…>.el8_N.<arch> (also .rt…, Virtuozzo .vz8); ABI 80 = 8.0, 147 = 8.1,
//   193 = 8.2, 240 = 8.3, 305 = 8.4 … 553 = 8.10; 241-304 only in CentOS Stream 8 / pre-8.4 builds.
const EL8_LE_240 = '^4\\.18\\.0-(\\d{1,2}|1\\d\\d|2[0-3]\\d|240)\\.(.*\\.)?(el8|vz8)';
const EL8_241_304 = '^4\\.18\\.0-(24[1-9]|2[5-9]\\d|30[0-4])\\.(.*\\.)?(el8|vz8)';
const EL8_GE_305 = '^4\\.18\\.0-(30[5-9]|3[1-9]\\d|[4-9]\\d\\d|\\d{4,})\\.(.*\\.)?(el8|vz8)';
const EL8_ALL = '^4\\.18\\.0-\\d+\\.(.*\\.)?(el8|vz8)';
const EL9 = '^5\\.14\\.0-\\d+\\.(.*\\.)?el9';
const EL10 = '^6\\.12\\.0-\\d+\\.(.*\\.)?el10';
//   Ubuntu: <base>.0-<ABI>-<flavour> (generic, lowlatency, aws, azure, gcp, oracle, kvm, …); HWE kernels
//   carry the same strings as the release they come from (5.4 HWE on 18.04, 5.15 HWE on 20.04, 6.8 HWE on 22.04).
const UBUNTU = (base: string) => `^${base.replace(/\./g, '\\.')}\\.0-\\d+-`;
//   Android GKI / common: <x.y.z>-android<N>-<KMI gen>-…
const ANDROID = (xy: string, releases: string) => `^${xy.replace(/\./g, '\\.')}\\.\\d+-android(${releases})-`;

const row = (table: readonly ProfileRow[], id: string): ProfileRow => {
  const r = table.find((x) => x.id === id);
  if (!r) throw new Error(`vendor rows: no mainline row ${id}`);
  return r;
};

/** A vendor row whose layout equals mainline row `base`: regions, neighbours, page sizes copied from it. */
const same = (
  base: ProfileRow,
  fields: Pick<ProfileRow, 'id' | 'since' | 'until' | 'vendor' | 'read'> & Partial<Pick<ProfileRow, 'open' | 'captures'>> & { what: string },
): ProfileRow => ({
  id: fields.id, family: base.family, since: fields.since, until: fields.until, vendor: fields.vendor,
  pageSizes: base.pageSizes, defaultPageSize: base.defaultPageSize, regions: base.regions, neighbours: base.neighbours,
  embeds: base.embeds,
  layout: `same as mainline ${base.id}: ${fields.what}`,
  read: fields.read, captures: fields.captures ?? [], open: fields.open,
  source: `${base.source} (vendor tree read: no change)`,
});

/** A vendor row whose layout differs from every mainline row of its version: regions given; neighbours, page sizes from `base`. */
const differs = (
  base: ProfileRow,
  fields: Pick<ProfileRow, 'id' | 'since' | 'until' | 'vendor' | 'regions' | 'layout' | 'read' | 'source'> & Partial<Pick<ProfileRow, 'open' | 'captures'>>,
): ProfileRow => ({
  id: fields.id, family: base.family, since: fields.since, until: fields.until, vendor: fields.vendor,
  pageSizes: base.pageSizes, defaultPageSize: base.defaultPageSize, regions: fields.regions, neighbours: base.neighbours,
  embeds: base.embeds, layout: fields.layout, read: fields.read, captures: fields.captures ?? [], open: fields.open,
  source: fields.source,
});

// ---------------------------------------------------------------------------------------------
// Trees read (all fetched snapshots, read with git show at the commit named).
const ALMA = 'mkuron/almalinux-kernel'; // AlmaLinux source RPMs unpacked, one commit per kernel-<v>.src.rpm, branches 8.3 … 10.0
const R = {
  // RHEL 8 family
  el8_80_x86: { release: '4.18.0-80.7.1.el8 (Makefile 4.18.0; Makefile.rhelver RHEL_MINOR 0, RHEL_RELEASE 80.7.1)', repo: 'wuxingyi/centos8-bcache', commit: '6281ba2895d9aabe6cfa95703d3d76eb47a230fa', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 3 * PAGE_SIZE; pvclock_page = vvar_start + PAGE_SIZE; hvclock_page = vvar_start + 2 * PAGE_SIZE' },
  el8_80_arm64: { release: '4.18.0-80.7.1.el8', repo: 'wuxingyi/centos8-bcache', commit: '6281ba2895d9aabe6cfa95703d3d76eb47a230fa', file: 'arch/arm64/kernel/vdso.c', says: 'vdso_mapping_len = vdso_text_len + PAGE_SIZE; [vvar] PAGE_SIZE then [vdso]; vdso.lds.S PROVIDE(_vdso_data = . - PAGE_SIZE)' },
  el8_80_ppc: { release: '4.18.0-80.7.1.el8', repo: 'wuxingyi/centos8-bcache', commit: '6281ba2895d9aabe6cfa95703d3d76eb47a230fa', file: 'arch/powerpc/kernel/vdso.c', says: 'install_special_mapping(mm, vdso_base, vdso_pages << PAGE_SHIFT, …) with the data page counted in vdso_pages (last); arch_vma_name() names "[vdso]"' },
  el8_80_s390: { release: '4.18.0-80.7.1.el8', repo: 'wuxingyi/centos8-bcache', commit: '6281ba2895d9aabe6cfa95703d3d76eb47a230fa', file: 'arch/s390/kernel/vdso.c', says: 'if (!uses_interp) return 0; vdso64_pagelist[vdso64_pages - 1] = virt_to_page(vdso_data); one "[vdso]" vma' },
  el8_80_ampere: { release: '4.18.0-80.11.2.el8 (Makefile.rhelver RHEL_MINOR 0, RHEL_RELEASE 80.11.2; Ampere CentOS 8 tree)', repo: 'AmpereComputing/ampere-centos-kernel---DEPRECATED', commit: 'ddb71d5153a183e2d869162d930404847c8b213a', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 3 * PAGE_SIZE (arm64 vdso.c at the same commit: vdso_mapping_len = vdso_text_len + PAGE_SIZE)' },
  el8_240: { release: '4.18.0-240.el8 (Makefile 4.18.0; Makefile.rhelver RHEL_MINOR 3, RHEL_RELEASE 240)', repo: ALMA, commit: '433d32f172118da7726aa90247ae2760273635d6', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 3 * PAGE_SIZE; arm64 vdso.lds.S at the same commit: PROVIDE(_vdso_data = . - PAGE_SIZE)' },
  el8_240_22: { release: '4.18.0-240.22.1.el8_3 (last 8.3 update; Makefile.rhelver RHEL_RELEASE 240.22.1)', repo: ALMA, commit: '19e5db4a49895af973ffd812448431ec3299add7', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 3 * PAGE_SIZE; vvar_page, pvclock_page = +1, hvclock_page = +2 (no timens_page); arm64 vdso.c: vdso_mapping_len = vdso_text_len + PAGE_SIZE' },
  el8_240_dz: { release: '4.18.0-240.el8 (Makefile.rhelver RHEL_MINOR 3, RHEL_RELEASE 240)', repo: 'dongzhiyan-stack/linux-4.18.0-240.el8', commit: '1369c8fad15237d8e524b2772d1a0695ca8d6d00', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 3 * PAGE_SIZE' },
  el8_305: { release: '4.18.0-305.el8 (first 8.4 kernel; Makefile.rhelver RHEL_MINOR 4, RHEL_RELEASE 305)', repo: ALMA, commit: '8d251a9600a5d2a3dcaad3ff756814fea4b51a11', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 4 * PAGE_SIZE; pvclock_page = +1; hvclock_page = +2; timens_page = vvar_start + 3 * PAGE_SIZE' },
  el8_305_arm64: { release: '4.18.0-305.el8', repo: ALMA, commit: '8d251a9600a5d2a3dcaad3ff756814fea4b51a11', file: 'arch/arm64/kernel/vdso/vdso.lds.S', says: 'PROVIDE(_vdso_data = . - __VVAR_PAGES * PAGE_SIZE); PROVIDE(_timens_data = _vdso_data + PAGE_SIZE)' },
  el8_553: { release: '4.18.0-553.66.1.el8_10 (Makefile.rhelver RHEL_MINOR 10, RHEL_RELEASE 553.66.1)', repo: ALMA, commit: '7622b1caa08e169140e42ccf2b5c9735a6377fd6', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 4 * PAGE_SIZE; timens_page = vvar_start + 3 * PAGE_SIZE; vma.c: [vdso] at text_start = addr - sym_vvar_start, then "[vvar]" of -image->sym_vvar_start bytes at addr' },
  el8_553_arm64: { release: '4.18.0-553.66.1.el8_10', repo: ALMA, commit: '7622b1caa08e169140e42ccf2b5c9735a6377fd6', file: 'arch/arm64/kernel/vdso.c', says: 'enum vvar_pages { VVAR_DATA_PAGE_OFFSET, VVAR_TIMENS_PAGE_OFFSET, VVAR_NR_PAGES }; BUILD_BUG_ON(VVAR_NR_PAGES != __VVAR_PAGES); _install_special_mapping(vdso_base, VVAR_NR_PAGES * PAGE_SIZE, VM_READ|VM_MAYREAD|VM_PFNMAP, "[vvar]"); vdso_base += VVAR_NR_PAGES * PAGE_SIZE; [vdso]. almalinux/kernel-aarch64.config: CONFIG_ARM64_64K_PAGES=y, # CONFIG_COMPAT is not set' },
  el8_553_ppc: { release: '4.18.0-553.66.1.el8_10', repo: ALMA, commit: '7622b1caa08e169140e42ccf2b5c9735a6377fd6', file: 'arch/powerpc/kernel/vdso.c', says: 'unchanged from 8.0: install_special_mapping(mm, vdso_base, vdso_pages << PAGE_SHIFT, …) (data page last, inside [vdso]); context.vdso_base = vdso_base; arch_vma_name() -> "[vdso]"; vdso64.lds.S __kernel_datapage_offset' },
  el8_553_s390: { release: '4.18.0-553.66.1.el8_10', repo: ALMA, commit: '7622b1caa08e169140e42ccf2b5c9735a6377fd6', file: 'arch/s390/kernel/vdso.c', says: 'if (!uses_interp) return 0; _install_special_mapping(mm, vdso_base, vdso_pages << PAGE_SHIFT, r-x, &vdso_mapping "[vdso]"); vdso64_pagelist[vdso64_pages - 1] = virt_to_page(vdso_data); vdso64.lds.S PROVIDE(_vdso_data = .) after ALIGN(PAGE_SIZE)' },
  vz8: { release: '4.18.0-305.3.1 vz8 (Makefile.rhelver RHEL 8.4, RHEL_RELEASE 305.3.1)', repo: 'OpenVZ/vzkernel', commit: 'a03736c5d53f8e1dc5a09a6a748eb8749e6c0232', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 4 * PAGE_SIZE; timens_page = vvar_start + 3 * PAGE_SIZE' },
  el8_348: { release: '4.18.0-348.2.1.el8 (Makefile.rhelver RHEL_MINOR 5, RHEL_RELEASE 348.2.1)', repo: 'wulmx/linux-4.18', commit: 'f322db8e1e7af3ac87148fe1da9a7c501eb67e82', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 4 * PAGE_SIZE' },
  el8_394: { release: '4.18.0-394.el8 (Makefile.rhelver RHEL_MINOR 7, RHEL_RELEASE 394)', repo: 'Seneca-CDOT/dynaccel-kernel-4.18.0', commit: '2388672ec23597a8fdc3270c27355c9d32723421', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 4 * PAGE_SIZE' },
  // RHEL 9 / 10
  el9_70: { release: '5.14.0-70.13.1.el9_0 (Makefile 5.14.0; Makefile.rhelver RHEL_MINOR 0, RHEL_RELEASE 70.13.1)', repo: ALMA, commit: '7aa70a70f72f160d025326223784c165986b5a4c', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 4 * PAGE_SIZE; timens_page = vvar_start + 3 * PAGE_SIZE; arm64 vdso.lds.S _vdso_data = . - __VVAR_PAGES * PAGE_SIZE' },
  el9_570: { release: '5.14.0-570.32.1.el9_6 (Makefile.rhelver RHEL_MINOR 6, RHEL_RELEASE 570.32.1; also read at every 9.1-9.5 branch tip)', repo: ALMA, commit: 'a29d65115b426bdfbc24f0c2d9cfeca059df0db6', file: 'arch/x86/entry/vdso/vma.c', says: 'vdso_mapping "[vdso]" at text_start, vvar_mapping "[vvar]" of -image->sym_vvar_start bytes at addr (no [vvar_vclock]); lds vvar_start = . - 4 * PAGE_SIZE' },
  el9_570_arm64: { release: '5.14.0-570.32.1.el9_6', repo: ALMA, commit: 'a29d65115b426bdfbc24f0c2d9cfeca059df0db6', file: 'arch/arm64/kernel/vdso.c', says: 'enum vvar_pages { DATA, TIMENS, VVAR_NR_PAGES }; [vvar] VVAR_NR_PAGES * PAGE_SIZE then [vdso]; compat [vectors]/[vvar]/[vdso]/[sigpage] code present but kernel-aarch64{,-64k}-rhel.config: # CONFIG_COMPAT is not set' },
  el9_570_ppc: { release: '5.14.0-570.32.1.el9_6', repo: ALMA, commit: 'a29d65115b426bdfbc24f0c2d9cfeca059df0db6', file: 'arch/powerpc/kernel/vdso.c', says: 'enum vvar_pages { VVAR_DATA_PAGE_OFFSET, VVAR_TIMENS_PAGE_OFFSET, VVAR_NR_PAGES }; vvar_size = VVAR_NR_PAGES * PAGE_SIZE; [vvar] at vdso_base, [vdso] at vdso_base + vvar_size = context.vdso; vdso64.lds.S _vdso_datapage = . - 2 * PAGE_SIZE; config CONFIG_PPC_64K_PAGES=y' },
  el9_570_s390: { release: '5.14.0-570.32.1.el9_6', repo: ALMA, commit: 'a29d65115b426bdfbc24f0c2d9cfeca059df0db6', file: 'arch/s390/kernel/vdso.c', says: 'enum vvar_pages { DATA, TIMENS, VVAR_NR_PAGES }; _install_special_mapping(vvar_start, VVAR_NR_PAGES*PAGE_SIZE, "[vvar]"); vdso_text_start = vvar_start + VVAR_NR_PAGES * PAGE_SIZE; vdso64.lds.S _vdso_data = . - __VVAR_PAGES * PAGE_SIZE' },
  el9_70_ppc_s390: { release: '5.14.0-70.30.1.el9_0', repo: ALMA, commit: '8ee0943f7e3bef36046454d460a9488e95a8b590', file: 'arch/powerpc/kernel/vdso.c', says: 'same 2-page enum and [vvar]+[vdso] mapping as 9.6; arch/s390/kernel/vdso.c at the same commit: enum vvar_pages {DATA, TIMENS, NR}, [vvar] then [vdso]' },
  el10: { release: '6.12.0-55.24.1.el10_0 (Makefile.rhelver RHEL 10.0)', repo: ALMA, commit: 'da382d9450a9c9a55a2d9642ec93418ec229fe8f', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 4 * PAGE_SIZE; timens_page = +3 (no 6.13 vclock split); arm64 lds _vdso_data = . - __VVAR_PAGES * PAGE_SIZE (+ _vdso_rng_data inside); powerpc vdso64.lds.S _vdso_datapage = . - 2 * PAGE_SIZE (no c39b1dcf055d); s390 _vdso_data = . - __VVAR_PAGES * PAGE_SIZE' },
  // Ubuntu
  xenial0: { release: '4.4.0 (Ubuntu xenial upstream import; Makefile 4.4.0)', repo: 'balabit-deps/balabit-os-6-linux', commit: '6235790a77f15ad61240f6b34f3286270c073dc4', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 2 * PAGE_SIZE; hpet_page = vvar_start + PAGE_SIZE' },
  xenial104: { release: '4.4.0-104.127 (debian.master/changelog; Makefile SUBLEVEL 98 at the next import)', repo: 'balabit-deps/balabit-os-6-linux', commit: '7a2bc5ac09c35ae2dd4fb8486eb0a689be419350', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 2 * PAGE_SIZE; hpet_page = vvar_start + PAGE_SIZE (last import before the Meltdown updates)' },
  xenial109: { release: '4.4.0-109.132 (Makefile 4.4.98)', repo: 'balabit-deps/balabit-os-6-linux', commit: 'ed43b43f569d59aeaee3aed619b656282ebbcc45', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 3 * PAGE_SIZE; hpet_page = +1; pvclock_page = vvar_start + 2 * PAGE_SIZE. debian.master/changelog: 4.4.0-106.129 "SAUCE: arch/x86/entry/vdso: temporarily disable vdso"; 4.4.0-107.130 reverts it and adds "x86/vdso: Get pvclock data from the vvar VMA instead of the fixmap"' },
  xenial165: { release: '4.4.0-165.193 (last import before the HPET removal)', repo: 'balabit-deps/balabit-os-6-linux', commit: '6635d73f34b15c4d7407427ec8650c5ee2491585', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 3 * PAGE_SIZE; hpet_page = +1; pvclock_page = +2' },
  xenial166: { release: '4.4.0-166.195 (Makefile 4.4.194)', repo: 'balabit-deps/balabit-os-6-linux', commit: 'e288fadeb80ea0d84e310b079abe7c6a533fbf10', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 2 * PAGE_SIZE; pvclock_page = vvar_start + PAGE_SIZE; changelog 4.4.0-166.195 "x86/vdso: Remove direct HPET access through the vDSO"' },
  xenial187: { release: '4.4.0-187.217 (Makefile 4.4.230; last import)', repo: 'balabit-deps/balabit-os-6-linux', commit: '61484f7c8892414297b5d0028fceefaf0640a890', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 2 * PAGE_SIZE; pvclock_page = vvar_start + PAGE_SIZE' },
  bionic0: { release: '4.15.0 (Ubuntu bionic upstream import)', repo: 'balabit-deps/balabit-os-7-linux-monolithic', commit: '9f1637e8cbc2300760cfda93b9efcb3647f2597b', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 3 * PAGE_SIZE; pvclock_page = +1; hvclock_page = +2' },
  bionic42: { release: '4.15.0-42.45 (Makefile 4.15.18; newest import in this repository)', repo: 'balabit-deps/balabit-os-7-linux-monolithic', commit: '1db76b41386f979c5c5f8494b06d24d2bc4df195', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 3 * PAGE_SIZE (unchanged across the imports); arm64 vdso.c: [vvar] PAGE_SIZE then [vdso], compat "[vectors]" only; powerpc vdso.c: vdso_pages << PAGE_SHIFT + arch_vma_name(); s390 vdso.c: if (!uses_interp), data page last in [vdso]' },
  focal0: { release: '5.4.0 (Ubuntu focal upstream import)', repo: 'balabit-deps/balabit-os-8-linux', commit: '31789dbe41c55507798960e92ff83a88b920ccff', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 3 * PAGE_SIZE; arm64 vdso.lds.S _vdso_data = . - PAGE_SIZE' },
  focal216: { release: '5.4.0-216.236 (Makefile 5.4.291; debian.master/changelog)', repo: 'balabit-deps/balabit-os-8-linux', commit: 'f02bfe143245d09e889ee8c9be54a2ed6b1b5584', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 3 * PAGE_SIZE (no timens page); arm64 vdso.c: vdso_mapping_len = vdso_text_len + PAGE_SIZE, aarch32: #ifdef CONFIG_COMPAT_VDSO __setup_additional_pages(ARM64_VDSO32) #else aarch32_sigreturn_setup(mm); debian.master config CONFIG_COMPAT_VDSO policy amd64/i386 n, s390x y (arm64 not set); powerpc: vdso_pages << PAGE_SHIFT + arch_vma_name(); s390: no uses_interp check, data page last in [vdso]; riscv: vdso_len = (vdso_pages + 1) << PAGE_SHIFT, one mapping' },
  jammy0: { release: '5.15.0 (Ubuntu jammy upstream import)', repo: 'balabit-deps/balabit-os-9-linux', commit: '0d507cfce9fe2219f051ac35c79517c566db5329', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 4 * PAGE_SIZE; timens_page = +3' },
  jammy185: { release: '5.15.0-185.195 (Makefile 5.15.200; debian.master/changelog)', repo: 'balabit-deps/balabit-os-9-linux', commit: 'fad9c911221a579f4fbf8239fb742f357961bea8', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 4 * PAGE_SIZE; arm64 VVAR_NR_PAGES (2) [vvar] then [vdso]; powerpc enum DATA/TIMENS, _vdso_datapage = . - 2 * PAGE_SIZE; s390 enum vvar_pages (2) [vvar] then [vdso]; riscv enum { VVAR_DATA_PAGE_OFFSET, VVAR_NR_PAGES }, __VVAR_PAGES 1, install_special_mapping(vdso_base, VVAR_SIZE) then text at + VVAR_SIZE, arch_vma_name: context.vdso - VVAR_SIZE -> "[vdso_data]"' },
  noble90: { release: '6.8.0-90.91 (linux-hwe-6.8 6.8.0-90.91~22.04.1 source = noble 6.8.0-90.91; Makefile 6.8.12)', repo: 'rahaaaiii/linux-hwe-6.8-6.8.0', commit: '7b13fd4625cd30ea33f56853cce248b4e9eece28', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 4 * PAGE_SIZE; arm64 VVAR_NR_PAGES; powerpc _vdso_datapage = . - 2 * PAGE_SIZE; s390 enum vvar_pages [vvar] then [vdso]; riscv enum {DATA, TIMENS, NR}, __VVAR_PAGES 2, "[vvar]" then "[vdso]"' },
  noble59: { release: '6.8.0-59.61 (linux-hwe-6.8 ~22.04.1; Makefile 6.8.12)', repo: 'hishine6/freebie-linux-6.8', commit: 'c35830a01d3f29e1ba0f871fdfecd6967a72d10e', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'same files as 6.8.0-90 for every family' },
  // Android
  a54: { release: '5.4.210 android12-5.4 (build.config.constants BRANCH=android12-5.4, KMI_GENERATION=9; Unisoc device tree)', repo: 'maxsteeel/android_kernel5.4_sprd', commit: '4260a420e57ef0f295adddf22902ffc23b4d1471', file: 'arch/arm64/kernel/vdso.c', says: 'vdso_mapping_len = vdso_text_len + PAGE_SIZE; [vvar] 1 page then [vdso]; aarch32: kuser helpers, then #ifdef CONFIG_COMPAT_VDSO vdso32 #else aarch32_sigreturn_setup(); x86 lds vvar_start = . - 3 * PAGE_SIZE' },
  a510: { release: '5.10.218 android12-5.10 (build.config.common BRANCH=android12-5.10, KMI_GENERATION=9; GKI fork)', repo: 'picasso09/android_kernel_gki-android12-9', commit: 'c41a3606e72ab1f29c0a61244f7fa0d71d641aae', file: 'arch/arm64/kernel/vdso.c', says: 'enum vvar_pages (2); [vvar] VVAR_NR_PAGES * PAGE_SIZE then [vdso]; compat [vectors], [vvar]+[vdso] (COMPAT_VDSO, default y with clang+lld), [sigpage]; gki_defconfig CONFIG_COMPAT=y; x86 lds vvar_start = . - 4 * PAGE_SIZE' },
  a510b: { release: '5.10.223 android12-5.10 (Samsung s5e9925 device tree)', repo: 'Elchanz3/android_kernel_samsung_galaxy_s23fe', commit: '6a92b0746698346c289002bc2785b84535b1c32e', file: 'arch/arm64/kernel/vdso.c', says: 'same as mainline 5.10: VVAR_NR_PAGES [vvar] then [vdso]; x86 lds - 4 * PAGE_SIZE' },
  a515: { release: '5.15.41 android13-5.15 (BRANCH=android13-5.15, KMI_GENERATION=8; ASUS device source)', repo: 'danascape/kernel_asus_AI2302', commit: '749c69c13458ed7f428bb7f6334f6eac41207fd4', file: 'arch/arm64/kernel/vdso.c', says: 'VVAR_NR_PAGES (2) [vvar] then [vdso]; x86 lds vvar_start = . - 4 * PAGE_SIZE' },
  a515b: { release: '5.15.123 android13-5.15 (Samsung device tree)', repo: 'ravindu644/android_kernel_m145f_common', commit: '0800b18db237df7900fcf75f17ac7e7f293d98e9', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 4 * PAGE_SIZE; arm64 VVAR_NR_PAGES [vvar] then [vdso]' },
  a61: { release: '6.1.75 android14-6.1 (common/build.config.constants BRANCH=android14-6.1, KMI_GENERATION=11; OnePlus sm8650 kernel_platform)', repo: 'wings110/ace3pro-kernel_common_oneplus_sm8650', commit: 'f95dd7af401d5257c0b816dd82c8778bce3d3521', file: 'common/arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 4 * PAGE_SIZE (PAGE_SIZE, not __MAX_PAGE_SIZE); common/arch/arm64/kernel/vdso.c VVAR_NR_PAGES; vsyscall_64.c .vm_end = VSYSCALL_ADDR + PAGE_SIZE' },
  a66: { release: '6.6.77 android15-6.6 (build.config.constants BRANCH=android15-6.6, KMI_GENERATION=8; Xiaomi onyx QCOM tree)', repo: 'AxFrds/onyx_kernel_source', commit: 'f0b35497c6c1d3c0aa0bb2b9a0ddf1c57ddafece', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: '#include <linux/page_size_compat.h>; vvar_start = . - 4 * __MAX_PAGE_SIZE; pvclock_page = vvar_start + __MAX_PAGE_SIZE; hvclock_page = + 2 * __MAX_PAGE_SIZE; timens_page = + 3 * __MAX_PAGE_SIZE (include/linux/page_size_compat.h: __MAX_PAGE_SHIFT 14, "Page Size Emulation", Google/Kalesh Singh 2024)' },
  a66vdso2c: { release: '6.6.77 android15-6.6', repo: 'AxFrds/onyx_kernel_source', commit: 'f0b35497c6c1d3c0aa0bb2b9a0ddf1c57ddafece', file: 'arch/x86/entry/vdso/vdso2c.h', says: '#define __MAX_PAGE_SIZE 16384; mapping_size = (stripped_len + __MAX_PAGE_SIZE-1) / __MAX_PAGE_SIZE * __MAX_PAGE_SIZE; ".size = %lu" mapping_size (vma.c maps image->size as [vdso] and -sym_vvar_start as [vvar]); vsyscall_64.c gate_vma .vm_end = VSYSCALL_ADDR + __MAX_PAGE_SIZE' },
  a66arm64: { release: '6.6.77 android15-6.6', repo: 'AxFrds/onyx_kernel_source', commit: 'f0b35497c6c1d3c0aa0bb2b9a0ddf1c57ddafece', file: 'arch/arm64/kernel/vdso.c', says: 'enum vvar_pages (2); vdso_mapping_len = vdso_text_len + VVAR_NR_PAGES * PAGE_SIZE; [vvar] then [vdso] (no emulation granule on arm64)' },
  a612: { release: '6.12.23 android16-6.12 (build.config.constants BRANCH=android16-6.12, KMI_GENERATION=5; Xiaomi sm8850 tree)', repo: 'YuzakiKokuban/android_kernel_xiaomi_sm8850', commit: 'c82e9745b6c4a20e889291d504bf5c511a7c69fa', file: 'arch/x86/entry/vdso/vdso-layout.lds.S', says: 'vvar_start = . - 4 * __MAX_PAGE_SIZE; timens_page = vvar_start + 3 * __MAX_PAGE_SIZE; vdso2c.h mapping_size rounded to __MAX_PAGE_SIZE (16384); arm64 vdso.c VVAR_NR_PAGES [vvar] then [vdso], lds _vdso_data = . - __VVAR_PAGES * PAGE_SIZE, _vdso_rng_data inside' },
} satisfies Record<string, SourceRead>;

// ---------------------------------------------------------------------------------------------
const X = (id: string) => row(X86, id);
const A = (id: string) => row(ARM64, id);
const P = (id: string) => row(POWERPC, id);
const S = (id: string) => row(S390, id);
const V = (id: string) => row(RISCV, id);

const RHEL8 = { name: 'RHEL 8 and rebuilds (CentOS 8, Rocky, Alma, Oracle RHCK el8, Virtuozzo vz8)' };
const RHEL9 = { name: 'RHEL 9 and rebuilds (CentOS Stream 9, Rocky, Alma, Oracle RHCK el9)' };
const RHEL10 = { name: 'RHEL 10 and rebuilds (AlmaLinux 10)' };

const x86Text: RegionSpec = { name: '[vdso]', role: 'text', perms: 'r-xp' };
const arm64Text: RegionSpec = { name: '[vdso]', role: 'text', perms: 'r-xp' };

/** Android 15+ x86_64: the gate vma is one 16 KiB emulation granule (vsyscall_64.c .vm_end = VSYSCALL_ADDR + __MAX_PAGE_SIZE). */
const vsyscall16k: NeighbourSpec = {
  ...row(X86, 'x86-5.6').neighbours![0],
  note: 'Android page-size emulation: gate_vma .vm_end = VSYSCALL_ADDR + __MAX_PAGE_SIZE, so [vsyscall] spans 16 KiB '
    + '(one "page" of this row\'s 16 KiB granule); perms and presence as in mainline',
};

const android16kRow = (id: string, since: string, until: string, release: string, name: string, read: SourceRead[]): ProfileRow => ({
  id, family: 'x86', since, until, vendor: { name, release },
  // The vDSO's granule is __MAX_PAGE_SIZE (16 KiB) whatever the kernel's 4 KiB page size: count in 16 KiB units.
  pageSizes: [16384], defaultPageSize: 16384, embeds: 'stripped',
  regions: [{ name: '[vvar]', role: 'data', pages: 4, perms: 'r--p', pageRoles: ['vvar', 'pvclock', 'hvclock', 'timens'] }, x86Text],
  neighbours: [vsyscall16k],
  layout: 'Android page-size emulation (include/linux/page_size_compat.h, __MAX_PAGE_SHIFT 14): vdso-layout.lds.S '
    + 'vvar_start = . - 4 * __MAX_PAGE_SIZE, pvclock/hvclock/timens at +1/+2/+3 * __MAX_PAGE_SIZE, so [vvar] = '
    + '-sym_vvar_start = 64 KiB (16 kernel pages; vvar_fault() serves only the first 4 KiB of each 16 KiB slot); vdso2c '
    + 'rounds the image to __MAX_PAGE_SIZE, so [vdso] = image rounded up to 16 KiB. Mapping as mainline x86-5.6 '
    + '([vdso] at text_start, [vvar] below it, AT_SYSINFO_EHDR = [vdso] start). Unconditional: the constant is not a '
    + 'Kconfig option and applies whether or not androidboot.page_shift enables emulation. Same for ia32 (vdso32) tasks.',
  read,
  captures: [],
  open: 'Counts here are in 16 KiB units (pageSizes [16384]): the engine derives 16 KiB from the image symbols '
    + '(vvar_start = -0x10000 over 4 pages); without an image, give --page-size 16384 (AT_PAGESZ says 4096, and vma '
    + 'starts are only 4 KiB-aligned). Read in vendor (Xiaomi/QCOM) trees built on the Android common kernel; that the '
    + 'patch is ACK code rests on page_size_compat.h being a Google file also held by aosp-mirror/kernel_common and '
    + 'BayLibre/android_kernel_common in the index. Not checked: later android14-6.1 releases (6.1.75 read: plain '
    + 'PAGE_SIZE). No capture.',
  source: 'Android common kernel "page size emulation" for x86_64 (Kalesh Singh, 2024; ANDROID: patches, not mainline)',
});

//   RHEL 5 and CentOS 5: 2.6.18-<N>[.x.y].el5[xen|PAE|debug]; the x86_64 vDSO came with N = 238 (5.6).
const EL5_GE_238 = '^2\\.6\\.18-(23[89]|2[4-9]\\d|[3-9]\\d\\d|\\d{4,})(\\.\\d+)*\\.el5';
const CENTOS5 = 'spacex/kernel-centos5'; // CentOS 5 kernel trees, one commit per kernel-2.6.18-<N>.el5 (subject names it)
const RHEL5_READS: SourceRead[] = [
  { release: '2.6.18-194.32.1.el5 (commit subject)', repo: CENTOS5, commit: '53a87981aedb8675de5193a620a75da7dc940836', file: 'arch/x86_64/mm/init.c', says: 'no arch_vma_name() and no arch/x86_64/vdso/: the gate prints as "[vdso]" (x86-2.6.18)' },
  { release: '2.6.18-238.el5 (commit subject)', repo: CENTOS5, commit: 'f14d71b16bc0227b2063f721952bbe58a5b30fa3', file: 'arch/x86_64/vdso/vma.c', says: 'unsigned len = round_up(vdso_end - vdso_start, PAGE_SIZE); addr = vdso_addr(mm->start_stack, len); install_special_mapping(mm, addr, len, VM_READ|VM_EXEC|VM_MAYREAD|VM_MAYWRITE|VM_MAYEXEC|VM_ALWAYSDUMP, vdso_pages); current->mm->context.vdso = (void *)addr' },
  { release: '2.6.18-238.el5 (same tree)', repo: CENTOS5, commit: 'f14d71b16bc0227b2063f721952bbe58a5b30fa3', file: 'arch/x86_64/mm/init.c', says: 'static struct vm_area_struct gate_vma = { .vm_start = VSYSCALL_START, .vm_end = VSYSCALL_END, .vm_page_prot = PAGE_READONLY } (no vm_flags: ---p); arch_vma_name(): vm_start == context.vdso -> "[vdso]", vma == &gate_vma -> "[vsyscall]"; include/asm-x86_64/vsyscall.h VSYSCALL_START (-10UL << 20), VSYSCALL_END (-2UL << 20)' },
];
const RHEL5_GATE: NeighbourSpec = {
  name: '[vsyscall]', pages: 2048, perms: ['---p'], placement: 'fixed', at: 0xffffffffff600000n, optional: true, tasks: ['x86_64'],
  note: 'the static gate vma, VSYSCALL_START..VSYSCALL_END (8 MiB), no vm_flags: ---p; named by arch_vma_name() from 238.el5, printed last (m_next tail)',
};
const RHEL5: ProfileRow = {
  id: 'x86-rhel5', family: 'x86', since: '2.6.18', until: '2.6.19',
  vendor: { name: 'RHEL 5 / CentOS 5 from 2.6.18-238.el5 (5.6)', release: EL5_GE_238 },
  pageSizes: [4096], defaultPageSize: 4096, embeds: 'stripped',
  regions: [{ name: '[vdso]', role: 'text', perms: 'r-xp' }],
  neighbours: [RHEL5_GATE],
  offsetIsStartUntil: OFFSET_IS_START_UNTIL,
  layout: 'Red Hat backported the x86_64 vDSO to 2.6.18-238.el5: one install_special_mapping() vma of the image\'s pages above the '
    + 'stack (vdso_addr), named "[vdso]" by the arch_vma_name() that came with it, which also names the static gate "[vsyscall]" '
    + '(8 MiB, ---p, last). No data vma: the vDSO reads the kernel\'s variables through the vsyscall page. The offset column of '
    + '[vdso] is its start, as every 2.6.18 tree printed a fileless vma inserted by insert_vm_struct(). i386 el5 kernels map a '
    + 'one-page r-xp [vdso] the same way.',
  read: [...RHEL5_READS, ...OFFSET_READS],
  captures: ['samples/pastes/x86_64-rhel5-maccess-comment-vsyscall-gate.txt'],
  open: 'Releases 195-237.el5 are not in the tree read (betas): matched from 238 only. An ia32 task on an el5 x86_64 kernel gets an '
    + 'UNNAMED one-page r-xp vma at VSYSCALL32_BASE 0xffffe000 (ia32/syscall32.c), which this row does not describe.',
  source: 'RHEL 5.6 kernel 2.6.18-238.el5: backport of the x86_64 vDSO (2aae950b21e4, mainline 2.6.23)',
};

export const VENDOR_ROWS: ProfileRow[] = [
  // ================================ x86 ================================
  RHEL5,
  same(X('x86-4.11'), {
    id: 'x86-rhel8-early', since: '4.18', until: '4.19',
    vendor: { ...RHEL8, name: `${RHEL8.name}, 8.0-8.3 (ABI <= 240)`, release: EL8_LE_240 },
    what: '3-page [vvar] (vvar, pvclock, hvclock) below [vdso], as mainline 4.18.',
    read: [R.el8_80_x86, R.el8_80_ampere, R.el8_240, R.el8_240_dz, R.el8_240_22],
  }),
  differs(X('x86-4.11'), {
    id: 'x86-rhel8-stream', since: '4.18', until: '4.19',
    vendor: { name: `${RHEL8.name}, builds between 8.3 and 8.4 (ABI 241-304: CentOS Stream 8 / pre-release)`, release: EL8_241_304 },
    regions: [{ name: '[vvar]', role: 'data', pages: { oneOf: [3, 4] }, perms: 'r--p' }, x86Text],
    layout: 'Between 4.18.0-240 (3 pages) and 4.18.0-305.el8 (4 pages, timens page backported) the step is not located; '
      + 'either 3 or 4 pages in one [vvar] below [vdso].',
    read: [R.el8_240_22, R.el8_305],
    captures: [],
    open: 'The kernel.spec changelog (which would name the build that took "x86/vdso: Add time napespace page") is not '
      + 'in the fetched AlmaLinux snapshot (blob over 4 MiB). No 241-304 tree was found.',
    source: 'RHEL 8.4 backport of the 5.6 x86 time-namespace vDSO series (first build not located)',
  }),
  differs(X('x86-5.6'), {
    id: 'x86-rhel8', since: '4.18', until: '4.19',
    vendor: { name: `${RHEL8.name}, 8.4+ (ABI >= 305)`, release: EL8_GE_305 },
    regions: X('x86-5.6').regions,
    layout: 'Differs from mainline 4.18 (x86-4.11, 3 pages): RHEL 8.4 backported the 5.6 time-namespace page. '
      + 'vvar_start = . - 4 * PAGE_SIZE; pvclock_page = +1; hvclock_page = +2; timens_page = vvar_start + 3 * PAGE_SIZE; '
      + 'map_vdso(): [vdso] at text_start = addr - sym_vvar_start, then one "[vvar]" of -sym_vvar_start bytes at addr. '
      + 'Same regions as mainline x86-5.6. Unchanged through 8.10 (4.18.0-553.66.1).',
    read: [R.el8_305, R.vz8, R.el8_348, R.el8_394, R.el8_553],
    captures: [],
    open: 'First build with 4 pages: 4.18.0-305.el8 read; 4.18.0-241..304 (CentOS Stream 8 only) see x86-rhel8-stream.',
    source: 'RHEL 8.4 (4.18.0-305.el8) backport of Dmitry Safonov "x86/vdso: Add time napespace page" (mainline 5.6)',
  }),
  same(X('x86-5.6'), {
    id: 'x86-rhel9', since: '5.14', until: '5.15', vendor: { ...RHEL9, release: EL9 },
    what: '4-page [vvar] (vvar, pvclock, hvclock, timens) below [vdso] in every minor 9.0-9.6; no 6.13 [vvar_vclock] split and no 6.15 generic store backported.',
    read: [R.el9_70, R.el9_570],
    open: 'RHEL 9.7 and later minors not read (the AlmaLinux snapshot ends at 5.14.0-570.32.1.el9_6).',
  }),
  same(X('x86-5.6'), {
    id: 'x86-rhel10', since: '6.12', until: '6.13', vendor: { ...RHEL10, release: EL10 },
    what: '4-page [vvar] below [vdso] in 10.0 (6.12.0-55.24.1): the 6.13 vclock split is not backported.',
    read: [R.el10],
    open: 'Only 10.0 read; a 10.x backport of the 6.13 split or 6.15 store would need a new row.',
  }),
  same(X('x86-3.17'), {
    id: 'x86-ubuntu-xenial-early', since: '4.4', until: '4.5',
    vendor: { name: 'Ubuntu 16.04 (and 14.04 HWE) 4.4.0-<ABI> up to ABI 106', release: '^4\\.4\\.0-(\\d{1,2}|10[0-6])-' },
    what: '2-page [vvar] (vvar, hpet) below [vdso].',
    read: [R.xenial0, R.xenial104],
    open: '4.4.0-106.129 (a short-lived Meltdown update) carried "SAUCE: arch/x86/entry/vdso: temporarily disable vdso": '
      + 'that build may map no vDSO at all. ABI 105 does not exist in the changelog sequence (104 -> 106).',
  }),
  differs(X('x86-4.5'), {
    id: 'x86-ubuntu-xenial-pvclock', since: '4.4', until: '4.5',
    vendor: { name: 'Ubuntu 16.04 (and 14.04 HWE) 4.4.0-107 … 4.4.0-165', release: '^4\\.4\\.0-(10[7-9]|1[1-5]\\d|16[0-5])-' },
    regions: X('x86-4.5').regions,
    layout: 'Differs from mainline 4.4 (x86-3.17, 2 pages): from 4.4.0-107.130 (Meltdown update) Ubuntu carries '
      + '"x86/vdso: Get pvclock data from the vvar VMA instead of the fixmap": vvar_start = . - 3 * PAGE_SIZE; hpet_page = '
      + '+1; pvclock_page = +2. Same regions as mainline x86-4.5.',
    read: [R.xenial109, R.xenial165],
    captures: [],
    open: 'Imports read: 4.4.0-104 (2 pages), 4.4.0-109 (3 pages), 4.4.0-165 (3), 4.4.0-166 (2); 107 and 108 are placed '
      + 'by the changelog, not by a tree.',
    source: 'Ubuntu xenial 4.4.0-107.130: backport of dac16fba6fc5 (mainline 4.5)',
  }),
  differs(X('x86-4.7'), {
    id: 'x86-ubuntu-xenial-nohpet', since: '4.4', until: '4.5',
    vendor: { name: 'Ubuntu 16.04 (and 14.04 HWE) 4.4.0-166 and later', release: '^4\\.4\\.0-(16[6-9]|1[7-9]\\d|[2-9]\\d\\d)-' },
    regions: X('x86-4.7').regions,
    layout: 'Differs from mainline 4.4: from 4.4.0-166.195 (stable 4.4.190/4.4.194 content) "x86/vdso: Remove direct HPET '
      + 'access through the vDSO": vvar_start = . - 2 * PAGE_SIZE; pvclock_page = vvar_start + PAGE_SIZE. Same regions as '
      + 'mainline x86-4.7.',
    read: [R.xenial166, R.xenial187],
    captures: [],
    source: 'Ubuntu xenial 4.4.0-166.195: stable 4.4.190 backport of 1ed95e52d902 (mainline 4.7)',
  }),
  differs(X('x86-4.5'), {
    id: 'x86-ubuntu-xenial-derivative', since: '4.4', until: '4.5',
    vendor: { name: 'Ubuntu 16.04 derivative kernels with 4-digit ABI (4.4.0-1NNN-aws/-kvm/-raspi2 …)', release: '^4\\.4\\.0-\\d{4,}-' },
    regions: [{ name: '[vvar]', role: 'data', pages: { oneOf: [2, 3] }, perms: 'r--p' }, x86Text],
    layout: 'Derivative kernels are rebased on the xenial master at various points; their ABI number does not say which of '
      + 'the three xenial layouts (2 pages vvar+hpet, 3 pages +pvclock, 2 pages vvar+pvclock) they carry.',
    read: [R.xenial104, R.xenial109, R.xenial166],
    captures: [],
    open: 'No derivative tree read; oneOf [2, 3] keeps every xenial layout passing.',
    source: 'Ubuntu xenial derivatives of the master kernel',
  }),
  same(X('x86-4.11'), {
    id: 'x86-ubuntu-bionic', since: '4.15', until: '4.16', vendor: { name: 'Ubuntu 18.04 (and 16.04 HWE) 4.15.0-*', release: UBUNTU('4.15') },
    what: '3-page [vvar] (vvar, pvclock, hvclock) below [vdso].',
    read: [R.bionic0, R.bionic42],
    open: 'Imports read up to 4.15.0-42 (Dec 2018); later bionic updates (to 4.15.0-2xx) not read.',
  }),
  same(X('x86-4.11'), {
    id: 'x86-ubuntu-focal', since: '5.4', until: '5.5', vendor: { name: 'Ubuntu 20.04 (and 18.04 HWE) 5.4.0-*', release: UBUNTU('5.4') },
    what: '3-page [vvar] below [vdso] from 5.4.0 through 5.4.0-216 (and linux-aws 5.4.0-1146): the 5.6 timens page was not backported.',
    read: [R.focal0, R.focal216],
  }),
  same(X('x86-5.6'), {
    id: 'x86-ubuntu-jammy', since: '5.15', until: '5.16', vendor: { name: 'Ubuntu 22.04 (and 20.04 HWE) 5.15.0-*', release: UBUNTU('5.15') },
    what: '4-page [vvar] below [vdso] from 5.15.0 through 5.15.0-185 (and linux-aws 5.15.0-1103).',
    read: [R.jammy0, R.jammy185],
  }),
  same(X('x86-5.6'), {
    id: 'x86-ubuntu-noble', since: '6.8', until: '6.9', vendor: { name: 'Ubuntu 24.04 (and 22.04 HWE) 6.8.0-*', release: UBUNTU('6.8') },
    what: '4-page [vvar] below [vdso] in 6.8.0-59 and 6.8.0-90.',
    read: [R.noble59, R.noble90],
    open: 'Only two late ABIs read (both 6.8.12-based); the noble master tree itself was not fetched.',
  }),
  same(X('x86-4.11'), {
    id: 'x86-android-5.4', since: '5.4', until: '5.5', vendor: { name: 'Android common android11-5.4 / android12-5.4', release: ANDROID('5.4', '11|12') },
    what: '3-page [vvar] below [vdso].', read: [R.a54],
    open: 'android11-5.4 itself not read.',
  }),
  same(X('x86-5.6'), {
    id: 'x86-android-5.10', since: '5.10', until: '5.11', vendor: { name: 'Android GKI android12-5.10 / android13-5.10', release: ANDROID('5.10', '12|13') },
    what: '4-page [vvar] below [vdso] (plain PAGE_SIZE).', read: [R.a510, R.a510b],
    open: 'android13-5.10 not read.',
  }),
  same(X('x86-5.6'), {
    id: 'x86-android-5.15', since: '5.15', until: '5.16', vendor: { name: 'Android GKI android13-5.15 / android14-5.15', release: ANDROID('5.15', '13|14') },
    what: '4-page [vvar] below [vdso] (plain PAGE_SIZE).', read: [R.a515, R.a515b],
    open: 'android14-5.15 not read.',
  }),
  same(X('x86-5.6'), {
    id: 'x86-android-6.1', since: '6.1', until: '6.2', vendor: { name: 'Android GKI android14-6.1', release: ANDROID('6.1', '14') },
    what: '4-page [vvar] below [vdso] (plain PAGE_SIZE in 6.1.75).', read: [R.a61],
    open: 'Read at 6.1.75 only; whether later android14-6.1 releases took the 16 KiB emulation (x86-android15-6.6) is not checked.',
  }),
  android16kRow('x86-android15-6.6', '6.6', '6.7', ANDROID('6.6', '15'), 'Android GKI android15-6.6 (x86_64 page-size emulation)', [R.a66, R.a66vdso2c]),
  android16kRow('x86-android16-6.12', '6.12', '6.13', ANDROID('6.12', '16'), 'Android GKI android16-6.12 (x86_64 page-size emulation)', [R.a612]),

  // ================================ arm64 ================================
  same(A('arm64-3.17'), {
    id: 'arm64-rhel8-early', since: '4.18', until: '4.19',
    vendor: { ...RHEL8, name: `${RHEL8.name}, 8.0-8.3 (ABI <= 240)`, release: EL8_LE_240 },
    what: '1-page [vvar] below [vdso] (64 KiB pages: CONFIG_ARM64_64K_PAGES=y; no CONFIG_COMPAT, so no compat tasks).',
    read: [R.el8_80_arm64, R.el8_240, R.el8_240_22],
  }),
  differs(A('arm64-3.17'), {
    id: 'arm64-rhel8-stream', since: '4.18', until: '4.19',
    vendor: { name: `${RHEL8.name}, builds between 8.3 and 8.4 (ABI 241-304)`, release: EL8_241_304 },
    regions: [{ name: '[vvar]', role: 'data', pages: { oneOf: [1, 2] }, perms: 'r--p' }, arm64Text],
    layout: 'Between 4.18.0-240 (1 page) and 4.18.0-305.el8 (2 pages) the step is not located.',
    read: [R.el8_240_22, R.el8_305_arm64],
    captures: [],
    open: 'No 241-304 tree found.',
    source: 'RHEL 8.4 backport of the arm64 generic vDSO + time-namespace page (first build not located)',
  }),
  differs(A('arm64-5.9'), {
    id: 'arm64-rhel8', since: '4.18', until: '4.19',
    vendor: { name: `${RHEL8.name}, 8.4+ (ABI >= 305)`, release: EL8_GE_305 },
    regions: A('arm64-5.9').regions,
    layout: 'Differs from mainline 4.18 (arm64-3.17, 1 page): RHEL 8.4 backported the arm64 generic vDSO with the 5.9 '
      + 'time-namespace page: enum vvar_pages { VVAR_DATA_PAGE_OFFSET, VVAR_TIMENS_PAGE_OFFSET, VVAR_NR_PAGES }; '
      + '[vvar] VVAR_NR_PAGES * PAGE_SIZE (VM_PFNMAP, vvar_fault) then [vdso] at + 2 pages = context.vdso; lds _vdso_data = '
      + '. - __VVAR_PAGES * PAGE_SIZE. Same regions as mainline arm64-5.9. RHEL 8 aarch64 is built with 64 KiB pages '
      + '(2 pages = 128 KiB) and without CONFIG_COMPAT.',
    read: [R.el8_305_arm64, R.el8_553_arm64],
    captures: [],
    open: 'First build with 2 pages: 4.18.0-305.el8 read; 241..304 see arm64-rhel8-stream.',
    source: 'RHEL 8.4 (4.18.0-305.el8) backport of 3503d56cc723 "arm64/vdso: Add time namespace page" (mainline 5.9) and its prerequisites',
  }),
  same(A('arm64-5.9'), {
    id: 'arm64-rhel9', since: '5.14', until: '5.15', vendor: { ...RHEL9, release: EL9 },
    what: '2-page [vvar] (data, timens) below [vdso] in 9.0-9.6; kernel-aarch64 4 KiB and kernel-64k 64 KiB builds; no CONFIG_COMPAT.',
    read: [R.el9_70, R.el9_570_arm64],
  }),
  same(A('arm64-5.9'), {
    id: 'arm64-rhel10', since: '6.12', until: '6.13', vendor: { ...RHEL10, release: EL10 },
    what: '2-page [vvar] below [vdso] in 10.0 (6.12 rng data inside the first page); no 6.15 generic store.',
    read: [R.el10],
  }),
  same(A('arm64-3.17'), {
    id: 'arm64-ubuntu-bionic', since: '4.15', until: '4.16', vendor: { name: 'Ubuntu 18.04 4.15.0-*', release: UBUNTU('4.15') },
    what: '1-page [vvar] below [vdso]; compat tasks: "[vectors]" only.', read: [R.bionic0, R.bionic42],
    open: 'Imports read up to 4.15.0-42 only.',
  }),
  same(A('arm64-5.3'), {
    id: 'arm64-ubuntu-focal', since: '5.4', until: '5.5', vendor: { name: 'Ubuntu 20.04 (and 18.04 HWE) 5.4.0-*', release: UBUNTU('5.4') },
    what: '1-page [vvar] below [vdso] through 5.4.0-216; Ubuntu arm64 builds without CONFIG_COMPAT_VDSO, so compat tasks get [vectors] + [sigpage] and no compat vDSO.',
    read: [R.focal0, R.focal216],
  }),
  same(A('arm64-5.9'), {
    id: 'arm64-ubuntu-jammy', since: '5.15', until: '5.16', vendor: { name: 'Ubuntu 22.04 (and 20.04 HWE) 5.15.0-*', release: UBUNTU('5.15') },
    what: '2-page [vvar] below [vdso] through 5.15.0-185.', read: [R.jammy0, R.jammy185],
  }),
  same(A('arm64-5.9'), {
    id: 'arm64-ubuntu-noble', since: '6.8', until: '6.9', vendor: { name: 'Ubuntu 24.04 (and 22.04 HWE) 6.8.0-*', release: UBUNTU('6.8') },
    what: '2-page [vvar] below [vdso].', read: [R.noble59, R.noble90],
  }),
  same(A('arm64-5.3'), {
    id: 'arm64-android-5.4', since: '5.4', until: '5.5', vendor: { name: 'Android common android11-5.4 / android12-5.4', release: ANDROID('5.4', '11|12') },
    what: '1-page [vvar] below [vdso]; compat: [vectors], then the compat vDSO (CONFIG_COMPAT_VDSO) or [sigpage].',
    read: [R.a54],
    open: 'QCOM msm-5.4 (arm64 research, EndCredits 5.4.226) also maps [sigpage] next to the compat vDSO (the 5.8 change '
      + 'backported); the mainline row already treats [sigpage] as optional, so both pass.',
  }),
  same(A('arm64-5.9'), {
    id: 'arm64-android-5.10', since: '5.10', until: '5.11', vendor: { name: 'Android GKI android12-5.10 / android13-5.10', release: ANDROID('5.10', '12|13') },
    what: '2-page [vvar] below [vdso]; GKI has CONFIG_COMPAT=y and COMPAT_VDSO (clang+lld), so compat tasks get [vectors], a 2-page compat [vvar] + [vdso] and [sigpage].',
    read: [R.a510, R.a510b],
  }),
  same(A('arm64-5.9'), {
    id: 'arm64-android-5.15', since: '5.15', until: '5.16', vendor: { name: 'Android GKI android13-5.15 / android14-5.15', release: ANDROID('5.15', '13|14') },
    what: '2-page [vvar] below [vdso].', read: [R.a515, R.a515b],
  }),
  same(A('arm64-5.9'), {
    id: 'arm64-android-6.1', since: '6.1', until: '6.2', vendor: { name: 'Android GKI android14-6.1', release: ANDROID('6.1', '14') },
    what: '2-page [vvar] below [vdso].', read: [R.a61],
  }),
  same(A('arm64-5.9'), {
    id: 'arm64-android-6.6', since: '6.6', until: '6.7', vendor: { name: 'Android GKI android15-6.6', release: ANDROID('6.6', '15') },
    what: '2-page [vvar] below [vdso] in kernel pages (the 16 KiB emulation granule is x86_64-only).', read: [R.a66arm64],
  }),
  same(A('arm64-5.9'), {
    id: 'arm64-android-6.12', since: '6.12', until: '6.13', vendor: { name: 'Android GKI android16-6.12', release: ANDROID('6.12', '16') },
    what: '2-page [vvar] below [vdso] (rng data inside the first page).', read: [R.a612],
  }),

  // ================================ powerpc ================================
  same(P('powerpc-2.6.18'), {
    id: 'powerpc-rhel8', since: '4.18', until: '4.19', vendor: { ...RHEL8, release: EL8_ALL },
    what: 'one "[vdso]" vma (named by arch_vma_name()) = image pages + the data page last, in 8.0 through 8.10 (no backport of the 5.11/5.13 rework).',
    read: [R.el8_80_ppc, R.el8_553_ppc],
  }),
  same(P('powerpc-5.13'), {
    id: 'powerpc-rhel9', since: '5.14', until: '5.15', vendor: { ...RHEL9, release: EL9 },
    what: '2-page [vvar] (data, timens) below [vdso] in 9.0-9.6 (64 KiB pages).', read: [R.el9_70_ppc_s390, R.el9_570_ppc],
  }),
  same(P('powerpc-5.13'), {
    id: 'powerpc-rhel10', since: '6.12', until: '6.13', vendor: { ...RHEL10, release: EL10 },
    what: '2-page [vvar] below [vdso] in 10.0: c39b1dcf055d (6.13, stable 6.12.110) not backported there.', read: [R.el10],
    open: 'A later RHEL 10 minor may pick up c39b1dcf055d (3 pages); its 6.12.0-N string would not show it.',
  }),
  same(P('powerpc-2.6.18'), {
    id: 'powerpc-ubuntu-bionic', since: '4.15', until: '4.16', vendor: { name: 'Ubuntu 18.04 4.15.0-*', release: UBUNTU('4.15') },
    what: 'data page last inside one "[vdso]" vma.', read: [R.bionic42],
  }),
  same(P('powerpc-2.6.18'), {
    id: 'powerpc-ubuntu-focal', since: '5.4', until: '5.5', vendor: { name: 'Ubuntu 20.04 5.4.0-*', release: UBUNTU('5.4') },
    what: 'data page last inside one "[vdso]" vma through 5.4.0-216 (only a getcpu fix touched vdso.c).', read: [R.focal0, R.focal216],
  }),
  same(P('powerpc-5.13'), {
    id: 'powerpc-ubuntu-jammy', since: '5.15', until: '5.16', vendor: { name: 'Ubuntu 22.04 5.15.0-*', release: UBUNTU('5.15') },
    what: '2-page [vvar] below [vdso].', read: [R.jammy0, R.jammy185],
  }),
  same(P('powerpc-5.13'), {
    id: 'powerpc-ubuntu-noble', since: '6.8', until: '6.9', vendor: { name: 'Ubuntu 24.04 6.8.0-*', release: UBUNTU('6.8') },
    what: '2-page [vvar] below [vdso].', read: [R.noble59, R.noble90],
  }),

  // ================================ s390 ================================
  same(S('s390-2.6.29'), {
    id: 's390-rhel8', since: '4.18', until: '4.19', vendor: { ...RHEL8, release: EL8_ALL },
    what: 'one "[vdso]" vma with the data page last, no vDSO for static executables (uses_interp check kept) in 8.0 through 8.10; '
      + 'named by the vm_special_mapping vdso_mapping .name "[vdso]" (_install_special_mapping, read in 8.10), not by arch_vma_name() as the mainline trees of that row.',
    read: [R.el8_80_s390, R.el8_553_s390],
  }),
  same(S('s390-5.12'), {
    id: 's390-rhel9', since: '5.14', until: '5.15', vendor: { ...RHEL9, release: EL9 },
    what: '2-page [vvar] (data, timens) below [vdso] in 9.0-9.6.', read: [R.el9_70_ppc_s390, R.el9_570_s390],
  }),
  same(S('s390-5.12'), {
    id: 's390-rhel10', since: '6.12', until: '6.13', vendor: { ...RHEL10, release: EL10 },
    what: '2-page [vvar] below [vdso] in 10.0.', read: [R.el10],
  }),
  same(S('s390-2.6.29'), {
    id: 's390-ubuntu-bionic', since: '4.15', until: '4.16', vendor: { name: 'Ubuntu 18.04 4.15.0-*', release: UBUNTU('4.15') },
    what: 'data page last in [vdso]; no vDSO for static executables. Which mechanism names the vma (arch_vma_name() or a vm_special_mapping .name) was not re-read: both print "[vdso]".', read: [R.bionic42],
  }),
  same(S('s390-5.3'), {
    id: 's390-ubuntu-focal', since: '5.4', until: '5.5', vendor: { name: 'Ubuntu 20.04 5.4.0-*', release: UBUNTU('5.4') },
    what: 'data page last in [vdso], mapped for static executables too (no uses_interp check); 5.4 still has the 31-bit vdso32 (removed in 5.5; Ubuntu config CONFIG_COMPAT_VDSO s390x y).',
    read: [R.focal0, R.focal216],
  }),
  same(S('s390-5.12'), {
    id: 's390-ubuntu-jammy', since: '5.15', until: '5.16', vendor: { name: 'Ubuntu 22.04 5.15.0-*', release: UBUNTU('5.15') },
    what: '2-page [vvar] below [vdso].', read: [R.jammy0, R.jammy185],
  }),
  same(S('s390-5.12'), {
    id: 's390-ubuntu-noble', since: '6.8', until: '6.9', vendor: { name: 'Ubuntu 24.04 6.8.0-*', release: UBUNTU('6.8') },
    what: '2-page [vvar] below [vdso].', read: [R.noble59, R.noble90],
  }),

  // ================================ riscv ================================
  same(V('riscv-4.15'), {
    id: 'riscv-ubuntu-focal', since: '5.4', until: '5.5', vendor: { name: 'Ubuntu 20.04 riscv64 5.4.0-*', release: UBUNTU('5.4') },
    what: 'one r-xp [vdso] vma = image + data page last (vdso_len = (vdso_pages + 1) << PAGE_SHIFT).', read: [R.focal0, R.focal216],
  }),
  same(V('riscv-5.15'), {
    id: 'riscv-ubuntu-jammy', since: '5.15', until: '5.16', vendor: { name: 'Ubuntu 22.04 riscv64 5.15.0-*', release: UBUNTU('5.15') },
    what: '1-page "[vdso_data]" (arch_vma_name: context.vdso - VVAR_SIZE) below [vdso], through 5.15.0-185.', read: [R.jammy0, R.jammy185],
  }),
  same(V('riscv-5.16'), {
    id: 'riscv-ubuntu-noble', since: '6.8', until: '6.9', vendor: { name: 'Ubuntu 24.04 riscv64 6.8.0-*', release: UBUNTU('6.8') },
    what: '2-page [vvar] (data, timens) below [vdso].', read: [R.noble59, R.noble90],
  }),
];
