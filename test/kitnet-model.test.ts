import { describe, expect, it } from 'vitest';
import { KitNET, type Phase } from '../src/kitnet/kitnet.js';
import { MT19937 } from '../src/kitnet/mt19937.js';

const FEATURES = 12;
const FM = 30;
const AD = 60;
const PACKETS = 200;

/** A deterministic stream: 3 correlated groups, a constant feature, a -0 and an occasional spike. */
function stream(): Float64Array[] {
  const rng = new MT19937(7);
  const rows: Float64Array[] = [];
  let a = 0;
  let b = 0;
  for (let t = 0; t < PACKETS; t++) {
    a = 0.9 * a + rng.nextDouble();
    b = 0.8 * b + rng.nextDouble();
    const c = rng.nextDouble();
    const row = new Float64Array(FEATURES);
    for (let f = 0; f < FEATURES; f++) {
      const base = [a, b, c][f % 3];
      row[f] = f === 11 ? 42 : base * (f + 1) + 0.01 * rng.nextDouble();
    }
    row[10] = t % 2 ? -0 : 0;
    if (t % 37 === 0) row[4] = 1e6;
    rows.push(row);
  }
  return rows;
}

const rows = stream();
const options = { fmGrace: FM, adGrace: AD, maxAE: 4 };

describe('KitNET phases (KitNET.process)', () => {
  it('maps packets 0..FM, trains FM+1..FM+AD, then executes; 0 during grace', () => {
    const kitnet = new KitNET(FEATURES, options);
    const phases: Phase[] = [];
    const scores: number[] = [];
    for (const x of rows) {
      phases.push(kitnet.phase);
      scores.push(kitnet.process(x));
    }
    expect(phases.slice(0, FM + 1).every((p) => p === 'map')).toBe(true);
    expect(phases.slice(FM + 1, FM + AD + 1).every((p) => p === 'train')).toBe(true);
    expect(phases.slice(FM + AD + 1).every((p) => p === 'exec')).toBe(true);
    expect(scores.slice(0, FM + AD + 1).every((s) => s === 0)).toBe(true);
    expect(scores.slice(FM + AD + 1).every((s) => s > 0)).toBe(true);
    expect(kitnet.trainedCount).toBe(FM + AD + 1);
    expect(kitnet.executedCount).toBe(PACKETS - FM - AD - 1);
    const map = kitnet.featureMap as number[][];
    expect(map.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: FEATURES }, (_, i) => i));
    expect(map.every((c) => c.length <= 4)).toBe(true);
    expect(kitnet.lastEnsembleRmse().length).toBe(map.length);
    expect(kitnet.lastReconstructionErrors(0).length).toBe(map[0].length);
  });

  it('with a supplied map, trains on packets 0..FM+AD', () => {
    const kitnet = new KitNET(FEATURES, { ...options, featureMap: [[0, 1, 2], [3, 4, 5, 6, 7, 8, 9, 10, 11]] });
    for (let i = 0; i <= FM + AD; i++) {
      expect(kitnet.phase).toBe('train');
      expect(kitnet.process(rows[i])).toBe(0);
    }
    expect(kitnet.phase).toBe('exec');
    expect(kitnet.process(rows[FM + AD + 1])).toBeGreaterThan(0);
  });

  it('train() and execute() need a map; execute reports per-input errors', () => {
    const kitnet = new KitNET(FEATURES, options);
    expect(() => kitnet.execute(rows[0])).toThrow(/no feature map/);
    const given = new KitNET(FEATURES, { featureMap: [[2, 0]] });
    given.train(rows[0]);
    given.train(rows[1]);
    const score = given.execute(rows[2]);
    const errors = given.lastReconstructionErrors(0);
    // One ensemble autoencoder: its RMSE is sqrt(mean of its per-input squared errors).
    expect(given.lastEnsembleRmse()[0]).toBe(Math.sqrt((errors[0] + errors[1]) / 2));
    expect(score).toBeGreaterThan(0);
  });

  it('rejects bad options', () => {
    expect(() => new KitNET(0)).toThrow(RangeError);
    expect(() => new KitNET(3, { fmGrace: -1 })).toThrow(/fmGrace/);
    expect(() => new KitNET(3, { featureMap: [[0, 3]] })).toThrow(/not a feature index/);
    expect(() => new KitNET(3, { featureMap: [] })).toThrow(/non-empty/);
    expect(() => new KitNET(3).process(new Float64Array(4))).toThrow(/4 features given, the model has 3/);
  });
});

describe('KitNET model JSON', () => {
  /** Scores of the whole stream without interruption. */
  const straight = (() => {
    const kitnet = new KitNET(FEATURES, options);
    return rows.map((x) => kitnet.process(x));
  })();

  for (const [phase, stop] of [
    ['map', 10],
    ['map (last packet before the map is built)', FM],
    ['train', FM + 20],
    ['exec', FM + AD + 30],
  ] as const) {
    it(`saved in the ${phase} phase and reloaded, scores the rest bit for bit`, () => {
      const first = new KitNET(FEATURES, options);
      for (let i = 0; i < stop; i++) first.process(rows[i]);
      const text = JSON.stringify(first);
      const model = JSON.parse(text);
      expect(model.format).toBe('kitsune-kitnet');
      expect(model.version).toBe(1);
      const reloaded = KitNET.fromJSON(model);
      expect(JSON.stringify(reloaded)).toBe(text);
      for (let i = stop; i < PACKETS; i++) expect(Object.is(reloaded.process(rows[i]), straight[i])).toBe(true);
    });
  }

  it('rejects corrupt or incompatible documents with a clear error', () => {
    const kitnet = new KitNET(FEATURES, options);
    for (let i = 0; i < FM + 5; i++) kitnet.process(rows[i]);
    const good = JSON.parse(JSON.stringify(kitnet));
    const bad = (patch: Record<string, unknown>) => () => KitNET.fromJSON({ ...good, ...patch });
    expect(() => KitNET.fromJSON(null)).toThrow(/model must be an object/);
    expect(bad({ format: 'other' })).toThrow(/format/);
    expect(bad({ version: 2 })).toThrow(/unsupported version 2/);
    expect(bad({ trained: -1 })).toThrow(/trained must be a non-negative integer/);
    expect(bad({ ensemble: good.ensemble.slice(1) })).toThrow(/ensemble must list/);
    expect(bad({ featureMap: [[0, 99]] })).toThrow(/not a feature index/);
    const wrongShape = structuredClone(good);
    wrongShape.ensemble[0].weights.pop();
    expect(() => KitNET.fromJSON(wrongShape)).toThrow(/ensemble\[0\]\.weights has/);
    const badNumber = structuredClone(good);
    badNumber.outputLayer.hiddenBias[0] = 'x';
    expect(() => KitNET.fromJSON(badNumber)).toThrow(/outputLayer\.hiddenBias is not a number/);
    const early = JSON.parse(JSON.stringify(new KitNET(FEATURES, options)));
    expect(() => KitNET.fromJSON({ ...early, featureMapper: null })).toThrow(/featureMapper must be an object/);
    expect(() => KitNET.fromJSON({ ...early, trained: FM + 1, featureMapper: { ...early.featureMapper, count: FM + 1 } })).toThrow(/no feature map/);
  });
});
