/**
 * struct gpio_v2_line_event (<linux/gpio.h>), 48 bytes: what a GPIO line request fd delivers.
 * Anything that writes these into an fd stands in for a line (the tests' FIFO, the benchmark).
 */
export const LINE_EVENT_BYTES = 48;
export const LINE_EVENT_RISING_EDGE = 1;
export const LINE_EVENT_FALLING_EDGE = 2;

export interface LineEventFields {
  /** CLOCK_MONOTONIC ns, as the kernel stamps it. */
  readonly timestampNs: bigint;
  /** 1 rising (went active), 2 falling; any other value is malformed. */
  readonly id: number;
  readonly offset: number;
  readonly seqno: number;
  readonly lineSeqno?: number;
}

/** Writes one event at `at` of `into` (little-endian, as on every Linux target we build for). */
export function encodeLineEvent(event: LineEventFields, into = Buffer.alloc(LINE_EVENT_BYTES), at = 0): Buffer {
  into.fill(0, at, at + LINE_EVENT_BYTES);
  into.writeBigUInt64LE(event.timestampNs, at);
  into.writeUInt32LE(event.id, at + 8);
  into.writeUInt32LE(event.offset, at + 12);
  into.writeUInt32LE(event.seqno, at + 16);
  into.writeUInt32LE(event.lineSeqno ?? event.seqno, at + 20);
  return into;
}
