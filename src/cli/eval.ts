import { readFile } from 'node:fs/promises';
import { alertRuleOf, parseAlertP, parseThreshold } from './alert-options.js';
import { Command, Option } from 'commander';
import { InputError, UsageError } from '../errors.js';
import { DEFAULT_ALERT_P } from '../detect/threshold.js';
import { evaluate, formatEvalJson, formatEvalText } from '../eval/evaluate.js';
import { labelsFromHosts, labelsFromIndex, labelsFromSpans, MAX_LABELS_BYTES, parseLabelSpans } from '../eval/labels.js';
import { textBytes } from '../text-file.js';
import { readScoreTable } from '../eval/score-table.js';
import { tableFit } from '../eval/table-fit.js';
import { parseIntegerOption, refuseOverwritingInput, warn, writeWholeOutput } from './common.js';

interface EvalOptions {
  labels?: string;
  attackHosts?: string;
  attackFrom?: number;
  format: 'text' | 'json';
  alertP?: number;
  threshold?: number;
  fitEnd?: number;
  output?: string;
}

/** `--alert-p` / `--threshold` as an alert rule (shared by eval and plot). */


const EVAL_EXAMPLES = `
Examples:
  kitsune score capture.pcap -o scores.tsv && kitsune eval scores.tsv --attack-from 120000
  kitsune eval scores.tsv --labels labels.csv --format json      labels: index or START-END [,label] per line
  kitsune eval scores.tsv --attack-hosts 192.168.10.107,10.0.0.9`;

/** `kitsune eval`: detection metrics of a score table against ground truth. */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('ROC AUC, EER, TPR at FPR 0.001/0.01 and the alert precision/recall of a score table, over executed packets')
    .argument('<scores>', 'score table from kitsune score (TSV, CSV or JSONL, optionally gzipped; - for standard input)')
    .option('--labels <file>', 'ground truth: packet indexes or ranges (from 0) with optional 0/1 or benign/attack labels')
    .option('--attack-hosts <list>', 'ground truth: packets from or to these comma-separated addresses are attacks')
    .option('--attack-from <n>', 'ground truth: packets with index >= n are attacks', parseIntegerOption('--attack-from', 0))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--alert-p <p>', `alert when log-probability < log(p) under the log-normal fit (default ${DEFAULT_ALERT_P})`, parseAlertP)
    .option('--threshold <rmse>', 'alert when rmse > this instead', parseThreshold)
    .option('--fit-end <n>', 'refit the log-normal on executed packets with index < n, as Kitsune-py\'s example (default: the scorer\'s own fit, recovered from the logp column; without one, n = 100000)', parseIntegerOption('--fit-end', 1))
    .option('-o, --output <file>', 'write the report here instead of standard output')
    .addHelpText('after', EVAL_EXAMPLES)
    .action(async (scores: string, options: EvalOptions) => {
      const sources = [options.labels, options.attackHosts, options.attackFrom].filter((s) => s !== undefined).length;
      if (sources !== 1) throw new UsageError('give exactly one of --labels, --attack-hosts, --attack-from');
      const rule = alertRuleOf(options);
      refuseOverwritingInput(options.output, [scores, options.labels]);
      const table = await readScoreTable(scores, { hosts: options.attackHosts !== undefined });
      let labels: Uint8Array;
      if (options.labels !== undefined) {
        let text: Buffer;
        try {
          text = textBytes(await readFile(options.labels), MAX_LABELS_BYTES);
        } catch (error) {
          throw new InputError(options.labels, 0, 0, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message);
        }
        labels = labelsFromSpans(table, parseLabelSpans(text, options.labels));
      } else if (options.attackHosts !== undefined) {
        labels = labelsFromHosts(table, options.attackHosts, scores);
      } else {
        labels = labelsFromIndex(table, options.attackFrom!);
      }
      const { fit, source, warnings } = tableFit(table, options.fitEnd, rule);
      warnings.forEach(warn);
      const report = evaluate(table, labels, fit, rule, source);
      const text = options.format === 'json' ? formatEvalJson(report) : formatEvalText(report);
      await writeWholeOutput(options.output, text);
    });
}
