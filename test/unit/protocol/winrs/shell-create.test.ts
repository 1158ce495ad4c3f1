import { describe, expect, it } from 'vitest';
import { parseShellCreate, writeShellCreated, writeShellElement, type ShellDescription } from '../../../../protocol/winrs/shell-create.js';
import { RESOURCE_URI } from '../../../../protocol/winrs/uris.js';
import { NS } from '../../../../protocol/wsman/namespaces.js';
import { writeEnvelope } from '../../../../protocol/wsman/response.js';
import { A, descendants, findAll, must, readEnvelope, RSP, W, X } from '../xml-query.js';
import { faultOf, shellBody } from './helpers.js';

describe('parseShellCreate', () => {
  it('reads the notes’ Create body', () => {
    const request = parseShellCreate(
      shellBody(
        '<rsp:Shell>' +
          '<rsp:WorkingDirectory> /tmp/work </rsp:WorkingDirectory>' +
          '<rsp:Environment><rsp:Variable Name="APP_MODE">test</rsp:Variable><rsp:Variable Name="EMPTY"></rsp:Variable>' +
          '<rsp:Variable Name="SPACED"> keep spaces </rsp:Variable></rsp:Environment>' +
          '<rsp:IdleTimeOut>PT600.000S</rsp:IdleTimeOut>' +
          '<rsp:InputStreams>stdin</rsp:InputStreams>' +
          '<rsp:OutputStreams>stdout stderr</rsp:OutputStreams>' +
          '</rsp:Shell>',
      ),
    );
    expect(request).toEqual({
      shellId: undefined,
      name: undefined,
      workingDirectory: '/tmp/work',
      environment: new Map([
        ['APP_MODE', 'test'],
        ['EMPTY', ''],
        ['SPACED', ' keep spaces '],
      ]),
      lifetimeMs: undefined,
      idleTimeoutMs: 600_000,
      inputStreams: ['stdin'],
      outputStreams: ['stdout', 'stderr'],
    });
  });

  it('defaults the streams to stdin and stdout stderr', () => {
    const request = parseShellCreate(shellBody('<rsp:Shell/>'));
    expect(request.inputStreams).toEqual(['stdin']);
    expect(request.outputStreams).toEqual(['stdout', 'stderr']);
    expect(request.environment.size).toBe(0);
    expect(request.idleTimeoutMs).toBeUndefined();
    expect(request.workingDirectory).toBeUndefined();
  });

  it('splits stream lists on any whitespace', () => {
    const request = parseShellCreate(
      shellBody('<rsp:Shell><rsp:InputStreams> stdin  pr </rsp:InputStreams><rsp:OutputStreams>stdout\n\tstderr</rsp:OutputStreams></rsp:Shell>'),
    );
    expect(request.inputStreams).toEqual(['stdin', 'pr']);
    expect(request.outputStreams).toEqual(['stdout', 'stderr']);
  });

  it('reads a client-chosen ShellId and Name, in either ShellId spelling', () => {
    expect(parseShellCreate(shellBody('<rsp:Shell ShellId="ABC" Name="Runspace1"/>'))).toMatchObject({ shellId: 'ABC', name: 'Runspace1' });
    expect(parseShellCreate(shellBody('<rsp:Shell ShellID="DEF"/>')).shellId).toBe('DEF');
  });

  it.each([
    ['IdleTimeOut', '<rsp:IdleTimeOut>PT20S</rsp:IdleTimeOut>', { idleTimeoutMs: 20_000 }],
    ['IdleTimeout', '<rsp:IdleTimeout>PT30S</rsp:IdleTimeout>', { idleTimeoutMs: 30_000 }],
    ['Lifetime', '<rsp:Lifetime>PT1H</rsp:Lifetime>', { lifetimeMs: 3_600_000 }],
    ['an empty IdleTimeOut', '<rsp:IdleTimeOut> </rsp:IdleTimeOut>', { idleTimeoutMs: undefined }],
  ])('reads %s', (_label, child, expected) => {
    expect(parseShellCreate(shellBody(`<rsp:Shell>${child}</rsp:Shell>`))).toMatchObject(expected);
  });

  it.each([
    ['a bad IdleTimeOut', '<rsp:Shell><rsp:IdleTimeOut>forever</rsp:IdleTimeOut></rsp:Shell>', 'invalidParameter'],
    ['a negative Lifetime', '<rsp:Shell><rsp:Lifetime>-PT1S</rsp:Lifetime></rsp:Shell>', 'invalidParameter'],
    ['a Variable without Name', '<rsp:Shell><rsp:Environment><rsp:Variable>x</rsp:Variable></rsp:Environment></rsp:Shell>', 'invalidParameter'],
    ['a Variable with an empty Name', '<rsp:Shell><rsp:Environment><rsp:Variable Name="">x</rsp:Variable></rsp:Environment></rsp:Shell>', 'invalidParameter'],
    ['a Variable Name with =', '<rsp:Shell><rsp:Environment><rsp:Variable Name="A=B">x</rsp:Variable></rsp:Environment></rsp:Shell>', 'invalidParameter'],
    ['a body that is not rsp:Shell', '<rsp:CommandLine/>', 'schemaValidation'],
  ])('refuses %s with %s', (_label, xml, fault) => {
    expect(faultOf(() => parseShellCreate(shellBody(xml)))).toBe(fault);
  });

  it('refuses a missing body and a Shell in another namespace', () => {
    expect(faultOf(() => parseShellCreate(undefined))).toBe('schemaValidation');
    expect(faultOf(() => parseShellCreate(shellBody('<x:Shell xmlns:x="urn:x"/>')))).toBe('schemaValidation');
  });
});

