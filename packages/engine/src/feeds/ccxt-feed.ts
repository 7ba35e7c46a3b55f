/**
 * A live venue through ccxt's websockets (ccxt.pro): per symbol one loop each on
 * watchOrderBook, watchTrades and watchTicker (where the exchange has them), all into one
 * queue. ccxt keeps each book, resyncs it and reconnects; a watch that fails on the network
 * is called again after a backoff, and ccxt resubscribes on that call. Each book update
 * becomes a snapshot of its top levels.
 */
import ccxt from 'ccxt';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FeedConfig } from '../config/schema.js';
import { openProExchange, type ProExchange } from '../ccxt/pro-exchange.js';
import type { Feed, FeedState, Instrument, Level, MarketEvent } from '../market/events.js';
import { EventQueue } from './event-queue.js';

export type CcxtFeedConfig = Extract<FeedConfig, { type: 'ccxt' }>;

const BACKOFF_FIRST_MS = 100;
const BACKOFF_MAX_MS = 5000;

function nowNs(): number {
  return Number(process.hrtime.bigint());
}

export class CcxtFeed implements Feed {
  readonly name: string;
  readonly symbols: readonly string[];
  private readonly queue = new EventQueue<MarketEvent>();
  private readonly loops: Promise<void>[] = [];
  /** The last state reported per symbol; none yet means it has never been live. */
  private readonly states = new Map<string, FeedState>();
  private readonly stop = new AbortController();
  private readonly stopped = new Promise<void>((resolve) => this.stop.signal.addEventListener('abort', () => resolve()));
  private started = false;
  private closing: Promise<void> | undefined;
  private failure: unknown;

  private constructor(private readonly config: CcxtFeedConfig, private readonly exchange: ProExchange) {
    this.name = config.name ?? config.exchange;
    this.symbols = config.symbols;
  }

  /** Builds the exchange client; an id ccxt.pro does not have, or one without websocket books, fails here. */
  static open(config: CcxtFeedConfig): CcxtFeed {
    const exchange = openProExchange(config.exchange, config.ccxtOptions);
    if (!exchange.has['watchOrderBook']) throw new Error(`ccxt.pro's ${config.exchange} has no watchOrderBook: it cannot feed books`);
    return new CcxtFeed(config, exchange);
  }

  async *events(): AsyncGenerator<MarketEvent> {
    if (this.started) throw new Error(`feed ${this.name}: events() can be iterated once`);
    this.started = true;
    this.queue.push({ type: 'status', feed: this.name, state: 'connecting' });
    // ccxt wants its http agent before it dials a plain ws:// url (local venues, tests).
    await this.exchange.loadHttpProxyAgent();
    for (const symbol of this.symbols) {
      this.loops.push(this.loop(symbol, 'book', this.bookStep(symbol)));
      if (this.exchange.has['watchTrades']) this.loops.push(this.loop(symbol, 'trades', this.tradesStep(symbol)));
      if (this.exchange.has['watchTicker']) this.loops.push(this.loop(symbol, 'ticker', this.tickerStep(symbol)));
    }
    yield* this.queue;
    if (this.failure !== undefined) throw this.failure;
  }

  /** Known once the markets have loaded, i.e. after the first connection. */
  instrument(symbol: string): Instrument | undefined {
    const precision = this.exchange.markets?.[symbol]?.precision;
    return precision?.price && precision.amount ? { tickSize: precision.price, lotSize: precision.amount } : undefined;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.stop.abort();
    // Best effort: the feed is going away whether or not ccxt closes its sockets cleanly.
    await this.exchange.close().catch(() => undefined);
    await Promise.all(this.loops);
    this.queue.end();
  }

