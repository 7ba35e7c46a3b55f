/**
 * Stage 1 of a signal: decode and check every field the strategy wrote, before anything
 * else sees it. A bad field is a reject with its own RejectReason, never an exception:
 * signals come from another process through shared memory and may hold anything.
 */
import { OrderType, RejectReason, SignalAction, TimeInForce } from '@cwts/shm-layout';
import type { Signal } from '@cwts/py-bridge';
import { incrementsOf } from '../units.js';

export interface InstrumentTable {
  /** Tick and lot size of an active symbol slot; undefined when the slot is not active. */
  instrument(symbolIndex: number): { readonly tickSize: number; readonly lotSize: number } | undefined;
}

/** A new order in integer ticks and lots. */
export interface OrderIntent {
  readonly kind: 'new';
  readonly side: 'buy' | 'sell';
  readonly market: boolean;
  readonly timeInForce: number;
  readonly priceTicks: number;
  readonly lots: number;
}

export type SignalIntent =
  | OrderIntent
  | { readonly kind: 'cancel'; readonly target: number }
  | { readonly kind: 'modify'; readonly target: number; readonly priceTicks: number; readonly lots: number };

export type Validation = { readonly ok: true; readonly intent: SignalIntent } | { readonly ok: false; readonly reason: number };

const reject = (reason: number): Validation => ({ ok: false, reason });

/** `value / increment` as a whole number, or undefined when it is not a whole multiple. */
function units(value: number, increment: number): number | undefined {
  const n = Math.round(value / increment);
  return Math.abs(n * increment - value) <= increment * 1e-6 && Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

/** Lots of the signal's size, or the reason it has none. */
function lotsOf(signal: Signal, lotSize: number): { lots: number } | { reason: number } {
  if (!Number.isFinite(signal.size) || signal.size <= 0) return { reason: RejectReason.INVALID_SIZE };
  const lots = units(signal.size, lotSize);
  return lots === undefined ? { reason: RejectReason.SIZE_OFF_LOT } : { lots };
}

/** Ticks of the signal's price, or the reason it has none. */
function ticksOf(signal: Signal, tickSize: number): { ticks: number } | { reason: number } {
  if (!Number.isFinite(signal.price) || signal.price <= 0) return { reason: RejectReason.INVALID_PRICE };
  const ticks = units(signal.price, tickSize);
  return ticks === undefined ? { reason: RejectReason.PRICE_OFF_TICK } : { ticks };
}

const ACTIONS: readonly number[] = [SignalAction.HOLD, SignalAction.BUY, SignalAction.SELL, SignalAction.CANCEL, SignalAction.MODIFY];
const TIMES_IN_FORCE: readonly number[] = [TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK, TimeInForce.POST_ONLY];

export function validateSignal(signal: Signal, instruments: InstrumentTable): Validation {
  if (signal.flags !== 0 || !(signal.confidence >= 0 && signal.confidence <= 1)) return reject(RejectReason.INVALID_FIELD);
  if (!ACTIONS.includes(signal.action)) return reject(RejectReason.UNKNOWN_ACTION);
  const instrument = instruments.instrument(signal.symbolIndex);
  if (!instrument) return reject(RejectReason.UNKNOWN_SYMBOL);
  if (signal.action === SignalAction.HOLD) return reject(RejectReason.HOLD);
  if (signal.action === SignalAction.CANCEL) return { ok: true, intent: { kind: 'cancel', target: signal.targetClientOrderId } };
  const { tick, lot } = incrementsOf(instrument);
  const size = lotsOf(signal, lot);
  if ('reason' in size) return reject(size.reason);
  if (signal.action === SignalAction.MODIFY) {
    const price = ticksOf(signal, tick);
    if ('reason' in price) return reject(price.reason);
    return { ok: true, intent: { kind: 'modify', target: signal.targetClientOrderId, priceTicks: price.ticks, lots: size.lots } };
  }
  if (signal.orderType !== OrderType.LIMIT && signal.orderType !== OrderType.MARKET) return reject(RejectReason.UNKNOWN_ORDER_TYPE);
  const market = signal.orderType === OrderType.MARKET;
  if (!TIMES_IN_FORCE.includes(signal.timeInForce) || (market && signal.timeInForce === TimeInForce.POST_ONLY)) {
    return reject(RejectReason.UNKNOWN_TIME_IN_FORCE);
  }
  let priceTicks = 0;
  if (!market) {
    const price = ticksOf(signal, tick);
    if ('reason' in price) return reject(price.reason);
    priceTicks = price.ticks;
  }
  const side = signal.action === SignalAction.BUY ? 'buy' : 'sell';
  return { ok: true, intent: { kind: 'new', side, market, timeInForce: signal.timeInForce, priceTicks, lots: size.lots } };
}
