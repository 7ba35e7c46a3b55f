#!/usr/bin/env node
/**
 * The shipped model's latency, one feature vector at a time, three ways:
 *   - inside the inference worker (the run alone, as the worker times it)
 *   - round trip: feature vector on the engine's thread → worker → p_up back on the thread
 *   - the peer: onnxruntime-node's run() on the calling thread, which is what the worker
 *     keeps off the event loop
 * and the feature builder's cost per book update (20 levels a side), which does run on the
 * engine's thread. Vectors are the golden inputs, cycled. Prints one JSON line.
 *   node benchmarks/model-inference.mjs [--runs N]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { ROOT } from '../scripts/bootstrap.mjs';
import { percentiles } from './stats.mjs';

const engine = (path) => import(join(ROOT, 'packages/engine/dist', path));
const { ModelInference } = await engine('model/model-inference.js');
const { FEATURE_WINDOWS_V1, featureNames } = await engine('model/feature-set.js');
const { FeatureBuilder } = await engine('model/feature-builder.js');
const { OrderBook } = await engine('book/order-book.js');

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5000;
const MODEL = join(ROOT, 'packages/engine/models/mid-direction-v1.onnx');
const golden = JSON.parse(readFileSync(join(ROOT, 'packages/engine/models/mid-direction-v1.golden.json'), 'utf8'));
const vectors = golden.inputs.map((row) => Float32Array.from(row));
const names = featureNames(FEATURE_WINDOWS_V1);

// Through the worker, one request at a time, as the model source sends them per symbol.
const model = await ModelInference.start(MODEL, names, 50);
const inWorker = [];
const roundTrip = [];
for (let i = 0; i < RUNS; i++) {
  const started = process.hrtime.bigint();
  const { inferNs } = await model.infer(vectors[i % vectors.length]);
  roundTrip.push(Number(process.hrtime.bigint() - started));
  inWorker.push(inferNs);
}
await model.close();

// The peer: the same session options, run() awaited on this thread.
const session = await ort.InferenceSession.create(MODEL, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
for (let i = 0; i < 50; i++) await session.run({ features: new ort.Tensor('float32', vectors[0], [1, names.length]) });
const onThread = [];
for (let i = 0; i < RUNS; i++) {
  const started = process.hrtime.bigint();
  await session.run({ features: new ort.Tensor('float32', vectors[i % vectors.length], [1, names.length]) });
  onThread.push(Number(process.hrtime.bigint() - started));
}

// Feature building per book update: a 20-level book whose top moves by a tick each update.
const builder = new FeatureBuilder(FEATURE_WINDOWS_V1);
const book = new OrderBook('B/Q');
const out = new Float64Array(builder.size);
const level = (price, i) => [price, 1 + ((i * 7) % 5)];
const build = [];
for (let i = 0; i < RUNS * 4; i++) {
  const mid = 1000 + (i % 17) - 8;
  const bids = Array.from({ length: 20 }, (_, k) => level(mid - 1 - k, i + k));
  const asks = Array.from({ length: 20 }, (_, k) => level(mid + 1 + k, i + k + 3));
  book.applySnapshot({ type: 'snapshot', symbol: 'B/Q', exchangeTsMs: 0, receiveTsNs: 0, sequence: i, bids, asks });
  builder.onTrade(i % 3 ? 'buy' : 'sell', 1 + (i % 4));
  const started = process.hrtime.bigint();
  builder.onBook(book, out);
  build.push(Number(process.hrtime.bigint() - started));
}

const workerP50 = percentiles(roundTrip).p50;
const peerP50 = percentiles(onThread).p50;
process.stdout.write(`${JSON.stringify({
  runs: RUNS,
  features: names.length,
  inWorkerNs: percentiles(inWorker),
  roundTripNs: percentiles(roundTrip),
  onThreadNs: percentiles(onThread),
  roundTripOverOnThreadP50: workerP50 / peerP50,
  featureBuildNs: percentiles(build.slice(RUNS)),
})}\n`);
