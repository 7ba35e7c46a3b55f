/**
 * Where the engine's own signal sources (a model, the fusion stage) send orders: into the
 * segment's signal ring, like any strategy, so that validation, pre-trade risk, the control
 * mode and the kill switch apply to them unchanged, and their reports come back as reports.
 */
import { OrderType, SignalAction, TimeInForce } from '@cwts/shm-layout';
import { SignalProducer, SignalProducerError, type Segment } from '@cwts/py-bridge';

export type SendResult = { readonly sent: true; readonly clientOrderId: number } | { readonly sent: false; readonly why: string };

export class SignalOutlet {
  private readonly producer: SignalProducer | undefined;

  /** `segment` undefined: execution is off, and every send says so. */
  constructor(segment: Segment | undefined, private readonly indexOf: (symbol: string) => number | undefined) {
    this.producer = segment && new SignalProducer(segment);
  }

  /** A market order of `size` (base currency) on `symbol`, as `strategyId`. */
  sendMarket(strategyId: number, symbol: string, side: 'buy' | 'sell', size: number | undefined, confidence: number): SendResult {
    if (!this.producer) return { sent: false, why: 'execution is off (execution.enabled: false)' };
    const symbolIndex = this.indexOf(symbol);
    if (symbolIndex === undefined) return { sent: false, why: `unknown symbol ${symbol}` };
    if (size === undefined) return { sent: false, why: `no orderSize configured for ${symbol}` };
    try {
      const { clientOrderId } = this.producer.submit({
        action: side === 'buy' ? SignalAction.BUY : SignalAction.SELL, orderType: OrderType.MARKET, timeInForce: TimeInForce.GTC,
        symbolIndex, strategyId, size, price: 0, confidence, targetClientOrderId: 0, flags: 0, clientOrderId: 0,
      });
      return { sent: true, clientOrderId };
    } catch (error) {
      if (error instanceof SignalProducerError) return { sent: false, why: error.message };
      throw error;
    }
  }
}
