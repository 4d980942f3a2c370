import { describe, expect, it } from '@jest/globals';
import { JobOutOfMemoryError, ThreadCrashedError } from '../src/index.js';
import { deserializeError, isRetryable, serializeError, type SerializedError } from '../src/internal.js';

describe('JobOutOfMemoryError', () => {
  it('is a crashed thread with its own code, and crosses the network as itself', () => {
    const error = new JobOutOfMemoryError('Job j (eat.js) ran out of memory');
    expect(error).toBeInstanceOf(ThreadCrashedError);
    expect(error.code).toBe('ORCHESTRA_JOB_OUT_OF_MEMORY');
    expect(error.name).toBe('JobOutOfMemoryError');
    const back = deserializeError(JSON.parse(JSON.stringify(serializeError(error))) as SerializedError);
    expect(back).toBeInstanceOf(JobOutOfMemoryError);
    expect(back).toBeInstanceOf(ThreadCrashedError);
    expect(back.code).toBe('ORCHESTRA_JOB_OUT_OF_MEMORY');
    expect(back.message).toBe('Job j (eat.js) ran out of memory');
  });

  it('is not retried, unlike other crashes: the same job would fill the same heap again', () => {
    expect(isRetryable(serializeError(new JobOutOfMemoryError('out of memory')))).toBe(false);
    expect(isRetryable(serializeError(new ThreadCrashedError('exited')))).toBe(true);
  });
});
