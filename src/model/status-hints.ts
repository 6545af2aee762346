// What a user should do about an HTTP error status from the model endpoint.

export interface HintContext {
  /** The model name sent, for "is this model available here?" hints. */
  readonly model: string;
  /** The configured key variable, if any, for authentication hints. */
  readonly apiKeyEnv: string | undefined;
}

export function statusHint(status: number, { model, apiKeyEnv }: HintContext): string {
  if (status === 401 || status === 403) {
    return apiKeyEnv === undefined
      ? 'the server wants an API key: export it in an environment variable and set apiKeyEnv to its name'
      : `check that ${apiKeyEnv} holds a valid key with access to model "${model}"` + ' (for GitHub Models in Actions, grant `permissions: models: read`)';
  }
  if (status === 404) return `not found: check the model URL (--model-url, or model.url) and that the server serves model "${model}" at this endpoint`;
  if (status === 413) return 'the request is too large: shorten the prompt or lower maxTokens';
  if (status === 429) return 'rate limited: lower concurrency or samples, or try again later';
  if (status >= 500) return 'the model server failed: check its logs or try again later';
  return `the server rejected the request: check the model name "${model}" and the generation options`;
}
