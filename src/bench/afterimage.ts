import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AfterImage, type AfterImageOptions } from '../afterimage/afterimage.js';
import { PacketFields } from '../decode/fields.js';
import { readPackets } from '../decode/stream.js';
import { Prng } from '../synth/prng.js';
import { peakRssMiB } from './peak-rss.js';
import { type BenchResult, benchResult, median } from './result.js';

/**
 * AfterImage benchmark sections:
 * - packets/s of AfterImage.update alone on a capture (decoded to PacketFields copies first);
 * - packets/s per consecutive tenth of a generated server-with-many-clients stream (does it slow
 *   down as the server's links accumulate?);
 * - the cost of one eager link update with everything in cache (two small meshes of hosts);
 * - peak RSS on a generated stream of spoofed sources, with and without eviction (child processes);
 * - how far eviction moves features on a generated multi-hour stream, per feature group.
 */

const RUNS = 5;
/** Fewest packets per timed run on a capture (replayed as needed). */
const MIN_TIMED_PACKETS = 200_000;
const SEED = 20180218;
/** Server-with-many-clients stream. */
const SERVER_PACKETS = 1_000_000;
const SERVER_CLIENTS = 5_000;
const SERVER_MEAN_GAP_S = 1e-4;
const TENTHS = 10;
/** A mesh small enough to stay in cache: the cost of a link update without memory stalls. */
const MESH_PACKETS = 1_000_000;
const MESH_HOSTS = 10;
const MESH_MEAN_GAP_S = 5e-4;
const MESH_PORT = '80';
/** Spoofed-sources stream for the memory figures. */
const SPOOF_PACKETS = 5_000_000;
const SPOOF_SOURCES = 1_000_000;
const SPOOF_MEAN_GAP_S = 1e-4;
/** Settings whose peak RSS is measured on the spoofed stream. */
const RSS_SETTINGS: readonly AfterImageOptions[] = [{}, { evictBelow: 1e-3 }, { maxStreams: 20_000 }, { maxStreams: 50_000 }];
/** Eviction settings measured. */
const EVICTION_SETTINGS: readonly AfterImageOptions[] = [
  { evictBelow: 1e-6 },
  { evictBelow: 1e-3 },
  { evictBelow: 0.1 },
  { maxStreams: 20_000 },
];
/** Long stream for the eviction error: hosts that come and go over hours. */
const LONG_PACKETS = 1_000_000;
const LONG_HOSTS = 2_000;
const LONG_SERVERS = 50;
const LONG_HOURS = 4;
const SECONDS_PER_HOUR = 3600;
/** Relative error |a - b| / max(|b|, REL_FLOOR). */
const REL_FLOOR = 1e-9;
/** The reference tolerance. */
const TOLERANCE = 1e-9;
const MIN_SIZE = 60;
const MAX_SIZE = 1514;
const FIRST_EPHEMERAL_PORT = 32768;
const EPHEMERAL_PORTS = 28000;
const BYTE = 256;
const RSS_FLAG = '--afterimage-rss';

function copyOf(p: PacketFields): PacketFields {
  return Object.assign(new PacketFields(), p);
}

function ipv4(n: number): string {
  return `${10 + ((n >>> 24) % 100)}.${(n >>> 16) & (BYTE - 1)}.${(n >>> 8) & (BYTE - 1)}.${n & (BYTE - 1)}`;
}

function mac(n: number): string {
  const hex = (n >>> 0).toString(16).padStart(8, '0');
  return `02:00:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:${hex.slice(6, 8)}`;
}

/** A host's address strings, made once (as a decoder's cache would hand them over). */
interface Endpoint {
  ip: string;
  mac: string;
  port: string;
}

/** A TCP packet from `a` to `b`. */
function tcpPacket(index: number, a: Endpoint, b: Endpoint, size: number, time: number): PacketFields {
  const p = new PacketFields();
  p.index = index;
  p.ipType = 0;
  p.srcMAC = a.mac;
  p.dstMAC = b.mac;
  p.srcIP = a.ip;
  p.dstIP = b.ip;
  p.srcProtocol = a.port;
  p.dstProtocol = b.port;
  p.datagramSize = size;
  p.timestamp = time;
  p.proto = 'tcp';
  return p;
}

/**
 * One server (port 443) and `clients` clients, each on its own address and ephemeral port (strings
 * made once, as a decoder's cache would hand them over). Clients join progressively over the first
 * half, so the server's link lists grow; each packet goes either way.
 */
