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

/** The book the session implies, from its own messages: snapshot, then deltas (size 0 removes). */
function expectedBook(session: Session, topic: string): { bids: Level[]; asks: Level[] } {
  const sides = { b: new Map<number, number>(), a: new Map<number, number>() };
  for (const m of session.messages.filter((m) => m.topic === topic)) {
    const data = m.data as { b: [string, string][]; a: [string, string][] };
    if (m.type === 'snapshot') (sides.b.clear(), sides.a.clear());
    for (const side of ['b', 'a'] as const) {
      for (const [p, s] of data[side]) Number(s) === 0 ? sides[side].delete(Number(p)) : sides[side].set(Number(p), Number(s));
    }
  }
  const sorted = (m: Map<number, number>, desc: boolean): Level[] => [...m].sort((x, y) => (desc ? y[0] - x[0] : x[0] - y[0]));
  return { bids: sorted(sides.b, true), asks: sorted(sides.a, false) };
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
    // Sequences go up by one per book update of a symbol.
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
    feed = CcxtFeed.open(config({ symbols: ['BTC/USDT'] }));
    let dropped = false;
    const events = await collect(feed, (ev) => {
      if (!dropped && books(ev, 'BTC/USDT').length >= 3) {
        dropped = true;
        fake!.dropConnections();
      }
      const reconnecting = ev.findIndex((e) => e.type === 'status' && e.state === 'reconnecting');
      return reconnecting >= 0 && ev.slice(reconnecting).some((e) => e.type === 'status' && e.state === 'live');
    });
    const reconnecting = events.findIndex((e) => e.type === 'status' && e.state === 'reconnecting');
    expect(reconnecting).toBeGreaterThan(0);
    expect(events[reconnecting]).toMatchObject({ feed: 'bybit', symbol: 'BTC/USDT', state: 'reconnecting' });
    expect(events.slice(reconnecting).find((e) => e.type === 'status' && e.state === 'live')).toMatchObject({ symbol: 'BTC/USDT' });
    expect(fake.connections).toBeGreaterThanOrEqual(2);
    expect(fake.subscriptions.filter((t) => t === 'orderbook.50.BTCUSDT').length).toBeGreaterThanOrEqual(2);
  });

  it('says the exchange is down when it cannot connect, keeps trying, and closes promptly', async () => {
    fake = await FakeBybit.start(SESSION);
    const options = fake.ccxtOptions();
    await fake.stop();
    feed = CcxtFeed.open({ type: 'ccxt', exchange: 'bybit', symbols: ['BTC/USDT'], depth: 50, ccxtOptions: options });
    const events = await collect(feed, (ev) => ev.filter((e) => e.type === 'status' && e.state === 'down').length >= 2);
    const down = events.filter((e): e is FeedStatus => e.type === 'status' && e.state === 'down');
    expect(down[0]).toMatchObject({ feed: 'bybit', symbol: 'BTC/USDT' });
    expect(down[0]!.reason).toMatch(/ECONNREFUSED|connect|fetch failed|NetworkError/i);
    const started = performance.now();
    await feed.close();
    expect(performance.now() - started).toBeLessThan(2000);
    fake = undefined;
  });

  it('drives the engine: the session\'s books end up in the segment, flagged live, with the venue\'s tick and lot', async () => {
    fake = await FakeBybit.start(SESSION);
    const name = `cwts-ccxt-test-${process.pid}`;
    const engine = await Engine.start({ segment: { name }, feeds: [{ type: 'ccxt', exchange: 'bybit', symbols: ['BTC/USDT', 'ETH/USDT'], ccxtOptions: fake.ccxtOptions() }], candles: { database: ':memory:' } });
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

  it('refuses an exchange id ccxt does not have, naming it', () => {
    expect(() => CcxtFeed.open({ type: 'ccxt', exchange: 'nosuchexchange', symbols: ['BTC/USDT'], depth: 50, ccxtOptions: {} })).toThrow(/ccxt has no websocket exchange 'nosuchexchange'/);
    expect(() => CcxtFeed.open({ type: 'ccxt', exchange: 'constructor', symbols: ['BTC/USDT'], depth: 50, ccxtOptions: {} })).toThrow(/no websocket exchange 'constructor'/);
  });
});
