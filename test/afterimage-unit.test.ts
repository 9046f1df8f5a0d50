import { describe, expect, it } from 'vitest';
import { AfterImage, DEFAULT_LAMBDAS } from '../src/afterimage/afterimage.js';
import { ComponentInterner } from '../src/afterimage/component-interner.js';
import { exp2NonPositiveInPlace } from '../src/afterimage/exp2.js';
import { MIN_SWEEP_INTERVAL } from '../src/afterimage/eviction.js';
import { PacketFields } from '../src/decode/fields.js';
import { HAVE_SHARED, readReferenceLines, REFERENCE } from './helpers/shared.js';

/** With one window (λ = 1, so a 1 s gap halves everything exactly), the 20 columns are: */
const MI_W = 0;
const MI_MEAN = 1;
const MI_VAR = 2;
const HH_W = 3;
const HH_MEAN = 4;
const HH_RADIUS = 6;
const HH_MAGNITUDE = 7;
const HH_COV = 8;
const HH_PCC = 9;
const JIT_W = 10;
const JIT_MEAN = 11;
const JIT_VAR = 12;
const HP_W = 13;
const HP_MEAN = 14;

function packet(fields: Partial<PacketFields>): PacketFields {
  return Object.assign(new PacketFields(), {
    srcMAC: 'aa:aa:aa:aa:aa:01',
    dstMAC: 'aa:aa:aa:aa:aa:02',
    srcIP: '10.0.0.1',
    dstIP: '10.0.0.2',
    srcProtocol: '1234',
    dstProtocol: '80',
    ...fields,
  });
}

/** Feeds packets to a one-window (λ = 1) AfterImage; returns the features of each. */
function run(packets: Partial<PacketFields>[], image = new AfterImage({ lambdas: [1] })): Float64Array[] {
  return packets.map((fields) => {
    const out = new Float64Array(image.featureCount);
    image.update(packet(fields), out);
    return out;
  });
}

/** 2^y through the in-place entry point. */
function exp2NonPositive(y: number): number {
  const values = Float64Array.of(y);
  exp2NonPositiveInPlace(values, 0, 1);
  return values[0];
}

describe('exp2NonPositiveInPlace', () => {
  it('is exact on integer exponents and 0 below the subnormals', () => {
    expect(exp2NonPositive(0)).toBe(1);
    expect(exp2NonPositive(-1)).toBe(0.5);
    expect(exp2NonPositive(-3)).toBe(0.125);
    expect(exp2NonPositive(-1074)).toBe(5e-324); // the smallest subnormal, 2^-1074
    expect(exp2NonPositive(-1100)).toBe(0);
  });

  it("rounds as glibc's pow (Kitsune-py's math.pow) where V8's Math.pow does not", () => {
    // [y, Python 3 math.pow(2.0, y) on glibc], printed with repr: exponents where Math.pow(2, y)
    // differs from glibc in the last bit (picked from 300,000 random ones, 5.9% of which differ so).
    const glibc: [number, number][] = [
      [-7.676892710318238, 0.004886805125357136],
      [-0.7332924991406939, 0.6015295435557725],
      [-8.462790917157648, 0.002834301762863464],
      [-0.06282405606869557, 0.9573882093932501],
      [-846.2110418476054, 1.8411693721856865e-255],
      [-0.31520025413173375, 0.8037394194782127],
      [-2.516130051075285, 0.17481125135285577],
      [-0.11410935999014214, 0.9239525318168355],
      [-36.290912268244185, 1.189451770906312e-11],
      [-4.293436402242758, 0.050997261839128],
    ];
    for (const [y, pow] of glibc) {
      expect(Math.pow(2, y)).not.toBe(pow);
      expect(exp2NonPositive(y)).toBe(pow);
    }
  });

  it('stays within 1 ulp of Math.pow(2, y)', () => {
    let y = -1e-7;
    while (y > -700) {
      const ref = Math.pow(2, y);
      expect(Math.abs(exp2NonPositive(y) - ref)).toBeLessThanOrEqual(ref * Number.EPSILON);
      y *= 1.37;
    }
  });
});

