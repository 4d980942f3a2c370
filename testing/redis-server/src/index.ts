export { startRedisServer, type RedisServer, type RedisServerOptions } from './redis-server.js';
export { freePort } from './free-port.js';
export { RedisServerUnavailableError } from './redis-server-unavailable-error.js';
export { startRedisCluster, type RedisCluster } from './redis-cluster.js';
export { makeSelfSignedCertificate, type SelfSignedCertificate } from './self-signed-certificate.js';
