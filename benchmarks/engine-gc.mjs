#!/usr/bin/env node
/**
 * The engine in a steady run, for the GC section: in this process, the simulated venue at a
 * fixed rate and a Python client sending one market order at a time through the hot loop
 * (benchmarks/python/signal_round_trip.py). Run it under `node --trace-gc --expose-gc`: V8
 * then prints every collection of every isolate (this thread and the hot-loop worker),
 * which benchmarks/harness/trace-gc.mjs reads. A forced collection marks this thread's isolate
 * and the start of the window. Prints one JSON line: the window in this thread's clock.
 *   node --trace-gc --expose-gc benchmarks/engine-gc.mjs [--seconds S] [--rate R]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '@cwts/engine';
import { ROOT, VENV_PYTHON } from '../scripts/bootstrap.mjs';
import { engineConfig, runJson } from './harness/processes.mjs';

const WARMUP_MS = 1000;
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' }, rate: { type: 'string', default: '2000' } } });
const seconds = Number(values.seconds);
const rate = Number(values.rate);
if (!(seconds > 0 && rate > 0)) throw new Error(`--seconds and --rate must be numbers > 0, got ${values.seconds} and ${values.rate}`);
if (typeof globalThis.gc !== 'function') throw new Error('run me under node --trace-gc --expose-gc (see the header)');

const dir = mkdtempSync(join(tmpdir(), 'cwts-bench-gc-'));
const name = `cwts-bench-gc-${process.pid}`;
const engineStartMs = performance.now();
const engine = await Engine.start(engineConfig(name, 5, rate, dir));
let window;
try {
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const updates = () => engine.state().symbols.reduce((n, s) => n + s.updates, 0);
  globalThis.gc();
  const windowStartMs = performance.now();
  const updatesBefore = updates();
  // Asynchronous: the engine's market data keeps flowing on this thread meanwhile.
  const { result: client } = await runJson(VENV_PYTHON, [join(ROOT, 'benchmarks/python/signal_round_trip.py'), '--name', name, '--seconds', String(seconds)]);
  const windowEndMs = performance.now();
  window = { benchmark: 'engine-gc', seconds, rate, engineStartMs, windowStartMs, windowEndMs, orders: client.latency_ns.count, updates: updates() - updatesBefore };
} finally {
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(window));
