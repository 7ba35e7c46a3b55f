import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { MarketDataReader, Segment } from '@cwts/py-bridge';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { verifyAuditTrail } from '../src/audit/audit-trail.js';
import { Engine } from '../src/engine.js';
import type { Reconciliation } from '../src/execution/reconciliation.js';
import { FakeBybitAccount } from './fake-exchange/fake-bybit-account.js';
import { FakeBybit, loadSession } from './fake-exchange/fake-bybit.js';

const SESSION = loadSession(fileURLToPath(new URL('./fixtures/bybit-session.json', import.meta.url)));
const PYTHON = fileURLToPath(new URL('../../../.venv/bin/python', import.meta.url));

function runPython(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', () => resolve({ stdout, stderr }));
  });
}

/** Deep merge of plain objects (ccxt options of the public and the private fake). */
function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const mine = out[k];
    out[k] = mine && v && typeof mine === 'object' && typeof v === 'object' ? merge(mine as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

// A strategy in its own process: a market buy, then a limit buy it cancels. Prints one JSON line.
const STRATEGY = `
import json, sys, cwts
b = cwts.Bridge.attach(sys.argv[1], stale_after=1.0)
def life(coid):
    out = []
    while not out or out[-1].kind not in (cwts.ReportKind.FILLED, cwts.ReportKind.CANCELLED, cwts.ReportKind.REJECTED):
        r = b.wait_report(coid, timeout=10.0)
        out.append(r)
        if r.kind == cwts.ReportKind.ACCEPTED and len(sys.argv) > 2 and coid == limit_coid[0]:
            b.cancel(coid, "BTC/USDT", strategy_id=1)
    return [[r.kind.name, r.reason, r.fill_price, r.fill_size] for r in out]
limit_coid = [0]
market = b.submit("BTC/USDT", cwts.SignalAction.BUY, 0.01, order_type=cwts.OrderType.MARKET, strategy_id=1)
first = life(market)
limit_coid[0] = b.submit("BTC/USDT", cwts.SignalAction.BUY, 0.01, 60000.0, strategy_id=1)
second = life(limit_coid[0])
print(json.dumps({"market": first, "limit": second, "position": b.position("BTC/USDT", 1).size}))
`;

describe('the live venue through ccxt, against a local fake of Bybit v5 (public and private)', () => {
  let dir: string | undefined;
  let fake: FakeBybit | undefined;
  let account: FakeBybitAccount | undefined;
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.stop();
    await fake?.stop();
    await account?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    engine = fake = account = dir = undefined;
  });

  it("sends a strategy's orders to the exchange, follows them with watchOrders, and reports fills and cancels back", async () => {
    dir = mkdtempSync(join(tmpdir(), 'cwts-live-'));
    fake = await FakeBybit.start(SESSION);
    account = await FakeBybitAccount.start({ BTCUSDT: 64000.2 });
    const orphan = account.placeDirect('cwts999', 'BTCUSDT', 'Sell', 0.5, 70000);
    const name = `cwts-live-test-${process.pid}`;
    const ccxtOptions = merge(fake.ccxtOptions(), account.ccxtOptions());
    engine = await Engine.start({
      segment: { name },
      feeds: [{ type: 'ccxt', exchange: 'bybit', symbols: ['BTC/USDT'], ccxtOptions: fake.ccxtOptions() }],
      execution: { database: join(dir, 'trades.sqlite'), venue: { type: 'ccxt', exchange: 'bybit', ccxtOptions } },
      candles: { database: ':memory:' },
      audit: { database: join(dir, 'audit.sqlite') },
      modes: { initial: 'FULL_AUTO', stateFile: join(dir, 'mode.json') },
      validation: { staleAfterMs: 60_000 },
      risk: { account: { creditLimit: 1e6 }, strategies: { '1': { maxOrderSize: 1, maxOrderValue: 1e5, creditLimit: 1e6, priceCollarPct: 10, maxOrdersPerSecond: 100, duplicateWindowMs: 0, maxFillsPerMinute: 100 } } },
    });
    const atStart = await new Promise<Reconciliation>((resolve) => engine!.on('reconcile', resolve));
    expect(atStart.onlyAtVenue).toEqual([{ clientId: 'cwts999', exchangeId: orphan.orderId, symbol: 'BTC/USDT', remaining: 0.5 }]);
    const reader = new MarketDataReader(Segment.attach(name));
    for (let i = 0; i < 200 && !(reader.read(0).bid > 0); i++) await sleep(25);
    expect(reader.read(0).bid).toBeGreaterThan(0);

    // Asynchronously: the engine's main thread (this process) must keep running to route the orders.
    const run = await runPython(['-c', STRATEGY, name, 'cancel-the-limit']);
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as { market: [string, number, number, number][]; limit: [string, number, number, number][]; position: number };
    expect(result.market).toEqual([['ACCEPTED', 0, 0, 0], ['FILLED', 0, 64000.2, 0.01]]);
    expect(result.limit).toEqual([['ACCEPTED', 0, 0, 0], ['CANCELLED', 0, 0, 0]]);
    expect(result.position).toBeCloseTo(0.01);

    // What the exchange saw: our ids as its client order ids, a create each and one cancel.
    const orders = [...account.orders.values()].filter((o) => o !== orphan);
    expect(orders.map((o) => [o.orderLinkId.startsWith('cwts'), o.side, o.orderType, o.status])).toEqual([[true, 'Buy', 'Market', 'Filled'], [true, 'Buy', 'Limit', 'Cancelled']]);
    expect(account.calls.filter((c) => c.startsWith('POST'))).toEqual(['POST /v5/order/create', 'POST /v5/order/create', 'POST /v5/order/cancel']);
    for (let i = 0; i < 100 && engine.fills().length === 0; i++) await sleep(20);
    expect(engine.fills()).toMatchObject([{ strategyId: 1, symbol: 'BTC/USDT', price: 64000.2, size: 0.01 }]);
    // On demand: the engine has nothing working, the venue still holds the orphan.
    const now = await engine.reconcile();
    expect([now.matched, now.onlyInEngine, now.sizeMismatch, now.onlyAtVenue.map((o) => o.clientId)]).toEqual([0, [], [], ['cwts999']]);
    // Everything went into the audit trail, and its chain holds.
    await engine.stop();
    engine = undefined;
    expect(verifyAuditTrail(join(dir, 'audit.sqlite'))).toEqual({ records: expect.any(Number) });
    const kinds = new Database(join(dir, 'audit.sqlite')).prepare('SELECT kind, COUNT(*) AS n FROM audit GROUP BY kind ORDER BY kind').all();
    expect(kinds).toEqual([{ kind: 'mode', n: 1 }, { kind: 'reconcile', n: 2 }, { kind: 'report', n: 4 }, { kind: 'start', n: 1 }]);
  });
});
