import { describe, expect, it } from 'vitest';
import type { TsharkFields } from '../src/decode/fields.js';
import { PacketDecoder } from '../src/decode/packet.js';
import { MAX_PENDING_MSDUS, WLAN_NOTHING, WLAN_OWN_PAYLOAD, WlanFragments } from '../src/decode/wlan-fragments.js';
import {
  type Bytes, arp, decode, decodeWith, eth, ETH, ipv4, le16, le32, MAC_A, MAC_B, mac, tcp, TCP, u16, udp, UDP,
} from './helpers/frame-builders.js';

/*
 * 802.11 (linktype 105), radiotap (127), PPI (192) and LLC. Every expectation was checked against
 * tshark 4.0.17 with Kitsune-py's field list on the same bytes: the 802.11 addresses are wlan.*
 * fields, so eth.src/eth.dst stay empty while IP, ports and ARP come from the LLC payload.
 */

const WLAN = 105;
const RADIOTAP = 127;
const PPI = 192;

/** Frame control: type and subtype in the first byte, flags in the second. */
const fc = (type: number, subtype: number, flags: number): Bytes => [(subtype << 4) | (type << 2), flags];
const DATA = 2;
const QOS_DATA = 8;
const TO_DS = 0x01;
const FROM_DS = 0x02;
const MORE_FRAGMENTS = 0x04;
const PROTECTED = 0x40;
const ORDER = 0x80;
const A1 = '02:00:00:00:00:01';
const A2 = '02:00:00:00:00:02';
const A3 = '02:00:00:00:00:03';
const A4 = '02:00:00:00:00:04';

interface DataHeader {
  subtype?: number;
  flags?: number;
  seq?: number;
  frag?: number;
  qos?: number;
}
/** An 802.11 data header: frame control, duration, 3 addresses, sequence control, [addr4], [QoS], [HT control]. */
function dataHeader(o: DataHeader = {}): Bytes {
  const subtype = o.subtype ?? 0;
  const flags = o.flags ?? TO_DS;
  const h = [...fc(DATA, subtype, flags), 0, 0, ...mac(A1), ...mac(A2), ...mac(A3), ...le16(((o.seq ?? 1) << 4) | (o.frag ?? 0))];
  if ((flags & TO_DS) !== 0 && (flags & FROM_DS) !== 0) h.push(...mac(A4));
  if ((subtype & QOS_DATA) !== 0) h.push(...le16(o.qos ?? 0));
  if ((subtype & QOS_DATA) !== 0 && (flags & ORDER) !== 0) h.push(0, 0, 0, 0);
  return h;
}
const snap = (etherType: number, payload: Bytes): Bytes => [0xaa, 0xaa, 0x03, 0, 0, 0, ...u16(etherType), ...payload];
const ipTcp = ipv4({ proto: TCP, src: '10.9.9.1', dst: '10.9.9.2' }, tcp(80, 443));
const ipUdp = ipv4({ proto: UDP, src: '10.2.2.1', dst: '10.2.2.2' }, udp(33, 44));

const ipAndPorts = (t: TsharkFields): string[] => [t.ethSrc, t.ethDst, t.ipSrc, t.ipDst, t.tcpSrcport, t.tcpDstport, t.udpSrcport, t.udpDstport];
const TCP_ROW = ['', '', '10.9.9.1', '10.9.9.2', '80', '443', '', ''];
const UDP_ROW = ['', '', '10.2.2.1', '10.2.2.2', '', '', '33', '44'];
const EMPTY_ROW = ['', '', '', '', '', '', '', ''];

