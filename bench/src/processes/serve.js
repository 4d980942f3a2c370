// The child side of the bench's IPC: requests from the parent, answered one by one.

/**
 * Starts `init()`, reports `{ type: 'ready', ...info }` to the parent, then answers each request
 * `{ id, type, ...args }` with `{ id, ok, value | error }` from `handlers[type]`. A `close` request
 * runs `handlers.close` and exits. The child exits when the parent goes away, so a crashed bench
 * leaves nothing behind.
 */
export function serve(name, init) {
  process.on('disconnect', () => process.exit(1));
  init().then(
    ({ info = {}, handlers }) => {
      process.on('message', (request) => void answer(name, handlers, request));
      process.send({ type: 'ready', ...info });
    },
    (error) => {
      process.send({ type: 'failed', error: `${name}: ${error?.stack ?? String(error)}` });
      process.exit(1);
    },
  );
}

async function answer(name, handlers, { id, type, ...args }) {
  try {
    // Every child tells its CPU time (main thread and its worker threads), for per-process costs.
    const handler = type === 'cpu' ? () => process.cpuUsage() : handlers[type];
    if (handler === undefined) throw new Error(`${name}: unknown request ${type}`);
    const value = await handler(args);
    // After `close` the child exits once the reply is out; the parent then sees it exit.
    if (type === 'close') process.send({ type: 'reply', id, ok: true, value }, () => process.exit(0));
    else process.send({ type: 'reply', id, ok: true, value });
  } catch (error) {
    process.send({ type: 'reply', id, ok: false, error: `${name}: ${error?.stack ?? String(error)}` });
  }
}

