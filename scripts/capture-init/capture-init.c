// capture-init: the initramfs's /init where Debian has no busybox-static for the target (sparc64,
// a ports architecture). It does what qemu-check.sh's busybox /init and the capture script do,
// with the same console lines, so qemu-check.sh and `vdso-layout check` read its log unchanged:
//
//   /init                 (pid 1) mounts proc, sysfs and devtmpfs, runs /program if there is one,
//                         then runs each task as a fresh exec of itself, then powers off
//   /init bundle          prints one capture bundle of its own process: the format of
//                         src/capture/bundle-format.ts, byte for byte what `vdso-layout
//                         capture-script` prints (the maps as the kernel wrote them, auxv and the
//                         [vdso] bytes as `od -A x -t x1 -v` prints them)
//
// Each task is its own exec (not a fork of pid 1), so its maps, auxv and [vdso] are those of a
// process the kernel set up from scratch, as the busybox shell running the script is. The native
// task runs twice: two execs show whether the vDSO's place is randomized. /compat/capture-init (the
// same source built 32-bit) is the compat task. Built static with Debian's cross compiler by
// scripts/build-kernel.sh.
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

// The whole of a /proc file (they have no size to stat): malloc'd, its length in *len.
static char *slurp(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (n == cap) buf = realloc(buf, cap *= 2);
    ssize_t r = read(fd, buf + n, cap - n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    n += (size_t)r;
  }
  close(fd);
  *len = n;
  return buf;
}

// `od -A x -t x1 -v`: a 6-digit (at least) hex offset, up to 16 bytes, then the end offset alone.
static void od(const unsigned char *p, size_t n) {
  for (size_t off = 0; off < n; off += 16) {
    printf("%06zx", off);
    for (size_t i = off; i < n && i < off + 16; i++) printf(" %02x", p[i]);
    putchar('\n');
  }
  printf("%06zx\n", n);
}

static int bundle(void) {
  struct utsname u;
  if (uname(&u) != 0) { memset(&u, 0, sizeof u); }
  pid_t pid = getpid();
  char path[64];
  // The script's opening empty line and header (bundle-format.ts).
  printf("\n@@@VDSO-LAYOUT-BUNDLE 1 BEGIN\n");
  printf("uname-r: %s\nuname-m: %s\npagesize: %ld\npid: %d\n", u.release, u.machine, sysconf(_SC_PAGESIZE), (int)pid);
  size_t mlen = 0, alen = 0, klen = 0;
  // NR_CPUS - 1, as the script's `cat` prints it (nothing after the colon without sysfs).
  char *kernel_max = slurp("/sys/devices/system/cpu/kernel_max", &klen);
  printf("kernel-max: %.*s", kernel_max ? (int)klen : 0, kernel_max ? kernel_max : "");
  if (!kernel_max || klen == 0 || kernel_max[klen - 1] != '\n') putchar('\n');
  free(kernel_max);
  snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
  char *maps = slurp(path, &mlen);
  printf("@@@MAPS\n");
  if (maps) fwrite(maps, 1, mlen, stdout);
  snprintf(path, sizeof path, "/proc/%d/auxv", (int)pid);
  unsigned char *auxv = (unsigned char *)slurp(path, &alen);
  printf("@@@AUXV\n");
  od(auxv ? auxv : (const unsigned char *)"", auxv ? alen : 0);
  // The [vdso] line: six fields, the last exactly "[vdso]" (the script's rule).
  unsigned long long start = 0, end = 0;
  int found = 0;
  for (char *line = maps, *next; line && line < maps + mlen; line = next) {
    char *nl = memchr(line, '\n', (size_t)(maps + mlen - line));
    next = nl ? nl + 1 : maps + mlen;
    if (nl) *nl = 0;
    char range[64], perms[8], offset[32], dev[16], inode[32], name[64], extra[8];
    if (sscanf(line, "%63s %7s %31s %15s %31s %63s %7s", range, perms, offset, dev, inode, name, extra) == 6 &&
        strcmp(name, "[vdso]") == 0 && sscanf(range, "%llx-%llx", &start, &end) == 2) found = 1;
  }
  if (!found) {
    printf("@@@VDSO-NONE no [vdso] mapping in /proc/%d/maps\n", (int)pid);
  } else {
    printf("@@@VDSO %llx-%llx\n", start, end);
    // Through /proc/PID/mem, as the script's dd reads it (not through a pointer: the same bytes
    // the kernel hands a debugger). lseek then read, not pread: a 64-bit sparc task's vDSO sits
    // above 2^63 (0xfffff801...), a negative off_t that pread refuses (EINVAL) while the file's
    // unsigned offsets (FMODE_UNSIGNED_OFFSET) let lseek and read through. lseek's -1 is then
    // an error only with errno set.
    size_t n = (size_t)(end - start), got = 0;
    unsigned char *bytes = malloc(n);
    snprintf(path, sizeof path, "/proc/%d/mem", (int)pid);
    const char *failed = 0;
    int fd = open(path, O_RDONLY);
    errno = 0;
    if (fd < 0) failed = "open";
    else if (lseek(fd, (off_t)start, SEEK_SET) == (off_t)-1 && errno != 0) failed = "lseek";
    else {
      while (got < n) {
        ssize_t r = read(fd, bytes + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) { failed = "read"; break; }
        if (r == 0) break;
        got += (size_t)r;
      }
    }
    if (fd >= 0) close(fd);
    if (failed) printf("@@@VDSO-UNREADABLE /proc/%d/mem: %s: %s\n", (int)pid, failed, strerror(errno));
    else od(bytes, got);
  }
  printf("@@@VDSO-LAYOUT-BUNDLE 1 END\n");
  fflush(stdout);
  return 0;
}

