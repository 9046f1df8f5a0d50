import type { DecodeContext } from './context.js';
import { decodeEtherType, IEEE_802_3_MAX_LEN } from './ethertype.js';
import type { TsharkFields } from './fields.js';
import { decodeIpv4 } from './ipv4.js';
import { macString } from './strings.js';

/** Ethernet II header: destination MAC (6), source MAC (6), EtherType or 802.3 length (2). */
export const ETHERNET_HEADER_LEN = 14;
const MAC_LEN = 6;
const TYPE_OFFSET = 12;
/** Tag bytes before the encapsulated EtherType: 802.1Q / 802.1ad TCI, VN-Tag, 802.1BR E-Tag, PBB I-Tag. */
const VLAN_TCI_LEN = 2;
const VLAN_ID_MASK = 0x0fff;
const VN_TAG_LEN = 4;
const E_TAG_LEN = 6;
const PBB_I_TAG_LEN = 4;
/** Cisco MetaData (SGT): version, length, option type (2), SGT (2), then the EtherType. */
const CISCO_METADATA_LEN = 6;
/** 802.2 LLC: DSAP, SSAP, control (0x03 = UI); with SNAP (SAPs 0xAA) then OUI (3) and protocol id (2). */
const LLC_SNAP_SAP = 0xaa;
const LLC_UI = 0x03;
const LLC_HEADER_LEN = 3;
/** Low bit of an I-frame's (two-byte) control field. */
const LLC_NOT_I_FRAME = 0x01;
/** SNAP after the LLC header: OUI (3), protocol id (2). */
const SNAP_LEN = 5;
/** The IP SAP: IPv4 straight after the LLC header. */
const LLC_IP_SAP = 0x06;
/** SNAP OUIs whose protocol id is an EtherType in tshark's llc dissector: encapsulated Ethernet, Cisco "90-compatible". */
const OUI_ENCAP_ETHER = 0x000000;
const OUI_CISCO_90 = 0x0000f8;

/**
 * Ethernet II / 802.3 (tshark packet-eth.c). eth.dst and eth.src need the whole 14-byte header: tshark
 * reads the type before adding the addresses, so a shorter frame shows no Ethernet field at all.
 * VLAN tags (802.1Q, 802.1ad, QinQ) are transparent: eth.src/dst stay the frame's MACs.
 */
export function decodeEthernet(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < ETHERNET_HEADER_LEN) return;
  if (out.ethDst === '') out.ethDst = macString(buf, off);
  if (out.ethSrc === '') out.ethSrc = macString(buf, off + MAC_LEN);
  decodeTypeOrLength(buf, off + TYPE_OFFSET, end, out, ctx);
}

/** An 802.1Q/802.1ad tag: TCI (its low 12 bits the VLAN id, kept for IPv4 reassembly) then the inner EtherType (or 802.3 length). */
export function decodeVlan(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off >= VLAN_TCI_LEN) ctx.vlanId = ((buf[off] << 8) | buf[off + 1]) & VLAN_ID_MASK;
  decodeTag(VLAN_TCI_LEN, buf, off, end, out, ctx);
}

/** A Cisco VN-Tag (EtherType 0x8926): 4 tag bytes, then the inner EtherType. */
export function decodeVnTag(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  decodeTag(VN_TAG_LEN, buf, off, end, out, ctx);
}

/** An 802.1BR E-Tag (EtherType 0x893F): 6 tag bytes, then the inner EtherType. */
export function decodeETag(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  decodeTag(E_TAG_LEN, buf, off, end, out, ctx);
}

/** Cisco MetaData (EtherType 0x8909): 6 bytes carrying the security group tag, then the inner EtherType. */
export function decodeCiscoMetadata(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  decodeTag(CISCO_METADATA_LEN, buf, off, end, out, ctx);
}

/**
 * An 802.1ah (PBB) I-Tag (EtherType 0x88E7): 4 tag bytes, the customer's MACs (the I-Tag's own fields,
 * not eth.*), then the customer frame's EtherType.
 */
export function decodePbb(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  decodeTag(PBB_I_TAG_LEN + 2 * MAC_LEN, buf, off, end, out, ctx);
}

function decodeTag(tagLen: number, buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < tagLen + 2) return;
  decodeTypeOrLength(buf, off + tagLen, end, out, ctx);
}

/** The 2-byte type/length field at `off`, then what follows it. */
function decodeTypeOrLength(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  const type = (buf[off] << 8) | buf[off + 1];
  const payload = off + 2;
  if (type <= IEEE_802_3_MAX_LEN) decodeLlc(buf, payload, Math.min(end, payload + type), out, ctx);
  else decodeEtherType(type, buf, payload, end, out, ctx);
}

/**
 * 802.2 LLC (tshark packet-llc.c): UI frames (control 0x03) and I-frames (control low bit 0, two
 * control bytes) carry a payload: SNAP with an OUI whose protocol id is an EtherType, or the IP SAP
 * (DSAP 0x06). Other frames, SAPs and OUIs carry nothing of ours.
 */
export function decodeLlc(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < LLC_HEADER_LEN) return;
  const control = buf[off + 2];
  if (control !== LLC_UI && (control & LLC_NOT_I_FRAME) !== 0) return;
  const p = off + (control === LLC_UI ? LLC_HEADER_LEN : LLC_HEADER_LEN + 1);
  if (buf[off] === LLC_IP_SAP) {
    decodeIpv4(buf, p, end, out, ctx);
    return;
  }
  if (end - p < SNAP_LEN || buf[off] !== LLC_SNAP_SAP || buf[off + 1] !== LLC_SNAP_SAP) return;
  const oui = (buf[p] << 16) | (buf[p + 1] << 8) | buf[p + 2];
  if (oui !== OUI_ENCAP_ETHER && oui !== OUI_CISCO_90) return;
  decodeEtherType((buf[p + 3] << 8) | buf[p + 4], buf, p + SNAP_LEN, end, out, ctx);
}
