// A freestanding stand-in for the few C library functions capture-init.c and vdso-clock.c call,
// for a target whose C library cannot run on the kernel under test. The case it is for: Debian's
// loong64 glibc (trixie and later) is built for LSX (gcc's -msimd=lsx default there), and LoongArch
// kernels before 6.5 do not enable LSX for user tasks, so a glibc-linked static /init dies with
// SIGILL before main (a vld in __libc_setup_tls) on a 6.1 kernel. scripts/build-kernel.sh links the
// two programs with this file instead (-nostdlib -msimd=none) for loong64.
//
// The declarations are the system headers' (the programs are compiled against them unchanged);
// the definitions are raw system calls. Single-threaded, unbuffered (each printf is one write, so
// nothing is lost or reordered across fork/exec), malloc is one mmap per block. Only what the two
// programs use: printf's d i u x X s c p and %%, with flags 0 and -, a width, a precision (also .*)
// and the length modifiers h l ll z; sscanf's %[width]s and %[l[l]]x. LoongArch64 only (the
// generic system call table, `syscall 0` with the number in a7); another 64-bit arch needs its own
// sys6() and _start.
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>
#include <elf.h>

#if !defined(__loongarch64)
#error "minilibc.c has system calls for LoongArch64 only"
#endif

// asm-generic/unistd.h numbers (LoongArch uses the generic table).
enum { NR_mkdirat = 34, NR_mount = 40, NR_faccessat = 48, NR_openat = 56, NR_close = 57, NR_lseek = 62,
       NR_read = 63, NR_write = 64, NR_ppoll = 73, NR_sync = 81, NR_exit_group = 94, NR_nanosleep = 101,
       NR_reboot = 142, NR_uname = 160, NR_getpid = 172, NR_munmap = 215, NR_clone = 220, NR_execve = 221,
       NR_mmap = 222, NR_wait4 = 260 };
#define AT_FDCWD_ (-100)

static long sys6(long n, long a, long b, long c, long d, long e, long f) {
  register long a7 __asm__("$a7") = n;
  register long a0 __asm__("$a0") = a;
  register long a1 __asm__("$a1") = b;
  register long a2 __asm__("$a2") = c;
  register long a3 __asm__("$a3") = d;
  register long a4 __asm__("$a4") = e;
  register long a5 __asm__("$a5") = f;
  __asm__ volatile("syscall 0" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5) : "memory", "$t0", "$t1", "$t2", "$t3", "$t4", "$t5", "$t6", "$t7", "$t8");
  return a0;
}
static int err_no;
int *__errno_location(void) { return &err_no; }
// A negative kernel return is -errno: set errno, return -1.
static long ret(long r) { if (r < 0 && r > -4096) { err_no = (int)-r; return -1; } return r; }
#define S0(n) ret(sys6(n, 0, 0, 0, 0, 0, 0))
#define S(n, ...) ret(sys6_args(n, __VA_ARGS__))
static long sys6_args(long n, long a, long b, long c, long d, long e, long f) { return sys6(n, a, b, c, d, e, f); }
#define A1(x) (long)(x), 0, 0, 0, 0, 0
#define A2(x, y) (long)(x), (long)(y), 0, 0, 0, 0
#define A3(x, y, z) (long)(x), (long)(y), (long)(z), 0, 0, 0
#define A4(x, y, z, w) (long)(x), (long)(y), (long)(z), (long)(w), 0, 0

// The process's start: argc, argv, envp, auxv on the stack.
static char **environ_;
static unsigned long *auxv_;
int main(int, char **, char **);
__attribute__((used)) static void start_c(long *sp) {
  int argc = (int)sp[0];
  char **argv = (char **)(sp + 1), **envp = argv + argc + 1, **e = envp;
  while (*e) e++;
  environ_ = envp;
  auxv_ = (unsigned long *)(e + 1);
  _exit(main(argc, argv, envp));
}
__asm__(".text\n.globl _start\n.type _start, @function\n_start:\n"
        "  move $a0, $sp\n  bstrins.d $sp, $zero, 3, 0\n  bl start_c\n");

