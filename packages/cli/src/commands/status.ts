import { parseStatusArgs } from '../args/status-args.js';
import { CliFailure, StatusTimeoutError } from '../errors.js';
import { lineLogger } from '../line-logger.js';
import { connectNetwork } from '../network/connect-network.js';
import { formatStatus, statusJson } from '../status/format-status.js';
import { queryStatus } from '../status/query-status.js';
import { STATUS_USAGE } from '../usage.js';
import type { Command } from './command.js';

/** `orchestra status`: asks the acting composer for a snapshot and prints it. */
export const statusCommand: Command = {
  async run(argv, io) {
    const args = parseStatusArgs(argv, io.env);
    if (args === 'help') {
      io.stdout.write(STATUS_USAGE);
      return 0;
    }
    const logger = lineLogger((line) => io.stderr.write(line));
    const network = await connectNetwork(args.network, logger, STATUS_USAGE);
    try {
      const status = await queryStatus(network, { timeoutMs: args.timeoutMs, logger });
      io.stdout.write(args.json ? statusJson(status, network.namespace) : formatStatus(status, network.namespace));
      return 0;
    } catch (error) {
      if (!(error instanceof StatusTimeoutError)) throw error;
      throw new CliFailure(
        `no composer answered on namespace ${network.namespace} at ${network.target} within ` +
          `${String(args.timeoutMs)} ms; is \`orchestra composer\` running there?` +
          (error.invalidReplies > 0 ? ` (${String(error.invalidReplies)} invalid replies were set aside)` : ''),
        { cause: error },
      );
    } finally {
      await network.close();
    }
  },
};
