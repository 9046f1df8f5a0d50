/** A UDP port number is 16 bits. */
const PORT_COUNT = 0x10000;

/**
 * The ports (single ports and inclusive [first, last] ranges) of tshark 4.0.17's "udp.port" dissector
 * table with default preferences, as `tshark -G decodes` lists them: the ports for which tshark has a
 * dissector to try before falling back to heuristics. Data, not logic: regenerate it for another tshark.
 */
const REGISTERED: readonly (number | readonly [number, number])[] = [
  0, 7, 13, 19, 37, 49, 53, [67, 69], 88, 111, 123, [137, 138], [161, 162], 173, 177, 213, 269, [319, 320],
  389, 427, 434, 464, 473, 496, 500, 502, [513, 514], [520, 521], [524, 525], 539, [546, 547], 573, 623, 631,
  646, 654, 664, [698, 699], 701, 750, [853, 854], 910, 921, 925, 1001, 1044, 1052, 1069, [1089, 1091], 1101,
  1113, 1153, 1194, 1293, 1547, [1628, 1629], [1645, 1646], [1700, 1701], [1718, 1719], 1745, 1755,
  [1812, 1813], 1900, 1985, 2029, 2048, 2055, 2067, 2099, 2123, 2152, 2157, 2190, [2221, 2222], 2231, 2246,
  [2268, 2269], 2313, 2345, 2424, [2427, 2428], 2727, 2887, [2944, 2945], [2948, 2949], 2960, 3000, 3121,
  3130, 3205, 3222, 3250, 3333, 3343, 3357, 3386, 3389, 3452, 3455, 3478, 3483, 3503, 3540, 3544, 3567, 3622,
  3671, [3784, 3785], 3792, 3799, 3804, 3819, 3863, 3956, 4000, 4011, 4058, [4305, 4307], [4341, 4342], 4500,
  [4533, 4534], 4551, [4555, 4556], 4569, 4665, 4672, 4713, 4729, 4739, 4754, 4784, [4789, 4791], 4991,
  [5000, 5001], 5031, 5050, 5060, 5072, 5094, [5246, 5247], [5264, 5265], [5350, 5351], 5353, 5355,
  [5404, 5405], 5436, 5555, 5567, 5678, [5683, 5684], 5868, 6060, 6073, 6081, 6084, 6087, 6118, 6160, 6343,
  6543, 6635, 6666, 6696, 6784, 6970, [7000, 7010], 7021, [7074, 7075], 7255, 7275, 7784, 8000, 8116, 8161,
  8200, 8211, 8600, [8611, 8614], 8755, 8767, 8805, 8848, 9003, [9200, 9203], 9214, 9600, 9875, 9877, 9899,
  9901, [9955, 9956], 9996, 9999, 10253, 10500, 11211, 11273, 11898, [12000, 12004], 12220, [12222, 12223],
  13400, 13819, 13907, 13910, 17220, 17500, [17754, 17756], 18246, 19132, 19788, 19948, [19999, 20000],
  20561, 22222, 23272, [24576, 24577], 25826, 26000, 27036, 27500, 27910, [27950, 27953], [27960, 27963],
  30030, 32000, 32512, 34962, 34980, 37008, 41170, 44818, 45564, 47000, 47808, 49999, 54328, [56000, 56001],
  [56500, 56501], [57000, 57001], [57032, 57033], [57500, 57501], [57532, 57533], [59000, 59001],
  [59032, 59033], [59500, 59501], [59532, 59533], 60001,
];

const registered = new Uint8Array(PORT_COUNT);
for (const entry of REGISTERED) {
  if (typeof entry === 'number') registered[entry] = 1;
  else registered.fill(1, entry[0], entry[1] + 1);
}

/** Whether tshark has a dissector registered on this UDP port. */
export function hasUdpPortDissector(port: number): boolean {
  return registered[port] === 1;
}

/** Every tunnel payload measured. */
const ALL = 'all';

/**
 * Registered ports whose dissector, in tshark 4.0.17, refuses a tunnel's payload, so that tshark goes on
 * to the tunnel's (higher) port: per port, the tunnel ports measured through, or ALL of those measured
 * (each with one typical payload: a VXLAN, Geneve, GTP-U, Teredo, VXLAN-GPE, MPLS, GRE, LISP, TZSP or
 * L2TP header and an inner TCP packet, from every registered lower port). Tunnel ports themselves are
 * not listed: their decoders say what they refuse.
 */
