import { LogNormalFitter } from './log-normal.js';
import { LogNormalThreshold } from './threshold.js';

/** What the model file keeps of a calibration: its length, the scores so far (until fitted) and the fit. */
export interface CalibrationJson {
  target: number;
  scores: number[];
  fit: ReturnType<LogNormalThreshold['toJSON']> | null;
}

/**
 * The calibration stretch: the first `target` executed scores are collected, then a log-normal is
 * fitted to them (detect/log-normal.ts, Kitsune-py example.py's fit). Until then there is no fit, and
 * the score table leaves `logp` and `alert` empty. Kitsune-py's example fits the executed packets
 * up to index 99,999, i.e. target = 100000 - fmGrace - adGrace - 1 with its defaults.
 */
export class Calibration {
  private scores: number[] = [];

  constructor(
    readonly target: number,
    private fitted: LogNormalThreshold | null = null,
  ) {}

  /** The fit, once the stretch is complete. */
  get fit(): LogNormalThreshold | null {
    return this.fitted;
  }

  get collected(): number {
    return this.fitted ? this.fitted.n : this.scores.length;
  }

  /** Adds one executed score; fits when the stretch is complete. */
  observe(rmse: number): void {
    if (this.fitted) return;
    this.scores.push(rmse);
    if (this.scores.length >= this.target) this.finish();
  }

  /** Fits on what was collected (a capture shorter than the stretch); no-op when already fitted or empty. */
  finish(): void {
    if (this.fitted || this.scores.length === 0) return;
    const fitter = new LogNormalFitter();
    for (const rmse of this.scores) fitter.add(rmse);
    const { mu, sigma, n } = fitter.fit();
    if (n > 0) this.fitted = new LogNormalThreshold(mu, sigma, n);
    this.scores = [];
  }

  toJSON(): CalibrationJson {
    return { target: this.target, scores: [...this.scores], fit: this.fitted?.toJSON() ?? null };
  }

  static fromJSON(json: unknown): Calibration {
    const state = json as Partial<CalibrationJson> | null;
    if (
      typeof state !== 'object' || state === null || !Number.isSafeInteger(state.target) ||
      !Array.isArray(state.scores) || !state.scores.every((s) => typeof s === 'number')
    ) {
      throw new Error('calibration must be {target: integer, scores: number[], fit: object | null}');
    }
    const calibration = new Calibration(state.target as number, state.fit ? LogNormalThreshold.fromJSON(state.fit) : null);
    calibration.scores = [...state.scores];
    return calibration;
  }
}
