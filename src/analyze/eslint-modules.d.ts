// Types for the ESLint plugins the ESLint analyzer loads (eslint-rules.ts): none of them ships its
// own, and only the shape ESLint needs is used.

declare module 'eslint-plugin-security' {
  const plugin: { rules: Record<string, import('eslint').Rule.RuleModule> };
  export default plugin;
}

declare module 'eslint-plugin-no-unsanitized/lib/rules/*.js' {
  const rule: import('eslint').Rule.RuleModule;
  export default rule;
}

declare module '@microsoft/eslint-plugin-sdl/lib/rules/*.js' {
  const rule: import('eslint').Rule.RuleModule;
  export default rule;
}
