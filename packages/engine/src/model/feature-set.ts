/**
 * The model's feature set: what each input column means, as formulas over the last book
 * updates and trades of one symbol. docs/model.md documents every feature; the Python
 * trainer (python/cwts/features.py) implements the same formulas, and both are checked
 * against packages/engine/models/features-golden.json.
 *
 * Windows count book updates (or trades), not milliseconds: the same event sequence then
 * gives the same vector at any replay speed, so training data and live inference agree.
 */

export interface FeatureWindows {
  /** Log mid returns over these many book updates, one feature each. */
  readonly returns: readonly number[];
  /** Size imbalance over the top k levels per side, one feature per k. */
  readonly imbalanceLevels: readonly number[];
  /** Standard deviation of the one-update mid returns over this many updates. */
  readonly volatilityWindow: number;
  /** Signed taker volume share over this many trades. */
  readonly tradeWindow: number;
}

/** The feature set the shipped model was trained on. */
export const FEATURE_WINDOWS_V1: FeatureWindows = {
  returns: [1, 10, 50],
  imbalanceLevels: [1, 5, 20],
  volatilityWindow: 50,
  tradeWindow: 50,
};

/** Returns are in basis points of the mid: small models train badly on 1e-5 scale inputs. */
export const BPS = 1e4;

/** Column names in order; a model declares these names (docs/model.md, "The model contract"). */
export function featureNames(windows: FeatureWindows): string[] {
  return [
    ...windows.returns.map((n) => `return_${n}`),
    'spread',
    ...windows.imbalanceLevels.map((k) => `imbalance_${k}`),
    `volatility_${windows.volatilityWindow}`,
    `trade_flow_${windows.tradeWindow}`,
  ];
}

/** Book updates a symbol needs before its first vector: the longest look-back plus the current one. */
export function warmupUpdates(windows: FeatureWindows): number {
  return Math.max(...windows.returns, windows.volatilityWindow) + 1;
}

/** Rejects windows the formulas cannot use, with the field that is wrong. */
export function checkWindows(windows: FeatureWindows): void {
  const positiveInts = (name: string, values: readonly number[]): void => {
    if (values.length === 0) throw new RangeError(`feature windows: ${name} must list at least one window`);
    for (const v of values) if (!Number.isInteger(v) || v < 1) throw new RangeError(`feature windows: ${name} must be integers >= 1, got ${v}`);
  };
  positiveInts('returns', windows.returns);
  positiveInts('imbalanceLevels', windows.imbalanceLevels);
  positiveInts('volatilityWindow', [windows.volatilityWindow]);
  positiveInts('tradeWindow', [windows.tradeWindow]);
}
