/**
 * The main thread's handle on an inference worker: `start` resolves once the model passed
 * the contract check and its warm-up, or rejects with why (a ModelContractError for a model
 * that does not fit the feature set). `infer` sends feature rows and resolves with one
 * probability per row, and how long the run took inside the worker.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ModelContractError } from './model-contract.js';
import type { InferenceMessage, InferenceRequest, InferenceWorkerData } from './inference-worker.js';

// The worker runs compiled JS: the same path from src/ (tests) and dist/ resolves to dist/.
const INFERENCE_WORKER = fileURLToPath(new URL('../../dist/model/inference-worker.js', import.meta.url));

export interface InferenceResult {
  /** One probability per row sent. */
  readonly output: Float32Array;
  /** The run inside the worker, ns. */
  readonly inferNs: number;
}

export class ModelInference {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: InferenceResult) => void; reject: (e: Error) => void }>();
  private failure: Error | undefined;
  private closing = false;

  private constructor(private readonly worker: Worker, readonly width: number, readonly warmupNs: readonly number[]) {
    worker.on('message', (message: InferenceMessage) => {
      if (message.type !== 'result' && message.type !== 'error') return;
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.type === 'result') waiting?.resolve({ output: message.output, inferNs: message.inferNs });
      else waiting?.reject(new Error(`inference failed: ${message.message}`));
    });
    worker.on('error', (error) => this.fail(new Error(`the inference thread failed: ${error.message}`)));
    worker.on('exit', (code) => this.fail(new Error(`the inference thread exited (${code})`)));
  }

  static async start(path: string, names: readonly string[], warmupRuns = 20): Promise<ModelInference> {
    const data: InferenceWorkerData = { path, names, warmupRuns };
    const worker = new Worker(INFERENCE_WORKER, { workerData: data });
    // Only these listeners go after the start: removeAllListeners would take the Worker's own too.
    let listeners: { message: (m: InferenceMessage) => void; error: (e: Error) => void; exit: (code: number) => void } | undefined;
    const ready = await new Promise<Extract<InferenceMessage, { type: 'ready' }>>((resolve, reject) => {
      listeners = {
        message: (message) => {
          if (message.type === 'ready') resolve(message);
          else if (message.type === 'failed') reject(message.contract ? new ModelContractError(path, message.problem) : new Error(`model ${path}: ${message.problem}`));
        },
        error: reject,
        exit: (code) => reject(new Error(`the inference thread exited (${code}) before the model was ready`)),
      };
      worker.on('message', listeners.message).on('error', listeners.error).on('exit', listeners.exit);
    }).catch(async (error: Error) => {
      await worker.terminate();
      throw error;
    });
    worker.off('message', listeners!.message).off('error', listeners!.error).off('exit', listeners!.exit);
    return new ModelInference(worker, names.length, ready.warmupNs);
  }

  /** Runs `rows` feature vectors laid out one after another in `data`. */
  infer(data: Float32Array, rows = 1): Promise<InferenceResult> {
    if (this.failure) return Promise.reject(this.failure);
    if (data.length !== rows * this.width) return Promise.reject(new RangeError(`${rows} row(s) of ${this.width} features need ${rows * this.width} numbers, got ${data.length}`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, rows, data } satisfies InferenceRequest);
    });
  }

  /** Requests sent and not answered yet. */
  get inFlight(): number {
    return this.pending.size;
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the model is closed');
    this.closing = true;
    await this.worker.terminate();
    for (const { reject } of this.pending.values()) reject(this.failure);
    this.pending.clear();
  }

  private fail(error: Error): void {
    if (this.closing) return;
    this.failure ??= error;
    for (const { reject } of this.pending.values()) reject(this.failure);
    this.pending.clear();
  }
}