// Run a program and wait for it; its exit status, or -1 when it could not start.
static int run(const char *prog, char *const argv[]) {
  fflush(stdout);
  pid_t c = fork();
  if (c < 0) return -1;
  if (c == 0) { execv(prog, argv); _exit(127); }
  int st = 0;
  while (waitpid(c, &st, 0) < 0 && errno == EINTR) {}
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "bundle") == 0) return bundle();
  mkdir("/proc", 0755); mkdir("/sys", 0755); mkdir("/dev", 0755);
  mount("proc", "/proc", "proc", 0, 0);
  mount("sys", "/sys", "sysfs", 0, 0);
  mount("dev", "/dev", "devtmpfs", 0, 0);
  // Only emergencies on the console from here (as the busybox /init): a kernel message printed
  // while a bundle is dumped would land inside its lines.
  int fd = open("/proc/sys/kernel/printk", O_WRONLY);
  if (fd >= 0) { (void)!write(fd, "1\n", 2); close(fd); }
  struct utsname u;
  uname(&u);
  printf("vdso-layout-qemu: booted %s %s\n", u.release, u.machine);
  int rc;
  if (access("/program", X_OK) == 0) {
    printf("vdso-layout-qemu: program\n");
    char *pa[] = { "/program", 0 };
    if ((rc = run("/program", pa)) != 0) printf("vdso-layout-qemu: the program exited with %d\n", rc);
  }
  char *self[] = { "/init", "bundle", 0 };
  for (int i = 0; i < 2; i++) {
    printf("vdso-layout-qemu: task native\n");
    if ((rc = run("/init", self)) != 0) printf("vdso-layout-qemu: the native task exited with %d\n", rc);
  }
  if (access("/compat/capture-init", X_OK) == 0) {
    printf("vdso-layout-qemu: task compat\n");
    char *compat[] = { "/compat/capture-init", "bundle", 0 };
    if ((rc = run("/compat/capture-init", compat)) != 0) printf("vdso-layout-qemu: the compat task could not run (%d)\n", rc);
  }
  printf("vdso-layout-qemu: done\n");
  fflush(stdout);
  sync();
  // Power off; -no-reboot turns the reboot fallback into QEMU exiting.
  reboot(RB_POWER_OFF);
  sleep(3);
  reboot(RB_AUTOBOOT);
  for (;;) pause();
}
