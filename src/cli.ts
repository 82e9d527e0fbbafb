// The process entry (what the bundle runs): the real process as the shell, run() (src/cli/run.ts)
// for the command line, the exit code as the process's. src/cli/ holds the option table, run()
// and the shell; src/commands/ the actions; src/report/ every output format.
import { run, EXIT, type RunDepth } from './cli/run.js';
import { processShell, stdoutWriteFailed, wroteViaStreams } from './cli/shell.js';

// If the event loop empties while run() is still pending (a promise that never settles),
// that is a bug: never let it pass as a silent exit 0.
let settled = false;
const shell = processShell();
process.on('beforeExit', () => {
  if (!settled) { shell.err('vdso-layout: internal error: exited before finishing\n'); process.exitCode = EXIT.TROUBLE; settled = true; }
});
/** For the bin shim, at exit: how far this run went into its command (see RunDepth). */
let depth: RunDepth = 0;
export const runDepth = (): RunDepth => depth;
/** For the bin shim, at exit: what of its command this run exercised (see reachOf). */
let reach = 0;
export const runReach = (): number => reach;
run(process.argv.slice(2), shell).then(({ code, depth: reached, reach: exercised }) => {
  settled = true;
  depth = reached;
  reach = exercised;
  // A document stdout could not take whole is no result (said on stderr when it happened).
  if (stdoutWriteFailed()) code = EXIT.TROUBLE;
  process.exitCode = code;
  // All output is written (writeSync) unless a write fell back to the streams, which must drain
  // first. Exiting now skips the event loop's last turn and an idle-time GC (~1 ms of a check).
  if (!wroteViaStreams()) process.exit(code);
});
