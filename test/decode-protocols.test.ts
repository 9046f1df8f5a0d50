import { describe, expect, it } from 'vitest';
import { DecodeContext } from '../src/decode/context.js';
import { decodeEtherType, isFollowedEtherType } from '../src/decode/ethertype.js';
import { TsharkFields } from '../src/decode/fields.js';
import { PacketDecoder } from '../src/decode/packet.js';
import { FragmentTracker, MAX_DATAGRAMS, PREFIX_BYTES } from '../src/decode/reassembly.js';
import { ipv6String } from '../src/decode/strings.js';
import { formatDecodeRow } from '../src/output/decode-row.js';
import {
  type Bytes, arp, decode, decodeWith, eth, ETH, icmp, ICMP, ip4, ip6, ipv4, ipv6, MAC_A, MAC_B, mac, row, tcp, TCP, u16, u32,
  udp, UDP, vlan,
} from './helpers/frame-builders.js';

/*
 * Hand-built frames, one protocol feature per test. Expected values are read off the bytes we build
 * (addresses, ports) and tshark's documented behaviour (see each decoder's doc comment).
 */

describe('Ethernet and VLAN tags', () => {
  it('Ethernet II + IPv4 + TCP fills MACs, addresses and ports', () => {
    const t = decode(ETH, eth(0x0800, ipv4({ proto: TCP }, tcp(1234, 80))));
    expect([t.ethSrc, t.ethDst, t.ipSrc, t.ipDst, t.tcpSrcport, t.tcpDstport]).toEqual([
      MAC_A, MAC_B, '10.0.0.1', '10.0.0.2', '1234', '80',
    ]);
    expect(t.frameLen).toBe(14 + 20 + 20);
    expect(t.timeEpoch).toBe(1600000000.5);
    expect(formatDecodeRow(row(t))).toBe(`0\t${MAC_A}\t${MAC_B}\t10.0.0.1\t1234\t10.0.0.2\t80\t54\t1600000000.5`);
  });

  it('802.1Q and QinQ (802.1ad outer, 802.1Q inner) tags are transparent', () => {
    const inner = ipv4({ proto: UDP }, udp(53, 5353));
    for (const frame of [
      eth(0x8100, vlan(100, 0x0800, inner)),
      eth(0x88a8, vlan(200, 0x8100, vlan(100, 0x0800, inner))),
      eth(0x9100, vlan(200, 0x8100, vlan(100, 0x0800, inner))),
    ]) {
      const t = decode(ETH, frame);
      expect([t.ethSrc, t.ethDst, t.ipSrc, t.udpSrcport, t.udpDstport]).toEqual([MAC_A, MAC_B, '10.0.0.1', '53', '5353']);
    }
  });

  it('an 802.3 frame with LLC/SNAP carries an EtherType', () => {
    const inner = ipv4({ proto: TCP }, tcp(1, 2));
    const snap = [0xaa, 0xaa, 0x03, 0, 0, 0, ...u16(0x0800), ...inner];
    const t = decode(ETH, eth(snap.length, snap));
    expect([t.ipSrc, t.tcpSrcport]).toEqual(['10.0.0.1', '1']);
  });

  it('PBB I-Tag (the customer frame follows; eth.* stay the backbone MACs), VN-Tag and E-Tag are transparent', () => {
    const inner = ipv4({ proto: UDP }, udp(53, 5353));
    for (const frame of [
      eth(0x88e7, [0, 0, 1, 0, ...eth(0x0800, inner, 'aa:00:00:00:00:02', 'aa:00:00:00:00:01')]),
      eth(0x8926, [0, 0, 0, 0, ...u16(0x0800), ...inner]),
      eth(0x893f, [0, 0, 0, 0, 0, 0, ...u16(0x0800), ...inner]),
    ]) {
      const t = decode(ETH, frame);
      expect([t.ethSrc, t.ethDst, t.ipSrc, t.udpSrcport]).toEqual([MAC_A, MAC_B, '10.0.0.1', '53']);
    }
  });

  it('transparent Ethernet (0x6558), Cisco MetaData (0x8909) and NSH (0x894F, next protocol IPv4 or Ethernet)', () => {
    const inner = ipv4({ proto: UDP }, udp(53, 5353));
    const nsh = (next: number, payload: Bytes): Bytes => [0, 6, 1, next, 0, 0, 1, 0xff, ...Array<number>(16).fill(0), ...payload];
    for (const frame of [
      eth(0x6558, eth(0x0800, inner, 'aa:00:00:00:00:02', 'aa:00:00:00:00:01')),
      eth(0x8909, [1, 1, 0, 1, 0, 5, ...u16(0x0800), ...inner]),
      eth(0x894f, nsh(1, inner)),
      eth(0x894f, nsh(3, eth(0x0800, inner))),
    ]) {
      const t = decode(ETH, frame);
      expect([t.ethSrc, t.ipSrc, t.udpSrcport]).toEqual([MAC_A, '10.0.0.1', '53']);
    }
  });

  it('MPLS: IP by version nibble after the bottom label; an associated channel (nibble 1) carrying IPv4 or IPv6', () => {
    const inner = ipv4({ proto: UDP }, udp(53, 5353));
    const label = [0, 0x10, 0x01, 64];
    const port = (payload: Bytes) => decode(ETH, eth(0x8847, [...label, ...payload])).udpSrcport;
    expect(port(inner)).toBe('53');
    expect(port([0x10, 0, ...u16(0x0021), ...inner])).toBe('53');
    expect(port([0x10, 0, ...u16(0x0800), ...inner])).toBe(''); // channel types are PPP numbers
    expect(port([0x20, 0, ...u16(0x0021), ...inner])).toBe('');
  });

  it('LLC: UI (0x03) and I-frames (two control bytes) carry SNAP; S-frames and other U-frames do not', () => {
    const inner = ipv4({ proto: TCP }, tcp(1, 2));
    const port = (control: Bytes) => {
      const llc = [0xaa, 0xaa, ...control, 0, 0, 0, ...u16(0x0800), ...inner];
      return decode(ETH, eth(llc.length, llc)).tcpSrcport;
    };
    expect([[0x03], [0x00, 0x00], [0x02, 0x01], [0x01, 0x00], [0x13], [0xaf]].map(port)).toEqual(['1', '1', '1', '', '', '']);
  });

  it('isFollowedEtherType says which types decodeEtherType follows, for every type', () => {
    const ctx = new DecodeContext();
    const t = new TsharkFields();
    const empty = new Uint8Array(0);
    for (let type = 0; type <= 0xffff; type++) expect(isFollowedEtherType(type), `0x${type.toString(16)}`).toBe(decodeEtherType(type, empty, 0, 0, t, ctx));
  });

  it('a frame shorter than the Ethernet header shows nothing but time and length', () => {
    const t = decode(ETH, eth(0x0800, []).slice(0, 13));
    expect([t.ethSrc, t.ethDst]).toEqual(['', '']);
    expect(t.frameLen).toBe(13);
  });
});

