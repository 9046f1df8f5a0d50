import { ipv4, ipv4Text, lanHost, macText, remoteHost, type Host } from './addresses.js';
import { PORT_SCAN_LABEL, PortScan, SYN_FLOOD_LABEL, SynFlood } from './attacks.js';
import { HTTPS_PORT, SSH_PORT, startLanBehaviours, type LanNet, type LanRates } from './lan-behaviours.js';
import { Pools } from './payloads.js';
import { Prng } from './prng.js';
import type { PacketSink } from './sink.js';
import { Simulation } from './simulation.js';

/**
 * The `benign+attack` scenario behind the fixtures: an office LAN of 11 hosts (gateway that is
 * also DNS resolver and NTP server, an intranet web server and a client with IPv6, an SSH file
 * server, a printer, seven clients) runs its benign traffic until `benignPackets` packets have
 * been emitted; then one client (the attacker) SYN-scans ports 1..scanPorts of the web server,
 * and after a pause the web server's port 80 is SYN-flooded from spoofed remote sources. Benign
 * traffic goes on throughout and for `tailPackets` packets after the flood.
 */
export interface BenignAttackOptions {
  seed: number;
  benignPackets: number;
  scanPorts: number;
  floodSyns: number;
  tailPackets: number;
  /** Capture start, microseconds since the epoch. */
  startUs: number;
}

export interface PhaseInfo {
  first: number;
  last: number;
  /** Packets of the attack itself (benign packets interleave between first and last). */
  packets: number;
  ranges: Array<[number, number]>;
}

export interface BenignAttackResult {
  packets: number;
  attackStartIndex: number;
  hosts: Record<string, { mac: string; ipv4: string }>;
  scan: PhaseInfo;
  flood: PhaseInfo;
  durationUs: number;
}

/** 2024-03-04 09:00:00 UTC: a Monday morning. */
export const FIXTURE_START_US = 1_709_542_800_000_000;
export const WEB_OPEN_PORTS = [SSH_PORT, 80, HTTPS_PORT];
const HTTP_PORT = 80;
const SCAN_MEAN_GAP_US = 350;
const FLOOD_MEAN_GAP_US = 250;
const FLOOD_ANSWER_SHARE = 0.5;
const SCAN_LEAD_US = 700_000;
const FLOOD_PAUSE_US = 3_000_000;
const PHASE_SETTLE_US = 50_000;

export const FIXTURE_RATES: LanRates = {
  browseUs: 20_000_000,
  intranetUs: 40_000_000,
  keystrokeUs: 900_000,
  ntpUs: 64_000_000,
  arpUs: 40_000_000,
  monitorPingUs: 5_000_000,
  v6PingUs: 20_000_000,
  neighborUs: 30_000_000,
};

export function fixtureNet(): LanNet {
  const gateway = lanHost('gateway', '00:00:5e:00:53:01', '192.168.10.1');
  const web = lanHost('web', '00:00:5e:00:53:0a', '192.168.10.10', '2001:db8:10::10');
  const files = lanHost('files', '00:00:5e:00:53:0b', '192.168.10.11');
  const printer = lanHost('printer', '00:00:5e:00:53:14', '192.168.10.20');
  const clients: Host[] = [];
  for (let i = 1; i <= 7; i++) {
    const suffix = 100 + i;
    clients.push(
      lanHost(
        `client${i}`,
        `00:00:5e:00:53:${suffix.toString(16)}`,
        `192.168.10.${suffix}`,
        i === 1 ? `2001:db8:10::${suffix}` : null,
      ),
    );
  }
  const remotes = [
    ['www.example.com', '203.0.113.10', 18_000],
    ['mail.example.net', '203.0.113.25', 24_000],
    ['cdn.example.org', '198.51.100.7', 9_000],
    ['api.example.com', '198.51.100.44', 31_000],
    ['news.example.net', '203.0.113.80', 42_000],
  ] as const;
  return {
    gateway,
    web,
    webPort: HTTP_PORT,
    files,
    clients,
    sshClients: [clients[1], clients[3]],
    monitored: [printer, web, files],
    remotes: remotes.map(([name, ip, rtt]) => ({ name, endpoint: remoteHost(gateway, ipv4(ip), 52), rttUs: rtt })),
  };
}

export function benignAttack(sink: PacketSink, o: BenignAttackOptions): BenignAttackResult {
  const rng = new Prng(o.seed);
  const sim = new Simulation(rng, sink);
  const net = fixtureNet();
  const pools = new Pools(rng);
  startLanBehaviours(sim, net, FIXTURE_RATES, pools, o.startUs);
  sim.run(() => sim.count >= o.benignPackets);

  const attacker = net.clients[net.clients.length - 1];
  const victim = net.web;
  const ports = Array.from({ length: o.scanPorts }, (_, i) => i + 1);
  for (let i = ports.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [ports[i], ports[j]] = [ports[j], ports[i]];
  }
  const scan = new PortScan(sim.now + SCAN_LEAD_US, attacker, victim, ports, new Set(WEB_OPEN_PORTS), SCAN_MEAN_GAP_US);
  sim.add(scan);
  sim.run(() => scan.done && sim.now > scan.lastAt + PHASE_SETTLE_US);

  const flood = new SynFlood(sim.now + FLOOD_PAUSE_US, net.gateway, victim, HTTP_PORT, o.floodSyns, FLOOD_MEAN_GAP_US, FLOOD_ANSWER_SHARE);
  sim.add(flood);
  sim.run(() => flood.done && sim.now > flood.lastAt + PHASE_SETTLE_US);
  const end = sim.count + o.tailPackets;
  sim.run(() => sim.count >= end);

  const scanInfo = phase(sim.labelled.get(PORT_SCAN_LABEL) ?? []);
  const hosts: BenignAttackResult['hosts'] = {};
  for (const h of [net.gateway, net.web, net.files, ...net.monitored, ...net.clients]) {
    hosts[h.name] = { mac: macText(h.mac), ipv4: ipv4Text(h.ip4) };
  }
  hosts.attacker = hosts[attacker.name];
  return {
    packets: sim.count,
    attackStartIndex: scanInfo.first,
    hosts,
    scan: scanInfo,
    flood: phase(sim.labelled.get(SYN_FLOOD_LABEL) ?? []),
    durationUs: sim.now - o.startUs,
  };
}

function phase(ranges: Array<[number, number]>): PhaseInfo {
  if (ranges.length === 0) throw new Error('attack phase emitted no packet');
  return {
    first: ranges[0][0],
    last: ranges[ranges.length - 1][1],
    packets: ranges.reduce((n, [a, b]) => n + b - a + 1, 0),
    ranges,
  };
}
