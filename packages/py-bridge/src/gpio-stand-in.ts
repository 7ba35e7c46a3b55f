/**
 * A stand-in GPIO line for machines without GPIO (tests, benchmarks, demos): a FIFO whose read
 * end goes to `GpioLine.fromFd`, and whose write end takes crafted gpio_v2_line_event structs.
 * The native watcher then runs exactly as on a line request fd.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GpioLine, type StandInLine } from './gpio-line.js';
import { LINE_EVENT_FALLING_EDGE, LINE_EVENT_RISING_EDGE, encodeLineEvent } from './gpio-line-event.js';

export class StandInGpioLine {
  private writeFd: number | undefined;
  private seqno = 0;

  private constructor(readonly line: GpioLine, writeFd: number) {
    this.writeFd = writeFd;
  }

  static create(line: StandInLine): StandInGpioLine {
    const dir = mkdtempSync(join(tmpdir(), 'cwts-gpio-'));
    const path = join(dir, 'line');
    try {
      const made = spawnSync('mkfifo', ['-m', '600', path], { encoding: 'utf8' });
      if (made.status !== 0) throw new Error(`mkfifo ${path} failed: ${made.stderr || made.error?.message}`);
      // O_NONBLOCK: opening the read end must not wait for a writer. Read-only, so that closing
      // the write end is an end of file the watcher reports.
      const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      const writeFd = openSync(path, constants.O_WRONLY);
      return new StandInGpioLine(GpioLine.fromFd(readFd, line), writeFd);
    } finally {
      rmSync(dir, { recursive: true, force: true });  // the open fds keep the FIFO alive
    }
  }

  /** Writes raw bytes, as a broken source might. */
  write(bytes: Uint8Array): void {
    if (this.writeFd === undefined) throw new Error('the stand-in line is hung up');
    writeSync(this.writeFd, bytes);
  }

  /** Writes the next edge as the kernel would: the next seqno, stamped now (CLOCK_MONOTONIC). */
  edge(active: boolean, timestampNs = process.hrtime.bigint()): void {
    this.seqno += 1;
    this.write(encodeLineEvent({ timestampNs, id: active ? LINE_EVENT_RISING_EDGE : LINE_EVENT_FALLING_EDGE, offset: this.line.offset, seqno: this.seqno }));
  }

  /** Skips seqnos, as when the kernel's buffer overflowed and it dropped the oldest events. */
  drop(events: number): void {
    this.seqno += events;
  }

  /** Closes the write end: the watcher reads an end of file. */
  hangUp(): void {
    if (this.writeFd !== undefined) closeSync(this.writeFd);
    this.writeFd = undefined;
  }

  /** Closes both ends (the line's watcher is stopped first). */
  close(): void {
    this.line.close();
    this.hangUp();
  }
}
