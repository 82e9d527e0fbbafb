import { DATA_TIMENS_ROLES, GENERIC_VVAR_ROLES, type NeighbourSpec, type ProfileRow } from '../profile-types.js';

// AArch32 tasks on arm64 (CONFIG_COMPAT_VDSO) get the compat vdso32 with the same [vvar], plus
// the kuser-helper [vectors] page and a [sigpage].
const vectors: NeighbourSpec = {
  name: '[vectors]', pages: 1, perms: ['r-xp'], placement: 'fixed', at: 0xffff0000n, optional: true, tasks: ['arm'],
  note: 'AARCH32_VECTORS_BASE, kuser helpers (CONFIG_KUSER_HELPERS); corpus arm64 5.10/6.1 maps-compat32',
};
const sigpage: NeighbourSpec = {
  name: '[sigpage]', pages: 1, perms: ['r-xp'], placement: 'anywhere', optional: false, tasks: ['arm'],
  note: 'own get_unmapped_area; in the corpus it sits right below [vvar]',
};
const text = { name: '[vdso]', role: 'text', perms: 'r-xp' } as const;
const common = { family: 'arm64', pageSizes: [4096, 16384, 65536], defaultPageSize: 4096, embeds: 'stripped', neighbours: [vectors, sigpage] } as const;

export const ARM64: ProfileRow[] = [
  {
    ...common, id: 'arm64-3.18', since: '3.18', until: '5.9',
    regions: [{ name: '[vvar]', role: 'data', pages: 1, perms: 'r--p', pageRoles: ['data'] }, text],
    source: 'arm64 vdso.c (4.x @01b944fe1cd4): [vvar] PAGE_SIZE at vdso_base, text after; _vdso_data = . - PAGE_SIZE',
    layout: '', read: [], captures: [], open: 'source (layout-facts §2.1); era start ("data page before code") unverified; no corpus capture before 5.10',
  },
  {
    ...common, id: 'arm64-5.9', since: '5.9', until: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: 2, perms: 'r--p', pageRoles: DATA_TIMENS_ROLES }, text],
    source: '3503d56cc723 "arm64/vdso: Add time namespace page" (5.9): __VVAR_PAGES 2 unconditionally',
    layout: '', read: [], captures: [], open: 'corpus: arm64 5.10 and 6.1, native and compat; dbg symbols _vdso_data = -0x2000, _timens_data = -0x1000',
  },
  {
    ...common, id: 'arm64-6.15', since: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: 4, perms: 'r--p', pageRoles: GENERIC_VVAR_ROLES }, text],
    source: '0b3bc3354eb9 "arm64: vdso: Switch to generic storage implementation" (6.15): VDSO_NR_PAGES 4',
    layout: '', read: [], captures: [], open: 'source (layout-facts §2.1, §8); no corpus capture of arm64 >= 6.15',
  },
];