describe('AfterImage statistics', () => {
  it('first packet: weight 1, mean = size, variance 0, link with a fresh dst, jitter 0', () => {
    const [f] = run([{ datagramSize: 100, timestamp: 10 }]);
    // w = 1e-20 + 1 rounds to 1; mean = 100/1; variance = |100²/1 - 100²| = 0.
    expect([f[MI_W], f[MI_MEAN], f[MI_VAR]]).toEqual([1, 100, 0]);
    // dst 10.0.0.2 is registered (mean 0, variance 0): radius sqrt(0² + 0²) = 0, magnitude sqrt(100² + 0²).
    expect([f[HH_RADIUS], f[HH_MAGNITUDE]]).toEqual([0, 100]);
    // One link update: res = 100 - 100 = 0, CF3 = 0 * 0, w3 = 1: covariance 0; pcc 0 since std product is 0.
    expect([f[HH_COV], f[HH_PCC]]).toEqual([0, 0]);
    // A new jitter stream starts at the packet's time, so its value is 0.
    expect([f[JIT_W], f[JIT_MEAN], f[JIT_VAR]]).toEqual([1, 0, 0]);
  });

  it('decays by 2^(-λΔt) before adding', () => {
    const [, f] = run([
      { datagramSize: 100, timestamp: 10 },
      { datagramSize: 200, timestamp: 11 },
    ]);
    // Δt = 1, λ = 1: factor 1/2. w = 1*0.5 + 1 = 1.5; CF1 = 100*0.5 + 200 = 250; CF2 = 10000*0.5 + 40000 = 45000.
    expect(f[MI_W]).toBe(1.5);
    expect(f[MI_MEAN]).toBeCloseTo(250 / 1.5, 12); // 166.666...
    expect(f[MI_VAR]).toBeCloseTo(30000 - (250 / 1.5) ** 2, 9); // 2222.222...
    // Jitter: value 1 (s since the stream's last packet): w = 1.5, CF1 = 1, CF2 = 1: mean 2/3, var 2/3 - 4/9 = 2/9.
    expect(f[JIT_W]).toBe(1.5);
    expect(f[JIT_MEAN]).toBeCloseTo(2 / 3, 15);
    expect(f[JIT_VAR]).toBeCloseTo(2 / 9, 15);
  });

  it('out-of-order packets are not decayed and do not move the last time', () => {
    const [, late, after] = run([
      { datagramSize: 100, timestamp: 10 },
      { datagramSize: 100, timestamp: 9 },
      { datagramSize: 100, timestamp: 11 },
    ]);
    // t = 9 < last = 10: no decay, w = 1 + 1 = 2; jitter value 0 (Δt <= 0): jitter mean stays 0.
    expect(late[MI_W]).toBe(2);
    expect(late[JIT_MEAN]).toBe(0);
    // t = 11 decays from 10 (not 9): w = 2 * 0.5 + 1 = 2; from 9 it would be 2 * 0.25 + 1 = 1.5.
    expect(after[MI_W]).toBe(2);
    // Jitter value 11 - 10 = 1: CF1 = 0*0.5 + 1 = 1 over w = 2.
    expect(after[JIT_MEAN]).toBe(0.5);
  });

  it('a constant stream has variance 0 and pcc 0', () => {
    const rows = run([
      { datagramSize: 100, timestamp: 10 },
      { datagramSize: 100, timestamp: 11 },
      { datagramSize: 100, timestamp: 12 },
    ]);
    // CF1 = 100 w and CF2 = 10000 w exactly (halving is exact): mean 100, variance |10000 - 100²| = 0.
    for (const f of rows) {
      expect(f[MI_MEAN]).toBe(100);
      expect(f[MI_VAR]).toBe(0);
      expect(f[HH_PCC]).toBe(0);
    }
  });

  it('a self-link gets three updates per packet (appended twice to the stream)', () => {
    const image = new AfterImage({ lambdas: [1] });
    run(
      [
        { srcIP: '10.0.0.9', dstIP: '10.0.0.9', datagramSize: 100, timestamp: 10 },
        { srcIP: '10.0.0.9', dstIP: '10.0.0.9', datagramSize: 300, timestamp: 10 },
      ],
      image,
    );
    const state = image.toJSON() as { hhLinks: { w3: number[]; count: number; cf3: number[] } };
    // Packet 1 creates (s, s) and updates it once: w3 = 1e-20 + 1 = 1. Packet 2 (same time, no decay):
    // two updates from the insert loop + one from the query: w3 = 4. Side 1's residual stays 0, so CF3 = 0.
    expect(state.hhLinks.count).toBe(1);
    expect(state.hhLinks.w3[0]).toBe(4);
    expect(state.hhLinks.cf3[0]).toBe(0);
  });

  it('src == dst reuses the FIRST link of src, whoever its partner', () => {
    const [, f] = run([
      { srcIP: '10.0.0.1', dstIP: '10.0.0.2', datagramSize: 100, timestamp: 10 },
      { srcIP: '10.0.0.1', dstIP: '10.0.0.1', datagramSize: 300, timestamp: 10 },
    ]);
    // The (10.0.0.1, 10.0.0.2) link is used: magnitude = sqrt(mean_1² + mean_2²) = sqrt(200² + 0²) = 200
    // (mean_1 = (100 + 300)/2; 10.0.0.2 never sent, mean 0). A self-link would give sqrt(2)*200.
    expect(f[HH_MEAN]).toBe(200);
    expect(f[HH_MAGNITUDE]).toBe(200);
  });

  it('keys are plain concatenations: colliding pairs share one stream', () => {
    const [, f] = run([
      { srcIP: '10.0.0.1', srcProtocol: '23', datagramSize: 100, timestamp: 10 },
      { srcIP: '10.0.0.12', srcProtocol: '3', datagramSize: 300, timestamp: 10 },
    ]);
    // HpHp key '10.0.0.123' both times: w = 2, mean (100 + 300)/2 = 200 (separate streams: w 1, mean 300).
    expect([f[HP_W], f[HP_MEAN]]).toEqual([2, 200]);
    // HH keys differ (srcIP alone): w = 1.
    expect(f[HH_W]).toBe(1);
  });

  it('the hash of a concatenation comes from its parts: h(a + b) = h(a)·31^|b| + h(b)', () => {
    const interner = new ComponentInterner();
    const id = (text: string) => interner.id(text);
    // h('1') = 49 (its char code); h('12') = 49·31 + 50 = 1569; 31^1 = 31.
    expect(interner.concatHash(id('1'), id('2'))).toBe(1569);
    expect(interner.concatHash(id('12'), id(''))).toBe(1569);
    // Colliding spellings of one key hash alike and compare equal; other keys do not.
    expect(interner.concatHash(id('10.0.0.1'), id('23'))).toBe(interner.concatHash(id('10.0.0.12'), id('3')));
    expect(interner.concatEquals(id('10.0.0.1'), id('23'), id('10.0.0.12'), id('3'))).toBe(true);
    expect(interner.concatEquals(id('10.0.0.1'), id('23'), id('10.0.0.1'), id('3'))).toBe(false);
  });

  it('colliding pairs still share one stream after an eviction sweep rebuilt the key index', () => {
    const image = new AfterImage({ lambdas: [1], maxStreams: 4 });
    const f = run(
      [
        { srcIP: '10.0.0.1', srcProtocol: '23', datagramSize: 100, timestamp: 10 },
        // Six other sources overflow the 4-stream tables: a sweep keeps the 2 most recent per table.
        ...Array.from({ length: 6 }, (_, i) => ({ srcIP: `11.0.0.${i}`, srcProtocol: '9', timestamp: 10 })),
        { srcIP: '10.0.0.1', srcProtocol: '23', datagramSize: 100, timestamp: 10 },
        { srcIP: '10.0.0.12', srcProtocol: '3', datagramSize: 400, timestamp: 10 },
      ],
      image,
    );
    // The key '10.0.0.123' was evicted, re-created by the 8th packet (w 1), then shared by the 9th:
    // w = 2, mean (100 + 400)/2 = 250.
    expect([f[7][HP_W], f[8][HP_W], f[8][HP_MEAN]]).toEqual([1, 2, 250]);
  });

  it("an ARP srcMAC key is the same HpHp stream as a non-IP frame's eth.src fallback", () => {
    const mac = 'aa:aa:aa:aa:aa:07';
    const [, f] = run([
      { srcMAC: mac, srcIP: '10.0.0.7', dstIP: '10.0.0.8', srcProtocol: 'arp', dstProtocol: 'arp', datagramSize: 60, timestamp: 10 },
      { srcMAC: mac, srcIP: mac, dstIP: 'ff:ff:ff:ff:ff:ff', srcProtocol: '', dstProtocol: '', datagramSize: 100, timestamp: 10 },
    ]);
    // Both keyed 'aa:aa:aa:aa:aa:07': w = 2, mean (60 + 100)/2 = 80.
    expect([f[HP_W], f[HP_MEAN]]).toEqual([2, 80]);
  });

  it('custom lambdas: 20 features per window, named with Python str()', () => {
    const image = new AfterImage({ lambdas: [2, 0.5, 1e-5] });
    expect(image.featureCount).toBe(60);
    expect(image.featureNames.length).toBe(60);
    expect(image.featureNames[0]).toBe('MI_dir_2_weight');
    expect(image.featureNames).toContain('HH_0.5_pcc_0_1');
    expect(image.featureNames).toContain('HpHp_1e-05_radius_0_1'); // Python: str(1e-05) == '1e-05'
    expect(image.featureNames).toContain('HH_jit_0.5_std');
  });

  it.runIf(HAVE_SHARED)("default names are Kitsune-py's headers.txt", () => {
    expect(new AfterImage().featureNames).toEqual(readReferenceLines(`${REFERENCE}/headers.txt`));
    expect(DEFAULT_LAMBDAS).toEqual([5, 3, 1, 0.1, 0.01]);
  });
});

