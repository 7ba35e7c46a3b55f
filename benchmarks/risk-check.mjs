#!/usr/bin/env node
/**
 * Pre-trade risk: one check of a new order with every control on (limits set high enough that
 * each control runs and none refuses), on a seeded stream of orders over 5 symbols and 16
 * strategies. Each check is timed alone with process.hrtime.bigint(), whose own cost (an
 * empty timed pair) is reported beside it. Prints one JSON line.
 *   node benchmarks/risk-check.mjs [--checks N]
 */
import { validateConfig } from '../packages/engine/dist/config/load.js';
import { PreTradeRisk, RISK_CONTROLS } from '../packages/engine/dist/risk/pre-trade.js';
import { percentiles } from './stats.mjs';

const checksArg = process.argv.indexOf('--checks');
const CHECKS = checksArg > 0 ? Number(process.argv[checksArg + 1]) : 1_000_000;
const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT', 'XRP/USDT'];

const risk = validateConfig({
  risk: {
    account: { creditLimit: 1e15 },
    restrictedSymbols: ['DOGE/USDT'],
    strategies: { '*': { maxOrderSize: 1e6, maxOrderValue: 1e12, creditLimit: 1e15, priceCollarPct: 50, maxOrdersPerSecond: 1e9, duplicateWindowMs: 1000, maxFillsPerMinute: 1e9 } },
  },
}).risk;

function orders(n) {
  let s = 7;
  const rand = (k) => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s % k);
  return Array.from({ length: n }, (_, i) => {
    const reference = 100 + rand(1000) / 10;
    // Every price distinct, so the duplicate control looks and never matches.
    return { strategyId: rand(16), symbol: SYMBOLS[rand(5)], side: rand(2) ? 'buy' : 'sell', size: 0.001 * (1 + rand(100)), price: reference + i * 1e-6, reference, touch: reference, strategyExposure: rand(1e6), accountExposure: rand(1e7), nowMs: i >> 6, multiplier: 1 };
  });
}

function measure(checker, stream) {
  const samples = new Float64Array(stream.length);
  let refused = 0;
  for (let i = 0; i < stream.length; i++) {
    const started = process.hrtime.bigint();
    if (checker.check(stream[i])) refused++;
    samples[i] = Number(process.hrtime.bigint() - started);
  }
  return { samples, refused };
}

function timerCost(n) {
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const started = process.hrtime.bigint();
    samples[i] = Number(process.hrtime.bigint() - started);
  }
  return percentiles(samples);
}

const stream = orders(CHECKS);
measure(new PreTradeRisk(risk), orders(Math.min(CHECKS, 100_000))); // warm-up: the JIT settles
const started = process.hrtime.bigint();
const { samples, refused } = measure(new PreTradeRisk(risk), stream);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
if (refused) throw new Error(`${refused} checks refused: the limits are meant to let every order through`);
console.log(JSON.stringify({
  benchmark: 'risk-check', controls: RISK_CONTROLS.length, checks: CHECKS, checksPerSecond: CHECKS / seconds,
  perCheckNs: percentiles(samples), timerNs: timerCost(100_000),
}));
