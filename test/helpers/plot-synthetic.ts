import { LogNormalThreshold } from '../../src/detect/threshold.js';
import { pyRepr } from '../../src/output/number.js';

/**
 * A deterministic synthetic score table for the plot tests: ROWS packets 10 ms apart; 100 map
 * and 400 train packets (rmse 0); executed packets with log(rmse) = −3 + 0.4·(a fixed
 * pseudo-random wave), logp from the fit N(−3, 0.4²) once FIT_FROM is reached (empty before:
 * grey points), and every SPIKE_EVERY-th executed packet a spike at rmse e^0 from 10.0.0.66
 * with alert 1.
 */
export const ROWS = 6000;
const MAP_END = 100;
const TRAIN_END = 500;
const FIT_FROM = 1500;
const SPIKE_EVERY = 400;
const T0 = 1_500_000_000;
const STEP = 0.01;

export function syntheticScoreTable(): { text: string; rows: number; alerts: number; alertRows: number[] } {
  const fit = new LogNormalThreshold(-3, 0.4, 1000);
  const lines = ['index\ttime\tsrc\tdst\tsport\tdport\tproto\trmse\tphase\tlogp\talert'];
  const alertRows: number[] = [];
  for (let i = 0; i < ROWS; i++) {
    const phase = i < MAP_END ? 'map' : i < TRAIN_END ? 'train' : 'exec';
    const spike = phase === 'exec' && (i - TRAIN_END) % SPIKE_EVERY === SPIKE_EVERY / 2;
    const wave = Math.sin(i * 12.9898) * Math.cos(i * 0.37) + 0.5 * Math.sin(i * 0.011);
    const rmse = phase === 'exec' ? (spike ? 1 : Math.exp(-3 + 0.4 * wave)) : 0;
    const fitted = phase === 'exec' && i >= FIT_FROM;
    const logp = fitted ? pyRepr(fit.logp(rmse)) : '';
    const alert = fitted ? (spike ? '1' : '0') : '';
    if (spike && fitted) alertRows.push(i);
    const src = spike ? '10.0.0.66' : `10.0.0.${2 + (i % 7)}`;
    lines.push(`${i}\t${pyRepr(T0 + i * STEP)}\t${src}\t10.0.0.1\t${1024 + (i % 50)}\t80\ttcp\t${pyRepr(rmse)}\t${phase}\t${logp}\t${alert}`);
  }
  return { text: `${lines.join('\n')}\n`, rows: ROWS, alerts: alertRows.length, alertRows };
}
