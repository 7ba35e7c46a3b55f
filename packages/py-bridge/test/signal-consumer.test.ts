/**
 * The consumer's side of a producer that died between claiming a slot and committing it: the
 * slot is freed after `abandonAfterMs`, counted, and the ring goes on with the next signal.
 */
import { SignalRingControlView, signalControlOffset } from '@cwts/shm-layout';
import { afterEach, describe, expect, it } from 'vitest';
import { Segment } from '../src/segment.js';
import { SignalConsumer, emptySignal } from '../src/signal-consumer.js';
import { SignalProducer } from '../src/signal-producer.js';

const NAME = `cwts-signal-consumer-${process.pid}`;
const signal = { action: 1, orderType: 1, timeInForce: 0, strategyId: 3, symbolIndex: 0, size: 1, price: 0, confidence: 1, targetClientOrderId: 0, flags: 0, clientOrderId: 0 };

describe('the signal consumer', () => {
  afterEach(() => Segment.unlink(NAME));

  it('frees a slot a producer claimed and never committed, after abandonAfterMs, and takes the next signal', async () => {
    const segment = Segment.create({ name: NAME, replace: true });
    const consumer = new SignalConsumer(segment, { abandonAfterMs: 20, spinPolls: 1 });
    const control = new SignalRingControlView(segment.accessors.views).at(signalControlOffset());
    control.tail = control.tail + 1n; // a producer claims position 0 and dies
    const committed = new SignalProducer(segment).submit(signal); // the next one commits position 1
    expect(committed.position).toBe(1);
    const into = emptySignal();
    expect(consumer.poll(into)).toBe(false); // position 0: claimed, not committed; the clock starts
    expect([consumer.abandoned, consumer.consumed]).toEqual([0, 0]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(consumer.poll(into)).toBe(false); // past abandonAfterMs: position 0 is freed
    expect(consumer.abandoned).toBe(1);
    expect(Number(control.abandoned)).toBe(1);
    expect(consumer.poll(into)).toBe(true);
    expect(into).toMatchObject({ position: 1, clientOrderId: committed.clientOrderId, strategyId: 3 });
  });

  it('waits on an empty ring without counting anything abandoned', async () => {
    const segment = Segment.create({ name: NAME, replace: true });
    const consumer = new SignalConsumer(segment, { abandonAfterMs: 1, spinPolls: 1 });
    const into = emptySignal();
    for (let i = 0; i < 3; i++) {
      expect(consumer.poll(into)).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(consumer.abandoned).toBe(0);
  });
});
