// The part of the WebAssembly JS API src/capture/scan.ts uses. TypeScript declares it in lib.dom
// only, and @types/node 20 does not; Node has had it since v8.
declare namespace WebAssembly {
  class Module { constructor(bytes: Uint8Array); }
  class Memory { readonly buffer: ArrayBuffer; grow(pages: number): number; }
  class Instance { constructor(module: Module, imports?: object); readonly exports: Record<string, unknown>; }
}
