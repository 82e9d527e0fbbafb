// The capture layer: bytes of a maps file, a console log, a CI or LAVA job log, a bundle in;
// decoded per-process records out (src/model/capture.ts). Where each part lives:
//   reader.ts       framing, segmenting into processes, the fast path's bookkeeping
//   maps-line.ts    the maps-line grammar (one definition) and the kernel-exact writer
//   maps-line-bytes.ts, scan.wat   its fast paths, in JavaScript and WebAssembly (scan.ts loads it)
//   console.ts      console clean-up (CRs, escapes, printk stamps, prefixes) and context lines
//   retention.ts    what a keep rule retains of a process, within limits.ts's bounds
//   path-facts.ts   multiarch directories and loader names in paths; diagnostics.ts: clean-ups noted
//   bundle-format.ts / bundle.ts   the bundle's one definition / its reader
//   auxv.ts, lava.ts              aux vector forms / LAVA job log unwrapping
export { CaptureReader, readCapture, readCaptureStream, type ReaderOptions } from './reader.js';
export { KEEP_BOUNDS, MAX_AUXV_TEXT, MAX_PROCESSES } from './limits.js';
