// Turns the `readelf -a` dumps shipped next to each sample image into test/fixtures/readelf.json.
// Run once when samples change: node scripts/readelf-fixtures.mjs. Tests read the JSON only.
import { readFileSync, readdirSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = 'samples/corpus';
const out = {};
const files = [];
for (const entry of readdirSync(root).sort()) {
  const dir = join(root, entry);
  if (!statSync(dir).isDirectory()) continue;
  for (const sub of [dir, join(dir, 'dbg')]) {
    if (!existsSync(sub)) continue;
    for (const f of readdirSync(sub).sort()) if (f.endsWith('.readelf.txt')) files.push(join(sub, f));
  }
}
for (const txt of files) {
  const image = txt.replace(/\.readelf\.txt$/, '').replace(/\/(vdso[^/]*)\.dbg$/, '/$1.dbg.so');
  const imagePath = existsSync(image) ? image : txt.replace(/\.readelf\.txt$/, '.so');
  if (!existsSync(imagePath)) { console.error(`no image for ${txt}`); continue; }
  const t = readFileSync(txt, 'utf8');
  const hdr = (k) => new RegExp(`^\\s*${k}:\\s+(.*)$`, 'm').exec(t)?.[1].trim();
  const sections = [];
  for (const m of t.matchAll(/^\s+\[\s*(\d+)\] (\S*)\s+(\S+)\s+([0-9a-f]{8,16}) ([0-9a-f]{6,}) ([0-9a-f]{6,}) ([0-9a-f]{2}) (.{3}) +(\d+) +(\d+) +(\d+)$/gm)) {
    sections.push({ index: +m[1], name: m[2], type: m[3], addr: '0x' + BigInt('0x' + m[4]).toString(16), offset: '0x' + BigInt('0x' + m[5]).toString(16), size: '0x' + BigInt('0x' + m[6]).toString(16), entsize: '0x' + BigInt('0x' + m[7]).toString(16), addralign: m[11] });
  }
  const programs = [];
  for (const m of t.matchAll(/^  (\S+)\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) (.{3}) 0x([0-9a-f]+)$/gm)) {
    programs.push({ type: m[1], offset: '0x' + BigInt('0x' + m[2]).toString(16), vaddr: '0x' + BigInt('0x' + m[3]).toString(16), filesz: '0x' + BigInt('0x' + m[5]).toString(16), memsz: '0x' + BigInt('0x' + m[6]).toString(16), flags: m[7].replace(/ /g, ''), align: '0x' + BigInt('0x' + m[8]).toString(16) });
  }
  const symbols = [];
  for (const block of t.split(/^Symbol table '/m).slice(1)) {
    const table = block.startsWith('.dynsym') ? 'dynsym' : 'symtab';
    for (const m of block.matchAll(/^\s+\d+: ([0-9a-f]+)\s+(\S+) (\S+)\s+(\S+)\s+(\S+(?: \[<localentry>: \d+\])?)\s+(\S+) ?(.*)$/gm)) {
      let name = m[7]; let version = null;
      const at = /^(.*?)@@?(.+)$/.exec(name);
      if (at) { name = at[1]; version = at[2]; }
      if (table === 'dynsym' && /^LINUX_/.test(name) && m[3] === 'OBJECT' && version === null) version = name;
      const size = m[2].startsWith('0x') ? BigInt(m[2]) : BigInt(m[2]);
      symbols.push({ table, name, value: '0x' + BigInt('0x' + m[1]).toString(16), size: '0x' + size.toString(16), type: m[3], bind: m[4], version });
    }
  }
  const versions = [...t.matchAll(/Flags: (\S+)\s+Index: \d+\s+Cnt: \d+\s+Name: (\S+)/g)].filter((m) => m[1] !== 'BASE').map((m) => m[2]);
  const soname = /Library soname: \[(.*)\]/.exec(t)?.[1] ?? null;
  const buildId = /Build ID: ([0-9a-f]+)/.exec(t)?.[1] ?? null;
  const linuxNote = /^\s+Linux\s+0x00000004\s+Unknown note type: \(0x00000000\)\s+description data: ((?:[0-9a-f]{2} ){4})/m.exec(t)?.[1].trim() ?? null;
  out[imagePath] = {
    class: hdr('Class'), data: hdr('Data'), machine: hdr('Machine'), type: hdr('Type'), flags: hdr('Flags'),
    soname, buildId, linuxNoteDesc: linuxNote, sections, programs, symbols, versions,
  };
}
writeFileSync('test/fixtures/readelf.json', JSON.stringify(out, null, 1) + '\n');
console.log(`${Object.keys(out).length} images`);
