/**
 * The feature builder against hand-computed vectors (packages/engine/models/features-golden.json);
 * python/tests/test_features.py checks the Python trainer's features against the same file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../src/book/order-book.js';
import type { Level } from '../src/market/events.js';
import { FeatureBuilder } from '../src/model/feature-builder.js';
import { FEATURE_WINDOWS_V1, featureNames, warmupUpdates, type FeatureWindows } from '../src/model/feature-set.js';

interface GoldenEvent {
  readonly book?: { readonly bids: Level[]; readonly asks: Level[] };
  readonly trade?: { readonly side: 'buy' | 'sell'; readonly size: number };
  readonly expect?: number[] | null;
}
const golden = JSON.parse(readFileSync(new URL('../models/features-golden.json', import.meta.url), 'utf8')) as {
  tolerance: number;
  cases: { name: string; windows: FeatureWindows; events: GoldenEvent[] }[];
};

function replay(windows: FeatureWindows, events: readonly GoldenEvent[]): { builder: FeatureBuilder; vectors: (number[] | null)[] } {
  const builder = new FeatureBuilder(windows);
  const book = new OrderBook('X/Y');
  const out = new Float64Array(builder.size);
  const vectors: (number[] | null)[] = [];
  events.forEach((event, sequence) => {
    if (event.trade) builder.onTrade(event.trade.side, event.trade.size);
    if (event.book) {
      book.applySnapshot({ type: 'snapshot', symbol: 'X/Y', exchangeTsMs: 0, receiveTsNs: 0, sequence, ...event.book });
      vectors.push(builder.onBook(book, out) ? [...out] : null);
    }
  });
  return { builder, vectors };
}

describe('feature builder', () => {
  for (const c of golden.cases) {
    it(`matches the hand-computed vectors: ${c.name}`, () => {
      const { vectors } = replay(c.windows, c.events);
      const expected = c.events.filter((e) => e.book).map((e) => e.expect ?? null);
      expect(vectors.map((v) => v === null)).toEqual(expected.map((v) => v === null));
      vectors.forEach((v, i) => v && v.forEach((x, j) => expect(x).toBeCloseTo(expected[i]![j]!, -Math.log10(golden.tolerance))));
    });
  }

  it('says why a book gave no vector, and leaves bad trades out', () => {
    const first = golden.cases[0]!;
    const { builder } = replay(first.windows, first.events);
    expect(builder.skipped).toEqual({ 'warming-up': 2, crossed: 1, 'one-sided': 1 });
    expect(builder.invalidTrades).toBe(2);
  });

  it('names the v1 columns in order and needs 51 updates before the first vector', () => {
    expect(featureNames(FEATURE_WINDOWS_V1)).toEqual([
      'return_1', 'return_10', 'return_50', 'spread', 'imbalance_1', 'imbalance_5', 'imbalance_20', 'volatility_50', 'trade_flow_50',
    ]);
    expect(warmupUpdates(FEATURE_WINDOWS_V1)).toBe(51);
  });

  it('refuses windows the formulas cannot use', () => {
    expect(() => new FeatureBuilder({ ...FEATURE_WINDOWS_V1, returns: [] })).toThrow(/returns must list at least one window/);
    expect(() => new FeatureBuilder({ ...FEATURE_WINDOWS_V1, volatilityWindow: 0 })).toThrow(/volatilityWindow must be integers >= 1, got 0/);
    expect(() => new FeatureBuilder({ ...FEATURE_WINDOWS_V1, imbalanceLevels: [2.5] })).toThrow(/imbalanceLevels/);
  });
});
