/**
 * A live venue as the hot loop sees it: orders go out through the record ring to the main
 * thread, which talks to the exchange (order-router.ts); the answers come back as venue
 * events. Prices and sizes leave in the venue's decimals.
 */
import { fromUnits, incrementsOf } from '../units.js';
import type { InstrumentTable } from './signal-validation.js';
import { REQUEST_OP, type RecordRing } from './record-ring.js';
import type { Venue } from './venue.js';

export class RemoteVenue implements Venue {
  constructor(private readonly requests: RecordRing, private readonly instruments: InstrumentTable) {}

  submit(symbolIndex: number, orderId: number, _owner: number, side: 'buy' | 'sell', market: boolean, timeInForce: number, priceTicks: number, lots: number): undefined {
    this.send(REQUEST_OP.NEW, symbolIndex, orderId, side === 'buy', market, timeInForce, priceTicks, lots);
  }

  cancel(symbolIndex: number, orderId: number): undefined {
    this.send(REQUEST_OP.CANCEL, symbolIndex, orderId, false, false, 0, 0, 0);
  }

  modify(symbolIndex: number, orderId: number, priceTicks: number, lots: number): undefined {
    this.send(REQUEST_OP.MODIFY, symbolIndex, orderId, false, false, 0, priceTicks, lots);
  }

  private send(op: number, symbolIndex: number, orderId: number, buy: boolean, market: boolean, timeInForce: number, priceTicks: number, lots: number): void {
    const { tick, lot } = incrementsOf(this.instruments.instrument(symbolIndex));
    const price = fromUnits(priceTicks, tick);
    const size = fromUnits(lots, lot);
    this.requests.pushOrderRequest({ op, orderId, symbolIndex, buy: buy ? 1 : 0, market: market ? 1 : 0, timeInForce, price, size });
  }
}