const SHELL: ShellDescription = {
  shellId: '3E0B6C54-8D2A-4F71-B3E5-C7A9D1F20468',
  name: undefined,
  resourceUri: RESOURCE_URI.cmdShell,
  owner: 'alice',
  clientIp: '192.0.2.10',
  idleTimeoutMs: 7_200_000,
  inputStreams: ['stdin'],
  outputStreams: ['stdout', 'stderr'],
  runTimeMs: 312_000,
  inactivityMs: 0,
};

describe('writeShellCreated', () => {
  const body = readEnvelope(
    writeEnvelope({ action: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse', lang: 'en-US' }, writeShellCreated('http://srv01:5985/wsman', SHELL)),
  ).body;

  it('has the endpoint reference with a ShellId selector (pywinrm reads that)', () => {
    const created = must(body, X('ResourceCreated'));
    expect(must(created, A('Address')).text).toBe('http://srv01:5985/wsman');
    expect(must(created, A('ReferenceParameters'), W('ResourceURI')).text).toBe(RESOURCE_URI.cmdShell);
    const selectors = findAll(created, A('ReferenceParameters'), W('SelectorSet'), W('Selector'));
    expect(selectors.map((s) => [s.attributes, s.text])).toEqual([[[{ ns: '', name: 'Name', value: 'ShellId' }], SHELL.shellId]]);
    // pywinrm takes the first element anywhere with Name="ShellId".
    const named = descendants(body).filter((e) => e.attributes.some((a) => a.name === 'Name' && a.value === 'ShellId'));
    expect(named.map((e) => e.text)).toEqual([SHELL.shellId]);
  });

  it('has rsp:Shell/rsp:ShellId (pypsrp reads that) with Windows’ fields in order', () => {
    const shell = must(body, RSP('Shell'));
    expect(shell.children.map((c) => [c.name, c.text])).toEqual([
      ['ShellId', SHELL.shellId],
      ['ResourceUri', RESOURCE_URI.cmdShell],
      ['Owner', 'alice'],
      ['ClientIP', '192.0.2.10'],
      ['IdleTimeOut', 'PT7200.000S'],
      ['InputStreams', 'stdin'],
      ['OutputStreams', 'stdout stderr'],
      ['ShellRunTime', 'P0DT0H5M12S'],
      ['ShellInactivity', 'P0DT0H0M0S'],
    ]);
    expect(body.children.map((c) => c.name)).toEqual(['ResourceCreated', 'Shell']);
  });
});

describe('writeShellElement', () => {
  it('declares its own rsp prefix, so that it can stand alone as an enumeration item', () => {
    const shell = shellBody(writeShellElement(SHELL).replace(` xmlns:rsp="${NS.shell}"`, ''));
    expect(shell).toMatchObject({ ns: NS.shell, name: 'Shell' });
    expect(writeShellElement(SHELL)).toContain(`<rsp:Shell xmlns:rsp="${NS.shell}">`);
  });

  it('adds Name after ShellId when the shell has one, and escapes values', () => {
    const xml = writeShellElement({ ...SHELL, name: 'R&D <1>', owner: 'o"wner' });
    const shell = readEnvelope(writeEnvelope({ lang: 'en-US' }, xml)).body.children[0];
    expect(shell?.children.slice(0, 2).map((c) => [c.name, c.text])).toEqual([
      ['ShellId', SHELL.shellId],
      ['Name', 'R&D <1>'],
    ]);
    expect(shell?.children.find((c) => c.name === 'Owner')?.text).toBe('o"wner');
  });
});