describe('other link types', () => {
  const ipUdp = ipv4({ proto: UDP, src: '192.168.1.1', dst: '192.168.1.2' }, udp(1000, 2000));
  const expectIpUdp = (t: TsharkFields): void => {
    expect([t.ethSrc, t.ipSrc, t.ipDst, t.udpSrcport, t.udpDstport]).toEqual(['', '192.168.1.1', '192.168.1.2', '1000', '2000']);
  };

  it('Linux cooked v1 (113): no MACs, EtherType in the last two header bytes', () => {
    const sll = [0, 0, ...u16(1), ...u16(6), ...mac(MAC_A), 0, 0, ...u16(0x0800)];
    expectIpUdp(decode(113, [...sll, ...ipUdp]));
  });

  it("Linux cooked pseudo-protocols: 0x0003 a whole Ethernet frame (its MACs show), 0x0007 PPP", () => {
    const sll = (protocol: number): Bytes => [0, 0, ...u16(1), ...u16(6), ...mac(MAC_A), 0, 0, ...u16(protocol)];
    const t = decode(113, [...sll(0x0003), ...eth(0x0800, ipUdp)]);
    expect([t.ethSrc, t.ethDst, t.ipSrc, t.udpSrcport]).toEqual([MAC_A, MAC_B, '192.168.1.1', '1000']);
    expectIpUdp(decode(113, [...sll(0x0007), 0xff, 0x03, ...u16(0x0021), ...ipUdp]));
  });

  it('PPP (9, 50): Cisco HDLC addresses, any control byte, compressed protocol, MPLS, VJ uncompressed, bridged Ethernet', () => {
    const vj = [...ipv4({ proto: TCP, src: '192.168.1.1' }, tcp(1000, 2000))];
    vj[9] = 5; // the connection slot in place of the protocol
    for (const frame of [
      [0x0f, 0, ...u16(0x0800), ...ipUdp],
      [0xff, 0x05, ...u16(0x0021), ...ipUdp],
      [0x21, ...ipUdp],
      [0xff, 0x03, ...u16(0x0281), 0, 0x10, 0x01, 64, ...ipUdp],
    ]) {
      expectIpUdp(decode(9, frame));
    }
    expect(decode(50, [0xff, 0x03, ...u16(0x002f), ...vj]).tcpSrcport).toBe('1000');
    expect(decode(50, [0xff, 0x03, ...u16(0x002f), ...ipv6(TCP, tcp(1000, 2000))]).ipv6Src).toBe(''); // VJ is IPv4 only
    // BCP: flags, MAC type 1 (Ethernet); with the LAN FCS flag the last 4 bytes are the FCS.
    const bridged = decode(9, [0xff, 0x03, ...u16(0x0031), 0x80, 1, ...eth(0x0800, ipUdp), 1, 2, 3, 4]);
    expect([bridged.ethSrc, bridged.ipSrc, bridged.udpSrcport]).toEqual([MAC_A, '192.168.1.1', '1000']);
    expect(decode(9, [0xff, 0x03, ...u16(0x0031), 0, 2, ...eth(0x0800, ipUdp)]).ipSrc).toBe('');
  });

  it('PPPoE: a one-byte (compressed) protocol field; no HDLC address or Cisco HDLC inside', () => {
    const pppoe = (ppp: Bytes): Bytes => eth(0x8864, [0x11, 0, ...u16(1), ...u16(ppp.length), ...ppp]);
    expect(decode(ETH, pppoe([0x21, ...ipUdp])).udpSrcport).toBe('1000');
    expect(decode(ETH, pppoe([0xff, 0x05, ...u16(0x0021), ...ipUdp])).ipSrc).toBe('');
  });

  it('Linux cooked v2 (276): protocol first', () => {
    const sll2 = [...u16(0x86dd), 0, 0, ...u32(3), ...u16(1), 0, 6, ...mac(MAC_A), 0, 0];
    const t = decode(276, [...sll2, ...ipv6(TCP, tcp(443, 50000))]);
    expect([t.ethSrc, t.ipv6Src, t.ipv6Dst, t.tcpSrcport, t.tcpDstport]).toEqual(['', '2001:db8::1', '2001:db8::2', '443', '50000']);
  });

  it('BSD loopback: NULL in either byte order, LOOP in network order, AF_INET6 variants', () => {
    expectIpUdp(decode(0, [2, 0, 0, 0, ...ipUdp]));
    expectIpUdp(decode(0, [0, 0, 0, 2, ...ipUdp]));
    expectIpUdp(decode(108, [0, 0, 0, 2, ...ipUdp]));
    for (const af of [24, 28, 30]) expect(decode(0, [af, 0, 0, 0, ...ipv6(UDP, udp(1, 2))]).ipv6Src).toBe('2001:db8::1');
  });

  it('NULL: a 16-bit family in the upper half, a family in the second byte, an EtherType; LOOP takes only families', () => {
    const ip = (linkType: number, header: Bytes) => decode(linkType, [...header, ...ipUdp]).ipSrc;
    // Little-endian 0x00020000: top byte 0 and third byte 2 < 6, so the family is the upper half, 2.
    expect(ip(0, [0, 0, 2, 0])).toBe('192.168.1.1');
    // 0x00000200: no upper half, low byte 0, so the family is shifted down a byte: 2.
    expect(ip(0, [0, 2, 0, 0])).toBe('192.168.1.1');
    expect(ip(0, [0, 3, 0, 0])).toBe(''); // family 3
    // 0x00080000: third byte >= 6, so byte-swapped: EtherType 0x0800.
    expect(ip(0, [0, 0, 8, 0])).toBe('192.168.1.1');
    for (const header of [[0, 0, 8, 0], [2, 0, 0, 0], [0xff, 0x03, 0, 0x21]]) expect(ip(108, header)).toBe('');
  });

  it('raw IP: PPP at byte 0, 6 or 1, ten zero bytes, else the version nibble; under 8 bytes nothing', () => {
    const ppp = [0xff, 0x03, 0, 0x21, ...ipUdp];
    for (const frame of [ppp, [0, 0, 0, 0, 0, 0, ...ppp], [0, ...ppp], [...Array<number>(10).fill(0), ...ipUdp]]) {
      expectIpUdp(decode(101, frame));
    }
    // IPv4 whose bytes 6-7 read 0xFF03 is taken for PPP (protocol 0x4011: nothing).
    const flagged = [...ipUdp];
    flagged[6] = 0xff;
    flagged[7] = 0x03;
    expect(decode(101, flagged).ipSrc).toBe('');
  });

  it('raw IP: 101 and 12 by version nibble, 228 IPv4, 229 IPv6', () => {
    expectIpUdp(decode(101, ipUdp));
    expectIpUdp(decode(12, ipUdp));
    expectIpUdp(decode(228, ipUdp));
    expect(decode(101, ipv6(UDP, udp(1, 2))).ipv6Src).toBe('2001:db8::1');
    expect(decode(229, ipv6(UDP, udp(1, 2))).udpSrcport).toBe('1');
  });

  it('Cisco HDLC (104): an EtherType, but 0x8035 is SLARP; FDDI (10): LLC after its 13-byte header, no MACs', () => {
    expectIpUdp(decode(104, [0x0f, 0, ...u16(0x0800), ...ipUdp]));
    expect(decode(104, [0x8f, 0, ...u16(0x8035), ...Array<number>(20).fill(0)]).arpOpcode).toBe('');
    expectIpUdp(decode(10, [0x50, ...mac(MAC_B), ...mac(MAC_A), 0xaa, 0xaa, 0x03, 0, 0, 0, ...u16(0x0800), ...ipUdp]));
  });

  it('NFLOG (239): the payload TLV of an IPv4/IPv6 family; other families, or a TLV past the end, show nothing', () => {
    const tlv = (type: number, value: Bytes, len = 4 + value.length): Bytes => [
      len & 0xff, len >> 8, type & 0xff, type >> 8, ...value, ...Array<number>((4 - (value.length % 4)) % 4).fill(0),
    ];
    const nflog = (family: number, tlvs: Bytes[]): Bytes => [family, 0, 0, 5, ...tlvs.flat()];
    expectIpUdp(decode(239, nflog(2, [tlv(10, [0x70, 0x66, 0x78, 0]), tlv(9, ipUdp)])));
    expect(decode(239, nflog(7, [tlv(9, ipUdp)])).ipSrc).toBe('');
    expect(decode(239, nflog(2, [tlv(9, ipUdp, 200)])).ipSrc).toBe('');
  });

  it('pflog (117): the packet after the stated header length rounded up to 4, by BSD address family', () => {
    const pflog = (len: number, family: number): Bytes => [len, family, ...Array<number>(Math.ceil(len / 4) * 4 - 2).fill(0), ...ipUdp];
    expectIpUdp(decode(117, pflog(61, 2)));
    expectIpUdp(decode(117, pflog(5, 2)));
    expect(decode(117, pflog(4, 2)).ipSrc).toBe('');
  });

  it('PPP with direction (204): PPP once the capture layer has taken the direction byte off', () => {
    expectIpUdp(decode(204, [0xff, 0x03, ...u16(0x0021), ...ipUdp]));
    expectIpUdp(decode(204, [0x21, ...ipUdp]));
  });

  it('ATM RFC 1483 (100, and DLT 11): LLC/SNAP straight away; Linux ATM CLIP (106, DLT 16/18/19): IP by version', () => {
    for (const lt of [100, 11]) expectIpUdp(decode(lt, [0xaa, 0xaa, 0x03, 0, 0, 0, ...u16(0x0800), ...ipUdp]));
    for (const lt of [106, 16, 18, 19]) expectIpUdp(decode(lt, ipUdp));
  });

  it('PBB on a link without Ethernet: the customer MACs are not eth.* fields', () => {
    const sll = [0, 0, ...u16(1), ...u16(6), ...mac(MAC_A), 0, 0, ...u16(0x88e7)];
    const t = decode(113, [...sll, 0, 0, 1, 0, ...eth(0x0800, ipUdp)]);
    expect([t.ethSrc, t.ethDst, t.ipSrc, t.udpSrcport]).toEqual(['', '', '192.168.1.1', '1000']);
  });

  it('Multilink PPP: a fragment that is both first and last carries a PPP packet', () => {
    const mp = (flags: number, ppp: Bytes) => decode(9, [0xff, 0x03, ...u16(0x003d), flags, 0, 0, 1, ...ppp]);
    expectIpUdp(mp(0xc0, [...u16(0x0021), ...ipUdp]));
    expectIpUdp(mp(0xc0, [0x21, ...ipUdp]));
    expect(mp(0x80, [...u16(0x0021), ...ipUdp]).ipSrc).toBe('');
  });

  it('unknown link type 281 and netlink (253): every protocol field empty, as tshark shows them', () => {
    for (const lt of [281, 253]) {
      const t = decode(lt, eth(0x0800, ipUdp));
      expect(t.frameLen).toBe(14 + ipUdp.length);
      expect(t.timeEpoch).toBe(1600000000.5);
      const empty = new TsharkFields();
      empty.frameLen = t.frameLen;
      empty.timeEpoch = t.timeEpoch;
      expect(t).toEqual(empty);
      // Kitsune-py: no IP, no port, no ARP/ICMP -> IPs = MACs = '' (one stream keyed '').
      expect(formatDecodeRow(row(t))).toBe(`nan\t\t\t\t\t\t\t${14 + ipUdp.length}\t1600000000.5`);
    }
  });
});