/** A server (port 443) with 40 clients, some out-of-order times: lazy links and flushes happen. */
function serverPackets(count: number): PacketFields[] {
  const packets: PacketFields[] = [];
  for (let i = 0; i < count; i++) {
    const client = (i * 7) % 40;
    const toServer = i % 3 !== 0;
    const c = { ip: `10.1.0.${client}`, port: String(40000 + client) };
    const s = { ip: '10.0.0.1', port: '443' };
    const [a, b] = toServer ? [c, s] : [s, c];
    // Every 50th packet is 0.5 s late.
    const t = 1000 + i * 0.01 - (i % 50 === 49 ? 0.5 : 0);
    packets.push(
      packet({ srcIP: a.ip, dstIP: b.ip, srcProtocol: a.port, dstProtocol: b.port, datagramSize: 60 + ((i * 37) % 1400), timestamp: t }),
    );
  }
  return packets;
}

describe('AfterImage state', () => {
  it('toJSON/fromJSON resumes with identical features', () => {
    const packets = serverPackets(3000);
    const straight = new AfterImage();
    const first = new AfterImage();
    const a = new Float64Array(straight.featureCount);
    const b = new Float64Array(straight.featureCount);
    for (const p of packets.slice(0, 1500)) {
      straight.update(p, a);
      first.update(p, b);
    }
    const resumed = AfterImage.fromJSON(JSON.parse(JSON.stringify(first.toJSON())));
    for (const p of packets.slice(1500)) {
      straight.update(p, a);
      resumed.update(p, b);
      for (let c = 0; c < a.length; c++) expect(Object.is(a[c], b[c])).toBe(true);
    }
  });

  it('fromJSON refuses a state whose tables do not hold together (it would loop or read out of bounds)', () => {
    const image = new AfterImage({ lazyDegree: 2 });
    const out = new Float64Array(image.featureCount);
    for (const p of serverPackets(400)) image.update(p, out);
    const good = JSON.stringify(image.toJSON());
    const mutated = (change: (state: any) => void) => {
      const state = JSON.parse(good);
      change(state);
      return () => AfterImage.fromJSON(state);
    };
    expect(mutated(() => undefined)).not.toThrow();
    // A slot listed twice in a chain would link the chain into a cycle.
    expect(mutated((s) => s.hhLinks.chains[0].push(s.hhLinks.chains[0][0]))).toThrow(/listed twice/);
    // A slot in the chain of a stream it does not belong to.
    expect(mutated((s) => s.hhLinks.chains[0].push(s.hhLinks.chains[1][0]))).toThrow(TypeError);
    // Counts that do not match their columns.
    expect(mutated((s) => (s.hhLinks.count = 0))).toThrow(/does not match/);
    expect(mutated((s) => (s.hp.count += 1))).toThrow(/out of range/);
    expect(mutated((s) => s.hh.cf1.pop())).toThrow(/does not match/);
    // Indices out of range: a link to a stream that does not exist, a component that does not.
    expect(mutated((s) => (s.hpLinks.first[0] = s.hp.count + 5))).toThrow(/link out of range/);
    expect(mutated((s) => (s.mi.comp1[0] = s.components.length))).toThrow(/out of range/);
    expect(mutated((s) => s.hhLinks.dirty.push(-1))).toThrow(/out of range/);
    // The sweep counters and the latest time: read as they are, not through Number() ('abc' was NaN).
    expect(mutated((s) => (s.sinceSweep = 'abc'))).toThrow(/out of range/);
    expect(mutated((s) => (s.now = '12'))).toThrow(/"now" must be a number or null/);
  });

  it('lazy and eager links give the same features within 1e-9', () => {
    const packets = serverPackets(3000);
    const lazy = new AfterImage({ lazyDegree: 2 });
    const eager = new AfterImage({ lazyDegree: Number.MAX_SAFE_INTEGER });
    const a = new Float64Array(lazy.featureCount);
    const b = new Float64Array(lazy.featureCount);
    for (const p of packets) {
      lazy.update(p, a);
      eager.update(p, b);
      for (let c = 0; c < a.length; c++) expect(Math.abs(a[c] - b[c])).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(b[c])));
    }
  });
});

