/**
 * A model as a signal source: per symbol, the feature builder follows the book and the
 * trades the engine handles; once warm, every `everyUpdates`-th book update sends the
 * vector to the inference worker and turns p_up into a direction. A symbol has at most one
 * request in flight; the newest vector that arrives meanwhile goes next, and any older one
 * waiting is dropped: a queue would feed the model stale books.
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
  /** Vectors replaced by a newer one of their symbol before the model was free to run them. */
  superseded: number;
  failures: number;
}

interface SymbolFeatures {
  readonly builder: FeatureBuilder;
  readonly vector: Float64Array;
  updates: number;
  inFlight: boolean;
  /** The newest vector that came while a request was in flight: it goes next. */
  waiting: number[] | undefined;
}

export class ModelSignalSource {
  readonly counts: ModelCounts = { inferences: 0, superseded: 0, failures: 0 };
  private readonly symbols = new Map<string, SymbolFeatures>();
  private closed = false;

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
      this.symbols.set(symbol, { builder, vector: new Float64Array(builder.size), updates: 0, inFlight: false, waiting: undefined });
    }
  }

  onTrade(trade: Trade): void {
    this.symbols.get(trade.symbol)?.builder.onTrade(trade.side, trade.size);
  }

  /** Stops sending; answers to requests still in flight (rejected by the closing worker) are dropped. */
  close(): void {
    this.closed = true;
  }

  onBook(state: SymbolState): void {
    const s = this.symbols.get(state.symbol);
    if (this.closed || !s || !s.builder.onBook(state.book, s.vector)) return;
    if (s.updates++ % this.config.everyUpdates !== 0) return;
    const features = [...s.vector];
    if (!s.inFlight) return this.send(state.symbol, s, features);
    if (s.waiting) this.counts.superseded++;
    s.waiting = features;
  }

  private send(symbol: string, s: SymbolFeatures, features: number[]): void {
    s.inFlight = true;
    const started = process.hrtime.bigint();
    const settled = (): void => {
      s.inFlight = false;
      const next = s.waiting;
      s.waiting = undefined;
      if (next && !this.closed) this.send(symbol, s, next);
    };
    this.inference.infer(Float32Array.from(features)).then(
      ({ output, inferNs }) => {
        if (this.closed) return;
        this.counts.inferences++;
        this.onOutput(this.output(symbol, output[0]!, features, inferNs, Number(process.hrtime.bigint() - started)));
        settled();
      },
      (error: Error) => {
        if (this.closed) return;
        this.counts.failures++;
        this.onFailure(error);
        settled();
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
