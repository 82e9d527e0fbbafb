// Public face of the ELF reader. Nothing outside src/elf imports elfy or tables.ts directly.
export { parseVdsoImage, pagesFor } from './image.js';
export type { VdsoImage } from './image.js';
export { programTypeName, sectionTypeName } from './constants.js';
export type { ArchName } from './constants.js';
