/**
 * The engine's own signal sources, wired together: the model (when configured) and the
 * fusion stage (when configured), with the outlet their orders leave through. A model
 * listed in fusion.sources votes; otherwise, with `model.trade`, it sends its orders
 * itself. Votes can also come from Node callers (`Engine.propose`), under their source name.
 */
import { basename, extname } from 'node:path';
import type { EngineConfig } from '../config/schema.js';
import type { SendResult, SignalOutlet } from '../execution/signal-outlet.js';
import type { Trade } from '../market/events.js';
import type { SymbolState } from '../market/pipeline.js';
import { featureNames, FEATURE_WINDOWS_V1 } from '../model/feature-set.js';
import { ModelInference } from '../model/model-inference.js';
import { ModelSignalSource, type ModelCounts, type ModelOutput } from '../model/model-signal-source.js';
import { FusionStage, type FusionDecision, type ProposeResult, type Vote } from './fusion-stage.js';

/** A fused decision, and what became of its order when it asked for one. */
export interface FusionOutcome extends FusionDecision {
  readonly strategyId: number;
  readonly order?: SendResult;
}

/** A model output, and what became of its order when it sent one itself. */
export interface ModelEvent extends ModelOutput {
  readonly order?: SendResult;
}

export interface ModelState extends ModelCounts {
  readonly source: string;
  /** The warm-up runs before the engine took market data, ns each. */
  readonly warmupNs: readonly number[];
  /** Per symbol, the book updates that gave no vector, by why, and the trades left out. */
  readonly symbols: ReturnType<ModelSignalSource['features']>;
}

export interface SignalSourceSinks {
  model(event: ModelEvent): void;
  fusion(outcome: FusionOutcome): void;
  /** Something failed that the engine should say, without stopping. */
  warn(message: string): void;
}

export class SignalSources {
  private readonly lastOrderMs = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private timerAtMs = Infinity;
  private model: ModelSignalSource | undefined;
  private inference: ModelInference | undefined;
  private readonly fusion: FusionStage | undefined;

  private constructor(private readonly config: EngineConfig, private readonly outlet: SignalOutlet, private readonly sinks: SignalSourceSinks) {
    this.fusion = config.fusion && new FusionStage(config.fusion);
  }

  /** Loads, checks and warms up the model before the engine takes market data; undefined when neither block is configured. */
  static async open(config: EngineConfig, symbols: readonly string[], outlet: SignalOutlet, sinks: SignalSourceSinks): Promise<SignalSources | undefined> {
    if (!config.model && !config.fusion) return undefined;
    const sources = new SignalSources(config, outlet, sinks);
    const model = config.model;
    if (model) {
      const unknown = (model.symbols ?? []).filter((s) => !symbols.includes(s));
      if (unknown.length) throw new RangeError(`model.symbols names ${unknown.join(', ')}, which no feed provides (${symbols.join(', ')})`);
      sources.inference = await ModelInference.start(model.path, featureNames(FEATURE_WINDOWS_V1), model.warmupRuns);
      const name = model.name ?? basename(model.path, extname(model.path));
      sources.model = new ModelSignalSource(name, model, sources.inference, model.symbols ?? symbols, (output) => sources.onModelOutput(output), (error) => sinks.warn(`model ${name}: ${error.message}`));
    }
    return sources;
  }

  /** What the model did so far, when one runs: for `Engine.state()`. */
  modelState(): ModelState | undefined {
    const model = this.model;
    return model && { source: `model:${model.name}`, ...model.counts, warmupNs: [...this.inference!.warmupNs], symbols: model.features() };
  }

  onBook(state: SymbolState): void {
    this.model?.onBook(state);
  }

  onTrade(trade: Trade): void {
    this.model?.onTrade(trade);
  }

  /** A vote for the fusion stage; refused (with the reason) when fusion is off or the vote is bad. */
  propose(vote: Vote): ProposeResult {
    if (!this.fusion) return { accepted: false, reason: 'UNKNOWN_SOURCE', message: 'fusion is not configured (no fusion block)' };
    const result = this.fusion.propose(vote, Date.now());
    if (result.accepted) this.decideDue();
    return result;
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.model?.close();
    await this.inference?.close();
  }

  private onModelOutput(output: ModelOutput): void {
    const source = `model:${output.model}`;
    const model = this.config.model!;
    if (output.side && this.config.fusion?.sources.some((s) => s.source === source)) {
      this.propose({ source, symbol: output.symbol, side: output.side, confidence: output.confidence });
      return this.sinks.model(output);
    }
    if (!output.side || !model.trade || output.atMs - (this.lastOrderMs.get(output.symbol) ?? -Infinity) < model.cooldownMs) return this.sinks.model(output);
    this.lastOrderMs.set(output.symbol, output.atMs);
    const order = this.outlet.sendMarket(model.strategyId, output.symbol, output.side, model.orderSize[output.symbol], output.confidence);
    this.sinks.model({ ...output, order });
  }

  /** Decides the windows that are due, then sets the timer for the next one. */
  private decideDue(): void {
    const fusion = this.fusion!;
    const config = this.config.fusion!;
    for (const decision of fusion.due(Date.now())) {
      const order = decision.decision !== 'none' && config.trade
        ? this.outlet.sendMarket(config.strategyId, decision.symbol, decision.decision, config.orderSize[decision.symbol], Math.abs(decision.score))
        : undefined;
      this.sinks.fusion({ ...decision, strategyId: config.strategyId, ...(order ? { order } : {}) });
    }
    const next = fusion.nextDeadline();
    if (next === undefined || next >= this.timerAtMs) return;
    clearTimeout(this.timer);
    this.timerAtMs = next;
    this.timer = setTimeout(() => {
      this.timerAtMs = Infinity;
      this.decideDue();
    }, Math.max(0, next - Date.now()));
  }
}
