/**
 * Interns the strings AfterImage keys are made of (MACs, IPs, ports, 'arp', 'icmp', '') as small
 * integer ids, shared by all four stream tables. The decoder mostly hands over the same string
 * objects again (cached), whose hash V8 keeps, so one Map lookup per component is cheap; stream keys
 * are then found from a pair of ids without concatenating strings (see StreamTable.lookup).
 */
export class ComponentInterner {
  private readonly ids = new Map<string, number>();
  private readonly texts: string[] = [];

  /** The id of `text`, assigning the next one if new. */
  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.texts.push(text);
      this.ids.set(text, id);
    }
    return id;
  }

  text(id: number): string {
    return this.texts[id];
  }

  get size(): number {
    return this.texts.length;
  }

  /**
   * Keeps only the components with keep[id] = 1, renumbered in order; returns old id -> new id
   * (-1 for dropped ones). Used by eviction so that spoofed addresses do not pile up here.
   */
  compact(keep: Uint8Array): Int32Array {
    const remap = new Int32Array(this.texts.length).fill(-1);
    const kept: string[] = [];
    this.ids.clear();
    for (let id = 0; id < this.texts.length; id++) {
      if (keep[id] !== 1) continue;
      remap[id] = kept.length;
      this.ids.set(this.texts[id], kept.length);
      kept.push(this.texts[id]);
    }
    this.texts.length = 0;
    for (const text of kept) this.texts.push(text);
    return remap;
  }

  toJSON(): string[] {
    return this.texts.slice();
  }

  static fromJSON(texts: readonly string[]): ComponentInterner {
    const interner = new ComponentInterner();
    for (const text of texts) interner.id(text);
    return interner;
  }
}
