import { ipv4, lanHost, remoteHost, type Host } from './addresses.js';
import { EPHEMERAL_HIGH, EPHEMERAL_LOW } from './exchanges.js';
import type { Endpoint } from './frames.js';
import { HTTPS_PORT, startLanBehaviours, type LanNet, type LanRates, type RemoteServer } from './lan-behaviours.js';
import { Pools } from './payloads.js';
import { Prng } from './prng.js';
import type { PacketSink } from './sink.js';
import { Session, Simulation } from './simulation.js';
import { micros } from './spawner.js';
import { conversationPlan, type Exchange } from './tcp-plans.js';
import { TcpSession } from './tcp-session.js';

/**
 * Scenarios for the benchmarks.
 * - `bench`: a campus network: hundreds of clients (every tenth with IPv6) on one segment, an
 *   intranet web server and an SSH server with many clients each, thousands of remote HTTPS
 *   servers through the gateway, DNS, NTP, ARP, ICMP and ICMPv6: the realistic fan-out the
 *   per-packet cost is measured on.
 * - `server-many-clients`: one HTTPS server socket and a stream of clients, each with a new
 *   address, arriving one after the other: every client adds links to the server's streams, so
 *   the per-packet cost must not grow with their number.
 */
export const BENCH_CLIENTS = 400;
export const BENCH_REMOTES = 2000;
const BENCH_V6_EVERY = 10;
const BENCH_SSH_EVERY = 20;
const REMOTE_TTL = 52;
const REMOTE_RTT_LOW_US = 4_000;
const REMOTE_RTT_HIGH_US = 120_000;
export const BENCH_START_US = 1_709_628_000_000_000;

export const BENCH_RATES: LanRates = {
  browseUs: 15_000_000,
  intranetUs: 45_000_000,
  keystrokeUs: 700_000,
  ntpUs: 64_000_000,
  arpUs: 60_000_000,
  monitorPingUs: 500_000,
  v6PingUs: 2_000_000,
  neighborUs: 3_000_000,
};

export function benchScenario(sink: PacketSink, packets: number, seed: number): number {
  const rng = new Prng(seed);
  const sim = new Simulation(rng, sink);
  const gateway = lanHost('gateway', '00:00:5e:00:53:01', '10.20.0.1');
  const web = lanHost('web', '00:00:5e:00:53:0a', '10.20.0.10', '2001:db8:20::10');
  const files = lanHost('files', '00:00:5e:00:53:0b', '10.20.0.11', '2001:db8:20::11');
  const clients: Host[] = [];
  for (let i = 0; i < BENCH_CLIENTS; i++) {
    const third = 1 + (i >> 8);
    const fourth = i & 0xff;
    const v6 = i % BENCH_V6_EVERY === 0 ? `2001:db8:20::${third.toString(16)}:${fourth.toString(16)}` : null;
    const macTail = `${third.toString(16).padStart(2, '0')}:${fourth.toString(16).padStart(2, '0')}`;
    clients.push(lanHost(`client${i}`, `02:00:5e:10:${macTail}`, `10.20.${third}.${fourth}`, v6));
  }
  const remotes: RemoteServer[] = [];
  for (let i = 0; i < BENCH_REMOTES; i++) {
    const ip = rng.int(ipv4('11.0.0.0'), ipv4('223.255.255.255'));
    remotes.push({ name: `host${i}.example.com`, endpoint: remoteHost(gateway, ip, REMOTE_TTL), rttUs: rng.int(REMOTE_RTT_LOW_US, REMOTE_RTT_HIGH_US) });
  }
  const net: LanNet = {
    gateway,
    web,
    webPort: 80,
    files,
    clients,
    sshClients: clients.filter((_, i) => i % BENCH_SSH_EVERY === 1),
    monitored: [web, files, ...clients.filter((_, i) => i % BENCH_V6_EVERY === 5)],
    remotes,
  };
  startLanBehaviours(sim, net, BENCH_RATES, new Pools(rng), BENCH_START_US);
  sim.run(() => sim.count >= packets);
  return sim.count;
}

const MANY_CLIENTS_MEAN_GAP_US = 2_000;
const MANY_CLIENTS_RTT_US = 20_000;
const MANY_CLIENTS_TURN_US = 60;
const MANY_CLIENTS_BYTES_PER_US = 6;
const CLIENT_TTL = 50;
/** Client addresses: 100.64.0.0/10 (shared address space) + i, distinct for up to 4 million clients. */
const CLIENT_BASE = ipv4('100.64.0.0');

/** Clients arriving at one HTTPS server; returns the packet count. */
export function serverManyClientsScenario(sink: PacketSink, clients: number, seed: number): number {
  const rng = new Prng(seed);
  const sim = new Simulation(rng, sink);
  const gateway: Endpoint = lanHost('gateway', '00:00:5e:00:53:01', '10.30.0.1');
  const server = lanHost('server', '00:00:5e:00:53:0a', '10.30.0.10');
  const pools = new Pools(rng);
  let started = 0;
  class Arrivals extends Session {
    step(s: Simulation): boolean {
      const r = s.rng;
      const client = remoteHost(gateway, CLIENT_BASE + started, CLIENT_TTL);
      const exchanges: Exchange[] = [
        { fromClient: true, message: pools.tls(r, r.int(200, 500)), delayUs: MANY_CLIENTS_TURN_US },
        { fromClient: false, message: pools.tls(r, r.int(300, 3000)), delayUs: MANY_CLIENTS_RTT_US },
      ];
      const timing = { rttUs: MANY_CLIENTS_RTT_US, turnUs: MANY_CLIENTS_TURN_US, bytesPerUs: MANY_CLIENTS_BYTES_PER_US };
      const plan = conversationPlan(r, exchanges, timing, r.exponential(MANY_CLIENTS_RTT_US), false);
      const ends = { client, server, v6: false, clientPort: r.int(EPHEMERAL_LOW, EPHEMERAL_HIGH), serverPort: HTTPS_PORT };
      s.add(new TcpSession(this.time, ends, plan, r.u32(), r.u32()));
      started++;
      this.time += micros(r.exponential(MANY_CLIENTS_MEAN_GAP_US));
      return started < clients;
    }
  }
  const arrivals = new Arrivals();
  arrivals.time = BENCH_START_US;
  sim.add(arrivals);
  sim.run(() => false);
  return sim.count;
}
