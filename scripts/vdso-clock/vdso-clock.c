// vdso-clock: prove that a task reaches the kernel's time data through the vDSO. It finds the
// vDSO from AT_SYSINFO_EHDR, looks up the clock_gettime entry in the image's own symbol table,
// calls it, and compares the result with the clock_gettime system call. A vDSO that cannot find its
// data page returns garbage (or spins): "sane" means it agrees with the kernel within a second.
// Built static with Debian's cross compiler by scripts/build-kernel.sh; run in the initramfs by
// scripts/qemu-check.sh --program. Prints one "vdso-clock: ..." line per finding.
#include <elf.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#if UINTPTR_MAX == 0xffffffffffffffffu
typedef Elf64_Ehdr Ehdr; typedef Elf64_Phdr Phdr; typedef Elf64_Shdr Shdr; typedef Elf64_Sym Sym;
#else
typedef Elf32_Ehdr Ehdr; typedef Elf32_Phdr Phdr; typedef Elf32_Shdr Shdr; typedef Elf32_Sym Sym;
#endif

// Each arch's vDSO exports clock_gettime under its own name.
static const char *const names[] = { "__kernel_clock_gettime", "__vdso_clock_gettime", "__kernel_clock_gettime64" };

typedef int (*clock_fn)(clockid_t, struct timespec *);

static long long ns(const struct timespec *t) { return (long long)t->tv_sec * 1000000000LL + t->tv_nsec; }

int main(void) {
  unsigned long base = getauxval(AT_SYSINFO_EHDR);
  if (!base) { puts("vdso-clock: FAIL no AT_SYSINFO_EHDR (no vDSO mapped)"); return 1; }
  const Ehdr *eh = (const Ehdr *)base;
  if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0) { printf("vdso-clock: FAIL no ELF header at AT_SYSINFO_EHDR 0x%lx\n", base); return 1; }
  // The load bias: where the segment at file offset 0 was linked versus where it is.
  const Phdr *ph = (const Phdr *)(base + eh->e_phoff);
  unsigned long bias = base;
  for (int i = 0; i < eh->e_phnum; i++) if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0) { bias = base - ph[i].p_vaddr; break; }
  const Shdr *sh = (const Shdr *)(base + eh->e_shoff);
  clock_fn fn = 0; const char *found = 0; unsigned long value = 0;
  for (int i = 0; i < eh->e_shnum && !fn; i++) {
    if (sh[i].sh_type != SHT_DYNSYM) continue;
    const Sym *sym = (const Sym *)(base + sh[i].sh_offset);
    const char *str = (const char *)(base + sh[sh[i].sh_link].sh_offset);
    for (unsigned long k = 0; k < sh[i].sh_size / sizeof(Sym) && !fn; k++)
      for (unsigned n = 0; n < sizeof names / sizeof *names; n++)
        if (sym[k].st_value && strcmp(str + sym[k].st_name, names[n]) == 0) {
          value = sym[k].st_value; fn = (clock_fn)(bias + value); found = names[n]; break;
        }
  }
  if (!fn) { printf("vdso-clock: FAIL no clock_gettime symbol in the vDSO at 0x%lx\n", base); return 1; }
  printf("vdso-clock: vDSO at 0x%lx, %s at 0x%lx (symbol value 0x%lx)\n", base, found, (unsigned long)fn, value);
  int bad = 0;
  const clockid_t clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC };
  const char *const clock_names[] = { "CLOCK_REALTIME", "CLOCK_MONOTONIC" };
  for (int c = 0; c < 2; c++) {
    struct timespec before, v, after;
    syscall(SYS_clock_gettime, clocks[c], &before);
    int rc = fn(clocks[c], &v);
    syscall(SYS_clock_gettime, clocks[c], &after);
    // The vDSO's value must lie between the two system calls (a second of slack for coarse clocks).
    int sane = rc == 0 && ns(&v) >= ns(&before) - 1000000000LL && ns(&v) <= ns(&after) + 1000000000LL;
    printf("vdso-clock: %s vdso=%lld.%09ld syscall=%lld.%09ld rc=%d %s\n", clock_names[c], (long long)v.tv_sec, v.tv_nsec,
           (long long)before.tv_sec, before.tv_nsec, rc, sane ? "sane" : "INSANE");
    bad |= !sane;
  }
  puts(bad ? "vdso-clock: FAIL the vDSO's clock disagrees with the kernel's" : "vdso-clock: ok the vDSO reads the kernel's time");
  return bad;
}
