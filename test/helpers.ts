import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS = join(ROOT, 'samples', 'corpus');
export const sample = (...p: string[]) => join(CORPUS, ...p);
/** The corpus entry most tests read: Debian bookworm's amd64 6.1 kernel (64-bit, 32-bit and x32 vDSOs, debug images, captures). */
export const AMD64_ENTRY = 'amd64-6.1.0-56-amd64';
export const readBytes = (p: string) => new Uint8Array(readFileSync(p));
export const readText = (p: string) => readFileSync(p, 'latin1');

export function corpusEntries(): string[] {
  return readdirSync(CORPUS).filter((e) => statSync(join(CORPUS, e)).isDirectory()).sort();
}

export function filesIn(entry: string, re: RegExp): string[] {
  const dir = join(CORPUS, entry);
  return existsSync(dir) ? readdirSync(dir).filter((f) => re.test(f)).sort() : [];
}

export interface CliResult { code: number; stdout: string; stderr: string }

/** Run the built CLI exactly as a user would (bin shim → dist). */
export function cli(args: string[], opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv; encoding?: 'latin1' | 'utf8' } = {}): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'vdso-layout.js'), ...args], {
    input: opts.input, encoding: opts.encoding ?? 'latin1', env: { ...process.env, NO_COLOR: '1', ...opts.env }, maxBuffer: 64 << 20,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Deterministic PRNG (mulberry32) for mutation and property tests; one home, shared with the fuzz runner. */
export { rng } from './fuzz/rng.mjs';

/**
 * How many inputs a mutation loop runs: a small deterministic sample in `npm test`, the full count
 * under `npm run fuzz` (which runs the mutation tests again with VDSO_LAYOUT_FUZZ=full).
 */
export const fuzzCount = (sample: number, full: number): number => (process.env.VDSO_LAYOUT_FUZZ === 'full' ? full : sample);

/** The page size column of the corpus README table, per entry. */
export function corpusPageSizes(): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const l of readText(join(CORPUS, 'CORPUS-README.md')).split('\n')) {
    const m = /^\| ([^ |]+) \| [^|]+ \| [^|]+ \| (\d+) \|/.exec(l);
    if (m) out[m[1]] = BigInt(m[2]);
  }
  return out;
}

/** The corpus's raw serial console logs: [entry, bytes]. */
export function corpusConsoleLogs(): Array<[string, Buffer]> {
  return corpusEntries().flatMap((e): Array<[string, Buffer]> => {
    const file = join(CORPUS, e, 'console.log');
    return existsSync(file) ? [[e, readFileSync(file)]] : [];
  });
}

/** A QEMU boot's console log under samples/qemu (carriage returns gone), and the maps lines of its n-th bundle (from 1). */
export function qemuBoot(log: string): { file: string; text: string; mapsOf: (n: number) => string } {
  const file = join(ROOT, 'samples', 'qemu', log);
  const text = readText(file).replace(/\r/g, '');
  return { file, text, mapsOf: (n) => text.split('@@@MAPS\n')[n].split('@@@AUXV')[0] };
}

/**
 * An ELF32 image grown to `size` bytes by moving its section header table to the end (the table's
 * end is where the kernel's embedded image ends: its size as the check counts it), both byte orders.
 */
export function grownElf32(bytes: Uint8Array, size: number): Uint8Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = bytes[5] === 1;
  const shoff = dv.getUint32(0x20, le);
  const table = bytes.slice(shoff, shoff + dv.getUint16(0x2e, le) * dv.getUint16(0x30, le));
  const out = new Uint8Array(size);
  out.set(bytes.subarray(0, shoff));
  out.set(table, size - table.length);
  new DataView(out.buffer).setUint32(0x20, size - table.length, le);
  return out;
}

/** A fresh temporary directory, and `put(name, content)` writing a file there (its path back). */
export function scratch(prefix: string): { dir: string; put: (name: string, content: string | Uint8Array) => string } {
  const dir = mkdtempSync(join(tmpdir(), `vdso-${prefix}-`));
  return { dir, put: (name, content) => { const p = join(dir, name); writeFileSync(p, content); return p; } };
}
