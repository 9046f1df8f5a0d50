import { Session, type Simulation } from './simulation.js';

/**
 * A short fixed exchange (DNS lookup, ARP request and reply, ping...): a list of packet builders,
 * each run after its delay, then an optional continuation (e.g. the TCP connection that follows a
 * DNS answer) started at the time of the last packet.
 */
export interface ScriptStep {
  /** Microseconds since the previous step (or since the session start for the first). */
  delayUs: number;
  /** Writes one frame into sim.frame and returns its length. */
  build: (sim: Simulation) => number;
}

export class ScriptSession extends Session {
  private next = 0;

  constructor(
    start: number,
    private readonly steps: readonly ScriptStep[],
    private readonly then: ((sim: Simulation, time: number) => void) | null = null,
    private readonly label: string | null = null,
  ) {
    super();
    this.time = start + steps[0].delayUs;
  }

  step(sim: Simulation): boolean {
    sim.emit(this.steps[this.next].build(sim), this.label);
    this.next++;
    if (this.next < this.steps.length) {
      this.time += this.steps[this.next].delayUs;
      return true;
    }
    this.then?.(sim, this.time);
    return false;
  }
}
