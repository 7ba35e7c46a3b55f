/**
 * The engine's events on ZeroMQ PUB sockets (one per endpoint), in the schema of schema.ts:
 * reports, fills, positions with P&L, mode changes, breaker trips, kill events, risk
 * refusals, approvals, limit updates, a periodic health event, model outputs, fusion
 * decisions, and books.
 *
 * Books are conflated: an update only marks its symbol dirty, and once per turn of the event
 * loop each dirty symbol's latest book is read from the segment (one seqlock snapshot) and
 * sent. A subscriber never gets a backlog of old books, and a burst costs one message per
 * symbol. Nothing here waits on a subscriber: libzmq drops at a subscriber's high-water mark
 * (the subscriber sees the gap in `seq`), the outbox drops beyond its limit and counts.
 */
import { Publisher, type Context } from 'zeromq';
import { MarketDataReader, type BookSnapshot, type Segment, type SymbolSnapshot } from '@cwts/py-bridge';
import { BOOK_DEPTH, SymbolStatus } from '@cwts/shm-layout';
import type { Engine } from '../engine.js';
import type { NetworkConfig } from '../config/schema.js';
import type { CurveKeyPair } from './curve-keys.js';
import { bindEach } from './endpoint-binding.js';
import { Outbox } from './outbox.js';
import { bookTopic, encodeEvent, wireReport } from './schema.js';

const SNAPSHOT_ATTEMPTS = 100;

export interface PublicationCounts {
  readonly published: number;
  /** Dropped in the engine because a socket fell behind by the high-water mark. */
  readonly dropped: number;
  readonly failed: number;
  readonly booksConflated: number;
}

export class EventPublication {
  private readonly outboxes: Outbox[] = [];
  private readonly seq = new Map<string, number>();
  private readonly dirtyBooks = new Set<number>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly reader: MarketDataReader;
  private readonly bids = new Float64Array(BOOK_DEPTH * 2);
  private readonly asks = new Float64Array(BOOK_DEPTH * 2);
  private flushScheduled = false;
  private healthTimer: NodeJS.Timeout | undefined;
  private published = 0;
  private booksConflated = 0;

  private constructor(
    private readonly sockets: Publisher[],
    private readonly engine: Engine,
    segment: Segment,
    private readonly config: NetworkConfig,
    private readonly networkCounts: () => Record<string, unknown>,
  ) {
    this.reader = new MarketDataReader(segment);
    for (const socket of sockets) this.outboxes.push(new Outbox(socket, config.highWaterMark));
  }

  static async open(context: Context, engine: Engine, segment: Segment, config: NetworkConfig, curve: CurveKeyPair | undefined, networkCounts: () => Record<string, unknown>): Promise<EventPublication> {
    const sockets = await bindEach(config.publish, () => new Publisher({ context, linger: 0, sendHighWaterMark: config.highWaterMark }), curve);
    const publication = new EventPublication(sockets, engine, segment, config, networkCounts);
    publication.listen();
    return publication;
  }

  private listen(): void {
    const e = this.engine;
    this.unsubscribe.push(
      e.on('report', (report) => {
        const wire = wireReport(report, e.symbolName(report.symbolIndex));
        this.publish('report', wire);
        if (report.fillSize > 0) {
          this.publish('fill', { strategyId: wire.strategyId, clientOrderId: wire.clientOrderId, orderId: wire.orderId, symbol: wire.symbol, size: wire.fillSize, price: wire.fillPrice, cumulativeFilled: wire.cumulativeFilled, remaining: wire.remaining });
        }
      }),
      e.on('position', (p) => this.publish('position', { strategyId: p.strategyId, symbol: e.symbolName(p.symbolIndex), size: p.size, avgPrice: p.avgPrice, realizedPnl: p.realizedPnl, unrealizedPnl: p.unrealizedPnl })),
      e.on('mode', (change) => this.publish('mode', change)),
      e.on('breaker', (trip) => this.publish('breaker', trip)),
      e.on('kill', (event) => this.publish('kill', event)),
      e.on('risk', (event) => this.publish('risk', event)),
      e.on('approval', (event) => this.publish('approval', event)),
      e.on('limit', (update) => this.publish('limit', update)),
      // The model's output without its feature vector: what a strategy acts on.
      e.on('model', (m) => this.publish('model', { model: m.model, symbol: m.symbol, pUp: m.pUp, side: m.side ?? null, confidence: m.confidence, atMs: m.atMs, order: m.order ?? null })),
      e.on('fusion', (outcome) => this.publish('fusion', outcome)),
      e.on('book', (book) => this.bookChanged(book.index)),
    );
    this.healthTimer = setInterval(() => this.publish('health', this.health()), this.config.healthMs);
  }

  private publish(topic: string, data: unknown): void {
    const seq = (this.seq.get(topic) ?? 0) + 1;
    this.seq.set(topic, seq);
    const frames = encodeEvent(topic, seq, data);
    for (const outbox of this.outboxes) outbox.push(frames);
    this.published++;
  }

  private bookChanged(index: number): void {
    if (this.dirtyBooks.has(index)) this.booksConflated++;
    this.dirtyBooks.add(index);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flushBooks());
  }

  private flushBooks(): void {
    this.flushScheduled = false;
    const depth = this.config.bookDepth;
    const retry: number[] = [];
    for (const index of this.dirtyBooks) {
      const snapshot = this.snapshot(index);
      if (!snapshot) {
        retry.push(index);
        continue;
      }
      const { symbol, book } = snapshot;
      const levels = (from: Float64Array, n: number): [number, number][] => Array.from({ length: Math.min(n, depth) }, (_, j) => [from[2 * j]!, from[2 * j + 1]!]);
      this.publish(bookTopic(symbol.name), {
        symbol: symbol.name, updateCount: book.updateCount, bids: levels(this.bids, book.bidDepth), asks: levels(this.asks, book.askDepth),
        stale: (book.status & SymbolStatus.STALE) !== 0, status: book.status, last: symbol.last, publishTsNs: symbol.publishTsNs,
      });
    }
    this.dirtyBooks.clear();
    for (const index of retry) this.bookChanged(index);
  }

  /** The levels and the slot's fields of one and the same update (each read is one seqlock pass; both must agree). */
  private snapshot(index: number): { symbol: SymbolSnapshot; book: BookSnapshot } | undefined {
    for (let attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
      const book = this.reader.readBook(index, this.bids, this.asks);
      const symbol = this.reader.read(index);
      if (symbol.updateCount === book.updateCount) return { symbol, book };
    }
    return undefined; // the writer kept moving: try again on the next turn
  }

  private health(): Record<string, unknown> {
    const state = this.engine.state();
    return {
      pid: state.pid,
      uptimeSeconds: state.uptimeSeconds,
      mode: this.engine.mode,
      killEngaged: this.engine.killEngaged,
      symbols: state.symbols.length,
      staleSymbols: state.symbols.filter((s) => s.flags & SymbolStatus.STALE).map((s) => s.symbol),
      publishLatencyNs: state.publishLatencyNs,
      network: this.networkCounts(),
    };
  }

  get counts(): PublicationCounts {
    const sum = (key: 'dropped' | 'failed'): number => this.outboxes.reduce((n, o) => n + o[key], 0);
    return { published: this.published, dropped: sum('dropped'), failed: sum('failed'), booksConflated: this.booksConflated };
  }

  close(): void {
    clearInterval(this.healthTimer);
    for (const off of this.unsubscribe) off();
    for (const socket of this.sockets) socket.close();
  }
}
