/**
 * The simulated venue's market: per symbol a hidden fair value that random-walks, and an L2
 * book that follows it through order arrivals (marketable ones trade), cancels and market
 * orders. Prices are integer ticks and sizes integer lots inside, so a run never drifts;
 * one seed gives one sequence of events. Every `step()` is one book update of one symbol.
 */
import { OrderBook, type BookSide } from '../../book/order-book.js';
import type { BookDelta, BookSnapshot, Level, MarketEvent, Ticker, Trade } from '../../market/events.js';
import { decimalsOf, fromUnits } from '../../units.js';
import { Random } from './random.js';
import { RollingVolume } from './rolling-volume.js';

export interface SimulatedSymbol {
  readonly symbol: string;
  readonly startPrice: number;
  readonly tickSize: number;
  readonly lotSize: number;
}

export const DEFAULT_SIMULATED_SYMBOLS: readonly SimulatedSymbol[] = [
  { symbol: 'BTC/USDT', startPrice: 64000, tickSize: 0.1, lotSize: 0.0001 },
  { symbol: 'ETH/USDT', startPrice: 3200, tickSize: 0.01, lotSize: 0.001 },
  { symbol: 'SOL/USDT', startPrice: 150, tickSize: 0.01, lotSize: 0.01 },
  { symbol: 'BNB/USDT', startPrice: 600, tickSize: 0.1, lotSize: 0.001 },
  { symbol: 'XRP/USDT', startPrice: 0.6, tickSize: 0.0001, lotSize: 1 },
];

export interface SimulatedMarketOptions {
  readonly seed: number;
  readonly symbols: readonly SimulatedSymbol[];
  /** Levels per side the book keeps at least (it may hold up to twice as many). */
  readonly depth: number;
  /** Standard deviation of the fair value's move per update of the symbol, relative. */
  readonly volatility: number;
  /** Venue clock at the start, UTC ms, and how far it moves per step. */
  readonly startTimeMs: number;
  readonly stepMs: number;
}

// Shares of the three kinds of step; the rest are cancels.
const ARRIVAL_SHARE = 0.55;
const MARKET_ORDER_SHARE = 0.15;
// Typical order value in quote currency, to size orders the same way at any price.
const ORDER_NOTIONAL = 2000;
const TICKER_EVERY_STEPS = 64;
// Cancels hit the top levels more often: the index is drawn as r^2 over this many levels.
const CANCEL_LEVELS = 20;

class SymbolMarket {
  readonly book: OrderBook;
  fair: number;
  sequence = 1;
  steps = 0;
  lastPrice: number;
  readonly volume = new RollingVolume();
  readonly orderLots: number;
  readonly volatilityTicks: number;
  private readonly priceDecimals: number;
  private readonly sizeDecimals: number;
  private readonly changedBids = new Set<number>();
  private readonly changedAsks = new Set<number>();

  constructor(readonly spec: SimulatedSymbol, volatility: number) {
    this.book = new OrderBook(spec.symbol);
    this.fair = Math.round(spec.startPrice / spec.tickSize);
    this.lastPrice = spec.startPrice;
    this.orderLots = Math.max(1, Math.round(ORDER_NOTIONAL / spec.startPrice / spec.lotSize));
    this.volatilityTicks = (volatility * spec.startPrice) / spec.tickSize;
    this.priceDecimals = decimalsOf(spec.tickSize);
    this.sizeDecimals = decimalsOf(spec.lotSize);
  }

  price(ticks: number): number {
    return fromUnits(ticks, this.spec.tickSize, this.priceDecimals);
  }

  size(lots: number): number {
    return fromUnits(lots, this.spec.lotSize, this.sizeDecimals);
  }

  setLevel(side: BookSide, ticks: number, lots: number): void {
    side.set(ticks, lots);
    (side === this.book.bids ? this.changedBids : this.changedAsks).add(ticks);
  }

  /** The changed levels in venue units, and forgets them. */
  takeChanges(): { bids: Level[]; asks: Level[] } {
    const out = (changed: Set<number>, side: BookSide): Level[] => {
      const levels = [...changed].map((t) => [this.price(t), this.size(side.sizeAt(t))] as const);
      changed.clear();
      return levels;
    };
    return { bids: out(this.changedBids, this.book.bids), asks: out(this.changedAsks, this.book.asks) };
  }

  get changed(): boolean {
    return this.changedBids.size + this.changedAsks.size > 0;
  }
}

export class SimulatedMarket {
  private readonly random: Random;
  private readonly markets: SymbolMarket[];
  private clockMs: number;
  private tradeId = 0;

  constructor(private readonly options: SimulatedMarketOptions) {
    this.random = new Random(options.seed);
    this.clockMs = options.startTimeMs;
    this.markets = options.symbols.map((spec) => new SymbolMarket(spec, options.volatility));
    for (const m of this.markets) this.seedBook(m);
  }

  get symbols(): readonly string[] {
    return this.markets.map((m) => m.spec.symbol);
  }

  get stepMs(): number {
    return this.options.stepMs;
  }

  /** The venue clock, UTC ms. */
  get timeMs(): number {
    return this.clockMs;
  }

  /** The current book of every symbol, as the first events a subscriber gets. */
  snapshots(receiveTsNs: number): BookSnapshot[] {
    return this.markets.map((m) => {
      m.takeChanges();
      const levels = (side: BookSide): Level[] => {
        const out: Level[] = [];
        for (let i = 0; i < side.depth; i++) out.push([m.price(side.priceAt(i)!), m.size(side.sizeAt(side.priceAt(i)!))]);
        return out;
      };
      return { type: 'snapshot', symbol: m.spec.symbol, exchangeTsMs: this.clockMs, receiveTsNs, sequence: m.sequence, bids: levels(m.book.bids), asks: levels(m.book.asks) };
    });
  }

