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

// The kernel's own layouts, not the C library's struct timespec (64-bit on a 32-bit userland built
// with _TIME_BITS=64, as Debian's since trixie): the entries above (but the last) and the
// clock_gettime system call take a timespec of the word size; clock_gettime64 a 64-bit one.
struct ts_word { long sec; long nsec; };
struct ts_64 { long long sec; long long nsec; };
typedef int (*clock_fn)(clockid_t, void *);

static long long ns_word(const struct ts_word *t) { return (long long)t->sec * 1000000000LL + t->nsec; }
static long long ns_64(const struct ts_64 *t) { return t->sec * 1000000000LL + t->nsec; }

// The kernel's time by system call: clock_gettime, else (a 32-bit kernel without
// CONFIG_COMPAT_32BIT_TIME, where the old call is ENOSYS) clock_gettime64. 0 on success.
static int reference(clockid_t c, long long *out) {
  struct ts_word w;
  if (syscall(SYS_clock_gettime, c, &w) == 0) { *out = ns_word(&w); return 0; }
#ifdef SYS_clock_gettime64
  struct ts_64 t;
  if (syscall(SYS_clock_gettime64, c, &t) == 0) { *out = ns_64(&t); return 0; }
#endif
  return -1;
}

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
  // The 64-bit-time entry takes a 64-bit timespec whatever the word size.
  const int wide = strcmp(found, "__kernel_clock_gettime64") == 0;
  for (int c = 0; c < 2; c++) {
    long long before, after, v;
    struct ts_word vw = { 0, 0 }; struct ts_64 v64 = { 0, 0 };
    if (reference(clocks[c], &before) != 0) {
      // Not the vDSO's fault: say so rather than compare it with an unset value.
      printf("vdso-clock: FAIL %s: the clock_gettime system call failed too, no reference to compare the vDSO with\n", clock_names[c]);
      bad = 1; continue;
    }
    int rc = fn(clocks[c], wide ? (void *)&v64 : (void *)&vw);
    v = wide ? ns_64(&v64) : ns_word(&vw);
    if (reference(clocks[c], &after) != 0) after = before;
    // The vDSO's value must lie between the two system calls (a second of slack for coarse clocks).
    int sane = rc == 0 && v >= before - 1000000000LL && v <= after + 1000000000LL;
    printf("vdso-clock: %s vdso=%lld.%09lld syscall=%lld.%09lld rc=%d %s\n", clock_names[c], v / 1000000000LL, v % 1000000000LL,
           before / 1000000000LL, before % 1000000000LL, rc, sane ? "sane" : "INSANE");
    bad |= !sane;
  }
  puts(bad ? "vdso-clock: FAIL the vDSO's clock disagrees with the kernel's" : "vdso-clock: ok the vDSO reads the kernel's time");
  return bad;
}
