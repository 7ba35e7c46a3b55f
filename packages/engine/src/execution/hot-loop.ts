/**
 * The hot-loop thread (a worker): takes signals from the segment's ring and runs them
 * through the execution stages, never waiting on I/O. Idle, it re-mirrors the books of
 * symbols with working orders and sleeps on the ring's futex for at most a millisecond.
 * Reports and positions go to the segment for the strategies, and to the main thread through RecordRing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { MarketDataReader, PositionWriter, ReportPublisher, Segment, SignalConsumer, emptySignal, native } from '@cwts/py-bridge';
import { Execution } from './execution.js';
import { RecordRing } from './record-ring.js';
import { SegmentMarket } from './segment-market.js';
import { SimulatedVenue } from './simulated-venue.js';

export interface HotLoopData {
  readonly segmentName: string;
  readonly ring: SharedArrayBuffer;
  /** Int32 word 0: set to 1 to stop. */
  readonly control: SharedArrayBuffer;
  readonly core: number | undefined;
}

const IDLE_WAIT_MS = 1;

function main(data: HotLoopData): void {
  let pinned: number | string = 'not pinned';
  if (data.core !== undefined) {
    try {
      native.pinThread(data.core);
      pinned = data.core;
    } catch (error) {
      pinned = `failed: ${(error as Error).message}`;
    }
  }
  const segment = Segment.attach(data.segmentName);
  const consumer = new SignalConsumer(segment);
  const publisher = new ReportPublisher(segment);
  const positions = new PositionWriter(segment);
  const ring = new RecordRing(data.ring);
  const execution = new Execution(new SegmentMarket(segment, new MarketDataReader(segment)), new SimulatedVenue(), {
    report: (report) => {
      publisher.publish(report);
      ring.pushReport(report);
    },
    position: (strategyId, symbolIndex, figures) => {
      positions.publish(strategyId, symbolIndex, figures);
      ring.pushPosition({ strategyId, symbolIndex, ...figures });
    },
  });
  parentPort!.postMessage({ type: 'started', pinned });
  const stop = new Int32Array(data.control);
  const signal = emptySignal();
  while (Atomics.load(stop, 0) === 0) {
    if (consumer.waitForSignal(signal, IDLE_WAIT_MS)) execution.handle(signal);
    else execution.syncWorking();
  }
  parentPort!.postMessage({ type: 'stopped', counts: execution.counts, abandoned: consumer.abandoned });
}

main(workerData as HotLoopData);