describe('IPv6', () => {
  it('walks hop-by-hop, routing, destination options and AH headers to the transport', () => {
    const tail = tcp(22, 60000);
    const ah = [TCP, 1, 0, 0, ...u32(0x100), ...u32(1)]; // (1 + 2) * 4 = 12 bytes
    const dest = [51, 0, 1, 4, 0, 0, 0, 0]; // 8 bytes
    const routing = [60, 0, 0, 0, 0, 0, 0, 0]; // 8 bytes
    const hbh = [43, 0, 1, 4, 0, 0, 0, 0];
    const t = decode(ETH, eth(0x86dd, ipv6(0, [...hbh, ...routing, ...dest, ...ah, ...tail])));
    expect([t.tcpSrcport, t.tcpDstport]).toEqual(['22', '60000']);
  });

  it('an atomic fragment header is walked past, to further extension headers; a malformed option stops', () => {
    const port = (next: number, payload: Bytes) => decode(ETH, eth(0x86dd, ipv6(next, payload))).tcpSrcport;
    const atomic = (nextHeader: number): Bytes => [nextHeader, 0, 0, 0, 0, 0, 0, 1];
    const padN = (nextHeader: number): Bytes => [nextHeader, 0, 1, 4, 0, 0, 0, 0];
    expect(port(44, [...atomic(60), ...padN(TCP), ...tcp(40000, 80)])).toBe('40000');
    expect(port(44, [...atomic(44), ...atomic(TCP), ...tcp(40000, 80)])).toBe('40000');
    // Five Pad1 bytes, then an option type (5) in the header's last byte: its length is the next
    // header's first byte (0x9c), which runs past the payload.
    expect(port(0, [TCP, 0, 0, 0, 0, 0, 0, 5, ...tcp(40000, 80)])).toBe('');
    expect(port(60, [TCP, 0, 0, 0, 0, 0, 0, 5, ...tcp(40000, 80)])).toBe('');
    // A length running past the header only ends the walk; past the IPv6 payload (28 bytes here) it stops.
    expect(port(0, [TCP, 0, 1, 9, 0, 0, 0, 0, ...tcp(40000, 80)])).toBe('40000');
    expect(port(0, [TCP, 0, 1, 24, 0, 0, 0, 0, ...tcp(40000, 80)])).toBe('40000');
    expect(port(0, [TCP, 0, 1, 25, 0, 0, 0, 0, ...tcp(40000, 80)])).toBe('');
  });

  it('formats addresses as tshark (glibc inet_ntop, RFC 5952)', () => {
    const cases: [string, string][] = [
      ['2001:0db8:0:0:0:0:0:1', '2001:db8::1'],
      ['0:0:0:0:0:0:0:1', '::1'],
      ['0:0:0:0:0:0:0:0', '::'],
      ['0:0:0:0:0:ffff:102:304', '::ffff:1.2.3.4'],
      ['0:0:0:0:0:0:102:304', '::1.2.3.4'],
      ['1:0:2:3:4:5:6:7', '1:0:2:3:4:5:6:7'],
      ['1:0:0:1:0:0:0:1', '1:0:0:1::1'],
      ['1:0:0:2:0:0:3:4', '1::2:0:0:3:4'],
      ['fe80:0:0:0:0:0:0:0', 'fe80::'],
    ];
    for (const [full, text] of cases) expect(ipv6String(Uint8Array.from(ip6(full)), 0)).toBe(text);
  });

  it('ipv6.src needs 24 captured bytes, ipv6.dst and the rest the whole 40-byte header', () => {
    const frame = eth(0x86dd, ipv6(UDP, udp(1, 2)));
    const fields = (caplen: number) => {
      const t = decode(ETH, frame, 14 + caplen);
      return [t.ipv6Src, t.ipv6Dst, t.udpSrcport];
    };
    expect(fields(23)).toEqual(['', '', '']);
    expect(fields(24)).toEqual(['2001:db8::1', '', '']);
    expect(fields(39)).toEqual(['2001:db8::1', '', '']);
    expect(fields(44)).toEqual(['2001:db8::1', '2001:db8::2', '1']);
  });

  it('a version nibble other than 6 shows nothing', () => {
    const frame = ipv6(UDP, udp(1, 2));
    for (const version of [0, 4, 7]) {
      const t = decode(ETH, eth(0x86dd, [(version << 4) | (frame[0] & 0x0f), ...frame.slice(1)]));
      expect([t.ipv6Src, t.udpSrcport]).toEqual(['', '']);
    }
  });

  it('payload length 0: no upper layer, unless a hop-by-hop jumbo option above 65535 gives the length', () => {
    const zeroLength = (payload: Bytes): Bytes => {
      const h = ipv6(0, payload);
      h[4] = 0;
      h[5] = 0;
      return eth(0x86dd, h);
    };
    const jumbo = (len: number): Bytes => [TCP, 0, 0xc2, 4, ...u32(len)];
    const tcpPort = (frame: Bytes) => decode(ETH, frame).tcpSrcport;
    expect(tcpPort(zeroLength([...jumbo(65536), ...tcp(40000, 80)]))).toBe('40000');
    expect(tcpPort(zeroLength([...jumbo(28), ...tcp(40000, 80)]))).toBe('');
    const plain = ipv6(TCP, tcp(40000, 80));
    plain[4] = 0;
    plain[5] = 0;
    expect(tcpPort(eth(0x86dd, plain))).toBe('');
  });
});

