/**
 * Reconciliation: the engine's working orders (followed from its own reports) against the
 * orders the venue says are open. The differences are what an operator must look at: orders
 * only the venue knows (left from a crash, placed by hand), orders only the engine believes
 * working, and orders whose open size disagrees.
 */
import { ReportKind } from '@cwts/shm-layout';
import type { Report } from '@cwts/py-bridge';

export interface WorkingOrder {
  readonly orderId: number;
  readonly clientOrderId: number;
  readonly strategyId: number;
  readonly symbol: string;
  readonly remaining: number;
}

export interface VenueOrder {
  /** The exchange's client order id (ours are `cwts<order id>`). */
  readonly clientId: string;
  readonly exchangeId: string;
  readonly symbol: string;
  readonly remaining: number;
}

export interface Reconciliation {
  readonly venue: string;
  readonly checkedAtMs: number;
  readonly matched: number;
  readonly onlyAtVenue: readonly VenueOrder[];
  readonly onlyInEngine: readonly WorkingOrder[];
  readonly sizeMismatch: readonly { readonly engine: WorkingOrder; readonly venue: VenueOrder }[];
}

const TERMINAL: ReadonlySet<number> = new Set([ReportKind.FILLED, ReportKind.CANCELLED, ReportKind.REJECTED, ReportKind.EXPIRED]);

/** The engine's working orders, kept up to date from the reports it publishes. */
export class OrderLedger {
  private readonly working = new Map<number, WorkingOrder>();

  constructor(private readonly symbolName: (index: number) => string) {}

  apply(report: Report): void {
    if (report.orderId === 0) return;
    if (TERMINAL.has(report.kind)) this.working.delete(report.orderId);
    else this.working.set(report.orderId, { orderId: report.orderId, clientOrderId: report.clientOrderId, strategyId: report.strategyId, symbol: this.symbolName(report.symbolIndex), remaining: report.remaining });
  }

  orders(): WorkingOrder[] {
    return [...this.working.values()];
  }
}

/** Pairs engine and venue orders by the client id the engine gave the venue. */
export function reconcile(venue: string, engine: readonly WorkingOrder[], atVenue: readonly VenueOrder[], clientIdOf: (orderId: number) => string): Reconciliation {
  const venueById = new Map(atVenue.map((o) => [o.clientId, o]));
  const onlyInEngine: WorkingOrder[] = [];
  const sizeMismatch: { engine: WorkingOrder; venue: VenueOrder }[] = [];
  let matched = 0;
  for (const order of engine) {
    const there = venueById.get(clientIdOf(order.orderId));
    if (!there) {
      onlyInEngine.push(order);
      continue;
    }
    venueById.delete(there.clientId);
    // Sizes are decimals from two sources: equal within a part in a billion.
    if (Math.abs(there.remaining - order.remaining) > 1e-9 * Math.max(1, order.remaining)) sizeMismatch.push({ engine: order, venue: there });
    else matched++;
  }
  return { venue, checkedAtMs: Date.now(), matched, onlyAtVenue: [...venueById.values()], onlyInEngine, sizeMismatch };
}
