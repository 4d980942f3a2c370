import { Composer } from '@orchestra/composer';
import { parseComposerArgs } from '../args/composer-args.js';
import type { CliIo } from '../io.js';
import { listenForStop } from '../lifecycle/stop-signal.js';
import { lineLogger } from '../line-logger.js';
import { connectNetwork } from '../network/connect-network.js';
import { COMPOSER_USAGE } from '../usage.js';
import type { Command } from './command.js';

/** How often the command looks whether its composer has started acting, to say so once. */
const ACTING_POLL_MS = 200;

/** Logs one line when `composer` starts acting (at once, or when a standby takes over). */
function announceActing(composer: Composer, io: CliIo): () => void {
  const timer = setInterval(() => {
    const { acting, epoch } = composer.stats();
    if (!acting) return;
    clearInterval(timer);
    io.stdout.write(`orchestra composer: acting (lease epoch ${String(epoch)})\n`);
  }, ACTING_POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** `orchestra composer`: runs a composer on Redis until SIGTERM or SIGINT. */
export const composerCommand: Command = {
  async run(argv, io) {
    const args = parseComposerArgs(argv, io.env);
    if (args === 'help') {
      io.stdout.write(COMPOSER_USAGE);
      return 0;
    }
    const logger = lineLogger((line) => io.stderr.write(line));
    const network = await connectNetwork(args.network, logger, COMPOSER_USAGE);
    const stop = listenForStop();
    try {
      const composer = new Composer(network, { leaseMs: args.leaseMs, instrumentLeaseMs: args.instrumentLeaseMs, logger, ...(args.id === undefined ? {} : { id: args.id }) });
      io.stdout.write(
        `orchestra composer: started; id ${composer.id}, namespace ${network.namespace}, redis ${network.target}\n`,
      );
      const stopAnnouncing = announceActing(composer, io);
      const signal = await stop.received;
      stopAnnouncing();
      io.stdout.write(`orchestra composer: stopping (${signal}); releasing the lease\n`);
      await composer.close();
      await network.close();
      io.stdout.write('orchestra composer: stopped\n');
      return 0;
    } finally {
      stop.dispose();
      await network.close();
    }
  },
};
