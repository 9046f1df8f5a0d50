/**
 * Single-linkage hierarchical clustering exactly as scipy 1.10 computes it (scipy/cluster/_hierarchy.pyx
 * `mst_single_linkage` + `label`, hierarchy.py `to_tree`), then Kitsune-py's split of the dendrogram into
 * clusters of at most maxClust leaves (KitNET/corClust.py `__breakClust__`).
 *
 * Ties are frequent in KitNET's distances (exact 0 for equal features, 1.1e-16 rounding noise), and the
 * tie-breaking below decides the order of the clusters and of the features inside them:
 * - Prim's minimum spanning tree from node 0: after adding x, every unmerged i (ascending) keeps
 *   D[i] = min(D[i], d(x, i)); the next node is the FIRST i with the strictly smallest D[i];
 *   the edge (x, y, D[y]) is recorded and x = y.
 * - The n - 1 edges are sorted by distance with a STABLE sort (numpy mergesort).
 * - Union-find relabelling: edge k merges the current roots of its ends into cluster n + k;
 *   the left child is the smaller root id.
 */

/** A linkage matrix: for merge k (cluster id n + k), its children and size. */
export interface Linkage {
  left: Int32Array;
  right: Int32Array;
  distance: Float64Array;
  size: Int32Array;
}

/** Index of pair (i, j), i < j, in a condensed distance matrix of n observations. */
function condensedIndex(n: number, i: number, j: number): number {
  return n * i - (i * (i + 1)) / 2 + (j - i - 1);
}

/** scipy `linkage(condensed, method='single')` for n >= 2 observations with finite distances. */
export function singleLinkage(condensed: Float64Array, n: number): Linkage {
  const merges = n - 1;
  const from = new Int32Array(merges);
  const to = new Int32Array(merges);
  const dist = new Float64Array(merges);

  const merged = new Uint8Array(n);
  const best = new Float64Array(n).fill(Infinity);
  let x = 0;
  let y = 0;
  for (let k = 0; k < merges; k++) {
    let currentMin = Infinity;
    merged[x] = 1;
    for (let i = 0; i < n; i++) {
      if (merged[i]) continue;
      const d = x < i ? condensed[condensedIndex(n, x, i)] : condensed[condensedIndex(n, i, x)];
      if (best[i] > d) best[i] = d;
      if (best[i] < currentMin) {
        y = i;
        currentMin = best[i];
      }
    }
    from[k] = x;
    to[k] = y;
    dist[k] = currentMin;
    x = y;
  }

  // Stable sort of the edges by distance (Array.prototype.sort is stable).
  const order = Array.from({ length: merges }, (_, k) => k).sort((a, b) => dist[a] - dist[b]);

  const parent = new Int32Array(2 * n - 1);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const clusterSize = new Int32Array(2 * n - 1).fill(1);
  const find = (v: number): number => {
    let root = v;
    while (parent[root] !== root) root = parent[root];
    while (parent[v] !== root) {
      const next = parent[v];
      parent[v] = root;
      v = next;
    }
    return root;
  };

  const result: Linkage = {
    left: new Int32Array(merges),
    right: new Int32Array(merges),
    distance: new Float64Array(merges),
    size: new Int32Array(merges),
  };
  for (let k = 0; k < merges; k++) {
    const e = order[k];
    const a = find(from[e]);
    const b = find(to[e]);
    const id = n + k;
    parent[a] = id;
    parent[b] = id;
    clusterSize[id] = clusterSize[a] + clusterSize[b];
    result.left[k] = Math.min(a, b);
    result.right[k] = Math.max(a, b);
    result.distance[k] = dist[e];
    result.size[k] = clusterSize[id];
  }
  return result;
}

/**
 * corClust.__breakClust__ on scipy's to_tree(Z): a node with at most maxClust leaves becomes one
 * cluster listing its leaves in pre-order (left first); a larger node recurses left, then right.
 */
export function splitClusters(z: Linkage, n: number, maxClust: number): number[][] {
  const clusters: number[][] = [];
  const count = (id: number): number => (id < n ? 1 : z.size[id - n]);
  const leaves = (id: number, out: number[]): void => {
    if (id < n) {
      out.push(id);
      return;
    }
    leaves(z.left[id - n], out);
    leaves(z.right[id - n], out);
  };
  const visit = (id: number): void => {
    if (count(id) <= maxClust) {
      const cluster: number[] = [];
      leaves(id, cluster);
      clusters.push(cluster);
      return;
    }
    visit(z.left[id - n]);
    visit(z.right[id - n]);
  };
  visit(2 * n - 2);
  return clusters;
}
