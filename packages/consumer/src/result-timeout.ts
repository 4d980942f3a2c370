import { ResultTimeoutError } from '@orchestra/core';

/**
 * `result` as it settles, or a rejection with `ResultTimeoutError` once `timeoutMs` pass first.
 * Only this wait ends: `result` itself (shared by every caller) is left to the book, told through
 * `onTimeout`, so a later call still gets the job's result.
 */
export function withinTimeout<T>(result: Promise<T>, timeoutMs: number, jobId: string, onTimeout: (error: ResultTimeoutError) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = new ResultTimeoutError(jobId, timeoutMs);
      reject(error);
      onTimeout(error);
    }, timeoutMs);
    result.finally(() => clearTimeout(timer)).then(resolve, reject);
  });
}
