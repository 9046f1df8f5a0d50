import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from './frames.js';
import type { Message } from './payloads.js';
import type { Prng } from './prng.js';
import { micros } from './spawner.js';
import type { TcpStep } from './tcp-session.js';

/**
 * Step lists for TcpSession: a full conversation (three-way handshake, request/response messages
 * cut into MSS-sized segments with an ACK every second segment, FIN exchange), a SYN-scan probe
 * and a SYN-flood attempt. Delays are seen from a capture point on the client's LAN: a remote
 * side answers one round-trip time after the client's packet, the client answers after a short
 * turnaround; back-to-back segments are spaced by their serialisation time on the path.
 */
export interface PathTiming {
  rttUs: number;
  turnUs: number;
  /** Path bandwidth in bytes per microsecond (125 = 1 Gbit/s). */
  bytesPerUs: number;
}

export interface Exchange {
  fromClient: boolean;
  message: Message;
  /** Delay before the first segment (server: round trip plus processing; client: think time). */
  delayUs: number;
}

/** Maximum segment size on Ethernet: 1500-byte MTU minus the IP and TCP headers. */
export const MSS_IPV4 = 1460;
export const MSS_IPV6 = 1440;
export const CLIENT_WINDOW = 64240;
export const SERVER_WINDOW = 65160;
const NO_OPTIONS = new Uint8Array(0);
/** MSS 1460, NOP, window scale 8, NOP, NOP, SACK permitted (a Windows-style SYN). */
const CLIENT_SYN_OPTIONS = new Uint8Array([2, 4, 0x05, 0xb4, 1, 3, 3, 8, 1, 1, 4, 2]);
/** MSS 1460, NOP, NOP, SACK permitted, NOP, window scale 7 (a Linux-style SYN-ACK). */
const SERVER_SYN_OPTIONS = new Uint8Array([2, 4, 0x05, 0xb4, 1, 1, 4, 2, 1, 3, 3, 7]);
/** A scanner's bare SYN: MSS 1460 only (nmap -sS). */
const SCAN_SYN_OPTIONS = new Uint8Array([2, 4, 0x05, 0xb4]);
const SCANNER_WINDOW = 1024;
const FLOOD_WINDOW = 512;
const JITTER_LOW = 0.75;
const JITTER_SPAN = 0.5;

export function conversationPlan(
  rng: Prng,
  exchanges: readonly Exchange[],
  t: PathTiming,
  closeDelayUs: number,
  v6: boolean,
): TcpStep[] {
  const mss = v6 ? MSS_IPV6 : MSS_IPV4;
  const steps: TcpStep[] = [];
  const jitter = (us: number): number => micros(us * (JITTER_LOW + JITTER_SPAN * rng.uniform()));
  const react = (fromClient: boolean): number => jitter(fromClient ? t.turnUs : t.rttUs);
  const push = (fromClient: boolean, flags: number, delayUs: number, message: Message | null, offset = 0, length = 0): void => {
    const syn = (flags & TCP_SYN) !== 0;
    steps.push({
      fromClient,
      flags,
      delayUs,
      options: syn ? (fromClient ? CLIENT_SYN_OPTIONS : SERVER_SYN_OPTIONS) : NO_OPTIONS,
      window: fromClient ? CLIENT_WINDOW : SERVER_WINDOW,
      message,
      offset,
      length,
    });
  };
  push(true, TCP_SYN, 0, null);
  push(false, TCP_SYN | TCP_ACK, react(false), null);
  push(true, TCP_ACK, react(true), null);
  exchanges.forEach((ex, k) => {
    const dir = ex.fromClient;
    const segments = Math.max(1, Math.ceil(ex.message.length / mss));
    for (let j = 0; j < segments; j++) {
      const offset = j * mss;
      const length = Math.min(mss, ex.message.length - offset);
      const last = j === segments - 1;
      const delay = j === 0 ? micros(ex.delayUs) : jitter(length / t.bytesPerUs);
      push(dir, TCP_ACK | (last ? TCP_PSH : 0), delay, ex.message, offset, length);
      if (j % 2 === 1 && !last) push(!dir, TCP_ACK, react(!dir), null);
    }
    const next = exchanges[k + 1];
    // The receiver acknowledges the end of a message unless its own next message carries the ACK.
    if (!next || next.fromClient === dir) push(!dir, TCP_ACK, react(!dir), null);
  });
  push(true, TCP_FIN | TCP_ACK, micros(closeDelayUs), null);
  push(false, TCP_FIN | TCP_ACK, react(false), null);
  push(true, TCP_ACK, react(true), null);
  return steps;
}

/**
 * One SYN-scan probe: SYN; an open port answers SYN-ACK and the scanner resets; a closed port
 * answers RST-ACK.
 */
export function probePlan(open: boolean, rttUs: number, turnUs: number): TcpStep[] {
  const step = (fromClient: boolean, flags: number, delayUs: number, options: Uint8Array, window: number): TcpStep => ({
    fromClient,
    flags,
    delayUs,
    options,
    window,
    message: null,
    offset: 0,
    length: 0,
  });
  const syn = step(true, TCP_SYN, 0, SCAN_SYN_OPTIONS, SCANNER_WINDOW);
  if (!open) return [syn, step(false, TCP_RST | TCP_ACK, micros(rttUs), NO_OPTIONS, 0)];
  return [
    syn,
    step(false, TCP_SYN | TCP_ACK, micros(rttUs), SERVER_SYN_OPTIONS, SERVER_WINDOW),
    step(true, TCP_RST, micros(turnUs), NO_OPTIONS, 0),
  ];
}

/** One spoofed SYN of a flood, answered by a SYN-ACK (to nobody) while the victim's backlog has room. */
export function floodPlan(answered: boolean, responseUs: number): TcpStep[] {
  const syn: TcpStep = {
    fromClient: true,
    flags: TCP_SYN,
    delayUs: 0,
    options: NO_OPTIONS,
    window: FLOOD_WINDOW,
    message: null,
    offset: 0,
    length: 0,
  };
  if (!answered) return [syn];
  return [
    syn,
    { ...syn, fromClient: false, flags: TCP_SYN | TCP_ACK, delayUs: micros(responseUs), options: SERVER_SYN_OPTIONS, window: SERVER_WINDOW },
  ];
}
