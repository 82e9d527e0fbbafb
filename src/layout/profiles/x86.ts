import { GENERIC_VVAR_ROLES, VCLOCK_ROLES, type NeighbourSpec, type ProfileRow } from '../profile-types.js';

const vsyscall: NeighbourSpec = {
  name: '[vsyscall]', pages: 1, perms: ['r-xp', '--xp'], placement: 'fixed', at: 0xffffffffff600000n, optional: true,
  tasks: ['x86_64'],
  note: 'gate vma, printed last; r-xp with vsyscall=emulate, --xp with xonly, absent with vsyscall=none (Debian default). Not shown to 32-bit tasks (corpus amd64-5.10 +vsyscall=emulate, maps-compat32).',
};
const text = { name: '[vdso]', role: 'text', perms: 'r-xp' } as const;
const common = { family: 'x86', pageSizes: [4096], defaultPageSize: 4096, embeds: 'stripped', neighbours: [vsyscall] } as const;

// x86_64, x32 and i386 share arch/x86/entry/vdso/vdso-layout.lds.S, so one table serves all three.
export const X86: ProfileRow[] = [
  {
    ...common, id: 'x86-2.6', since: '2.6.18', until: '3.16',
    regions: [text],
    source: 'before the 3.16 vdso2c rework: the vvar data lived in the fixmap/vsyscall area, so the only per-process vma was [vdso] (names were also lost on mremap before a62c34bd2a8a)',
    layout: '', read: [], captures: [], open: 'unverified: from layout-facts §1.2 and CRIU\'s comment on 3.16 naming; no capture of such a kernel',
  },
  {
    ...common, id: 'x86-3.16', since: '3.16', until: '5.6',
    regions: [{ name: '[vvar]', role: 'data', pages: 3, perms: 'r--p', pageRoles: ['vvar', 'hpet', 'pvclock'] }, text],
    source: '3.16 vdso2c series (6f121e548f83 "x86, vdso: Reimplement vdso.so preparation in build-time C"): vvar_start = . - 3*PAGE_SIZE (vvar, hpet, pvclock)',
    layout: '', read: [], captures: [], open: 'unverified: no corpus capture before 5.10; a 4-page hpet+hvclock interval in 4.x is possible (layout-facts §1.2)',
  },
  {
    ...common, id: 'x86-5.6', since: '5.6', until: '6.13',
    regions: [{ name: '[vvar]', role: 'data', pages: 4, perms: 'r--p', pageRoles: ['vvar', 'pvclock', 'hvclock', 'timens'] }, text],
    source: '5.6 "x86/vdso: Add time napespace page": vvar_start = . - 4*PAGE_SIZE (vvar, pvclock, hvclock, timens)',
    layout: '', read: [], captures: [], open: 'corpus: amd64 5.10 and 6.1 (64-bit and 32-bit tasks), i386 5.10 and 6.1; dbg symbols vvar_start = -0x4000',
  },
  {
    ...common, id: 'x86-6.13', since: '6.13', until: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: 2, perms: 'r--p', pageRoles: ['vvar', 'timens'] }, { name: '[vvar_vclock]', role: 'vclock', pages: 2, perms: 'r--p', pageRoles: VCLOCK_ROLES }, text],
    source: 'e93d2521b27f "x86/vdso: Split virtual clock pages into dedicated mapping" (6.13)',
    layout: '', read: [], captures: [], open: 'source: tip-bot diff (layout-facts §1.2); no corpus capture of 6.13/6.14',
  },
  {
    ...common, id: 'x86-6.15', since: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: 4, perms: 'r--p', pageRoles: GENERIC_VVAR_ROLES }, { name: '[vvar_vclock]', role: 'vclock', pages: 2, perms: 'r--p', pageRoles: VCLOCK_ROLES }, text],
    source: 'dafde29605eb "x86/vdso: Switch to generic storage implementation" (6.15): VDSO_NR_PAGES 4 + VDSO_NR_VCLOCK_PAGES 2',
    layout: '', read: [], captures: [], open: 'corpus: amd64 7.2 (64-bit and 32-bit tasks); this build machine 6.18',
  },
];
