export { freePort, type RedisServer, redisServerPath, startRedisServer } from './redis-server.js'
export {
  type ExitInfo,
  type SpawnedServer,
  SpawnUntilUrlError,
  type SpawnUntilUrlOptions,
  spawnUntilUrl,
  URL_PATTERN,
} from './spawn-until-url.js'
