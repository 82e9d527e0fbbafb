import { GENERIC_VVAR_ROLES, type ProfileRow } from '../profile-types.js';

// MIPS colours the vDSO base (cpu_has_dc_aliases), so a gap below the cluster is normal; only
// [vvar] → [vdso] adjacency is guaranteed.
const common = { family: 'mips', pageSizes: [4096, 16384, 65536], defaultPageSize: 4096, embeds: 'stripped' } as const;
const text = { name: '[vdso]', role: 'text', perms: 'r-xp' } as const;

export const MIPS: ProfileRow[] = [
  {
    ...common, id: 'mips-4.4', since: '4.4', until: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: { oneOf: [1, 2] }, perms: 'r--p', gapBelowAllowed: true, pageRoles: ['data'] }, text],
    source: 'arch/mips/kernel/vdso.c (4.4 "MIPS: Initial implementation of a VDSO"): [vvar] = optional GIC user page + data page',
    layout: '', read: [], captures: [], open: 'corpus: mips64el 6.1 malta ([vvar] 1 page: no GIC)',
  },
  {
    ...common, id: 'mips-6.15', since: '6.15',
    regions: [
      { name: '[gic]', role: 'gic', pages: 1, perms: 'r--p', optional: true, gapBelowAllowed: true, pageRoles: ['gic'] },
      { name: '[vvar]', role: 'data', pages: 4, perms: 'r--p', gapBelowAllowed: true, pageRoles: GENERIC_VVAR_ROLES }, text,
    ],
    source: '69896119dc9d "MIPS: vdso: Switch to generic storage implementation" (6.15): [gic] split out, [vvar] VDSO_NR_PAGES',
    layout: '', read: [], captures: [], open: 'source (layout-facts §9); no corpus capture of mips >= 6.15',
  },
];