unsigned long getauxval(unsigned long type) {
  for (unsigned long *a = auxv_; a && a[0] != AT_NULL; a += 2) if (a[0] == type) return a[1];
  err_no = ENOENT;
  return 0;
}
long sysconf(int name) { if (name == _SC_PAGESIZE) return (long)getauxval(AT_PAGESZ); err_no = EINVAL; return -1; }

void _exit(int code) { for (;;) sys6(NR_exit_group, code, 0, 0, 0, 0, 0); }
void exit(int code) { _exit(code); }
ssize_t read(int fd, void *b, size_t n) { return S(NR_read, A3(fd, b, n)); }
ssize_t write(int fd, const void *b, size_t n) { return S(NR_write, A3(fd, b, n)); }
int close(int fd) { return (int)S(NR_close, A1(fd)); }
int open64(const char *p, int flags, ...) {
  va_list ap; va_start(ap, flags); int mode = (flags & O_CREAT) ? va_arg(ap, int) : 0; va_end(ap);
  return (int)S(NR_openat, A4(AT_FDCWD_, p, flags, mode));
}
int open(const char *p, int flags, ...) __attribute__((alias("open64")));
off_t lseek64(int fd, off_t off, int whence) { return S(NR_lseek, A3(fd, off, whence)); }
int access(const char *p, int mode) { return (int)S(NR_faccessat, A4(AT_FDCWD_, p, mode, 0)); }
int mkdir(const char *p, mode_t mode) { return (int)S(NR_mkdirat, A3(AT_FDCWD_, p, mode)); }
int mount(const char *src, const char *tgt, const char *type, unsigned long flags, const void *data) {
  return (int)ret(sys6(NR_mount, (long)src, (long)tgt, (long)type, (long)flags, (long)data, 0));
}
int reboot(int howto) { return (int)S(NR_reboot, A4(0xfee1dead, 672274793, howto, 0)); }
int uname(struct utsname *u) { return (int)S(NR_uname, A1(u)); }
pid_t getpid(void) { return (pid_t)S0(NR_getpid); }
void sync(void) { sys6(NR_sync, 0, 0, 0, 0, 0, 0); }
pid_t fork(void) { return (pid_t)S(NR_clone, A2(17 /* SIGCHLD */, 0)); }
int execv(const char *p, char *const argv[]) { return (int)S(NR_execve, A3(p, argv, environ_)); }
pid_t waitpid(pid_t pid, int *st, int opt) { return (pid_t)S(NR_wait4, A4(pid, st, opt, 0)); }
unsigned int sleep(unsigned int s) { long ts[2] = { (long)s, 0 }; sys6(NR_nanosleep, (long)ts, 0, 0, 0, 0, 0); return 0; }
int pause(void) { sys6(NR_ppoll, 0, 0, 0, 0, 0, 0); err_no = EINTR; return -1; }
long syscall(long n, ...) {
  va_list ap; va_start(ap, n);
  long a = va_arg(ap, long), b = va_arg(ap, long), c = va_arg(ap, long), d = va_arg(ap, long), e = va_arg(ap, long), f = va_arg(ap, long);
  va_end(ap);
  return ret(sys6(n, a, b, c, d, e, f));
}

// Memory: one anonymous mapping per block, its size in front.
void *malloc(size_t n) {
  size_t total = (n + 16 + 4095) & ~(size_t)4095;
  long p = sys6(NR_mmap, 0, (long)total, 3 /* PROT_READ|PROT_WRITE */, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0);
  if (p < 0 && p > -4096) { err_no = ENOMEM; return NULL; }
  *(size_t *)p = total;
  return (char *)p + 16;
}
void free(void *q) { if (q) sys6(NR_munmap, (long)((char *)q - 16), (long)*(size_t *)((char *)q - 16), 0, 0, 0, 0); }
void *realloc(void *q, size_t n) {
  if (!q) return malloc(n);
  size_t old = *(size_t *)((char *)q - 16) - 16;
  void *r = malloc(n);
  if (r) { memcpy(r, q, old < n ? old : n); free(q); }
  return r;
}

