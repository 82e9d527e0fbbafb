import { DATA_TIMENS_ROLES, GENERIC_VVAR_ROLES, type ProfileRow } from '../profile-types.js';

const common = { family: 's390', pageSizes: [4096], defaultPageSize: 4096, embeds: 'stripped' } as const;

export const S390: ProfileRow[] = [
  {
    ...common, id: 's390-5.10', since: '2.6.29', until: '5.12',
    regions: [{ name: '[vdso]', role: 'text', perms: 'r-xp', dataPagesAfter: 1 }],
    source: 'pre-5.12 arch/s390/kernel/vdso.c: data page after the text inside the [vdso] vma',
    layout: '', read: [], captures: [], open: 'unverified: no corpus capture before 6.1; layout-facts §6 marks the details [U]',
  },
  {
    ...common, id: 's390-5.12', since: '5.12', until: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: 2, perms: 'r--p', pageRoles: DATA_TIMENS_ROLES }, { name: '[vdso]', role: 'text', perms: 'r-xp' }],
    source: '5056c2c53a22 "s390/vdso: put vdso datapage in a separate vma", 214b3564869c "move data page before code pages", eeab78b05d20 time namespaces (5.12)',
    layout: '', read: [], captures: [], open: 'corpus: s390x 6.1 ([vvar] 2 pages; the facts doc\'s count was [U], confirmed 2)',
  },
  {
    ...common, id: 's390-6.15', since: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: 4, perms: 'r--p', pageRoles: GENERIC_VVAR_ROLES }, { name: '[vdso]', role: 'text', perms: 'r-xp' }],
    source: '"s390/vdso: Switch to generic storage implementation" (6.15): VDSO_NR_PAGES',
    layout: '', read: [], captures: [], open: 'corpus: s390x 7.2',
  },
];
