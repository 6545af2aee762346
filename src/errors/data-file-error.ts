// A data file SecCoder reads (a corpus's CWE examples, the seed's fix pairs, the eval's scenario
// sets) holds something it cannot use: the file and line say where, the reason what.
import { SecCoderError, type SecCoderErrorOptions } from './seccoder-error.js';

export class DataFileError extends SecCoderError {
  override name = 'DataFileError';

  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
    options: SecCoderErrorOptions = {},
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${reason}`, options);
  }
}
