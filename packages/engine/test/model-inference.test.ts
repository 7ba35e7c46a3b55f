/**
 * The engine's inference worker against the Python onnxruntime reference outputs of the
 * shipped model (packages/engine/models/mid-direction-v1.golden.json, written by the
 * trainer; python/tests/test_model.py checks the same file), and its refusals of models
 * that do not fit the feature set.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM build helpers shared with scripts/test.mjs
import { VENV_PYTHON } from '../../../scripts/bootstrap.mjs';
import { FEATURE_WINDOWS_V1, featureNames } from '../src/model/feature-set.js';
import { ModelContractError } from '../src/model/model-contract.js';
import { ModelInference } from '../src/model/model-inference.js';
import { readOnnxMetadata } from '../src/model/onnx-metadata.js';

const MODEL = new URL('../models/mid-direction-v1.onnx', import.meta.url).pathname;
const golden = JSON.parse(readFileSync(new URL('../models/mid-direction-v1.golden.json', import.meta.url), 'utf8')) as {
  tolerance: number; features: string[]; inputs: number[][]; outputs: number[];
};
const NAMES = featureNames(FEATURE_WINDOWS_V1);
const dir = mkdtempSync(join(tmpdir(), 'cwts-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Writes ONNX models that each break the contract one way: identity from `input` to `output`.
const MAKE_MODELS = `
import json, sys, onnx
from onnx import TensorProto, helper
for path, spec in json.loads(sys.argv[1]):
    write(path, spec)
`;
const MAKE_MODEL = `
import onnx
from onnx import TensorProto, helper
def write(path, spec):
  node = helper.make_node("Identity", [spec["input"]], [spec["output"]])
  graph = helper.make_graph([node], "bad",
      [helper.make_tensor_value_info(spec["input"], TensorProto.FLOAT, ["batch", spec["width"]])],
      [helper.make_tensor_value_info(spec["output"], TensorProto.FLOAT, ["batch", spec["width"]])])
  model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
  model.ir_version = 8
  if spec["features"] is not None:
      helper.set_model_props(model, {"cwts.features": spec["features"]})
  onnx.save(model, path)
`;
type BadSpec = { input?: string; output?: string; width?: number; features?: string | null };
const pathOf = (what: string): string => join(dir, `${what.replaceAll(' ', '-')}.onnx`);
/** One Python process writes every bad model (importing onnx takes a second or two). */
function writeBadModels(specs: readonly [string, BadSpec][]): void {
  const jobs = specs.map(([what, spec]) => [pathOf(what), { input: 'features', output: 'p_up', width: NAMES.length, features: NAMES.join(','), ...spec }]);
  const made = spawnSync(VENV_PYTHON, ['-c', MAKE_MODEL + MAKE_MODELS, JSON.stringify(jobs)], { encoding: 'utf8' });
  expect(made.status, made.stderr).toBe(0);
}

describe('model inference', () => {
  it('gives the Python onnxruntime outputs for the golden inputs, batched and one row at a time', async () => {
    expect(golden.features).toEqual(NAMES);
    const model = await ModelInference.start(MODEL, NAMES, 5);
    try {
      expect(model.warmupNs).toHaveLength(5);
      const batch = await model.infer(Float32Array.from(golden.inputs.flat()), golden.inputs.length);
      expect(batch.output).toHaveLength(golden.outputs.length);
      batch.output.forEach((p, i) => expect(Math.abs(p - golden.outputs[i]!)).toBeLessThanOrEqual(golden.tolerance));
      const singles = await Promise.all(golden.inputs.slice(0, 8).map((row) => model.infer(Float32Array.from(row))));
      singles.forEach((r, i) => expect(Math.abs(r.output[0]! - golden.outputs[i]!)).toBeLessThanOrEqual(golden.tolerance));
      expect(singles.every((r) => r.inferNs > 0)).toBe(true);
      await expect(model.infer(new Float32Array(8))).rejects.toThrow(/1 row\(s\) of 9 features need 9 numbers, got 8/);
    } finally {
      await model.close();
    }
    await expect(model.infer(new Float32Array(9))).rejects.toThrow(/closed/);
  });

  it('reads the feature columns the shipped model declares', () => {
    expect(readOnnxMetadata(readFileSync(MODEL)).get('cwts.features')).toBe(NAMES.join(','));
  });

  const mismatches: [string, BadSpec, RegExp][] = [
    ['too few features', { width: 8 }, /input 'features' is float32 \[batch, 8\]; expected float32 \[batch, 9\] \(9 features\)/],
    ['another input name', { input: 'x' }, /it has inputs 'x'; expected one input 'features' float32 \[batch, 9\]/],
    ['another output', { output: 'score' }, /it has outputs 'score'; expected 'p_up' float32 \[batch, 1\]/],
    ['a wide output', {}, /its output 'p_up' is float32 \[batch, 9\]; expected float32 \[batch, 1\]/],
    ['no declared features', { width: 1, features: null }, /does not declare its feature columns \(metadata 'cwts.features'\)/],
    ['other features', { features: 'a,b,c,d,e,f,g,h,i' }, /trained on the features a,b,c,d,e,f,g,h,i; the engine builds return_1,return_10/],
  ];
  beforeAll(() => writeBadModels(mismatches.map(([what, spec]) => [what, spec])));
  for (const [what, , message] of mismatches) {
    it(`refuses a model with ${what}, saying what it found and what it expected`, async () => {
      const error = await ModelInference.start(pathOf(what), NAMES, 1).catch((e: Error) => e);
      expect(error).toBeInstanceOf(ModelContractError);
      expect((error as Error).message).toMatch(/^model .*\.onnx does not fit the engine's feature set: /);
      expect((error as Error).message).toMatch(message);
    });
  }

  it('refuses a file that is not a model, and a missing one, with the reason', async () => {
    const junk = join(dir, 'junk.onnx');
    writeFileSync(junk, 'not a protobuf at all');
    await expect(ModelInference.start(junk, NAMES, 1)).rejects.toThrow(/model .*junk\.onnx: (cannot read it|onnxruntime cannot load it)/);
    await expect(ModelInference.start(join(dir, 'missing.onnx'), NAMES, 1)).rejects.toThrow(/missing\.onnx: cannot read it: ENOENT/);
  });
});