describe('IPv4 options and source routes', () => {
  /** IPv4 + TCP with these option bytes (padded with end-of-options to a multiple of 4). */
  const withOptions = (options: Bytes): Bytes => {
    const opts = [...options, ...Array<number>((4 - (options.length % 4)) % 4).fill(0)];
    const header = ipv4({ proto: TCP }, []).slice(0, 20);
    header[0] = 0x45 + opts.length / 4;
    const total = 20 + opts.length + 20;
    header[2] = total >> 8;
    header[3] = total & 0xff;
    return eth(0x0800, [...header, ...opts, ...tcp(5, 6)]);
  };
  const dstAndPort = (frame: Bytes, caplen?: number) => {
    const t = decode(ETH, frame, caplen);
    return [t.ipDst, t.tcpSrcport];
  };

  it('an option shorter than its dissector reads stops after ip.dst; unknown or sub-2 lengths do not', () => {
    expect(dstAndPort(withOptions([0x94, 2]))).toEqual(['10.0.0.2', '']); // router alert needs 4
    expect(dstAndPort(withOptions([0x94, 4, 0, 0]))).toEqual(['10.0.0.2', '5']);
    expect(dstAndPort(withOptions([0x44, 3, 5]))).toEqual(['10.0.0.2', '']); // timestamp needs 4
    expect(dstAndPort(withOptions([0x07, 1]))).toEqual(['10.0.0.2', '5']); // a length below 2 ends the walk
    expect(dstAndPort(withOptions([0x99, 2]))).toEqual(['10.0.0.2', '5']); // unknown type
  });

  it('the walk goes on after a route option: a capture cut in the padding after it hides ip.dst', () => {
    const route = withOptions([0x83, 7, 4, ...ip4('2.2.2.2')]); // 7 bytes, then one end-of-options byte
    expect(dstAndPort(route)).toEqual(['2.2.2.2', '5']);
    expect(dstAndPort(route, 14 + 27)).toEqual(['', '']);
  });

  it('a capture cut where the options walk reads shows no ip.dst', () => {
    const nops = withOptions([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(dstAndPort(nops, 14 + 20)).toEqual(['', '']);
    expect(dstAndPort(nops, 14 + 22)).toEqual(['', '']);
    // A timestamp option is skipped by its length: nothing past it is read.
    expect(dstAndPort(withOptions([0x44, 12, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 14 + 22)).toEqual(['10.0.0.2', '']);
  });

  // Loose source route option (0x83), length 11 = 3 + two addresses.
  const withRoute = (ptr: number): Bytes => withOptions([0x83, 11, ptr, ...ip4('10.1.1.1'), ...ip4('10.9.9.9')]);

  it('a route in progress: ip.dst is its final address, not the next hop in the header', () => {
    const t = decode(ETH, withRoute(4));
    expect([t.ipSrc, t.ipDst, t.tcpSrcport]).toEqual(['10.0.0.1', '10.9.9.9', '5']);
  });

  it('an exhausted route (pointer past the option): ip.dst is the header one', () => {
    expect(decode(ETH, withRoute(12)).ipDst).toBe('10.0.0.2');
  });
});

describe('ICMP', () => {
  it('sets icmp.type/code; Kitsune-py keys the row as icmp', () => {
    const t = decode(ETH, eth(0x0800, ipv4({ proto: ICMP }, icmp(8, 0, [0, 1, 0, 1]))));
    expect([t.icmpType, t.icmpCode]).toEqual(['8', '0']);
    const p = row(t);
    expect([p.srcProtocol, p.dstProtocol, p.srcIP, p.ipType]).toEqual(['icmp', 'icmp', '10.0.0.1', 0]);
  });

  it('an error quoting IP+UDP: outer ip.src, the QUOTED ports, so the row is keyed by ports', () => {
    const quoted = ipv4({ proto: UDP, src: '10.0.0.2', dst: '10.0.0.9', totalLen: 100 }, udp(40000, 161));
    const t = decode(ETH, eth(0x0800, ipv4({ proto: ICMP, src: '10.0.0.9', dst: '10.0.0.2' }, icmp(3, 3, [0, 0, 0, 0], quoted))));
    expect([t.ipSrc, t.ipDst, t.icmpType, t.icmpCode, t.udpSrcport, t.udpDstport]).toEqual([
      '10.0.0.9', '10.0.0.2', '3', '3', '40000', '161',
    ]);
    const p = row(t);
    expect([p.srcIP, p.srcProtocol, p.dstIP, p.dstProtocol]).toEqual(['10.0.0.9', '40000', '10.0.0.2', '161']);
  });

  it('ICMPv6 is not icmp (protocol stays empty) but its error quotes give ports', () => {
    const echo = decode(ETH, eth(0x86dd, ipv6(58, [128, 0, 0, 0, 0, 1, 0, 1])));
    expect(echo.icmpType).toBe('');
    const p = row(echo);
    expect([p.srcIP, p.srcProtocol, p.ipType]).toEqual(['2001:db8::1', '', 1]);
    const quoted = ipv6(UDP, udp(5000, 53), '2001:db8::2', '2001:db8::9');
    const err = decode(ETH, eth(0x86dd, ipv6(58, [1, 4, 0, 0, 0, 0, 0, 0, ...quoted])));
    expect([err.ipv6Src, err.udpSrcport, err.udpDstport]).toEqual(['2001:db8::1', '5000', '53']);
  });

  it("a redirect's redirected-header option quotes a packet too (after other options; a zero length stops)", () => {
    const quoted = ipv6(UDP, udp(33000, 33434), '2001:db8::2', '2001:db8::9');
    const redirectedHeader = (q: Bytes): Bytes => {
      const body = [4, 0, 0, 0, 0, 0, 0, 0, ...q];
      const padded = [...body, ...Array<number>((8 - (body.length % 8)) % 8).fill(0)];
      padded[1] = padded.length / 8;
      return padded;
    };
    const redirect = (options: Bytes) => decode(ETH, eth(0x86dd, ipv6(58, [137, 0, 0, 0, 0, 0, 0, 0, ...Array<number>(32).fill(0), ...options])));
    const linkLayer = [2, 1, ...mac(MAC_A)];
    expect(redirect([...linkLayer, ...redirectedHeader(quoted)]).udpSrcport).toBe('33000');
    expect(redirect([2, 0, 0, 0, 0, 0, 0, 0, ...redirectedHeader(quoted)]).udpSrcport).toBe('');
  });
});

describe('IP fragments (tshark reassembles: ports only on the completing fragment)', () => {
  const payload = udp(5353, 53, Array.from({ length: 40 }, (_, i) => i)); // 48 bytes: fragments of 16
  const frag = (off: number, more: boolean, id = 7): Bytes =>
    eth(0x0800, ipv4({ proto: UDP, id, fragOffset: off, more }, payload.slice(off, off + 16)));

  it('in order: only the last fragment has the ports', () => {
    const d = new PacketDecoder();
    const ports = [frag(0, true), frag(16, true), frag(32, false)].map((f) => decodeWith(d, ETH, f).udpSrcport);
    expect(ports).toEqual(['', '', '5353']);
    expect(d.ctx.ipv4Fragments.size).toBe(0);
  });

  it('the first last fragment fixes the end: a second one with another end does not complete it', () => {
    const d = new PacketDecoder();
    const last = (off: number, len: number): Bytes =>
      eth(0x0800, ipv4({ proto: UDP, id: 9, fragOffset: off }, payload.slice(off, off + len)));
    // Ends at 48, then a "last" fragment ending at 32: with [0, 16) the range 0..32 is covered, not 32..40.
    const ports = [last(40, 8), last(16, 16), frag(0, true, 9)].map((f) => decodeWith(d, ETH, f).udpSrcport);
    expect(ports).toEqual(['', '', '']);
  });

  it('IPv4 key: protocol ^ identification ^ innermost VLAN id, so such XOR collisions share a datagram', () => {
    const tagged = (vlans: number[], f: Bytes): Bytes => {
      const ip = f.slice(14);
      let inner: Bytes = [...u16(0x0800), ...ip];
      for (const v of [...vlans].reverse()) inner = [...u16(0x8100), ...u16(v), ...inner];
      return [...f.slice(0, 12), ...inner];
    };
    const ports = (frames: Bytes[]) => {
      const d = new PacketDecoder();
      return frames.map((f) => decodeWith(d, ETH, f).udpSrcport);
    };
    // id 0x55 on VLAN 3 and id 0x56 untagged: 0x55 ^ 3 = 0x56 ^ 0.
    expect(ports([tagged([3], frag(0, true, 0x55)), frag(16, true, 0x56), frag(32, false, 0x56)])).toEqual(['', '', '5353']);
    // QinQ 5/7: the inner tag (7) counts.
    expect(ports([tagged([5, 7], frag(0, true)), tagged([7], frag(16, true)), tagged([7], frag(32, false))])).toEqual(['', '', '5353']);
    expect(ports([tagged([5, 7], frag(0, true)), tagged([5], frag(16, true)), tagged([5], frag(32, false))])).toEqual(['', '', '']);
  });

  it('out of order: the fragment filling the last gap completes it, even the first one', () => {
    const d = new PacketDecoder();
    const res = [frag(32, false), frag(0, true), frag(16, true)].map((f) => decodeWith(d, ETH, f));
    expect(res.map((t) => t.udpDstport)).toEqual(['', '', '53']);
    const d2 = new PacketDecoder();
    expect([frag(16, true), frag(32, false), frag(0, true)].map((f) => decodeWith(d2, ETH, f).udpSrcport)).toEqual(['', '', '5353']);
  });

  it('a datagram never completed shows no ports; different ids do not mix; a completed id starts over', () => {
    const d = new PacketDecoder();
    expect(decodeWith(d, ETH, frag(0, true, 1)).udpSrcport).toBe('');
    expect(decodeWith(d, ETH, frag(32, false, 2)).udpSrcport).toBe('');
    expect(decodeWith(d, ETH, frag(16, true, 1)).udpSrcport).toBe('');
    expect(decodeWith(d, ETH, frag(32, false, 1)).udpSrcport).toBe('5353');
    expect(decodeWith(d, ETH, frag(32, false, 1)).udpSrcport).toBe('');
  });

  it('a first fragment not captured whole is decoded as it is (tshark cannot reassemble it)', () => {
    const f = frag(0, true);
    expect(decode(ETH, f, f.length - 1).udpSrcport).toBe('5353');
    expect(decode(ETH, frag(16, true), frag(16, true).length - 1).udpSrcport).toBe('');
  });

  it('a fragmented ICMP message shows icmp.type only when complete', () => {
    const body = icmp(8, 0, [0, 1, 0, 1], Array.from({ length: 8 }, () => 0)); // 16 bytes
    const d = new PacketDecoder();
    const a = decodeWith(d, ETH, eth(0x0800, ipv4({ proto: ICMP, id: 9, more: true }, body.slice(0, 8))));
    const b = decodeWith(d, ETH, eth(0x0800, ipv4({ proto: ICMP, id: 9, fragOffset: 8 }, body.slice(8))));
    expect([a.icmpType, b.icmpType]).toEqual(['', '8']);
  });

  it('IPv6 fragment headers reassemble the same way', () => {
    const d = new PacketDecoder();
    const fragHdr = (off: number, more: boolean): Bytes => [UDP, 0, ...u16(off | (more ? 1 : 0)), ...u32(0xabcd)];
    const f1 = eth(0x86dd, ipv6(44, [...fragHdr(0, true), ...payload.slice(0, 24)]));
    const f2 = eth(0x86dd, ipv6(44, [...fragHdr(24, false), ...payload.slice(24)]));
    expect([decodeWith(d, ETH, f1).udpSrcport, decodeWith(d, ETH, f2).udpSrcport]).toEqual(['', '5353']);
    // Unlike IPv4, a first fragment not captured whole shows no ports.
    expect(decode(ETH, f1, f1.length - 1).udpSrcport).toBe('');
  });
});

describe('fragment tracker bounds', () => {
  const bytes = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);

  it('keeps at most MAX_DATAGRAMS pending: the oldest is dropped when a newer one needs its slot', () => {
    const f = new FragmentTracker();
    for (let i = 0; i <= MAX_DATAGRAMS; i++) f.add(`d${i}`, 0, 16, true, bytes, 0);
    expect(f.size).toBe(MAX_DATAGRAMS);
    // d0 was dropped: its last fragment now starts a new datagram that lacks offset 0.
    expect(f.add('d0', 16, 16, false, bytes, 16)).toBe(false);
    // d2 is still there and completes.
    expect(f.add('d2', 16, 16, false, bytes, 16)).toBe(true);
  });

  it('keeps the first PREFIX_BYTES of the offset-0 fragment for the completing one', () => {
    const f = new FragmentTracker();
    expect(f.add('x', 200, 50, false, bytes, 200)).toBe(false);
    expect(f.add('x', 0, 200, true, bytes, 0)).toBe(true);
    expect(f.totalLen).toBe(250);
    expect(f.prefixEnd - f.prefixStart).toBe(PREFIX_BYTES);
    expect(Array.from(f.prefix.subarray(f.prefixStart, f.prefixStart + 3))).toEqual([0, 1, 2]);
  });
});

describe('ARP', () => {
  it('fills the ARP fields; Kitsune-py keys it as arp with the protocol addresses', () => {
    const t = decode(ETH, eth(0x0806, arp(1, MAC_A, '192.168.0.1', '00:00:00:00:00:00', '192.168.0.7'), 'ff:ff:ff:ff:ff:ff'));
    expect([t.arpOpcode, t.arpSrcHwMac, t.arpSrcProtoIpv4, t.arpDstHwMac, t.arpDstProtoIpv4]).toEqual([
      '1', MAC_A, '192.168.0.1', '00:00:00:00:00:00', '192.168.0.7',
    ]);
    const p = row(t);
    expect([p.srcIP, p.srcProtocol, p.dstIP, p.dstProtocol, p.ipType, p.proto]).toEqual([
      '192.168.0.1', 'arp', '192.168.0.7', 'arp', 0, 'arp',
    ]);
  });

  it('an ARP packet cut short: arp.opcode from 8 bytes, the addresses only with the target address', () => {
    const frame = eth(0x0806, arp(2, MAC_A, '192.168.0.1', MAC_B, '192.168.0.7'));
    const fields = (caplen: number) => {
      const t = decode(ETH, frame, caplen);
      return [t.arpOpcode, t.arpSrcHwMac, t.arpDstProtoIpv4];
    };
    expect(fields(14 + 7)).toEqual(['', '', '']);
    expect(fields(14 + 8)).toEqual(['2', '', '']);
    expect(fields(frame.length - 1)).toEqual(['2', '', '']);
    expect(fields(frame.length)).toEqual(['2', MAC_A, '192.168.0.7']);
    // Kitsune-py then keys the row as ARP with empty addresses.
    expect(formatDecodeRow(row(decode(ETH, frame, 14 + 8)))).toBe(`0\t${MAC_A}\t${MAC_B}\t\tarp\t\tarp\t42\t1600000000.5`);
  });
});

describe('tunnels', () => {
  it('IP-in-IP: ip.src outer, ports inner', () => {
    const t = decode(ETH, eth(0x0800, ipv4({ proto: 4, src: '1.1.1.1' }, ipv4({ proto: TCP, src: '10.9.9.9' }, tcp(7, 8)))));
    expect([t.ipSrc, t.tcpSrcport]).toEqual(['1.1.1.1', '7']);
  });

  it('GRE carrying IPv4 + TCP', () => {
    const gre = [0x20, 0, ...u16(0x0800), ...u32(42), ...ipv4({ proto: TCP }, tcp(9, 10))]; // K flag: key word
    expect(decode(ETH, eth(0x0800, ipv4({ proto: 47, src: '2.2.2.2' }, gre))).tcpDstport).toBe('10');
    // 0x8100, 0x88a8 and 0x9100 are not in tshark's gre.proto table.
    for (const tag of [0x8100, 0x88a8, 0x9100]) {
      const vlanGre = [0, 0, ...u16(tag), ...vlan(5, 0x0800, ipv4({ proto: TCP }, tcp(9, 10)))];
      expect(decode(ETH, eth(0x0800, ipv4({ proto: 47 }, vlanGre))).tcpDstport).toBe('');
    }
  });

  it('Ethernet over IPv6 (next header 143, SRv6)', () => {
    const t = decode(ETH, eth(0x86dd, ipv6(143, eth(0x0800, ipv4({ proto: TCP }, tcp(40000, 80)), 'aa:00:00:00:00:02', 'aa:00:00:00:00:01'))));
    expect([t.ethSrc, t.ipv6Src, t.ipSrc, t.tcpSrcport]).toEqual([MAC_A, '2001:db8::1', '10.0.0.1', '40000']);
  });

  it('UDP length 0 over IPv6 (jumbogram): the payload runs to the IPv6 payload end; over IPv4 nothing follows', () => {
    const inner = eth(0x0800, ipv4({ proto: TCP }, tcp(80, 443)));
    const zeroLength = [...u16(40000), ...u16(4789), 0, 0, 0, 0, 0x08, 0, 0, 0, 0, 0, 1, 0, ...inner];
    expect(decode(ETH, eth(0x86dd, ipv6(UDP, zeroLength))).tcpSrcport).toBe('80');
    expect(decode(ETH, eth(0x0800, ipv4({ proto: UDP }, zeroLength))).tcpSrcport).toBe('');
  });

  it('GRE with source routing (RFC 1701: checksum word, then route entries to a NULL one) and WCCP redirects', () => {
    const inner = ipv4({ proto: TCP }, tcp(9, 10));
    const gre = (payload: Bytes) => decode(ETH, eth(0x0800, ipv4({ proto: 47 }, payload))).tcpDstport;
    const sre = [...u16(0x0800), 0, 8, ...ip4('10.0.0.1'), ...ip4('10.0.0.2')];
    const nullSre = [0, 0, 0, 0];
    expect(gre([0x40, 0, ...u16(0x0800), 0, 0, 0, 0, ...sre, ...nullSre, ...inner])).toBe('10');
    expect(gre([0, 0, ...u16(0x883e), 0, 0, 0, 0, ...inner])).toBe('10'); // WCCP v2: 4-byte redirect header
    expect(gre([0, 0, ...u16(0x883e), ...inner])).toBe('10'); // WCCP v1: the IP packet straight away
  });

  it('an IPv4 authentication header is skipped to the transport', () => {
    const ah = [TCP, 4, 0, 0, ...u32(0x100), ...u32(1), ...u32(0), ...u32(0), ...u32(0)]; // (4 + 2) * 4 = 24 bytes
    expect(decode(ETH, eth(0x0800, ipv4({ proto: 51 }, [...ah, ...tcp(40000, 80)]))).tcpSrcport).toBe('40000');
  });

  it('UDP-Lite: the length field is the checksum coverage (0 = all); the payload runs to the IP payload end', () => {
    const inner = eth(0x0800, ipv4({ proto: TCP }, tcp(80, 443)));
    for (const coverage of [0, 4, 200]) {
      const lite = [...u16(40000), ...u16(4789), ...u16(coverage), 0, 0, 0x08, 0, 0, 0, 0, 0, 1, 0, ...inner];
      expect(decode(ETH, eth(0x0800, ipv4({ proto: 136 }, lite))).tcpSrcport).toBe('80');
    }
  });

  it('L2TPv2 data messages (UDP 1701) carry PPP after their optional fields; control messages nothing', () => {
    const ppp = [0xff, 0x03, ...u16(0x0021), ...ipv4({ proto: TCP }, tcp(80, 443))];
    const port = (l2tp: Bytes) => decode(ETH, eth(0x0800, ipv4({ proto: UDP }, udp(1701, 1701, l2tp)))).tcpSrcport;
    expect(port([0, 2, 0, 1, 0, 1, ...ppp])).toBe('80');
    expect(port([0x4a, 2, ...u16(100), 0, 1, 0, 1, 0, 1, 0, 2, 0, 2, 0, 0, ...ppp])).toBe('80'); // L, S, O bits
    expect(port([0xc8, 2, ...u16(12), 0, 1, 0, 0, 0, 0, 0, 0])).toBe('');
    expect(port([0, 3, 0, 0, 0, 0, 0, 5, ...ppp])).toBe(''); // version 3
  });

  it('VXLAN: outer UDP and inner TCP ports are both set and Kitsune-py concatenates them', () => {
    const inner = eth(0x0800, ipv4({ proto: TCP }, tcp(80, 443)), '02:00:00:00:00:02', '02:00:00:00:00:01');
    const vx = [0x08, 0, 0, 0, 0, 0, 1, 0, ...inner];
    const t = decode(ETH, eth(0x0800, ipv4({ proto: UDP, src: '3.3.3.3' }, udp(55555, 4789, vx))));
    expect([t.ethSrc, t.ipSrc, t.udpSrcport, t.tcpSrcport]).toEqual([MAC_A, '3.3.3.3', '55555', '80']);
    expect(row(t).srcProtocol).toBe('8055555');
  });

  describe('which port tshark follows: the lower one first, if a dissector is registered on it and takes the payload', () => {
    const inner = eth(0x0800, ipv4({ proto: TCP }, tcp(80, 443)));
    const vxlanPayload = [0x08, 0, 0, 0, 0, 0, 1, 0, ...inner];
    const ports = (sport: number, dport: number, payload: Bytes): string[] => {
      const t = decode(ETH, eth(0x0800, ipv4({ proto: UDP }, udp(sport, dport, payload))));
      return [t.udpSrcport, t.udpDstport, t.tcpSrcport];
    };
    const gtp = (flags: number, type: number, payload: Bytes): Bytes => [flags, type, ...u16(payload.length), 0, 0, 0, 1, ...payload];

    it('a registered lower port takes the payload (DNS 53, SSDP 1900, OpenVPN 1194): no tunnel', () => {
      for (const low of [53, 1194, 1900]) expect(ports(low, 4789, vxlanPayload)).toEqual([`${low}`, '4789', '']);
    });

    it('unless its dissector was measured to refuse that tunnel payload (RADIUS 1812, STUN 3478, L2TP 1701)', () => {
      for (const low of [1701, 1812, 3478]) expect(ports(low, 4789, vxlanPayload)).toEqual([`${low}`, '4789', '80']);
      // SNMP (161) lets VXLAN through but takes GTP-U.
      expect(ports(161, 4789, vxlanPayload)).toEqual(['161', '4789', '80']);
      expect(ports(161, 2152, gtp(0x30, 0xff, ipv4({ proto: TCP }, tcp(80, 443))))).toEqual(['161', '2152', '']);
    });

    it('an unregistered lower port (9, 1000, 1023) or port 0 is skipped: the tunnel on the higher one is followed', () => {
      for (const low of [0, 9, 1000, 1023]) expect(ports(low, 4789, vxlanPayload)).toEqual([`${low}`, '4789', '80']);
      expect(ports(1023, 2152, gtp(0x30, 0xff, ipv4({ proto: TCP }, tcp(80, 443))))).toEqual(['1023', '2152', '80']);
    });

    it("GTP-U: the message length bounds the T-PDU (the inner ports need it to cover the TCP header's first 4 bytes)", () => {
      const inner = ipv4({ proto: TCP, src: '172.16.0.1' }, tcp(7, 8));
      const withLength = (len: number): Bytes => [0x30, 0xff, ...u16(len), 0, 0, 0, 1, ...inner];
      const t = (len: number) => decode(ETH, eth(0x0800, ipv4({ proto: UDP }, udp(2152, 2152, withLength(len)))));
      expect([t(24).tcpSrcport, t(20).tcpSrcport, t(200).tcpSrcport]).toEqual(['7', '', '7']);
    });

    it('GTP-U T-PDU heuristics: IPv4 (header length >= 20 bytes), IPv6, else Ethernet with a followed EtherType', () => {
      const ip = ipv4({ proto: TCP, src: '172.16.0.1' }, tcp(7, 8));
      const tpdu = (payload: Bytes) => ports(2152, 40000, gtp(0x30, 0xff, payload));
      expect(tpdu(ip)).toEqual(['2152', '40000', '7']);
      expect(tpdu(eth(0x0800, ip))).toEqual(['2152', '40000', '7']);
      expect(tpdu(eth(0x0800, ip, '40:00:00:00:00:01'))).toEqual(['2152', '40000', '7']); // 0x40: IHL 0, not IPv4
      expect(tpdu(eth(0x1111, ip))).toEqual(['2152', '40000', '']);
    });

    it('GTP refuses message type 0 (v0, v1) and versions above 2: tshark then tries the higher port', () => {
      expect(ports(2152, 4789, vxlanPayload)).toEqual(['2152', '4789', '80']); // flags 0x08: v0, type 0
      expect(ports(2152, 4789, gtp(0x30, 0, inner))).toEqual(['2152', '4789', '80']);
      expect(ports(2152, 4789, gtp(0x60, 0xff, inner))).toEqual(['2152', '4789', '80']); // version 3
      expect(ports(2152, 4789, gtp(0x30, 1, []))).toEqual(['2152', '4789', '']); // v1 echo request: GTP's
      expect(ports(2152, 4789, gtp(0x48, 0, inner))).toEqual(['2152', '4789', '']); // GTPv2 accepts type 0
    });
  });

  it('VXLAN-GPE (4790), MPLS (6635), GRE (4754), LISP (4341) and TZSP (37008) over UDP: outer and inner ports', () => {
    const inner = ipv4({ proto: TCP, src: '10.9.9.1' }, tcp(80, 443));
    const mplsLabel = [0, 0x10, 0x01, 64]; // label 1, bottom of stack
    const innerEth = eth(0x0800, inner, 'aa:00:00:00:00:02', 'aa:00:00:00:00:01');
    for (const [port, payload] of [
      [4790, [0x0c, 0, 0, 1, 0, 0, 1, 0, ...inner]], // next protocol 1: IPv4
      [4790, [0x0c, 0, 0, 3, 0, 0, 1, 0, ...innerEth]], // 3: Ethernet
      [4790, [0x0c, 0, 0, 5, 0, 0, 1, 0, ...mplsLabel, ...inner]], // 5: MPLS
      [6635, [...mplsLabel, ...inner]],
      [4754, [0, 0, ...u16(0x0800), ...inner]],
      [4341, [0, 0, 0, 0, 0, 0, 0, 0, ...inner]],
      [37008, [1, 0, ...u16(1), 0, 10, 1, 5, 1, ...innerEth]], // padding, tag 10 (1 byte), END, then Ethernet
    ] as [number, Bytes][]) {
      const t = decode(ETH, eth(0x0800, ipv4({ proto: UDP }, udp(50000, port, payload))));
      expect([t.ethSrc, t.ipSrc, t.udpDstport, t.tcpSrcport, t.tcpDstport]).toEqual([MAC_A, '10.0.0.1', `${port}`, '80', '443']);
    }
    // TZSP keep-alives (type 4) carry no frame.
    const keepAlive = decode(ETH, eth(0x0800, ipv4({ proto: UDP }, udp(50000, 37008, [1, 4, ...u16(1), 1, ...innerEth]))));
    expect(keepAlive.tcpSrcport).toBe('');
  });

  it('EtherIP (IP protocol 97) and MPLS-in-IP (137); over raw IP, eth.src is the EtherIP frame\'s', () => {
    const inner = ipv4({ proto: TCP, src: '10.9.9.1' }, tcp(80, 443));
    const innerEth = eth(0x0800, inner, 'aa:00:00:00:00:02', 'aa:00:00:00:00:01');
    const etherIp = ipv4({ proto: 97 }, [0x30, 0, ...innerEth]);
    const viaEth = decode(ETH, eth(0x0800, etherIp));
    expect([viaEth.ethSrc, viaEth.ipSrc, viaEth.tcpSrcport]).toEqual([MAC_A, '10.0.0.1', '80']);
    const viaRaw = decode(101, etherIp);
    expect([viaRaw.ethSrc, viaRaw.ipSrc, viaRaw.tcpSrcport]).toEqual(['aa:00:00:00:00:01', '10.0.0.1', '80']);
    const mpls = decode(ETH, eth(0x0800, ipv4({ proto: 137 }, [0, 0x10, 0x01, 64, ...inner])));
    expect([mpls.ipSrc, mpls.tcpSrcport]).toEqual(['10.0.0.1', '80']);
  });

  it('Teredo (UDP 3544) carries IPv6', () => {
    const t = decode(ETH, eth(0x0800, ipv4({ proto: UDP }, udp(3544, 40000, ipv6(TCP, tcp(1, 2))))));
    expect([t.ipSrc, t.ipv6Src, t.tcpSrcport, t.udpSrcport]).toEqual(['10.0.0.1', '2001:db8::1', '1', '3544']);
  });
});

describe('truncated and malformed headers degrade as tshark does', () => {
  const frame = eth(0x0800, ipv4({ proto: TCP }, tcp(1234, 80)));

  it('IPv4: ip.src needs 16 header bytes, ip.dst 20, ports the whole header', () => {
    const cut = (n: number): TsharkFields => decode(ETH, frame, 14 + n);
    expect([cut(15).ipSrc, cut(16).ipSrc, cut(16).ipDst, cut(20).ipDst, cut(23).tcpSrcport, cut(24).tcpSrcport]).toEqual([
      '', '10.0.0.1', '', '10.0.0.2', '', '1234',
    ]);
  });

  it('IPv4: a header length below 20 or a total length below it stops before the addresses', () => {
    const badHlen = [...frame];
    badHlen[14] = 0x44;
    expect(decode(ETH, badHlen).ipSrc).toBe('');
    const badLen = [...frame];
    badLen[16] = 0;
    badLen[17] = 19;
    expect(decode(ETH, badLen).ipSrc).toBe('');
  });

  it('UDP shows its ports from 4 bytes on; ICMP its type from 6', () => {
    const u = eth(0x0800, ipv4({ proto: UDP }, udp(1, 2)));
    expect([decode(ETH, u, 14 + 23).udpSrcport, decode(ETH, u, 14 + 24).udpSrcport]).toEqual(['', '1']);
    const i = eth(0x0800, ipv4({ proto: ICMP }, icmp(0, 0)));
    expect([decode(ETH, i, 14 + 25).icmpType, decode(ETH, i, 14 + 26).icmpType]).toEqual(['', '0']);
  });

  it('deeply nested tags stop at the layer limit instead of overflowing the stack', () => {
    const nested: Bytes = [];
    for (let i = 0; i < 60000; i++) nested.push(0, 1, 0x81, 0x00);
    const t = decode(ETH, eth(0x8100, nested));
    expect(t.ethSrc).toBe(MAC_A);
    // NSH whose next protocol is NSH again, 8 bytes a layer.
    const nsh: Bytes = [];
    for (let i = 0; i < 30000; i++) nsh.push(0, 2, 1, 4, 0, 0, 1, 0xff);
    expect(decode(ETH, eth(0x894f, nsh)).ethSrc).toBe(MAC_A);
    // Multilink PPP fragments inside one another, 5 bytes a layer.
    const multilink: Bytes = [0xff, 0x03];
    for (let i = 0; i < 50000; i++) multilink.push(0x3d, 0xc0, 0, 0, 0);
    expect(decode(9, multilink).ipSrc).toBe('');
  });
});
