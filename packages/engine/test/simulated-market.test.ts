import { describe, expect, it } from 'vitest';
import { OrderBook } from '../src/book/order-book.js';
import { DEFAULT_SIMULATED_SYMBOLS, SimulatedMarket, type SimulatedMarketOptions } from '../src/feeds/simulated/market.js';
import type { MarketEvent } from '../src/market/events.js';

const options = (seed: number): SimulatedMarketOptions => ({ seed, symbols: DEFAULT_SIMULATED_SYMBOLS, depth: 50, volatility: 5e-6, startTimeMs: Date.UTC(2026, 0, 1), stepMs: 1 });

function run(seed: number, steps: number): MarketEvent[] {
  const market = new SimulatedMarket(options(seed));
  const events: MarketEvent[] = [...market.snapshots(0)];
  for (let i = 0; i < steps; i++) market.step(0, events);
  return events;
}

describe('the simulated market', () => {
  it('is reproducible: one seed, one sequence of events; another seed, another', () => {
    expect(run(42, 3000)).toEqual(run(42, 3000));
    expect(run(43, 300)).not.toEqual(run(42, 300));
  });

  it('produces consecutive sequences, uncrossed books at least 50 deep, trades at book prices, and a moving mid', () => {
    const events = run(7, 40_000);
    const books = new Map<string, OrderBook>();
    const firstMid = new Map<string, number>();
    const counts = { delta: 0, trade: 0, ticker: 0 };
    for (const event of events) {
      if (event.type === 'status') continue;
      if (event.type === 'snapshot') {
        const book = new OrderBook(event.symbol);
        book.applySnapshot(event);
        books.set(event.symbol, book);
        firstMid.set(event.symbol, (book.bestBid()!.price + book.bestAsk()!.price) / 2);
        continue;
      }
      const book = books.get(event.symbol)!;
      if (event.type === 'delta') {
        counts.delta++;
        expect(book.applyDelta(event)).toBe('applied');
        expect(book.bids.depth).toBeGreaterThanOrEqual(50);
        expect(book.asks.depth).toBeGreaterThanOrEqual(50);
        expect(book.bestBid()!.price).toBeLessThan(book.bestAsk()!.price);
      } else if (event.type === 'trade') {
        counts.trade++;
        // A trade takes a resting level on the other side of the taker (its delta follows).
        const side = event.side === 'buy' ? book.asks : book.bids;
        expect(side.sizeAt(event.price)).toBeGreaterThanOrEqual(event.size - 1e-9);
        expect(event.size).toBeGreaterThan(0);
      } else {
        counts.ticker++;
        expect(event.volume24h).toBeGreaterThan(0);
      }
    }
    for (const book of books.values()) expect(book.invalidLevels).toBe(0);
    expect(counts.delta).toBe(40_000); // every step changes the book
    expect(counts.trade).toBeGreaterThan(4000);
    expect(counts.ticker).toBeGreaterThan(500);
    // Spreads are a few ticks and the mid wandered away from the start.
    const btc = books.get('BTC/USDT')!;
    expect(btc.bestAsk()!.price - btc.bestBid()!.price).toBeLessThan(2);
    const mid = (btc.bestBid()!.price + btc.bestAsk()!.price) / 2;
    expect(mid).not.toBe(firstMid.get('BTC/USDT'));
  });
});
