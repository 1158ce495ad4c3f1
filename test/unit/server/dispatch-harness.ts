/**
 * A real ServiceState built as server/start-endpoint.ts builds it, and helpers that drive
 * dispatchEnvelope the way a client would: every answer is checked for RelatesTo, faults are read
 * back the way pywinrm reads them.
 */
import { tmpdir } from 'node:os';
import { pino } from 'pino';
import { expect } from 'vitest';
import { loadConfig, type Config } from '../../../config/index.js';
import { FAULT_ACTION } from '../../../protocol/wsman/actions.js';
import { FAULTS, type FaultName } from '../../../protocol/wsman/fault-catalogue.js';
import { COMMAND_STATE } from '../../../protocol/winrs/uris.js';
import type { ServiceState } from '../../../server/handlers/index.js';
import type { Principal } from '../../../server/principal.js';
import { inProcessHost, type HostLauncher, type LaunchedHost } from '../../../host/spawn-host.js';
import { decodeSoapBody } from '../../../server/request-text.js';
import { createServiceState } from '../../../server/service-state.js';
import { dispatchEnvelope, type DispatcherSettings, type DispatchResult } from '../../../server/wsman-dispatch.js';
import { attr, find, findAll, must, readEnvelope, readFault, RSP, W, X, type EnvelopeView, type FaultView } from '../protocol/xml-query.js';
import * as env from './envelopes.js';
import type { BuiltRequest } from './envelopes.js';

export const log = pino({ level: 'silent' });

export const ALICE: Principal = { name: 'alice', groups: ['Administrators'], authScheme: 'Basic' };
export const BOB: Principal = { name: 'bob', groups: ['Administrators'], authScheme: 'Basic' };

export const CLIENT_IP = '192.0.2.10';
export const ENDPOINT = 'http://testhost:5985/wsman';

export const SETTINGS: DispatcherSettings = {
  machineName: 'TESTHOST',
  identify: { productVendor: 'Microsoft Corporation', productVersion: 'OS: 10.0.20348 SP: 0.0 Stack: 3.0', profiles: ['basic'] },
};

let defaults: Config | undefined;

export async function defaultConfig(): Promise<Config> {
  defaults ??= await loadConfig({});
  return defaults;
}

const services: ServiceState[] = [];

/**
 * A service as start-endpoint.ts builds it (its shell hosts in process unless `hostLauncher` says
 * otherwise); closeServices() ends every one made. Its shells run as
 * the test runner's own account (Winrmd.RunAsServiceAccount), since ALICE and BOB have no Linux
 * accounts; test/unit/server/shell-accounts.test.ts covers the per-user accounts.
 */
/** In-process hosts, kept so that a test can reach one behind the listener's back. */
export function capturingHosts(): { launcher: HostLauncher; launched: LaunchedHost[] } {
  const launched: LaunchedHost[] = [];
  const launcher: HostLauncher = async (options) => {
    const host = await inProcessHost(options);
    launched.push(host);
    return host;
  };
  return { launcher, launched };
}

export function makeService(config: Config, hostLauncher: HostLauncher = inProcessHost): ServiceState {
  const service = createServiceState({ ...config, 'Winrmd.RunAsServiceAccount': true }, log, {
    hostLauncher,
    baseEnvironment: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    defaultWorkingDirectory: tmpdir(),
  });
  services.push(service);
  return service;
}

export async function closeServices(): Promise<void> {
  await Promise.all(
    services.splice(0).map(async (s) => {
      await s.shells.closeAll();
      await s.hosts.closeAll();
    }),
  );
}

export interface Client {
  readonly service: ServiceState;
  /** Dispatches as `principal` (undefined: unauthenticated) and checks that the answer relates to the request. */
  dispatch(request: BuiltRequest, principal: Principal | undefined): Promise<DispatchResult>;
  /** Expects a 200 and returns the parsed envelope, with its response action checked. */
  ok(request: BuiltRequest, principal?: Principal): Promise<EnvelopeView>;
  /** Expects a 500 fault and returns it read back. */
  fault(request: BuiltRequest, principal?: Principal): Promise<FaultView>;
  createShell(principal?: Principal, options?: env.ShellOptions): Promise<string>;
  runCommand(shellId: string, commandLine: string, principal?: Principal): Promise<string>;
  receiveAll(shellId: string, commandId: string, principal?: Principal, options?: env.ReceiveOptions): Promise<Drained>;
}

export interface ReceiveView {
  readonly raw: string;
  readonly streams: readonly { name: string; end: boolean; data: Buffer; commandId: string | undefined }[];
  readonly state: string | undefined;
  readonly exitCode: number | undefined;
}

export interface Drained {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  readonly ends: Readonly<Record<string, number>>;
  readonly responses: readonly ReceiveView[];
}

export function readReceive(view: EnvelopeView, raw: string): ReceiveView {
  const response = must(view.body, RSP('ReceiveResponse'));
  const state = must(response, RSP('CommandState'));
  const exit = find(state, RSP('ExitCode'));
  return {
    raw,
    streams: findAll(response, RSP('Stream')).map((s) => ({
      name: attr(s, 'Name') ?? '',
      end: attr(s, 'End') === 'true',
      data: Buffer.from(s.text, 'base64'),
      commandId: attr(s, 'CommandId'),
    })),
    state: attr(state, 'State'),
    exitCode: exit === undefined ? undefined : Number.parseInt(exit.text, 10),
  };
}

const LISTENER_DECODE_BYTES = 200 * 1024;

