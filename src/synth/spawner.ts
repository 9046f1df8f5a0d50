import type { Prng } from './prng.js';
import { Session, type Simulation } from './simulation.js';

/**
 * A recurring behaviour (a host that browses, polls NTP, sends ARP requests...): at each of its
 * times it may start a new session, then waits `nextGap` microseconds (e.g. exponential gaps
 * give a Poisson process). It emits no packet itself.
 */
export class Spawner extends Session {
  constructor(
    start: number,
    private readonly nextGap: (rng: Prng) => number,
    private readonly make: (sim: Simulation, time: number) => Session | null,
    private readonly until = Number.POSITIVE_INFINITY,
  ) {
    super();
    this.time = start;
  }

  step(sim: Simulation): boolean {
    const session = this.make(sim, this.time);
    if (session) sim.add(session);
    this.time += micros(this.nextGap(sim.rng));
    return this.time < this.until;
  }
}

/** A duration in whole microseconds, at least 1 so that steps of one session stay strictly ordered. */
export function micros(x: number): number {
  return Math.max(1, Math.round(x));
}