const REFUSES_TUNNEL: ReadonlyMap<number, readonly number[] | typeof ALL> = new Map<number, readonly number[] | typeof ALL>([
  [88, ALL], [161, [1701, 3544, 4341, 4754, 4789, 4790, 6081, 6635, 37008]], [162, [1701, 3544, 4341, 4754,
  4789, 4790, 6081, 6635, 37008]], [177, [1701, 2152, 3544, 4341, 4754, 4789, 4790, 6081, 37008]], [269,
  [4790]], [473, ALL], [502, [1701, 2152, 4341, 4754, 4789, 4790, 6081, 6635, 37008]], [539, ALL], [573, ALL],
  [623, [1701, 3544, 4341, 4754, 4789, 4790, 6081, 6635, 37008]], [646, [1701, 2152, 3544, 4341, 4754, 4789,
  4790, 6081, 37008]], [654, [1701, 2152, 3544, 4341, 4754, 4789, 4790, 6081, 6635]], [698, [2152, 3544, 4789,
  4790, 37008]], [699, [1701, 2152, 3544, 4341, 4754, 4789, 4790, 6081, 6635]], [750, ALL], [1044, ALL],
  [1052, [1701, 2152, 3544, 4754, 4789, 4790, 6081, 6635, 37008]], [1069, ALL], [1089, ALL], [1090, ALL],
  [1091, ALL], [1101, ALL], [1113, [1701]], [1547, ALL], [1645, ALL], [1646, ALL], [1700, ALL], [1755, [4341,
  4789, 4790, 6081, 37008]], [1812, ALL], [1813, ALL], [1985, ALL], [2029, ALL], [2048, ALL], [2055, [2152,
  3544, 4341, 4754, 4789, 4790, 6081, 37008]], [2067, ALL], [2123, [2152, 3544, 4341, 4754, 4789, 4790, 6081,
  37008]], [2190, ALL], [2231, [3544, 4341, 4754, 4789, 4790, 6081, 6635]], [2424, ALL], [2427, ALL], [2428,
  [3544, 4754, 4789, 4790, 6081, 6635, 37008]], [2727, ALL], [2960, ALL], [3121, [3544, 4341, 4754, 4789,
  4790, 6081, 6635]], [3205, ALL], [3222, ALL], [3333, ALL], [3386, [3544, 4341, 4754, 4789, 4790, 6081,
  37008]], [3478, ALL], [3483, ALL], [3503, [3544, 4341, 4754, 4789, 4790, 6081, 37008]], [3540, ALL], [3622,
  ALL], [3792, ALL], [3799, ALL], [3819, [4341, 4754, 4789, 4790, 6081, 6635]], [3956, ALL], [4000, ALL],
  [4011, ALL], [4058, ALL], [4533, ALL], [4534, ALL], [4556, ALL], [4665, ALL], [4672, ALL], [4713, ALL],
  [4739, [4754, 4789, 4790, 6081, 37008]], [5000, ALL], [5001, ALL], [5050, ALL], [5060, ALL], [5094, [6081]],
  [5264, ALL], [5265, ALL], [5555, ALL], [5678, ALL], [6060, ALL], [6084, ALL], [6087, ALL], [6343, ALL],
  [6543, ALL], [6666, ALL], [6696, ALL], [7000, ALL], [7001, ALL], [7002, ALL], [7003, ALL], [7004, ALL],
  [7005, ALL], [7006, ALL], [7007, ALL], [7008, ALL], [7009, ALL], [7010, ALL], [7021, ALL], [8000, ALL],
  [8116, ALL], [8161, ALL], [8211, ALL], [8611, ALL], [8612, ALL], [8613, ALL], [8614, ALL], [9003, ALL],
  [9955, ALL], [9996, ALL], [9999, ALL], [10500, ALL], [11898, ALL], [13819, ALL], [13907, ALL], [13910, ALL],
  [17754, ALL], [18246, ALL], [19788, ALL], [20000, ALL], [20561, ALL], [22222, ALL], [27036, ALL], [30030,
  ALL]
]);

/** Whether the dissector on this registered, non-tunnel port refuses a payload of the tunnel on `tunnelPort`. */
export function refusesTunnelPayload(port: number, tunnelPort: number): boolean {
  const through = REFUSES_TUNNEL.get(port);
  return through !== undefined && (through === ALL || through.includes(tunnelPort));
}
