// elfy 1.0.0 ships no types. Only src/elf/tables.ts may import it.
declare module 'elfy' {
  interface ElfyParser {
    setEndian(e: 'lsb' | 'msb'): void;
    setWord(n: 4 | 8): void;
    parseHeader(buf: Buffer): Record<string, unknown> & {
      class: '32' | '64'; endian: 'lsb' | 'msb'; phoff: number; shoff: number;
      phnum: number; phentsize: number; shnum: number; shentsize: number; shstrndx: number;
      flags: number; machine: string | undefined; type: string | undefined;
    };
    parseBody(buf: Buffer, header: object): { programs: Array<Record<string, unknown>>; sections: Array<Record<string, unknown>> };
  }
  const elfy: { Parser: new () => ElfyParser; parse(buf: Buffer): unknown };
  export default elfy;
}
