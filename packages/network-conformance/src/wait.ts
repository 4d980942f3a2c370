// The one poll-until lives in core; the conformance suite re-exports it for adapter authors and tests.
export { waitUntil } from '@orchestra/core/internal';
