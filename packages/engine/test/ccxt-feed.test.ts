import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { MarketDataReader, Segment } from '@cwts/py-bridge';
import { SymbolStatus } from '@cwts/shm-layout';
import { CcxtFeed, type CcxtFeedConfig } from '../src/feeds/ccxt-feed.js';
import { Engine } from '../src/engine.js';
import type { BookSnapshot, FeedStatus, Level, MarketEvent, Ticker, Trade } from '../src/market/events.js';
import { FakeBybit, loadSession, type Session } from './fake-exchange/fake-bybit.js';

const SESSION = loadSession(fileURLToPath(new URL('./fixtures/bybit-session.json', import.meta.url)));

interface Book {
  bids: Level[];
  asks: Level[];
}

/** The books the session implies, from its own messages, one after each: a snapshot replaces, a delta's size 0 removes. */
function impliedBooks(session: Session, topic: string): Book[] {
  const sides = { b: new Map<number, number>(), a: new Map<number, number>() };
  const sorted = (m: Map<number, number>, desc: boolean): Level[] => [...m].sort((x, y) => (desc ? y[0] - x[0] : x[0] - y[0]));
  return session.messages.filter((m) => m.topic === topic).map((m) => {
    const data = m.data as { b: [string, string][]; a: [string, string][] };
    if (m.type === 'snapshot') (sides.b.clear(), sides.a.clear());
    for (const side of ['b', 'a'] as const) {
      for (const [p, s] of data[side]) Number(s) === 0 ? sides[side].delete(Number(p)) : sides[side].set(Number(p), Number(s));
    }
    return { bids: sorted(sides.b, true), asks: sorted(sides.a, false) };
  });
}

function expectedBook(session: Session, topic: string): Book {
  return impliedBooks(session, topic).at(-1)!;
}

/** Collects events until `done` says so (or the time runs out). */
async function collect(feed: CcxtFeed, done: (events: MarketEvent[]) => boolean, timeoutMs = 8000): Promise<MarketEvent[]> {
  const events: MarketEvent[] = [];
  const deadline = setTimeout(() => void feed.close(), timeoutMs);
  for await (const event of feed.events()) {
    events.push(event);
    if (done(events)) break;
  }
  clearTimeout(deadline);
  return events;
}

