/** The fusion stage's vote: weights, confidences, abstentions, windows and refusals, with the time given by hand. */
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../src/config/load.js';
import { FusionStage, type Vote } from '../src/fusion/fusion-stage.js';

const fifty = { sources: [{ source: 'strategy:7', weight: 0.5 }, { source: 'model:m', weight: 0.5 }], windowMs: 100, threshold: 0.5, minSources: 2 };
const vote = (source: string, side: 'buy' | 'sell', confidence: number, symbol = 'BTC/USDT'): Vote => ({ source, symbol, side, confidence });

describe('fusion stage', () => {
  it('buys when a 50/50 technical and model pair agree strongly enough, as soon as both voted', () => {
    const stage = new FusionStage(fifty);
    expect(stage.propose(vote('strategy:7', 'buy', 0.8), 1000)).toEqual({ accepted: true, closesAtMs: 1100 });
    expect(stage.due(1010)).toEqual([]);
    stage.propose(vote('model:m', 'buy', 0.6), 1020);
    const [decision] = stage.due(1020);
    expect(decision).toMatchObject({ symbol: 'BTC/USDT', decision: 'buy', reason: 'voted', openedAtMs: 1000, decidedAtMs: 1020, threshold: 0.5 });
    expect(decision!.score).toBeCloseTo(0.5 * 0.8 + 0.5 * 0.6, 12);
    expect(decision!.votes.map((v) => [v.source, v.side, v.confidence, v.weight, v.atMs])).toEqual([['strategy:7', 'buy', 0.8, 0.5, 1000], ['model:m', 'buy', 0.6, 0.5, 1020]]);
    expect(stage.nextDeadline()).toBeUndefined();
  });

  it('decides nothing when the sources disagree and cancel out, or agree too weakly', () => {
    const stage = new FusionStage(fifty);
    stage.propose(vote('strategy:7', 'buy', 0.9), 0);
    stage.propose(vote('model:m', 'sell', 0.7), 0);
    const [split] = stage.due(0);
    expect(split).toMatchObject({ decision: 'none', reason: 'below-threshold' });
    expect(split!.score).toBeCloseTo(0.1, 12);
    stage.propose(vote('strategy:7', 'sell', 0.5), 10);
    stage.propose(vote('model:m', 'sell', 0.45), 10);
    expect(stage.due(10)[0]).toMatchObject({ decision: 'none', reason: 'below-threshold' });
  });

  it('sells on a strong enough weighted majority, with a heavier source', () => {
    const stage = new FusionStage({ ...fifty, sources: [{ source: 'a', weight: 3 }, { source: 'b', weight: 1 }], threshold: 0.4 });
    stage.propose(vote('a', 'sell', 0.9), 0);
    stage.propose(vote('b', 'buy', 0.9), 0);
    const [decision] = stage.due(0);
    expect(decision).toMatchObject({ decision: 'sell', reason: 'voted' });
    expect(decision!.score).toBeCloseTo((-3 * 0.9 + 1 * 0.9) / 4, 12);
  });

  it('lets a silent source abstain: alone in its window, a vote decides nothing when the window closes', () => {
    const stage = new FusionStage({ ...fifty, minSources: 1 });
    stage.propose(vote('strategy:7', 'buy', 0.9), 0);
    expect(stage.nextDeadline()).toBe(100);
    expect(stage.due(99)).toEqual([]);
    const [decision] = stage.due(100);
    expect(decision).toMatchObject({ decision: 'none', reason: 'below-threshold' });
    // 0.9 alone would pass 0.5 if only voters counted; the silent half of the weight abstains.
    expect(decision!.score).toBeCloseTo((0.5 * 0.9) / 1, 12);
    const strict = new FusionStage(fifty);
    strict.propose(vote('model:m', 'sell', 1), 0);
    expect(strict.due(100)[0]).toMatchObject({ decision: 'none', reason: 'too-few-sources' });
  });

  it("keeps a source's latest vote in a window, and keeps symbols apart", () => {
    const stage = new FusionStage(fifty);
    stage.propose(vote('strategy:7', 'sell', 0.9), 0);
    stage.propose(vote('strategy:7', 'buy', 0.9), 5);
    stage.propose(vote('model:m', 'buy', 0.9, 'ETH/USDT'), 6);
    expect(stage.due(50)).toEqual([]);
    stage.propose(vote('model:m', 'buy', 0.9), 60);
    const decided = stage.due(60);
    expect(decided.map((d) => [d.symbol, d.decision])).toEqual([['BTC/USDT', 'buy']]);
    expect(decided[0]!.votes).toHaveLength(2);
    expect(stage.due(106).map((d) => [d.symbol, d.reason])).toEqual([['ETH/USDT', 'too-few-sources']]);
  });

  it('refuses unknown sources and bad votes with a reason, and counts nothing from them', () => {
    const stage = new FusionStage(fifty);
    expect(stage.propose(vote('strategy:8', 'buy', 1), 0)).toMatchObject({ accepted: false, reason: 'UNKNOWN_SOURCE', message: expect.stringMatching(/"strategy:8" is not in fusion.sources \(strategy:7, model:m\)/) });
    expect(stage.propose({ ...vote('model:m', 'buy', 1), side: 'hold' as never }, 0)).toMatchObject({ accepted: false, reason: 'INVALID_SIDE' });
    for (const confidence of [Number.NaN, -0.1, 1.5, Infinity, '0.5' as never]) {
      expect(stage.propose(vote('model:m', 'buy', confidence), 0)).toMatchObject({ accepted: false, reason: 'INVALID_CONFIDENCE' });
    }
    expect(stage.propose(vote('model:m', 'buy', 1, ''), 0)).toMatchObject({ accepted: false, reason: 'INVALID_SYMBOL' });
    expect(stage.nextDeadline()).toBeUndefined();
  });

  it('is configured by the fusion block, which refuses a source listed twice and bad numbers', () => {
    expect(validateConfig({ fusion: { sources: fifty.sources } }).fusion).toMatchObject({ windowMs: 500, threshold: 0.5, minSources: 2, strategyId: 9000, trade: true });
    expect(validateConfig({}).fusion).toBeUndefined();
    expect(() => validateConfig({ fusion: { sources: [fifty.sources[0], fifty.sources[0]] } })).toThrow(/fusion.sources: each source may be listed once/);
    expect(() => validateConfig({ fusion: { sources: [{ source: 'a', weight: -1 }], threshold: 2 } })).toThrow(/fusion.sources\[0\].weight[\s\S]*fusion.threshold/);
    expect(() => validateConfig({ fusion: { sources: [{ source: 'strategy:9000', weight: 1 }] } })).toThrow(/fusion.strategyId: must not be one of fusion.sources: the fused orders would come back as votes/);
    expect(() => validateConfig({ model: { path: 'm.onnx', buyAbove: 0.55, sellBelow: 0.45, trade: true } })).not.toThrow();
    expect(() => validateConfig({ model: { path: 'm.onnx', buyAbove: 0.4 } })).toThrow(/model.buyAbove/);
  });
});
