import { DATA_TIMENS_ROLES, GENERIC_VVAR_ROLES, type ProfileRow } from '../profile-types.js';

const common = { family: 'riscv', pageSizes: [4096], defaultPageSize: 4096, embeds: 'stripped' } as const;
const text = { name: '[vdso]', role: 'text', perms: 'r-xp' } as const;

export const RISCV: ProfileRow[] = [
  {
    ...common, id: 'riscv-4.15', since: '4.15', until: '5.15',
    regions: [text, { name: '[vvar]', role: 'data', pages: 1, perms: 'r--p', pageRoles: ['data'] }],
    source: 'riscv vdso.c before 78a743cd82a3: text, then install_special_mapping(vdso_base + text, PAGE_SIZE) for the data page',
    layout: '', read: [], captures: [], open: 'source (layout-facts §7); the data vma\'s name was [U]; no corpus capture',
  },
  {
    ...common, id: 'riscv-5.15', since: '5.15', until: '5.16',
    regions: [{ name: '[vvar]', role: 'data', pages: 1, perms: 'r--p', pageRoles: ['data'] }, text],
    source: '78a743cd82a3 "riscv/vdso: Move vdso data page up front" (5.15, also 5.14.y)',
    layout: '', read: [], captures: [], open: 'source (layout-facts §7); no corpus capture',
  },
  {
    ...common, id: 'riscv-5.16', since: '5.16', until: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: 2, perms: 'r--p', pageRoles: DATA_TIMENS_ROLES }, text],
    source: 'dffe11e280a4 "riscv/vdso: Add support for time namespaces" (5.16): __VVAR_PAGES 2',
    layout: '', read: [], captures: [], open: 'source (layout-facts §7); no corpus capture',
  },
  {
    ...common, id: 'riscv-6.15', since: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: 4, perms: 'r--p', pageRoles: GENERIC_VVAR_ROLES }, text],
    source: '46fe55b204bf "riscv: vdso: Switch to generic storage implementation" (6.15): __VDSO_PAGES 4',
    layout: '', read: [], captures: [], open: 'corpus: riscv64 7.2',
  },
];
