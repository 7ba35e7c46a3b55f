/**
 * The hot-loop thread (a worker): takes signals from the segment's ring and runs them
 * through the execution stages, never waiting on I/O. Idle, it re-mirrors the books of
 * symbols with working orders and sleeps on the ring's futex for at most a millisecond;
 * long idle, it stops spinning first.
 * Reports and positions go to the segment for the strategies, and to the main thread through RecordRing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HeaderFlag, RejectReason } from '@cwts/shm-layout';
import { MarketDataReader, PositionWriter, ReportPublisher, Segment, SignalConsumer, emptySignal, native } from '@cwts/py-bridge';
import { Execution, type Carried } from './execution.js';
import type { RiskConfig } from '../config/schema.js';
import { PreTradeRisk } from '../risk/pre-trade.js';
import { decodeLimitUpdate } from '../risk/limit-update.js';
import { CONTROL_COMMAND, RecordRing, type ControlRecord, type VenueEvent } from './record-ring.js';
import { RemoteVenue } from './remote-venue.js';
import { SegmentMarket } from './segment-market.js';
import { SimulatedVenue } from './simulated-venue.js';

export interface HotLoopData {
  readonly segmentName: string;
  readonly ring: SharedArrayBuffer;
  /** Int32 word 0: set to 1 to stop. */
  readonly control: SharedArrayBuffer;
  readonly core: number | undefined;
  /** 'live': orders go to the main thread's order router; its answers come back on `venueEvents`. */
  readonly venue: 'simulated' | 'live';
  readonly venueEvents: SharedArrayBuffer;
  readonly risk: RiskConfig;
  readonly approvalTimeoutMs: number;
  /** What the last run left: positions to take over, orders to answer as ended. */
  readonly carried: Carried;
  /** On a kill, close every open position with market orders after cancelling the working ones. */
  readonly flattenOnKill: boolean;
  /** Strategy ids whose new orders are fusion votes. */
  readonly voters: readonly number[];
}

const IDLE_WAIT_MS = 1;
// After this many empty waits in a row (about 0.1 s) the loop stops spinning and sleeps on the
// futex until woken: spinning buys microseconds while signals flow, and costs a core when none do.
const SPIN_WHILE_IDLE_WAITS = 50;

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
  const venueEvents = new RecordRing(data.venueEvents);
  const market = new SegmentMarket(segment, new MarketDataReader(segment));
  const venue = data.venue === 'live' ? new RemoteVenue(ring, market) : new SimulatedVenue();
  const execution = new Execution(market, venue, new PreTradeRisk(data.risk), {
    risk: (record) => ring.pushRisk(record),
    approval: (record) => ring.pushApproval(record),
    report: (report) => {
      publisher.publish(report);
      ring.pushReport(report);
    },
    position: (strategyId, symbolIndex, figures) => {
      positions.publish(strategyId, symbolIndex, figures);
      ring.pushPosition({ strategyId, symbolIndex, ...figures });
    },
    vote: (record) => ring.pushVote(record),
  }, data.approvalTimeoutMs, new Set(data.voters));
  execution.takeOver(data.carried);
  parentPort!.postMessage({ type: 'started', pinned });
  const stop = new Int32Array(data.control);
  const signal = emptySignal();
  let idleWaits = 0;
  let killed = false;
  const fromMain = {
    venueEvent: (event: VenueEvent) => execution.onVenueEvent(event),
    control: (command: ControlRecord) => {
      if (command.command === CONTROL_COMMAND.ENABLE_STRATEGY) execution.enableStrategy(command.strategyId);
      else if (command.command === CONTROL_COMMAND.SET_LIMIT) execution.updateLimit(decodeLimitUpdate(command));
      else execution.decide(command.strategyId, command.command === CONTROL_COMMAND.APPROVE);
    },
  };
  while (Atomics.load(stop, 0) === 0) {
    venueEvents.drain(fromMain);
    // The kill flag is set before anything else happens, by the engine or `cwts kill engage`.
    const kill = (segment.header.flags & HeaderFlag.KILL_ENGAGED) !== 0;
    if (kill !== killed) {
      const cancelled = kill ? execution.cancelAll(RejectReason.KILL_ENGAGED) : 0;
      const flattened = kill && data.flattenOnKill ? execution.flatten() : 0;
      ring.pushKill({ engaged: kill ? 1 : 0, cancelled, flattened, doneNs: Number(process.hrtime.bigint()) });
    }
    killed = kill;
    if (consumer.waitForSignal(signal, IDLE_WAIT_MS, idleWaits < SPIN_WHILE_IDLE_WAITS ? undefined : 0)) {
      idleWaits = 0;
      // What the main thread sent while this loop waited (a limit update, an enable) applies to this signal already.
      venueEvents.drain(fromMain);
      execution.handle(signal);
    } else {
      idleWaits++;
      execution.syncWorking();
      execution.expireApprovals(Date.now());
    }
  }
  // The simulated venue's book ends with the engine: its working orders end now, each with its report.
  if (data.venue === 'simulated') execution.cancelAll(RejectReason.ENGINE_STOPPED);
  parentPort!.postMessage({ type: 'stopped', counts: execution.counts, abandoned: consumer.abandoned });
}

main(workerData as HotLoopData);
