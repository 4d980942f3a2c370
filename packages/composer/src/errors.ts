import { OrchestraError } from '@orchestra/core';

/**
 * This composer's lease lapsed (it was paused, or cut off from the network): another composer may
 * be acting, so it stops, and the batch it was handed is left for its successor.
 */
export class LeaseLostError extends OrchestraError {
  constructor(composer: string) {
    super('ORCHESTRA_LEASE_LOST', `Composer ${composer} lost its lease and stopped acting`);
  }
}
