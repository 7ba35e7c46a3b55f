/**
 * Typed views over one segment buffer. The generated accessors read and write through
 * these; no offsets live here. A u64 outside a seqlock goes through one atomic 64-bit
 * access so that a reader never sees a new low half with an old high half.
 */
const TWO_32 = 2 ** 32;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

export class SegmentViews {
  readonly u8: Uint8Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;
  readonly u64: BigUint64Array;

  constructor(readonly buffer: ArrayBuffer) {
    if (buffer.byteLength % 8 !== 0) throw new RangeError(`segment of ${buffer.byteLength} bytes is not 8-byte sized`);
    this.u8 = new Uint8Array(buffer);
    this.u32 = new Uint32Array(buffer);
    this.f64 = new Float64Array(buffer);
    this.u64 = new BigUint64Array(buffer);
  }

  /** A u64 inside a seqlock: two halves, exact for integers below 2^53. */
  readU64(byteOffset: number): number {
    const i = byteOffset >>> 2;
    return this.u32[i]! + this.u32[i + 1]! * TWO_32;
  }

  writeU64(byteOffset: number, value: number): void {
    const i = byteOffset >>> 2;
    this.u32[i] = value % TWO_32;
    this.u32[i + 1] = Math.floor(value / TWO_32);
  }

  loadU64Atomic(byteOffset: number): bigint {
    return Atomics.load(this.u64, byteOffset >>> 3);
  }

  storeU64Atomic(byteOffset: number, value: bigint): void {
    Atomics.store(this.u64, byteOffset >>> 3, value);
  }

  /** A NUL-padded UTF-8 string; reading stops at the first NUL. */
  readText(byteOffset: number, length: number): string {
    const bytes = this.u8.subarray(byteOffset, byteOffset + length);
    const end = bytes.indexOf(0);
    return decoder.decode(end < 0 ? bytes : bytes.subarray(0, end));
  }

  writeText(byteOffset: number, length: number, value: string, what: string): void {
    const bytes = encoder.encode(value);
    if (bytes.length >= length) {
      throw new RangeError(`${what} takes at most ${length - 1} UTF-8 bytes, got ${bytes.length} (${JSON.stringify(value)})`);
    }
    if (bytes.includes(0)) throw new RangeError(`${what} must not contain NUL (${JSON.stringify(value)})`);
    this.u8.fill(0, byteOffset, byteOffset + length);
    this.u8.set(bytes, byteOffset);
  }
}
