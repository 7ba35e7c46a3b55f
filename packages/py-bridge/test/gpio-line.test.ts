import { fstatSync, readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { HeaderFlag } from '@cwts/shm-layout';
import { GpioLine } from '../src/gpio-line.js';
import { LINE_EVENT_BYTES, LINE_EVENT_RISING_EDGE, encodeLineEvent } from '../src/gpio-line-event.js';
import { StandInGpioLine } from '../src/gpio-stand-in.js';
import { gpioLineRequest, gpioWatch, type GpioLineEvent } from '../src/native.js';
import { Segment } from '../src/segment.js';

const OFFSET = 7;
let n = 0;
const segments: Segment[] = [];
const lines: StandInGpioLine[] = [];

function segment(): Segment {
  const s = Segment.create({ name: `cwts-test-gpio-${process.pid}-${n++}` });
  segments.push(s);
  return s;
}

/** A stand-in line watched into a fresh segment's KILL_ENGAGED bit; events land in `events`. */
function watched(active = false): { seg: Segment; line: StandInGpioLine; events: GpioLineEvent[]; next: (count?: number) => Promise<GpioLineEvent[]> } {
  const seg = segment();
  const line = StandInGpioLine.create({ offset: OFFSET, label: `stand-in line ${OFFSET}`, active });
  lines.push(line);
  const events: GpioLineEvent[] = [];
  const waiters: (() => void)[] = [];
  line.line.watch(seg.flagWord(HeaderFlag.KILL_ENGAGED), (event) => {
    events.push(event);
    waiters.splice(0).forEach((wake) => wake());
  });
  const next = async (count = 1): Promise<GpioLineEvent[]> => {
    const deadline = Date.now() + 5000;
    while (events.length < count) {
      if (Date.now() > deadline) throw new Error(`only ${events.length} of ${count} events in 5 s`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return events.splice(0, count);
  };
  return { seg, line, events, next };
}

/** The watcher threads alive in this process, by the name the addon gives them. */
function watcherThreads(): number {
  return readdirSync('/proc/self/task').filter((task) => {
    try {
      return readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim() === 'cwts-gpio';
    } catch {
      return false; // the thread ended while we looked
    }
  }).length;
}

afterEach(() => {
  for (const line of lines.splice(0)) line.close();
  for (const s of segments.splice(0)) Segment.unlink(s.name);
});

describe('the GPIO line watcher on a stand-in line', () => {
  it('sets the kill flag in the segment before any JS runs, then reports the active edge', async () => {
    const { seg, line, events, next } = watched();
    expect(seg.hasFlag(HeaderFlag.KILL_ENGAGED)).toBe(false);
    const written = process.hrtime.bigint();
    line.edge(true, written);
    // This thread spins without yielding: only the native watcher can set the flag meanwhile.
    const spinUntil = Date.now() + 5000;
    while (!seg.hasFlag(HeaderFlag.KILL_ENGAGED) && Date.now() < spinUntil);
    expect(seg.hasFlag(HeaderFlag.KILL_ENGAGED)).toBe(true);
    expect(events).toHaveLength(0);
    const [edge] = await next();
    expect(edge).toMatchObject({ kind: 'edge', active: true, offset: OFFSET, seqno: 1, lineSeqno: 1, gaps: 0, activeEdges: 1, timestampNs: written });
    const flagSetNs = (edge as { flagSetNs: bigint }).flagSetNs;
    expect(flagSetNs).toBeGreaterThan(written);
    expect(flagSetNs).toBeLessThan(process.hrtime.bigint());
    // The other header bits are untouched: the watcher ORs, it does not store.
    expect(seg.hasFlag(HeaderFlag.STOPPED_CLEANLY)).toBe(false);
  });

  it('reports an inactive edge without touching the flag, and never clears it', async () => {
    const { seg, line, next } = watched();
    line.edge(false);
    const [falling] = await next();
    expect(falling).toMatchObject({ kind: 'edge', active: false, seqno: 1, activeEdges: 0 });
    expect(falling).not.toHaveProperty('flagSetNs');
    expect(seg.hasFlag(HeaderFlag.KILL_ENGAGED)).toBe(false);
    line.edge(true);
    line.edge(false);
    const [rising, fallingAgain] = await next(2);
    expect(rising).toMatchObject({ active: true, seqno: 2 });
    expect(fallingAgain).toMatchObject({ active: false, seqno: 3 });
    expect(seg.hasFlag(HeaderFlag.KILL_ENGAGED)).toBe(true);
  });

  it('counts the events the kernel dropped from gaps in seqno', async () => {
    const { line, next } = watched();
    line.edge(true);
    line.drop(3);
    line.edge(false);
    line.drop(1);
    line.edge(true);
    const events = await next(3);
    expect(events.map((e) => e.kind === 'edge' && e.seqno)).toEqual([1, 5, 7]);
    expect(events.map((e) => e.gaps)).toEqual([0, 3, 4]);
    expect(line.line.stats()).toMatchObject({ events: 3, activeEdges: 2, gaps: 4, errors: 0, running: true });
  });

  it('reports malformed structs and short reads as errors, applies none of them, and goes on', async () => {
    const { seg, line, next } = watched();
    const bad = (fields: { id?: number; offset?: number; seqno?: number }): Buffer =>
      encodeLineEvent({ timestampNs: 1n, id: fields.id ?? LINE_EVENT_RISING_EDGE, offset: fields.offset ?? OFFSET, seqno: fields.seqno ?? 1 });
    line.write(bad({ id: 7 }));
    line.write(bad({ offset: OFFSET + 1 }));
    line.write(bad({ seqno: 0 }));
    line.write(Buffer.alloc(20, 0xff));
    const errors = await next(4);
    expect(errors.map((e) => e.kind === 'error' && e.code)).toEqual(['MALFORMED', 'MALFORMED', 'MALFORMED', 'SHORT_READ']);
    expect(errors.map((e) => e.kind === 'error' && e.ended)).toEqual([false, false, false, false]);
    expect(errors[0]).toMatchObject({ message: expect.stringMatching(/^stand-in line 7: malformed event: id 7 is neither rising/) });
    expect(errors[1]).toMatchObject({ message: expect.stringContaining(`it is for line ${OFFSET + 1}, this is line ${OFFSET}`) });
    // The writes may arrive in one read or several: the stray 20 bytes are dropped either way.
    expect(errors[3]).toMatchObject({ message: expect.stringMatching(/bytes is not a whole number of 48-byte events; 20 bytes dropped$/) });
    expect(seg.hasFlag(HeaderFlag.KILL_ENGAGED)).toBe(false);

    // Two whole events and 4 stray bytes in one write: both edges count, the rest is an error.
    const two = Buffer.alloc(2 * LINE_EVENT_BYTES + 4);
    encodeLineEvent({ timestampNs: 2n, id: 2, offset: OFFSET, seqno: 1 }, two, 0);
    encodeLineEvent({ timestampNs: 3n, id: 1, offset: OFFSET, seqno: 2 }, two, LINE_EVENT_BYTES);
    line.write(two);
    const [a, b, c] = await next(3);
    expect(a).toMatchObject({ kind: 'edge', active: false, seqno: 1 });
    expect(b).toMatchObject({ kind: 'edge', active: true, seqno: 2 });
    expect(c).toMatchObject({ kind: 'error', code: 'SHORT_READ', message: expect.stringContaining('4 bytes dropped') });
    expect(seg.hasFlag(HeaderFlag.KILL_ENGAGED)).toBe(true);
    expect(line.line.stats()).toMatchObject({ events: 2, errors: 5, running: true });
  });

  it('ends with an EOF error when the line hangs up', async () => {
    const { line, next } = watched();
    line.hangUp();
    const [eof] = await next();
    expect(eof).toMatchObject({ kind: 'error', code: 'EOF', ended: true, message: expect.stringContaining('no longer watched') });
    expect(line.line.stats()?.running).toBe(false);
  });

  it('stops cleanly: the thread is joined, no event arrives after, the fd is closed', async () => {
    const before = watcherThreads();
    const { line, events, next } = watched();
    expect(watcherThreads()).toBe(before + 1);
    line.edge(true);
    await next();
    const fd = line.line.fd;
    line.line.close();
    expect(watcherThreads()).toBe(before);
    expect(line.line.stats()?.running).toBe(false);
    expect(() => fstatSync(fd)).toThrow(expect.objectContaining({ code: 'EBADF' }));
    expect(() => line.line.watch({ buffer: new ArrayBuffer(4), byteOffset: 0, mask: 1 }, () => {})).toThrow(/the line is closed/);
    line.line.close(); // twice is harmless
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toHaveLength(0);
  });

  it('stops a watcher whose worker ends while it runs', async () => {
    const before = watcherThreads();
    const seg = segment();
    const worker = new Worker(new URL('./fixtures/gpio-watch-worker.mjs', import.meta.url), { workerData: { segment: seg.name } });
    const first = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    expect(first).toBe('edge');
    expect(seg.hasFlag(HeaderFlag.KILL_ENGAGED)).toBe(true);
    expect(watcherThreads()).toBe(before + 1);
    await worker.terminate();
    expect(watcherThreads()).toBe(before);
  });

  it('refuses a second watch of one line', () => {
    const { seg, line } = watched();
    expect(() => line.line.watch(seg.flagWord(HeaderFlag.KILL_ENGAGED), () => {})).toThrow(/already watched/);
  });

  it('refuses bad arguments with clear errors and starts no thread', () => {
    const before = watcherThreads();
    const buffer = new ArrayBuffer(64);
    expect(() => gpioWatch(-1, 0, 'x', buffer, 0, 1, () => {})).toThrow(RangeError);
    expect(() => gpioWatch(987_654, 0, 'line x', buffer, 0, 1, () => {})).toThrow(expect.objectContaining({ code: 'EBADF', message: expect.stringMatching(/^line x: the line fd failed: EBADF/) }));
    expect(() => gpioWatch(0, 0, 'x', buffer, 2, 1, () => {})).toThrow(/4-aligned/);
    expect(() => gpioWatch(0, 0, 'x', buffer, 64, 1, () => {})).toThrow(/leave 4 bytes/);
    expect(() => gpioWatch(0, 0, 'x', buffer, 0, 0, () => {})).toThrow(/mask must be an integer/);
    expect(() => gpioWatch(0, 0, 'x', buffer, 0, 1, 'nope' as never)).toThrow(/onEvent must be a function/);
    expect(watcherThreads()).toBe(before);
  });
});

describe('opening a GPIO line', () => {
  it('names the chip, the line and the errno when the chip is missing', () => {
    expect(() => GpioLine.open('/dev/no-such-gpiochip', 3)).toThrow(
      expect.objectContaining({ code: 'ENOENT', message: 'GPIO chip "/dev/no-such-gpiochip" line 3: open failed: ENOENT (No such file or directory)' }),
    );
  });

  it('says when the path is not a GPIO character device', () => {
    expect(() => GpioLine.open('/dev/null', 0)).toThrow(
      expect.objectContaining({ code: 'ENOTTY', message: expect.stringMatching(/^GPIO chip "\/dev\/null" line 0: GPIO_V2_GET_LINE_IOCTL \(not a GPIO character device.*\) failed: ENOTTY/) }),
    );
  });

  it('asks the kernel for an input with both edges, and the active level, bias and debounce configured', () => {
    const FLAG = { ACTIVE_LOW: 1 << 1, INPUT: 1 << 2, EDGE_RISING: 1 << 4, EDGE_FALLING: 1 << 5, PULL_UP: 1 << 8, PULL_DOWN: 1 << 9, BIAS_DISABLED: 1 << 10 };
    const base = FLAG.INPUT | FLAG.EDGE_RISING | FLAG.EDGE_FALLING;
    expect(gpioLineRequest(4)).toEqual({ offset: 4, consumer: 'cwts-kill', flags: base, numAttrs: 0, debounceUs: 0, eventBufferSize: 0 });
    expect(gpioLineRequest(4, { activeLow: true, bias: 'pull-up', debounceUs: 250, consumer: 'panic-button' })).toEqual({
      offset: 4, consumer: 'panic-button', flags: base | FLAG.ACTIVE_LOW | FLAG.PULL_UP, numAttrs: 1, debounceUs: 250, eventBufferSize: 0,
    });
    expect(gpioLineRequest(0, { bias: 'pull-down' }).flags).toBe(base | FLAG.PULL_DOWN);
    expect(gpioLineRequest(0, { bias: 'disabled' }).flags).toBe(base | FLAG.BIAS_DISABLED);
  });

  it('refuses bad options before any syscall', () => {
    expect(() => gpioLineRequest(0, { bias: 'sideways' as never })).toThrow(/bias must be one of as-is, disabled, pull-up, pull-down/);
    expect(() => gpioLineRequest(0, { debounceUs: 2_000_000 })).toThrow(RangeError);
    expect(() => gpioLineRequest(0, { debounceUs: 1.5 })).toThrow(RangeError);
    expect(() => gpioLineRequest(0, { activeLow: 'yes' as never })).toThrow(/activeLow must be a boolean/);
    expect(() => gpioLineRequest(0, { consumer: 'x'.repeat(32) })).toThrow(/consumer must be a string of 1..31 bytes/);
    expect(() => gpioLineRequest(-1, {})).toThrow(RangeError);
    expect(() => GpioLine.open('', 0)).toThrow(/chip path must be a string/);
  });
});
