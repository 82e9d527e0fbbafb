// The --json document of synth, diff, profiles, extract and inspect when the command ends in an
// error before its own (a usage error, an unreadable input, a bug): stdout stays a whole JSON
// document on every exit path, as check's does, with the schema id the command promises.
import { jsonEscapeUnsafe } from './escape.js';
import { SCHEMA } from './schemas.js';

/** The commands with a --json document besides check (whose formats are its own). */
export const JSON_COMMANDS = ['synth', 'diff', 'profiles', 'extract', 'inspect'] as const;
type JsonCommand = (typeof JSON_COMMANDS)[number];

export function troubleJson(command: JsonCommand, kind: 'option' | 'usage' | 'internal', message: string, input?: string): string {
  // inspect's own shape: no images, the error in its errors (file: the input, or '' for a usage error).
  const doc = command === 'inspect'
    ? { schema: SCHEMA.inspect, images: [], errors: [{ file: input ?? '', message }] }
    : { schema: SCHEMA[command], error: { kind, message, input: input ?? null } };
  return jsonEscapeUnsafe(JSON.stringify(doc, null, 2)) + '\n';
}
