/** The main thread's handle on the hot-loop worker: start it, drain its records, stop it. */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HotLoopData } from './hot-loop.js';
import { encodeLimitUpdate, type LimitUpdate } from '../risk/limit-update.js';
import { CONTROL_COMMAND, RecordRing, type RecordHandlers } from './record-ring.js';

// The worker runs compiled JS: the same path from src/ (tests) and dist/ resolves to dist/.
const HOT_LOOP = fileURLToPath(new URL('../../dist/execution/hot-loop.js', import.meta.url));

export interface ExecutionSummary {
  readonly signals: number;
  readonly rejected: number;
  readonly fills: number;
  readonly abandoned: number;
  readonly droppedReports: number;
}

export class ExecutionThread {
  private constructor(
    private readonly worker: Worker,
    private readonly ring: RecordRing,
    /** Where a live venue's answers go to the hot loop. */
    readonly venueEvents: RecordRing,
    private readonly control: Int32Array,
    readonly pinned: number | string,
  ) {}

  static async start(options: Omit<HotLoopData, 'ring' | 'control' | 'venueEvents'>): Promise<ExecutionThread> {
    const ring = RecordRing.allocate();
    const venueEvents = RecordRing.allocate();
    const control = new SharedArrayBuffer(4);
    const data: HotLoopData = { ...options, ring, control, venueEvents };
    const worker = new Worker(HOT_LOOP, { workerData: data });
    const started = await new Promise<{ pinned: number | string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the hot-loop thread exited (${code}) before it started`)));
    });
    worker.removeAllListeners('error');
    worker.removeAllListeners('exit');
    // A hot loop that dies must not die quietly: signals would wait for reports that never come.
    worker.on('error', (error) => {
      process.stderr.write(`cwts: the execution hot loop failed: ${error.stack ?? error.message}\n`);
      process.exitCode = 1;
    });
    return new ExecutionThread(worker, new RecordRing(ring), new RecordRing(venueEvents), new Int32Array(control), started.pinned);
  }

  /** The operator's action that lets a strategy the throttle disabled trade again. */
  enableStrategy(strategyId: number): void {
    this.venueEvents.pushControl({ command: CONTROL_COMMAND.ENABLE_STRATEGY, strategyId, field: 0, value: 0 });
  }

  /** The operator's answer to a SEMI_AUTO order waiting for approval. */
  decide(orderId: number, approved: boolean): void {
    this.venueEvents.pushControl({ command: approved ? CONTROL_COMMAND.APPROVE : CONTROL_COMMAND.REJECT, strategyId: orderId, field: 0, value: 0 });
  }

  /** A limit update the main thread has checked (applyLimitUpdate), for the hot loop's risk checks. */
  updateLimit(update: LimitUpdate): void {
    this.venueEvents.pushControl({ command: CONTROL_COMMAND.SET_LIMIT, ...encodeLimitUpdate(update) });
  }

  /** Resolves when the hot loop has pushed records, or after `timeoutMs`. */
  waitForRecords(timeoutMs: number): Promise<void> {
    return this.ring.waitForRecords(timeoutMs);
  }

  /** Hands every record since the last call to its handler. */
  drain(handlers: RecordHandlers): void {
    this.ring.drain(handlers);
  }

  async stop(): Promise<ExecutionSummary> {
    const stopped = new Promise<{ counts: { signals: number; rejected: number; fills: number }; abandoned: number }>((resolve, reject) => {
      this.worker.on('message', (m: { type: string }) => m.type === 'stopped' && resolve(m as never));
      this.worker.once('error', reject);
    });
    Atomics.store(this.control, 0, 1);
    const { counts, abandoned } = await stopped;
    await this.worker.terminate();
    return { ...counts, abandoned, droppedReports: this.ring.dropped };
  }
}
