// What the ESLint analyzer runs, loaded on its first JavaScript or TypeScript function (eslint.ts
// imports this module dynamically: ESLint, the plugins and TypeScript take about a second to load,
// which a Python-only run should not pay).
//
// Rules come from the plugins' rule files rather than their entry points where the entry point
// cannot run inside the Action's single-file bundle: eslint-plugin-no-unsanitized's reads its
// package.json through `__dirname`, and @microsoft/eslint-plugin-sdl's requires its package.json by
// a computed path and loads eslint-plugin-react and eslint-plugin-n for configs we do not use.
// `eslint/universal` is ESLint's `Linter` alone, without the file-system API of `eslint`.
import { Linter } from 'eslint/universal';
import type { ESLint, Rule } from 'eslint';
import * as typescriptParser from '@typescript-eslint/parser';
import security from 'eslint-plugin-security';
import unsanitizedMethod from 'eslint-plugin-no-unsanitized/lib/rules/method.js';
import unsanitizedProperty from 'eslint-plugin-no-unsanitized/lib/rules/property.js';
import sdlAngularBypassSanitizer from '@microsoft/eslint-plugin-sdl/lib/rules/no-angular-bypass-sanitizer.js';
import sdlAngularSanitizationTrustedUrls from '@microsoft/eslint-plugin-sdl/lib/rules/no-angular-sanitization-trusted-urls.js';
import sdlAngularjsBypassSce from '@microsoft/eslint-plugin-sdl/lib/rules/no-angularjs-bypass-sce.js';
import sdlAngularjsEnableSvg from '@microsoft/eslint-plugin-sdl/lib/rules/no-angularjs-enable-svg.js';
import sdlAngularjsSanitizationWhitelist from '@microsoft/eslint-plugin-sdl/lib/rules/no-angularjs-sanitization-whitelist.js';
import sdlDocumentDomain from '@microsoft/eslint-plugin-sdl/lib/rules/no-document-domain.js';
import sdlDocumentWrite from '@microsoft/eslint-plugin-sdl/lib/rules/no-document-write.js';
import sdlElectronNodeIntegration from '@microsoft/eslint-plugin-sdl/lib/rules/no-electron-node-integration.js';
import sdlHtmlMethod from '@microsoft/eslint-plugin-sdl/lib/rules/no-html-method.js';
import sdlInnerHtml from '@microsoft/eslint-plugin-sdl/lib/rules/no-inner-html.js';
import sdlInsecureRandom from '@microsoft/eslint-plugin-sdl/lib/rules/no-insecure-random.js';
import sdlInsecureUrl from '@microsoft/eslint-plugin-sdl/lib/rules/no-insecure-url.js';
import sdlMsappExecUnsafe from '@microsoft/eslint-plugin-sdl/lib/rules/no-msapp-exec-unsafe.js';
import sdlPostmessageStarOrigin from '@microsoft/eslint-plugin-sdl/lib/rules/no-postmessage-star-origin.js';
import sdlUnsafeAlloc from '@microsoft/eslint-plugin-sdl/lib/rules/no-unsafe-alloc.js';
import sdlWinjsHtmlUnsafe from '@microsoft/eslint-plugin-sdl/lib/rules/no-winjs-html-unsafe.js';

/**
 * @microsoft/eslint-plugin-sdl 1.1.0's no-insecure-random takes the argument of every `require(x)`
 * for a string and throws on `require(name)` (a TypeError from path.basename), which would make a
 * whole function unanalyzable. Its `require` check (banned random-number packages) runs here only
 * when the argument is a string literal, the one case it was written for.
 */
export function requireOfStringOnly(rule: Rule.RuleModule): Rule.RuleModule {
  return {
    ...rule,
    create(context) {
      const listeners = rule.create(context);
      const guarded: Rule.RuleListener = {};
      for (const [selector, listener] of Object.entries(listeners)) {
        if (typeof listener !== 'function' || !selector.includes("callee.name='require'")) {
          guarded[selector] = listener;
          continue;
        }
        guarded[selector] = (node: Rule.Node) => {
          const argument = node.type === 'CallExpression' ? node.arguments[0] : undefined;
          if (argument?.type === 'Literal' && typeof argument.value === 'string') (listener as (node: Rule.Node) => void)(node);
        };
      }
      return guarded;
    },
  };
}

/** The plugins under the names their own configs use, so rule ids read as upstream documents them. */
export const ESLINT_PLUGINS: Record<string, ESLint.Plugin> = {
  security: { rules: security.rules },
  'no-unsanitized': { rules: { method: unsanitizedMethod, property: unsanitizedProperty } },
  '@microsoft/sdl': {
    rules: {
      'no-angular-bypass-sanitizer': sdlAngularBypassSanitizer,
      'no-angular-sanitization-trusted-urls': sdlAngularSanitizationTrustedUrls,
      'no-angularjs-bypass-sce': sdlAngularjsBypassSce,
      'no-angularjs-enable-svg': sdlAngularjsEnableSvg,
      'no-angularjs-sanitization-whitelist': sdlAngularjsSanitizationWhitelist,
      'no-document-domain': sdlDocumentDomain,
      'no-document-write': sdlDocumentWrite,
      'no-electron-node-integration': sdlElectronNodeIntegration,
      'no-html-method': sdlHtmlMethod,
      'no-inner-html': sdlInnerHtml,
      'no-insecure-random': requireOfStringOnly(sdlInsecureRandom),
      'no-insecure-url': sdlInsecureUrl,
      'no-msapp-exec-unsafe': sdlMsappExecUnsafe,
      'no-postmessage-star-origin': sdlPostmessageStarOrigin,
      'no-unsafe-alloc': sdlUnsafeAlloc,
      'no-winjs-html-unsafe': sdlWinjsHtmlUnsafe,
    } satisfies Record<string, Rule.RuleModule>,
  },
};

/** typescript-eslint's parser: TypeScript and TSX, without type information (no project, no tsconfig). */
export const TYPESCRIPT_PARSER: Linter.Parser = typescriptParser;

/** A Linter in flat-config mode: it reads no file and looks up no configuration. */
export function createLinter(): Linter {
  return new Linter({ configType: 'flat' });
}
