import { Workspace, WorkspaceError } from '@orchestra/core';
import { Instrument } from '@orchestra/instrument';
import { parseInstrumentArgs } from '../args/instrument-args.js';
import { CliUsageError } from '../errors.js';
import { listenForStop } from '../lifecycle/stop-signal.js';
import { lineLogger } from '../line-logger.js';
import { connectNetwork } from '../network/connect-network.js';
import { INSTRUMENT_USAGE } from '../usage.js';
import type { Command } from './command.js';

/** Opens the workspace folder; a folder that is missing or not a folder is a usage error. */
function openWorkspace(root: string): Workspace {
  try {
    return new Workspace(root);
  } catch (error) {
    if (error instanceof WorkspaceError) throw new CliUsageError(`--workspace: ${error.message}`, INSTRUMENT_USAGE);
    throw error;
  }
}

/** `orchestra instrument`: runs an instrument on Redis until SIGTERM or SIGINT. */
export const instrumentCommand: Command = {
  async run(argv, io) {
    const args = parseInstrumentArgs(argv, io.env);
    if (args === 'help') {
      io.stdout.write(INSTRUMENT_USAGE);
      return 0;
    }
    // Checked before Redis, so a typo in the folder is reported without waiting for a connection.
    const workspace = openWorkspace(args.workspace);
    const logger = lineLogger((line) => io.stderr.write(line));
    const network = await connectNetwork(args.network, logger, INSTRUMENT_USAGE);
    const stop = listenForStop();
    try {
      const instrument = new Instrument(network, workspace, args.threads, {
        logger,
        closeGraceMs: args.closeGraceMs,
        resourceLimits: args.resourceLimits,
        ...(args.id === undefined ? {} : { id: args.id }),
      });
      const heap = args.resourceLimits.maxOldGenerationSizeMb;
      io.stdout.write(
        `orchestra instrument: started; id ${instrument.id}, namespace ${network.namespace}, ${String(args.threads)} threads` +
          `${heap === undefined ? '' : ` of at most ${String(heap)} MB heap each`}, workspace ${args.workspace}, redis ${network.target}\n`,
      );
      const signal = await stop.received;
      io.stdout.write(`orchestra instrument: stopping (${signal}); finishing running jobs (up to ${String(args.closeGraceMs)} ms), handing back the others\n`);
      await instrument.close();
      await network.close();
      io.stdout.write('orchestra instrument: stopped\n');
      return 0;
    } finally {
      stop.dispose();
      await network.close();
    }
  },
};
