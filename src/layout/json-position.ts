// Where a JSON text first breaks the grammar (RFC 8259), for a one-line `file:line:col` error.
// JSON.parse says whether the text is valid; its messages differ between V8 versions and some
// quote the whole input across lines, so the position is found here instead.
export interface JsonSyntaxError { offset: number; line: number; column: number; message: string }

export function locateJsonError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  class Fail { constructor(readonly at: number, readonly expected: string) {} }
  const fail = (expected: string): never => { throw new Fail(i, expected); };
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };
  const lit = (w: string) => { if (text.startsWith(w, i)) i += w.length; else fail('a value'); };
  const str = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('a closing \'"\'');
      const c = text.charCodeAt(i);
      if (c === 0x22) { i++; return; }
      if (c < 0x20) fail('no control character inside a string (escape it)');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') { if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) { i++; fail('four hex digits after \\u'); } i += 6; }
        else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else { i++; fail('an escape such as \\n or \\"'); }
      } else i++;
    }
  };
  const num = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail('a value');
    i += m![0].length;
  };
  // Iterative over nesting, so a deeply nested input cannot overflow the stack.
  const stack: Array<'{' | '['> = [];
  const value = (): void => {
    for (;;) {
      ws();
      const c = text[i];
      if (c === '{') { i++; ws(); if (text[i] === '}') { i++; return; } stack.push('{'); key(); continue; }
      if (c === '[') { i++; ws(); if (text[i] === ']') { i++; return; } stack.push('['); continue; }
      if (c === '"') return str();
      if (c === 't') return lit('true');
      if (c === 'f') return lit('false');
      if (c === 'n') return lit('null');
      if (c === '-' || (c >= '0' && c <= '9')) return num();
      return fail(i >= text.length ? 'a value (the text ends here)' : 'a value (a string, number, object, array, true, false or null)');
    }
  };
  const key = () => {
    ws();
    if (text[i] !== '"') fail('a double-quoted property name');
    str(); ws();
    if (text[i] !== ':') fail('\':\' after the property name');
    i++;
  };
  try {
    value();
    for (;;) {
      ws();
      const top = stack[stack.length - 1];
      if (!top) break;
      const close = top === '{' ? '}' : ']';
      if (text[i] === ',') { i++; if (top === '{') key(); value(); continue; }
      if (text[i] === close) { i++; stack.pop(); continue; }
      fail(`',' or '${close}'`);
    }
    if (i < text.length) fail('nothing after the JSON value');
    return undefined;
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    const before = text.slice(0, e.at);
    const line = before.split('\n').length;
    const column = e.at - before.lastIndexOf('\n');
    const found = e.at >= text.length ? 'the end of the text' : JSON.stringify(text.slice(e.at, e.at + 12));
    return { offset: e.at, line, column, message: `not valid JSON: expected ${e.expected}, found ${found}` };
  }
}
