/**
 * A GPIO line watched for the kill switch. `GpioLine.open` requests a real line through the
 * chip's character device; `GpioLine.fromFd` takes any fd that delivers the same 48-byte event
 * structs, so tests run the same native watcher without GPIO hardware.
 */
import { closeSync } from 'node:fs';
import { gpioOpenLine, gpioWatch, type GpioLineEvent, type GpioLineOptions, type GpioLineRequest, type GpioWatcher, type GpioWatcherStats } from './native.js';

/** What an active edge sets: `mask` ORed into the uint32 at `byteOffset` of a shared mapping. */
export interface FlagWord {
  readonly buffer: ArrayBuffer;
  readonly byteOffset: number;
  readonly mask: number;
}

export interface StandInLine {
  /** The line offset the events must carry. */
  readonly offset: number;
  /** Names the line in errors and events. */
  readonly label: string;
  /** The level at "open". */
  readonly active: boolean;
}

export class GpioLine {
  private watcher: GpioWatcher | undefined;
  private closed = false;

  private constructor(
    /** The line request fd (or the stand-in's); the line owns it. */
    readonly fd: number,
    readonly offset: number,
    readonly label: string,
    /** The level read when the line was opened. */
    readonly activeAtOpen: boolean,
    /** What was asked of the kernel; undefined for a stand-in. */
    readonly request: GpioLineRequest | undefined,
  ) {}

  /** Requests `offset` of `chip` (e.g. /dev/gpiochip0) as an input with both edges, and reads its level. */
  static open(chip: string, offset: number, options: GpioLineOptions = {}): GpioLine {
    const line = gpioOpenLine(chip, offset, options);
    return new GpioLine(line.fd, offset, `GPIO chip "${chip}" line ${offset}`, line.active, line.request);
  }

  /** Takes ownership of `fd`, which must deliver struct gpio_v2_line_event like a line request fd. */
  static fromFd(fd: number, line: StandInLine): GpioLine {
    return new GpioLine(fd, line.offset, line.label, line.active, undefined);
  }

  /**
   * Starts the watcher thread: on each active edge it sets `flag` itself, then `onEvent` hears of
   * it on this thread. One watch per line; it keeps the process alive until `close`.
   */
  watch(flag: FlagWord, onEvent: (event: GpioLineEvent) => void): void {
    if (this.closed) throw new Error(`${this.label}: the line is closed`);
    if (this.watcher) throw new Error(`${this.label}: already watched`);
    this.watcher = gpioWatch(this.fd, this.offset, this.label, flag.buffer, flag.byteOffset, flag.mask, onEvent);
  }

  stats(): GpioWatcherStats | undefined {
    return this.watcher?.stats();
  }

  /** Stops the watcher (its thread is joined) and closes the fd, which frees the line. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.watcher?.stop();
    closeSync(this.fd);
  }
}
