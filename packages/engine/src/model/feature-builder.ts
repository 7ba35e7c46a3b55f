/**
 * Builds one symbol's feature vector (feature-set.ts) from the engine's book and trades,
 * streaming: each book update pushes the mid into fixed rings, each trade its signed size,
 * and `onBook` writes the vector once enough history is there. Sums are taken over the
 * rings on each call rather than kept running, so no rounding drift builds up over a day
 * and the Python trainer, which does the same, agrees to the last bits.
 */
import type { OrderBook } from '../book/order-book.js';
import { BPS, checkWindows, featureNames, warmupUpdates, type FeatureWindows } from './feature-set.js';

/** A fixed-size ring of the last `capacity` numbers, oldest overwritten. */
class NumberRing {
  private readonly values: Float64Array;
  private next = 0;
  count = 0;

  constructor(readonly capacity: number) {
    this.values = new Float64Array(capacity);
  }

  push(value: number): void {
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** The value `back` pushes ago: 0 is the latest. */
  ago(back: number): number {
    return this.values[(this.next - 1 - back + 2 * this.capacity) % this.capacity]!;
  }
}

/** Why a book update gave no vector. */
export type SkipReason = 'one-sided' | 'crossed' | 'warming-up';

export class FeatureBuilder {
  readonly size: number;
  private readonly mids: NumberRing;
  /** One-update log returns, bps. */
  private readonly steps: NumberRing;
  /** Taker-signed trade sizes: + buy, - sell. */
  private readonly trades: NumberRing;
  private readonly needed: number;
  /** Book updates that gave no vector, by why. */
  readonly skipped: Record<SkipReason, number> = { 'one-sided': 0, crossed: 0, 'warming-up': 0 };
  /** Trades left out for a size that is not a positive finite number. */
  invalidTrades = 0;

  constructor(readonly windows: FeatureWindows) {
    checkWindows(windows);
    this.size = featureNames(windows).length;
    this.needed = warmupUpdates(windows);
    this.mids = new NumberRing(this.needed);
    this.steps = new NumberRing(windows.volatilityWindow);
    this.trades = new NumberRing(windows.tradeWindow);
  }

  onTrade(side: 'buy' | 'sell', size: number): void {
    if (!(Number.isFinite(size) && size > 0)) {
      this.invalidTrades++;
      return;
    }
    this.trades.push(side === 'buy' ? size : -size);
  }

  /**
   * Takes the book after an update; writes the vector into `out` and returns true once the
   * history is long enough. A one-sided or crossed book has no meaningful mid: that update
   * is left out of the history altogether (and says why, in `skipped`).
   */
  onBook(book: OrderBook, out: Float64Array): boolean {
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (!bid || !ask) return this.skip('one-sided');
    if (bid.price >= ask.price) return this.skip('crossed');
    const mid = (bid.price + ask.price) / 2;
    if (this.mids.count > 0) this.steps.push(BPS * Math.log(mid / this.mids.ago(0)));
    this.mids.push(mid);
    if (this.mids.count < this.needed) return this.skip('warming-up');

    let i = 0;
    for (const n of this.windows.returns) out[i++] = BPS * Math.log(mid / this.mids.ago(n));
    out[i++] = (BPS * (ask.price - bid.price)) / mid;
    for (const k of this.windows.imbalanceLevels) {
      const bids = book.bids.sizeOfTop(k);
      const asks = book.asks.sizeOfTop(k);
      out[i++] = (bids - asks) / (bids + asks);
    }
    out[i++] = this.volatility();
    out[i++] = this.tradeFlow();
    return true;
  }

  private skip(reason: SkipReason): false {
    this.skipped[reason]++;
    return false;
  }

  /** Population standard deviation of the one-update returns in the window. */
  private volatility(): number {
    const n = this.steps.count;
    let sum = 0;
    for (let j = 0; j < n; j++) sum += this.steps.ago(j);
    const mean = sum / n;
    let squares = 0;
    for (let j = 0; j < n; j++) squares += (this.steps.ago(j) - mean) ** 2;
    return Math.sqrt(squares / n);
  }

  /** (buy volume - sell volume) / (buy + sell) over the last trades; 0 before any trade. */
  private tradeFlow(): number {
    let signed = 0;
    let total = 0;
    for (let j = 0; j < this.trades.count; j++) {
      const s = this.trades.ago(j);
      signed += s;
      total += Math.abs(s);
    }
    return total === 0 ? 0 : signed / total;
  }
}
