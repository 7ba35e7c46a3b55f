/**
 * The Node producer of the signal ring: what it writes, the engine's consumer reads field
 * for field; a full ring is an error, never a silent drop.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SIGNAL_CAPACITY, SignalAction } from '@cwts/shm-layout';
import { Segment } from '../src/segment.js';
import { SignalConsumer, emptySignal } from '../src/signal-consumer.js';
import { SignalPublisher, type SignalRequest } from '../src/signal-publisher.js';

const names: string[] = [];
function fresh(): Segment {
  const name = `cwts-test-pub-${process.pid}-${names.length}`;
  names.push(name);
  return Segment.create({ name });
}
afterEach(() => {
  for (const name of names.splice(0)) Segment.unlink(name);
});

const BUY: SignalRequest = { action: SignalAction.BUY, orderType: 1, timeInForce: 0, symbolIndex: 3, strategyId: 901, size: 0.25, price: 101.5, confidence: 0.75 };

describe('SignalPublisher', () => {
  it('writes signals the consumer reads field for field, with ids from the segment counter', () => {
    const segment = fresh();
    const publisher = new SignalPublisher(segment);
    const consumer = new SignalConsumer(Segment.attach(segment.name));
    const before = Number(process.hrtime.bigint());
    const first = publisher.publish(BUY);
    const second = publisher.publish({ ...BUY, action: SignalAction.CANCEL, targetClientOrderId: first.clientOrderId, confidence: 0 });
    expect([first.position, second.position]).toEqual([0, 1]);
    expect(second.clientOrderId).toBe(first.clientOrderId + 1);
    const got = emptySignal();
    expect(consumer.poll(got)).toBe(true);
    expect(got).toMatchObject({ ...BUY, position: 0, clientOrderId: first.clientOrderId, producerPid: process.pid, flags: 0, targetClientOrderId: 0 });
    expect(got.createdNs).toBeGreaterThanOrEqual(before);
    expect(consumer.poll(got)).toBe(true);
    expect(got).toMatchObject({ action: SignalAction.CANCEL, position: 1, targetClientOrderId: first.clientOrderId });
    expect(consumer.poll(got)).toBe(false);
  });

  it('refuses a signal when every slot waits for the consumer, and goes on once it consumes', () => {
    const segment = fresh();
    const publisher = new SignalPublisher(segment);
    for (let i = 0; i < SIGNAL_CAPACITY; i++) publisher.publish(BUY);
    expect(() => publisher.publish(BUY)).toThrow(expect.objectContaining({ code: 'RING_FULL', message: expect.stringMatching(/ring is full: all 1000 slots/) }));
    const consumer = new SignalConsumer(segment);
    expect(consumer.poll(emptySignal())).toBe(true);
    expect(publisher.publish(BUY).position).toBe(SIGNAL_CAPACITY);
  });
});
