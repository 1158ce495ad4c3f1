/** Put on the configuration resource: what may change while winrmd runs, and that the change is live. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../../../protocol/wsman/actions.js';
import type { ServiceState } from '../../../../server/handlers/index.js';
import { ALICE, client, closeServices, defaultConfig, expectCatalogueFault, makeService, type Client } from '../dispatch-harness.js';
import * as env from '../envelopes.js';
import { CONFIG_URI, flatten, getConfig, innerXml, OPERATOR, putConfig, resourceOf } from './config-requests.js';

let service: ServiceState;
let c: Client;

beforeEach(async () => {
  service = makeService(await defaultConfig());
  c = client(service);
});

afterEach(async () => {
  await closeServices();
});

const valueIn = async (path: string): Promise<string | undefined> =>
  new Map(flatten(resourceOf((await c.ok(getConfig())).body, CONFIG_URI, 'Config'))).get(path);

describe('Put on .../wsman/1/config', () => {
  it('changes MaxEnvelopeSizekb and answers with the resource as it is now', async () => {
    const view = await c.ok(putConfig('', 'Config', '<cfg:MaxEnvelopeSizekb>8192</cfg:MaxEnvelopeSizekb>'));
    expect(new Map(flatten(resourceOf(view.body, CONFIG_URI, 'Config'))).get('MaxEnvelopeSizekb')).toBe('8192');
    expect(service.config['Service.MaxEnvelopeSizekb']).toBe(8192);
    expect(await valueIn('MaxEnvelopeSizekb')).toBe('8192');
  });

  it('changes the service sub-resource, in its own namespace or nested under the root', async () => {
    await c.ok(putConfig('/service', 'Service', '<cfg:AllowUnencrypted>true</cfg:AllowUnencrypted>'));
    expect(service.config['Service.AllowUnencrypted']).toBe(true);
    await c.ok(putConfig('/service/auth', 'Auth', '<cfg:Basic>false</cfg:Basic>'));
    expect(service.config['Service.Auth.Basic']).toBe(false);
    await c.ok(putConfig('', 'Config', '<cfg:Winrs><cfg:IdleTimeout>600000</cfg:IdleTimeout></cfg:Winrs>'));
    expect(await valueIn('Winrs/IdleTimeout')).toBe('600000');
  });

  it('applies a quota to the next Create at once', async () => {
    await c.createShell();
    await c.ok(putConfig('/winrs', 'Winrs', '<cfg:MaxShellsPerUser>1</cfg:MaxShellsPerUser>'));
    expectCatalogueFault(await c.fault(env.create()), 'shellQuota');
    await c.ok(putConfig('/winrs', 'Winrs', '<cfg:MaxShellsPerUser>5</cfg:MaxShellsPerUser>'));
    await c.createShell();
  });

  it('caps enumeration batches by MaxBatchItems once it is lowered', async () => {
    await c.createShell();
    await c.createShell();
    await c.ok(putConfig('', 'Config', '<cfg:MaxBatchItems>1</cfg:MaxBatchItems>'));
    const view = await c.ok(env.enumerate({ optimize: true, maxElements: 10 }));
    const items = view.body.children[0]?.children.find((e) => e.name === 'Items');
    expect(items?.children).toHaveLength(1);
  });

  it('accepts a whole resource sent back with one change, as winrm set and cloudbase-init send it', async () => {
    const got = resourceOf((await c.ok(getConfig('/service'))).body, `${CONFIG_URI}/service`, 'Service');
    const inner = innerXml(got).replace('<cfg:AllowUnencrypted>false<', '<cfg:AllowUnencrypted>true<');
    expect(inner).toContain('<cfg:Auth><cfg:Basic>true</cfg:Basic>');
    await c.ok(putConfig('/service', 'Service', inner));
    expect(service.config['Service.AllowUnencrypted']).toBe(true);
  });

  it('refuses an unknown property with w:SchemaValidationError 2150858817', async () => {
    const fault = await c.fault(putConfig('/service', 'Service', '<cfg:NoSuchThing>1</cfg:NoSuchThing>'));
    expectCatalogueFault(fault, 'schemaValidation');
    expect(fault.wsmanCode).toBe(2150858817);
    expectCatalogueFault(await c.fault(putConfig('', 'Config', '<cfg:Winrs/>')), 'schemaValidation');
  });

  // Each Put carries a valid change first: a refused Put must not make even that one.
  it.each([
    ['a value of the wrong type', '/winrs', 'Winrs', '<cfg:IdleTimeout>soon</cfg:IdleTimeout>', 'schemaValidation'],
    ['a key that changes only at start', '/service', 'Service', '<cfg:MaxConnections>5</cfg:MaxConnections>', 'invalidParameter'],
    ['a change to a fixed value', '/service', 'Service', '<cfg:EnableCompatibilityHttpListener>true</cfg:EnableCompatibilityHttpListener>', 'invalidParameter'],
    ['MaxEnvelopeSizekb below 32', '', 'Config', '<cfg:MaxEnvelopeSizekb>31</cfg:MaxEnvelopeSizekb>', 'invalidParameter'],
    ['MaxTimeoutms below 500', '', 'Config', '<cfg:MaxTimeoutms>499</cfg:MaxTimeoutms>', 'invalidParameter'],
    ['a client setting', '', 'Config', '<cfg:Client><cfg:TrustedHosts>*</cfg:TrustedHosts></cfg:Client>', 'invalidParameter'],
  ] as const)('refuses %s and changes nothing', async (_label, path, name, inner, fault) => {
    const validChange = { Winrs: '<cfg:MaxShellsPerUser>3</cfg:MaxShellsPerUser>', Service: '<cfg:AllowUnencrypted>true</cfg:AllowUnencrypted>', Config: '<cfg:MaxBatchItems>5</cfg:MaxBatchItems>' }[name];
    const before = { ...service.config };
    expectCatalogueFault(await c.fault(putConfig(path, name, `${validChange}${inner}`)), fault);
    expect(service.config).toEqual(before);
  });

  it('accepts the current value of a key that changes only at start, and of a fixed one', async () => {
    await c.ok(putConfig('/service', 'Service', '<cfg:MaxConnections>300</cfg:MaxConnections><cfg:EnableCompatibilityHttpListener>FALSE</cfg:EnableCompatibilityHttpListener>'));
  });

  it('lets only Administrators change anything (code 5)', async () => {
    expectCatalogueFault(await c.fault(putConfig('', 'Config', '<cfg:MaxTimeoutms>90000</cfg:MaxTimeoutms>'), OPERATOR), 'accessDenied');
    expect(service.config['Service.MaxTimeoutms']).toBe(60000);
    await c.ok(putConfig('', 'Config', '<cfg:MaxTimeoutms>90000</cfg:MaxTimeoutms>'), ALICE);
    expect(service.config['Service.MaxTimeoutms']).toBe(90000);
  });

  it('changes Service.RootSDDL, refusing one that does not parse', async () => {
    const sddl = 'O:NSG:BAD:P(A;;GA;;;BA)(A;;GA;;;Operators)';
    await c.ok(putConfig('/service', 'Service', `<cfg:RootSDDL>${sddl}</cfg:RootSDDL>`));
    expect(service.config['Service.RootSDDL']).toBe(sddl);
    const fault = await c.fault(putConfig('/service', 'Service', '<cfg:RootSDDL>D:(A;;GA;;;BA</cfg:RootSDDL>'));
    expectCatalogueFault(fault, 'schemaValidation');
    expect(service.config['Service.RootSDDL']).toBe(sddl);
  });

  it('is not an action of the shell resources', async () => {
    expectCatalogueFault(await c.fault(env.request({ action: ACTION.put, resourceUri: env.RESOURCE_URI.cmdShell })), 'actionNotSupported');
  });
});
