// @ts-check
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** `kafkajs` and any module under it (`kafkajs/src/...`), as a selector regex source. */
const KAFKAJS_MODULE = String.raw`/^kafkajs(\u002F|$)/`;
const KAFKAJS_ONLY_IN_LIBS_KAFKA =
  'kafkajs is used through @crm/kafka only (one client, one serializer, one send): import from @crm/kafka.';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.kafka/**',
      '.nx/**',
      'tools/kafka/.cache/**',
      'bench-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx, 'import-x': importX },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'import-x/no-cycle': ['error', { maxDepth: 10 }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          // A service's main installs the fast paths, then imports the rest with import() so that
          // kafkajs loads after them: an ordering, not code splitting, so static imports elsewhere
          // of the libs main imports lazily are fine (there is no bundle to keep them out of).
          checkDynamicDependenciesExceptions: ['@crm/**'],
          depConstraints: [
            // The contract (topics, schemas, event types) depends on nothing of ours.
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            // Replacements of library internals: nothing of ours but the contracts their specs check.
            { sourceTag: 'type:fast-paths', onlyDependOnLibsWithTags: ['type:contracts'] },
            {
              sourceTag: 'type:lib',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:fast-paths', 'type:lib'],
            },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib'] },
            // Apps never import each other; they meet only on Kafka topics.
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:contracts',
                'type:fast-paths',
                'type:lib',
                'type:testing',
              ],
            },
            // Normalizers share nothing but libs: one CRM's quirks never leak into another's.
            { sourceTag: 'kind:normalizer', notDependOnLibsWithTags: ['kind:normalizer'] },
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: [
                'type:contracts',
                'type:fast-paths',
                'type:lib',
                'type:testing',
              ],
            },
          ],
        },
      ],
    },
    settings: {
      'import-x/resolver-next': [],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.{ts,js,mjs,cjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'kafkajs', message: KAFKAJS_ONLY_IN_LIBS_KAFKA }],
          patterns: [{ group: ['kafkajs/*'], message: KAFKAJS_ONLY_IN_LIBS_KAFKA }],
        },
      ],
      'no-restricted-syntax': [
        'error',
        ...[
          `CallExpression[callee.name='require'][arguments.0.value=${KAFKAJS_MODULE}]`,
          `CallExpression[callee.property.name='resolve'][arguments.0.value=${KAFKAJS_MODULE}]`,
          `ImportExpression[source.value=${KAFKAJS_MODULE}]`,
        ].map((selector) => ({ selector, message: KAFKAJS_ONLY_IN_LIBS_KAFKA })),
      ],
    },
  },
  {
    // libs/kafka is the kafkajs wrapper. libs/fast-paths replaces kafkajs's private protocol
    // modules: it must load them by path and swap them in the module cache before kafkajs loads.
    files: ['libs/kafka/**', 'libs/fast-paths/**'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
  prettier,
);
