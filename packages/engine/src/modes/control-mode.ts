/**
 * Control modes: MANUAL, SEMI_AUTO, FULL_AUTO and EMERGENCY, with the source documents' risk
 * multipliers (0.5, 0.75, 1.0, 0). EMERGENCY is reachable from any mode at once; leaving it
 * needs a passing recovery check and an explicit operator action. The mode lives in the
 * segment header (the hot loop and strategies read it there) and in a state file, so that
 * after a crash the engine restores it, and comes up in EMERGENCY when what it finds does
 * not match what it wrote.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ControlMode } from '@cwts/shm-layout';

export type ModeName = keyof typeof ControlMode;

/** Limits are scaled by these in each mode; 0 admits only orders that reduce a position. */
export const RISK_MULTIPLIER: Readonly<Record<number, number>> = {
  [ControlMode.MANUAL]: 0.5,
  [ControlMode.SEMI_AUTO]: 0.75,
  [ControlMode.FULL_AUTO]: 1,
  [ControlMode.EMERGENCY]: 0,
};

export interface ModeChange {
  readonly from: ModeName;
  readonly to: ModeName;
  readonly reason: string;
  readonly atMs: number;
}

interface PersistedMode {
  readonly mode: number;
  /** True once the engine stopped on purpose; false while it runs (so a crash leaves false). */
  readonly stoppedCleanly: boolean;
  readonly writtenAtMs: number;
}

export function modeName(mode: number): ModeName {
  return (Object.keys(ControlMode) as ModeName[]).find((k) => ControlMode[k] === mode) ?? 'EMERGENCY';
}

export class ModeMachine {
  private current: number;

  private constructor(private readonly stateFile: string, initial: number, private readonly apply: (mode: number) => void, private readonly onChange: (change: ModeChange) => void) {
    this.current = initial;
    this.apply(initial);
    this.persist(false);
  }

  /**
   * The mode to start in: the configured one on a first run or after a clean stop; the
   * persisted one after a crash; EMERGENCY when the persisted state is unreadable, disagrees
   * with what the last run left in the segment, or the crash left an `inconsistency`.
   */
  static open(
    stateFile: string, configured: number, leftInSegment: number | undefined, inconsistency: string | undefined,
    apply: (mode: number) => void, onChange: (change: ModeChange) => void,
  ): { machine: ModeMachine; why: string } {
    let start = configured;
    let why = 'configured';
    if (existsSync(stateFile)) {
      let persisted: PersistedMode | undefined;
      try {
        persisted = JSON.parse(readFileSync(stateFile, 'utf8')) as PersistedMode;
      } catch {
        persisted = undefined;
      }
      if (!persisted || RISK_MULTIPLIER[persisted.mode] === undefined) [start, why] = [ControlMode.EMERGENCY, `the mode file ${stateFile} is unreadable`];
      else if (!persisted.stoppedCleanly && leftInSegment !== undefined && leftInSegment !== persisted.mode) {
        [start, why] = [ControlMode.EMERGENCY, `after a crash, the mode file says ${modeName(persisted.mode)} but the segment says ${modeName(leftInSegment)}`];
      } else if (!persisted.stoppedCleanly && inconsistency !== undefined) [start, why] = [ControlMode.EMERGENCY, `after a crash, ${inconsistency}`];
      else if (!persisted.stoppedCleanly) [start, why] = [persisted.mode, 'restored after a crash'];
    }
    return { machine: new ModeMachine(stateFile, start, apply, onChange), why };
  }

  /** Whether the run that last wrote `stateFile` ended without a clean stop (false on a first start). */
  static crashedBefore(stateFile: string): boolean {
    try {
      return !(JSON.parse(readFileSync(stateFile, 'utf8')) as PersistedMode).stoppedCleanly;
    } catch {
      return existsSync(stateFile);
    }
  }

  get mode(): number {
    return this.current;
  }

  /**
   * Changes the mode. Into EMERGENCY: always, at once. Out of it: only with `operator` set and
   * a recovery check that passed (`recovery` is undefined when it did, else why not).
   */
  set(to: number, reason: string, options: { operator?: boolean; recovery?: string | undefined } = {}): void {
    if (RISK_MULTIPLIER[to] === undefined) throw new Error(`unknown control mode ${to}`);
    if (to === this.current) return;
    if (this.current === ControlMode.EMERGENCY) {
      if (!options.operator) throw new Error('leaving EMERGENCY needs an explicit operator action');
      if (options.recovery !== undefined) throw new Error(`leaving EMERGENCY needs the recovery check to pass: ${options.recovery}`);
    }
    const from = this.current;
    this.current = to;
    this.apply(to);
    this.persist(false);
    this.onChange({ from: modeName(from), to: modeName(to), reason, atMs: Date.now() });
  }

  /** Records a clean stop, so that the next start takes the configured mode again. */
  close(): void {
    this.persist(true);
  }

  private persist(stoppedCleanly: boolean): void {
    const state: PersistedMode = { mode: this.current, stoppedCleanly, writtenAtMs: Date.now() };
    writeFileSync(`${this.stateFile}.tmp`, JSON.stringify(state));
    renameSync(`${this.stateFile}.tmp`, this.stateFile);
  }
}