export function client(service: ServiceState): Client {
  const dispatch = async (request: BuiltRequest, principal: Principal | undefined): Promise<DispatchResult> => {
    // A body large enough to have its Send content cut out goes the listener's way (request-text.ts).
    const decoded = request.xml.length >= LISTENER_DECODE_BYTES ? decodeSoapBody(Buffer.from(request.xml, 'utf8'), 'application/soap+xml;charset=UTF-8') : undefined;
    const result = await dispatchEnvelope(
      {
        xml: decoded?.text ?? request.xml,
        charactersChecked: decoded?.charactersChecked,
        cutOut: decoded?.cutOut,
        principal,
        clientIp: CLIENT_IP,
        endpointAddress: ENDPOINT,
        abort: new AbortController().signal,
        log,
      },
      service,
      SETTINGS,
    );
    if (result.status !== 401 && request.messageId !== '') {
      const view = readEnvelope(result.xml);
      expect(view.relatesTo).toBe(request.messageId);
      expect(view.messageId).toMatch(/^uuid:[0-9A-F-]{36}$/);
      expect(view.messageId).not.toBe(request.messageId);
    }
    return result;
  };

  const ok = async (request: BuiltRequest, principal: Principal = ALICE): Promise<EnvelopeView> => {
    const result = await dispatch(request, principal);
    if (result.status !== 200) throw new Error(`expected 200, got ${result.status}: ${result.xml}`);
    const view = readEnvelope(result.xml);
    expect(view.action).toBe(result.action === undefined ? undefined : `${result.action}Response`);
    return view;
  };

  const fault = async (request: BuiltRequest, principal: Principal = ALICE): Promise<FaultView> => {
    const result = await dispatch(request, principal);
    if (result.status !== 500) throw new Error(`expected a fault, got ${result.status}: ${result.xml}`);
    const view = readFault(result.xml);
    expect(view.machine).toBe(SETTINGS.machineName);
    return view;
  };

  const createShell = async (principal: Principal = ALICE, options: env.ShellOptions = {}): Promise<string> => {
    const view = await ok(env.create(options), principal);
    const selector = must(view.body, X('ResourceCreated'), ['http://schemas.xmlsoap.org/ws/2004/08/addressing', 'ReferenceParameters'], W('SelectorSet'), W('Selector'));
    expect(attr(selector, 'Name')).toBe('ShellId');
    expect(must(view.body, RSP('Shell'), RSP('ShellId')).text).toBe(selector.text);
    return selector.text;
  };

  const runCommand = async (shellId: string, commandLine: string, principal: Principal = ALICE): Promise<string> => {
    const view = await ok(env.command(shellId, commandLine), principal);
    const id = must(view.body, RSP('CommandResponse'), RSP('CommandId')).text;
    expect(id).not.toBe('');
    return id;
  };

  const receiveAll = async (
    shellId: string,
    commandId: string,
    principal: Principal = ALICE,
    options: env.ReceiveOptions = {},
  ): Promise<Drained> => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const ends: Record<string, number> = {};
    const responses: ReceiveView[] = [];
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const result = await dispatch(env.receive(shellId, commandId, options), principal);
      if (result.status === 500) {
        // pywinrm's loop: a TimedOut fault just means "ask again".
        expect(readFault(result.xml).wsmanCode).toBe(FAULTS.timedOut.wsmanCode);
        continue;
      }
      expect(result.status).toBe(200);
      const view = readReceive(readEnvelope(result.xml), result.xml);
      responses.push(view);
      for (const s of view.streams) {
        expect(s.commandId).toBe(commandId);
        if (s.name === 'stdout') stdout.push(s.data);
        else if (s.name === 'stderr') stderr.push(s.data);
        if (s.end) ends[s.name] = (ends[s.name] ?? 0) + 1;
      }
      if (view.state === COMMAND_STATE.done) {
        expect(view.exitCode).toBeTypeOf('number');
        return {
          stdout: Buffer.concat(stdout).toString(),
          stderr: Buffer.concat(stderr).toString(),
          exitCode: view.exitCode ?? Number.NaN,
          ends,
          responses,
        };
      }
      expect(view.state).toBe(COMMAND_STATE.running);
      expect(view.exitCode).toBeUndefined();
    }
    throw new Error(`command ${commandId} did not finish in time`);
  };

  return { service, dispatch, ok, fault, createShell, runCommand, receiveAll };
}

/** Asserts a fault is exactly the catalogue entry, with the action its subcode calls for. */
export function expectCatalogueFault(view: FaultView, name: FaultName, args: readonly string[] = []): void {
  const spec = FAULTS[name];
  expect(view.wsmanCode, `${name}: ${view.reason}`).toBe(spec.wsmanCode);
  expect(view.code).toBe(`s:${spec.code}`);
  expect(view.subcode).toBe('subcode' in spec ? spec.subcode : undefined);
  expect(view.message).toMatch(templatePattern(spec.message, args));
  expect(view.reason).toMatch(templatePattern('reason' in spec ? spec.reason : spec.message, args));
  expect(view.faultDetail).toBe('faultDetail' in spec ? spec.faultDetail : undefined);
  const prefix = 'subcode' in spec ? spec.subcode.split(':')[0] : undefined;
  expect(view.envelope.action).toBe(prefix === 'a' ? FAULT_ACTION.addressing : prefix === 'n' ? FAULT_ACTION.enumeration : FAULT_ACTION.wsman);
}

/** A catalogue text as a whole-string pattern: {n} is args[n] when given, else any text. */
function templatePattern(template: string, args: readonly string[]): RegExp {
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const parts = template.split(/\{(\d+)\}/);
  const source = parts.map((part, i) => (i % 2 === 0 ? escape(part) : args[Number(part)] === undefined ? '.*' : escape(args[Number(part)] ?? ''))).join('');
  return new RegExp(`^${source}$`, 's');
}
