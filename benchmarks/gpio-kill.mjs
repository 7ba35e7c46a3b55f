#!/usr/bin/env node
/**
 * The GPIO kill path without GPIO hardware: a crafted line event written into a stand-in line
 * (a FIFO) until KILL_ENGAGED is set in a real segment, seen by a reader spinning on the flag.
 * The peer is the same write until a JS callback runs: what a watcher that left setting the
 * flag to JS would wait for at the least. Prints one JSON line.
 *   node benchmarks/gpio-kill.mjs [--edges N]
 */
import { Segment, StandInGpioLine } from '@cwts/py-bridge';
import { HeaderFlag } from '@cwts/shm-layout';
import { percentiles } from './stats.mjs';

const WARMUP = 200;

/** Runs `edges` active edges through each path; latencies in ns. */
export async function gpioKillLatency({ edges = 5000 } = {}) {
  const segment = Segment.create({ name: `cwts-bench-gpio-${process.pid}`, replace: true });
  const line = StandInGpioLine.create({ offset: 0, label: 'benchmark stand-in line', active: false });
  try {
    let delivered = () => {};
    const edgeToFlagNs = [];
    line.line.watch(segment.flagWord(HeaderFlag.KILL_ENGAGED), (event) => {
      if (event.kind !== 'edge') throw new Error(`the watcher reported ${event.code}: ${event.message}`);
      edgeToFlagNs.push(Number(event.flagSetNs - event.timestampNs));
      delivered();
    });

    // Write to flag: this thread writes the event, then spins on the flag; no JS can run meanwhile.
    const writeToFlagNs = [];
    for (let i = 0; i < WARMUP + edges; i++) {
      segment.setFlag(HeaderFlag.KILL_ENGAGED, false);
      const t0 = process.hrtime.bigint();
      line.edge(true, t0);
      while (!segment.hasFlag(HeaderFlag.KILL_ENGAGED));
      if (i >= WARMUP) writeToFlagNs.push(Number(process.hrtime.bigint() - t0));
    }
    // Let the queued events through before the peer's run counts callbacks.
    while (edgeToFlagNs.length < WARMUP + edges) await new Promise((resolve) => setTimeout(resolve, 1));
    const watcherEdgeToFlagNs = edgeToFlagNs.splice(0).slice(WARMUP);

    // Peer: write to the JS callback, one edge at a time, the event loop idle in between.
    const writeToCallbackNs = [];
    for (let i = 0; i < WARMUP + edges; i++) {
      const arrived = new Promise((resolve) => (delivered = resolve));
      const t0 = process.hrtime.bigint();
      line.edge(true, t0);
      await arrived;
      if (i >= WARMUP) writeToCallbackNs.push(Number(process.hrtime.bigint() - t0));
    }
    const toFlag = percentiles(writeToFlagNs);
    const toCallback = percentiles(writeToCallbackNs);
    return {
      benchmark: 'gpio-kill',
      edges,
      writeToFlagNs: toFlag,
      watcherEdgeToFlagNs: percentiles(watcherEdgeToFlagNs),
      writeToCallbackNs: toCallback,
      callbackOverFlagP50: toCallback.p50 / toFlag.p50,
      callbackOverFlagP99: toCallback.p99 / toFlag.p99,
      stats: line.line.stats(),
    };
  } finally {
    line.close();
    Segment.unlink(segment.name);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const edgesArg = process.argv.indexOf('--edges');
  console.log(JSON.stringify(await gpioKillLatency(edgesArg > 0 ? { edges: Number(process.argv[edgesArg + 1]) } : {})));
}
