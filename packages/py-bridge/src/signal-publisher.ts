/**
 * A producer of the signal ring from Node (docs/segment.md, "Signals"), for signal sources
 * that live in the engine process (a model, the fusion stage): they go through the same ring,
 * validation, risk and kill switch as a Python strategy. The protocol is the Cython shim's:
 * claim a position by CAS on the tail, write the payload, commit by CAS on the slot's seq,
 * wake the consumer only when it sleeps.
 */
import { SIGNAL_CAPACITY, SignalRingControlView, SignalSlotView, signalControlOffset, signalsOffset } from '@cwts/shm-layout';
import { futexWake } from './native.js';
import type { Segment } from './segment.js';

/** What a producer says; the ring fields the protocol owns (position, pid, time, flags) are filled in. */
export interface SignalRequest {
  readonly action: number;
  readonly orderType: number;
  readonly timeInForce: number;
  readonly symbolIndex: number;
  readonly strategyId: number;
  readonly size: number;
  /** 0 for a market order. */
  readonly price: number;
  readonly confidence: number;
  readonly targetClientOrderId?: number;
}

export type SignalPublishErrorCode = 'RING_FULL' | 'SIGNAL_ABANDONED';

export class SignalPublishError extends Error {
  constructor(readonly code: SignalPublishErrorCode, message: string) {
    super(message);
    this.name = 'SignalPublishError';
  }
}

export class SignalPublisher {
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

  /** Writes one signal; returns its client order id (from the segment's counter) and ring position. */
  publish(request: SignalRequest): { clientOrderId: number; position: number } {
    const control = this.control;
    let p: bigint;
    let slot: SignalSlotView;
    for (;;) {
      p = control.tail;
      slot = this.slot.at(signalsOffset(Number(p % BigInt(SIGNAL_CAPACITY))));
      const d = (slot.seq - Number(BigInt.asUintN(32, p))) | 0;
      if (d === 0) {
        if (Atomics.compareExchange(this.u64, control.tailIndex, p, p + 1n) === p) break;
      } else if (d < 0) {
        throw new SignalPublishError('RING_FULL', `the signal ring is full: all ${SIGNAL_CAPACITY} slots wait for the engine (position ${p}); nothing was written`);
      }
    }
    const clientOrderId = Number(Atomics.add(this.u64, control.nextClientOrderIdIndex, 1n));
    slot.action = request.action;
    slot.orderType = request.orderType;
    slot.timeInForce = request.timeInForce;
    slot.symbolIndex = request.symbolIndex;
    slot.strategyId = request.strategyId;
    slot.clientOrderId = clientOrderId;
    slot.size = request.size;
    slot.price = request.price;
    slot.confidence = request.confidence;
    slot.createdNs = Number(process.hrtime.bigint());
    slot.producerPid = process.pid;
    slot.flags = 0;
    slot.targetClientOrderId = request.targetClientOrderId ?? 0;
    const position = Number(p);
    const claimed = position >>> 0;
    if (Atomics.compareExchange(this.u32, slot.seqIndex, claimed, (position + 1) >>> 0) !== claimed) {
      throw new SignalPublishError('SIGNAL_ABANDONED', `signal position ${position} (client order id ${clientOrderId}) was abandoned by the engine before its commit; it was not taken`);
    }
    if (control.consumerSleeping) {
      Atomics.add(this.u32, control.consumerWakeIndex, 1);
      futexWake(this.segment.buffer, control.consumerWakeIndex * 4, 1);
    }
    return { clientOrderId, position };
  }
}
