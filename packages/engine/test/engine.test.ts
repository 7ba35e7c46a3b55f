import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MarketDataReader, Segment } from '@cwts/py-bridge';
import Database from 'better-sqlite3';
import { HeaderFlag, SymbolStatus } from '@cwts/shm-layout';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from './harness.js';
import { ConfigError, loadConfig } from '../src/config/load.js';
import { RecordingWriter } from '../src/feeds/recording.js';
import { Engine, type EngineConfigInput, type PublishedBook } from '../src/index.js';

const NAME = `cwts-engine-test-${process.pid}`;

describe('Engine', () => {
  let dir: string;
  let engine: Engine | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cwts-engine-'));
  });
  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const config = (extra: EngineConfigInput = {}): EngineConfigInput => ({
    segment: { name: NAME },
    candles: { database: join(dir, 'candles.sqlite'), timeframes: ['1m'] },
    execution: { database: join(dir, 'trades.sqlite') },
    audit: { database: join(dir, 'audit.sqlite') },
    modes: { initial: 'FULL_AUTO', stateFile: join(dir, 'mode.json') },
    feeds: [{ type: 'simulated', eventsPerSecond: 'max', seed: 3, startTimeMs: Date.UTC(2026, 0, 1) }],
    ...extra,
  });

  it('publishes the simulated venue into the segment, uncrossed and live, emits events, builds candles, and unlinks on stop', async () => {
    engine = await Engine.start(config());
    const books: PublishedBook[] = [];
    engine.on('book', (b) => books.push(b));
    let trades = 0;
    engine.on('trade', () => trades++);
    await sleep(1000);

    const segment = Segment.attach(NAME);
    const reader = new MarketDataReader(segment);
    expect(reader.symbolCount).toBe(5);
    for (let i = 0; i < reader.symbolCount; i++) {
      const s = reader.read(i);
      expect(s.status & SymbolStatus.ACTIVE).toBeTruthy();
      expect(s.status & (SymbolStatus.STALE | SymbolStatus.CROSSED | SymbolStatus.SEQUENCE_GAP)).toBe(0);
      expect(s.bid).toBeGreaterThan(0);
      expect(s.bid).toBeLessThan(s.ask);
      expect(s.bidDepth).toBe(50);
      expect(s.askDepth).toBe(50);
      expect(s.venue).toBe('sim');
      expect(s.updateCount).toBeGreaterThan(100);
    }
    expect(reader.read(0).name).toBe('BTC/USDT');
    expect(books.length).toBeGreaterThan(1000);
    expect(trades).toBeGreaterThan(100);

    const state = engine.state();
    expect(state.symbols.map((s) => s.symbol)).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT', 'XRP/USDT']);
    expect(state.symbols.reduce((sum, s) => sum + s.updates, 0)).toBeGreaterThan(1000);
    expect(state.publishLatencyNs.count).toBeGreaterThan(0);
    // The venue clock runs 10 µs a step at full speed: a few seconds of candles so far.
    const candles = engine.candles({ symbol: 'BTC/USDT', timeframe: '1m' });
    expect(candles.length).toBeGreaterThan(0);
    expect(candles.at(-1)!.close).toBe(state.symbols[0]!.last);

    const summary = await engine.stop();
    engine = undefined;
    expect(summary.totalUpdates).toBeGreaterThanOrEqual(books.length);
    expect(existsSync(`/dev/shm/${NAME}`)).toBe(false);
  });

  it('writes the open candles to its database every candles.flushMs, so another connection sees the candle in progress', async () => {
    const database = join(dir, 'candles.sqlite');
    engine = await Engine.start(config({ candles: { database, timeframes: ['1h'], flushMs: 100 }, feeds: [{ type: 'simulated', eventsPerSecond: 2000, seed: 3 }] }));
    // Wall-clock pacing: the first hourly candle stays open for the whole test, so only a flush can write it.
    const reader = new Database(database, { readonly: true });
    try {
      const stored = () => reader.prepare("SELECT close, trades FROM candles WHERE symbol = 'BTC/USDT' AND timeframe = '1h' ORDER BY open_time_ms DESC LIMIT 1").get() as { close: number; trades: number } | undefined;
      await until(() => stored() !== undefined, 5000);
      const first = stored()!;
      await until(() => stored()!.trades > first.trades, 5000);
      const open = engine.candles({ symbol: 'BTC/USDT', timeframe: '1h' });
      expect(open).toHaveLength(1);
      expect(stored()!.trades).toBeLessThanOrEqual(open[0]!.trades);
    } finally {
      reader.close();
    }
  });

  it('keeps the segment when configured, marked stopped', async () => {
    engine = await Engine.start(config({ segment: { name: NAME, unlinkOnStop: false } }));
    await sleep(100);
    await engine.stop();
    engine = undefined;
    const segment = Segment.attach(NAME);
    expect(segment.header.symbolCount).toBe(5);
    Segment.unlink(NAME);
  });

  it('refuses a second engine on a live segment', async () => {
    engine = await Engine.start(config());
    await expect(Engine.start(config())).rejects.toThrow(/live|running/);
  });

  it('marks the symbols of a feed that ended stale, and keeps running', async () => {
    const recording = join(dir, 'short.cwtsrec');
    engine = await Engine.start(config({ record: { path: recording }, feeds: [{ type: 'simulated', eventsPerSecond: 20_000 }] }));
    await sleep(300);
    await engine.stop();
    engine = undefined;
    engine = await Engine.start(config({ feeds: [{ type: 'replay', path: recording, speed: 'max' }], validation: { staleAfterMs: 200 } }));
    const statuses: string[] = [];
    engine.on('status', (s) => statuses.push(`${s.state}${s.reason ? `: ${s.reason}` : ''}`));
    await sleep(800);
    expect(statuses).toContain('down: the feed ended');
    const segment = Segment.attach(NAME);
    expect(new MarketDataReader(segment).read(0).status & SymbolStatus.STALE).toBeTruthy();
    expect(engine.state().symbols).toHaveLength(5);
  });

  it('publishes the same sequence of books from two replays of one recording', async () => {
    const recording = join(dir, 'session.cwtsrec');
    engine = await Engine.start(config({ record: { path: recording }, feeds: [{ type: 'simulated', eventsPerSecond: 20_000 }] }));
    await sleep(500);
    await engine.stop();
    engine = undefined;
    const publish = async (): Promise<string[]> => {
      engine = await Engine.start(config({ feeds: [{ type: 'replay', path: recording, speed: 'max' }] }));
      const seen: string[] = [];
      engine.on('book', (b) => seen.push(`${b.symbol} ${b.updateCount} ${b.bid} ${b.ask}`));
      const ended = new Promise<void>((resolve) => engine!.on('feedEnded', () => resolve()));
      await ended;
      await engine.stop();
      engine = undefined;
      return seen;
    };
    const first = await publish();
    const second = await publish();
    expect(first.length).toBeGreaterThan(1000);
    expect(second).toEqual(first);
  });

  it('raises each validation flag in the segment from crafted input, and counts it', async () => {
    const path = join(dir, 'crafted.cwtsrec');
    const writer = new RecordingWriter(path, [{ name: 'x', symbols: ['CROSS/X', 'GAP/X', 'ODD/X', 'QUIET/X'] }]);
    const snapshot = (symbol: string, bid: number, ask: number, sequence = 1) => ({ type: 'snapshot' as const, symbol, exchangeTsMs: 1, receiveTsNs: 0, sequence, bids: [[bid, 1]] as const, asks: [[ask, 1]] as const });
    writer.write(snapshot('CROSS/X', 101, 100));
    writer.write(snapshot('GAP/X', 99, 100));
    writer.write({ type: 'delta', symbol: 'GAP/X', exchangeTsMs: 1, receiveTsNs: 0, sequence: 5, bids: [[99, 2]], asks: [] });
    writer.write(snapshot('ODD/X', 99, 100));
    for (let i = 0; i < 10; i++) writer.write({ type: 'trade', symbol: 'ODD/X', exchangeTsMs: 1, receiveTsNs: 0, id: String(i), price: 100, size: 1, side: 'buy' });
    writer.write({ type: 'trade', symbol: 'ODD/X', exchangeTsMs: 1, receiveTsNs: 0, id: 'x', price: 1000, size: 1, side: 'buy' });
    writer.write({ type: 'delta', symbol: 'ODD/X', exchangeTsMs: 1, receiveTsNs: 0, sequence: 2, bids: [[99, 3]], asks: [] });
    writer.write(snapshot('QUIET/X', 99, 100));
    await writer.close();
    engine = await Engine.start(config({ feeds: [{ type: 'replay', path, speed: 'max' }], validation: { staleAfterMs: 300, outlierWindow: 10, outlierBandPct: 5 } }));
    await new Promise<void>((resolve) => engine!.on('feedEnded', () => resolve()));
    const reader = new MarketDataReader(Segment.attach(NAME));
    const flags = (i: number): number => reader.read(i).status & ~SymbolStatus.ACTIVE & ~SymbolStatus.STALE;
    expect(flags(0)).toBe(SymbolStatus.CROSSED);
    expect(flags(1)).toBe(SymbolStatus.SEQUENCE_GAP);
    expect(flags(2)).toBe(SymbolStatus.OUTLIER);
    expect(flags(3)).toBe(0);
    // The replay has ended: every symbol goes stale.
    await sleep(500);
    for (let i = 0; i < 4; i++) expect(reader.read(i).status & SymbolStatus.STALE).toBeTruthy();
    const counts = engine.state().symbols.map((s) => s.validation);
    expect(counts.map((c) => [c.crossed, c.gap, c.outlier])).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0]]);
    expect(counts.every((c) => c.stale >= 1)).toBe(true);
  });

  it('engages the kill switch from the API, a signal or another process, sets the flag first, and only releases when told', async () => {
    engine = await Engine.start(config());
    const events: string[] = [];
    engine.on('kill', (k) => events.push(`${k.engaged ? 'engaged' : 'released'} by ${k.source}${k.cancelled === undefined ? '' : ' (hot loop)'}`));
    // The hot loop reports each change it sees; waiting for them keeps a busy machine from skipping one.
    const hotLoopSaw = (n: number) => until(() => events.filter((e) => e.includes('hot loop')).length >= n);
    const segment = Segment.attach(NAME);
    const timings: (number | undefined)[] = [];
    engine.on('kill', (k) => timings.push(k.flagSetAfterNs ?? k.cancelAllSentAfterNs));
    engine.engageKill('test');
    expect(segment.hasFlag(HeaderFlag.KILL_ENGAGED)).toBe(true); // set before anything else
    await hotLoopSaw(1);
    // Engaged here: how long the flag and the hot loop's cancel-all took after the call.
    expect(timings.map((t) => typeof t === 'number' && t > 0)).toEqual([true, true]);
    engine.releaseKill('test');
    expect(segment.hasFlag(HeaderFlag.KILL_ENGAGED)).toBe(false);
    await hotLoopSaw(2);
    process.kill(process.pid, 'SIGUSR1');
    await until(() => engine!.killEngaged);
    await hotLoopSaw(3);
    engine.releaseKill();
    await hotLoopSaw(4);
    segment.setFlag(HeaderFlag.KILL_ENGAGED, true); // as `cwts kill engage` does from another process
    await until(() => engine!.killEngaged);
    await hotLoopSaw(5);
    expect(events).toEqual([
      'engaged by api', 'engaged by segment (hot loop)', 'released by api', 'released by segment (hot loop)', 'engaged by signal',
      'engaged by segment (hot loop)', 'released by api', 'released by segment (hot loop)', 'engaged by segment', 'engaged by segment (hot loop)',
    ]);
  });

  it('moves to EMERGENCY when a breaker trips, and leaves it only after an operator resets the breaker', async () => {
    engine = await Engine.start(config({ breakers: { latencyP99Us: 0.001 } })); // any publish latency trips it
    const trips: string[] = [];
    engine.on('breaker', (t) => trips.push(t.breaker));
    await until(() => trips.length > 0);
    expect(trips).toEqual(['latency']);
    expect(engine.mode).toBe('EMERGENCY');
    expect(Segment.attach(NAME).header.controlMode).toBe(3);
    expect(() => engine!.setMode('FULL_AUTO', 'try', { operator: true })).toThrow(/breakers still tripped: latency/);
    expect(Segment.attach(NAME).hasFlag(HeaderFlag.BREAKER_TRIPPED)).toBe(true); // visible to strategies and `cwts status`
    engine.resetBreakers();
    expect(Segment.attach(NAME).hasFlag(HeaderFlag.BREAKER_TRIPPED)).toBe(false);
    engine.setMode('FULL_AUTO', 'recovered', { operator: true });
    expect(engine.mode).toBe('FULL_AUTO');
  });

  it('engages the kill switch from a tripped breaker when configured to', async () => {
    engine = await Engine.start(config({ breakers: { latencyP99Us: 0.001, engageKill: true } }));
    const kills: string[] = [];
    engine.on('kill', (k) => kills.push(`${k.source}: ${k.reason}`));
    await until(() => engine!.killEngaged);
    expect(Segment.attach(NAME).hasFlag(HeaderFlag.KILL_ENGAGED)).toBe(true);
    expect(kills[0]).toMatch(/^breaker: breaker latency tripped: [\d.]+ against a limit of 0\.001$/);
    expect(engine.mode).toBe('EMERGENCY');
  });

  it('fails at start on an invalid config with the path of each bad field and why', async () => {
    await expect(Engine.start({ feeds: [{ type: 'simulated', seed: 1.5, eventsPerSecond: -3 }], segment: { name: 'a/b' } })).rejects.toThrow(ConfigError);
    try {
      await Engine.start({ feeds: [{ type: 'simulated', seed: 1.5, eventsPerSecond: -3 }], segment: { name: 'a/b', mode: '999' }, bogus: 1 } as EngineConfigInput);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/feeds\[0\]\.seed: .*int/i);
      expect(message).toMatch(/feeds\[0\]\.eventsPerSecond: /);
      expect(message).toMatch(/segment\.name: must not contain '\/'/);
      expect(message).toMatch(/segment\.mode: /);
      expect(message).toMatch(/bogus/);
    }
    await expect(Engine.start({ feeds: [{ type: 'carrier-pigeon' }] } as unknown as EngineConfigInput)).rejects.toThrow(/feeds\[0\]\.type/);
    await expect(Engine.start(config({ feeds: [{ type: 'simulated', symbols: [{ symbol: 'A/B', startPrice: 1, tickSize: 0.1, lotSize: 1 }] }, { type: 'simulated', name: 'b', symbols: [{ symbol: 'A/B', startPrice: 1, tickSize: 0.1, lotSize: 1 }] }] }))).rejects.toThrow(/A\/B comes from two feeds/);
    await expect(Engine.start(config({ feeds: [{ type: 'replay', path: join(dir, 'nope') }] }))).rejects.toThrow(/nope/);
    // Unwritable files fail the start and leave no segment behind.
    await expect(Engine.start(config({ record: { path: join(dir, 'no-such-dir', 'x.cwtsrec') } }))).rejects.toThrow(/ENOENT/);
    writeFileSync(join(dir, 'a-file'), '');
    await expect(Engine.start(config({ candles: { database: join(dir, 'a-file', 'c.sqlite') } }))).rejects.toThrow(/cannot open the candle database .*a-file\/c\.sqlite: /);
    expect(existsSync(`/dev/shm/${NAME}`)).toBe(false);
  });

  it('loads JSON and YAML config files, and names the file and field of a bad one', () => {
    const yaml = join(dir, 'engine.yaml');
    writeFileSync(yaml, 'segment:\n  name: from-yaml\nfeeds:\n  - type: simulated\n    seed: 9\n');
    expect(loadConfig(yaml).segment.name).toBe('from-yaml');
    expect(loadConfig(yaml).feeds[0]).toMatchObject({ type: 'simulated', seed: 9, eventsPerSecond: 2000 });
    const json = join(dir, 'engine.json');
    writeFileSync(json, JSON.stringify({ validation: { staleAfterMs: 'soon' } }));
    expect(() => loadConfig(json)).toThrow(/config file .*engine\.json is invalid:\n {2}- validation\.staleAfterMs: /);
    writeFileSync(json, '{ not json');
    expect(() => loadConfig(json)).toThrow(/is not valid JSON/);
    expect(() => loadConfig(join(dir, 'absent.yaml'))).toThrow(/cannot read config file/);
  });
});
