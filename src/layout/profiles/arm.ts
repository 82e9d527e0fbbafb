import { GENERIC_VVAR_ROLES, type NeighbourSpec, type ProfileRow } from '../profile-types.js';

const vectors: NeighbourSpec = {
  name: '[vectors]', pages: 1, perms: ['r-xp'], placement: 'fixed', at: 0xffff0000n, optional: true,
  note: 'gate vma at 0xffff0000, printed last (absent on CONFIG_CPU_USE_DOMAINS=n kernels without vectors page)',
};
const sigpage: NeighbourSpec = {
  name: '[sigpage]', pages: 1, perms: ['r-xp'], placement: 'adjacent-below', optional: false,
  note: 'arch_setup_additional_pages maps [sigpage] first, then the vdso at addr + PAGE_SIZE (arch/arm/kernel/process.c)',
};
const text = { name: '[vdso]', role: 'text', perms: 'r-xp' } as const;
const common = { family: 'arm', pageSizes: [4096], defaultPageSize: 4096, embeds: 'stripped', neighbours: [sigpage, vectors] } as const;

export const ARM: ProfileRow[] = [
  {
    ...common, id: 'arm-4.1', since: '4.1', until: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: 1, perms: 'r--p', pageRoles: ['data'] }, text],
    source: 'arm_install_vdso(): install_vvar() PAGE_SIZE VM_READ|VM_MAYREAD, text at addr + PAGE_SIZE (arm vDSO since 4.1)',
    layout: '', read: [], captures: [], open: 'corpus: armhf 5.10, 6.1 (armmp and lpae)',
  },
  {
    ...common, id: 'arm-6.15', since: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: 4, perms: 'r--p', pageRoles: GENERIC_VVAR_ROLES }, text],
    source: '31e9fa2ba9ad "arm: vdso: Switch to generic storage implementation" (6.15): VDSO_NR_PAGES',
    layout: '', read: [], captures: [], open: 'corpus: armhf 7.2 ([vvar] 4 pages)',
  },
];