describe('802.11 data frames (105)', () => {
  it('every address layout and optional field leads to the LLC payload; no eth fields', () => {
    for (const h of [
      dataHeader({ flags: TO_DS }),
      dataHeader({ flags: FROM_DS }),
      dataHeader({ flags: 0 }),
      dataHeader({ flags: TO_DS | FROM_DS }), // WDS: a fourth address
      dataHeader({ subtype: QOS_DATA }), // QoS control
      dataHeader({ subtype: QOS_DATA, flags: TO_DS | ORDER }), // QoS + HT control
      dataHeader({ flags: TO_DS | ORDER }), // the order flag adds nothing to a non-QoS frame
    ]) {
      expect(ipAndPorts(decode(WLAN, [...h, ...snap(0x0800, ipTcp)]))).toEqual(TCP_ROW);
    }
  });

  it('ARP through LLC/SNAP', () => {
    const a = decode(WLAN, [...dataHeader(), ...snap(0x0806, arp(1, A2, '10.9.9.1', '00:00:00:00:00:00', '10.9.9.2'))]);
    expect([a.ethSrc, a.arpOpcode, a.arpSrcHwMac, a.arpSrcProtoIpv4, a.arpDstProtoIpv4]).toEqual(['', '1', A2, '10.9.9.1', '10.9.9.2']);
  });

  it('protected, null-data, management and control frames, and a cut header, show nothing', () => {
    const body = snap(0x0800, ipTcp);
    for (const frame of [
      [...dataHeader({ flags: TO_DS | PROTECTED }), ...body],
      [...dataHeader({ subtype: 4 }), ...body], // null data
      [...dataHeader({ subtype: 12 }), ...body], // QoS null
      [...fc(0, 8, 0), 0, 0, ...mac(A1), ...mac(A2), ...mac(A3), 0x10, 0, ...body], // beacon
      [...fc(1, 13, 0), 0, 0, ...mac(A1)], // ACK
      dataHeader().slice(0, 20),
      [...dataHeader(), ...body.slice(0, 5)], // LLC cut
    ]) {
      expect(ipAndPorts(decode(WLAN, frame))).toEqual(EMPTY_ROW);
    }
  });

  it('a body without LLC: a bare EtherType tshark follows, or LLC after two zero bytes; else LLC', () => {
    expect(ipAndPorts(decode(WLAN, [...dataHeader(), ...u16(0x0800), ...ipTcp]))).toEqual(TCP_ROW);
    expect(ipAndPorts(decode(WLAN, [...dataHeader(), 0, 0, ...snap(0x0800, ipTcp)]))).toEqual(TCP_ROW);
    expect(ipAndPorts(decode(WLAN, [...dataHeader(), 0x06, 0x06, 0x03, ...ipTcp]))).toEqual(TCP_ROW); // LLC, IP SAP
    expect(ipAndPorts(decode(WLAN, [...dataHeader(), ...u16(0x1234), ...ipTcp]))).toEqual(EMPTY_ROW);
    expect(ipAndPorts(decode(WLAN, [...dataHeader(), 0, 1, ...snap(0x0800, ipTcp)]))).toEqual(EMPTY_ROW);
  });

  it('a four-address frame may start its body with 802.11s mesh control (flags read as mesh flags)', () => {
    const wds = (body: Bytes) => ipAndPorts(decode(WLAN, [...dataHeader({ flags: TO_DS | FROM_DS }), ...body]));
    const meshControl = (flags: number, extensions: number): Bytes => [flags, 5, 0, 0, 0, 1, ...Array<number>(6 * extensions).fill(2)];
    expect(wds([...meshControl(0, 0), ...snap(0x0800, ipTcp)])).toEqual(TCP_ROW);
    expect(wds([...meshControl(2, 2), ...snap(0x0800, ipTcp)])).toEqual(TCP_ROW);
    expect(wds([...meshControl(3, 0), ...snap(0x0800, ipTcp)])).toEqual(EMPTY_ROW); // extension 3 is reserved
    expect(wds(snap(0x0800, ipTcp))).toEqual(TCP_ROW); // 0xAA has reserved flag bits: plain LLC
  });

  it("a body that is an Ethernet frame (starting with the frame's destination, or with its source at byte 6)", () => {
    // ToDS: the source is address 2 (A2), the destination address 3 (A3).
    const t = decode(WLAN, [...dataHeader(), ...eth(0x0800, ipTcp, A3, '0a:00:00:00:00:09')]);
    expect([t.ethSrc, t.ethDst, t.ipSrc, t.tcpSrcport]).toEqual(['0a:00:00:00:00:09', A3, '10.9.9.1', '80']);
    expect(decode(WLAN, [...dataHeader(), ...eth(0x0800, ipTcp, '0a:00:00:00:00:09', A2)]).ethSrc).toBe(A2);
    expect(decode(WLAN, [...dataHeader(), ...eth(0x0800, ipTcp, A2, A3)]).ipSrc).toBe('');
  });

  it('a frame control protocol version other than 0 shows nothing', () => {
    const frame = [...dataHeader(), ...snap(0x0800, ipTcp)];
    frame[0] |= 1;
    expect(ipAndPorts(decode(WLAN, frame))).toEqual(EMPTY_ROW);
  });

  it('an A-MSDU: each subframe is dissected in turn, the first occurrence of a field wins', () => {
    const subframe = (msdu: Bytes): Bytes => {
      const s = [...mac(A1), ...mac(A2), ...u16(msdu.length), ...msdu];
      return [...s, ...Array<number>((4 - (s.length % 4)) % 4).fill(0)];
    };
    const arpMsdu = snap(0x0806, arp(1, A2, '10.9.9.1', '00:00:00:00:00:00', '10.9.9.2'));
    const t = decode(WLAN, [...dataHeader({ subtype: QOS_DATA, qos: 0x80 }), ...subframe(arpMsdu), ...subframe(snap(0x0800, ipTcp))]);
    expect([t.arpOpcode, t.arpSrcProtoIpv4, ...ipAndPorts(t)]).toEqual(['1', '10.9.9.1', ...TCP_ROW]);
  });
});