// Strings (gcc may also call memcpy/memset/memmove itself).
void *memcpy(void *d, const void *s, size_t n) { unsigned char *a = d; const unsigned char *b = s; while (n--) *a++ = *b++; return d; }
void *memmove(void *d, const void *s, size_t n) {
  unsigned char *a = d; const unsigned char *b = s;
  if (a < b) while (n--) *a++ = *b++; else while (n--) a[n] = b[n];
  return d;
}
void *memset(void *d, int c, size_t n) { unsigned char *a = d; while (n--) *a++ = (unsigned char)c; return d; }
int memcmp(const void *x, const void *y, size_t n) {
  const unsigned char *a = x, *b = y;
  for (; n; n--, a++, b++) if (*a != *b) return *a - *b;
  return 0;
}
void *memchr(const void *s, int c, size_t n) {
  const unsigned char *a = s;
  for (; n; n--, a++) if (*a == (unsigned char)c) return (void *)a;
  return NULL;
}
size_t strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
int strcmp(const char *a, const char *b) { while (*a && *a == *b) a++, b++; return (unsigned char)*a - (unsigned char)*b; }
char *strerror(int e) {
  switch (e) {
    case EPERM: return "Operation not permitted";
    case ENOENT: return "No such file or directory";
    case EIO: return "Input/output error";
    case EFAULT: return "Bad address";
    case EACCES: return "Permission denied";
    case EINVAL: return "Invalid argument";
    case ENOMEM: return "Cannot allocate memory";
    default: { static char b[24]; snprintf(b, sizeof b, "errno %d", e); return b; }
  }
}

// Formatted output.
struct out { char *b; size_t cap, n; };
static void put(struct out *o, char c) { if (o->n + 1 < o->cap) o->b[o->n] = c; o->n++; }
int vsnprintf(char *buf, size_t cap, const char *f, va_list ap) {
  struct out o = { buf, cap, 0 };
  for (; *f; f++) {
    if (*f != '%') { put(&o, *f); continue; }
    f++;
    int left = 0, zero = 0, width = 0, prec = -1, lng = 0;
    for (;; f++) { if (*f == '-') left = 1; else if (*f == '0') zero = 1; else break; }
    if (*f == '*') { width = va_arg(ap, int); f++; } else while (*f >= '0' && *f <= '9') width = width * 10 + (*f++ - '0');
    if (*f == '.') { f++; prec = 0; if (*f == '*') { prec = va_arg(ap, int); f++; } else while (*f >= '0' && *f <= '9') prec = prec * 10 + (*f++ - '0'); }
    for (;; f++) { if (*f == 'l' || *f == 'z') lng++; else if (*f == 'h') {} else break; }
    char tmp[24], *s = tmp; size_t len = 0; int neg = 0;
    unsigned long long v = 0; unsigned base = 10; const char *digits = "0123456789abcdef";
    switch (*f) {
      case 'd': case 'i': {
        long long x = lng ? va_arg(ap, long long) : va_arg(ap, int);
        if (x < 0) { neg = 1; v = 0ULL - (unsigned long long)x; } else v = (unsigned long long)x;
        goto num;
      }
      case 'u': v = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned); goto num;
      case 'X': digits = "0123456789ABCDEF"; /* fall through */
      case 'x': base = 16; v = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned); goto num;
      case 'p': base = 16; v = (uintptr_t)va_arg(ap, void *); put(&o, '0'); put(&o, 'x'); goto num;
      num: {
        char *e = tmp + sizeof tmp; s = e;
        do { *--s = digits[v % base]; v /= base; } while (v);
        len = (size_t)(e - s);
        break;
      }
      case 's': s = va_arg(ap, char *); if (!s) s = "(null)"; len = strlen(s); if (prec >= 0 && (size_t)prec < len) len = (size_t)prec; zero = 0; break;
      case 'c': tmp[0] = (char)va_arg(ap, int); s = tmp; len = 1; zero = 0; break;
      case '%': put(&o, '%'); continue;
      default: put(&o, '%'); if (!*f) goto done; put(&o, *f); continue;
    }
    int pad = width - (int)len - neg;
    if (!left && !zero) while (pad-- > 0) put(&o, ' ');
    if (neg) put(&o, '-');
    if (!left && zero) while (pad-- > 0) put(&o, '0');
    for (size_t i = 0; i < len; i++) put(&o, s[i]);
    if (left) while (pad-- > 0) put(&o, ' ');
  }
