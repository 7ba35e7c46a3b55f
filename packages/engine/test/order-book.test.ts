import { emptyBookUpdate } from '@cwts/py-bridge';
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../src/book/order-book.js';
import type { BookDelta, BookSnapshot, Level } from '../src/market/events.js';

const snapshot = (sequence: number, bids: Level[], asks: Level[]): BookSnapshot => ({ type: 'snapshot', symbol: 'X/Y', exchangeTsMs: 0, receiveTsNs: 0, sequence, bids, asks });
const delta = (sequence: number, bids: Level[], asks: Level[] = []): BookDelta => ({ type: 'delta', symbol: 'X/Y', exchangeTsMs: 0, receiveTsNs: 0, sequence, bids, asks });

describe('OrderBook', () => {
  it('keeps each side sorted best first whatever order levels arrive in', () => {
    const book = new OrderBook('X/Y');
    book.applySnapshot(snapshot(10, [[99, 1], [101, 2], [100, 3]], [[105, 1], [103, 2], [104, 3]]));
    expect(book.bids.levels()).toEqual([[101, 2], [100, 3], [99, 1]]);
    expect(book.asks.levels()).toEqual([[103, 2], [104, 3], [105, 1]]);
    expect(book.bestBid()).toEqual({ price: 101, size: 2 });
    expect(book.bestAsk()).toEqual({ price: 103, size: 2 });
  });

  it('applies deltas: size 0 removes, a new price inserts in place, a known price updates', () => {
    const book = new OrderBook('X/Y');
    book.applySnapshot(snapshot(1, [[100, 1], [99, 1]], [[101, 1]]));
    expect(book.applyDelta(delta(2, [[100, 0], [99.5, 4], [99, 7]], [[100.5, 2]]))).toBe('applied');
    expect(book.bids.levels()).toEqual([[99.5, 4], [99, 7]]);
    expect(book.asks.levels()).toEqual([[100.5, 2], [101, 1]]);
    expect(book.sequence).toBe(2);
  });

  it('reports a skipped sequence as a gap (applied), an old one as stale (ignored), and deltas before any snapshot as gaps', () => {
    const book = new OrderBook('X/Y');
    expect(book.applyDelta(delta(1, [[100, 1]]))).toBe('gap');
    expect(book.bids.depth).toBe(0);
    book.applySnapshot(snapshot(5, [[100, 1]], [[101, 1]]));
    expect(book.applyDelta(delta(5, [[100, 9]]))).toBe('stale');
    expect(book.applyDelta(delta(3, [[100, 9]]))).toBe('stale');
    expect(book.bestBid()?.size).toBe(1);
    expect(book.applyDelta(delta(8, [[100, 2]]))).toBe('gap');
    expect(book.bestBid()?.size).toBe(2);
    expect(book.applyDelta(delta(9, [[100, 3]]))).toBe('applied');
  });

  it('drops and counts levels with NaN, infinite, zero or negative prices and negative sizes', () => {
    const book = new OrderBook('X/Y');
    book.applySnapshot(snapshot(1, [[NaN, 1], [Infinity, 1], [0, 1], [-5, 1], [100, -1], [100, NaN], [99, 1]], [[101, Infinity]]));
    expect(book.bids.levels()).toEqual([[99, 1]]);
    expect(book.asks.depth).toBe(0);
    expect(book.invalidLevels).toBe(7);
  });

  it('fills the top levels of a segment update, clipped at the depth asked', () => {
    const book = new OrderBook('X/Y');
    const bids: Level[] = Array.from({ length: 60 }, (_, i) => [1000 - i, i + 1]);
    const asks: Level[] = Array.from({ length: 3 }, (_, i) => [1001 + i, 10 + i]);
    book.applySnapshot(snapshot(1, bids, asks));
    const update = emptyBookUpdate();
    book.fillTop(update);
    expect(update.bidDepth).toBe(50);
    expect(update.askDepth).toBe(3);
    expect([update.bid, update.bidVolume, update.ask, update.askVolume]).toEqual([1000, 1, 1001, 10]);
    expect([update.bids[98], update.bids[99]]).toEqual([951, 50]);
    expect([...update.asks.slice(0, 6)]).toEqual([1001, 10, 1002, 11, 1003, 12]);
  });

  it('stays sorted and equal to a naive model under a random stream of deltas', () => {
    const book = new OrderBook('X/Y');
    book.applySnapshot(snapshot(0, [], []));
    const model = { bids: new Map<number, number>(), asks: new Map<number, number>() };
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let seq = 1; seq <= 5000; seq++) {
      const side = rand(2) ? 'bids' : 'asks';
      const price = 900 + rand(200);
      const size = rand(4);
      if (size === 0) model[side].delete(price);
      else model[side].set(price, size);
      book.applyDelta(delta(seq, side === 'bids' ? [[price, size]] : [], side === 'asks' ? [[price, size]] : []));
    }
    const sorted = (m: Map<number, number>, desc: boolean): Level[] => [...m.entries()].sort((a, b) => (desc ? b[0] - a[0] : a[0] - b[0]));
    expect(book.bids.levels()).toEqual(sorted(model.bids, true));
    expect(book.asks.levels()).toEqual(sorted(model.asks, false));
  });
});