export function serverWithClients(count: number, clients: number, seed = SEED): PacketFields[] {
  const rng = new Prng(seed);
  const server: Endpoint = { ip: '10.0.0.1', mac: mac(1), port: '443' };
  const peers = Array.from({ length: clients }, (_, i): Endpoint => ({
    ip: ipv4(i + 2),
    mac: mac(i + 2),
    port: String(FIRST_EPHEMERAL_PORT + (i % EPHEMERAL_PORTS)),
  }));
  const packets: PacketFields[] = [];
  let t = 1_600_000_000;
  for (let i = 0; i < count; i++) {
    const joined = Math.min(clients, 1 + Math.floor((i * 2 * clients) / count));
    const c = peers[rng.int(0, joined - 1)];
    const [a, b] = rng.chance(0.5) ? [server, c] : [c, server];
    const size = rng.int(MIN_SIZE, MAX_SIZE);
    t += rng.exponential(SERVER_MEAN_GAP_S);
    packets.push(tcpPacket(i, a, b, size, t));
  }
  return packets;
}

/**
 * `hosts` hosts on one port, each packet from a random host to one of the `partners` hosts after it
 * (modulo): a host is linked with the hosts it sends to and those that send to it, min(2·partners,
 * hosts - 1) in each 2-D table, all eager (fewer than the lazy degree); a few dozen streams in all.
 */
export function mesh(count: number, hosts: number, partners: number, seed = SEED): PacketFields[] {
  const rng = new Prng(seed);
  const peers = Array.from({ length: hosts }, (_, i): Endpoint => ({ ip: ipv4(i + 1), mac: mac(i + 1), port: MESH_PORT }));
  const packets: PacketFields[] = [];
  let t = 1_600_000_000;
  for (let i = 0; i < count; i++) {
    const a = rng.int(0, hosts - 1);
    const b = (a + rng.int(1, partners)) % hosts;
    const size = rng.int(MIN_SIZE, MAX_SIZE);
    t += rng.exponential(MESH_MEAN_GAP_S);
    packets.push(tcpPacket(i, peers[a], peers[b], size, t));
  }
  return packets;
}

/**
 * Calls `onPacket` with `count` packets of a long stream: LONG_HOSTS hosts, each active in a few
 * random sessions over LONG_HOURS hours, talking to LONG_SERVERS servers (TCP/UDP, a little ARP).
 * One reused PacketFields, strings made per packet.
 */
export function longCapture(count: number, onPacket: (p: PacketFields) => void, seed = SEED): void {
  const rng = new Prng(seed);
  const duration = LONG_HOURS * SECONDS_PER_HOUR;
  const p = new PacketFields();
  const meanGap = duration / count;
  let t = 1_600_000_000;
  // Each host is "awake" in a random window; packets pick awake hosts mostly.
  const wake = Float64Array.from({ length: LONG_HOSTS }, () => rng.uniform() * duration);
  const awake = Float64Array.from({ length: LONG_HOSTS }, () => rng.exponential(duration / 8));
  for (let i = 0; i < count; i++) {
    t += rng.exponential(meanGap);
    const now = t - 1_600_000_000;
    let h = rng.int(0, LONG_HOSTS - 1);
    for (let tries = 0; tries < 8 && !(now >= wake[h] && now <= wake[h] + awake[h]); tries++) {
      h = rng.int(0, LONG_HOSTS - 1);
    }
    const s = rng.int(0, LONG_SERVERS - 1);
    const hostIP = ipv4(1000 + h);
    const serverIP = ipv4(s + 1);
    const outgoing = rng.chance(0.5);
    p.index = i;
    p.srcMAC = mac(outgoing ? 1000 + h : s + 1);
    p.dstMAC = mac(outgoing ? s + 1 : 1000 + h);
    p.timestamp = t;
    p.datagramSize = rng.int(MIN_SIZE, MAX_SIZE);
    if (rng.chance(0.01)) {
      p.srcIP = outgoing ? hostIP : serverIP;
      p.dstIP = outgoing ? serverIP : hostIP;
      p.srcProtocol = p.dstProtocol = 'arp';
    } else {
      const hostPort = String(FIRST_EPHEMERAL_PORT + ((h * 7 + s) % EPHEMERAL_PORTS));
      const serverPort = s % 2 === 0 ? '443' : '53';
      p.srcIP = outgoing ? hostIP : serverIP;
      p.dstIP = outgoing ? serverIP : hostIP;
      p.srcProtocol = outgoing ? hostPort : serverPort;
      p.dstProtocol = outgoing ? serverPort : hostPort;
    }
    onPacket(p);
  }
}

/** Packets of `sources` spoofed sources (uniformly drawn, fresh strings) to one victim. */
export function spoofedSources(count: number, sources: number, onPacket: (p: PacketFields) => void, seed = SEED): void {
  const rng = new Prng(seed);
  const p = new PacketFields();
  let t = 1_600_000_000;
  p.dstIP = '10.0.0.1';
  p.dstMAC = mac(1);
  p.srcMAC = mac(2);
  p.dstProtocol = '80';
  for (let i = 0; i < count; i++) {
    const s = rng.int(0, sources - 1);
    t += rng.exponential(SPOOF_MEAN_GAP_S);
    p.index = i;
    p.srcIP = ipv4(s * 7919 + 3);
    p.srcProtocol = String(1024 + (s % 60000));
    p.datagramSize = MIN_SIZE;
    p.timestamp = t;
    onPacket(p);
  }
}