describe('802.11 fragments (tshark reassembles by sequence and fragment number)', () => {
  const frag = (seq: number, n: number, more: boolean, payload: Bytes): Bytes => [
    ...dataHeader({ seq, frag: n, flags: TO_DS | (more ? MORE_FRAGMENTS : 0) }), ...payload,
  ];
  const body = snap(0x0800, ipTcp);

  it('the last fragment shows the headers of the concatenated payloads; the others nothing', () => {
    const d = new PacketDecoder();
    expect(ipAndPorts(decodeWith(d, WLAN, frag(5, 0, true, body.slice(0, 30))))).toEqual(EMPTY_ROW);
    // 30 bytes = LLC (8) + IPv4 (20) + the first 2 TCP bytes: the TCP destination port is read from
    // the second fragment, whose first bytes are its own LLC header 0xAA 0xAA (43690).
    expect(ipAndPorts(decodeWith(d, WLAN, frag(5, 1, false, snap(0x0800, ipUdp))))).toEqual(['', '', '10.9.9.1', '10.9.9.2', '80', '43690', '', '']);
  });

  it('completes when the missing fragment arrives late, in any order', () => {
    const d = new PacketDecoder();
    expect(ipAndPorts(decodeWith(d, WLAN, frag(7, 0, true, body)))).toEqual(EMPTY_ROW);
    expect(ipAndPorts(decodeWith(d, WLAN, frag(7, 2, false, snap(0x0800, ipUdp))))).toEqual(EMPTY_ROW);
    expect(ipAndPorts(decodeWith(d, WLAN, frag(7, 1, true, snap(0x0800, ipUdp))))).toEqual(TCP_ROW);
  });

  it('a lone last fragment (no MSDU pending) is dissected on its own; a lone middle one waits', () => {
    const d = new PacketDecoder();
    expect(ipAndPorts(decodeWith(d, WLAN, frag(6, 1, false, snap(0x0800, ipUdp))))).toEqual(UDP_ROW);
    expect(ipAndPorts(decodeWith(d, WLAN, frag(10, 1, true, snap(0x0800, ipUdp))))).toEqual(EMPTY_ROW);
  });

  it('fragments are keyed on source, destination and sequence: a different receiver address still joins', () => {
    const d = new PacketDecoder();
    const first = frag(12, 0, true, body.slice(0, 30));
    const last = frag(12, 1, false, body.slice(30));
    last[4] = 0x77; // addr1 (the BSSID when ToDS): neither source nor destination
    expect(ipAndPorts(decodeWith(d, WLAN, first))).toEqual(EMPTY_ROW);
    expect(ipAndPorts(decodeWith(d, WLAN, last))).toEqual(TCP_ROW);
  });

  it('keeps at most MAX_PENDING_MSDUS waiting: the oldest is dropped', () => {
    const w = new WlanFragments();
    const bytes = new Uint8Array(8);
    for (let i = 0; i <= MAX_PENDING_MSDUS; i++) expect(w.add(`m${i}`, 0, true, bytes, 0, 8)).toBe(WLAN_NOTHING);
    expect(w.size).toBe(MAX_PENDING_MSDUS);
    // m0 was dropped, so its last fragment is now a lone one.
    expect(w.add('m0', 1, false, bytes, 0, 8)).toBe(WLAN_OWN_PAYLOAD);
  });
});

