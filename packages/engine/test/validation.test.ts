import { SymbolStatus } from '@cwts/shm-layout';
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../src/book/order-book.js';
import { BookValidator } from '../src/book/validation.js';
import type { Trade } from '../src/market/events.js';

const config = { staleAfterMs: 1000, outlierBandPct: 5, outlierWindow: 10 };
const trade = (price: number): Trade => ({ type: 'trade', symbol: 'X/Y', exchangeTsMs: 0, receiveTsNs: 0, id: '1', price, size: 1, side: 'buy' });

function bookWith(bid: number, ask: number): OrderBook {
  const book = new OrderBook('X/Y');
  book.applySnapshot({ type: 'snapshot', symbol: 'X/Y', exchangeTsMs: 0, receiveTsNs: 0, sequence: 1, bids: [[bid, 1]], asks: [[ask, 1]] });
  return book;
}

describe('BookValidator', () => {
  it('is stale before the first book and after staleAfterMs without one, and fresh again on the next', () => {
    const v = new BookValidator(config);
    expect(v.check(5000) & SymbolStatus.STALE).toBeTruthy();
    v.onBook(bookWith(100, 101), 10_000);
    expect(v.check(10_500)).toBe(0);
    expect(v.check(11_001) & SymbolStatus.STALE).toBeTruthy();
    expect(v.check(12_000) & SymbolStatus.STALE).toBeTruthy();
    expect(v.counts.stale).toBe(2); // raised twice (before the first book, and after it), not once per check
    v.onBook(bookWith(100, 101), 12_001);
    expect(v.check(12_002)).toBe(0);
  });

  it('flags a crossed and a locked book, and clears when it uncrosses', () => {
    const v = new BookValidator(config);
    v.onBook(bookWith(101, 100), 0);
    expect(v.check(0)).toBe(SymbolStatus.CROSSED);
    v.onBook(bookWith(100, 100), 1);
    expect(v.check(1)).toBe(SymbolStatus.CROSSED);
    expect(v.counts.crossed).toBe(1);
    v.onBook(bookWith(99, 100), 2);
    expect(v.check(2)).toBe(0);
  });

  it('flags a sequence gap until the next snapshot', () => {
    const v = new BookValidator(config);
    v.onBook(bookWith(99, 100), 0);
    v.onGap();
    expect(v.check(0)).toBe(SymbolStatus.SEQUENCE_GAP);
    v.onBook(bookWith(99, 100), 1);
    expect(v.check(1)).toBe(SymbolStatus.SEQUENCE_GAP);
    v.onSnapshot();
    expect(v.check(1)).toBe(0);
    expect(v.counts.gap).toBe(1);
  });

  it('flags a trade outside the band around the rolling mean once the window is full, and a non-finite price at once', () => {
    const v = new BookValidator(config);
    v.onBook(bookWith(99, 100), 0);
    for (let i = 0; i < 9; i++) v.onTrade(trade(100));
    v.onTrade(trade(100.1)); // the tenth fills the window: not judged yet either
    expect(v.check(0)).toBe(0);
    expect(v.check(0)).toBe(0);
    v.onTrade(trade(104.9));
    expect(v.check(0)).toBe(0);
    v.onTrade(trade(120));
    expect(v.check(0)).toBe(SymbolStatus.OUTLIER);
    v.onTrade(trade(100.5)); // back inside: the misprint stayed out of the mean
    expect(v.check(0)).toBe(0);
    v.onTrade(trade(NaN));
    expect(v.check(0)).toBe(SymbolStatus.OUTLIER);
    expect(v.counts.outlier).toBe(2);
  });

  it('takes a run of trades at a new level as a move, not misprints', () => {
    const v = new BookValidator(config);
    v.onBook(bookWith(99, 100), 0);
    for (let i = 0; i < 10; i++) v.onTrade(trade(100));
    for (let i = 0; i < 10; i++) v.onTrade(trade(150));
    for (let i = 0; i < 10; i++) v.onTrade(trade(150));
    v.onTrade(trade(151));
    expect(v.check(0)).toBe(0);
  });
});
