import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runKitsune } from './helpers/cli.js';
import { describeShared, readReferenceLines, REFERENCE, SHARED } from './helpers/shared.js';

/**
 * The commands themselves (not only the modules) against what Kitsune-py computed: decode's rows,
 * extract's features, train's feature map and score's RMSE from a feature table.
 */
interface Params {
  capture: string;
  fm_grace: number;
  ad_grace: number;
}

/** The tolerances: features rtol = atol = 1e-9; KitNET scores given the map rtol 1e-9. */
const TOLERANCE = 1e-9;

function folders(file: string): string[] {
  if (!existsSync(REFERENCE)) return [];
  return readdirSync(REFERENCE).filter((name) => existsSync(path.join(REFERENCE, name, file)));
}

function params(name: string): Params {
  return JSON.parse(readFileSync(path.join(REFERENCE, name, 'params.json'), 'utf8')) as Params;
}

function tableRows(text: string): string[][] {
  return text.replace(/\n$/, '').split('\n').map((line) => line.split('\t'));
}

describeShared('kitsune decode, extract, train and score against the Kitsune-py reference', () => {
  for (const name of folders('features.tsv.gz').slice(0, 3)) {
    it(`decode prints parsed.tsv exactly: ${name}`, async () => {
      const run = await runKitsune(['decode', path.join(SHARED, params(name).capture)]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`${readReferenceLines(path.join(REFERENCE, name, 'parsed.tsv.gz')).join('\n')}\n`);
    });

    it(`extract prints the 100 named features within 1e-9: ${name}`, async () => {
      const run = await runKitsune(['extract', path.join(SHARED, params(name).capture)]);
      expect(run.code).toBe(0);
      const [header, ...rows] = tableRows(run.stdout);
      const names = readReferenceLines(path.join(REFERENCE, 'headers.txt'));
      expect(header).toEqual(['index', 'time', ...names]);
      const reference = readReferenceLines(path.join(REFERENCE, name, 'features.tsv.gz')).map((line) => line.split('\t').map(Number));
      expect(rows).toHaveLength(reference.length);
      let outside = 0;
      rows.forEach((row, i) => {
        row.slice(2).forEach((cell, j) => {
          const want = reference[i][j];
          if (!(Math.abs(Number(cell) - want) <= TOLERANCE + TOLERANCE * Math.abs(want))) outside++;
        });
      });
      // Only pcc cells of noise-variance streams may fall outside (test/afterimage-reference.test.ts
      // checks each of them); they are rare.
      expect(outside / (rows.length * names.length)).toBeLessThan(1e-3);
    });
  }

  for (const name of folders('features.tsv.gz')) {
    it(`train --features learns Kitsune-py's feature map: ${name}`, async () => {
      const { fm_grace: fm, ad_grace: ad } = params(name);
      const model = path.join(mkdtempSync(path.join(tmpdir(), 'kitsune-ref-')), 'model.json');
      const features = path.join(REFERENCE, name, 'features.tsv.gz');
      const run = await runKitsune(['train', '--features', features, '--fm-grace', String(fm), '--ad-grace', String(ad), '-o', model]);
      expect(run.code).toBe(0);
      const learned = (JSON.parse(readFileSync(model, 'utf8')) as { featureMap: number[][] }).featureMap;
      expect(learned).toEqual(JSON.parse(readFileSync(path.join(REFERENCE, name, 'featuremap.json'), 'utf8')));
    });
  }

  for (const name of folders(path.join('kitnet-given-map', 'rmse.tsv.gz'))) {
    it(`score --features --feature-map gives Kitsune-py's KitNET scores within 1e-9: ${name}`, async () => {
      const { fm_grace: fm, ad_grace: ad } = params(name);
      const folder = path.join(REFERENCE, name);
      const run = await runKitsune([
        'score', '--features', path.join(folder, 'features.tsv.gz'), '--feature-map', path.join(folder, 'featuremap.json'),
        '--fm-grace', String(fm), '--ad-grace', String(ad), '--no-summary',
      ]);
      expect(run.code).toBe(0);
      const ours = tableRows(run.stdout).slice(1).map((row) => Number(row[7]));
      const reference = readReferenceLines(path.join(folder, 'kitnet-given-map', 'rmse.tsv.gz')).map(Number);
      expect(ours).toHaveLength(reference.length);
      ours.forEach((score, i) => {
        if (reference[i] === 0) expect(score).toBe(0);
        else expect(Math.abs(score - reference[i])).toBeLessThanOrEqual(TOLERANCE * Math.abs(reference[i]));
      });
    });
  }
});
