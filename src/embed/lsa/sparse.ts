// A compressed-sparse-row matrix (documents × terms) and the two products the SVD needs.

export interface CsrMatrix {
  rows: number;
  cols: number;
  /** rowStart[i]..rowStart[i+1] index the entries of row i. */
  rowStart: Int32Array;
  colIndex: Int32Array;
  values: Float64Array;
}

/** X · D for dense D (cols × width, row-major) → rows × width. */
export function multiplyDense(x: CsrMatrix, dense: Float64Array, width: number): Float64Array {
  const out = new Float64Array(x.rows * width);
  for (let i = 0; i < x.rows; i += 1) {
    const target = i * width;
    for (let p = x.rowStart[i] as number; p < (x.rowStart[i + 1] as number); p += 1) {
      const value = x.values[p] as number;
      const source = (x.colIndex[p] as number) * width;
      for (let c = 0; c < width; c += 1) out[target + c] = (out[target + c] as number) + value * (dense[source + c] as number);
    }
  }
  return out;
}

/** Xᵀ · D for dense D (rows × width, row-major) → cols × width. */
export function multiplyTransposeDense(x: CsrMatrix, dense: Float64Array, width: number): Float64Array {
  const out = new Float64Array(x.cols * width);
  for (let i = 0; i < x.rows; i += 1) {
    const source = i * width;
    for (let p = x.rowStart[i] as number; p < (x.rowStart[i + 1] as number); p += 1) {
      const value = x.values[p] as number;
      const target = (x.colIndex[p] as number) * width;
      for (let c = 0; c < width; c += 1) out[target + c] = (out[target + c] as number) + value * (dense[source + c] as number);
    }
  }
  return out;
}
