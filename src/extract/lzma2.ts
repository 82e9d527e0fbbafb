// LZMA2 decoding in single-call mode: the output buffer is the dictionary, as in the kernel's
// own decompressor (xz-embedded, XZ_SINGLE). A kernel payload is decoded whole anyway, so this
// needs no dictionary allocation at all: a block that asks for a 128 MiB (or 3 GiB) dictionary
// costs exactly its output, whose size the xz index states and the caller caps.
// Format: the LZMA2 chunk layout and the LZMA range decoder as liblzma and xz-embedded
// implement them (public domain); written from the format, not copied.

export class Lzma2Error extends Error {
  /** Offset into the LZMA2 data where decoding failed. */
  constructor(message: string, readonly at: number) { super(message); }
}

const STATES = 12;
const POS_STATES_MAX = 16;
const LEN_LOW = 8; const LEN_MID = 8; const LEN_HIGH = 256;
const MATCH_LEN_MIN = 2;
const END_POS_MODEL = 14;
const FULL_DISTANCES = 128;

// Offsets into one probability array (all start at 1024 = 0.5).
const IS_MATCH = 0;
const IS_REP = IS_MATCH + STATES * POS_STATES_MAX;
const IS_REP0 = IS_REP + STATES;
const IS_REP1 = IS_REP0 + STATES;
const IS_REP2 = IS_REP1 + STATES;
const IS_REP0_LONG = IS_REP2 + STATES;
const POS_SLOT = IS_REP0_LONG + STATES * POS_STATES_MAX;
const SPEC_POS = POS_SLOT + 4 * 64;
const ALIGN = SPEC_POS + FULL_DISTANCES - END_POS_MODEL;
const LEN_SIZE = 2 + POS_STATES_MAX * LEN_LOW + POS_STATES_MAX * LEN_MID + LEN_HIGH;
const MATCH_LEN = ALIGN + 16;
const REP_LEN = MATCH_LEN + LEN_SIZE;
const LITERAL = REP_LEN + LEN_SIZE;

/**
 * Decode the LZMA2 stream `inp` into `out`, which must be exactly as long as the data. Returns
 * the number of input bytes used (through the end marker). Throws Lzma2Error on corrupt data.
 */
