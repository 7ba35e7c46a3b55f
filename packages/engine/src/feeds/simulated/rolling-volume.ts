/** Traded volume over the last 24 h of a clock, in one-minute buckets. */
const MINUTE_MS = 60_000;
const BUCKETS = 24 * 60;

export class RollingVolume {
  private readonly volumes = new Float64Array(BUCKETS);
  private readonly minutes = new Float64Array(BUCKETS).fill(-1);

  add(timeMs: number, volume: number): void {
    const minute = Math.floor(timeMs / MINUTE_MS);
    const i = minute % BUCKETS;
    if (this.minutes[i] !== minute) {
      this.minutes[i] = minute;
      this.volumes[i] = 0;
    }
    this.volumes[i]! += volume;
  }

  total(timeMs: number): number {
    const oldest = Math.floor(timeMs / MINUTE_MS) - BUCKETS + 1;
    let sum = 0;
    for (let i = 0; i < BUCKETS; i++) if (this.minutes[i]! >= oldest) sum += this.volumes[i]!;
    return sum;
  }
}
