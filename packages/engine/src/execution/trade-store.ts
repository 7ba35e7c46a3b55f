/**
 * Fills and positions in SQLite (better-sqlite3, WAL), written by the main thread from the
 * hot loop's records: the hot loop itself never touches a file. Positions are upserted, one
 * row per strategy and symbol; fills are appended.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ReportKind } from '@cwts/shm-layout';
import type { Report } from '@cwts/py-bridge';
import type { PositionRecord } from './record-ring.js';

export interface StoredPosition {
  readonly strategyId: number;
  readonly symbol: string;
  readonly size: number;
  readonly avgPrice: number;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly updatedMs: number;
}

export interface StoredFill {
  readonly strategyId: number;
  readonly symbol: string;
  readonly clientOrderId: number;
  readonly orderId: number;
  readonly price: number;
  readonly size: number;
  readonly timeMs: number;
}

export class TradeStore {
  private readonly db: Database.Database;
  private readonly insertFill: Database.Statement;
  private readonly upsertPosition: Database.Statement;

  constructor(readonly path: string, private readonly symbolName: (index: number) => string) {
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.db = new Database(path);
    } catch (error) {
      throw new Error(`cannot open the trade database ${path}: ${(error as Error).message}`, { cause: error });
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS fills (
        time_ms INTEGER NOT NULL, strategy_id INTEGER NOT NULL, symbol TEXT NOT NULL,
        client_order_id INTEGER NOT NULL, order_id INTEGER NOT NULL, price REAL NOT NULL, size REAL NOT NULL);
      CREATE TABLE IF NOT EXISTS positions (
        strategy_id INTEGER NOT NULL, symbol TEXT NOT NULL, size REAL NOT NULL, avg_price REAL NOT NULL,
        realized_pnl REAL NOT NULL, unrealized_pnl REAL NOT NULL, updated_ms INTEGER NOT NULL,
        PRIMARY KEY (strategy_id, symbol)) WITHOUT ROWID;`);
    this.insertFill = this.db.prepare('INSERT INTO fills VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.upsertPosition = this.db.prepare(`INSERT INTO positions VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (strategy_id, symbol) DO UPDATE SET size = excluded.size, avg_price = excluded.avg_price,
      realized_pnl = excluded.realized_pnl, unrealized_pnl = excluded.unrealized_pnl, updated_ms = excluded.updated_ms`);
  }

  /** A report; only fills are kept. */
  report(report: Report): void {
    if ((report.kind !== ReportKind.FILLED && report.kind !== ReportKind.PARTIALLY_FILLED) || report.fillSize <= 0) return;
    this.insertFill.run(Date.now(), report.strategyId, this.symbolName(report.symbolIndex), report.clientOrderId, report.orderId, report.fillPrice, report.fillSize);
  }

  position(p: PositionRecord): void {
    this.upsertPosition.run(p.strategyId, this.symbolName(p.symbolIndex), p.size, p.avgPrice, p.realizedPnl, p.unrealizedPnl, Date.now());
  }

  positions(): StoredPosition[] {
    return (this.db.prepare('SELECT * FROM positions ORDER BY strategy_id, symbol').all() as Record<string, number | string>[]).map((r) => ({
      strategyId: r.strategy_id as number, symbol: r.symbol as string, size: r.size as number, avgPrice: r.avg_price as number,
      realizedPnl: r.realized_pnl as number, unrealizedPnl: r.unrealized_pnl as number, updatedMs: r.updated_ms as number,
    }));
  }

  fills(): StoredFill[] {
    return (this.db.prepare('SELECT * FROM fills ORDER BY rowid').all() as Record<string, number | string>[]).map((r) => ({
      strategyId: r.strategy_id as number, symbol: r.symbol as string, clientOrderId: r.client_order_id as number, orderId: r.order_id as number,
      price: r.price as number, size: r.size as number, timeMs: r.time_ms as number,
    }));
  }

  close(): void {
    this.db.close();
  }
}