describe('AfterImage eviction (non-faithful)', () => {
  /** Packets from `count` distinct sources, 1 s apart. */
  function spoofed(count: number): PacketFields[] {
    return Array.from({ length: count }, (_, i) =>
      packet({ srcIP: `11.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, datagramSize: 60, timestamp: i }),
    );
  }

  it('maxStreams caps every table after each packet', () => {
    const image = new AfterImage({ lambdas: [1], maxStreams: 500 });
    const out = new Float64Array(image.featureCount);
    for (const p of spoofed(5000)) {
      image.update(p, out);
      // 4 tables of at most 500 streams each.
      expect(image.sizes.streams).toBeLessThanOrEqual(4 * 500);
    }
  });

  it('evictBelow drops streams whose weight decayed below it', () => {
    const faithful = new AfterImage({ lambdas: [1] });
    const evicting = new AfterImage({ lambdas: [1], evictBelow: 1e-3 });
    const out = new Float64Array(faithful.featureCount);
    const packets = spoofed(2 * MIN_SWEEP_INTERVAL + 10);
    for (const p of packets) {
      faithful.update(p, out);
      evicting.update(p, out);
    }
    // Faithful: per source one MI, one HH (+ the shared dst), one jitter, one HpHp stream (+ shared dst).
    expect(faithful.sizes.streams).toBe(4 * packets.length + 2);
    // λ = 1, 1 s apart: a source's weight is below 1e-3 once 10 s old (2^-10), so a sweep (every 65,536+
    // packets here) keeps ~10 sources per table plus the shared ones: far below one sweep interval.
    expect(evicting.sizes.streams).toBeLessThan(4 * MIN_SWEEP_INTERVAL);
    expect(evicting.sizes.components).toBeLessThan(faithful.sizes.components);
  });
});
