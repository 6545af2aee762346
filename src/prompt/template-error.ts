// The one error a template can raise: a typo in a template file must fail loudly, not render blank.
import { SecCoderError } from '../errors/seccoder-error.js';

export class TemplateError extends SecCoderError {
  override name = 'TemplateError';
  constructor(
    /** Template file name (e.g. `chat-user.md`), or `template` for inline sources. */
    readonly template: string,
    /** The placeholder or tag at fault, when there is one. */
    readonly placeholder: string | undefined,
    detail: string,
  ) {
    super(`${template}: ${detail}`);
  }
}
