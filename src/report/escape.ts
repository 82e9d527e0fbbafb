// One rule for what text from an input (file names, maps names, messages quoting them) may put
// into an output: nothing a terminal or a line-oriented reader acts on. C0 controls (ESC starts
// colour, OSC and cursor sequences; BEL, BS, FF), DEL, C1 controls (U+0085 NEL ends a line for
// Python's splitlines), the Unicode line/paragraph separators, and the bidirectional controls that
// reorder what a reader sees. Each renderer picks the spelling its consumer reads.

const UNSAFE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const cEscape = (ch: string): string => {
  const code = ch.charCodeAt(0);
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/**
 * For a terminal, a log or a diagnostic line: each unsafe character spelt as a C escape (`\x1b`,
 * `\n`, `\u2028`), so the text stays on its line and shows what was there. `keep` lists characters
 * the caller means literally (a tab in a diff header).
 */
/** One line as stderr (and a text report file) says it: made visible but for tabs, ending in one newline. */
export function errorLineText(s: string): string {
  return `${visible(s.endsWith('\n') ? s.slice(0, -1) : s, '\t')}\n`;
}

/** Whether a text holds anything `visible` would escape (a profile's names and id must not). */
export function hasUnsafeText(s: string): boolean {
  return s.search(UNSAFE) >= 0;
}

export function visible(s: string, keep = ''): string {
  return s.replace(UNSAFE, (ch) => (keep.includes(ch) ? ch : cEscape(ch)));
}

/** For names that must stay distinct (KTAP test names): UTF-8 percent-encoding, as in a URL. */
export function percentEncodeUnsafe(s: string): string {
  return s.replace(UNSAFE, (ch) => encodeURIComponent(ch));
}

/**
 * For JSON text (JSON.stringify already escapes C0): the rest as `\uXXXX`, which a JSON reader
 * decodes to the same string, so the data stays exact and no line of the document splits.
 */
const UNSAFE_IN_JSON = /[\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
export function jsonEscapeUnsafe(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
