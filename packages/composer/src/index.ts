/** `@orchestra/composer`: the queue and the dispatcher. */
export { Composer, type ComposerOptions, type ComposerStats } from './composer.js';
