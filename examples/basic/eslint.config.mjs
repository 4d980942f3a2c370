// @ts-check
// The repository's rules, plus Node's globals for this package's plain JavaScript and CommonJS job scripts.
import root from '../../eslint.config.mjs';

const node = { console: 'readonly', process: 'readonly', performance: 'readonly', URL: 'readonly' };
const commonjs = { require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly', __filename: 'readonly' };

export default [
  ...root,
  // The root turns this rule off for bench/ and examples/ by path, which does not match from this folder.
  { rules: { 'no-restricted-syntax': 'off' } },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], languageOptions: { globals: node } },
  {
    files: ['workspace/**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: commonjs },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
