// A compressed-sparse-row matrix (documents × terms) and the two products the SVD needs.

export interface CsrMatrix {
  rows: number;
  cols: number;
  /** rowStart[i]..rowStart[i+1] index the entries of row i. */
  rowStart: Int32Array;
  colIndex: Int32Array;
  values: Float64Array;
}

/**
 * X · D (rows × width) or, with `transpose`, Xᵀ · D (cols × width), for dense D (row-major). One
 * walk over X's non-zeros: the transpose only swaps which side of each product is read and written.
 */
function multiply(x: CsrMatrix, dense: Float64Array, width: number, transpose: boolean): Float64Array {
  const out = new Float64Array((transpose ? x.cols : x.rows) * width);
  for (let i = 0; i < x.rows; i += 1) {
    const rowBase = i * width;
    for (let p = x.rowStart[i] as number; p < (x.rowStart[i + 1] as number); p += 1) {
      const value = x.values[p] as number;
      const colBase = (x.colIndex[p] as number) * width;
      const target = transpose ? colBase : rowBase;
      const source = transpose ? rowBase : colBase;
      for (let c = 0; c < width; c += 1) out[target + c] = (out[target + c] as number) + value * (dense[source + c] as number);
    }
  }
  return out;
}

/** X · D for dense D (cols × width, row-major) → rows × width. */
export function multiplyDense(x: CsrMatrix, dense: Float64Array, width: number): Float64Array {
  return multiply(x, dense, width, false);
}

/** Xᵀ · D for dense D (rows × width, row-major) → cols × width. */
export function multiplyTransposeDense(x: CsrMatrix, dense: Float64Array, width: number): Float64Array {
  return multiply(x, dense, width, true);
}
