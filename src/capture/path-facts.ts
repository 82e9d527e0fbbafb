// What the file paths of a process's maps say about the machine: multiarch directories
// (/usr/lib/x86_64-linux-gnu/) and dynamic loader names (ld-linux-aarch64.so.1). Collected for
// every line, kept or not, into the block's evidence (check/evidence.ts reads what they mean);
// scan.wat's $newTriplet and $newLoader answer the same questions for the lines it skips.
import type { Buffer } from 'node:buffer';
import type { BlockEvidence } from '../model/capture.js';

/** A dynamic loader's base name in a path (glibc, musl, uClibc): what scan.wat's $newLoader hands back unless the caller has it. */
const LOADER_RE = /\/(ld-[A-Za-z0-9_.+-]*\.so\.\d+|ld64\.so\.\d+|ld\.so\.\d+)$/;

/** The loader a file path names, added to `into` (distinct, at most MAX_TRIPLETS). */
export function collectLoader(path: string, ev: BlockEvidence): void {
  const m = LOADER_RE.exec(path.trimEnd());
  if (!m) return;
  const into = ev.loaders ??= [];
  if (into.length < MAX_TRIPLETS && !into.includes(m[1])) into.push(m[1]);
}

/** At most this many distinct triplets are collected per block. */
export const MAX_TRIPLETS = 4;
// A multiarch directory in a path: /usr/lib/x86_64-linux-gnu/libc.so.6.
const TRIPLET_RE = /\/([a-z0-9_]+-linux-[a-z0-9_]+)(?=\/)/g;

/** Arch triplets in a file path, added to `into` (distinct, at most MAX_TRIPLETS). */
export function collectTriplets(path: string, into: string[]): void {
  if (!path.includes('-linux-')) return;
  for (const m of path.matchAll(TRIPLET_RE)) {
    if (into.length >= MAX_TRIPLETS) return;
    if (!into.includes(m[1])) into.push(m[1]);
  }
}

/** [a-z0-9_]: the characters of a triplet's parts. */
const isTripletChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;
const sameText = (b: Buffer, at: number, t: string): boolean => {
  for (let k = 0; k < t.length; k++) if (b[at + k] !== t.charCodeAt(k)) return false;
  return true;
};

/** collectTriplets over the name b[k, e) of a line scanned as bytes, without decoding it. */
export function collectTripletsInBytes(b: Buffer, k: number, e: number, into: string[]): void {
  for (let o = k + 1; o + 7 < e && into.length < MAX_TRIPLETS; o++) {
    if (b[o] !== 45 || b[o + 6] !== 45 || b[o + 1] !== 108 || b[o + 2] !== 105 || b[o + 3] !== 110 || b[o + 4] !== 117 || b[o + 5] !== 120) continue; // "-linux-"
    let a = o; while (a > k && isTripletChar(b[a - 1])) a--;
    let z = o + 7; while (z < e && isTripletChar(b[z])) z++;
    if (a < o && a > k && b[a - 1] === 47 && z > o + 7 && b[z] === 47) { // /cpu-linux-abi/
      let known = false;
      for (const t of into) if (t.length === z - a && sameText(b, a, t)) { known = true; break; }
      if (!known) into.push(b.toString('latin1', a, z));
    }
  }
}
