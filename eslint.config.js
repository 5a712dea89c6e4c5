// @ts-check
/**
 * ESLint: typescript-eslint's strict, type-checked rules on every TypeScript file of the
 * project (src, tests, scripts, simulator), each checked with the tsconfig it belongs to.
 * Formatting is Prettier's (npm run format:check); the layer rule is dependency-cruiser's.
 */
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.wrangler/', '.tmp/', 'coverage/', '**/*.js', '**/*.cjs'] },
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.json', './tsconfig.node.json', './test/integration/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Numbers and booleans read well in messages; objects and undefined still may not slip in.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `() => void work()` style callbacks are clear enough in arrow shorthand.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Dropping fields by destructuring (`const { secret, ...rest } = x`) is the point, not an oversight.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // `declare global { namespace Cloudflare { interface Env … } }` is how the Workers types are extended.
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
      // Interface merging (vitest's ProvidedContext) extends with a single type.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      // No line over Prettier's width (.prettierrc.json), strings and comments included: Prettier does not wrap those.
      'max-len': ['error', { code: 160, tabWidth: 2 }],
    },
  },
  {
    // Tests stand in for platform objects they never call (an unused D1Database).
    // Tests also build expected values with vitest's asymmetric matchers (expect.any(Number)), typed `any`.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-class-instance-assignment': 'off', '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
);
