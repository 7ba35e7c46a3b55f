/**
 * The simulated venue's execution: one C++ matcher per symbol holds the strategies' working
 * orders and a mirror of the simulated market's top levels (owner 0). A strategy order takes
 * the market's liquidity and other strategies' orders in price-time priority; when the market
 * moves through a working order, the mirror's new level trades with it, as a real venue's
 * flow would. Mirror levels are refreshed from each book; what a strategy took from one
 * comes back with the market's next update (the simulated market does not react to us).
 */
import { EventType, Matcher, OrderType, Reason, SelfTrade, Side, TimeInForce, type MatchEvent } from '@cwts/matcher';
import { RejectReason } from '@cwts/shm-layout';
import type { Venue } from './venue.js';

/** Levels per side mirrored from the market into each matcher. */
export const MIRROR_DEPTH = 20;
const MARKET_OWNER = 0;
// Mirror order ids live above every id the engine gives strategy orders.
const FIRST_MIRROR_ID = 2 ** 52;

export interface VenueFill {
  readonly orderId: number;
  readonly priceTicks: number;
  readonly lots: number;
  readonly remainingLots: number;
}

/** What the venue did with one strategy order, from the strategy's side. */
export interface VenueOutcome {
  readonly fills: VenueFill[];
  /** Working in the book afterwards. */
  resting: boolean;
  /** Ended without (all) fills: a RejectReason, 0 when it did not end that way. */
  endReason: number;
  /** The order was refused outright (never accepted). */
  rejected: boolean;
}

const REASONS: Readonly<Record<number, number>> = {
  [Reason.DUPLICATE_ID]: RejectReason.DUPLICATE_CLIENT_ORDER_ID,
  [Reason.UNKNOWN_ORDER]: RejectReason.UNKNOWN_ORDER,
  [Reason.INVALID_QUANTITY]: RejectReason.INVALID_SIZE,
  [Reason.INVALID_PRICE]: RejectReason.INVALID_PRICE,
  [Reason.INVALID_ENUM]: RejectReason.UNKNOWN_TIME_IN_FORCE,
  [Reason.POST_ONLY_WOULD_CROSS]: RejectReason.POST_ONLY_WOULD_CROSS,
  [Reason.FILL_OR_KILL_UNFILLED]: RejectReason.FILL_OR_KILL_UNFILLED,
  [Reason.NO_LIQUIDITY]: RejectReason.NO_LIQUIDITY,
  [Reason.SELF_TRADE]: RejectReason.SELF_TRADE,
  [Reason.REQUESTED]: RejectReason.NONE,
};

/** The market's levels of one side, best first, in ticks and lots. */
export interface MirrorLevels {
  readonly ticks: ArrayLike<number>;
  readonly lots: ArrayLike<number>;
  readonly count: number;
}

interface MirrorOrder {
  readonly id: number;
  readonly side: number;
  readonly ticks: number;
  lots: number;
}

class SymbolVenue {
  readonly matcher = new Matcher(4096);
  /** Mirror order per price, per side. */
  readonly mirror = [new Map<number, MirrorOrder>(), new Map<number, MirrorOrder>()];
  /** The same orders by id: a fill against one finds it without a walk of the levels. */
  readonly mirrorById = new Map<number, MirrorOrder>();

  place(order: MirrorOrder): void {
    this.mirror[order.side]!.set(order.ticks, order);
    this.mirrorById.set(order.id, order);
  }

  forget(order: MirrorOrder): void {
    this.mirror[order.side]!.delete(order.ticks);
    this.mirrorById.delete(order.id);
  }
}

export class SimulatedVenue implements Venue {
  private readonly symbols = new Map<number, SymbolVenue>();
  private nextMirrorId = FIRST_MIRROR_ID;