describe('radiotap (127), PPI (192), Prism (119) and AVS (163)', () => {
  /** A radiotap header: version 0, length, present bitmap(s), fields. */
  const radiotap = (present: number[], fields: Bytes): Bytes => {
    const len = 4 + 4 * present.length + fields.length;
    return [0, 0, ...le16(len), ...present.flatMap(le32), ...fields];
  };
  const FLAGS = 0x2;
  const TSFT = 0x1;
  const EXT = 0x80000000;
  const FCS_AT_END = 0x10;
  const DATA_PAD = 0x20;
  // An IPv4 header announcing 8 UDP bytes that were not captured, then 4 bytes: the FCS or the ports.
  const cutUdp = [...ipv4({ proto: UDP, src: '10.3.3.1', dst: '10.3.3.2', totalLen: 28 }, []), 1, 2, 3, 4];
  const cutUdpFrame = [...dataHeader(), ...snap(0x0800, cutUdp)];

  it('skips its stated length to the 802.11 frame', () => {
    expect(ipAndPorts(decode(RADIOTAP, [...radiotap([0], []), ...dataHeader(), ...snap(0x0800, ipTcp)]))).toEqual(TCP_ROW);
  });

  it('an FCS flagged at the end is not payload, wherever the flags field sits', () => {
    const ports = (t: TsharkFields) => [t.ipSrc, t.udpSrcport, t.udpDstport];
    // Without the flag, the last 4 bytes are read as the UDP ports 0x0102 = 258 and 0x0304 = 772.
    expect(ports(decode(RADIOTAP, [...radiotap([FLAGS], [0]), ...cutUdpFrame]))).toEqual(['10.3.3.1', '258', '772']);
    expect(ports(decode(RADIOTAP, [...radiotap([FLAGS], [FCS_AT_END]), ...cutUdpFrame]))).toEqual(['10.3.3.1', '', '']);
    // TSFT (8 bytes, aligned to 8 from the header start) comes before the flags.
    expect(ports(decode(RADIOTAP, [...radiotap([TSFT | FLAGS], [1, 0, 0, 0, 0, 0, 0, 0, FCS_AT_END]), ...cutUdpFrame]))).toEqual(['10.3.3.1', '', '']);
    // A second present word moves the fields by 4 bytes.
    expect(ports(decode(RADIOTAP, [...radiotap([FLAGS | EXT, 0], [FCS_AT_END]), ...cutUdpFrame]))).toEqual(['10.3.3.1', '', '']);
  });

  it('data pad: the 802.11 header is padded to a multiple of 4', () => {
    // A QoS header is 26 bytes: 2 bytes of padding follow it.
    const frame = [...radiotap([FLAGS], [DATA_PAD]), ...dataHeader({ subtype: QOS_DATA }), 0, 0, ...snap(0x0800, ipTcp)];
    expect(ipAndPorts(decode(RADIOTAP, frame))).toEqual(TCP_ROW);
  });

  it('a stated length shorter than 8 or past the captured bytes stops', () => {
    const body = [...dataHeader(), ...snap(0x0800, ipTcp)];
    expect(ipAndPorts(decode(RADIOTAP, [0, 0, ...le16(4), 0, 0, 0, 0, ...body]))).toEqual(EMPTY_ROW);
    expect(ipAndPorts(decode(RADIOTAP, [0, 0, ...le16(3000), 0, 0, 0, 0, ...body]))).toEqual(EMPTY_ROW);
  });

  it('PPI hands the frame to its link type (802.11, Ethernet, PPI again); a length below 8 reads as 8', () => {
    const ppi = (len: number, dlt: number, frame: Bytes): Bytes => [0, 0, ...le16(len), ...le32(dlt), ...frame];
    const wlanFrame = [...dataHeader(), ...snap(0x0800, ipTcp)];
    expect(ipAndPorts(decode(PPI, ppi(8, WLAN, wlanFrame)))).toEqual(TCP_ROW);
    expect(ipAndPorts(decode(PPI, ppi(4, WLAN, wlanFrame)))).toEqual(TCP_ROW);
    expect(ipAndPorts(decode(PPI, ppi(20, WLAN, [...Array<number>(12).fill(0), ...wlanFrame])))).toEqual(TCP_ROW);
    const t = decode(PPI, ppi(8, PPI, ppi(8, ETH, eth(0x0800, ipTcp))));
    expect([t.ethSrc, t.ethDst, t.ipSrc, t.tcpDstport]).toEqual([MAC_A, MAC_B, '10.9.9.1', '443']);
  });

  it('Prism (119): after an AVS header (by its magic), a 144-byte Prism header (code 0x41/0x44), or none; AVS (163): its header', () => {
    const frame = [...dataHeader(), ...snap(0x0800, ipTcp)];
    const avs = [0x80, 0x21, 0x10, 0x01, 0, 0, 0, 64, ...Array<number>(56).fill(0)];
    const prism = [0x44, 0, 0, 0, 144, 0, 0, 0, ...Array<number>(136).fill(0)];
    for (const header of [avs, prism, []]) expect(ipAndPorts(decode(119, [...header, ...frame]))).toEqual(TCP_ROW);
    expect(ipAndPorts(decode(163, [...avs, ...frame]))).toEqual(TCP_ROW);
    expect(ipAndPorts(decode(163, [0, 0, 0, 0, ...avs.slice(4), ...frame]))).toEqual(TCP_ROW); // magic not checked
    expect(ipAndPorts(decode(163, frame))).toEqual(EMPTY_ROW); // its bytes 4-7 are no length
  });

  it('nested PPI headers stop at the layer limit instead of overflowing the stack', () => {
    const nested: Bytes = [];
    for (let i = 0; i < 40000; i++) nested.push(0, 0, ...le16(8), ...le32(PPI));
    expect(ipAndPorts(decode(PPI, nested))).toEqual(EMPTY_ROW);
  });
});

describe('802.2 LLC', () => {
  const llcFrame = (llc: Bytes): Bytes => eth(llc.length, llc);

  it('follows SNAP with the zero or the Cisco "90-compatible" OUI, and the IP SAP', () => {
    for (const llc of [snap(0x0800, ipTcp), [0xaa, 0xaa, 0x03, 0, 0, 0xf8, ...u16(0x0800), ...ipTcp], [0x06, 0x06, 0x03, ...ipTcp]]) {
      const t = decode(ETH, llcFrame(llc));
      expect([t.ethSrc, t.ipSrc, t.tcpSrcport]).toEqual([MAC_A, '10.9.9.1', '80']);
    }
  });

  it('other OUIs (Cisco 0x00000c, Apple 0x080007) carry nothing of ours', () => {
    for (const oui of [[0, 0, 0x0c], [0x08, 0, 0x07]]) {
      const t = decode(ETH, llcFrame([0xaa, 0xaa, 0x03, ...oui, ...u16(0x0800), ...ipTcp]));
      expect([t.ethSrc, t.ipSrc]).toEqual([MAC_A, '']);
    }
  });
});
