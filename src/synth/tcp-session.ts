import { type Endpoint, TCP_ACK, TCP_FIN, TCP_SYN, type TcpSegment, tcpFrame, tcpPayloadAt } from './frames.js';
import type { Message } from './payloads.js';
import { Session, type Simulation } from './simulation.js';

/**
 * One TCP connection (RFC 9293) played from a precomputed list of steps: who sends, which flags,
 * which slice of which message, after what delay. Sequence and acknowledgement numbers follow the
 * bytes really sent (SYN and FIN count one), from random initial sequence numbers, so tshark
 * sees a consistent stream. Plans are built in tcp-plans.ts.
 */
export interface TcpStep {
  fromClient: boolean;
  flags: number;
  /** Microseconds since the previous step (0 for the first). */
  delayUs: number;
  options: Uint8Array;
  window: number;
  message: Message | null;
  offset: number;
  length: number;
}

export interface TcpEnds {
  client: Endpoint;
  server: Endpoint;
  v6: boolean;
  clientPort: number;
  serverPort: number;
}

export class TcpSession extends Session {
  private next = 0;
  private clientSeq: number;
  private serverSeq: number;
  private readonly seg: TcpSegment;

  constructor(
    start: number,
    private readonly ends: TcpEnds,
    private readonly steps: readonly TcpStep[],
    clientIsn: number,
    serverIsn: number,
    private readonly label: string | null = null,
  ) {
    super();
    this.time = start + steps[0].delayUs;
    this.clientSeq = clientIsn >>> 0;
    this.serverSeq = serverIsn >>> 0;
    this.seg = { srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, window: 0, options: steps[0].options };
  }

  step(sim: Simulation): boolean {
    const st = this.steps[this.next];
    const e = this.ends;
    const seg = this.seg;
    const fromClient = st.fromClient;
    seg.srcPort = fromClient ? e.clientPort : e.serverPort;
    seg.dstPort = fromClient ? e.serverPort : e.clientPort;
    seg.seq = fromClient ? this.clientSeq : this.serverSeq;
    seg.ack = st.flags & TCP_ACK ? (fromClient ? this.serverSeq : this.clientSeq) : 0;
    seg.flags = st.flags;
    seg.window = st.window;
    seg.options = st.options;
    const buf = sim.frame;
    if (st.message) st.message.copyTo(buf, tcpPayloadAt(e.v6, st.options.length), st.offset, st.length);
    const len = tcpFrame(
      buf,
      fromClient ? e.client : e.server,
      fromClient ? e.server : e.client,
      e.v6,
      seg,
      st.length,
      sim.nextIpId(),
    );
    sim.emit(len, this.label);
    const consumed = st.length + (st.flags & (TCP_SYN | TCP_FIN) ? 1 : 0);
    if (fromClient) this.clientSeq = (this.clientSeq + consumed) >>> 0;
    else this.serverSeq = (this.serverSeq + consumed) >>> 0;
    this.next++;
    if (this.next >= this.steps.length) return false;
    this.time += this.steps[this.next].delayUs;
    return true;
  }
}
