import { describe, expect, it } from 'vitest';
import { Autoencoder, hiddenSize } from '../src/kitnet/autoencoder.js';

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * dA.py written out element by element for 2 visible and 2 hidden units (no loops, no shared code):
 * the hand computation the autoencoder must reproduce.
 */
class HandAutoencoder {
  // W = RandomState(1234).uniform(-1/2, 1/2, (2, 2)) = -0.5 + u for numpy's first four draws
  // (0.1915194503788923, 0.6221087710398319, 0.4377277390071145, 0.7853585837137692).
  w = [
    [-0.5 + 0.1915194503788923, -0.5 + 0.6221087710398319],
    [-0.5 + 0.4377277390071145, -0.5 + 0.7853585837137692],
  ];
  hb = [0, 0];
  vb = [0, 0];
  min = [Infinity, Infinity];
  max = [-Infinity, -Infinity];

  forward(x: number[]) {
    const xn = [0, 1].map((i) => (x[i] - this.min[i]) / (this.max[i] - this.min[i] + 1e-16));
    const y = [0, 1].map((j) => sigmoid(xn[0] * this.w[0][j] + xn[1] * this.w[1][j] + this.hb[j]));
    const z = [0, 1].map((i) => sigmoid(y[0] * this.w[i][0] + y[1] * this.w[i][1] + this.vb[i]));
    const e = [xn[0] - z[0], xn[1] - z[1]];
    return { xn, y, e, rmse: Math.sqrt((e[0] * e[0] + e[1] * e[1]) / 2) };
  }

  train(x: number[]): number {
    for (const i of [0, 1]) {
      this.max[i] = Math.max(this.max[i], x[i]);
      this.min[i] = Math.min(this.min[i], x[i]);
    }
    const { xn, y, e, rmse } = this.forward(x);
    const d = [0, 1].map((j) => (e[0] * this.w[0][j] + e[1] * this.w[1][j]) * y[j] * (1 - y[j]));
    for (const i of [0, 1]) for (const j of [0, 1]) this.w[i][j] += 0.1 * (xn[i] * d[j] + e[i] * y[j]);
    for (const j of [0, 1]) this.hb[j] += 0.1 * d[j];
    for (const i of [0, 1]) this.vb[i] += 0.1 * e[i];
    return rmse;
  }
}

const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-15 * Math.abs(expected));

describe('Autoencoder (dA.py)', () => {
  it('sizes the hidden layer as ceil(0.75 n) and draws W from RandomState(1234)', () => {
    expect([1, 2, 3, 4, 10, 74].map((n) => hiddenSize(n, 0.75))).toEqual([1, 2, 3, 3, 8, 56]);
    const ae = new Autoencoder(2, 2, 0.1);
    expect(Array.from(ae.weights)).toEqual(new HandAutoencoder().w.flat());
    expect(Array.from(ae.normMin)).toEqual([Infinity, Infinity]);
    expect(Array.from(ae.normMax)).toEqual([-Infinity, -Infinity]);
  });

  it('first training step on 2 inputs, by hand', () => {
    // x = (1, 3): min = max = x, so the normalised x is (0, 0) and y = sigmoid(0) = (0.5, 0.5);
    // z = sigmoid(0.5 (W00 + W01)), sigmoid(0.5 (W10 + W11)) = 0.47672037117451915, 0.5278569136368525;
    // e = -z; RMSE = sqrt((z0^2 + z1^2) / 2) = 0.5029389791848484.
    const ae = new Autoencoder(2, 2, 0.1);
    close(ae.train(Float64Array.from([1, 3])), 0.5029389791848484);
    close(ae.errors[0], 0.47672037117451915 ** 2);
    close(ae.errors[1], 0.5278569136368525 ** 2);
  });

  it('follows the hand computation over training and execution', () => {
    const ae = new Autoencoder(2, 2, 0.1);
    const hand = new HandAutoencoder();
    const stream = [[1, 3], [2, 5], [0, 4], [1.5, 3.5], [2, 3], [0.5, 5]];
    for (let step = 0; step < 50; step++) {
      const x = stream[step % stream.length];
      close(ae.train(Float64Array.from(x)), hand.train(x));
    }
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) close(ae.weights[i * 2 + j], hand.w[i][j]);
      close(ae.visibleBias[i], hand.vb[i]);
      close(ae.hiddenBias[i], hand.hb[i]);
    }
    // execute: stored min/max (outside the range here), no update.
    for (const x of [[1, 4], [3, 9], [-2, 0]]) close(ae.execute(Float64Array.from(x)), hand.forward(x).rmse);
    expect(Array.from(ae.normMax)).toEqual([2, 5]);
    expect(ae.trained).toBe(50);
  });

  it('trainFeatures / executeFeatures read x[index[i]] and write the RMSE into a slot', () => {
    const a = new Autoencoder(3, 3, 0.1);
    const b = new Autoencoder(3, 3, 0.1);
    const out = new Float64Array(2);
    const index = Int32Array.from([4, 0, 2]);
    a.trainFeatures(Float64Array.from([2, 9, 3, 9, 1]), index, out, 1);
    expect(out[1]).toBe(b.train(Float64Array.from([1, 2, 3])));
    a.executeFeatures(Float64Array.from([5, 9, 7, 9, 6]), index, out, 0);
    expect(out[0]).toBe(b.execute(Float64Array.from([6, 5, 7])));
  });

  it('round-trips through JSON, Infinity and -0 included', () => {
    const ae = new Autoencoder(3, 3, 0.1);
    ae.train(Float64Array.from([-0, 1, 2]));
    const copy = Autoencoder.fromJSON(JSON.parse(JSON.stringify(ae)));
    expect(Object.is(copy.normMin[0], -0)).toBe(true);
    const fresh = Autoencoder.fromJSON(JSON.parse(JSON.stringify(new Autoencoder(2, 2, 0.1))));
    expect(Array.from(fresh.normMin)).toEqual([Infinity, Infinity]);
    for (const x of [[1, 2, 3], [0, 0, 5]]) expect(copy.train(Float64Array.from(x))).toBe(ae.train(Float64Array.from(x)));
    expect(() => Autoencoder.fromJSON({ ...ae.toJSON(), weights: [1, 2] })).toThrow(/weights has 2 values, expected 9/);
  });
});
