// What `readelf -a` printed for an image (samples/corpus/**/*.readelf.txt, GNU readelf output
// kept next to each image), parsed into plain values for the readelf comparison tier
// (test/elf-readelf.test.ts). Tests read the text; they never run readelf.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

/** Each corpus `X.readelf.txt` with its image: `X` (`vdso64.so`), or `X.so` for a `.dbg` dump; absolute paths. */
export function corpusDumps(): Array<{ image: string; text: string }> {
  const corpus = join(ROOT, 'samples/corpus');
  const dumps: Array<{ image: string; text: string }> = [];
  for (const entry of readdirSync(corpus).sort()) {
    for (const dir of [join(corpus, entry), join(corpus, entry, 'dbg')]) {
      if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
      for (const f of readdirSync(dir).sort()) {
        if (!f.endsWith('.readelf.txt')) continue;
        const stem = join(dir, f.replace(/\.readelf\.txt$/, ''));
        dumps.push({ image: existsSync(stem) ? stem : `${stem}.so`, text: join(dir, f) });
      }
    }
  }
  return dumps;
}

const hex = (s: string) => BigInt(s.startsWith('0x') ? s : `0x${s}`);

export interface ReadelfDump {
  header: Record<string, string>;
  sections: Array<{ index: number; name: string; type: string; addr: bigint; offset: bigint; size: bigint; entsize: bigint; flags: string; link: number; info: number; addralign: bigint }>;
  programs: Array<{ type: string; offset: bigint; vaddr: bigint; paddr: bigint; filesz: bigint; memsz: bigint; flags: string; align: bigint }>;
  /** Entries up to and including DT_NULL; value undefined where readelf printed a string ([soname]). */
  dynamic: Array<{ tag: bigint; type: string; value: bigint | undefined; text: string }>;
  symbols: Array<{ table: 'dynsym' | 'symtab'; value: bigint; size: bigint; type: string; bind: string; visibility: string; ndx: string; name: string; version: string | null; hidden: boolean }>;
  /** .gnu.version entries in symbol order. */
  versym: Array<{ index: number; hidden: boolean; name: string }>;
  verdef: Array<{ flags: string; index: number; name: string }>;
  notes: Array<{ section: string; owner: string; size: number; type: string; desc: string | undefined }>;
}

export function parseReadelf(t: string): ReadelfDump {
  const header: Record<string, string> = {};
  const hdrText = t.slice(0, t.indexOf('\nSection Headers:'));
  for (const m of hdrText.matchAll(/^ {2}([^:\n]+):\s+(.*)$/gm)) if (!(m[1] in header)) header[m[1]] = m[2].trim(); else header[`${m[1]} (2)`] = m[2].trim();

  const sections: ReadelfDump['sections'] = [];
  for (const m of t.matchAll(/^\s+\[\s*(\d+)\] (\S*)\s+(\S+)\s+([0-9a-f]{8,16}) ([0-9a-f]{6,}) ([0-9a-f]{6,}) ([0-9a-f]{2}) (.{3}) +(\d+) +(\d+) +(\d+)$/gm)) {
    sections.push({ index: +m[1], name: m[2], type: m[3], addr: hex(m[4]), offset: hex(m[5]), size: hex(m[6]), entsize: hex(m[7]), flags: m[8].trim(), link: +m[9], info: +m[10], addralign: BigInt(m[11]) });
  }
  const programs: ReadelfDump['programs'] = [];
  for (const m of t.matchAll(/^ {2}(\S+)\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) (.{3}) 0x([0-9a-f]+)$/gm)) {
    programs.push({ type: m[1], offset: hex(m[2]), vaddr: hex(m[3]), paddr: hex(m[4]), filesz: hex(m[5]), memsz: hex(m[6]), flags: m[7].replace(/ /g, ''), align: hex(m[8]) });
  }
  const dynamic: ReadelfDump['dynamic'] = [];
  for (const m of t.matchAll(/^ 0x([0-9a-f]+) \((\w+)\)\s+(.*)$/gm)) {
    const text = m[3].trim();
    const num = /^(?:0x([0-9a-f]+)|(\d+)(?: \(bytes\))?)$/.exec(text);
    const value = num ? (num[1] !== undefined ? hex(num[1]) : BigInt(num[2])) : FLAG_WORDS[text];
    dynamic.push({ tag: hex(m[1]), type: m[2], value, text });
  }
  const symbols: ReadelfDump['symbols'] = [];
  for (const block of t.split(/^Symbol table '/m).slice(1)) {
    const table = block.startsWith('.dynsym') ? 'dynsym' : 'symtab';
    const body = block.split(/\n\n/)[0];
    for (const m of body.matchAll(/^\s+\d+: ([0-9a-f]+)\s+(\S+) (\S+)\s+(\S+)\s+(\S+)(?: \[<localentry>: \d+\])?\s+(\S+) ?(.*)$/gm)) {
      const at = /^(.*?)(@@?)(.+)$/.exec(m[7]);
      symbols.push({
        table, value: hex(m[1]), size: m[2].startsWith('0x') ? BigInt(m[2]) : BigInt(m[2]), type: m[3], bind: m[4], visibility: m[5], ndx: m[6],
        name: at ? at[1] : m[7], version: at ? at[3] : null, hidden: at?.[2] === '@',
      });
    }
  }
  const versym: ReadelfDump['versym'] = [];
  const vs = /^Version symbols section[^\n]*\n[^\n]*\n((?: {2}[0-9a-f]{3}:.*\n)+)/m.exec(t);
  if (vs) for (const m of vs[1].matchAll(/(\d+)(h?)\s*\(([^)]*)\)/g)) versym.push({ index: +m[1], hidden: m[2] === 'h', name: m[3] });
  const verdef = [...t.matchAll(/Rev: \d+\s+Flags: (.+?)\s+Index: (\d+)\s+Cnt: \d+\s+Name: (\S+)/g)].map((m) => ({ flags: m[1], index: +m[2], name: m[3] }));
  const notes: ReadelfDump['notes'] = [];
  for (const block of t.split(/^Displaying notes found in: /m).slice(1)) {
    const section = block.slice(0, block.indexOf('\n'));
    for (const m of block.matchAll(/^ {2}(\S+)\s+0x([0-9a-f]{8})\t([^\t]+)\t\s*(.*)$/gm)) {
      const data = /(?:description data|Build ID): ([0-9a-f ]+)/.exec(m[4]);
      notes.push({ section, owner: m[1], size: parseInt(m[2], 16), type: m[3].trim(), desc: data ? data[1].replace(/ /g, '') : undefined });
    }
  }
  return { header, sections, programs, dynamic, symbols, versym, verdef, notes };
}

/** The flag words readelf prints for DT_FLAGS (SYMBOLIC = DF_SYMBOLIC) and DT_MIPS_FLAGS (NOTPOT = RHF_NOTPOT). */
const FLAG_WORDS: Record<string, bigint> = { SYMBOLIC: 2n, NOTPOT: 2n };
