#!/usr/bin/env node
/**
 * The model's data recipe, step 1: runs the engine's seeded simulated venue (the same
 * SimulatedMarket the `simulated` feed uses) and writes what the feature builder sees, in
 * event order, as gzip-compressed JSON lines:
 *   {"seed":…,"steps":…,"symbols":[…],"levels":20}                 header
 *   {"s":symbol index,"t":"buy"|"sell","q":size}                   a trade
 *   {"s":symbol index,"b":[[price,size],…],"a":[[price,size],…]}   the book after an update, top 20 levels
 * One seed gives one file, byte for byte. Step 2 is `python -m cwts.model_training` (docs/model.md).
 *
 *   node scripts/model/simulate-training-data.mjs [--seed 7] [--steps 60000] [--out build/model-data/sim-7.jsonl.gz]
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';
import { ROOT } from '../bootstrap.mjs';

const { OrderBook } = await import(join(ROOT, 'packages/engine/dist/book/order-book.js'));
const { DEFAULT_SIMULATED_SYMBOLS, SimulatedMarket } = await import(join(ROOT, 'packages/engine/dist/feeds/simulated/market.js'));

const { values } = parseArgs({ options: { seed: { type: 'string', default: '7' }, steps: { type: 'string', default: '60000' }, out: { type: 'string' } } });
const seed = Number(values.seed);
const steps = Number(values.steps);
if (!Number.isInteger(seed) || !Number.isInteger(steps) || steps < 1) {
  process.stderr.write(`simulate-training-data: --seed must be an integer and --steps a positive integer (got ${values.seed}, ${values.steps})\n`);
  process.exit(2);
}
const out = values.out ?? join(ROOT, `build/model-data/sim-${seed}.jsonl.gz`);
// The feature set's deepest imbalance window.
const LEVELS = 20;

const market = new SimulatedMarket({ seed, symbols: DEFAULT_SIMULATED_SYMBOLS, depth: 50, volatility: 5e-6, startTimeMs: 0, stepMs: 1 });
const index = new Map(market.symbols.map((s, i) => [s, i]));
const books = new Map(market.symbols.map((s) => [s, new OrderBook(s)]));
for (const snapshot of market.snapshots(0)) books.get(snapshot.symbol).applySnapshot(snapshot);

mkdirSync(dirname(out), { recursive: true });
const gzip = createGzip();
const done = new Promise((resolve, reject) => gzip.pipe(createWriteStream(out)).on('finish', resolve).on('error', reject));
const write = (line) => gzip.write(`${JSON.stringify(line)}\n`) || new Promise((resolve) => gzip.once('drain', resolve));

await write({ seed, steps, symbols: market.symbols, levels: LEVELS });
const events = [];
for (let step = 0; step < steps; step++) {
  market.step(0, events);
  for (const event of events) {
    const s = index.get(event.symbol);
    if (event.type === 'trade') await write({ s, t: event.side, q: event.size });
    else if (event.type === 'delta') {
      const book = books.get(event.symbol);
      book.applyDelta(event);
      await write({ s, b: book.bids.levels(LEVELS), a: book.asks.levels(LEVELS) });
    }
  }
  events.length = 0;
}
gzip.end();
await done;
process.stderr.write(`simulate-training-data: ${steps} steps of seed ${seed} -> ${out}\n`);
