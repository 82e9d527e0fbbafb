import { DATA_TIMENS_ROLES, GENERIC_VVAR_ROLES, type ProfileRow } from '../profile-types.js';

// powerpc embeds the *unstripped* vdso64.so.dbg / vdso32.so.dbg (arch/powerpc/kernel/vdso64_wrapper.S),
// so [vdso] spans the whole .dbg file, symbols and all.
const common = { family: 'powerpc', pageSizes: [4096, 16384, 65536], defaultPageSize: 65536, embeds: 'unstripped' } as const;

export const POWERPC: ProfileRow[] = [
  {
    ...common, id: 'powerpc-2.6', since: '2.6.15', until: '5.11',
    regions: [{ name: '[vdso]', role: 'text', perms: 'r-xp', dataPagesAfter: 1 }],
    source: 'arch/powerpc/kernel/vdso.c (@0a1340c18573): one vma of (vdso_pages + 1) pages, data page last, named by arch_vma_name() when vm_start == vdso_base',
    layout: '', read: [], captures: [], open: 'corpus: ppc64el 5.10 ([vdso] 2 x 64K for a 1-page image; __kernel_datapage_offset exported)',
  },
  {
    ...common, id: 'powerpc-5.11', since: '5.11', until: '5.13',
    regions: [{ name: '[vdso]', role: 'text', perms: 'r-xp', dataPagesBefore: 1 }],
    source: '511157ab641e "powerpc/vdso: Move vdso datapage up front" (5.11): one [vdso] vma, data page first, AT_SYSINFO_EHDR one page in',
    layout: '', read: [], captures: [], open: 'source + CRIU issue #1417 (ppc64le 5.11.x "ELF header magic mismatch"); 5.12.x stable got the split (1c4bce675385, "Cc: stable # v5.11"), so 5.12.y may look like 5.13',
  },
  {
    ...common, id: 'powerpc-5.13', since: '5.13', until: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: 2, perms: 'r--p', pageRoles: DATA_TIMENS_ROLES }, { name: '[vdso]', role: 'text', perms: 'r-xp' }],
    source: '1c4bce675385 "powerpc/vdso: Separate vvar vma from vdso" + 74205b3fc2ef "powerpc/vdso: Add support for time namespaces" (5.13): _vdso_datapage = . - 2*PAGE_SIZE',
    layout: '', read: [], captures: [], open: 'corpus: ppc64el 6.1 and 6.12 (64K pages, [vvar] 2 pages); the facts doc\'s "later 3 pages" is not seen through 6.12',
  },
  {
    ...common, id: 'powerpc-6.15', since: '6.15',
    regions: [{ name: '[vvar]', role: 'data', pages: 4, perms: 'r--p', pageRoles: GENERIC_VVAR_ROLES }, { name: '[vdso]', role: 'text', perms: 'r-xp' }],
    source: '223970df2bff "powerpc/vdso: Switch to generic storage implementation" (6.15): VDSO_NR_PAGES',
    layout: '', read: [], captures: [], open: 'corpus: ppc64el 7.2 (4K pages, [vvar] 4, [vdso] 13 pages = the whole 49744-byte .dbg)',
  },
];
