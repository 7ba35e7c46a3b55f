/**
 * @cwts/engine: `Engine.start(config)` runs feeds into books, books into the shared-memory
 * segment, trades into candles; `on` / `events` subscribe, `state` and `candles` query,
 * `stop` ends it. docs/engine.md is the reference.
 */
export { Engine, ExecutionOffError, type EngineSignal, type RiskEvent, type EngineEvents, type EngineState, type EngineSummary, type SymbolReport, type ColocationState, type EngineOptions } from './engine.js';
export { ConfigError, loadConfig, validateConfig } from './config/load.js';
export type { EngineConfig, EngineConfigInput, FeedConfig, GpioKillConfig, NetworkConfig, RiskConfig, StrategyLimits } from './config/schema.js';
export { LIMIT_FIELDS, LimitUpdateError, type LimitTarget, type LimitUpdate } from './risk/limit-update.js';
// The schema only: zeromq loads with the engine's network, or with the client from '@cwts/engine/network'.
export { COMMANDS, ERROR_CODES, SCHEMA_VERSION, TOPICS, type ControlReply, type ControlRequest, type ErrorCode, type EventEnvelope, type WireReport } from './network/schema.js';
export type { NetworkCounts } from './network/network-service.js';
export type { PublishedBook } from './market/pipeline.js';
export type { BookDelta, BookSnapshot, Feed, FeedState, FeedStatus, Instrument, Level, MarketEvent, Ticker, Trade } from './market/events.js';
export type { Candle } from './candles/candle-builder.js';
export type { CandleQuery } from './candles/candle-store.js';
export { TIMEFRAMES, type Timeframe } from './candles/timeframes.js';
export type { ValidationCounts } from './book/validation.js';
export type { KillEvent, KillSource } from './kill/kill-switch.js';
export type { GpioKillLineEvent } from './kill/gpio-kill-source.js';
export type { ModeChange, ModeName } from './modes/control-mode.js';
export type { StoredFill, StoredPosition } from './execution/trade-store.js';
export type { ExecutionSummary } from './execution/execution-thread.js';
export type { Reconciliation, VenueOrder, WorkingOrder } from './execution/reconciliation.js';
export type { Report } from '@cwts/py-bridge';
export type { EventStream } from './events/emitter.js';
export type { ModelConfig, FusionConfig } from './config/schema.js';
export type { FusionOutcome, ModelEvent, ModelState } from './fusion/signal-sources.js';
export type { CountedVote, FusionDecision, FusionReason, ProposeResult, Vote, VoteRefusal } from './fusion/fusion-stage.js';
export type { SendResult } from './execution/signal-outlet.js';
export { ModelContractError } from './model/model-contract.js';
export { FEATURE_WINDOWS_V1, featureNames, type FeatureWindows } from './model/feature-set.js';
export { main as cliMain } from './cli/main.js';
