import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { FeatureMapper } from '../src/kitnet/feature-mapper.js';
import { KitNET } from '../src/kitnet/kitnet.js';
import { describeShared, readReferenceLines, REFERENCE } from './helpers/shared.js';

/**
 * KitNET against Kitsune-py's own output (../shared/reference, see KITSUNE-SEMANTICS.md section 3):
 * - the feature map learned from features rows 0..fm_grace equals featuremap.json, order included;
 * - with featuremap.json supplied, scores equal kitnet-given-map/rmse.tsv.gz within rtol 1e-9
 *   (exactly 0.0 for the fm_grace + ad_grace + 1 grace packets);
 * - learning the map itself (process() from packet 0), scores equal rmse.tsv.gz within rtol 1e-9:
 *   Kitsune-py computed that file from these very features.
 */

const RTOL = 1e-9;

interface Params {
  fm_grace: number;
  ad_grace: number;
  max_ae: number;
  learning_rate: number;
  hidden_ratio: number;
}

/** Every reference capture directory (torture ones included) that has Kitsune-py's features. */
function capturesWithFeatures(): string[] {
  if (!existsSync(REFERENCE)) return [];
  const dirs: string[] = [];
  const scan = (rel: string) => {
    for (const entry of readdirSync(path.join(REFERENCE, rel), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const sub = path.join(rel, entry.name);
      if (existsSync(path.join(REFERENCE, sub, 'features.tsv.gz'))) dirs.push(sub);
      else scan(sub);
    }
  };
  scan('');
  return dirs.sort();
}

const captures = capturesWithFeatures();

function load(capture: string) {
  const dir = path.join(REFERENCE, capture);
  const params = JSON.parse(readFileSync(path.join(dir, 'params.json'), 'utf8')) as Params;
  const rows = readReferenceLines(path.join(dir, 'features.tsv.gz')).map((line) => Float64Array.from(line.split('\t'), Number));
  const featureMap = JSON.parse(readFileSync(path.join(dir, 'featuremap.json'), 'utf8')) as number[][];
  const options = {
    maxAE: params.max_ae,
    fmGrace: params.fm_grace,
    adGrace: params.ad_grace,
    learningRate: params.learning_rate,
    hiddenRatio: params.hidden_ratio,
  };
  return { dir, params, rows, featureMap, options };
}

/** Scores every row and compares with a reference rmse file; returns the largest relative error. */
function compareScores(kitnet: KitNET, rows: Float64Array[], rmseFile: string, grace: number): number {
  const expected = readReferenceLines(rmseFile).map(Number);
  expect(expected.length).toBe(rows.length);
  let worst = 0;
  rows.forEach((x, i) => {
    const score = kitnet.process(x);
    if (i < grace) {
      expect(score, `packet ${i}`).toBe(0);
      expect(expected[i], `reference packet ${i}`).toBe(0);
      return;
    }
    const rel = Math.abs(score - expected[i]) / Math.abs(expected[i]);
    if (!(rel <= RTOL)) expect.fail(`packet ${i}: score ${score}, Kitsune-py ${expected[i]}`);
    worst = Math.max(worst, rel);
  });
  return worst;
}

describeShared('KitNET matches Kitsune-py', () => {
  it('finds reference captures with features', () => {
    expect(captures).toContain(path.join('torture', 'pcapng_ns_eth_plus_sll_comments'));
    expect(captures.length).toBeGreaterThanOrEqual(9);
  });

  for (const capture of captures) {
    it(`${capture}: feature map identical to featuremap.json`, () => {
      const { params, rows, featureMap, options } = load(capture);
      const mapper = new FeatureMapper(rows[0].length);
      for (let i = 0; i <= params.fm_grace; i++) mapper.update(rows[i]);
      expect(mapper.cluster(options.maxAE)).toEqual(featureMap);
      // The same map through KitNET's phases: built right after packet fm_grace.
      const kitnet = new KitNET(rows[0].length, options);
      for (let i = 0; i <= params.fm_grace; i++) {
        expect(kitnet.featureMap).toBeNull();
        kitnet.process(rows[i]);
      }
      expect(kitnet.featureMap).toEqual(featureMap);
    });

    it(`${capture}: scores equal rmse.tsv (map learned) within rtol 1e-9`, () => {
      const { dir, params, rows, options } = load(capture);
      const worst = compareScores(new KitNET(rows[0].length, options), rows, path.join(dir, 'rmse.tsv.gz'), params.fm_grace + params.ad_grace + 1);
      expect(worst).toBeLessThanOrEqual(RTOL);
    });

    const givenMap = path.join(REFERENCE, capture, 'kitnet-given-map', 'rmse.tsv.gz');
    if (existsSync(givenMap)) {
      it(`${capture}: scores with the given map equal kitnet-given-map/rmse.tsv within rtol 1e-9`, () => {
        const { params, rows, featureMap, options } = load(capture);
        const kitnet = new KitNET(rows[0].length, { ...options, featureMap });
        const worst = compareScores(kitnet, rows, givenMap, params.fm_grace + params.ad_grace + 1);
        expect(worst).toBeLessThanOrEqual(RTOL);
      });
    }
  }
});
