import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerEval } from '../src/cli/eval.js';
import { DEFAULT_ALERT_RULE, LogNormalThreshold } from '../src/detect/threshold.js';
import { evaluate, formatEvalJson, formatEvalText } from '../src/eval/evaluate.js';
import { labelsFromIndex } from '../src/eval/labels.js';
import { parseScoreTable } from '../src/eval/score-table.js';
import { fitScoreTable, recoverScorerFit, tableFit } from '../src/eval/table-fit.js';
import { UsageError } from '../src/errors.js';

/**
 * Two grace rows, then executed rows 2..9 with scores e^0, e^2, e^0, e^2, e^0, e^2 (benign: logs
 * 0 and 2 alternate, mean 1, population std 1) and attacks at 8, 9 with e^5 and e^0.5.
 */
const SCORES = [0, 0, 1, Math.exp(2), 1, Math.exp(2), 1, Math.exp(2), Math.exp(5), Math.exp(0.5)];
const TEXT = ['index\ttime\tsrc\tdst\tsport\tdport\tproto\trmse\tphase\tlogp\talert',
  ...SCORES.map((r, i) => `${i}\t${i}\ta\tb\t\t\tudp\t${r}\t${i < 2 ? 'train' : 'exec'}\t\t`)].join('\n') + '\n';
const TABLE = parseScoreTable(TEXT);

describe('evaluate', () => {
  it('fits on executed rows below --fit-end and reports metrics over executed rows', () => {
    const fit = fitScoreTable(TABLE, 8);
    expect(fit.n).toBe(6);
    expect(fit.mu).toBeCloseTo(1, 14);
    expect(fit.sigma).toBeCloseTo(1, 14);
    const report = evaluate(TABLE, labelsFromIndex(TABLE, 8), fit, { kind: 'p', p: 0.025 });
    // 8 executed rows, attacks 8 and 9.
    expect([report.executed, report.attacks, report.benign]).toEqual([8, 2, 6]);
    // Attack e^5 beats all 6 benign; e^0.5 beats the three e^0 and loses to the three e^2: 9/12.
    expect(report.auc).toBe(0.75);
    // ROC: (0,½) at e^5, (½,½) at e^2, (½,1) at e^0.5, (1,1): FPR = FNR = ½ at (½,½).
    expect(report.eer).toBe(0.5);
    expect(report.tpr_at_fpr_0_001).toBe(0.5);
    // Threshold at P = 0.025: exp(mu + sigma·1.959963984540054) = e^2.96: only e^5 alerts.
    expect(report.threshold_rmse).toBeCloseTo(Math.exp(2.959963984540054), 12);
    expect([report.alerts, report.precision, report.recall]).toEqual([1, 1, 0.5]);
  });

  it('uses a fixed --threshold when given', () => {
    const report = evaluate(TABLE, labelsFromIndex(TABLE, 8), new LogNormalThreshold(NaN, NaN, 0), { kind: 'rmse', rmse: 1.5 });
    // Above 1.5: three e^2 (benign), e^5 and e^0.5 = 1.65 (attacks): precision 2/5, recall 1.
    expect([report.threshold_rmse, report.alerts, report.precision, report.recall]).toEqual([1.5, 5, 0.4, 1]);
    expect(formatEvalJson(report)).toContain('"mu":null');
  });

  it('formats JSON with the documented keys and text for people', () => {
    const report = evaluate(TABLE, labelsFromIndex(TABLE, 8), fitScoreTable(TABLE, 8), { kind: 'p', p: 1e-6 });
    const json = JSON.parse(formatEvalJson(report)) as Record<string, unknown>;
    for (const key of ['auc', 'eer', 'tpr_at_fpr_0_001', 'tpr_at_fpr_0_01', 'precision', 'recall', 'threshold_rmse', 'executed', 'attacks', 'benign']) {
      expect(key in json).toBe(true);
    }
    // No alert at P = 1e-6 (threshold e^(1+4.753) > e^5): precision undefined -> null.
    expect(json.precision).toBeNull();
    expect(formatEvalText(report)).toMatch(/^executed packets  8\n/);
  });
});

