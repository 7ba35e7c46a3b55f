/**
 * The feature builder against hand-computed vectors (packages/engine/models/features-golden.json);
 * python/tests/test_features.py checks the Python trainer's features against the same file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM build helpers shared with scripts/test.mjs
import { ROOT, VENV_PYTHON } from '../../../scripts/bootstrap.mjs';
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

// The trainer's side: cwts.features over the same recording, every vector with its symbol.
const PYTHON_VECTORS = `
import gzip, json, sys
from cwts.features import FEATURE_WINDOWS_V1, FeatureBuilder
with gzip.open(sys.argv[1], "rt") as lines:
    header = json.loads(next(lines))
    builders = [FeatureBuilder(FEATURE_WINDOWS_V1) for _ in header["symbols"]]
    out = []
    for line in lines:
        e = json.loads(line)
        if "t" in e:
            builders[e["s"]].on_trade(e["t"], e["q"])
        else:
            v = builders[e["s"]].on_book(e["b"], e["a"])
            if v is not None:
                out.append([e["s"], v])
print(json.dumps(out))
`;

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

  it('gives the vectors the Python trainer computes, on a recording of the simulated venue', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cwts-features-'));
    try {
      const data = join(dir, 'sim.jsonl.gz');
      execFileSync(process.execPath, [join(ROOT, 'scripts/model/simulate-training-data.mjs'), '--seed', '5', '--steps', '3000', '--out', data], { stdio: 'pipe' });
      const python = execFileSync(VENV_PYTHON, ['-c', PYTHON_VECTORS, data], { encoding: 'utf8', maxBuffer: 64 << 20 });
      const expected = JSON.parse(python) as [number, number[]][];
      const lines = gunzipSync(readFileSync(data)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { s: number; t?: 'buy' | 'sell'; q?: number; b?: Level[]; a?: Level[] });
      const symbols = (lines[0] as unknown as { symbols: string[] }).symbols;
      const builders = symbols.map(() => new FeatureBuilder(FEATURE_WINDOWS_V1));
      const books = symbols.map((s) => new OrderBook(s));
      const out = new Float64Array(builders[0]!.size);
      const got: [number, number[]][] = [];
      lines.slice(1).forEach((e, sequence) => {
        if (e.t) return builders[e.s]!.onTrade(e.t, e.q!);
        books[e.s]!.applySnapshot({ type: 'snapshot', symbol: symbols[e.s]!, exchangeTsMs: 0, receiveTsNs: 0, sequence, bids: e.b!, asks: e.a! });
        if (builders[e.s]!.onBook(books[e.s]!, out)) got.push([e.s, [...out]]);
      });
      expect(got.length).toBeGreaterThan(2000);
      expect(got.map(([s]) => s)).toEqual(expected.map(([s]) => s));
      let worst = 0;
      got.forEach(([, v], i) => v.forEach((x, j) => (worst = Math.max(worst, Math.abs(x - expected[i]![1][j]!)))));
      expect(worst).toBeLessThanOrEqual(1e-9);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses windows the formulas cannot use', () => {
    expect(() => new FeatureBuilder({ ...FEATURE_WINDOWS_V1, returns: [] })).toThrow(/returns must list at least one window/);
    expect(() => new FeatureBuilder({ ...FEATURE_WINDOWS_V1, volatilityWindow: 0 })).toThrow(/volatilityWindow must be integers >= 1, got 0/);
    expect(() => new FeatureBuilder({ ...FEATURE_WINDOWS_V1, imbalanceLevels: [2.5] })).toThrow(/imbalanceLevels/);
  });
});
