/**
 * The checks behind a symbol's status flags: stale (no book update within staleAfterMs),
 * crossed or locked (best bid >= best ask), outlier (a trade outside a band around the
 * rolling mean of recent trades), sequence gap (until the next snapshot). Each flag counts
 * how often it was raised.
 */
import { SymbolStatus } from '@cwts/shm-layout';
import type { Trade } from '../market/events.js';
import type { OrderBook } from './order-book.js';

export interface ValidationConfig {
  readonly staleAfterMs: number;
  /** Half-width of the band, percent of the rolling mean. */
  readonly outlierBandPct: number;
  /** Trades in the rolling mean; the band applies once the window is full. */
  readonly outlierWindow: number;
}

export interface ValidationCounts {
  stale: number;
  crossed: number;
  outlier: number;
  gap: number;
}

/** Outliers in a row after which the market has moved, not misprinted: the band restarts there. */
const OUTLIER_RUN_RESETS = 10;

export class BookValidator {
  readonly counts: ValidationCounts = { stale: 0, crossed: 0, outlier: 0, gap: 0 };
  private lastBookMs = 0;
  private flags = 0;
  private readonly window: Float64Array;
  private windowSum = 0;
  private windowCount = 0;
  private windowNext = 0;
  private outlierRun = 0;

  constructor(private readonly config: ValidationConfig) {
    this.window = new Float64Array(config.outlierWindow);
  }

  /** A fresh snapshot: the book is whole again. */
  onSnapshot(): void {
    this.clear(SymbolStatus.SEQUENCE_GAP);
  }

  onGap(): void {
    this.raise(SymbolStatus.SEQUENCE_GAP, 'gap');
  }

  onBook(book: OrderBook, nowMs: number): void {
    this.lastBookMs = nowMs;
    this.clear(SymbolStatus.STALE);
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (bid && ask && bid.price >= ask.price) this.raise(SymbolStatus.CROSSED, 'crossed');
    else this.clear(SymbolStatus.CROSSED);
  }

  onTrade(trade: Trade): void {
    const price = trade.price;
    if (!Number.isFinite(price) || price <= 0) return this.raise(SymbolStatus.OUTLIER, 'outlier');
    if (this.windowCount === this.window.length) {
      const mean = this.windowSum / this.windowCount;
      if ((Math.abs(price - mean) / mean) * 100 > this.config.outlierBandPct) {
        this.raise(SymbolStatus.OUTLIER, 'outlier');
        // Misprints stay out of the mean; a run of them is a new price level.
        if (++this.outlierRun < OUTLIER_RUN_RESETS) return;
        this.resetWindow();
      } else {
        this.clear(SymbolStatus.OUTLIER);
      }
    }
    this.outlierRun = 0;
    this.addToWindow(price);
  }

  /** The flags now (STALE is time based, so it needs the clock). */
  check(nowMs: number): number {
    if (nowMs - this.lastBookMs > this.config.staleAfterMs) this.raise(SymbolStatus.STALE, 'stale');
    return this.flags;
  }

  private addToWindow(price: number): void {
    if (this.windowCount === this.window.length) this.windowSum -= this.window[this.windowNext]!;
    else this.windowCount++;
    this.window[this.windowNext] = price;
    this.windowSum += price;
    this.windowNext = (this.windowNext + 1) % this.window.length;
    // Once per lap, re-add from scratch so float rounding of the running sum cannot drift.
    if (this.windowNext === 0) this.windowSum = this.window.reduce((sum, p) => sum + p, 0);
  }

  private resetWindow(): void {
    this.windowSum = 0;
    this.windowCount = 0;
    this.windowNext = 0;
    this.outlierRun = 0;
  }

  private raise(flag: number, counter: keyof ValidationCounts): void {
    if (this.flags & flag) return;
    this.flags |= flag;
    this.counts[counter]++;
  }

  private clear(flag: number): void {
    this.flags &= ~flag;
  }
}
