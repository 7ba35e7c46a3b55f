/** The shipped ONNX model: inference in its worker, the round trip from the engine thread, and feature building. */
import { join } from 'node:path';
import { ROOT } from '../../scripts/bootstrap.mjs';
import { latencyMetric, withRatios } from '../harness/metrics.mjs';
import { runJson } from '../harness/processes.mjs';

export default {
  name: 'model',
  title: 'Model: the shipped ONNX model, one feature vector at a time',
  measures: 'benchmarks/model-inference.mjs: run() inside the inference worker (one intra-op thread), the round trip engine thread → ' +
    'worker → p_up, as the peer run() awaited on the calling thread (which blocks its event loop), and one feature vector built from a ' +
    '20-level book update.',
  params: { quick: { runs: 1000 }, full: { runs: 5000 } },
  async run(params) {
    const { result } = await runJson(process.execPath, [join(ROOT, 'benchmarks/model-inference.mjs'), '--runs', String(params.runs)]);
    const peer = latencyMetric('peer: run() on the calling thread', 'ns', result.onThreadNs);
    return {
      metrics: [
        ...withRatios([latencyMetric('round trip through the worker', 'ns', result.roundTripNs), latencyMetric('run() inside the worker', 'ns', result.inWorkerNs), peer], peer.name),
        latencyMetric(`feature vector (${result.features} features) from a book update`, 'ns', result.featureBuildNs),
      ],
    };
  },
};
