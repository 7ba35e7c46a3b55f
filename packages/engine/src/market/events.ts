/**
 * What every feed emits and everything downstream consumes: L2 book snapshots and deltas,
 * trades, tickers and feed status. Prices and sizes are plain numbers in the venue's units;
 * exchange timestamps are the venue's milliseconds, receive timestamps our CLOCK_MONOTONIC ns.
 */

/** `[price, size]`; in a delta, size 0 removes the level. */
export type Level = readonly [price: number, size: number];

export interface BookSnapshot {
  readonly type: 'snapshot';
  readonly symbol: string;
  readonly exchangeTsMs: number;
  readonly receiveTsNs: number;
  /** Venue sequence of the book state; the next delta carries sequence + 1. */
  readonly sequence: number;
  /** Best first. */
  readonly bids: readonly Level[];
  readonly asks: readonly Level[];
}

export interface BookDelta {
  readonly type: 'delta';
  readonly symbol: string;
  readonly exchangeTsMs: number;
  readonly receiveTsNs: number;
  /** Must be the previous sequence + 1; anything else is a gap. */
  readonly sequence: number;
  readonly bids: readonly Level[];
  readonly asks: readonly Level[];
}

export interface Trade {
  readonly type: 'trade';
  readonly symbol: string;
  readonly exchangeTsMs: number;
  readonly receiveTsNs: number;
  readonly id: string;
  readonly price: number;
  readonly size: number;
  /** The taker's side. */
  readonly side: 'buy' | 'sell';
}

export interface Ticker {
  readonly type: 'ticker';
  readonly symbol: string;
  readonly exchangeTsMs: number;
  readonly receiveTsNs: number;
  readonly last: number;
  /** Base-currency volume over 24 h. */
  readonly volume24h: number;
}

export type FeedState = 'connecting' | 'live' | 'reconnecting' | 'down';

export interface FeedStatus {
  readonly type: 'status';
  readonly feed: string;
  /** Absent when the status is the whole feed's. */
  readonly symbol?: string;
  readonly state: FeedState;
  readonly reason?: string;
}

export type MarketEvent = BookSnapshot | BookDelta | Trade | Ticker | FeedStatus;

/** A source of market events: live venue, simulated venue, or a replayed recording. */
export interface Feed {
  readonly name: string;
  readonly symbols: readonly string[];
  /** Events in order until `close()` or the source ends. */
  events(): AsyncIterable<MarketEvent>;
  close(): Promise<void>;
  /** Tick and lot size of a symbol, where the venue says. */
  instrument?(symbol: string): Instrument | undefined;
}

export interface Instrument {
  readonly tickSize: number;
  readonly lotSize: number;
}
