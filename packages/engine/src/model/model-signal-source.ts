/**
 * A model as a signal source: per symbol, the feature builder follows the book and the
 * trades the engine handles; once warm, every `everyUpdates`-th book update sends the
 * vector to the inference worker (at most one request per symbol in flight: a busy model
 * skips updates rather than queueing stale ones) and turns p_up into a direction.
 */
import type { ModelConfig } from '../config/schema.js';
import type { Trade } from '../market/events.js';
import type { SymbolState } from '../market/pipeline.js';
import { FeatureBuilder } from './feature-builder.js';
import { FEATURE_WINDOWS_V1 } from './feature-set.js';
import type { ModelInference } from './model-inference.js';

export interface ModelOutput {
  readonly model: string;
  readonly symbol: string;
  /** The model's probability that the mid goes up. */
  readonly pUp: number;
  /** `buy` at or above buyAbove, `sell` at or below sellBelow, else undefined. */
  readonly side: 'buy' | 'sell' | undefined;
  /** The chosen side's probability (p_up for a buy, 1 − p_up for a sell); 0 without a side. */
  readonly confidence: number;
  readonly features: readonly number[];
  /** The run inside the worker, and feature vector to output on this thread, ns. */
  readonly inferNs: number;
  readonly roundTripNs: number;
  readonly atMs: number;
}

export interface ModelCounts {
  inferences: number;
  /** Updates skipped because the symbol's previous request was still running. */
  busy: number;
  failures: number;
}

interface SymbolFeatures {
  readonly builder: FeatureBuilder;
  readonly vector: Float64Array;
  updates: number;
  inFlight: boolean;
}

export class ModelSignalSource {
  readonly counts: ModelCounts = { inferences: 0, busy: 0, failures: 0 };
  private readonly symbols = new Map<string, SymbolFeatures>();

  constructor(
    readonly name: string,
    private readonly config: ModelConfig,
    private readonly inference: ModelInference,
    symbols: readonly string[],
    private readonly onOutput: (output: ModelOutput) => void,
    private readonly onFailure: (error: Error) => void,
  ) {
    for (const symbol of symbols) {
      const builder = new FeatureBuilder(FEATURE_WINDOWS_V1);
      this.symbols.set(symbol, { builder, vector: new Float64Array(builder.size), updates: 0, inFlight: false });
    }
  }

  onTrade(trade: Trade): void {
    this.symbols.get(trade.symbol)?.builder.onTrade(trade.side, trade.size);
  }

  onBook(state: SymbolState): void {
    const s = this.symbols.get(state.symbol);
    if (!s || !s.builder.onBook(state.book, s.vector)) return;
    if (s.updates++ % this.config.everyUpdates !== 0) return;
    if (s.inFlight) {
      this.counts.busy++;
      return;
    }
    s.inFlight = true;
    const features = [...s.vector];
    const started = process.hrtime.bigint();
    this.inference.infer(Float32Array.from(features)).then(
      ({ output, inferNs }) => {
        s.inFlight = false;
        this.counts.inferences++;
        this.onOutput(this.output(state.symbol, output[0]!, features, inferNs, Number(process.hrtime.bigint() - started)));
      },
      (error: Error) => {
        s.inFlight = false;
        this.counts.failures++;
        this.onFailure(error);
      },
    );
  }

  /** Features and skips per symbol, for `state()`. */
  features(): Record<string, { skipped: FeatureBuilder['skipped']; invalidTrades: number }> {
    return Object.fromEntries([...this.symbols].map(([symbol, s]) => [symbol, { skipped: { ...s.builder.skipped }, invalidTrades: s.builder.invalidTrades }]));
  }

  private output(symbol: string, pUp: number, features: number[], inferNs: number, roundTripNs: number): ModelOutput {
    const side = pUp >= this.config.buyAbove ? 'buy' : pUp <= this.config.sellBelow ? 'sell' : undefined;
    const confidence = side === 'buy' ? pUp : side === 'sell' ? 1 - pUp : 0;
    return { model: this.name, symbol, pUp, side, confidence, features, inferNs, roundTripNs, atMs: Date.now() };
  }
}
