/**
 * The stages a market event goes through, in order:
 *   book events:  apply to the L2 book → validate → publish top 50 into the segment
 *   trades:       validate (outlier band) → candles → last price
 *   tickers:      last price and 24 h volume, published with the next book
 *   feed status:  a symbol whose feed is not live is marked stale
 */
import { SymbolStatus } from '@cwts/shm-layout';
import { MarketDataWriter, emptyBookUpdate, type BookUpdate } from '@cwts/py-bridge';
import { OrderBook } from '../book/order-book.js';
import { BookValidator, type ValidationConfig } from '../book/validation.js';
import type { CandleBuilder } from '../candles/candle-builder.js';
import { SampleWindow } from '../stats/sample-window.js';
import type { BookDelta, BookSnapshot, FeedStatus, MarketEvent, Ticker, Trade } from './events.js';

export interface SymbolState {
  readonly symbol: string;
  readonly index: number;
  readonly feed: string;
  readonly book: OrderBook;
  readonly validator: BookValidator;
  last: number;
  volume24h: number;
  exchangeTsMs: number;
  updates: number;
  flags: number;
  feedLive: boolean;
}

export interface PublishedBook {
  readonly symbol: string;
  readonly index: number;
  readonly updateCount: number;
  readonly bid: number;
  readonly ask: number;
  readonly flags: number;
}

export interface PipelineListeners {
  /** Called only when someone listens, so the hot case allocates nothing. */
  readonly wantsBooks: () => boolean;
  readonly onBook: (book: PublishedBook) => void;
  readonly onTrade: (trade: Trade) => void;
  readonly onStatus: (status: FeedStatus) => void;
  /** After every publish, with the symbol's state (its book): the model's features are built from it. */
  readonly onPublished?: (state: SymbolState) => void;
}

export class MarketPipeline {
  private readonly bySymbol = new Map<string, SymbolState>();
  private readonly update: BookUpdate = emptyBookUpdate();
  /** Receive to publish, ns: the engine's own share of the latency. */
  readonly publishLatency = new SampleWindow();
  unknownSymbolEvents = 0;

  constructor(
    private readonly writer: MarketDataWriter,
    private readonly candles: CandleBuilder,
    private readonly listeners: PipelineListeners,
  ) {}

  addSymbol(symbol: string, index: number, feed: string, validation: ValidationConfig): SymbolState {
    const state: SymbolState = {
      symbol, index, feed, book: new OrderBook(symbol), validator: new BookValidator(validation),
      last: 0, volume24h: 0, exchangeTsMs: 0, updates: 0, flags: 0, feedLive: false,
    };
    this.bySymbol.set(symbol, state);
    return state;
  }

  symbols(): readonly SymbolState[] {
    return [...this.bySymbol.values()];
  }

  handle(event: MarketEvent): void {
    if (event.type === 'status') return this.onStatus(event);
    const state = this.bySymbol.get(event.symbol);
    if (!state) {
      this.unknownSymbolEvents++;
      return;
    }
    switch (event.type) {
      case 'snapshot':
        return this.onSnapshot(state, event);
      case 'delta':
        return this.onDelta(state, event);
      case 'trade':
        return this.onTrade(state, event);
      case 'ticker':
        return this.onTicker(state, event);
    }
  }

  /** Re-evaluates time-based flags (stale) of every symbol; republishes those that changed. */
  checkStale(nowMs: number): void {
    for (const state of this.bySymbol.values()) {
      const flags = this.flagsOf(state, nowMs);
      if (flags !== state.flags) {
        this.writer.setStatus(state.index, flags);
        state.flags = flags;
      }
    }
  }

  private onSnapshot(state: SymbolState, snapshot: BookSnapshot): void {
    state.book.applySnapshot(snapshot);
    state.validator.onSnapshot();
    this.publish(state, snapshot.exchangeTsMs, snapshot.receiveTsNs);
  }

  private onDelta(state: SymbolState, delta: BookDelta): void {
    const result = state.book.applyDelta(delta);
    if (result === 'stale') return;
    if (result === 'gap') state.validator.onGap();
    this.publish(state, delta.exchangeTsMs, delta.receiveTsNs);
  }

  private onTrade(state: SymbolState, trade: Trade): void {
    state.validator.onTrade(trade);
    this.candles.onTrade(trade);
    state.last = trade.price;
    this.listeners.onTrade(trade);
  }

  private onTicker(state: SymbolState, ticker: Ticker): void {
    state.last = ticker.last;
    state.volume24h = ticker.volume24h;
  }

  private onStatus(status: FeedStatus): void {
    for (const state of this.bySymbol.values()) {
      if (state.feed === status.feed && (status.symbol === undefined || status.symbol === state.symbol)) state.feedLive = status.state === 'live';
    }
    this.listeners.onStatus(status);
  }

  private flagsOf(state: SymbolState, nowMs: number): number {
    return state.validator.check(nowMs) | (state.feedLive ? 0 : SymbolStatus.STALE);
  }

  private publish(state: SymbolState, exchangeTsMs: number, receiveTsNs: number): void {
    const nowMs = Date.now();
    state.validator.onBook(state.book, nowMs);
    const update = this.update;
    state.book.fillTop(update);
    update.last = state.last;
    update.volume24h = state.volume24h;
    update.exchangeTsNs = exchangeTsMs * 1e6;
    update.receiveTsNs = receiveTsNs;
    update.status = this.flagsOf(state, nowMs);
    state.flags = update.status;
    state.exchangeTsMs = exchangeTsMs;
    state.updates = this.writer.publish(state.index, update);
    this.publishLatency.record(Number(process.hrtime.bigint()) - receiveTsNs);
    this.listeners.onPublished?.(state);
    if (this.listeners.wantsBooks()) {
      this.listeners.onBook({ symbol: state.symbol, index: state.index, updateCount: state.updates, bid: update.bid, ask: update.ask, flags: update.status });
    }
  }
}
