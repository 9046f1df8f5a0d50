import { type Host } from './addresses.js';
import { arpResolve, dnsLookup, neighborDiscovery, ntpPoll, ping, EPHEMERAL_HIGH, EPHEMERAL_LOW } from './exchanges.js';
import type { Endpoint } from './frames.js';
import { DNS_TYPE_A, DNS_TYPE_AAAA, type Pools } from './payloads.js';
import type { Prng } from './prng.js';
import type { Session, Simulation } from './simulation.js';
import { Spawner, micros } from './spawner.js';
import { conversationPlan, type Exchange, type PathTiming } from './tcp-plans.js';
import { TcpSession } from './tcp-session.js';

/**
 * The benign behaviour of an office LAN, as recurring processes per host: web browsing to remote
 * HTTPS servers (DNS lookup, then a TLS-like conversation), intranet HTTP (over IPv6 when both ends
 * can), interactive SSH sessions, NTP polls, ARP resolutions, monitoring pings, IPv6 ping and
 * neighbour discovery. Gaps between activities are exponential (Poisson arrivals) with the means
 * in `LanRates`; payload sizes and delays are drawn from the scenario's PRNG.
 */
export interface RemoteServer {
  name: string;
  endpoint: Endpoint;
  rttUs: number;
}

export interface LanNet {
  gateway: Host;
  web: Host;
  /** Intranet web server port. */
  webPort: number;
  files: Host;
  clients: Host[];
  /** Clients that keep an interactive SSH session to `files`. */
  sshClients: Host[];
  /** Hosts the gateway pings to monitor them. */
  monitored: Host[];
  remotes: RemoteServer[];
}

/** Mean gaps in microseconds. */
export interface LanRates {
  browseUs: number;
  intranetUs: number;
  keystrokeUs: number;
  ntpUs: number;
  arpUs: number;
  monitorPingUs: number;
  v6PingUs: number;
  neighborUs: number;
}

export const HTTPS_PORT = 443;
export const SSH_PORT = 22;
const US_PER_MS = 1000;
const LAN_RTT_US = 300;
const LAN_TURN_US = 60;
const LAN_BYTES_PER_US = 125; // 1 Gbit/s
const WAN_BYTES_PER_US = 6; // ~50 Mbit/s
const RESOLVER_CACHED_US = 400;
const RESOLVER_RECURSIVE_US = 25 * US_PER_MS;
const RESOLVER_CACHE_HIT = 0.6;
const SSH_KEYSTROKES = 4000;
const BIG_RESPONSE_SHARE = 0.04;
const SSH_OUTPUT_SHARE = 0.06;
const SSH_SOFTWARE = 'OpenSSH_9.2p1';
const INTRANET_PATHS = ['/', '/index.html', '/news', '/wiki/Printers', '/api/status', '/calendar', '/static/app.css'];
const INTRANET_NAME = 'intranet.lan';

export function startLanBehaviours(sim: Simulation, net: LanNet, rates: LanRates, pools: Pools, start: number): void {
  const rng = sim.rng;
  const stagger = (mean: number): number => start + micros(rng.uniform() * mean);
  const every = (mean: number) => (r: Prng) => r.exponential(mean);
  const lan = net.clients.concat([net.web, net.files, net.gateway]);

  for (const client of net.clients) {
    sim.add(new Spawner(stagger(rates.browseUs), every(rates.browseUs), (s, t) => browse(s, t, client, net, pools)));
    sim.add(new Spawner(stagger(rates.intranetUs), every(rates.intranetUs), (s, t) => intranet(s, t, client, net, pools)));
  }
  for (const client of net.sshClients) sim.add(sshSession(sim, stagger(rates.keystrokeUs), client, net.files, rates, pools));
  for (const host of net.clients.concat([net.web, net.files])) {
    sim.add(new Spawner(stagger(rates.ntpUs), every(rates.ntpUs), (_s, t) => ntpPoll(t, host, net.gateway, LAN_RTT_US)));
  }
  for (const host of lan) {
    sim.add(
      new Spawner(stagger(rates.arpUs), every(rates.arpUs), (s, t) => {
        const peers = host === net.gateway ? net.clients : [net.gateway, net.gateway, net.web, net.files];
        const target = s.rng.choice(peers);
        return target === host ? null : arpResolve(t, host, target);
      }),
    );
  }
  sim.add(
    new Spawner(stagger(rates.monitorPingUs), every(rates.monitorPingUs), (s, t) =>
      ping(s, t, net.gateway, s.rng.choice(net.monitored), false, 1, LAN_RTT_US),
    ),
  );
  const v6Hosts = lan.filter((h) => h.ip6 !== null);
  if (v6Hosts.length >= 2) {
    const pair = (s: Simulation): [Host, Host] => {
      const a = s.rng.choice(v6Hosts);
      let b = s.rng.choice(v6Hosts);
      while (b === a) b = s.rng.choice(v6Hosts);
      return [a, b];
    };
    sim.add(
      new Spawner(stagger(rates.v6PingUs), every(rates.v6PingUs), (s, t) => {
        const [a, b] = pair(s);
        return ping(s, t, a, b, true, s.rng.int(1, 3), LAN_RTT_US);
      }),
    );
    sim.add(
      new Spawner(stagger(rates.neighborUs), every(rates.neighborUs), (s, t) => {
        const [a, b] = pair(s);
        return neighborDiscovery(t, a, b);
      }),
    );
  }
}