describe('the ccxt feed, against a local fake speaking Bybit v5', () => {
  let fake: FakeBybit | undefined;
  let feed: CcxtFeed | undefined;
  afterEach(async () => {
    await feed?.close();
    await fake?.stop();
    feed = fake = undefined;
  });

  const config = (extra: Partial<CcxtFeedConfig> = {}): CcxtFeedConfig => ({ type: 'ccxt', exchange: 'bybit', symbols: ['BTC/USDT', 'ETH/USDT'], depth: 50, ccxtOptions: fake!.ccxtOptions(), ...extra });
  const books = (events: MarketEvent[], symbol: string): BookSnapshot[] => events.filter((e): e is BookSnapshot => e.type === 'snapshot' && e.symbol === symbol);

  it('turns the real ccxt client\'s books, trades and tickers into feed events', async () => {
    fake = await FakeBybit.start(SESSION);
    feed = CcxtFeed.open(config());
    const btc = expectedBook(SESSION, 'orderbook.50.BTCUSDT');
    const eth = expectedBook(SESSION, 'orderbook.50.ETHUSDT');
    const events = await collect(feed, (ev) => {
      const last = (s: string) => books(ev, s).at(-1);
      return JSON.stringify(last('BTC/USDT')?.bids) === JSON.stringify(btc.bids) && JSON.stringify(last('BTC/USDT')?.asks) === JSON.stringify(btc.asks) &&
        JSON.stringify(last('ETH/USDT')?.asks) === JSON.stringify(eth.asks) && ev.filter((e) => e.type === 'trade').length >= 3 && ev.some((e) => e.type === 'ticker');
    });
    expect(events[0]).toEqual({ type: 'status', feed: 'bybit', state: 'connecting' });
    const statuses = events.filter((e): e is FeedStatus => e.type === 'status');
    expect(statuses.filter((s) => s.state === 'live').map((s) => s.symbol).sort()).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(books(events, 'BTC/USDT').at(-1)).toMatchObject({ bids: btc.bids, asks: btc.asks, exchangeTsMs: 1795300000021 });
    expect(books(events, 'ETH/USDT').at(-1)).toMatchObject({ bids: eth.bids, asks: eth.asks });
    // Every book is one the session implies, in the session's order (ccxt may merge updates that come together).
    for (const [symbol, topic] of [['BTC/USDT', 'orderbook.50.BTCUSDT'], ['ETH/USDT', 'orderbook.50.ETHUSDT']] as const) {
      const implied = impliedBooks(SESSION, topic).map((b) => JSON.stringify(b));
      const positions = books(events, symbol).map((b) => implied.indexOf(JSON.stringify({ bids: b.bids, asks: b.asks })));
      expect(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!))).toBe(true);
    }
    // Sequences go up by one per book update of a symbol (ccxt's Bybit book carries no nonce).
    expect(books(events, 'BTC/USDT').map((b) => b.sequence)).toEqual(books(events, 'BTC/USDT').map((_, i) => i + 1));
    const trades = events.filter((e): e is Trade => e.type === 'trade');
    expect(trades.map((t) => [t.id, t.price, t.size, t.side, t.exchangeTsMs])).toEqual([
      ['2290000000012345', 64000.2, 0.3, 'buy', 1795300000009],
      ['2290000000012346', 64000.1, 0.2, 'sell', 1795300000019],
      ['2290000000012347', 64000, 0.4, 'sell', 1795300000019],
    ]);
    const ticker = events.find((e): e is Ticker => e.type === 'ticker');
    expect(ticker).toMatchObject({ symbol: 'BTC/USDT', last: 64000.2, volume24h: 1234.567 });
    expect(feed.instrument('BTC/USDT')).toEqual({ tickSize: 0.01, lotSize: 0.000001 });
    expect(fake.subscriptions).toEqual(expect.arrayContaining(['orderbook.50.BTCUSDT', 'publicTrade.BTCUSDT', 'tickers.BTCUSDT', 'orderbook.50.ETHUSDT']));
  });

  it('reports reconnecting when the exchange drops the socket, then resubscribes and books flow again', async () => {
    fake = await FakeBybit.start(SESSION);
    feed = CcxtFeed.open(config({ symbols: ['BTC/USDT'], depth: 2 }));
    const btc = expectedBook(SESSION, 'orderbook.50.BTCUSDT');
    const top2 = { bids: btc.bids.slice(0, 2), asks: btc.asks.slice(0, 2) };
    const isFinal = (e: MarketEvent): boolean => e.type === 'snapshot' && JSON.stringify([e.bids, e.asks]) === JSON.stringify([top2.bids, top2.asks]);
    let dropped = false;
    const events = await collect(feed, (ev) => {
      if (!dropped && ev.some(isFinal) && ev.some((e) => e.type === 'ticker')) {
        dropped = true;
        fake!.dropConnections();
      }
      const reconnecting = ev.findIndex((e) => e.type === 'status' && e.state === 'reconnecting');
      if (reconnecting < 0) return false;
      // The replay after the resubscription ends with the ticker, after the trades it repeats.
      const after = ev.slice(reconnecting + 1);
      return after.some((e) => e.type === 'status' && e.state === 'live') && after.some(isFinal) && after.some((e) => e.type === 'ticker');
    });
    const reconnecting = events.findIndex((e) => e.type === 'status' && e.state === 'reconnecting');
    expect(events[reconnecting]).toMatchObject({ feed: 'bybit', symbol: 'BTC/USDT', state: 'reconnecting', reason: expect.stringMatching(/closed|1006/) });
    expect(events.slice(reconnecting).find((e) => e.type === 'status' && e.state === 'live')).toMatchObject({ symbol: 'BTC/USDT' });
    expect(fake.connections).toBeGreaterThanOrEqual(2);
    expect(fake.subscriptions.filter((t) => t === 'orderbook.50.BTCUSDT').length).toBeGreaterThanOrEqual(2);
    // The top two levels per side, always; the same book again once resynced.
    expect(books(events, 'BTC/USDT').every((b) => b.bids.length <= 2 && b.asks.length <= 2)).toBe(true);
    expect(books(events, 'BTC/USDT').at(-1)).toMatchObject(top2);
    // ccxt's trade cache holds the replayed trades again; the feed emits each trade once.
    expect(events.filter((e): e is Trade => e.type === 'trade').map((t) => t.id)).toEqual(['2290000000012345', '2290000000012346', '2290000000012347']);
  });

  it('says the symbols are down while the exchange cannot be reached, and goes live once it can', async () => {
    fake = await FakeBybit.start(SESSION);
    const { port } = fake;
    const options = fake.ccxtOptions();
    await fake.stop();
    fake = undefined;
    feed = CcxtFeed.open({ type: 'ccxt', exchange: 'bybit', symbols: ['BTC/USDT'], depth: 50, ccxtOptions: options });
    let restarted: Promise<FakeBybit> | undefined;
    const events = await collect(feed, (ev) => {
      if (!restarted && ev.filter((e) => e.type === 'status' && e.state === 'down').length >= 2) restarted = FakeBybit.start(SESSION, { port });
      return ev.some((e) => e.type === 'snapshot');
    });
    fake = await restarted;
    expect(events[0]).toEqual({ type: 'status', feed: 'bybit', state: 'connecting' });
    expect(events[1]).toMatchObject({ feed: 'bybit', symbol: 'BTC/USDT', state: 'down', reason: expect.stringMatching(/ECONNREFUSED/) });
    // Down on every retry until the venue answers, then live and the book.
    expect(events.slice(1, -2).every((e) => e.type === 'status' && e.state === 'down')).toBe(true);
    expect(events.slice(-2)).toMatchObject([{ type: 'status', symbol: 'BTC/USDT', state: 'live' }, { type: 'snapshot', symbol: 'BTC/USDT' }]);
  });

  it('closes promptly in the middle of a long backoff, ending the events', async () => {
    fake = await FakeBybit.start(SESSION);
    const options = fake.ccxtOptions();
    await fake.stop();
    fake = undefined;
    feed = CcxtFeed.open({ type: 'ccxt', exchange: 'bybit', symbols: ['BTC/USDT'], depth: 50, ccxtOptions: options });
    const iterator = feed.events()[Symbol.asyncIterator]();
    // Backoffs of 100, 200, 400 and 800 ms: the fifth failure starts one of 1.6 s.
    for (let downs = 0; downs < 5; ) {
      const { value } = await iterator.next();
      if (value?.type === 'status' && value.state === 'down') downs++;
    }
    const next = iterator.next();
    const started = performance.now();
    await feed.close();
    expect(performance.now() - started).toBeLessThan(300);
    await expect(next).resolves.toEqual({ done: true, value: undefined });
    await expect(feed.close()).resolves.toBeUndefined();
  });

  it('closes cleanly while ccxt is still sending subscriptions', async () => {
    fake = await FakeBybit.start(SESSION);
    feed = CcxtFeed.open(config());
    // Six subscriptions go out rate-limited; the first book arrives before the last is sent.
    await collect(feed, (ev) => ev.some((e) => e.type === 'status' && e.state === 'live'));
    await feed.close();
    await fake.stop();
    fake = undefined;
    // A send left waiting would fail now, as an unhandled rejection that fails this run.
    await sleep(200);
  });

  it('stops a symbol the exchange does not list, and keeps the others', async () => {
    fake = await FakeBybit.start(SESSION);
    feed = CcxtFeed.open(config({ symbols: ['NOPE/USDT', 'BTC/USDT'] }));
    const events = await collect(feed, (ev) => books(ev, 'BTC/USDT').length >= 3);
    const nope = events.filter((e): e is FeedStatus => e.type === 'status' && e.symbol === 'NOPE/USDT');
    expect(nope).toEqual([{ type: 'status', feed: 'bybit', symbol: 'NOPE/USDT', state: 'down', reason: expect.stringContaining('NOPE/USDT') }]);
    expect(fake.subscriptions.some((t) => t.includes('NOPE'))).toBe(false);
  });

  it('ends the events with the error when the config is wrong rather than retrying forever', async () => {
    fake = await FakeBybit.start(SESSION);
    feed = CcxtFeed.open(config({ ccxtOptions: { ...fake.ccxtOptions(), options: { fetchMarkets: { types: ['spots'] } } } }));
    const seen: MarketEvent[] = [];
    const consume = async (): Promise<void> => {
      for await (const event of feed!.events()) seen.push(event);
    };
    await expect(consume()).rejects.toThrow(/"spots" is not a supported market type/);
    expect(seen).toEqual([{ type: 'status', feed: 'bybit', state: 'connecting' }]);
  });

  it('drives the engine: the session\'s books end up in the segment, flagged live', async () => {
    fake = await FakeBybit.start(SESSION);
    const name = `cwts-ccxt-test-${process.pid}`;
    const engine = await Engine.start({ segment: { name }, feeds: [{ type: 'ccxt', exchange: 'bybit', symbols: ['BTC/USDT', 'ETH/USDT'], ccxtOptions: fake.ccxtOptions() }], candles: { database: ':memory:' }, execution: { database: ':memory:' }, audit: { database: ':memory:' }, modes: { stateFile: join(tmpdir(), `${name}.mode.json`) } });
    try {
      const btc = expectedBook(SESSION, 'orderbook.50.BTCUSDT');
      const reader = new MarketDataReader(Segment.attach(name));
      const deadline = Date.now() + 8000;
      while (Date.now() < deadline && !(reader.read(0).bid === btc.bids[0]![0] && reader.read(0).bidDepth === btc.bids.length && reader.read(0).ask === btc.asks[0]![0])) await sleep(20);
      const slot = reader.read(0);
      expect(slot).toMatchObject({ name: 'BTC/USDT', venue: 'bybit', bid: btc.bids[0]![0], ask: btc.asks[0]![0], bidDepth: btc.bids.length, askDepth: btc.asks.length });
      expect(slot.status & ~SymbolStatus.ACTIVE).toBe(0);
      expect(reader.read(1).name).toBe('ETH/USDT');
    } finally {
      await engine.stop();
    }
  });

  it('refuses an exchange ccxt.pro does not have, or one that cannot watch books, naming it', () => {
    const open = (exchange: string) => () => CcxtFeed.open({ type: 'ccxt', exchange, symbols: ['BTC/USDT'], depth: 50, ccxtOptions: {} });
    expect(open('nosuchexchange')).toThrow(/no exchange 'nosuchexchange': ccxt\.pro\.exchanges lists/);
    expect(open('bit2c')).toThrow(/no exchange 'bit2c'/); // REST only
    expect(open('exchanges')).toThrow(/no exchange 'exchanges'/);
    expect(open('constructor')).toThrow(/no exchange 'constructor'/);
    expect(open('mudrex')).toThrow(/mudrex has no watchOrderBook/);
  });
});
