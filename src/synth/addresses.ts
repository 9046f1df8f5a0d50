import type { Endpoint } from './frames.js';

/**
 * Address helpers for the synthetic networks: dotted-quad IPv4 to a uint32, IPv6 text (with one
 * optional `::`) to 16 bytes, colon-separated MAC to 6 bytes, and endpoints for LAN hosts and for
 * remote hosts (reached through the gateway, so their frames carry the gateway's MAC).
 */
export function ipv4(text: string): number {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`bad IPv4 address ${text}`);
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

export function ipv4Text(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`;
}

export function ipv6(text: string): Uint8Array {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const groups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const left = groups(head);
  const right = tail === null ? [] : groups(tail);
  const zeros = tail === null ? 0 : 8 - left.length - right.length;
  const all = [...left, ...new Array<number>(zeros).fill(0), ...right];
  if (all.length !== 8 || all.some((g) => !(g >= 0 && g <= 0xffff))) throw new Error(`bad IPv6 address ${text}`);
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >>> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

export function mac(text: string): Uint8Array {
  const bytes = text.split(':').map((b) => parseInt(b, 16));
  if (bytes.length !== 6 || bytes.some((b) => !(b >= 0 && b <= 0xff))) throw new Error(`bad MAC address ${text}`);
  return new Uint8Array(bytes);
}

export function macText(m: Uint8Array): string {
  return Array.from(m, (b) => b.toString(16).padStart(2, '0')).join(':');
}

/** Default TTL of the simulated LAN hosts (Linux). */
export const LAN_TTL = 64;

/** A host on the LAN. */
export interface Host extends Endpoint {
  name: string;
}

export function lanHost(name: string, macText: string, ip4: string, ip6Text: string | null = null): Host {
  return { name, mac: mac(macText), ip4: ipv4(ip4), ip6: ip6Text ? ipv6(ip6Text) : null, ttl: LAN_TTL };
}

/** A remote host as seen on the LAN: behind the gateway, with the TTL left after its hops. */
export function remoteHost(gateway: Endpoint, ip4: number, ttl: number): Endpoint {
  return { mac: gateway.mac, ip4, ip6: null, ttl };
}
