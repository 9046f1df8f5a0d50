import type { ChalkInstance } from 'chalk';
import { pyRepr } from './number.js';

/** The closing report lists at most this many source/destination pairs. */
export const ALERT_GROUPS_SHOWN = 10;
/** Groups kept after a prune: the largest ones. */
export const ALERT_GROUPS_KEPT = 10_000;
/** A prune runs when this many groups are held (so its cost is amortised over the new ones). */
const ALERT_GROUPS_PRUNE_AT = 2 * ALERT_GROUPS_KEPT;

interface AlertGroup {
  src: string;
  dst: string;
  count: number;
  firstTime: number;
  lastTime: number;
  firstIndex: number;
  topScore: number;
}

/**
 * Alerts grouped by source and destination, for the closing report: count, first and last time
 * (packet index when scoring a feature table), top score. Groups are ordered by count, then top
 * score, then first appearance, so the report is deterministic.
 * Memory is bounded: an alert flood from spoofed sources would otherwise add a group per source. When
 * ALERT_GROUPS_PRUNE_AT groups are held, only the ALERT_GROUPS_KEPT largest stay; the alerts of the
 * dropped ones are counted apart (a dropped pair that alerts again starts a new group, so counts
 * are then lower bounds; the largest groups, the ones shown, are the ones kept).
 */
export class AlertSummary {
  private readonly groups = new Map<string, AlertGroup>();
  private droppedAlerts = 0;
  /** Whether rows had no time (a feature table): the report then gives row indexes. */
  private byRow = false;

  /** `time` NaN (a feature table row): the packet index stands in for it. */
  add(src: string, dst: string, time: number, index: number, rmse: number): void {
    if (Number.isNaN(time)) {
      time = index;
      this.byRow = true;
    }
    const key = `${src}\t${dst}`;
    const group = this.groups.get(key);
    if (group === undefined) {
      if (this.groups.size >= ALERT_GROUPS_PRUNE_AT) this.prune();
      this.groups.set(key, { src, dst, count: 1, firstTime: time, lastTime: time, firstIndex: index, topScore: rmse });
      return;
    }
    group.count++;
    group.lastTime = time;
    if (rmse > group.topScore) group.topScore = rmse;
  }

  /** Source/destination pairs held. */
  get pairs(): number {
    return this.groups.size;
  }

  private prune(): void {
    const ranked = [...this.groups.entries()].sort(([, a], [, b]) => byRank(a, b));
    for (const [key, group] of ranked.slice(ALERT_GROUPS_KEPT)) {
      this.droppedAlerts += group.count;
      this.groups.delete(key);
    }
  }

  report(paint: ChalkInstance): string {
    if (this.groups.size === 0) return '';
    const groups = [...this.groups.values()].sort(byRank);
    const span = this.byRow ? 'first row, last row' : 'first, last';
    const at = (t: number) => (this.byRow ? String(t) : pyRepr(t));
    const lines = [paint.bold(`alerts by source and destination (count, ${span}, top score):`)];
    for (const g of groups.slice(0, ALERT_GROUPS_SHOWN)) {
      lines.push(`  ${g.src || '-'} -> ${g.dst || '-'}\t${g.count}\t${at(g.firstTime)}\t${at(g.lastTime)}\t${pyRepr(g.topScore)}`);
    }
    if (this.droppedAlerts > 0) {
      lines.push(`  ... and more pairs (${this.droppedAlerts} alerts of smaller groups not kept: the summary holds at most ${ALERT_GROUPS_PRUNE_AT} pairs)`);
    } else if (groups.length > ALERT_GROUPS_SHOWN) {
      lines.push(`  ... and ${groups.length - ALERT_GROUPS_SHOWN} more pairs`);
    }
    return `${lines.join('\n')}\n`;
  }
}

/** Larger count first, then higher top score, then earlier first appearance. */
function byRank(a: AlertGroup, b: AlertGroup): number {
  return b.count - a.count || b.topScore - a.topScore || a.firstIndex - b.firstIndex;
}
