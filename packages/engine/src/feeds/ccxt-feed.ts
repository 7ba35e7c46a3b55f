/**
 * A live venue through ccxt's websockets (ccxt.pro): per symbol one loop each on
 * watchOrderBook, watchTrades and watchTicker (where the exchange has them). ccxt keeps
 * each book, resyncs it and reconnects; a failed watch is retried with backoff, and ccxt
 * resubscribes on the next call. Each book update becomes a snapshot of its top levels.
 */
import ccxt from 'ccxt';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FeedConfig } from '../config/schema.js';
import type { Feed, FeedState, Instrument, Level, MarketEvent } from '../market/events.js';
import { EventQueue } from './event-queue.js';

export type CcxtFeedConfig = Extract<FeedConfig, { type: 'ccxt' }>;

const BACKOFF_FIRST_MS = 100;
const BACKOFF_MAX_MS = 5000;

// The part of a ccxt.pro exchange this feed uses; ccxt's own types are wider than we need.
interface ProExchange {
  readonly has: Record<string, boolean | 'emulated' | undefined>;
  readonly markets: Record<string, { precision?: { price?: number; amount?: number } }> | undefined;
  loadMarkets(): Promise<unknown>;
  loadHttpProxyAgent(): Promise<unknown>;
  watchOrderBook(symbol: string): Promise<{ bids: [number, number][]; asks: [number, number][]; timestamp?: number; nonce?: number }>;
  watchTrades(symbol: string): Promise<{ id?: string; timestamp?: number; price: number; amount: number; side: 'buy' | 'sell' }[]>;
  watchTicker(symbol: string): Promise<{ last?: number; baseVolume?: number; timestamp?: number }>;
  close(): Promise<void>;
}

type Stream = 'book' | 'trades' | 'ticker';

function nowNs(): number {
  return Number(process.hrtime.bigint());
}

export class CcxtFeed implements Feed {
  readonly name: string;
  readonly symbols: readonly string[];
  private readonly queue = new EventQueue<MarketEvent>();
  private readonly loops: Promise<void>[] = [];
  private readonly sequences = new Map<string, number>();
  private readonly live = new Set<string>();
  private started = false;
  private closed = false;

  private constructor(private readonly config: CcxtFeedConfig, private readonly exchange: ProExchange) {
    this.name = config.name ?? config.exchange;
    this.symbols = config.symbols;
  }

  /** Builds the exchange client; an id ccxt.pro does not know, or one without websocket books, fails here. */
  static open(config: CcxtFeedConfig): CcxtFeed {
    const classes = ccxt.pro as unknown as Record<string, (new (options: Record<string, unknown>) => ProExchange) | undefined>;
    const ids = Object.keys(classes);
    const Exchange = Object.hasOwn(classes, config.exchange) ? classes[config.exchange] : undefined;
    if (!Exchange) {
      throw new Error(`ccxt has no websocket exchange '${config.exchange}'; the ${ids.length} it has are the keys of ccxt.pro (binance, bybit, okx, kraken, ...)`);
    }
    // Rate limiting off by default: ccxt 4.5's throttled websocket subscribe leaves the send's
    // rejection unhandled when the socket closes meanwhile, which would end the engine's process.
    // A feed makes one REST call (the markets) per connection; ccxtOptions can turn it back on.
    const exchange = new Exchange({ enableRateLimit: false, ...config.ccxtOptions });
    if (!exchange.has.watchOrderBook) throw new Error(`ccxt's ${config.exchange} has no watchOrderBook: it cannot feed books`);
    return new CcxtFeed(config, exchange);
  }

  events(): AsyncIterable<MarketEvent> {
    if (!this.started) {
      this.started = true;
      this.queue.push({ type: 'status', feed: this.name, state: 'connecting' });
      for (const symbol of this.symbols) {
        this.loops.push(this.loop(symbol, 'book'));
        if (this.exchange.has.watchTrades) this.loops.push(this.loop(symbol, 'trades'));
        if (this.exchange.has.watchTicker) this.loops.push(this.loop(symbol, 'ticker'));
      }
    }
    return this.queue;
  }

  instrument(symbol: string): Instrument | undefined {
    const precision = this.exchange.markets?.[symbol]?.precision;
    return precision?.price && precision.amount ? { tickSize: precision.price, lotSize: precision.amount } : undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.exchange.close().catch(() => undefined); // a client that never connected may refuse
    await Promise.all(this.loops);
    this.queue.end();
  }

  /** One watch loop: emit what each call returns; on a failure report it, back off, call again. */
  private async loop(symbol: string, stream: Stream): Promise<void> {
    let backoffMs = BACKOFF_FIRST_MS;
    while (!this.closed) {
      try {
        // ccxt needs its http agent loaded before it opens a plain ws:// url (local venues, tests).
        await this.exchange.loadHttpProxyAgent();
        await this.exchange.loadMarkets();
        await this.watchOnce(symbol, stream);
        backoffMs = BACKOFF_FIRST_MS;
      } catch (error) {
        if (this.closed) return;
        if (error instanceof ccxt.BadSymbol) {
          this.status('down', symbol, (error as Error).message);
          return;
        }
        // The book loop speaks for the symbol: trades and tickers just retry with it.
        if (stream === 'book') {
          this.status(this.live.has(symbol) ? 'reconnecting' : 'down', symbol, (error as Error).message);
          this.live.delete(symbol);
        }
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, BACKOFF_MAX_MS);
      }
    }
  }

  private async watchOnce(symbol: string, stream: Stream): Promise<void> {
    const exchange = this.exchange;
    if (stream === 'book') {
      const book = await exchange.watchOrderBook(symbol);
      if (this.closed) return;
      const sequence = typeof book.nonce === 'number' ? book.nonce : (this.sequences.get(symbol) ?? 0) + 1;
      this.sequences.set(symbol, sequence);
      const top = (levels: [number, number][]): Level[] => levels.slice(0, this.config.depth).map(([price, size]) => [price, size] as const);
      this.queue.push({ type: 'snapshot', symbol, exchangeTsMs: book.timestamp ?? Date.now(), receiveTsNs: nowNs(), sequence, bids: top(book.bids), asks: top(book.asks) });
      if (!this.live.has(symbol)) {
        this.live.add(symbol);
        this.status('live', symbol);
      }
    } else if (stream === 'trades') {
      // ccxt.pro returns only the trades that arrived since the previous call.
      const trades = await exchange.watchTrades(symbol);
      if (this.closed) return;
      const receiveTsNs = nowNs();
      for (const t of trades) {
        this.queue.push({ type: 'trade', symbol, exchangeTsMs: t.timestamp ?? Date.now(), receiveTsNs, id: String(t.id ?? ''), price: t.price, size: t.amount, side: t.side === 'sell' ? 'sell' : 'buy' });
      }
    } else {
      const ticker = await exchange.watchTicker(symbol);
      if (this.closed || ticker.last === undefined) return;
      this.queue.push({ type: 'ticker', symbol, exchangeTsMs: ticker.timestamp ?? Date.now(), receiveTsNs: nowNs(), last: ticker.last, volume24h: ticker.baseVolume ?? 0 });
    }
  }

  private status(state: FeedState, symbol: string, reason?: string): void {
    this.queue.push({ type: 'status', feed: this.name, symbol, state, ...(reason === undefined ? {} : { reason }) });
  }
}
