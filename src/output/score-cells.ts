import type { Phase } from '../kitnet/kitnet.js';
import { ALERT_UNKNOWN } from '../detect/decision.js';
import { writeInteger, writePyRepr, PY_REPR_MAX_LENGTH } from './number.js';

const PHASE_TEXT_MAX = 'train'.length;
const ALERT_TEXT_MAX = '-1'.length;
const SEPARATORS = 3;
/** Bytes the four cells take at most. */
export const SCORE_CELLS_MAX_BYTES = 2 * PY_REPR_MAX_LENGTH + PHASE_TEXT_MAX + ALERT_TEXT_MAX + SEPARATORS;

/**
 * The score table's last four cells, `rmse phase logp alert`, as TSV or CSV bytes (cli/score.ts
 * SCORE_COLUMNS; the same text as TableWriter makes of the numbers: rmse and logp as Python's repr,
 * an empty logp before the fit, an empty alert while unknown, else 0 or 1). Written where the
 * score is decided, possibly on a KitNET worker thread, so that the reading thread only copies them.
 * Returns the position after the last cell; `separator` is the byte between cells.
 */
export function writeScoreCells(
  out: Uint8Array,
  at: number,
  separator: number,
  rmse: number,
  phase: Phase,
  logp: number,
  alert: number,
): number {
  let p = writePyRepr(rmse, out, at);
  out[p++] = separator;
  for (let i = 0; i < phase.length; i++) out[p++] = phase.charCodeAt(i);
  out[p++] = separator;
  if (!Number.isNaN(logp)) p = writePyRepr(logp, out, p);
  out[p++] = separator;
  if (alert !== ALERT_UNKNOWN) p = writeInteger(alert, out, p);
  return p;
}