export function decodeLzma2(inp: Uint8Array, out: Uint8Array, dictSize: number): number {
  let ip = 0;
  let op = 0;
  let dictStart = 0;
  let needDictReset = true;
  let needProps = true;
  let lc = 0; let lp = 0; let pb = 0;
  let probs = new Uint16Array(LITERAL + 0x300);
  let state = 0; let rep0 = 0; let rep1 = 0; let rep2 = 0; let rep3 = 0;
  let pendingLen = 0; // a match cut by the end of a chunk continues in the next one

  // Range decoder state for the current chunk. range and code are unsigned 32-bit values kept
  // in int32 form (| 0): V8 keeps small integers unboxed, doubles above 2^31 it would allocate.
  let range = 0; let code = 0; let rp = 0; let rEnd = 0;
  const corrupt = (what: string): never => { throw new Lzma2Error(what, rp); };
  const bit = (i: number): number => {
    if (range >>> 24 === 0) {
      if (rp >= rEnd) corrupt('compressed chunk ends inside a symbol');
      range <<= 8; code = (code << 8) | inp[rp++];
    }
    const p = probs[i];
    const bound = Math.imul(range >>> 11, p);
    if ((code ^ 0x80000000) < (bound ^ 0x80000000)) { range = bound; probs[i] = p + ((2048 - p) >>> 5); return 0; }
    range = (range - bound) | 0; code = (code - bound) | 0; probs[i] = p - (p >>> 5); return 1;
  };
  const direct = (n: number): number => {
    let r = 0;
    for (let k = 0; k < n; k++) {
      if (range >>> 24 === 0) {
        if (rp >= rEnd) corrupt('compressed chunk ends inside a symbol');
        range <<= 8; code = (code << 8) | inp[rp++];
      }
      range = range >>> 1;
      const b = code < 0 || code >= range ? 1 : 0; // unsigned code >= range (range < 2^31)
      if (b) code = (code - range) | 0;
      r = (r << 1) | b;
    }
    return r >>> 0;
  };
  const tree = (base: number, bits: number): number => {
    let m = 1;
    for (let k = 0; k < bits; k++) m = (m << 1) | bit(base + m);
    return m - (1 << bits);
  };
  const reverse = (base: number, bits: number): number => {
    let m = 1; let r = 0;
    for (let k = 0; k < bits; k++) { const b = bit(base + m); m = (m << 1) | b; r |= b << k; }
    return r;
  };
  const length = (base: number, posState: number): number => {
    if (bit(base) === 0) return MATCH_LEN_MIN + tree(base + 2 + posState * LEN_LOW, 3);
    if (bit(base + 1) === 0) return MATCH_LEN_MIN + LEN_LOW + tree(base + 2 + POS_STATES_MAX * LEN_LOW + posState * LEN_MID, 3);
    return MATCH_LEN_MIN + LEN_LOW + LEN_MID + tree(base + 2 + POS_STATES_MAX * (LEN_LOW + LEN_MID), 8);
  };
  const resetState = () => {
    probs.fill(1024);
    state = 0; rep0 = rep1 = rep2 = rep3 = 0; pendingLen = 0;
  };
  const copyMatch = (dist: number, len: number, end: number): void => {
    const n = Math.min(len, end - op);
    let from = op - dist - 1;
    // copyWithin pays off only for long copies whose source and destination do not overlap.
    if (n > 64 && n <= dist + 1) { out.copyWithin(op, from, from + n); op += n; }
    else for (let k = 0; k < n; k++) out[op++] = out[from++];
    pendingLen = len - n;
  };

  const decodeChunk = (end: number): void => {
    const pbMask = (1 << pb) - 1;
    const lpMask = (1 << lp) - 1;
    if (pendingLen) copyMatch(rep0, pendingLen, end);
    while (op < end) {
      const pos = op - dictStart;
      const posState = pos & pbMask;
      if (bit(IS_MATCH + state * POS_STATES_MAX + posState) === 0) {
        const prev = pos > 0 ? out[op - 1] : 0;
        const lit = LITERAL + 0x300 * (((pos & lpMask) << lc) + (prev >>> (8 - lc)));
        let sym = 1;
        if (state >= 7) {
          let match = out[op - rep0 - 1];
          do {
            const matchBit = (match >>> 7) & 1;
            match <<= 1;
            const b = bit(lit + ((1 + matchBit) << 8) + sym);
            sym = (sym << 1) | b;
            if (matchBit !== b) break;
          } while (sym < 0x100);
        }
        while (sym < 0x100) sym = (sym << 1) | bit(lit + sym);
        out[op++] = sym & 0xff;
        state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
        continue;
      }
      let len: number;
      if (bit(IS_REP + state) === 0) {
        len = length(MATCH_LEN, posState);
        const lenState = len - MATCH_LEN_MIN < 4 ? len - MATCH_LEN_MIN : 3;
        const slot = tree(POS_SLOT + lenState * 64, 6);
        let dist: number;
        if (slot < 4) dist = slot;
        else {
          const nbits = (slot >>> 1) - 1;
          dist = ((2 | (slot & 1)) << nbits) >>> 0;
          if (slot < END_POS_MODEL) dist = (dist + reverse(SPEC_POS + dist - slot - 1, nbits)) >>> 0;
          else dist = (dist + direct(nbits - 4) * 16 + reverse(ALIGN - 1, 4)) >>> 0;
        }
        rep3 = rep2; rep2 = rep1; rep1 = rep0; rep0 = dist;
        state = state < 7 ? 7 : 10;
        if (dist === 0xffffffff) corrupt('end-of-payload marker inside an LZMA2 chunk');
      } else {
        if (bit(IS_REP0 + state) === 0) {
          if (bit(IS_REP0_LONG + state * POS_STATES_MAX + posState) === 0) { // short rep: one byte at rep0
            if (rep0 >= pos) corrupt(`a match reaches ${rep0 + 1} bytes back, before the start of the dictionary`);
            state = state < 7 ? 9 : 11;
            out[op] = out[op - rep0 - 1]; op++;
            continue;
          }
        } else {
          let d: number;
          if (bit(IS_REP1 + state) === 0) d = rep1;
          else {
            if (bit(IS_REP2 + state) === 0) d = rep2;
            else { d = rep3; rep3 = rep2; }
            rep2 = rep1;
          }
          rep1 = rep0; rep0 = d;
        }
        len = length(REP_LEN, posState);
        state = state < 7 ? 8 : 11;
      }
      if (rep0 >= pos || rep0 >= dictSize) corrupt(`a match reaches ${rep0 + 1} bytes back, ${rep0 >= pos ? 'before the start of the dictionary' : `past the ${dictSize}-byte dictionary`}`);
      copyMatch(rep0, len, end);
    }
  };

  for (;;) {
    rp = ip;
    if (ip >= inp.length) throw new Lzma2Error('the LZMA2 data ends without its end marker', ip);
    const c = inp[ip++];
    if (c === 0x00) {
      if (op !== out.length) throw new Lzma2Error(`the LZMA2 data ends after ${op} bytes, the index says ${out.length}`, ip - 1);
      return ip;
    }
    if (c === 0x01 || c >= 0xe0) { dictStart = op; needDictReset = false; }
    else if (needDictReset) throw new Lzma2Error('the first LZMA2 chunk does not reset the dictionary', ip - 1);
    if (c === 0x01 || c === 0x02) {
      if (ip + 2 > inp.length) throw new Lzma2Error('truncated chunk header', ip);
      const size = ((inp[ip] << 8) | inp[ip + 1]) + 1;
      ip += 2;
      if (ip + size > inp.length) throw new Lzma2Error('truncated uncompressed chunk', ip);
      if (op + size > out.length) throw new Lzma2Error(`more data than the ${out.length} bytes the index says`, ip);
      if (pendingLen) throw new Lzma2Error('an uncompressed chunk inside a match', ip);
      out.set(inp.subarray(ip, ip + size), op);
      op += size; ip += size;
      continue;
    }
    if (c < 0x80) throw new Lzma2Error(`invalid LZMA2 chunk control byte 0x${c.toString(16)}`, ip - 1);
    if (ip + 4 > inp.length) throw new Lzma2Error('truncated chunk header', ip);
    const unpacked = (((c & 0x1f) << 16) | (inp[ip] << 8) | inp[ip + 1]) + 1;
    const packed = ((inp[ip + 2] << 8) | inp[ip + 3]) + 1;
    ip += 4;
    const mode = (c >>> 5) & 3;
    if (mode >= 2) {
      if (ip >= inp.length) throw new Lzma2Error('truncated chunk header', ip);
      let p = inp[ip++];
      if (p >= 9 * 5 * 5) throw new Lzma2Error(`invalid LZMA properties byte 0x${p.toString(16)}`, ip - 1);
      pb = Math.floor(p / 45); p %= 45; lp = Math.floor(p / 9); lc = p % 9;
      if (lc + lp > 4) throw new Lzma2Error(`invalid LZMA properties (lc ${lc} + lp ${lp} > 4)`, ip - 1);
      const need = LITERAL + (0x300 << (lc + lp));
      if (probs.length !== need) probs = new Uint16Array(need);
      needProps = false;
    } else if (needProps) throw new Lzma2Error('an LZMA chunk before any LZMA properties', ip - 5);
    if (mode >= 1) resetState();
    if (op + unpacked > out.length) throw new Lzma2Error(`more data than the ${out.length} bytes the index says`, ip);
    if (ip + packed > inp.length) throw new Lzma2Error('truncated compressed chunk', ip);
    rp = ip; rEnd = ip + packed;
    if (packed < 5 || inp[rp] !== 0) corrupt('bad range coder start');
    range = -1; code = (inp[rp + 1] << 24) | (inp[rp + 2] << 16) | (inp[rp + 3] << 8) | inp[rp + 4];
    rp += 5;
    decodeChunk(op + unpacked);
    if (range >>> 24 === 0 && rp < rEnd) { range <<= 8; code = (code << 8) | inp[rp++]; }
    if (rp !== rEnd || code !== 0) corrupt(`the chunk's ${packed} compressed bytes do not end where its ${unpacked} bytes do`);
    ip = rEnd;
  }
}
