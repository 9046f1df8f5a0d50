import path from 'node:path';
import { Command, Option } from 'commander';
import { DEFAULT_ALERT_P } from '../detect/threshold.js';
import { readScoreTable } from '../eval/score-table.js';
import { tableFit } from '../eval/table-fit.js';
import { renderHtml } from '../plot/html.js';
import { buildPlotData, type XAxis } from '../plot/plot-data.js';
import { DEFAULT_SVG_SIZE, renderSvg } from '../plot/svg.js';
import { parseIntegerOption, refuseOverwritingInput, warn, writeWholeOutput } from './common.js';
import { alertRuleOf, parseAlertP, parseThreshold } from './alert-options.js';
import { UsageError } from '../errors.js';

interface PlotOptions {
  output?: string;
  format?: 'html' | 'svg';
  x: XAxis;
  alertP?: number;
  threshold?: number;
  fitEnd?: number;
  title?: string;
  width: number;
  height: number;
}

const MIN_SVG_SIZE = 200;
/** Output extensions and the format each means; a file without an extension gets HTML. */
const FORMAT_BY_EXTENSION: Readonly<Record<string, 'html' | 'svg'>> = { '.html': 'html', '.htm': 'html', '.svg': 'svg', '': 'html' };

/** The format --output's extension asks for (HTML on standard output); another extension is refused. */
function formatFromOutput(output: string | undefined): 'html' | 'svg' {
  if (output === undefined || output === '-') return 'html';
  const format = FORMAT_BY_EXTENSION[path.extname(output).toLowerCase()];
  if (format === undefined) throw new UsageError(`plot writes HTML or SVG, not '${path.extname(output)}': name ${output} .html or .svg, or give --format`);
  return format;
}

const PLOT_EXAMPLES = `
Examples:
  kitsune score capture.pcap -o scores.tsv && kitsune plot scores.tsv -o scores.html
  kitsune plot scores.tsv -o scores.svg --x index --title "sample capture"`;

/** `kitsune plot`: the scores over time as an interactive HTML page or a static SVG. */
export function registerPlot(program: Command): void {
  program
    .command('plot')
    .description('plot a score table: RMSE over time on a log axis, coloured by log-probability, with the threshold, the grace period and the alerts')
    .argument('<scores>', 'score table from kitsune score (TSV, CSV or JSONL, optionally gzipped; - for standard input)')
    .option('-o, --output <file>', 'write here (.svg: a static SVG; .html or no extension: a self-contained HTML page); default standard output')
    .addOption(new Option('--format <format>', 'html or svg (default: from the --output extension, else html)').choices(['html', 'svg']))
    .addOption(new Option('--x <axis>', 'x axis').choices(['time', 'index']).default('time'))
    .option('--alert-p <p>', `threshold line where the log-normal fit's log-probability is log(p) (default ${DEFAULT_ALERT_P})`, parseAlertP)
    .option('--threshold <rmse>', 'draw the threshold line at this rmse instead', parseThreshold)
    .option('--fit-end <n>', 'refit the log-normal on executed packets with index < n, as Kitsune-py\'s example (default: the scorer\'s own fit, recovered from the logp column; without one, n = 100000)', parseIntegerOption('--fit-end', 1))
    .option('--title <text>', 'title (default: the score file name)')
    .option('--width <px>', 'SVG width', parseIntegerOption('--width', MIN_SVG_SIZE), DEFAULT_SVG_SIZE.width)
    .option('--height <px>', 'SVG height', parseIntegerOption('--height', MIN_SVG_SIZE), DEFAULT_SVG_SIZE.height)
    .addHelpText('after', PLOT_EXAMPLES)
    .action(async (scores: string, options: PlotOptions) => {
      const rule = alertRuleOf(options);
      refuseOverwritingInput(options.output, [scores]);
      const format = options.format ?? formatFromOutput(options.output);
      const table = await readScoreTable(scores, { hosts: true });
      const { fit, warnings } = tableFit(table, options.fitEnd, rule);
      warnings.forEach(warn);
      const data = buildPlotData(table, fit, rule, {
        x: options.x,
        title: options.title ?? `kitsune scores: ${scores === '-' ? 'standard input' : path.basename(scores)}`,
      });
      const text = format === 'svg' ? renderSvg(data, { width: options.width, height: options.height }) : renderHtml(data);
      await writeWholeOutput(options.output, text);
    });
}
