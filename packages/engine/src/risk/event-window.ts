/**
 * Events in a sliding window of time, oldest first. Expiring moves a head index and compacts
 * only when the dead front outweighs the live rest, so each check costs amortized O(1)
 * however many events the window holds (an array splice or a Map walk per check does not).
 */
export class EventWindow<T = undefined> {
  private times: number[] = [];
  private items: T[] = [];
  private head = 0;

  record(nowMs: number, item: T): void {
    this.times.push(nowMs);
    this.items.push(item);
  }

  /** Drops the events not within the last `windowMs` before `nowMs` (each to `dropped`); returns how many are left. */
  count(nowMs: number, windowMs: number, dropped?: (item: T, atMs: number) => void): number {
    const times = this.times;
    while (this.head < times.length && nowMs - times[this.head]! >= windowMs) {
      dropped?.(this.items[this.head]!, times[this.head]!);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > times.length) {
      this.times = times.slice(this.head);
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }
}
