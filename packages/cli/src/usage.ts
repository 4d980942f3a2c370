/** The help texts: `orchestra --help` and `orchestra <command> --help`. */

const NETWORK_OPTIONS = `Network options:
  --redis URL             Redis to use (env ORCHESTRA_REDIS_URL; default redis://127.0.0.1:6379).
                          redis:// or rediss:// (TLS); user and password go in the URL.
  --namespace NAME        Keeps networks apart on one Redis (env ORCHESTRA_NAMESPACE; default "default")
  --connect-timeout MS    How long to wait for Redis before giving up (default 5000)
  --allow-eviction        Run on a Redis whose maxmemory-policy is not noeviction (DANGEROUS: jobs can be lost)
  -h, --help              Show this help`;

/** `orchestra --help`. */
export const MAIN_USAGE = `Usage: orchestra <command> [options]

Runs Orchestra's roles on Redis, and shows how a network is doing.

Commands:
  composer      Start a composer: it queues jobs and hands them to instruments
  instrument    Start an instrument: it runs jobs on this machine's worker threads
  status        Show instruments, threads busy and free, jobs and jobs per second

Options:
  -h, --help       Show this help; \`orchestra <command> --help\` shows a command's options
  -v, --version    Show the version

Every command takes --redis URL and --namespace NAME, with the environment variables
ORCHESTRA_REDIS_URL and ORCHESTRA_NAMESPACE as fallbacks.

Exit codes: 0 success; 1 failure (Redis unreachable, no composer answered); 2 wrong usage;
130 stopped at once by a second SIGTERM or SIGINT.
`;

/** `orchestra composer --help`. */
export const COMPOSER_USAGE = `Usage: orchestra composer [options]

Starts a composer: it queues the jobs consumers add and hands them to instruments. One composer
acts per namespace; others started on the same namespace stand by, and one takes over, with every
unsettled job, when the acting one stops or dies.

Options:
  --id ID                 This composer's id (default: a new unique id)
  --lease-ms MS           How long its lease lasts unless renewed (default 5000, at least 100)
  --instrument-lease-ms MS
                          How long an instrument may stay silent before its jobs run elsewhere
                          (default 5000)

${NETWORK_OPTIONS}

SIGTERM or SIGINT stops it gracefully (it releases its lease, so a standby takes over at once);
a second signal exits at once with code 130.
`;

/** `orchestra instrument --help`. */
export const INSTRUMENT_USAGE = `Usage: orchestra instrument --workspace DIR [options]

Starts an instrument: it runs the jobs the composer assigns to it on a pool of worker threads.

Options:
  --workspace DIR         The folder of job scripts (required); jobs name scripts relative to it
  --threads N             Worker threads (default: this machine's available parallelism)
  --id ID                 This instrument's id (default: a new unique id)
  --close-grace-ms MS     On SIGTERM, how long running jobs may finish before they are handed
                          back to run elsewhere (default 30000)
  --max-old-generation-mb N
                          Heap limit of each thread, in MB (at least 16; default: V8's, several
                          GB). A job past it fails with JobOutOfMemoryError; its thread is replaced
  --max-young-generation-mb N, --code-range-mb N, --stack-mb N
                          The thread's other V8 limits, in MB (default: Node's)

${NETWORK_OPTIONS}

SIGTERM or SIGINT stops it gracefully: it hands back the jobs it has not started, lets running
ones finish (up to --close-grace-ms), runs the scripts' finish() hooks; a second signal exits at
once with code 130.
`;

/** `orchestra status --help`. */
export const STATUS_USAGE = `Usage: orchestra status [options]

Asks the acting composer for a snapshot of its network: instruments, threads busy and free, jobs
queued, running, done and failed, and jobs per second (over the last 5 seconds).

Options:
  --json                  Print the snapshot as JSON
  --timeout MS            How long to wait for the composer's answer (default 5000)

${NETWORK_OPTIONS}

Exits with code 1 when no composer answers in time.
`;
