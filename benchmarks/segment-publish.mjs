#!/usr/bin/env node
/**
 * Publish cost on the Node side: seqlock-writes of a full book (slot + 50 + 50 levels)
 * into a real /dev/shm segment, no reader attached. Prints one JSON line.
 *   node benchmarks/segment-publish.mjs [--seconds S]
 */
import { BOOK_DEPTH } from '@cwts/shm-layout';
import { MarketDataWriter, Segment, emptyBookUpdate, registerStressSymbols, stressUpdate } from '@cwts/py-bridge';
import { percentiles } from './stats.mjs';

const secondsArg = process.argv.indexOf('--seconds');
const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 2;
const BATCH = 64;

function run(symbols) {
  const name = `cwts-bench-publish-${process.pid}`;
  const segment = Segment.create({ name, replace: true });
  try {
    const writer = new MarketDataWriter(segment);
    registerStressSymbols(writer, symbols);
    const update = emptyBookUpdate();
    const perPublishNs = [];
    let updates = 0;
    const warmupEnd = performance.now() + 300;
    const end = warmupEnd + seconds * 1000;
    while (performance.now() < end) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < BATCH; i++) {
        const k = updates % symbols;
        stressUpdate(update, k, writer.nextUpdateCount(k));
        writer.publish(k, update);
        updates++;
      }
      const batchNs = Number(process.hrtime.bigint() - t0);
      if (performance.now() > warmupEnd) perPublishNs.push(batchNs / BATCH);
    }
    const measured = perPublishNs.length * BATCH;
    const totalNs = perPublishNs.reduce((a, b) => a + b, 0) * BATCH;
    return { symbols, depth: BOOK_DEPTH, updates: measured, updatesPerSecond: measured / (totalNs / 1e9), perPublishNs: percentiles(perPublishNs) };
  } finally {
    Segment.unlink(name);
  }
}

console.log(JSON.stringify({ benchmark: 'segment-publish', seconds, batch: BATCH, runs: [run(1), run(10)] }));
