import type { ChalkInstance } from 'chalk';
import { hex } from '../errors.js';
import { pagesFor, programTypeName, sectionTypeName, type VdsoImage } from '../elf/index.js';
import { familiesRunning } from '../layout/arch.js';
import { PROFILES } from '../layout/profiles/index.js';
import { jsonEscapeUnsafe, visible as v } from './escape.js';
import { SCHEMA } from './schemas.js';


export interface InspectEntry { file: string; image: VdsoImage }
export interface InspectError { file: string; message: string }

const PAGE_SIZES = [4096n, 16384n, 65536n];
/**
 * The sizes an image is counted at: for a family whose rows list every page size it has (sparc64's
 * 8K, parisc's 4K, sh's 4K/8K/64K), those; for the others these.
 */
function pageSizesOf(im: VdsoImage): bigint[] {
  const families = im.arch ? familiesRunning(im.arch) : [];
  if (!families.length) return PAGE_SIZES;
  const sizes = families.flatMap((f) => PROFILES[f].every((r) => r.pageSizesComplete) ? PROFILES[f].flatMap((r) => r.pageSizes.map(BigInt)) : PAGE_SIZES);
  return [...new Set(sizes)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
const flagsRWX = (f: number) => `${f & 4 ? 'R' : ' '}${f & 2 ? 'W' : ' '}${f & 1 ? 'E' : ' '}`;

export function inspectToJson(entries: InspectEntry[], errors: InspectError[]): string {
  const images = entries.map(({ file, image: im }) => ({
    file,
    arch: im.arch ?? null,
    abi: im.abi ?? null,
    machine: im.header.machine,
    machineName: im.machineName,
    class: im.header.class,
    endian: im.header.endian,
    osabi: im.header.osabi,
    type: im.header.type,
    flags: hex(BigInt(im.header.flags)),
    soname: im.soname ?? null,
    kernelVersion: im.kernelVersion ?? null,
    buildId: im.buildId ?? null,
    unstripped: im.unstripped,
    fileSize: hex(im.fileSize),
    imageSize: hex(im.imageSize),
    imageSizeSource: im.imageSizeSource,
    pages: Object.fromEntries(pageSizesOf(im).map((p) => [String(p), Number(pagesFor(im.imageSize, p))])),
    hash: { sysv: im.hasHash, gnu: im.hasGnuHash },
    loads: im.programs.map((p) => ({
      type: programTypeName(p.type, im.header.machine), offset: hex(p.offset), vaddr: hex(p.vaddr), filesz: hex(p.filesz),
      memsz: hex(p.memsz), flags: flagsRWX(p.flags).replace(/ /g, ''), align: hex(p.align),
    })),
    sections: im.sections.map((s) => ({
      index: s.index, name: s.name, type: sectionTypeName(s.type, im.header.machine), addr: hex(s.addr),
      offset: hex(s.offset), size: hex(s.size), entsize: hex(s.entsize), flags: hex(s.flags), addralign: hex(s.addralign),
    })),
    versions: im.versions.filter((v) => !v.base).map((v) => v.name),
    symbols: im.symbols.filter((s) => s.name !== '').map((s) => ({
      name: s.name, value: hex(s.value), size: hex(s.size), type: s.type, bind: s.bind,
      version: s.version ?? null, table: s.table,
    })),
    dataPageSymbols: im.dataPageSymbols.map((d) => ({ name: d.name, offset: hex(d.offset) })),
    notes: im.notes.map((n) => ({ owner: n.owner, type: n.type, desc: Buffer.from(n.desc).toString('hex') })),
    warnings: im.warnings,
  }));
  return jsonEscapeUnsafe(JSON.stringify({ schema: SCHEMA.inspect, images, errors }, null, 2)) + '\n';
}

export function inspectToText(entries: InspectEntry[], c: ChalkInstance): string {
  const out: string[] = [];
  for (const { file, image: im } of entries) {
    // Every string from the file (its name, the image's strings) is made visible before it is coloured.
    out.push(c.bold(v(file)));
    const arch = im.arch ? `${im.arch}${im.abi ? ` (${im.abi})` : ''}` : c.red('unknown');
    out.push(`  arch        ${arch}  ELF${im.header.class} ${im.header.endian === 'le' ? 'little' : 'big'}-endian, ${im.machineName} (e_machine ${im.header.machine})`);
    out.push(`  soname      ${im.soname !== undefined ? v(im.soname) : c.dim('(none)')}`);
    out.push(`  kernel      ${im.kernelVersion !== undefined ? v(im.kernelVersion) : c.dim('(no Linux version note)')}`);
    out.push(`  build-id    ${im.buildId ?? c.dim('(none)')}`);
    const src = { 'section-table-end': 'stripped image, ends at the section header table', 'estimated-from-dbg': 'estimated from the unstripped .so.dbg', 'file-size': 'file size' }[im.imageSizeSource];
    out.push(`  image size  ${im.imageSize} bytes (${src}); file ${im.fileSize} bytes`);
    // The families that map the file whole (powerpc's .so.dbg, parisc's linked .so): its size, not the stripped one's.
    for (const f of im.unstripped && im.arch ? familiesRunning(im.arch).filter((f) => PROFILES[f].some((r) => r.embeds === 'unstripped')) : []) {
      out.push(`  ${f.padEnd(11)} embeds the whole ${f === 'powerpc' ? '.so.dbg' : 'linked .so'}: [vdso] spans the file's ${im.fileSize} bytes (${pageSizesOf(im).map((p) => `${pagesFor(im.fileSize, p)} at ${Number(p) / 1024}K`).join(', ')})`);
    }
    out.push(`  ${im.unstripped ? 'if stripped' : 'pages      '} ${pageSizesOf(im).map((p) => `${pagesFor(im.imageSize, p)} at ${Number(p) / 1024}K`).join(', ')}`);
    out.push(`  hash        ${[im.hasHash && 'DT_HASH', im.hasGnuHash && 'DT_GNU_HASH'].filter(Boolean).join(' + ') || 'none'}`);
    out.push('  segments');
    for (const p of im.programs) {
      out.push(`    ${programTypeName(p.type, im.header.machine).padEnd(13)} off ${hex(p.offset).padStart(8)} vaddr ${hex(p.vaddr).padStart(8)} filesz ${hex(p.filesz).padStart(7)} memsz ${hex(p.memsz).padStart(7)} ${flagsRWX(p.flags)} align ${hex(p.align)}`);
    }
    const defs = im.versions.filter((x) => !x.base).map((x) => v(x.name));
    out.push(`  versions    ${defs.join(', ') || c.dim('(none)')}`);
    const dyn = im.symbols.filter((s) => s.table === 'dynsym' && s.name !== '');
    out.push(`  symbols     (${dyn.length} dynamic)`);
    for (const s of dyn) {
      out.push(`    ${hex(s.value).padStart(8)} ${String(s.size).padStart(5)} ${s.type.padEnd(6)} ${s.bind.padEnd(6)} ${c.cyan(v(s.name))}${s.version && s.version !== s.name ? `@${s.versionDefault ? '@' : ''}${v(s.version)}` : ''}`);
    }
    if (im.dataPageSymbols.length > 0) {
      out.push('  data pages  (symbols relative to the text base)');
      for (const d of im.dataPageSymbols) out.push(`    ${hex(d.offset).padStart(9)} ${c.yellow(v(d.name))}`);
    }
    for (const w of im.warnings) out.push(`  ${c.yellow('warning')}: ${v(w)}`);
    out.push('');
  }
  return out.join('\n');
}
