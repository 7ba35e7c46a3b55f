/**
 * The model and fusion inside a running engine, on the simulated venue: model outputs as
 * events, its orders and the fused ones through the signal ring to reports like any
 * strategy's, every fused vote in the audit trail, and a model that does not fit refused
 * before anything starts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RejectReason, ReportKind } from '@cwts/shm-layout';
import { describe, expect, it } from 'vitest';
import { perTestEngine, until } from './harness.js';
// @ts-expect-error: plain ESM build helpers shared with scripts/test.mjs
import { VENV_PYTHON } from '../../../scripts/bootstrap.mjs';
import { Engine, ModelContractError, type EngineConfigInput, type FusionOutcome, type ModelEvent, type Report } from '../src/index.js';

const NAME = `cwts-model-engine-${process.pid}`;
const MODEL = new URL('../models/mid-direction-v1.onnx', import.meta.url).pathname;
// Two strategies in one Python process, each sending a market buy through the ring; prints their reports.
const VOTERS = `
import json, sys
import cwts
# A 2-core machine shared with other builds can hold the engine's heartbeat back.
bridge = cwts.Bridge.attach(sys.argv[1], backend="cython", stale_after=5.0)
answers = []
for strategy, confidence in ((7, 0.9), (8, 0.7)):
    coid = bridge.submit("ETH/USDT", cwts.SignalAction.BUY, 0.01, order_type=cwts.OrderType.MARKET, strategy_id=strategy, confidence=confidence)
    report = bridge.wait_report(coid, timeout=10.0)
    answers.append([int(report.kind), int(report.reason)])
print(json.dumps(answers))
`;
const LIMITS = { maxOrderSize: 1, maxOrderValue: 1e6, creditLimit: 1e9, priceCollarPct: 50, maxOrdersPerSecond: 1000, duplicateWindowMs: 0, maxFillsPerMinute: 1e6 };

describe('model and fusion in the engine', () => {
  const t = perTestEngine('cwts-model-engine-');

  const config = (extra: EngineConfigInput = {}): EngineConfigInput => ({
    segment: { name: NAME },
    candles: { database: ':memory:', timeframes: ['1m'] },
    execution: { database: join(t.dir, 'trades.sqlite') },
    audit: { database: join(t.dir, 'audit.sqlite') },
    modes: { initial: 'FULL_AUTO', stateFile: join(t.dir, 'mode.json') },
    risk: { account: { creditLimit: 1e9 }, strategies: { '9000': LIMITS, '9001': LIMITS } },
    feeds: [{ type: 'simulated', eventsPerSecond: 2000, seed: 3, startTimeMs: Date.UTC(2026, 0, 1) }],
    ...extra,
  });
  const audited = (kind: string): unknown[] => {
    const db = new Database(join(t.dir, 'audit.sqlite'), { readonly: true });
    try {
      return (db.prepare('SELECT body FROM audit WHERE kind = ? ORDER BY seq').all(kind) as { body: string }[]).map((r) => JSON.parse(r.body) as unknown);
    } finally {
      db.close();
    }
  };

  it('runs the model on every book update and trades its signals as strategy 9001, through risk to reports, audited', async () => {
    const engine = t.engine = await Engine.start(config({
      model: { path: MODEL, symbols: ['BTC/USDT'], trade: true, buyAbove: 0.55, sellBelow: 0.45, cooldownMs: 0, orderSize: { 'BTC/USDT': 0.001 } },
    }));
    const outputs: ModelEvent[] = [];
    const reports: Report[] = [];
    engine.on('model', (m) => outputs.push(m));
    engine.on('report', (r) => r.strategyId === 9001 && reports.push(r));
    await until(() => reports.some((r) => r.kind === ReportKind.FILLED), 20_000);

    expect(outputs.every((o) => o.model === 'mid-direction-v1' && o.symbol === 'BTC/USDT')).toBe(true);
    for (const o of outputs) {
      expect(o.pUp).toBeGreaterThanOrEqual(0);
      expect(o.pUp).toBeLessThanOrEqual(1);
      expect(o.features).toHaveLength(9);
      expect(o.side).toBe(o.pUp >= 0.55 ? 'buy' : o.pUp <= 0.45 ? 'sell' : undefined);
      expect(o.roundTripNs).toBeGreaterThanOrEqual(o.inferNs);
    }
    const state = engine.state().model!;
    expect(state).toMatchObject({ source: 'model:mid-direction-v1', failures: 0 });
    expect(state.inferences).toBeGreaterThanOrEqual(outputs.length);
    expect(state.warmupNs).toHaveLength(20);
    expect(Object.keys(state.symbols)).toEqual(['BTC/USDT']);
    expect(state.symbols['BTC/USDT']!.skipped['warming-up']).toBe(50);
    const sent = outputs.filter((o) => o.order?.sent).map((o) => (o.order as { clientOrderId: number }).clientOrderId);
    expect(reports.map((r) => r.clientOrderId).every((id) => sent.includes(id))).toBe(true);
    await engine.stop();
    const records = audited('model') as ModelEvent[];
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.order && r.side)).toBe(true);
  });

  it('fuses the model and a strategy 50/50: both votes decide one order as strategy 9000, and the audit trail holds every vote', async () => {
    const engine = t.engine = await Engine.start(config({
      model: { path: MODEL, symbols: ['BTC/USDT'], buyAbove: 0.52, sellBelow: 0.48 },
      fusion: {
        sources: [{ source: 'model:mid-direction-v1', weight: 0.5 }, { source: 'strategy:7', weight: 0.5 }],
        windowMs: 300, threshold: 0.3, orderSize: { 'BTC/USDT': 0.001 },
      },
    }));
    const fused: FusionOutcome[] = [];
    const reports: Report[] = [];
    engine.on('fusion', (f) => fused.push(f));
    engine.on('report', (r) => r.strategyId === 9000 && reports.push(r));
    // The strategy agrees with whatever the model says next.
    engine.on('model', (m) => {
      if (m.side) expect(engine.propose({ source: 'strategy:7', symbol: 'BTC/USDT', side: m.side, confidence: 0.9 })).toMatchObject({ accepted: true });
    });
    await until(() => fused.some((f) => f.votes.length === 2 && f.order?.sent) && reports.length > 0, 20_000);

    const both = fused.find((f) => f.votes.length === 2 && f.order?.sent)!;
    expect(both.decision).not.toBe('none');
    expect(both.votes.every((v) => v.side === both.decision)).toBe(true);
    expect(both.score * (both.decision === 'buy' ? 1 : -1)).toBeGreaterThanOrEqual(0.3);
    expect(both.strategyId).toBe(9000);
    expect(reports.some((r) => both.order?.sent && r.clientOrderId === both.order.clientOrderId)).toBe(true);
    await engine.stop();
    const records = audited('fusion') as FusionOutcome[];
    expect(records.length).toBe(fused.length);
    expect(records.find((r) => r.order?.sent && both.order?.sent && r.order.clientOrderId === both.order.clientOrderId)?.votes.map((v) => v.source).sort())
      .toEqual(['model:mid-direction-v1', 'strategy:7']);
  });

  it('takes the ring signals of strategies listed as fusion sources as votes: two Python strategies agree, one fused order fills', async () => {
    const engine = t.engine = await Engine.start(config({
      fusion: { sources: [{ source: 'strategy:7', weight: 0.5 }, { source: 'strategy:8', weight: 0.5 }], windowMs: 10_000, threshold: 0.6, orderSize: { 'ETH/USDT': 0.01 } },
    }));
    const fused: FusionOutcome[] = [];
    const reports: Report[] = [];
    engine.on('fusion', (f) => fused.push(f));
    engine.on('report', (r) => reports.push(r));
    await until(() => engine.state().symbols.every((s) => s.updates > 0));
    // Asynchronously: the engine's event loop keeps its heartbeat while Python runs. The window
    // is long so that a slow machine cannot split the two votes; it closes once both voted.
    const python = await promisify(execFile)(VENV_PYTHON, ['-c', VOTERS, NAME], { encoding: 'utf8', timeout: 30_000 });
    // Each voter's signal is answered EXPIRED with reason HOLD: recorded, never an order of its own.
    expect(JSON.parse(python.stdout)).toEqual([[ReportKind.EXPIRED, RejectReason.HOLD], [ReportKind.EXPIRED, RejectReason.HOLD]]);
    await until(() => fused.length === 1 && reports.some((r) => r.strategyId === 9000 && r.kind === ReportKind.FILLED));
    expect(fused[0]).toMatchObject({ symbol: 'ETH/USDT', decision: 'buy', reason: 'voted', strategyId: 9000, order: { sent: true } });
    expect(fused[0]!.score).toBeCloseTo(0.5 * 0.9 + 0.5 * 0.7, 12);
    expect(fused[0]!.votes.map((v) => [v.source, v.side, v.confidence])).toEqual([['strategy:7', 'buy', 0.9], ['strategy:8', 'buy', 0.7]]);
    expect(reports.filter((r) => r.strategyId === 7 || r.strategyId === 8).map((r) => r.kind)).toEqual([ReportKind.EXPIRED, ReportKind.EXPIRED]);
  });

  it('refuses proposals it cannot count, with the reason', async () => {
    const engine = t.engine = await Engine.start(config());
    expect(engine.propose({ source: 'strategy:7', symbol: 'BTC/USDT', side: 'buy', confidence: 1 })).toMatchObject({ accepted: false, reason: 'UNKNOWN_SOURCE', message: /fusion is not configured/ });
    expect(engine.propose({ source: 'strategy:7', symbol: 'DOGE/USDT', side: 'buy', confidence: 1 })).toMatchObject({ accepted: false, reason: 'INVALID_SYMBOL' });
  });

  it('refuses to start with a model trained on other features, leaving no segment behind', async () => {
    const other = join(t.dir, 'other.onnx');
    // Same size, one column renamed in the metadata the model declares.
    writeFileSync(other, Buffer.from(readFileSync(MODEL).toString('latin1').replace('return_10,', 'return_99,'), 'latin1'));
    const error = await Engine.start(config({ model: { path: other } })).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ModelContractError);
    expect((error as Error).message).toMatch(/trained on the features return_1,return_99,.*; the engine builds return_1,return_10,/);
    expect(existsSync(`/dev/shm/${NAME}`)).toBe(false);
    await expect(Engine.start(config({ model: { path: MODEL, symbols: ['DOGE/USDT'] } }))).rejects.toThrow(/model.symbols names DOGE\/USDT, which no feed provides/);
  });
});
