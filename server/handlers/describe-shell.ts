import type { ShellDescription } from '../../protocol/winrs/shell-create.js';
import type { ShellRecord } from '../shell-registry.js';

export function describeShell(record: ShellRecord, nowMs = Date.now()): ShellDescription {
  return {
    shellId: record.id,
    name: record.name,
    resourceUri: record.resourceUri,
    owner: record.owner,
    clientIp: record.clientIp,
    idleTimeoutMs: record.idleTimeoutMs,
    inputStreams: record.inputStreams,
    outputStreams: record.outputStreams,
    runTimeMs: nowMs - record.createdMs,
    inactivityMs: record.activeRequests > 0 ? 0 : nowMs - record.lastActivityMs,
  };
}
