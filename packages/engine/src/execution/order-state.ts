/**
 * The life of an order as a table: the only way to change an order's state is `transition`,
 * which throws on any move the table does not list, so an illegal transition cannot happen
 * quietly. Terminal states have no way out.
 */
export type OrderState = 'created' | 'accepted' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected' | 'expired';

const NEXT: Readonly<Record<OrderState, readonly OrderState[]>> = {
  created: ['accepted', 'rejected'],
  accepted: ['partially_filled', 'filled', 'cancelled', 'expired'],
  partially_filled: ['partially_filled', 'filled', 'cancelled', 'expired'],
  filled: [],
  cancelled: [],
  rejected: [],
  expired: [],
};

export class IllegalTransition extends Error {
  override name = 'IllegalTransition';
}

export function isTerminal(state: OrderState): boolean {
  return NEXT[state].length === 0;
}

export function canTransition(from: OrderState, to: OrderState): boolean {
  return NEXT[from].includes(to);
}

export function transition(order: { state: OrderState; readonly orderId: number }, to: OrderState): void {
  if (!canTransition(order.state, to)) throw new IllegalTransition(`order ${order.orderId}: ${order.state} -> ${to} is not a legal transition`);
  order.state = to;
}
