/**
 * An L2 order book of one symbol, built from a snapshot and the deltas after it. Each side
 * keeps its prices sorted best first in a plain array with the sizes beside them
 * (binary-search insert), so publishing the top 50 levels is a straight copy.
 */
import type { BookUpdate } from '@cwts/py-bridge';
import type { BookDelta, BookSnapshot, Level } from '../market/events.js';

/** What applying a delta did: `gap` means a sequence was skipped (applied anyway, flagged). */
export type DeltaResult = 'applied' | 'gap' | 'stale';

export interface BestLevel {
  readonly price: number;
  readonly size: number;
}

function isValidLevel(price: number, size: number): boolean {
  return Number.isFinite(price) && price > 0 && Number.isFinite(size) && size >= 0;
}

export class BookSide {
  /** Best first: descending for bids, ascending for asks; sizes[i] belongs to prices[i]. */
  private readonly prices: number[] = [];
  private readonly sizes: number[] = [];

  constructor(private readonly descending: boolean) {}

  get depth(): number {
    return this.prices.length;
  }

  clear(): void {
    this.prices.length = 0;
    this.sizes.length = 0;
  }

  /** Size 0 removes the level. */
  set(price: number, size: number): void {
    const i = this.indexOf(price);
    const known = this.prices[i] === price;
    if (size === 0) {
      if (!known) return;
      this.prices.splice(i, 1);
      this.sizes.splice(i, 1);
    } else if (known) {
      this.sizes[i] = size;
    } else {
      this.prices.splice(i, 0, price);
      this.sizes.splice(i, 0, size);
    }
  }

  /** Price of the i-th level, best first. */
  priceAt(i: number): number | undefined {
    return this.prices[i];
  }

  sizeAt(price: number): number {
    const i = this.indexOf(price);
    return this.prices[i] === price ? this.sizes[i]! : 0;
  }

  /** Total size of the best `levels` levels (fewer when the side is shallower). */
  sizeOfTop(levels: number): number {
    const n = Math.min(levels, this.sizes.length);
    let total = 0;
    for (let i = 0; i < n; i++) total += this.sizes[i]!;
    return total;
  }

  best(): BestLevel | undefined {
    const price = this.prices[0];
    return price === undefined ? undefined : { price, size: this.sizes[0]! };
  }

  /** Writes up to `max` levels as interleaved [price, size]; returns how many. */
  fill(out: Float64Array, max: number): number {
    const n = Math.min(max, this.prices.length);
    const prices = this.prices;
    const sizes = this.sizes;
    for (let i = 0; i < n; i++) {
      out[2 * i] = prices[i]!;
      out[2 * i + 1] = sizes[i]!;
    }
    return n;
  }

  levels(max = Infinity): Level[] {
    return this.prices.slice(0, max).map((price, i) => [price, this.sizes[i]!] as const);
  }

  /** First index whose price is not better than `price` (where it is or would go). */
  private indexOf(price: number): number {
    const prices = this.prices;
    let low = 0;
    let high = prices.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const better = this.descending ? prices[mid]! > price : prices[mid]! < price;
      if (better) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

export class OrderBook {
  readonly bids = new BookSide(true);
  readonly asks = new BookSide(false);
  /** Sequence of the last snapshot or delta applied; -1 before the first snapshot. */
  sequence = -1;
  /** Levels dropped for a non-finite or non-positive price, or a negative or non-finite size. */
  invalidLevels = 0;

  constructor(readonly symbol: string) {}

  get synced(): boolean {
    return this.sequence >= 0;
  }

  applySnapshot(snapshot: BookSnapshot): void {
    this.bids.clear();
    this.asks.clear();
    this.apply(this.bids, snapshot.bids);
    this.apply(this.asks, snapshot.asks);
    this.sequence = snapshot.sequence;
  }

  /**
   * A delta older than the book is `stale` and ignored. One that skips sequences is applied
   * (the book is still the best guess there is) and reported as a `gap`, as is any delta
   * before the first snapshot (then nothing is applied: there is no book to change).
   */
  applyDelta(delta: BookDelta): DeltaResult {
    if (!this.synced) return 'gap';
    if (delta.sequence <= this.sequence) return 'stale';
    const result = delta.sequence === this.sequence + 1 ? 'applied' : 'gap';
    this.apply(this.bids, delta.bids);
    this.apply(this.asks, delta.asks);
    this.sequence = delta.sequence;
    return result;
  }

  bestBid(): BestLevel | undefined {
    return this.bids.best();
  }

  bestAsk(): BestLevel | undefined {
    return this.asks.best();
  }

  /** Fills the book fields of a segment update (top of book, levels and depths). */
  fillTop(update: BookUpdate, maxDepth = update.bids.length / 2): void {
    update.bidDepth = this.bids.fill(update.bids, maxDepth);
    update.askDepth = this.asks.fill(update.asks, maxDepth);
    update.bid = update.bidDepth ? update.bids[0]! : 0;
    update.bidVolume = update.bidDepth ? update.bids[1]! : 0;
    update.ask = update.askDepth ? update.asks[0]! : 0;
    update.askVolume = update.askDepth ? update.asks[1]! : 0;
  }

  private apply(side: BookSide, levels: readonly Level[]): void {
    for (const [price, size] of levels) {
      if (isValidLevel(price, size)) side.set(price, size);
      else this.invalidLevels++;
    }
  }
}