describe('kitsune eval command', () => {
  async function run(args: string[]): Promise<void> {
    const program = new Command().exitOverride();
    registerEval(program);
    await program.parseAsync(['eval', ...args], { from: 'user' });
  }

  it('writes the JSON report to --output', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kitsune-eval-'));
    const scores = path.join(dir, 's.tsv');
    const labels = path.join(dir, 'labels.csv');
    const out = path.join(dir, 'r.json');
    writeFileSync(scores, TEXT);
    writeFileSync(labels, 'start,end,label\n8,9,attack\n');
    await run([scores, '--labels', labels, '--format', 'json', '--fit-end', '8', '--alert-p', '0.025', '-o', out]);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Record<string, number>;
    expect([report.auc, report.attacks, report.recall]).toEqual([0.75, 2, 0.5]);
  });

  it('needs exactly one ground truth and at most one alert rule', async () => {
    await expect(run(['x.tsv'])).rejects.toThrow(UsageError);
    await expect(run(['x.tsv', '--attack-from', '3', '--attack-hosts', 'a'])).rejects.toThrow(UsageError);
    await expect(run(['x.tsv', '--attack-from', '3', '--alert-p', '0.1', '--threshold', '2'])).rejects.toThrow(UsageError);
  });
});

describe("the scorer's own fit, recovered from the logp column", () => {
  // The TABLE's scores again, now with the logp a scorer with mu = 1, sigma = 1 writes: logp =
  // log sf(ln rmse - 1). Rows 2..7 are its calibration (no logp yet), as kitsune score leaves them.
  const scorer = new LogNormalThreshold(1, 1, 6);
  const withLogp = ['index\ttime\tsrc\tdst\tsport\tdport\tproto\trmse\tphase\tlogp\talert',
    ...SCORES.map((r, i) => `${i}\t${i}\ta\tb\t\t\tudp\t${r}\t${i < 2 ? 'train' : 'exec'}\t${i >= 8 ? scorer.logp(r) : ''}\t`)].join('\n') + '\n';
  const table = parseScoreTable(withLogp);

  it('gives back mu and sigma from two logp cells (z = ln rmse - 1 is 4 and -0.5)', () => {
    const recovered = recoverScorerFit(table);
    expect(recovered?.n).toBe(2);
    expect(recovered?.mu).toBeCloseTo(1, 9);
    expect(recovered?.sigma).toBeCloseTo(1, 9);
    expect(tableFit(table, undefined, DEFAULT_ALERT_RULE).source).toBe('scorer');
  });

  it('refits when asked (--fit-end) or when the table has no logp', () => {
    expect(tableFit(table, 8, DEFAULT_ALERT_RULE).source).toBe('refit');
    expect(recoverScorerFit(TABLE)).toBeUndefined();
    const fallback = tableFit(TABLE, undefined, DEFAULT_ALERT_RULE);
    // Without logp: example.py's refit over every executed row (index < 100000), attacks included.
    expect([fallback.source, fallback.fit.n]).toEqual(['refit', 8]);
  });
});

describe('warnings about the fit a table is judged by', () => {
  const header = 'index\ttime\tsrc\tdst\tsport\tdport\tproto\trmse\tphase\tlogp\talert';
  const scorer = new LogNormalThreshold(1, 1, 6);
  const rule = { kind: 'p', p: 0.025 } as const;
  /** Rows of SCORES with the logp and alert a scorer with `fit` and `rule` writes from row 8. */
  const scoredBy = (fit: LogNormalThreshold, shift = 0) =>
    SCORES.map((r, i) => {
      const decided = i >= 8;
      const logp = decided ? fit.logp(r) : '';
      const alert = decided ? (fit.isAlert(rule, r) ? 1 : 0) : '';
      return `${i + shift}\t${i}\ta\tb\t\t\tudp\t${r}\t${i < 2 ? 'train' : 'exec'}\t${logp}\t${alert}`;
    });

  it('none when the table was scored with this rule', () => {
    const table = parseScoreTable([header, ...scoredBy(scorer)].join('\n') + '\n');
    expect(tableFit(table, undefined, rule).warnings).toEqual([]);
  });

  it('counts alert cells another rule decided (here --threshold 2: row 9, e^0.5 = 1.65, differs)', () => {
    const table = parseScoreTable([header, ...scoredBy(scorer)].join('\n') + '\n');
    // Under P = 0.025 (threshold e^2.96) e^5 alerts and e^0.5 does not; under rmse > 1.5 both do.
    expect(tableFit(table, undefined, { kind: 'rmse', rmse: 1.5 }).warnings).toEqual([
      "1 rows' own alert cells differ from this rule (scored with another --alert-p or --threshold, or a --warmup?)",
    ]);
  });

  it('refits, saying so, when the logp cells come from two fits (tables of two runs joined)', () => {
    const other = new LogNormalThreshold(0, 2, 6);
    const table = parseScoreTable([header, ...scoredBy(scorer), ...scoredBy(other, 10)].join('\n') + '\n');
    const judged = tableFit(table, undefined, rule);
    expect(judged.source).toBe('refit');
    expect(judged.warnings[0]).toMatch(/^the table's logp cells give no single log-normal fit/);
  });
});
