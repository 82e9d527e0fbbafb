// Public face of the ELF reader. Nothing outside src/elf imports elfy or tables.ts directly.
export { parseVdsoImage, pagesFor, estimateStrippedSize, DATA_PAGE_SYMBOLS } from './image.js';
export type { VdsoImage, ElfSymbol, ElfNote, VersionDef, DynamicEntry, DataPageSymbol } from './image.js';
export type { ElfHeader, ProgramHeader, SectionHeader } from './tables.js';
export { PT_NAMES, programTypeName, sectionTypeName, MACHINE_NAMES, EM, deriveArch } from './constants.js';
export type { ArchName, MipsAbi } from './constants.js';
