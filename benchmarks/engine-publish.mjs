#!/usr/bin/env node
/**
 * The engine flat out on one core: the simulated venue at full speed through books,
 * validation and candles into the segment, for 5 and for 100 symbols. Reports book
 * updates per second, receive-to-publish latency (the last 8,192 updates) and memory,
 * beside the bare seqlock writer's rate as the peer. Prints one JSON line.
 *   node benchmarks/engine-publish.mjs [--seconds S]
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '@cwts/engine';
import { native } from '@cwts/py-bridge';
import { benchSymbols } from './engine-symbols.mjs';

const secondsArg = process.argv.indexOf('--seconds');
const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 3;
const WARMUP_MS = 500;

async function run(symbols) {
  const name = `cwts-bench-engine-${process.pid}`;
  const stateFile = join(tmpdir(), `${name}.mode.json`);
  const engine = await Engine.start({
    segment: { name },
    feeds: [{ type: 'simulated', eventsPerSecond: 'max', seed: 1, symbols: benchSymbols(symbols) }],
    candles: { database: ':memory:' },
    execution: { database: ':memory:' },
    audit: { database: ':memory:' },
    modes: { stateFile },
    colocation: native.onlineCpus() > 1 ? { ioCore: 1 } : {},
  });
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const total = () => engine.state().symbols.reduce((sum, s) => sum + s.updates, 0);
  const before = total();
  const started = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const updates = total() - before;
  const elapsed = (performance.now() - started) / 1000;
  const state = engine.state();
  const memory = process.memoryUsage();
  await engine.stop();
  rmSync(stateFile, { force: true });
  return {
    symbols,
    updates,
    updatesPerSecond: updates / elapsed,
    receiveToPublishNs: state.publishLatencyNs,
    rssMiB: memory.rss / 2 ** 20,
    heapUsedMiB: memory.heapUsed / 2 ** 20,
    pinned: state.colocation.ioCore,
  };
}

const runs = [];
for (const symbols of [5, 100]) runs.push(await run(symbols));
console.log(JSON.stringify({ benchmark: 'engine-publish', seconds, runs }));