  /** Replaces the mirrored market levels of a symbol; returns fills of working orders it crossed. */
  syncMarket(symbolIndex: number, bids: MirrorLevels, asks: MirrorLevels): Map<number, VenueOutcome> {
    const venue = this.venue(symbolIndex);
    const events: MatchEvent[] = [];
    // Stale levels go first, so that the new ones never meet old mirror levels across the spread.
    for (const [side, levels] of [[Side.BUY, bids], [Side.SELL, asks]] as const) {
      const wanted = new Set<number>();
      for (let i = 0; i < Math.min(levels.count, MIRROR_DEPTH); i++) wanted.add(levels.ticks[i]!);
      // forEach, not for-of: no entry array per level (deleting the current entry is allowed).
      venue.mirror[side]!.forEach((order, ticks) => {
        if (wanted.has(ticks)) return;
        venue.matcher.cancel(order.id);
        venue.forget(order);
      });
    }
    for (const [side, levels] of [[Side.BUY, bids], [Side.SELL, asks]] as const) {
      for (let i = 0; i < Math.min(levels.count, MIRROR_DEPTH); i++) {
        const ticks = levels.ticks[i]!;
        const lots = levels.lots[i]!;
        const known = venue.mirror[side]!.get(ticks);
        if (known?.lots === lots) continue;
        if (known) {
          venue.matcher.cancel(known.id);
          venue.forget(known);
        }
        const id = this.nextMirrorId++;
        venue.place({ id, side, ticks, lots });
        events.push(...venue.matcher.submit({ id, owner: MARKET_OWNER, side, price: ticks, qty: lots, selfTrade: SelfTrade.CANCEL_TAKER }));
      }
    }
    return this.outcomes(venue, events);
  }

  submit(symbolIndex: number, orderId: number, owner: number, side: 'buy' | 'sell', market: boolean, timeInForce: number, priceTicks: number, lots: number): VenueOutcome {
    const venue = this.venue(symbolIndex);
    const events = venue.matcher.submit({
      id: orderId, owner: owner + 1, side: side === 'buy' ? Side.BUY : Side.SELL, type: market ? OrderType.MARKET : OrderType.LIMIT,
      timeInForce: timeInForce as (typeof TimeInForce)[keyof typeof TimeInForce], selfTrade: SelfTrade.CANCEL_TAKER, price: priceTicks, qty: lots,
    });
    return this.outcomes(venue, events).get(orderId) ?? emptyOutcome();
  }

  cancel(symbolIndex: number, orderId: number): VenueOutcome {
    const venue = this.venue(symbolIndex);
    return this.outcomes(venue, venue.matcher.cancel(orderId)).get(orderId) ?? emptyOutcome();
  }

  modify(symbolIndex: number, orderId: number, priceTicks: number, lots: number): Map<number, VenueOutcome> {
    const venue = this.venue(symbolIndex);
    return this.outcomes(venue, venue.matcher.modify(orderId, priceTicks, lots));
  }

  private venue(symbolIndex: number): SymbolVenue {
    let venue = this.symbols.get(symbolIndex);
    if (!venue) this.symbols.set(symbolIndex, (venue = new SymbolVenue()));
    return venue;
  }

  /** Matcher events as outcomes per strategy order; mirror orders only keep their sizes in step. */
  private outcomes(venue: SymbolVenue, events: readonly MatchEvent[]): Map<number, VenueOutcome> {
    const byOrder = new Map<number, VenueOutcome>();
    const outcome = (id: number): VenueOutcome => {
      let o = byOrder.get(id);
      if (!o) byOrder.set(id, (o = emptyOutcome()));
      return o;
    };
    for (const e of events) {
      if (e.type === EventType.FILL) {
        if (e.orderId < FIRST_MIRROR_ID) outcome(e.orderId).fills.push({ orderId: e.orderId, priceTicks: e.price, lots: e.qty, remainingLots: e.remaining });
        if (e.makerId < FIRST_MIRROR_ID) outcome(e.makerId).fills.push({ orderId: e.makerId, priceTicks: e.price, lots: e.qty, remainingLots: e.makerRemaining });
        else this.mirrorTaken(venue, e.makerId, e.makerRemaining);
        continue;
      }
      if (e.orderId >= FIRST_MIRROR_ID) continue;
      const o = outcome(e.orderId);
      if (e.type === EventType.RESTED) o.resting = true;
      else if (e.type === EventType.CANCELLED) {
        o.resting = false;
        o.endReason = REASONS[e.reason] ?? RejectReason.NONE;
      } else if (e.type === EventType.REJECTED) {
        o.rejected = true;
        o.endReason = REASONS[e.reason] ?? RejectReason.INVALID_FIELD;
      } else if (e.type === EventType.MODIFIED) o.resting = true;
    }
    return byOrder;
  }

  private mirrorTaken(venue: SymbolVenue, id: number, remaining: number): void {
    const order = venue.mirrorById.get(id);
    if (!order) return;
    if (remaining === 0) venue.forget(order);
    else order.lots = remaining;
  }
}

function emptyOutcome(): VenueOutcome {
  return { fills: [], resting: false, endReason: 0, rejected: false };
}
