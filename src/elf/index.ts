// Public face of the ELF reader. Nothing outside src/elf imports elfy or tables.ts directly.
export { parseVdsoImage, pagesFor, estimateStrippedSize } from './image.js';
export type { VdsoImage } from './image.js';
export { DATA_PAGE_SYMBOLS } from './symbols.js';
export type { ElfSymbol, DataPageSymbol } from './symbols.js';
export type { ElfNote } from './notes.js';
export type { VersionDef } from './versions.js';
export type { DynamicEntry } from './dynamic.js';
export type { ElfHeader, ProgramHeader, SectionHeader } from './tables.js';
export { PT_NAMES, programTypeName, sectionTypeName, MACHINE_NAMES, EM, deriveArch } from './constants.js';
export type { ArchName, MipsAbi } from './constants.js';