  /**
   * Calls `step` until close. A network failure is reported (the book loop speaks for its
   * symbol) and retried after a backoff; a bad symbol stops the symbol; any other error is a
   * mistake in the config or the code, and ends the feed with that error.
   */
  private async loop(symbol: string, stream: 'book' | 'trades' | 'ticker', step: () => Promise<void>): Promise<void> {
    let backoffMs = BACKOFF_FIRST_MS;
    while (!this.stop.signal.aborted) {
      try {
        // ccxt keeps a failed loadMarkets promise and hands it out again: reload until it works.
        if (this.exchange.markets === undefined) await this.untilStopped(this.exchange.loadMarkets(true));
        await this.untilStopped(step());
        backoffMs = BACKOFF_FIRST_MS;
      } catch (error) {
        if (this.stop.signal.aborted) return;
        if (error instanceof ccxt.BadSymbol) {
          if (stream === 'book') this.status(symbol, 'down', error.message);
          return;
        }
        if (!(error instanceof ccxt.OperationFailed)) {
          this.failure ??= error;
          void this.close();
          return;
        }
        if (stream === 'book') {
          const state = this.states.get(symbol);
          this.status(symbol, state === undefined || state === 'down' ? 'down' : 'reconnecting', error.message);
        }
        await sleep(backoffMs, undefined, { signal: this.stop.signal }).catch(() => undefined);
        backoffMs = Math.min(backoffMs * 2, BACKOFF_MAX_MS);
      }
    }
  }

  private bookStep(symbol: string): () => Promise<void> {
    let count = 0;
    // The top `depth` levels. No limit goes to ccxt: venues accept only a few depths
    // (Bybit spot 1/50/200/1000), and ccxt's book is the whole subscribed book anyway.
    const top = (levels: [number, number][]): Level[] => levels.slice(0, this.config.depth).map(([price, size]) => [price, size]);
    return async () => {
      const book = await this.exchange.watchOrderBook(symbol);
      if (this.stop.signal.aborted) return;
      count++;
      const sequence = typeof book.nonce === 'number' ? book.nonce : count;
      // Live before the book, so that the book is already published as live.
      if (this.states.get(symbol) !== 'live') this.status(symbol, 'live');
      this.queue.push({ type: 'snapshot', symbol, exchangeTsMs: book.timestamp ?? Date.now(), receiveTsNs: nowNs(), sequence, bids: top(book.bids), asks: top(book.asks) });
    };
  }

  private tradesStep(symbol: string): () => Promise<void> {
    // ccxt hands back its cache of recent trades (again after a reconnect): new is what comes
    // after the last one emitted, by time, then by id among trades of that same millisecond.
    let lastTs = -Infinity;
    let idsAtLastTs = new Set<string>();
    return async () => {
      const trades = await this.exchange.watchTrades(symbol);
      if (this.stop.signal.aborted) return;
      const receiveTsNs = nowNs();
      for (const trade of trades) {
        const ts = trade.timestamp ?? Date.now();
        const id = trade.id ?? '';
        if (ts < lastTs || (ts === lastTs && idsAtLastTs.has(id))) continue;
        if (ts > lastTs) {
          lastTs = ts;
          idsAtLastTs = new Set();
        }
        idsAtLastTs.add(id);
        // A venue that does not say who took gets 'buy'; size and price are what count downstream.
        this.queue.push({ type: 'trade', symbol, exchangeTsMs: ts, receiveTsNs, id, price: trade.price, size: trade.amount, side: trade.side === 'sell' ? 'sell' : 'buy' });
      }
    };
  }

  private tickerStep(symbol: string): () => Promise<void> {
    return async () => {
      const ticker = await this.exchange.watchTicker(symbol);
      if (this.stop.signal.aborted || typeof ticker.last !== 'number') return;
      this.queue.push({ type: 'ticker', symbol, exchangeTsMs: ticker.timestamp ?? Date.now(), receiveTsNs: nowNs(), last: ticker.last, volume24h: ticker.baseVolume ?? 0 });
    };
  }

  /** Settles as `promise` does, or at close: ccxt's REST calls do not end when the exchange closes. */
  private untilStopped(promise: Promise<unknown>): Promise<unknown> {
    return Promise.race([promise, this.stopped]);
  }

  private status(symbol: string, state: FeedState, reason?: string): void {
    this.states.set(symbol, state);
    this.queue.push({ type: 'status', feed: this.name, symbol, state, ...(reason === undefined ? {} : { reason }) });
  }
}
