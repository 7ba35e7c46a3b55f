/**
 * The inference thread (a worker): onnxruntime's run() is synchronous native work on the
 * calling thread, so it runs here, never on the engine's event loop or the hot loop. One
 * intra-op thread, sequential execution: a model of a few hundred weights gains nothing
 * from a pool, and spinning pool threads would take cores from the engine. The model is
 * checked against the contract and warmed up before the thread says it is ready.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import { INPUT_NAME, OUTPUT_NAME, contractProblems } from './model-contract.js';
import { readOnnxMetadata } from './onnx-metadata.js';

export interface InferenceWorkerData {
  readonly path: string;
  readonly names: readonly string[];
  readonly warmupRuns: number;
}

export type InferenceRequest = { readonly id: number; readonly rows: number; readonly data: Float32Array };

export type InferenceMessage =
  | { readonly type: 'ready'; readonly warmupNs: readonly number[] }
  | { readonly type: 'failed'; readonly problem: string; readonly contract: boolean }
  | { readonly type: 'result'; readonly id: number; readonly output: Float32Array; readonly inferNs: number }
  | { readonly type: 'error'; readonly id: number; readonly message: string };

const port = parentPort!;

async function open(data: InferenceWorkerData): Promise<ort.InferenceSession | undefined> {
  let bytes: Uint8Array;
  let metadata: Map<string, string>;
  try {
    bytes = readFileSync(data.path);
    metadata = readOnnxMetadata(bytes);
  } catch (error) {
    port.postMessage({ type: 'failed', problem: `cannot read it: ${(error as Error).message}`, contract: false } satisfies InferenceMessage);
    return undefined;
  }
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  } catch (error) {
    port.postMessage({ type: 'failed', problem: `onnxruntime cannot load it: ${(error as Error).message}`, contract: false } satisfies InferenceMessage);
    return undefined;
  }
  const problems = contractProblems(data.names, metadata, session.inputMetadata, session.outputMetadata);
  if (problems.length) {
    port.postMessage({ type: 'failed', problem: problems.join('; '), contract: true } satisfies InferenceMessage);
    return undefined;
  }
  return session;
}

async function run(session: ort.InferenceSession, rows: number, data: Float32Array, width: number): Promise<Float32Array> {
  const result = await session.run({ [INPUT_NAME]: new ort.Tensor('float32', data, [rows, width]) });
  return result[OUTPUT_NAME]!.data as Float32Array;
}

async function main(data: InferenceWorkerData): Promise<void> {
  const session = await open(data);
  if (!session) return;
  const width = data.names.length;
  // The first runs allocate and optimise; they go here, before the first vector that matters.
  const warmupNs: number[] = [];
  const zeros = new Float32Array(width);
  for (let i = 0; i < data.warmupRuns; i++) {
    const started = process.hrtime.bigint();
    await run(session, 1, zeros, width);
    warmupNs.push(Number(process.hrtime.bigint() - started));
  }
  port.on('message', (request: InferenceRequest) => {
    const started = process.hrtime.bigint();
    run(session, request.rows, request.data, width).then(
      (output) => port.postMessage({ type: 'result', id: request.id, output, inferNs: Number(process.hrtime.bigint() - started) } satisfies InferenceMessage),
      (error: Error) => port.postMessage({ type: 'error', id: request.id, message: error.message } satisfies InferenceMessage),
    );
  });
  port.postMessage({ type: 'ready', warmupNs } satisfies InferenceMessage);
}

void main(workerData as InferenceWorkerData);