/** DNS lookup of a remote name, then an HTTPS-like conversation with it. */
function browse(sim: Simulation, t: number, client: Host, net: LanNet, pools: Pools): Session {
  const rng = sim.rng;
  const remote = rng.choice(net.remotes);
  const resolveUs = rng.chance(RESOLVER_CACHE_HIT) ? rng.exponential(RESOLVER_CACHED_US) : rng.exponential(RESOLVER_RECURSIVE_US);
  const answer = ipv4Bytes(remote.endpoint.ip4);
  return dnsLookup(sim, t, client, net.gateway, false, remote.name, DNS_TYPE_A, answer, resolveUs, (s, time) => {
    const r = s.rng;
    const exchanges: Exchange[] = [];
    const rounds = r.int(1, 3);
    for (let k = 0; k < rounds; k++) {
      exchanges.push({ fromClient: true, message: pools.tls(r, r.int(80, 600)), delayUs: k === 0 ? LAN_TURN_US : r.exponential(300 * US_PER_MS) });
      const big = r.chance(BIG_RESPONSE_SHARE);
      exchanges.push({
        fromClient: false,
        message: pools.tls(r, big ? r.int(2000, 6000) : r.int(90, 700)),
        delayUs: remote.rttUs + r.exponential(3 * US_PER_MS),
      });
    }
    const timing: PathTiming = { rttUs: remote.rttUs, turnUs: LAN_TURN_US, bytesPerUs: WAN_BYTES_PER_US };
    const plan = conversationPlan(r, exchanges, timing, r.exponential(800 * US_PER_MS), false);
    const ends = { client, server: remote.endpoint, v6: false, clientPort: r.int(EPHEMERAL_LOW, EPHEMERAL_HIGH), serverPort: HTTPS_PORT };
    s.add(new TcpSession(time + micros(r.exponential(LAN_TURN_US)), ends, plan, r.u32(), r.u32()));
  });
}

/** An HTTP/1.1 keep-alive conversation with the intranet server, over IPv6 when both ends have it. */
function intranet(sim: Simulation, t: number, client: Host, net: LanNet, pools: Pools): Session {
  const rng = sim.rng;
  const v6 = client.ip6 !== null && net.web.ip6 !== null && rng.chance(0.7);
  const makeConversation = (s: Simulation, time: number): Session => {
    const r = s.rng;
    const exchanges: Exchange[] = [];
    const requests = r.int(1, 2);
    for (let k = 0; k < requests; k++) {
      exchanges.push({
        fromClient: true,
        message: pools.httpRequest(INTRANET_NAME, r.choice(INTRANET_PATHS)),
        delayUs: k === 0 ? LAN_TURN_US : r.exponential(500 * US_PER_MS),
      });
      exchanges.push({ fromClient: false, message: pools.httpResponse(r, r.chance(BIG_RESPONSE_SHARE) ? r.int(2000, 5000) : r.int(100, 700)), delayUs: LAN_RTT_US + r.exponential(US_PER_MS) });
    }
    const timing: PathTiming = { rttUs: LAN_RTT_US, turnUs: LAN_TURN_US, bytesPerUs: LAN_BYTES_PER_US };
    const plan = conversationPlan(r, exchanges, timing, r.exponential(2000 * US_PER_MS), v6);
    const ends = { client, server: net.web, v6, clientPort: r.int(EPHEMERAL_LOW, EPHEMERAL_HIGH), serverPort: net.webPort };
    return new TcpSession(time, ends, plan, r.u32(), r.u32());
  };
  if (!v6 || !net.web.ip6) return makeConversation(sim, t);
  const answer = net.web.ip6;
  return dnsLookup(sim, t, client, net.gateway, false, INTRANET_NAME, DNS_TYPE_AAAA, answer, RESOLVER_CACHED_US, (s, time) =>
    s.add(makeConversation(s, time + micros(s.rng.exponential(LAN_TURN_US)))),
  );
}

/** A long interactive SSH session: banners, then keystrokes echoed by the server, sometimes with output. */
function sshSession(sim: Simulation, t: number, client: Host, server: Host, rates: LanRates, pools: Pools): Session {
  const r = sim.rng;
  const exchanges: Exchange[] = [
    { fromClient: false, message: pools.sshBanner(SSH_SOFTWARE), delayUs: LAN_RTT_US },
    { fromClient: true, message: pools.sshBanner(SSH_SOFTWARE), delayUs: LAN_TURN_US },
  ];
  for (let k = 0; k < SSH_KEYSTROKES; k++) {
    exchanges.push({ fromClient: true, message: pools.opaque(r, 36 + 16 * r.int(0, 1)), delayUs: r.exponential(rates.keystrokeUs) });
    const output = r.chance(SSH_OUTPUT_SHARE);
    exchanges.push({ fromClient: false, message: pools.opaque(r, output ? 36 + 16 * r.int(2, 24) : 36), delayUs: LAN_RTT_US + r.exponential(200) });
  }
  const timing: PathTiming = { rttUs: LAN_RTT_US, turnUs: LAN_TURN_US, bytesPerUs: LAN_BYTES_PER_US };
  const plan = conversationPlan(r, exchanges, timing, US_PER_MS, false);
  const ends = { client, server, v6: false, clientPort: r.int(EPHEMERAL_LOW, EPHEMERAL_HIGH), serverPort: SSH_PORT };
  return new TcpSession(t, ends, plan, r.u32(), r.u32());
}

export function ipv4Bytes(ip: number): Uint8Array {
  return new Uint8Array([ip >>> 24, (ip >>> 16) & 0xff, (ip >>> 8) & 0xff, ip & 0xff]);
}