  /** One book update of one symbol: its trades first, then the delta, sometimes a ticker. */
  step(receiveTsNs: number, out: MarketEvent[]): void {
    const random = this.random;
    const m = this.markets[random.int(this.markets.length)]!;
    this.clockMs += this.options.stepMs;
    m.fair += random.normal() * m.volatilityTicks;
    const kind = random.next();
    const trades: Trade[] = [];
    if (kind < ARRIVAL_SHARE) this.arrival(m, receiveTsNs, trades);
    else if (kind < ARRIVAL_SHARE + MARKET_ORDER_SHARE) this.marketOrder(m, receiveTsNs, trades);
    else this.cancel(m);
    this.keepDepth(m, m.book.bids, -1);
    this.keepDepth(m, m.book.asks, +1);
    out.push(...trades);
    if (m.changed) {
      const { bids, asks } = m.takeChanges();
      const delta: BookDelta = { type: 'delta', symbol: m.spec.symbol, exchangeTsMs: this.clockMs, receiveTsNs, sequence: ++m.sequence, bids, asks };
      out.push(delta);
    }
    if (++m.steps % TICKER_EVERY_STEPS === 0) {
      const ticker: Ticker = { type: 'ticker', symbol: m.spec.symbol, exchangeTsMs: this.clockMs, receiveTsNs, last: m.lastPrice, volume24h: m.size(Math.round(m.volume.total(this.clockMs))) };
      out.push(ticker);
    }
  }

  private orderLots(m: SymbolMarket): number {
    return m.orderLots * (1 + this.random.geometric(0.3));
  }

  private arrival(m: SymbolMarket, receiveTsNs: number, trades: Trade[]): void {
    const random = this.random;
    const buy = random.next() < 0.5;
    const away = random.geometric(0.25);
    const price = buy ? Math.floor(m.fair - 0.5) - away : Math.ceil(m.fair + 0.5) + away;
    const own = buy ? m.book.bids : m.book.asks;
    const opposite = buy ? m.book.asks : m.book.bids;
    const left = this.take(m, opposite, buy, price, this.orderLots(m), receiveTsNs, trades);
    if (left > 0) m.setLevel(own, price, own.sizeAt(price) + left);
  }

  private marketOrder(m: SymbolMarket, receiveTsNs: number, trades: Trade[]): void {
    const bid = m.book.bids.priceAt(0);
    const ask = m.book.asks.priceAt(0);
    const mid = bid !== undefined && ask !== undefined ? (bid + ask) / 2 : m.fair;
    // Takers lean toward the fair value: buy more often when the book is below it.
    const buyShare = 0.5 + Math.max(-0.4, Math.min(0.4, (m.fair - mid) / 4));
    const buy = this.random.next() < buyShare;
    this.take(m, buy ? m.book.asks : m.book.bids, buy, undefined, this.orderLots(m), receiveTsNs, trades);
  }

  private cancel(m: SymbolMarket): void {
    const side = this.random.next() < 0.5 ? m.book.bids : m.book.asks;
    const r = this.random.next();
    const price = side.priceAt(Math.floor(r * r * Math.min(side.depth, CANCEL_LEVELS)));
    if (price === undefined) return;
    const lots = side.sizeAt(price);
    m.setLevel(side, price, lots - Math.ceil(this.random.next() * lots));
  }

  /** Fills `lots` against `side` up to `limit` ticks (none: any price); returns what is left. */
  private take(m: SymbolMarket, side: BookSide, buy: boolean, limit: number | undefined, lots: number, receiveTsNs: number, trades: Trade[]): number {
    while (lots > 0) {
      const price = side.priceAt(0);
      if (price === undefined || (limit !== undefined && (buy ? price > limit : price < limit))) break;
      const available = side.sizeAt(price);
      const fill = Math.min(lots, available);
      m.setLevel(side, price, available - fill);
      lots -= fill;
      m.lastPrice = m.price(price);
      m.volume.add(this.clockMs, fill);
      trades.push({ type: 'trade', symbol: m.spec.symbol, exchangeTsMs: this.clockMs, receiveTsNs, id: String(++this.tradeId), price: m.lastPrice, size: m.size(fill), side: buy ? 'buy' : 'sell' });
    }
    return lots;
  }

  /** At least `depth` levels per side (new ones behind the worst), at most twice that. */
  private keepDepth(m: SymbolMarket, side: BookSide, away: -1 | 1): void {
    const depth = this.options.depth;
    while (side.depth < depth) {
      const worst = side.priceAt(side.depth - 1);
      const price = worst === undefined ? (away < 0 ? Math.floor(m.fair - 0.5) : Math.ceil(m.fair + 0.5)) : worst + away;
      if (price <= 0) break; // a bid side cannot reach below one tick
      m.setLevel(side, price, this.orderLots(m));
    }
    while (side.depth > 2 * depth) m.setLevel(side, side.priceAt(side.depth - 1)!, 0);
  }

  private seedBook(m: SymbolMarket): void {
    const best = { bids: Math.floor(m.fair - 0.5), asks: Math.ceil(m.fair + 0.5) };
    for (let i = 0; i < this.options.depth; i++) {
      m.book.bids.set(best.bids - i, this.orderLots(m));
      m.book.asks.set(best.asks + i, this.orderLots(m));
    }
  }
}
