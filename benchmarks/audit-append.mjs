#!/usr/bin/env node
/**
 * The audit trail: records appended per second, and what one flush (the 5 ms drain's batch:
 * one transaction, the head file moved) costs, for durability FULL (fsync per batch) beside
 * NORMAL (none) and an in-memory database (no disk at all, the floor). Each record is a
 * report as the engine appends it. Prints one JSON line.
 *   node benchmarks/audit-append.mjs [--seconds S] [--batch N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditTrail, verifyAuditTrail } from '../packages/engine/dist/audit/audit-trail.js';
import { percentiles } from './stats.mjs';

const arg = (name, fallback) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const SECONDS = arg('--seconds', 2);
const BATCH = arg('--batch', 100);

const report = (i) => ({ kind: 3, reason: 0, clientOrderId: i, strategyId: 7, symbolIndex: i % 5, signalPosition: i, fillSize: 0.001, fillPrice: 65000.1, cumulativeFilled: 0.001, remaining: 0, orderId: i });

function run(durability, dir) {
  const path = durability === 'memory' ? ':memory:' : join(dir, `audit-${durability}.sqlite`);
  const trail = new AuditTrail(path, durability === 'memory' ? 'NORMAL' : durability);
  const flushNs = [];
  let records = 0;
  const started = process.hrtime.bigint();
  const until = started + BigInt(Math.round(SECONDS * 1e9));
  while (process.hrtime.bigint() < until) {
    for (let i = 0; i < BATCH; i++) trail.append('report', report(records++));
    const t = process.hrtime.bigint();
    trail.flush();
    flushNs.push(Number(process.hrtime.bigint() - t));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  trail.close();
  // The chain written is whole: the benchmark measured real appends.
  if (path !== ':memory:' && verifyAuditTrail(path).records !== records) throw new Error(`${durability}: the chain does not hold ${records} records`);
  return { durability, records, recordsPerSecond: records / seconds, flushNs: percentiles(flushNs) };
}

const dir = mkdtempSync(join(tmpdir(), 'cwts-bench-audit-'));
try {
  const runs = ['FULL', 'NORMAL', 'memory'].map((d) => run(d, dir));
  console.log(JSON.stringify({ benchmark: 'audit-append', batch: BATCH, runs }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
