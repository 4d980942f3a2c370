/** The signals that stop a long-running command. */
const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Exit code after a second stop signal: 128 + SIGINT, what shells report for an interrupted command. */
export const EXIT_INTERRUPTED = 130;

/** Listens for SIGTERM and SIGINT while a role runs. */
export interface StopSignal {
  /** Resolves with the first stop signal received: the command then closes gracefully. */
  readonly received: Promise<NodeJS.Signals>;
  /** Stops listening (the default handlers, which end the process, apply again). */
  dispose(): void;
}

/**
 * Starts listening for SIGTERM and SIGINT. The first one resolves {@link StopSignal.received}; a
 * second one, while the graceful close is under way, calls `onSecond` (by default: exit at once
 * with code 130), for when the close takes longer than the person waiting is willing to.
 */
export function listenForStop(onSecond: (signal: NodeJS.Signals) => void = () => process.exit(EXIT_INTERRUPTED)): StopSignal {
  let resolveFirst!: (signal: NodeJS.Signals) => void;
  const received = new Promise<NodeJS.Signals>((resolve) => (resolveFirst = resolve));
  let count = 0;
  const handler = (signal: NodeJS.Signals): void => {
    count += 1;
    if (count === 1) resolveFirst(signal);
    else onSecond(signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  return {
    received,
    dispose: () => {
      for (const signal of STOP_SIGNALS) process.off(signal, handler);
    },
  };
}
