import { remoteHost, type Host } from './addresses.js';
import { EPHEMERAL_HIGH } from './exchanges.js';
import type { Endpoint } from './frames.js';
import { Session, type Simulation } from './simulation.js';
import { micros } from './spawner.js';
import { floodPlan, probePlan } from './tcp-plans.js';
import { TcpSession } from './tcp-session.js';

/**
 * The two attacks of the fixture: a TCP SYN port scan (nmap -sS style: one SYN per port in random
 * order, open ports answer SYN-ACK and get a RST, closed ones answer RST-ACK) and a SYN flood from
 * spoofed remote sources (arriving through the gateway) at one port, half-answered by the victim.
 * Both are spawners that start one small TcpSession per probe or SYN; `lastAt` tells when the
 * last one was started.
 */
export const PORT_SCAN_LABEL = 'port-scan';
export const SYN_FLOOD_LABEL = 'syn-flood';
const SCAN_RTT_US = 250;
const SCAN_TURN_US = 40;
const VICTIM_SYNACK_US = 80;
/** Spoofed sources are drawn from 11.0.0.0 .. 223.255.255.255 (unicast, outside 10/8). */
const SPOOF_LOW = 0x0b000000;
const SPOOF_HIGH = 0xdfffffff;
const SPOOF_TTL_LOW = 40;
const SPOOF_TTL_HIGH = 60;
const FIRST_UNPRIVILEGED_PORT = 1024;

export class PortScan extends Session {
  private next = 0;
  lastAt = 0;

  constructor(
    start: number,
    private readonly attacker: Host,
    private readonly victim: Host,
    private readonly ports: readonly number[],
    private readonly openPorts: ReadonlySet<number>,
    private readonly meanGapUs: number,
  ) {
    super();
    this.time = start;
  }

  get done(): boolean {
    return this.next >= this.ports.length;
  }

  step(sim: Simulation): boolean {
    const rng = sim.rng;
    const port = this.ports[this.next++];
    const plan = probePlan(this.openPorts.has(port), SCAN_RTT_US * (0.8 + 0.4 * rng.uniform()), SCAN_TURN_US);
    const ends = { client: this.attacker, server: this.victim, v6: false, clientPort: SCANNER_SOURCE_PORT, serverPort: port };
    sim.add(new TcpSession(this.time, ends, plan, rng.u32(), rng.u32(), PORT_SCAN_LABEL));
    this.lastAt = this.time;
    if (this.done) return false;
    this.time += micros(rng.exponential(this.meanGapUs));
    return true;
  }
}

/** nmap -sS keeps one raw-socket source port for the whole scan. */
const SCANNER_SOURCE_PORT = 61207;

export class SynFlood extends Session {
  private sent = 0;
  lastAt = 0;

  constructor(
    start: number,
    private readonly gateway: Endpoint,
    private readonly victim: Host,
    private readonly port: number,
    private readonly syns: number,
    private readonly meanGapUs: number,
    private readonly answerShare: number,
  ) {
    super();
    this.time = start;
  }

  get done(): boolean {
    return this.sent >= this.syns;
  }

  step(sim: Simulation): boolean {
    const rng = sim.rng;
    const source = remoteHost(this.gateway, rng.int(SPOOF_LOW, SPOOF_HIGH), rng.int(SPOOF_TTL_LOW, SPOOF_TTL_HIGH));
    const plan = floodPlan(rng.chance(this.answerShare), VICTIM_SYNACK_US);
    const ends = { client: source, server: this.victim, v6: false, clientPort: rng.int(FIRST_UNPRIVILEGED_PORT, EPHEMERAL_HIGH), serverPort: this.port };
    sim.add(new TcpSession(this.time, ends, plan, rng.u32(), rng.u32(), SYN_FLOOD_LABEL));
    this.sent++;
    this.lastAt = this.time;
    if (this.done) return false;
    this.time += micros(rng.exponential(this.meanGapUs));
    return true;
  }
}

