// How much a kernel file's payloads may decompress to, all together. A kernel payload has an
// honest size: a compressed kernel is 2-5x smaller than what it holds (zero-filled sections
// included), so 32x the file plus 16 MiB is generous for any kernel and small for a bomb. One
// budget is shared by every payload candidate of a file, so the decoding work of an extract is
// bounded by its input, however many magics (nested or repeated members) it holds.
import { InputError } from '../errors.js';

/** A decompressed kernel payload is well below this (amd64 6.12: ~60 MiB). */
const MAX_PAYLOAD = 512 << 20;
const PAYLOAD_RATIO = 32;
const PAYLOAD_SLACK = 16 << 20;

export const sizeText = (n: bigint | number): string => {
  const v = Number(n);
  if (v >= 1 << 30 && v < 2 ** 40) return `${(v / (1 << 30)).toFixed(v % (1 << 30) ? 1 : 0)} GiB`;
  if (v >= 1 << 20) return v < 2 ** 40 ? `${(v / (1 << 20)).toFixed(v % (1 << 20) ? 1 : 0)} MiB` : `${n} bytes`;
  if (v >= 1 << 10) return `${(v / 1024).toFixed(v % 1024 ? 1 : 0)} KiB`;
  return `${n} bytes`;
};

export class OutputBudget {
  /** Bytes all payloads of this file may decode to. */
  readonly limit: number;
  /** Bytes decoded so far, and the number of decoder runs (tests bound the work by these). */
  used = 0;
  decodes = 0;
  constructor(readonly inputBytes: number) {
    this.limit = Math.min(MAX_PAYLOAD, PAYLOAD_RATIO * inputBytes + PAYLOAD_SLACK);
  }
  get left(): number { return Math.max(0, this.limit - this.used); }
  private why(): string {
    return this.limit === MAX_PAYLOAD
      ? `no kernel is larger than ${sizeText(MAX_PAYLOAD)}`
      : `a ${sizeText(this.inputBytes)} kernel file holds at most ${sizeText(this.limit)} (${PAYLOAD_RATIO}x its size + ${sizeText(PAYLOAD_SLACK)}, all its payloads together)`;
  }
  /** A stream that states its size up front: refused before any decoding if it does not fit. */
  declare(kind: string, size: bigint | number, offset: number): void {
    if (BigInt(size) > BigInt(this.left)) {
      const spent = this.used ? `, ${sizeText(this.used)} of it spent on other payloads` : '';
      throw new InputError(`${kind}: the stream says it decompresses to ${sizeText(size)}; ${this.why()}${spent} (not decoded)`, { offset: BigInt(offset) });
    }
  }
  /** Account for n more decoded bytes; throws once the budget is passed. */
  take(kind: string, n: number, offset: number): void {
    this.used += n;
    if (this.used > this.limit) throw new InputError(`${kind}: the payload decompresses past what is left of ${sizeText(this.limit)}; ${this.why()} (stopped there)`, { offset: BigInt(offset) });
  }
}
