import { GENERIC_VVAR_ROLES, type ProfileRow } from '../profile-types.js';

// LoongArch keeps per-CPU data in the data area, so its size follows NR_CPUS.
const common = { family: 'loongarch', pageSizes: [4096, 16384, 65536], defaultPageSize: 16384, embeds: 'stripped' } as const;
const text = { name: '[vdso]', role: 'text', perms: 'r-xp' } as const;

export const LOONGARCH: ProfileRow[] = [
  {
    ...common, id: 'loongarch-5.19', since: '5.19', until: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: { min: 3, typical: 3 }, perms: 'r--p', pageRoles: ['data'] }, text],
    source: 'LoongArch port (5.19): _vdso_data, _timens_data, then _loongarch_data = _vdso_data + 2*PAGE_SIZE (per-CPU, NR_CPUS-sized)',
    layout: '', read: [], captures: [], open: 'unverified: page count depends on NR_CPUS; no corpus capture before 7.2',
  },
  {
    ...common, id: 'loongarch-6.15', since: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: { min: 4, typical: 4 }, perms: 'r--p', pageRoles: GENERIC_VVAR_ROLES }, text],
    source: 'd2862bb9d9ca "LoongArch: vDSO: Switch to generic storage implementation" (6.15): VDSO_NR_PAGES = 3 + arch data pages',
    layout: '', read: [], captures: [], open: 'corpus: loong64 7.2 with 16K pages ([vvar] 4 pages)',
  },
];
