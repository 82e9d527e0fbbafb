// The capture layer: bytes of a maps file, a console log, a CI or LAVA job log, a bundle in;
// decoded per-process records out (src/model/capture.ts). Where each part lives:
//   reader.ts       framing, segmenting into processes, the fast path's bookkeeping
//   maps-line.ts    the maps-line grammar (one definition) and the kernel-exact writer
//   scan.wat        the WebAssembly fast path over the same grammar (scan.ts loads it)
//   console.ts      console clean-up (CRs, escapes, printk stamps, prefixes) and context lines
//   retention.ts    what a keep rule retains of a process, within limits.ts's bounds
//   bundle-format.ts / bundle.ts   the bundle's one definition / its reader
//   auxv.ts, lava.ts              aux vector forms / LAVA job log unwrapping
export { CaptureReader, readCapture, readCaptureStream, type ReaderOptions } from './reader.js';
export { KEEP_BOUNDS, MAX_AUXV_TEXT, MAX_LINE_BYTES, MAX_PROCESSES, type KeepBounds } from './limits.js';
