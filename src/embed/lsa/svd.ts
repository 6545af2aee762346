// Truncated SVD of a sparse matrix by randomized subspace iteration (Halko, Martinsson & Tropp,
// 2011): cost grows with the number of non-zeros, not with documents × vocabulary, so a 100k-entry
// corpus trains as readily as the seed. The small eigenproblem is solved with cyclic Jacobi.
import { gaussian, seededRandom } from './random.js';
import { multiplyDense, multiplyTransposeDense, type CsrMatrix } from './sparse.js';

export interface SvdOptions {
  /** Extra random directions beyond k (default 16). */
  oversample?: number;
  /** Power iterations sharpening the spectrum (default 3). */
  powerIterations?: number;
  seed?: number;
}

export interface TruncatedSvd {
  /** Right singular vectors, cols × k row-major (term-major): the projection. */
  components: Float64Array;
  singularValues: Float64Array;
  k: number;
}

/** Orthonormalizes the columns of a (n × width, row-major) in place (modified Gram–Schmidt). */
function orthonormalizeColumns(a: Float64Array, n: number, width: number): void {
  for (let j = 0; j < width; j += 1) {
    let before = 0;
    for (let i = 0; i < n; i += 1) before += (a[i * width + j] as number) ** 2;
    for (let q = 0; q < j; q += 1) {
      let dot = 0;
      for (let i = 0; i < n; i += 1) dot += (a[i * width + j] as number) * (a[i * width + q] as number);
      for (let i = 0; i < n; i += 1) a[i * width + j] = (a[i * width + j] as number) - dot * (a[i * width + q] as number);
    }
    let norm = 0;
    for (let i = 0; i < n; i += 1) norm += (a[i * width + j] as number) ** 2;
    norm = Math.sqrt(norm);
    // A dependent column (rank below width) becomes zero rather than noise; "dependent" is
    // relative to the column's own size, so matrices of tiny values keep their rank.
    const scale = norm > 1e-10 * Math.sqrt(before) && norm > 0 ? 1 / norm : 0;
    for (let i = 0; i < n; i += 1) a[i * width + j] = (a[i * width + j] as number) * scale;
  }
}

/** Eigen-decomposition of a symmetric matrix (size × size); returns values and column vectors. */
export function symmetricEigen(matrix: Float64Array, size: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(size * size);
  for (let i = 0; i < size; i += 1) v[i * size + i] = 1;
  let total = 0;
  for (let i = 0; i < a.length; i += 1) total += (a[i] as number) ** 2;
  for (let sweep = 0; sweep < 60; sweep += 1) {
    let off = 0;
    for (let p = 0; p < size; p += 1) for (let q = p + 1; q < size; q += 1) off += (a[p * size + q] as number) ** 2;
    // Converged when what is left off the diagonal is negligible next to the whole matrix.
    if (off <= 1e-24 * total) break;
    for (let p = 0; p < size; p += 1) {
      for (let q = p + 1; q < size; q += 1) {
        const apq = a[p * size + q] as number;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = ((a[q * size + q] as number) - (a[p * size + p] as number)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < size; k += 1) {
          const akp = a[k * size + p] as number;
          const akq = a[k * size + q] as number;
          a[k * size + p] = c * akp - s * akq;
          a[k * size + q] = s * akp + c * akq;
        }
        for (let k = 0; k < size; k += 1) {
          const apk = a[p * size + k] as number;
          const aqk = a[q * size + k] as number;
          a[p * size + k] = c * apk - s * aqk;
          a[q * size + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < size; k += 1) {
          const vkp = v[k * size + p] as number;
          const vkq = v[k * size + q] as number;
          v[k * size + p] = c * vkp - s * vkq;
          v[k * size + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(size);
  for (let i = 0; i < size; i += 1) values[i] = a[i * size + i] as number;
  return { values, vectors: v };
}

export function truncatedSvd(x: CsrMatrix, k: number, options: SvdOptions = {}): TruncatedSvd {
  const width = Math.min(k + (options.oversample ?? 16), x.rows, x.cols);
  const normal = gaussian(seededRandom(options.seed ?? 42));
  const omega = new Float64Array(x.cols * width);
  for (let i = 0; i < omega.length; i += 1) omega[i] = normal();

  // Only the document side (rows × width) is orthonormalized: it is small, while the vocabulary
  // side can be 30,000 rows; float64 keeps a few un-orthonormalized half-steps accurate.
  let y = multiplyDense(x, omega, width);
  orthonormalizeColumns(y, x.rows, width);
  for (let iteration = 0; iteration < (options.powerIterations ?? 3); iteration += 1) {
    y = multiplyDense(x, multiplyTransposeDense(x, y, width), width);
    orthonormalizeColumns(y, x.rows, width);
  }
  // B = Qᵀ X; we keep Bᵀ (cols × width) and solve the small problem B Bᵀ = Qᵀ (X Bᵀ) = U Λ Uᵀ.
  const bt = multiplyTransposeDense(x, y, width);
  const xbt = multiplyDense(x, bt, width);
  const gram = new Float64Array(width * width);
  for (let r = 0; r < x.rows; r += 1) {
    const row = r * width;
    for (let i = 0; i < width; i += 1) {
      const qi = y[row + i] as number;
      if (qi === 0) continue;
      for (let j = 0; j < width; j += 1) gram[i * width + j] = (gram[i * width + j] as number) + qi * (xbt[row + j] as number);
    }
  }
  // Symmetrize away rounding so Jacobi sees an exactly symmetric matrix.
  for (let i = 0; i < width; i += 1) {
    for (let j = 0; j < i; j += 1) {
      const mean = ((gram[i * width + j] as number) + (gram[j * width + i] as number)) / 2;
      gram[i * width + j] = mean;
      gram[j * width + i] = mean;
    }
  }
  const { values, vectors } = symmetricEigen(gram, width);
  const order = Array.from({ length: width }, (_, i) => i).sort((i, j) => (values[j] as number) - (values[i] as number) || i - j);
  const top = values[order[0] as number] as number;
  const kept = top > 0 ? order.filter((i) => (values[i] as number) > top * 1e-12).slice(0, k) : [];

  // V = Bᵀ U Σ⁻¹, one column per kept singular value.
  const outK = kept.length;
  const components = new Float64Array(x.cols * outK);
  const singularValues = new Float64Array(outK);
  // U Σ⁻¹ as a width × k matrix, then one pass over Bᵀ's rows.
  const mix = new Float64Array(width * outK);
  kept.forEach((eigen, column) => {
    const sigma = Math.sqrt(values[eigen] as number);
    singularValues[column] = sigma;
    for (let i = 0; i < width; i += 1) mix[i * outK + column] = (vectors[i * width + eigen] as number) / sigma;
  });
  for (let r = 0; r < x.cols; r += 1) {
    const target = r * outK;
    for (let i = 0; i < width; i += 1) {
      const b = bt[r * width + i] as number;
      if (b === 0) continue;
      const source = i * outK;
      for (let c = 0; c < outK; c += 1) components[target + c] = (components[target + c] as number) + b * (mix[source + c] as number);
    }
  }
  // Singular vectors are defined up to sign; fixing it keeps trained models byte-identical.
  for (let c = 0; c < outK; c += 1) {
    let largest = 0;
    for (let r = 0; r < x.cols; r += 1) {
      const value = components[r * outK + c] as number;
      if (Math.abs(value) > Math.abs(largest)) largest = value;
    }
    if (largest < 0) for (let r = 0; r < x.cols; r += 1) components[r * outK + c] = -(components[r * outK + c] as number);
  }
  return { components, singularValues, k: outK };
}
