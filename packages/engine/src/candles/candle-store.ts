/**
 * Candles in SQLite (better-sqlite3, WAL): one row per symbol, timeframe and open time,
 * upserted, so a candle flushed while open is completed by its later write.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Candle, CandleSink } from './candle-builder.js';
import type { Timeframe } from './timeframes.js';

export interface CandleQuery {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Candles opening at or after this UTC ms. */
  readonly sinceMs?: number;
  /** At most this many, the oldest first; without `sinceMs`, the most recent ones. */
  readonly limit?: number;
}

interface CandleRow {
  symbol: string;
  timeframe: Timeframe;
  open_time_ms: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  trades: number;
}

export class CandleStore implements CandleSink {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement<[string, string, number, number, number, number, number, number, number]>;
  private readonly writeMany: (candles: readonly Candle[]) => void;

  constructor(readonly path: string) {
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.db = new Database(path);
    } catch (error) {
      throw new Error(`cannot open the candle database ${path}: ${(error as Error).message}`, { cause: error });
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS candles (
      symbol TEXT NOT NULL, timeframe TEXT NOT NULL, open_time_ms INTEGER NOT NULL,
      open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL,
      volume REAL NOT NULL, trades INTEGER NOT NULL,
      PRIMARY KEY (symbol, timeframe, open_time_ms)) WITHOUT ROWID`);
    this.upsert = this.db.prepare(`INSERT INTO candles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (symbol, timeframe, open_time_ms) DO UPDATE SET
      open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
      volume = excluded.volume, trades = excluded.trades`);
    this.writeMany = this.db.transaction((candles: readonly Candle[]) => {
      for (const c of candles) this.upsert.run(c.symbol, c.timeframe, c.openTimeMs, c.open, c.high, c.low, c.close, c.volume, c.trades);
    });
  }

  write(candles: readonly Candle[]): void {
    if (candles.length) this.writeMany(candles);
  }

  query({ symbol, timeframe, sinceMs, limit = 1000 }: CandleQuery): Candle[] {
    const rows = (sinceMs === undefined
      ? this.db.prepare('SELECT * FROM (SELECT * FROM candles WHERE symbol = ? AND timeframe = ? ORDER BY open_time_ms DESC LIMIT ?) ORDER BY open_time_ms').all(symbol, timeframe, limit)
      : this.db.prepare('SELECT * FROM candles WHERE symbol = ? AND timeframe = ? AND open_time_ms >= ? ORDER BY open_time_ms LIMIT ?').all(symbol, timeframe, sinceMs, limit)) as CandleRow[];
    return rows.map((r) => ({ symbol: r.symbol, timeframe: r.timeframe, openTimeMs: r.open_time_ms, open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume, trades: r.trades }));
  }

  close(): void {
    this.db.close();
  }
}
