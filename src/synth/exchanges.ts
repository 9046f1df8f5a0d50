import {
  ARP_REPLY,
  ARP_REQUEST,
  BROADCAST_MAC,
  ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST,
  ICMPV6_ECHO_REPLY,
  ICMPV6_ECHO_REQUEST,
  ZERO_MAC,
  arpFrame,
  echoFrame,
  neighborFrame,
  udpFrame,
  udpPayloadAt,
  type Endpoint,
} from './frames.js';
import { writeDns, writeNtp } from './payloads.js';
import { ScriptSession, type ScriptStep } from './script-session.js';
import type { Simulation } from './simulation.js';
import { micros } from './spawner.js';

/**
 * The short benign exchanges of a LAN, each a ScriptSession: DNS lookup (RFC 1035), NTP poll
 * (RFC 5905), ARP resolution (RFC 826), ping (ICMP / ICMPv6 echo) and IPv6 neighbour discovery
 * (RFC 4861).
 */
export const DNS_PORT = 53;
export const NTP_PORT = 123;
export const EPHEMERAL_LOW = 49152;
export const EPHEMERAL_HIGH = 65535;
const DNS_TTL_SECONDS = 300;
const PING_DATA_BYTES = 56;
const PING_INTERVAL_US = 1_000_000;
const NTP_REFERENCE_ID = 0xc0000201; // a documentation address as the server's upstream
const ARP_TURN_US = 120;
const NEIGHBOR_TURN_US = 90;

export function dnsLookup(
  sim: Simulation,
  start: number,
  client: Endpoint,
  resolver: Endpoint,
  v6: boolean,
  name: string,
  qtype: number,
  answer: Uint8Array,
  resolveUs: number,
  then: ((sim: Simulation, time: number) => void) | null = null,
): ScriptSession {
  const id = sim.rng.int(0, 0xffff);
  const port = sim.rng.int(EPHEMERAL_LOW, EPHEMERAL_HIGH);
  const at = udpPayloadAt(v6);
  const steps: ScriptStep[] = [
    {
      delayUs: 0,
      build: (s) =>
        udpFrame(s.frame, client, resolver, v6, port, DNS_PORT, writeDns(s.frame, at, id, name, qtype, null, 0), s.nextIpId()),
    },
    {
      delayUs: micros(resolveUs),
      build: (s) =>
        udpFrame(s.frame, resolver, client, v6, DNS_PORT, port, writeDns(s.frame, at, id, name, qtype, answer, DNS_TTL_SECONDS), s.nextIpId()),
    },
  ];
  return new ScriptSession(start, steps, then);
}

export function ntpPoll(start: number, client: Endpoint, server: Endpoint, rttUs: number): ScriptSession {
  const at = udpPayloadAt(false);
  const steps: ScriptStep[] = [
    { delayUs: 0, build: (s) => udpFrame(s.frame, client, server, false, NTP_PORT, NTP_PORT, writeNtp(s.frame, at, false, s.now, 0), s.nextIpId()) },
    {
      delayUs: micros(rttUs),
      build: (s) =>
        udpFrame(s.frame, server, client, false, NTP_PORT, NTP_PORT, writeNtp(s.frame, at, true, s.now, NTP_REFERENCE_ID), s.nextIpId()),
    },
  ];
  return new ScriptSession(start, steps);
}

/** Who-has request broadcast by `asker`, is-at reply from `target`. */
export function arpResolve(start: number, asker: Endpoint, target: Endpoint): ScriptSession {
  return new ScriptSession(start, [
    { delayUs: 0, build: (s) => arpFrame(s.frame, BROADCAST_MAC, ARP_REQUEST, asker.mac, asker.ip4, ZERO_MAC, target.ip4) },
    { delayUs: ARP_TURN_US, build: (s) => arpFrame(s.frame, asker.mac, ARP_REPLY, target.mac, target.ip4, asker.mac, asker.ip4) },
  ]);
}

/** `count` echo requests one second apart, each answered after `rttUs` (ICMPv6 when v6). */
export function ping(sim: Simulation, start: number, from: Endpoint, to: Endpoint, v6: boolean, count: number, rttUs: number): ScriptSession {
  const id = sim.rng.int(1, 0xffff);
  const steps: ScriptStep[] = [];
  let previousRtt = 0;
  for (let seq = 1; seq <= count; seq++) {
    const request = v6 ? ICMPV6_ECHO_REQUEST : ICMP_ECHO_REQUEST;
    const reply = v6 ? ICMPV6_ECHO_REPLY : ICMP_ECHO_REPLY;
    const rtt = micros(rttUs * (0.8 + 0.4 * sim.rng.uniform()));
    steps.push({ delayUs: seq === 1 ? 0 : PING_INTERVAL_US - previousRtt, build: (s) => echoFrame(s.frame, from, to, v6, request, id, seq, PING_DATA_BYTES, s.nextIpId()) });
    steps.push({ delayUs: rtt, build: (s) => echoFrame(s.frame, to, from, v6, reply, id, seq, PING_DATA_BYTES, s.nextIpId()) });
    previousRtt = rtt;
  }
  return new ScriptSession(start, steps);
}

/** Neighbour solicitation for `target`'s address and its solicited advertisement. */
export function neighborDiscovery(start: number, asker: Endpoint, target: Endpoint): ScriptSession {
  return new ScriptSession(start, [
    { delayUs: 0, build: (s) => neighborFrame(s.frame, asker, target, false) },
    { delayUs: NEIGHBOR_TURN_US, build: (s) => neighborFrame(s.frame, target, asker, true) },
  ]);
}
