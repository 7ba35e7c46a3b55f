/**
 * The one consumer of the signal ring (docs/segment.md, "Signals"): takes committed
 * signals in order, skips slots whose producer died between claim and commit, and sleeps
 * on a futex only after spinning, so that producers make no system call while it is busy.
 */
import {
  SIGNAL_CAPACITY,
  SignalRingControlView,
  SignalSlotView,
  signalControlOffset,
  signalsOffset,
} from '@cwts/shm-layout';
import { futexWait, futexWake } from './native.js';
import type { Segment } from './segment.js';

/** A signal as the engine sees it; `poll` fills one in place. */
export interface Signal {
  position: number;
  action: number;
  orderType: number;
  timeInForce: number;
  symbolIndex: number;
  strategyId: number;
  clientOrderId: number;
  size: number;
  price: number;
  confidence: number;
  createdNs: number;
  producerPid: number;
  flags: number;
  targetClientOrderId: number;
}

export function emptySignal(): Signal {
  return {
    position: 0, action: 0, orderType: 0, timeInForce: 0, symbolIndex: 0, strategyId: 0, clientOrderId: 0,
    size: 0, price: 0, confidence: 0, createdNs: 0, producerPid: 0, flags: 0, targetClientOrderId: 0,
  };
}

export interface SignalConsumerOptions {
  /** How long a claimed slot may stay uncommitted before its producer is taken as dead. */
  readonly abandonAfterMs?: number;
  /** Empty polls before `waitForSignal` goes to sleep. */
  readonly spinPolls?: number;
}

/**
 * Wakes the consumer asleep on the signal ring without a signal, so that it looks at the
 * header at once (the kill switch). Unconditional, unlike a producer's wake: a consumer about
 * to sleep has read the wake word already, and the changed word sends it straight back.
 */
export function wakeSignalConsumer(segment: Segment): void {
  const control = new SignalRingControlView(segment.accessors.views).at(signalControlOffset());
  Atomics.add(segment.accessors.views.u32, control.consumerWakeIndex, 1);
  futexWake(segment.buffer, control.consumerWakeIndex * 4, 1);
}

export class SignalConsumer {
  private head: number;
  private readonly slot: SignalSlotView;
  private readonly control: SignalRingControlView;
  private readonly u32: Uint32Array;
  private readonly abandonAfterNs: bigint;
  private readonly spinPolls: number;
  private stuckSinceNs = 0n;
  consumed = 0;
  abandoned = 0;

  constructor(private readonly segment: Segment, options: SignalConsumerOptions = {}) {
    this.slot = new SignalSlotView(segment.accessors.views);
    this.control = new SignalRingControlView(segment.accessors.views).at(signalControlOffset());
    this.u32 = segment.accessors.views.u32;
    this.abandonAfterNs = BigInt(Math.round((options.abandonAfterMs ?? 1000) * 1e6));
    this.spinPolls = options.spinPolls ?? 20_000;
    this.head = Number(this.control.head);
  }

  /** Takes the next committed signal into `into`; false when there is none yet. */
  poll(into: Signal): boolean {
    const h = this.head;
    const slot = this.slot.at(signalsOffset(h % SIGNAL_CAPACITY));
    const seq = slot.seq;
    if (seq === ((h + 1) >>> 0)) {
      readSignal(slot, h, into);
      // Release the slot for the next lap only after the payload is copied out.
      Atomics.store(this.u32, slot.seqIndex, (h + SIGNAL_CAPACITY) >>> 0);
      this.advance();
      this.consumed++;
      return true;
    }
    if (seq === (h >>> 0)) this.checkAbandoned(slot, h);
    return false;
  }

  /** Waits up to `timeoutMs` for a signal: spins `spinPolls` times, then sleeps on the futex. */
  waitForSignal(into: Signal, timeoutMs: number, spinPolls = this.spinPolls): boolean {
    for (let i = 0; i < spinPolls; i++) if (this.poll(into)) return true;
    const control = this.control;
    const wakeSeen = control.consumerWake;
    control.consumerSleeping = 1;
    // Re-check after announcing the sleep: a producer that committed before it saw the flag did not wake us.
    if (this.poll(into)) {
      control.consumerSleeping = 0;
      return true;
    }
    futexWait(this.segment.buffer, control.consumerWakeIndex * 4, wakeSeen, timeoutMs);
    control.consumerSleeping = 0;
    return this.poll(into);
  }

  /** Signals claimed but not yet consumed (committed or not). */
  get depth(): number {
    return Number(this.control.tail) - this.head;
  }

  private advance(): void {
    this.head++;
    this.stuckSinceNs = 0n;
    this.control.head = BigInt(this.head);
  }

  /**
   * The tail without a BigInt (an empty poll comes here, thousands of times a millisecond):
   * the high word first, so a read torn by a carry only under-counts, and the check waits a poll.
   */
  private tail(): number {
    const low = this.control.tailIndex * 2; // little-endian: the low word first
    const high = Atomics.load(this.u32, low + 1);
    return high * 2 ** 32 + Atomics.load(this.u32, low);
  }

  private checkAbandoned(slot: SignalSlotView, h: number): void {
    if (this.tail() <= h) return; // not claimed: simply empty
    const now = process.hrtime.bigint();
    if (this.stuckSinceNs === 0n) {
      this.stuckSinceNs = now;
      return;
    }
    if (now - this.stuckSinceNs < this.abandonAfterNs) return;
    // The producer claimed h and never committed: free the slot so the ring goes on.
    if (Atomics.compareExchange(this.u32, slot.seqIndex, h >>> 0, (h + SIGNAL_CAPACITY) >>> 0) !== (h >>> 0)) return;
    this.abandoned++;
    this.control.abandoned = BigInt(this.abandoned);
    this.advance();
  }
}

function readSignal(slot: SignalSlotView, position: number, into: Signal): void {
  into.position = position;
  into.action = slot.action;
  into.orderType = slot.orderType;
  into.timeInForce = slot.timeInForce;
  into.symbolIndex = slot.symbolIndex;
  into.strategyId = slot.strategyId;
  into.clientOrderId = slot.clientOrderId;
  into.size = slot.size;
  into.price = slot.price;
  into.confidence = slot.confidence;
  into.createdNs = slot.createdNs;
  into.producerPid = slot.producerPid;
  into.flags = slot.flags;
  into.targetClientOrderId = slot.targetClientOrderId;
}