/**
 * The capture repeated until at least `min` packets (a small capture is over before the JIT warms
 * up), each repetition shifted past the previous one's last time so that time keeps increasing.
 */
function replayed(packets: readonly PacketFields[], min: number): readonly PacketFields[] {
  // Long enough already: no second copy of every packet for the garbage collector to trace.
  if (packets.length === 0 || packets.length >= min) return packets;
  let first = Infinity;
  let last = -Infinity;
  for (const p of packets) {
    first = Math.min(first, p.timestamp);
    last = Math.max(last, p.timestamp);
  }
  const span = last - first + 1;
  const out: PacketFields[] = [];
  for (let rep = 0; out.length < min; rep++) {
    for (const p of packets) {
      const copy = copyOf(p);
      copy.timestamp += rep * span;
      copy.index = out.length;
      out.push(copy);
    }
  }
  return out;
}

function updatesPerSecond(packets: readonly PacketFields[]): number {
  const image = new AfterImage();
  const out = new Float64Array(image.featureCount);
  const start = process.hrtime.bigint();
  for (const p of packets) image.update(p, out);
  return packets.length / (Number(process.hrtime.bigint() - start) / 1e9);
}

/** packets/s of each consecutive tenth of the stream, one run. */
function tenths(packets: readonly PacketFields[]): number[] {
  const image = new AfterImage();
  const out = new Float64Array(image.featureCount);
  const size = Math.floor(packets.length / TENTHS);
  const rates: number[] = [];
  for (let tenth = 0; tenth < TENTHS; tenth++) {
    const start = process.hrtime.bigint();
    for (let i = tenth * size; i < (tenth + 1) * size; i++) image.update(packets[i], out);
    rates.push(size / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  return rates;
}

/** Peak RSS (MiB) of a child process running the spoofed stream with the given options. */
function spoofRss(opts: AfterImageOptions): { rssMiB: number; streams: number; links: number } {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), RSS_FLAG, JSON.stringify(opts)], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`RSS child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { rssMiB: number; streams: number; links: number };
}

function runRssChild(opts: AfterImageOptions): void {
  const image = new AfterImage(opts);
  const out = new Float64Array(image.featureCount);
  spoofedSources(SPOOF_PACKETS, SPOOF_SOURCES, (p) => image.update(p, out));
  const { streams, links } = image.sizes;
  const rssMiB = peakRssMiB();
  process.stdout.write(JSON.stringify({ rssMiB, streams, links }));
}

/** Feature groups for the eviction error: name and first column per window block. */
function featureGroups(image: AfterImage): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  image.featureNames.forEach((name, c) => {
    // e.g. HH_0.1_radius_0_1 -> HH radius; MI_dir_5_weight -> MI weight.
    const parts = name.replace('MI_dir_', 'MI_').replace('HH_jit_', 'HHjit_').split('_');
    const key = `${parts[0]} ${parts[2]}`;
    const list = groups.get(key) ?? [];
    list.push(c);
    groups.set(key, list);
  });
  return groups;
}

/** Relative errors are histogrammed in log10 bins of ERROR_BINS_PER_DECADE from 10^ERROR_MIN_DECADE. */
const ERROR_MIN_DECADE = -18;
const ERROR_DECADES = 22;
const ERROR_BINS_PER_DECADE = 4;

/** Quantile of a histogram: the upper edge of the bin holding it (0 when it falls among exact zeros). */
function histogramQuantile(zeros: number, bins: Float64Array, total: number, q: number): number {
  let seen = zeros;
  if (seen >= q * total) return 0;
  for (let i = 0; i < bins.length; i++) {
    seen += bins[i];
    if (seen >= q * total) return 10 ** (ERROR_MIN_DECADE + (i + 1) / ERROR_BINS_PER_DECADE);
  }
  return Infinity;
}

/**
 * Max, median and 99th percentile (bin upper edges) of the relative error per feature group, and the
 * share of cells off by more than 1e-9, evicting vs faithful, on the long generated stream.
 */
export function evictionError(opts: AfterImageOptions, count = LONG_PACKETS): Record<string, unknown> {
  const faithful = new AfterImage();
  const evicting = new AfterImage(opts);
  const a = new Float64Array(faithful.featureCount);
  const b = new Float64Array(faithful.featureCount);
  const groups = [...featureGroups(faithful)];
  const bins = groups.map(() => new Float64Array(ERROR_DECADES * ERROR_BINS_PER_DECADE));
  const zeros = new Float64Array(groups.length);
  const max = new Float64Array(groups.length);
  const over = new Float64Array(groups.length);
  longCapture(count, (p) => {
    faithful.update(p, a);
    evicting.update(p, b);
    groups.forEach(([, cols], g) => {
      for (const c of cols) {
        const e = Math.abs(b[c] - a[c]) / Math.max(Math.abs(a[c]), REL_FLOOR);
        if (e === 0) {
          zeros[g]++;
          continue;
        }
        if (e > max[g] || Number.isNaN(e)) max[g] = e;
        if (e > TOLERANCE) over[g]++;
        const bin = Math.floor((Math.log10(e) - ERROR_MIN_DECADE) * ERROR_BINS_PER_DECADE);
        bins[g][Math.min(bins[g].length - 1, Math.max(0, bin))]++;
      }
    });
  });
  const table: Record<string, unknown> = {};
  groups.forEach(([key, cols], g) => {
    const total = count * cols.length;
    table[key] = {
      max: max[g],
      median: histogramQuantile(zeros[g], bins[g], total, 0.5),
      p99: histogramQuantile(zeros[g], bins[g], total, 0.99),
      shareOver1e9: over[g] / total,
    };
  });
  const { streams, links } = evicting.sizes;
  return { options: opts, streamsKept: streams, linksKept: links, streamsFaithful: faithful.sizes.streams, errors: table };
}

export async function benchAfterImage(capturePath: string): Promise<BenchResult[]> {
  const decoded: PacketFields[] = [];
  await readPackets([capturePath], (p) => decoded.push(copyOf(p)));
  const captured = replayed(decoded, MIN_TIMED_PACKETS);
  const results: BenchResult[] = [];
  const runs = Array.from({ length: RUNS }, () => updatesPerSecond(captured));
  results.push(benchResult('afterimage update', 'packets/s', runs, { packets: captured.length, capturePackets: decoded.length }));

  const server = serverWithClients(SERVER_PACKETS, SERVER_CLIENTS);
  const perTenth = Array.from({ length: RUNS }, () => tenths(server));
  const tenthMedians = Array.from({ length: TENTHS }, (_, i) => median(perTenth.map((r) => r[i])));
  const overall = perTenth.map((r) => TENTHS / r.reduce((sum, rate) => sum + 1 / rate, 0));
  results.push({
    name: `afterimage server with ${SERVER_CLIENTS} clients`,
    unit: 'packets/s',
    runs: overall,
    median: median(overall),
    extra: { packets: SERVER_PACKETS, perTenthMedian: tenthMedians.map(Math.round) },
  });

  // Per link update, from two meshes in cache: 1 and MESH_HOSTS - 1 partners per host.
  const sparse = mesh(MESH_PACKETS, MESH_HOSTS, 1);
  const dense = mesh(MESH_PACKETS, MESH_HOSTS, MESH_HOSTS - 1);
  const sparseRate = median(Array.from({ length: RUNS }, () => updatesPerSecond(sparse)));
  const denseRate = median(Array.from({ length: RUNS }, () => updatesPerSecond(dense)));
  // Each packet updates every link of its sender (plus the queried one) in both 2-D tables: a host
  // has 2 links in the sparse mesh, MESH_HOSTS - 1 in the dense one.
  const extraUpdates = 2 * (MESH_HOSTS - 1 - 2);
  const nsPerLinkUpdate = ((1 / denseRate - 1 / sparseRate) / extraUpdates) * 1e9;
  results.push({
    name: `afterimage in cache (${MESH_HOSTS} hosts), cost of a link update`,
    unit: 'ns',
    runs: [nsPerLinkUpdate],
    median: nsPerLinkUpdate,
    extra: { sparsePacketsPerSecond: Math.round(sparseRate), densePacketsPerSecond: Math.round(denseRate), nsPerSparsePacket: 1e9 / sparseRate },
  });

  for (const opts of RSS_SETTINGS) {
    const r = spoofRss(opts);
    results.push({
      name: `afterimage peak RSS, ${SPOOF_PACKETS} packets from ${SPOOF_SOURCES} spoofed sources ${JSON.stringify(opts)}`,
      unit: 'MiB',
      runs: [r.rssMiB],
      median: r.rssMiB,
      extra: { streams: r.streams, links: r.links },
    });
  }

  for (const opts of EVICTION_SETTINGS) {
    const extra = evictionError(opts);
    const worst = Math.max(...Object.values(extra.errors as Record<string, { max: number }>).map((e) => e.max));
    results.push(benchResult(`afterimage eviction error ${JSON.stringify(opts)}`, 'max relative error', [worst], extra));
  }
  return results;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === RSS_FLAG) {
  runRssChild(JSON.parse(process.argv[3] ?? '{}') as AfterImageOptions);
}
