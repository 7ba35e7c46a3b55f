/**
 * What a model must be for the engine to feed it (docs/model.md, "The model contract"):
 * one float32 input `features` of shape [batch, n] whose columns it declares in its
 * metadata (`cwts.features`, the engine's names in order), one float32 output `p_up` of
 * shape [batch, 1]. Anything else fails the load with what was found and what was expected.
 */
import type { InferenceSession } from 'onnxruntime-node';

export const INPUT_NAME = 'features';
export const OUTPUT_NAME = 'p_up';
export const FEATURES_KEY = 'cwts.features';

export class ModelContractError extends Error {
  constructor(path: string, problem: string) {
    super(`model ${path} does not fit the engine's feature set: ${problem}`);
    this.name = 'ModelContractError';
  }
}

function shapeText(meta: InferenceSession.ValueMetadata): string {
  return meta.isTensor ? `${meta.type} [${meta.shape.join(', ')}]` : 'not a tensor';
}

/** The problems of a model against the feature names, in words; empty when it fits. */
export function contractProblems(
  names: readonly string[],
  metadata: ReadonlyMap<string, string>,
  inputs: readonly InferenceSession.ValueMetadata[],
  outputs: readonly InferenceSession.ValueMetadata[],
): string[] {
  const problems: string[] = [];
  const expectedInput = `float32 [batch, ${names.length}]`;
  const input = inputs[0];
  if (inputs.length !== 1 || !input || input.name !== INPUT_NAME) {
    problems.push(`it has inputs ${inputs.map((i) => `'${i.name}'`).join(', ') || '(none)'}; expected one input '${INPUT_NAME}' ${expectedInput}`);
  } else if (!input.isTensor || input.type !== 'float32' || input.shape.length !== 2 || input.shape[1] !== names.length) {
    problems.push(`its input '${INPUT_NAME}' is ${shapeText(input)}; expected ${expectedInput} (${names.length} features)`);
  }
  const output = outputs.find((o) => o.name === OUTPUT_NAME);
  if (!output) problems.push(`it has outputs ${outputs.map((o) => `'${o.name}'`).join(', ') || '(none)'}; expected '${OUTPUT_NAME}' float32 [batch, 1]`);
  else if (!output.isTensor || output.type !== 'float32' || output.shape.length !== 2 || output.shape[1] !== 1) {
    problems.push(`its output '${OUTPUT_NAME}' is ${shapeText(output)}; expected float32 [batch, 1]`);
  }
  const declared = metadata.get(FEATURES_KEY);
  if (declared === undefined) problems.push(`it does not declare its feature columns (metadata '${FEATURES_KEY}'); expected ${names.join(',')}`);
  else if (declared !== names.join(',')) problems.push(`it was trained on the features ${declared}; the engine builds ${names.join(',')}`);
  return problems;
}
