/**
 * What a client is told when the shell host fails a request or no longer agrees with the listener:
 * the fault Windows gives for the same situation, never the generic internal error. The hosts here
 * are in process (the same protocol, server and proxies) or scripted to die at a chosen moment; a
 * host that cannot start is a real one (spawnHost) whose start fails.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HostClient } from '../../../../host/host-client.js';
import { spawnHost, type HostLauncher } from '../../../../host/spawn-host.js';
import { FAULTS } from '../../../../protocol/wsman/fault-catalogue.js';
import { readFault } from '../../protocol/xml-query.js';
import { ALICE, capturingHosts, client, closeServices, defaultConfig, expectCatalogueFault, makeService } from '../dispatch-harness.js';
import * as env from '../envelopes.js';

afterEach(async () => {
  await closeServices();
});

/** A host that dies as its first shell is opened: before answering, or just after answering. */
function dyingAtOpen(moment: 'before-answer' | 'after-answer'): HostLauncher {
  return () => {
    let markExited: (reason: string) => void = () => undefined;
    const exited = new Promise<string>((resolve) => {
      markExited = resolve;
    });
    const die = (): void => {
      hostClient.died('the shell host ended (signal SIGKILL)');
      markExited('signal SIGKILL');
    };
    const hostClient: HostClient = new HostClient((message) => {
      if (message.op !== 'openShell') return;
      setImmediate(() => {
        if (moment === 'after-answer') hostClient.receive({ id: message.id, ok: true, value: undefined });
        die();
      });
    });
    const stop = (): Promise<void> => {
      die();
      return Promise.resolve();
    };
    return Promise.resolve({ pid: undefined, client: hostClient, exited, stop, kill: die });
  };
}

const chosenCommand = (shellId: string, commandId: string): env.BuiltRequest =>
  env.request({
    action: env.ACTION.command,
    resourceUri: env.RESOURCE_URI.cmdShell,
    shellId,
    body: `<rsp:CommandLine CommandId="${commandId}"><rsp:Command>sleep 30</rsp:Command></rsp:CommandLine>`,
  });

describe('faults from the shell host', () => {
  it('refuses the second of two racing Commands with one CommandId as a parameter in use, not an internal error', async () => {
    const c = client(makeService(await defaultConfig()));
    const shellId = await c.createShell();
    const id = 'FEEDFACE-0000-1111-2222-333344445555';
    // Both are dispatched before either has started its process, so both pass the handler's check.
    const results = await Promise.all([c.dispatch(chosenCommand(shellId, id), ALICE), c.dispatch(chosenCommand(shellId, id), ALICE)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 500]);
    const refused = results.find((r) => r.status === 500);
    expectCatalogueFault(readFault(refused?.xml ?? ''), 'invalidParameter');
  });

  it('answers for a shell its host no longer has exactly as for a shell that does not exist', async () => {
    const { launcher, launched } = capturingHosts();
    const c = client(makeService(await defaultConfig(), launcher));
    const shellId = await c.createShell();
    const commandId = await c.runCommand(shellId, 'sleep 30');
    // The host loses the shell while the listener still lists it (a close racing this Send). Not
    // a Receive: the command's first one was asked of the host ahead, and holds the command's end.
    // A Send with End: it is answered once its input has been taken (an earlier Send's failure is
    // the next one's, host/remote-shell.ts).
    await launched[0]?.client.request({ op: 'closeShell', shellId });
    expectCatalogueFault(await c.fault(env.send(shellId, commandId, Buffer.from('input'), true)), 'unknownShell', [shellId]);
  });

  it('answers for a command its host no longer has exactly as for a command that does not exist', async () => {
    const { launcher, launched } = capturingHosts();
    const c = client(makeService(await defaultConfig(), launcher));
    const shellId = await c.createShell();
    const commandId = await c.runCommand(shellId, 'sleep 30');
    await launched[0]?.client.request({ op: 'removeCommand', shellId, commandId });
    // Input without End is answered once it is on its way; its failure is the next Send's.
    expect((await c.dispatch(env.send(shellId, commandId, Buffer.from('input'), false), ALICE)).status).toBe(200);
    expectCatalogueFault(await c.fault(env.send(shellId, commandId, Buffer.from('more'), false)), 'unknownCommand');
  });

  it('gives a Create whose shell host cannot start the host-failed fault (1726)', async () => {
    // A real host start that fails: the program before node (where prlimit goes) does not exist.
    const failing: HostLauncher = (options) => spawnHost({ ...options, limitPrefix: ['/nonexistent/winrmd-prlimit', '--'] });
    const c = client(makeService(await defaultConfig(), failing));
    const fault = await c.fault(env.create());
    expect(fault.wsmanCode).toBe(FAULTS.hostFailed.wsmanCode);
    expectCatalogueFault(fault, 'hostFailed');
    expect(c.service.hosts.size).toBe(0);
  });

  it.each(['before-answer', 'after-answer'] as const)('gives a Create whose host dies as the shell opens (%s) the host-failed fault, and leaves no shell', async (moment) => {
    const c = client(makeService(await defaultConfig(), dyingAtOpen(moment)));
    expectCatalogueFault(await c.fault(env.create()), 'hostFailed');
    expect(c.service.shells.size).toBe(0);
    expect(c.service.shells.listFor(ALICE.name)).toEqual([]);
  });
});
