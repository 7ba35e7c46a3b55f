/**
 * Circuit breakers, watched on the main thread from what the hot loop reports: consecutive
 * losing closes, drawdown of the account's P&L from its peak, the share of signals rejected,
 * and the engine's receive-to-publish latency. A trip calls `onTrip` (the engine moves to the
 * configured mode); a tripped breaker stays tripped until reset, by the operator or after its
 * cool-down, as configured.
 */
import { ReportKind } from '@cwts/shm-layout';
import type { Report } from '@cwts/py-bridge';
import type { PositionRecord } from '../execution/record-ring.js';

export interface BreakerConfig {
  /** Losing closes in a row (realized P&L going down) per strategy. */
  readonly consecutiveLosses?: number | undefined;
  /** Account P&L (realized + unrealized) below its peak by more than this, quote currency. */
  readonly maxDrawdown?: number | undefined;
  /** Share of terminal reports that are rejects, over a window with at least `minReports`. */
  readonly errorRate?: { readonly limit: number; readonly windowMs: number; readonly minReports: number } | undefined;
  /** Receive-to-publish p99 above this, microseconds. */
  readonly latencyP99Us?: number | undefined;
  /** 'operator': only `reset` clears a trip; a number: it clears itself after so many ms. */
  readonly reset: 'operator' | number;
}

export type BreakerName = 'consecutive losses' | 'drawdown' | 'error rate' | 'latency';

export interface BreakerTrip {
  readonly breaker: BreakerName;
  readonly limit: number;
  readonly value: number;
  readonly atMs: number;
}

export class Breakers {
  private readonly tripped = new Map<BreakerName, BreakerTrip>();
  private readonly realized = new Map<string, number>();
  private readonly pnl = new Map<string, number>();
  private readonly losses = new Map<number, number>();
  private peak = 0;
  private readonly outcomes: { atMs: number; rejected: boolean }[] = [];

  constructor(private readonly config: BreakerConfig, private readonly onTrip: (trip: BreakerTrip) => void) {}

  /** Trips in force (ones whose cool-down passed are cleared first). */
  active(nowMs = Date.now()): BreakerTrip[] {
    if (this.config.reset !== 'operator') {
      for (const [name, trip] of this.tripped) if (nowMs - trip.atMs >= this.config.reset) this.tripped.delete(name);
    }
    return [...this.tripped.values()];
  }

  /** The operator's reset of every trip. */
  reset(): void {
    this.tripped.clear();
    this.losses.clear();
    this.outcomes.length = 0;
  }

  onPosition(p: PositionRecord, nowMs = Date.now()): void {
    const key = `${p.strategyId} ${p.symbolIndex}`;
    const before = this.realized.get(key);
    this.realized.set(key, p.realizedPnl);
    if (before !== undefined && p.realizedPnl !== before) {
      const streak = p.realizedPnl < before ? (this.losses.get(p.strategyId) ?? 0) + 1 : 0;
      this.losses.set(p.strategyId, streak);
      const limit = this.config.consecutiveLosses;
      if (limit !== undefined && streak >= limit) this.trip('consecutive losses', limit, streak, nowMs);
    }
    this.pnl.set(key, p.realizedPnl + p.unrealizedPnl);
    const total = [...this.pnl.values()].reduce((a, b) => a + b, 0);
    this.peak = Math.max(this.peak, total);
    const limit = this.config.maxDrawdown;
    if (limit !== undefined && this.peak - total > limit) this.trip('drawdown', limit, this.peak - total, nowMs);
  }

  onReport(report: Report, nowMs = Date.now()): void {
    const rule = this.config.errorRate;
    if (!rule || !(report.kind === ReportKind.FILLED || report.kind === ReportKind.CANCELLED || report.kind === ReportKind.REJECTED || report.kind === ReportKind.EXPIRED)) return;
    this.outcomes.push({ atMs: nowMs, rejected: report.kind === ReportKind.REJECTED });
    while (this.outcomes.length && nowMs - this.outcomes[0]!.atMs > rule.windowMs) this.outcomes.shift();
    if (this.outcomes.length < rule.minReports) return;
    const share = this.outcomes.filter((o) => o.rejected).length / this.outcomes.length;
    if (share > rule.limit) this.trip('error rate', rule.limit, share, nowMs);
  }

  onLatency(p99Ns: number, nowMs = Date.now()): void {
    const limit = this.config.latencyP99Us;
    if (limit !== undefined && p99Ns / 1000 > limit) this.trip('latency', limit, p99Ns / 1000, nowMs);
  }

  private trip(breaker: BreakerName, limit: number, value: number, atMs: number): void {
    this.active(atMs);
    if (this.tripped.has(breaker)) return;
    const trip = { breaker, limit, value, atMs };
    this.tripped.set(breaker, trip);
    this.onTrip(trip);
  }
}
