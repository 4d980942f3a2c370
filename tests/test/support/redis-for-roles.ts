import { afterAll, beforeAll } from '@jest/globals';
import { startRedisServer, type RedisServer } from '@orchestra/redis-server';
import { RoleProcesses } from './role-process.js';

/** A private redis-server and the role processes of one test file, both ended after its tests. */
export interface RedisForRoles {
  /** The server, once `beforeAll` has started it. */
  server(): RedisServer;
  readonly processes: RoleProcesses;
}

/** Registers `beforeAll` / `afterAll` hooks that start a private redis-server and, at the end, kill every role process and the server. */
export function redisForRoles(): RedisForRoles {
  let server: RedisServer | undefined;
  const processes = new RoleProcesses();
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await processes.killAll();
    await server?.stop();
  });
  return {
    server() {
      if (server === undefined) throw new TypeError('the redis-server is started in beforeAll');
      return server;
    },
    processes,
  };
}