done:
  if (cap) buf[o.n < cap ? o.n : cap - 1] = 0;
  return (int)o.n;
}
int snprintf(char *b, size_t n, const char *f, ...) { va_list ap; va_start(ap, f); int r = vsnprintf(b, n, f, ap); va_end(ap); return r; }
static FILE stdout_file;
FILE *stdout = &stdout_file;
static void write_all(const char *p, size_t n) { while (n) { ssize_t w = write(1, p, n); if (w <= 0) { if (err_no == EINTR) continue; return; } p += w; n -= (size_t)w; } }
int printf(const char *f, ...) {
  char small[1024];
  va_list ap, ap2; va_start(ap, f); va_copy(ap2, ap);
  int n = vsnprintf(small, sizeof small, f, ap);
  va_end(ap);
  if ((size_t)n < sizeof small) write_all(small, (size_t)n);
  else { char *big = malloc((size_t)n + 1); if (big) { vsnprintf(big, (size_t)n + 1, f, ap2); write_all(big, (size_t)n); free(big); } }
  va_end(ap2);
  return n;
}
int puts(const char *s) { write_all(s, strlen(s)); write_all("\n", 1); return 1; }
int putc(int c, FILE *fp) { (void)fp; char ch = (char)c; write_all(&ch, 1); return (unsigned char)c; }
int putchar(int c) { return putc(c, stdout); }
size_t fwrite(const void *p, size_t size, size_t n, FILE *fp) { (void)fp; write_all(p, size * n); return n; }
int fflush(FILE *fp) { (void)fp; return 0; }

// sscanf: whitespace, literals, %[width]s and %[l[l]]x, as capture-init parses a maps line.
static int vsscanf_(const char *s, const char *f, va_list ap) {
  int got = 0;
  for (; *f; f++) {
    if (*f == ' ' || *f == '\t' || *f == '\n') { while (*s == ' ' || *s == '\t' || *s == '\n') s++; continue; }
    if (*f != '%') { if (*s != *f) return got; s++; continue; }
    f++;
    int width = 0, lng = 0;
    while (*f >= '0' && *f <= '9') width = width * 10 + (*f++ - '0');
    while (*f == 'l') { lng++; f++; }
    while (*s == ' ' || *s == '\t' || *s == '\n') s++;
    if (!*s) return got ? got : -1;
    if (*f == 's') {
      char *d = va_arg(ap, char *); int i = 0;
      while (*s && *s != ' ' && *s != '\t' && *s != '\n' && (!width || i < width)) d[i++] = *s++;
      d[i] = 0; got++;
    } else if (*f == 'x') {
      unsigned long long v = 0; int any = 0;
      for (;; s++, any = 1) {
        int c = *s, dv = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (dv < 0) break;
        v = v * 16 + (unsigned)dv;
      }
      if (!any) return got;
      if (lng >= 2) *va_arg(ap, unsigned long long *) = v; else if (lng == 1) *va_arg(ap, unsigned long *) = v; else *va_arg(ap, unsigned *) = (unsigned)v;
      got++;
    } else return got;
  }
  return got;
}
// The headers may name sscanf __isoc23_sscanf or __isoc99_sscanf (an asm label): all three are defined.
#define SSCANF(cname, sym) \
  int cname(const char *s, const char *f, ...) __asm__(sym); \
  int cname(const char *s, const char *f, ...) { va_list ap; va_start(ap, f); int r = vsscanf_(s, f, ap); va_end(ap); return r; }
SSCANF(mini_sscanf, "sscanf")
SSCANF(mini_sscanf_c99, "__isoc99_sscanf")
SSCANF(mini_sscanf_c23, "__isoc23_sscanf")
