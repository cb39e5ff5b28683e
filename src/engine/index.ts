/**
 * Public entry of the engine, used by Electron main, the server, the CLI and the benchmark.
 * Everything ONNX Runtime touches runs in the host process (`host-main.ts`); this side only
 * supervises it and speaks the contract (`src/common/contract.ts`).
 *
 *   const engine = new EngineSupervisor({ spawn: nodeSpawner(), host: { modelDirs: defaultModelDirs(root), appVersion } })
 *   await engine.start()
 *   engine.on('job/partial', ({ part }) => …)
 *   const jobId = newJobId() // the client chooses the id: events that beat the reply are already ours
 *   await engine.invoke('job/start', { jobId, modelId: 'dcgan-emoji', seed: 7, params: { count: 4 } })
 */
export { EngineSupervisor, type SupervisorOptions } from './supervisor'
export { nodeSpawner, resolveHostEntry, type NodeSpawnerOptions } from './spawn-node'
export { defaultModelDirs, userModelsDir, type ModelDir } from './model-dirs'
export type { HostMessage, HostOptions, HostPort, SpawnHost } from './protocol'
export { hashFiles, hashOrder, MAX_ONNX_BYTES } from './registry'
export type { Envelope, EngineMethod, EventName, Events, Req, Res } from '../common/contract'
export { writeFileAtomic, type AtomicIo, type AtomicWriteOptions } from './atomic-write'
export { HistoryStore, defaultHistoryDir, type HistoryStoreOptions } from './history/store'
export { mimeOf, resolveInRoot, securityHeaders } from './web-root'
