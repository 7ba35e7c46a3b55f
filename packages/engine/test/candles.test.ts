import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CandleBuilder, type Candle } from '../src/candles/candle-builder.js';
import { CandleStore } from '../src/candles/candle-store.js';
import { timeframeMs } from '../src/candles/timeframes.js';
import type { Trade } from '../src/market/events.js';

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const trade = (ms: number, price: number, size = 1, symbol = 'BTC/USDT'): Trade => ({ type: 'trade', symbol, exchangeTsMs: T0 + ms, receiveTsNs: 0, id: String(ms), price, size, side: 'buy' });

describe('candles', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('knows every FreqTrade timeframe from 1m to 1d', () => {
    expect(timeframeMs('1m')).toBe(60_000);
    expect(timeframeMs('15m')).toBe(900_000);
    expect(timeframeMs('4h')).toBe(14_400_000);
    expect(timeframeMs('1d')).toBe(86_400_000);
  });

  it('builds OHLCV per UTC-aligned timeframe, closes a candle on the first trade of the next, and stores it in SQLite', () => {
    dir = mkdtempSync(join(tmpdir(), 'cwts-candles-'));
    const path = join(dir, 'candles.sqlite');
    const store = new CandleStore(path);
    const closed: Candle[] = [];
    const builder = new CandleBuilder({ timeframes: ['1m', '5m'], store, onClose: (c) => closed.push({ ...c }) });
    builder.onTrade(trade(1_000, 100, 1));
    builder.onTrade(trade(20_000, 105, 2));
    builder.onTrade(trade(40_000, 95, 0.5));
    builder.onTrade(trade(59_999, 101, 1));
    builder.onTrade(trade(60_000, 102, 3)); // next minute: closes the first 1m candle
    expect(closed).toEqual([{ symbol: 'BTC/USDT', timeframe: '1m', openTimeMs: T0, open: 100, high: 105, low: 95, close: 101, volume: 4.5, trades: 4 }]);
    builder.onTrade(trade(30_000, 99, 1)); // older than the open 1m candle, inside the open 5m one
    expect(builder.lateTrades).toBe(1);
    builder.onTrade(trade(61_000, NaN));
    expect(builder.invalidTrades).toBe(1);
    expect(builder.current('BTC/USDT', '5m')).toMatchObject({ open: 100, high: 105, low: 95, close: 102, volume: 8.5, trades: 6 });
    builder.flush();
    store.close();

    const reopened = new CandleStore(path);
    expect(reopened.query({ symbol: 'BTC/USDT', timeframe: '1m' }).map((c) => [c.openTimeMs - T0, c.close])).toEqual([[0, 101], [60_000, 102]]);
    expect(reopened.query({ symbol: 'BTC/USDT', timeframe: '5m' })).toEqual([{ symbol: 'BTC/USDT', timeframe: '5m', openTimeMs: T0, open: 100, high: 105, low: 95, close: 102, volume: 8.5, trades: 6 }]);
    expect(reopened.query({ symbol: 'ETH/USDT', timeframe: '1m' })).toEqual([]);
    reopened.close();
  });

  it('upserts: a candle flushed while open is completed by its later write; queries honour since and limit', () => {
    const store = new CandleStore(':memory:');
    const builder = new CandleBuilder({ timeframes: ['1m'], store });
    for (let minute = 0; minute < 10; minute++) builder.onTrade(trade(minute * 60_000, 100 + minute));
    builder.flush();
    builder.onTrade(trade(9 * 60_000 + 1, 200));
    builder.flush();
    const all = store.query({ symbol: 'BTC/USDT', timeframe: '1m' });
    expect(all).toHaveLength(10);
    expect(all.at(-1)).toMatchObject({ close: 200, high: 200, trades: 2 });
    expect(store.query({ symbol: 'BTC/USDT', timeframe: '1m', limit: 3 }).map((c) => c.open)).toEqual([107, 108, 109]);
    expect(store.query({ symbol: 'BTC/USDT', timeframe: '1m', sinceMs: T0 + 120_000, limit: 2 }).map((c) => c.open)).toEqual([102, 103]);
    store.close();
  });
});
