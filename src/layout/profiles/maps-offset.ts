import type { SourceRead } from '../profile-types.js';

// Until 2.6.30 maps printed every vma's offset column as vm_pgoff << PAGE_SHIFT, and
// insert_vm_struct() (by which every vDSO vma of those kernels was inserted, by hand or through
// install_special_mapping() from 2.6.21) sets a fileless vma's vm_pgoff to vm_start >> PAGE_SHIFT:
// so a vDSO line of those kernels shows its start as its offset ("00100000-00103000 r-xp 00100000
// 00:00 0 [vdso]"). 2.6.30 prints 0 for a vma without a file ("proc: don't show pgoff of vma if vma
// is pure ANON", KAMEZAWA Hiroyuki, in -mm April 2009). The x86_64 gate vma is static, its
// vm_pgoff 0: x86-2.6.18's [vdso] is not one of these.
export const OFFSET_IS_START_UNTIL = '2.6.30';

export const OFFSET_READS: readonly SourceRead[] = [
  { release: '2.6.29 (top Makefile)', repo: 'BillZPage/linux-2.6.29', commit: '44925f2e0c216036e08f07a459ece64a804ac022', file: 'fs/proc/task_mmu.c', says: 'show_map_vma(): seq_printf(m, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu %n", …, ((loff_t)vma->vm_pgoff) << PAGE_SHIFT, …) for every vma' },
  { release: '2.6.29 (same tree)', repo: 'BillZPage/linux-2.6.29', commit: '44925f2e0c216036e08f07a459ece64a804ac022', file: 'mm/mmap.c', says: 'insert_vm_struct(): if (!vma->vm_file) { BUG_ON(vma->anon_vma); vma->vm_pgoff = vma->vm_start >> PAGE_SHIFT; }' },
  { release: '2.6.30 (top Makefile)', repo: 'keystargchy/linux-2.6.30', commit: '89a003f5df12fb81c989abbff8c12f00dba2067e', file: 'fs/proc/task_mmu.c', says: 'show_map_vma(): unsigned long long pgoff = 0; if (file) { … pgoff = ((loff_t)vma->vm_pgoff) << PAGE_SHIFT; }' },
];
