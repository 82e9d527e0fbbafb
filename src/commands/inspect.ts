import { InputError } from '../errors.js';
import { parseVdsoImage, type VdsoImage } from '../elf/index.js';
import { loadImage } from './options.js';
import { readLiveVdso } from '../live.js';
import { inspectToJson, inspectToText, type InspectEntry, type InspectError } from '../report/inspect.js';
import type { Streams } from './streams.js';


export async function runInspect(files: string[], opts: { live?: boolean; json?: boolean }, io: Streams): Promise<number> {
  if (files.length === 0 && !opts.live) throw new InputError('no image given (name one or more files, or use --live)');
  const entries: InspectEntry[] = [];
  const errors: InspectError[] = [];
  // loadImage: the same reading, limits and messages as --vdso (a kernel is pointed at `extract`).
  const inputs: Array<{ file: string; load: () => VdsoImage }> = files.map((f) => ({ file: f, load: () => loadImage(f) }));
  if (opts.live) inputs.unshift({ file: '[vdso] of this process', load: () => { const r = parseVdsoImage(readLiveVdso().bytes, '[vdso] of this process'); if (!r.ok) throw r.error; return r.value; } });
  for (const { file, load } of inputs) {
    let res: { ok: true; value: VdsoImage } | { ok: false; error: InputError };
    try {
      res = { ok: true, value: load() };
    } catch (e) {
      const error = e instanceof InputError ? e.withFile(file) : new InputError(`internal error while decoding (${(e as Error).message})`, { file });
      res = { ok: false as const, error };
    }
    if (res.ok) entries.push({ file, image: res.value });
    else {
      errors.push({ file, message: res.error.format() });
      io.err(`vdso-layout: ${res.error.format()}\n`);
    }
  }
  io.out(opts.json ? inspectToJson(entries, errors) : inspectToText(entries, io.chalk));
  return errors.length > 0 ? 2 : 0;
}
