// A large synthetic x86_64 /proc/PID/maps, deterministic (seeded), written to stdout or a file.
//   node bench/gen-maps.mjs LINES [normal|novdso|anonx|libs] [> file]
// normal: page-aligned random vmas in address order, a third with a library path (in runs of 4
//         vmas per file, as ld.so maps them), a quarter of the anonymous ones r-xp (JIT code),
//         then [stack], the 6.18 cluster ([vvar] 4 pages, [vvar_vclock] 2, [vdso] 2) and
//         [vsyscall] at the end.
// novdso: the same without the cluster (no [vdso] anywhere).
// anonx:  every anonymous vma r-xp.
// libs:   the mix issue 20 measured at 1.01-1.43x awk: each line on its own a third of the time a
//         library (one of 40 long paths, most under x86_64-linux-gnu, so consecutive file
//         lines are mostly different files), else anonymous, a quarter of those r-xp; the same
//         tail (the 6.18 cluster).
import { createWriteStream } from 'node:fs';

export async function generateMaps(lines, mode = 'normal', out = process.stdout) {
  let seed = 0x2545f491;
  const rand = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 4294967296; };
  const libs = ['/usr/lib/x86_64-linux-gnu/libc.so.6', '/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.33', '/usr/lib/jvm/java-21/lib/server/libjvm.so', '/opt/some app/lib with spaces.so', '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2'];
  const filePerms = ['r--p', 'r-xp', 'r--p', 'rw-p'];
  const tail = [
    '7ffd84e9a000-7ffd84ebb000 rw-p 00000000 00:00 0                          [stack]',
    '7ffd84f3e000-7ffd84f42000 r--p 00000000 00:00 0                          [vvar]',
    '7ffd84f42000-7ffd84f44000 r--p 00000000 00:00 0                          [vvar_vclock]',
    '7ffd84f44000-7ffd84f46000 r-xp 00000000 00:00 0                          [vdso]',
    'ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]',
  ].filter((l) => mode !== 'novdso' || !/\[v(dso|var)/.test(l));
  const body = lines - tail.length;
  // Addresses from 0x555555554000 up, below the stack: at most 64 pages + a gap each.
  let addr = 0x555555554000;
  let parts = [];
  let size = 0;
  const flush = () => new Promise((resolve) => {
    const s = parts.join(''); parts = []; size = 0;
    if (out.write(s)) resolve(); else out.once('drain', resolve);
  });
  let lib = 0; let libLeft = 0; let libOffset = 0; let inode = 0;
  // libs: long paths (a container's or a Nix store's, 90-200 bytes), one inode each.
  const longLibs = Array.from({ length: 40 }, (_, k) => {
    const dir = k % 5 === 4 ? '/opt/vendor/sdk-2026.1' : `/var/lib/containers/storage/overlay/${(0x9e3779b1 * (k + 1) >>> 0).toString(16).padStart(8, '0')}${'0123456789abcdef'.repeat(3)}/diff/usr/lib/x86_64-linux-gnu`;
    return { path: `${dir}/lib${'component'.repeat(k % 4)}${k}.so.${k % 7}`, inode: 1048576 + k * 7919 };
  });
  for (let i = 0; i < body; i++) {
    const pages = 1 + Math.floor(rand() * 16);
    const start = addr; const end = start + pages * 4096;
    addr = end + (rand() < 0.3 ? 4096 * (1 + Math.floor(rand() * 8)) : 0);
    const range = `${start.toString(16)}-${end.toString(16)}`;
    let line;
    if (mode === 'libs') {
      if (rand() < 1 / 3) {
        const l = longLibs[Math.floor(rand() * longLibs.length)];
        const prefix = `${range} ${filePerms[Math.floor(rand() * 4)]} ${(Math.floor(rand() * 64) * 4096).toString(16).padStart(8, '0')} fe:01 ${l.inode} `;
        line = `${prefix.padEnd(73)}${l.path}\n`;
      } else line = `${range} ${rand() < 0.25 ? 'r-xp' : 'rw-p'} 00000000 00:00 0 \n`;
      parts.push(line); size += line.length;
      if (size > 1 << 20) await flush();
      continue;
    }
    // A library is mapped as a run of 4 vmas (r--p, r-xp, r--p, rw-p) of one file, as ld.so does.
    if (libLeft > 0 || rand() < 1 / 9) {
      if (libLeft === 0) { libLeft = 4; libOffset = 0; lib = Math.floor(rand() * libs.length); inode = 338944 + Math.floor(rand() * 5000); }
      const prefix = `${range} ${filePerms[4 - libLeft]} ${(libOffset * 4096).toString(16).padStart(8, '0')} fe:00 ${inode} `;
      line = `${prefix.padEnd(73)}${libs[lib]}\n`;
      libOffset += pages; libLeft--;
    } else {
      const perms = mode === 'anonx' || rand() < 0.25 ? 'r-xp' : 'rw-p';
      line = `${range} ${perms} 00000000 00:00 0 \n`;
    }
    parts.push(line); size += line.length;
    if (size > 1 << 20) await flush();
  }
  for (const l of tail) parts.push(l + '\n');
  await flush();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lines = Number(process.argv[2] ?? 1_000_000);
  const mode = process.argv[3] ?? 'normal';
  const out = process.argv[4] ? createWriteStream(process.argv[4]) : process.stdout;
  await generateMaps(lines, mode, out);
  if (out !== process.stdout) await new Promise((r) => out.end(r));
}
