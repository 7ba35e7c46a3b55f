#!/usr/bin/env node
/**
 * Writes the bundled backtest data (examples/strategies/data/cwts/) from the engine's own
 * simulated venue: the seeded market steps on a venue clock of 200 ms per update, its
 * trades go through the engine's CandleBuilder into a CandleStore (the engine's candle
 * database, in a temp dir), and `cwts-freqtrade export-candles` turns that into FreqTrade
 * data files, the same path as for candles a running engine recorded. Same seed, same files.
 *
 *   node examples/strategies/data/generate.mjs [--days 3] [--out DIR]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '../../..');
const DIST = join(ROOT, 'packages/engine/dist');
const { SimulatedMarket, DEFAULT_SIMULATED_SYMBOLS } = await import(join(DIST, 'feeds/simulated/market.js'));
const { CandleBuilder } = await import(join(DIST, 'candles/candle-builder.js'));
const { CandleStore } = await import(join(DIST, 'candles/candle-store.js'));

const option = (name) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const DAYS = Number(option('--days') ?? 3);
if (!(DAYS > 0 && DAYS <= 60)) throw new Error(`--days must be a number in (0, 60], got ${option('--days')}`);
const SYMBOLS = DEFAULT_SIMULATED_SYMBOLS.filter((s) => s.symbol === 'BTC/USDT' || s.symbol === 'ETH/USDT');
const START_MS = Date.UTC(2026, 0, 1);
// 2.5 updates per symbol per venue second, and a fair value moving about 1.4 % a day (six times
// the engine's default), so that indicators have something to see in three days.
const STEP_MS = 200;
const VOLATILITY = 3e-5;
const OUT = option('--out') ?? join(HERE, 'cwts');

const dir = mkdtempSync(join(os.tmpdir(), 'cwts-backtest-data-'));
try {
  const database = join(dir, 'candles.sqlite');
  const store = new CandleStore(database);
  const candles = new CandleBuilder({ timeframes: ['5m'], store });
  const market = new SimulatedMarket({ seed: 42, symbols: SYMBOLS, depth: 50, volatility: VOLATILITY, startTimeMs: START_MS, stepMs: STEP_MS });
  const events = [];
  const steps = Math.round((DAYS * 86_400_000) / STEP_MS);
  for (let i = 0; i < steps; i++) {
    market.step(0, events);
    for (const event of events) if (event.type === 'trade') candles.onTrade(event);
    events.length = 0;
  }
  candles.flush();
  store.close();
  const python = join(ROOT, '.venv/bin/python');
  const exported = spawnSync(python, ['-m', 'cwts.freqtrade.cli', 'export-candles', '--database', database, '--datadir', OUT], { stdio: 'inherit' });
  if (exported.status !== 0) throw new Error(`export-candles failed (exit ${exported.status}); run node scripts/bootstrap.mjs first`);
  const markets = Object.fromEntries(SYMBOLS.map((s) => [s.symbol, { tick_size: s.tickSize, lot_size: s.lotSize }]));
  writeFileSync(join(OUT, 'markets.json'), `${JSON.stringify(markets, null, 1)}\n`);
  process.stdout.write(`wrote ${DAYS} days of 5m candles for ${SYMBOLS.map((s) => s.symbol).join(', ')} to ${OUT}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
