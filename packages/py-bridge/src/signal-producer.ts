/**
 * A producer on the signal ring (docs/segment.md, "Signals"), the same protocol as the
 * Cython shim's: claim a position with compare-and-swap on the tail, write the payload,
 * commit with compare-and-swap on the slot's seq, and wake the consumer only if it sleeps.
 * The engine uses it for signals that arrive over the network and for its own signal
 * sources (a model, the fusion stage), so that they take the very path of a strategy's:
 * the hot loop cannot tell them apart.
 */
import { SIGNAL_CAPACITY, SignalRingControlView, SignalSlotView, signalControlOffset, signalsOffset } from '@cwts/shm-layout';
import { futexWake } from './native.js';
import type { Segment } from './segment.js';
import type { Signal } from './signal-consumer.js';

/** What a producer writes; the ring fills in the position, the pid and the time. */
export type SignalInput = Omit<Signal, 'position' | 'producerPid' | 'createdNs' | 'clientOrderId'> & {
  /** 0: take the next id of the segment's counter (unique across every producer). */
  readonly clientOrderId: number;
};

export type SignalProducerErrorCode = 'RING_FULL' | 'SIGNAL_ABANDONED';

export class SignalProducerError extends Error {
  constructor(readonly code: SignalProducerErrorCode, message: string) {
    super(message);
  }
}

export class SignalProducer {
  private readonly slot: SignalSlotView;
  private readonly control: SignalRingControlView;
  private readonly u32: Uint32Array;
  private readonly u64: BigUint64Array;

  constructor(private readonly segment: Segment) {
    const views = segment.accessors.views;
    this.slot = new SignalSlotView(views);
    this.control = new SignalRingControlView(views).at(signalControlOffset());
    this.u32 = views.u32;
    this.u64 = views.u64;
  }

  /** Writes one signal; returns its client order id and ring position. Throws RING_FULL, SIGNAL_ABANDONED. */
  submit(signal: SignalInput): { clientOrderId: number; position: number } {
    const clientOrderId = signal.clientOrderId || Number(Atomics.add(this.u64, this.control.nextClientOrderIdIndex, 1n));
    const position = this.claim();
    const slot = this.slot.at(signalsOffset(position % SIGNAL_CAPACITY));
    slot.action = signal.action;
    slot.orderType = signal.orderType;
    slot.timeInForce = signal.timeInForce;
    slot.symbolIndex = signal.symbolIndex;
    slot.strategyId = signal.strategyId;
    slot.clientOrderId = clientOrderId;
    slot.size = signal.size;
    slot.price = signal.price;
    slot.confidence = signal.confidence;
    slot.createdNs = Number(process.hrtime.bigint());
    slot.producerPid = process.pid;
    slot.flags = signal.flags;
    slot.targetClientOrderId = signal.targetClientOrderId;
    // Commit; a failed CAS means the consumer took this producer for dead and skipped the slot.
    if (Atomics.compareExchange(this.u32, slot.seqIndex, position >>> 0, (position + 1) >>> 0) !== position >>> 0) {
      throw new SignalProducerError('SIGNAL_ABANDONED', `the engine gave up on ring position ${position} before it was committed`);
    }
    if (this.control.consumerSleeping === 1) {
      Atomics.add(this.u32, this.control.consumerWakeIndex, 1);
      futexWake(this.segment.buffer, this.control.consumerWakeIndex * 4, 1);
    }
    return { clientOrderId, position };
  }

  private claim(): number {
    for (;;) {
      const tail = this.control.tail;
      const p = Number(tail);
      const seq = Atomics.load(this.u32, this.slot.at(signalsOffset(p % SIGNAL_CAPACITY)).seqIndex);
      const d = (seq - (p >>> 0)) | 0;
      if (d < 0) throw new SignalProducerError('RING_FULL', `the signal ring is full: all ${SIGNAL_CAPACITY} slots hold signals the engine has not taken yet`);
      if (d === 0 && Atomics.compareExchange(this.u64, this.control.tailIndex, tail, tail + 1n) === tail) return p;
    }
  }
}
