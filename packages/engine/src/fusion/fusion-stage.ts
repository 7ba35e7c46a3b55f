/**
 * Signal fusion: several sources (strategies, models) signalling one symbol within a window
 * become one decision, a weighted vote by confidence. The score is
 *
 *     score = Σ over votes of weight × confidence × (+1 buy, −1 sell)  /  Σ over ALL configured sources of weight
 *
 * so a configured source that stays silent abstains and pulls the score toward zero. The
 * window decides `buy` or `sell` when at least `minSources` voted and |score| ≥ threshold,
 * else `none` with the reason. It knows no clock and no I/O: the caller passes the time.
 */
import type { FusionConfig } from '../config/schema.js';

export interface Vote {
  readonly source: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  /** 0..1. */
  readonly confidence: number;
}

export interface CountedVote extends Vote {
  readonly weight: number;
  readonly atMs: number;
}

export type FusionReason = 'voted' | 'too-few-sources' | 'below-threshold';

export interface FusionDecision {
  readonly symbol: string;
  readonly decision: 'buy' | 'sell' | 'none';
  readonly reason: FusionReason;
  /** −1..1. */
  readonly score: number;
  readonly threshold: number;
  readonly openedAtMs: number;
  readonly decidedAtMs: number;
  /** Every vote the window counted, the latest of each source. */
  readonly votes: readonly CountedVote[];
}

export type VoteRefusal = 'UNKNOWN_SOURCE' | 'INVALID_SIDE' | 'INVALID_CONFIDENCE' | 'INVALID_SYMBOL';
export type ProposeResult = { readonly accepted: true; readonly closesAtMs: number } | { readonly accepted: false; readonly reason: VoteRefusal; readonly message: string };

interface Window {
  readonly openedAtMs: number;
  readonly votes: Map<string, CountedVote>;
}

export class FusionStage {
  private readonly weights: ReadonlyMap<string, number>;
  private readonly totalWeight: number;
  private readonly windows = new Map<string, Window>();

  constructor(private readonly config: Pick<FusionConfig, 'sources' | 'windowMs' | 'threshold' | 'minSources'>) {
    this.weights = new Map(config.sources.map((s) => [s.source, s.weight]));
    this.totalWeight = config.sources.reduce((sum, s) => sum + s.weight, 0);
  }

  /** Counts a vote in its symbol's window (opening one if none is open); a source's later vote replaces its earlier one. */
  propose(vote: Vote, nowMs: number): ProposeResult {
    const weight = this.weights.get(vote.source);
    if (weight === undefined) return refuse('UNKNOWN_SOURCE', `source ${JSON.stringify(vote.source)} is not in fusion.sources (${[...this.weights.keys()].join(', ')})`);
    if (vote.side !== 'buy' && vote.side !== 'sell') return refuse('INVALID_SIDE', `side must be 'buy' or 'sell', got ${JSON.stringify(vote.side)}`);
    if (typeof vote.confidence !== 'number' || !(vote.confidence >= 0 && vote.confidence <= 1)) return refuse('INVALID_CONFIDENCE', `confidence must be a number in 0..1, got ${String(vote.confidence)}`);
    if (typeof vote.symbol !== 'string' || vote.symbol === '') return refuse('INVALID_SYMBOL', `symbol must be a non-empty string, got ${JSON.stringify(vote.symbol)}`);
    let window = this.windows.get(vote.symbol);
    if (!window) this.windows.set(vote.symbol, (window = { openedAtMs: nowMs, votes: new Map() }));
    window.votes.set(vote.source, { source: vote.source, symbol: vote.symbol, side: vote.side, confidence: vote.confidence, weight, atMs: nowMs });
    return { accepted: true, closesAtMs: window.openedAtMs + this.config.windowMs };
  }

  /** Decides and closes every window whose time is up, or in which every source has voted. */
  due(nowMs: number): FusionDecision[] {
    const decided: FusionDecision[] = [];
    for (const [symbol, window] of this.windows) {
      if (nowMs < window.openedAtMs + this.config.windowMs && window.votes.size < this.weights.size) continue;
      this.windows.delete(symbol);
      decided.push(this.decide(symbol, window, nowMs));
    }
    return decided;
  }

  /** When the earliest open window closes; undefined when none is open. */
  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const window of this.windows.values()) next = Math.min(next ?? Infinity, window.openedAtMs + this.config.windowMs);
    return next;
  }

  private decide(symbol: string, window: Window, nowMs: number): FusionDecision {
    const votes = [...window.votes.values()];
    let sum = 0;
    for (const v of votes) sum += v.weight * v.confidence * (v.side === 'buy' ? 1 : -1);
    const score = sum / this.totalWeight;
    const reason: FusionReason = votes.length < this.config.minSources ? 'too-few-sources' : Math.abs(score) < this.config.threshold ? 'below-threshold' : 'voted';
    const decision = reason !== 'voted' ? 'none' : score > 0 ? 'buy' : 'sell';
    return { symbol, decision, reason, score, threshold: this.config.threshold, openedAtMs: window.openedAtMs, decidedAtMs: nowMs, votes };
  }
}

function refuse(reason: VoteRefusal, message: string): ProposeResult {
  return { accepted: false, reason, message };
}
