// A CWE given by a user (a flag, a corpus entry, a data set) that is not a CWE id.
import { SecCoderError } from '../errors/seccoder-error.js';

export class InvalidCweError extends SecCoderError {
  override name = 'InvalidCweError';

  constructor(readonly value: string) {
    super(`invalid CWE ${JSON.stringify(value)}: expected a form like CWE-89`, {
      hint: 'write a CWE as CWE-<number>, e.g. CWE-89; "89" and "cwe-089" are read too',
    });
  }
}
