// ELF notes, and the two a vDSO carries that we use: the Linux version note and the GNU build-id.
import { Buffer } from 'node:buffer';
import type { ByteReader } from './bytes.js';
import { PT, SHT } from './constants.js';
import { NHDR } from './structs.js';
import type { ElfHeader, ProgramHeader, SectionHeader } from './tables.js';

export interface ElfNote { owner: string; type: number; desc: Uint8Array; offset: bigint }

const NT_GNU_BUILD_ID = 3;
const NT_LINUX_VERSION = 0; // the kernel's ELFNOTE(Linux, 0, LINUX_VERSION_CODE)

/**
 * Notes, per SHT_NOTE section with its own alignment (as readelf does: one PT_NOTE may hold an
 * 8-aligned .note.gnu.property and a 4-aligned .note, as riscv64 7.2's vdso-cfi.so does);
 * PT_NOTE segments only when there are no section headers.
 */
export function readAllNotes(r: ByteReader, programs: ProgramHeader[], sections: SectionHeader[], warnings: string[]): ElfNote[] {
  const notes: ElfNote[] = [];
  const areas = sections.filter((s) => s.type === SHT.NOTE).map((s) => ({ off: s.offset, size: s.size, align: s.addralign === 8n ? 8n : 4n }));
  if (areas.length === 0) {
    for (const p of programs.filter((p) => p.type === PT.NOTE)) areas.push({ off: p.offset, size: p.filesz, align: p.align === 8n ? 8n : 4n });
  }
  for (const area of areas) readNotes(r, area.off, area.size, area.align, notes, warnings);
  return notes;
}

function readNotes(r: ByteReader, off: bigint, size: bigint, align: bigint, out: ElfNote[], warnings: string[]): void {
  // Kernel notes (ELFNOTE) pad name and desc to 4 even in an 8-aligned section; the linker
  // may put padding between input sections (riscv64 7.2 vdso-cfi.so: a 4-aligned build-id,
  // zero padding, an 8-aligned .note.gnu.property, then the Linux note). So: 4-byte padding
  // inside a note, and at a boundary skip to the section alignment when only that offset
  // holds a plausible note header.
  const { size: nhdrSize, fields: n } = NHDR[32];
  const hdr = BigInt(nhdrSize);
  const pad4 = (x: bigint) => (x + 3n) & ~3n;
  const end = off + size;
  const plausible = (o: bigint): boolean => {
    if (o + hdr > end) return false;
    const namesz = r.big(n.n_namesz, o);
    const descsz = r.big(n.n_descsz, o);
    if (namesz === 0n || namesz > 256n || o + hdr + pad4(namesz) + pad4(descsz) > end) return false;
    const name = r.slice(o + hdr, namesz, 'n_name');
    return name[name.length - 1] === 0 && name.subarray(0, -1).every((c) => c >= 0x20 && c < 0x7f);
  };
  let o = off;
  while (o + hdr <= end) {
    if (!plausible(o) && align > 4n) {
      const aligned = (o + align - 1n) & ~(align - 1n);
      if (aligned !== o && plausible(aligned)) o = aligned;
    }
    if (o + hdr > end) return;
    const namesz = r.big(n.n_namesz, o);
    const descsz = r.big(n.n_descsz, o);
    const type = r.num(n.n_type, o);
    const nameAt = o + hdr;
    const descAt = nameAt + pad4(namesz);
    const next = descAt + pad4(descsz);
    if (namesz === 0n && descsz === 0n && type === 0) { o += 4n; continue; } // padding
    if (next > end) {
      warnings.push(`note at offset 0x${o.toString(16)} has impossible sizes (namesz ${namesz}, descsz ${descsz}, area ends at 0x${end.toString(16)}); notes after it are skipped`);
      return;
    }
    const nameBytes = r.slice(nameAt, namesz, 'n_name');
    const owner = Buffer.from(nameBytes).toString('latin1').replace(/\0+$/, '');
    out.push({ owner, type, desc: r.slice(descAt, descsz, 'n_desc'), offset: o });
    o = next;
  }
}

/** The kernel version of the first Linux version note, and the first GNU build-id, as hex. */
export function noteFacts(notes: ElfNote[], header: ElfHeader, warnings: string[]): { kernelVersion?: string; buildId?: string } {
  let kernelVersion: string | undefined;
  let buildId: string | undefined;
  for (const n of notes) {
    if (n.owner === 'Linux' && n.type === NT_LINUX_VERSION && n.desc.length === 4 && kernelVersion === undefined) {
      const code = new DataView(n.desc.buffer, n.desc.byteOffset, 4).getUint32(0, header.endian === 'le');
      // LINUX_VERSION_CODE = a<<16 | b<<8 | min(c, 255); a real one has a ≥ 2.
      if (code >>> 16 >= 2) kernelVersion = `${code >>> 16}.${(code >>> 8) & 0xff}.${code & 0xff}`;
      else warnings.push(`Linux note type 0 holds 0x${code.toString(16)}, not a LINUX_VERSION_CODE`);
    } else if (n.owner === 'GNU' && n.type === NT_GNU_BUILD_ID && buildId === undefined) {
      buildId = Buffer.from(n.desc).toString('hex');
    }
  }
  return { kernelVersion, buildId };
}
