/**
 * lab/kubernetes checked client-side (there is no cluster here): every document parses and is a
 * kind we know, with the fields the API server requires, and the references between objects hold:
 * selectors match the pod labels, the StatefulSet's headless Service exists, every Secret, key,
 * ConfigMap, volume and named port referred to exists, and the users file and arguments winrmd gets
 * are ones winrmd accepts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseServeOptions } from '../../../cli/common-options.js';
import { parseUsersFile } from '../../../cli/users-file.js';
import { loadConfig } from '../../../config/load.js';
import { REPO_ROOT } from '../../support/server-process.js';

const DIR = join(REPO_ROOT, 'lab', 'kubernetes');
const NAMESPACE = 'winrmd-lab';
const CAPABILITIES = ['CHOWN', 'KILL', 'SETGID', 'SETUID'];

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function obj(value: unknown, what: string): Obj {
  if (!isObj(value)) throw new Error(`${what} is not a mapping`);
  return value;
}
function list(value: unknown, what: string): Obj[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${what} is not a list`);
  return value.map((item, index) => obj(item, `${what}[${index}]`));
}
function str(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`${what} is not a non-empty string`);
  return value;
}

const KINDS: Record<string, string> = {
  Namespace: 'v1',
  Secret: 'v1',
  ConfigMap: 'v1',
  Service: 'v1',
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
};
const DNS_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

interface Manifest {
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  readonly body: Obj;
}

function readKustomization(): Obj {
  const docs = parseAllDocuments(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8'));
  expect(docs).toHaveLength(1);
  return obj(docs[0]?.toJS(), 'kustomization.yaml');
}

function readManifests(): Manifest[] {
  const manifests: Manifest[] = [];
  for (const file of readdirSync(DIR).filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml').sort()) {
    for (const doc of parseAllDocuments(readFileSync(join(DIR, file), 'utf8'))) {
      expect(doc.errors, file).toEqual([]);
      const body = obj(doc.toJS(), file);
      const kind = str(body['kind'], `${file}: kind`);
      const name = str(obj(body['metadata'], `${file}: metadata`)['name'], `${file}: metadata.name`);
      manifests.push({ file, kind, name, body });
    }
  }
  return manifests;
}

const manifests = readManifests();
const byKind = (kind: string): Manifest[] => manifests.filter((manifest) => manifest.kind === kind);
const one = (kind: string, name: string): Manifest | undefined => manifests.find((manifest) => manifest.kind === kind && manifest.name === name);
const workloads = [...byKind('Deployment'), ...byKind('StatefulSet')];

function podSpec(workload: Manifest): Obj {
  return obj(obj(obj(workload.body['spec'], 'spec')['template'], 'template')['spec'], 'template.spec');
}
function podLabels(workload: Manifest): Obj {
  return obj(obj(obj(obj(workload.body['spec'], 'spec')['template'], 'template')['metadata'], 'template.metadata')['labels'], 'template labels');
}
function allContainers(workload: Manifest): Obj[] {
  const spec = podSpec(workload);
  return [...list(spec['initContainers'], 'initContainers'), ...list(spec['containers'], 'containers')];
}
function matches(selector: Obj, labels: Obj): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}
/** A Secret's or ConfigMap's keys. */
function keysOf(manifest: Manifest): string[] {
  return [...Object.keys(isObj(manifest.body['data']) ? manifest.body['data'] : {}), ...Object.keys(isObj(manifest.body['stringData']) ? manifest.body['stringData'] : {})];
}
/** Where each file of a pod's Secret and ConfigMap volumes appears in `container`: path → [kind, name, key]. */
function mountedFiles(workload: Manifest, container: Obj): Map<string, [string, string, string]> {
  const volumes = list(podSpec(workload)['volumes'], 'volumes');
  const files = new Map<string, [string, string, string]>();
  for (const mount of list(container['volumeMounts'], 'volumeMounts')) {
    const volume = volumes.find((candidate) => candidate['name'] === mount['name']);
    if (volume === undefined) continue;
    const source = isObj(volume['secret']) ? (['Secret', volume['secret']['secretName']] as const) : isObj(volume['configMap']) ? (['ConfigMap', volume['configMap']['name']] as const) : undefined;
    if (source === undefined) continue;
    const [kind, name] = source;
    const target = one(kind, str(name, 'volume source name'));
    if (target === undefined) continue;
    const config = obj(volume['secret'] ?? volume['configMap'], 'source');
    const items = config['items'] === undefined ? keysOf(target).map((key) => ({ key, path: key })) : list(config['items'], 'items');
    for (const item of items) files.set(posix.join(str(mount['mountPath'], 'mountPath'), str(item['path'], 'path')), [kind, target.name, str(item['key'], 'key')]);
  }
  return files;
}
function envValue(container: Obj, name: string): string | undefined {
  const entry = list(container['env'], 'env').find((candidate) => candidate['name'] === name);
  return typeof entry?.['value'] === 'string' ? entry['value'] : undefined;
}

describe('lab/kubernetes', () => {
  it('is a kustomization of every manifest file, with an image entry for every image used', () => {
    const kustomization = readKustomization();
    expect(kustomization['kind']).toBe('Kustomization');
    expect(kustomization['namespace']).toBe(NAMESPACE);
    const resources = (kustomization['resources'] as unknown[]).map((resource) => str(resource, 'resource'));
    expect([...resources].sort()).toEqual([...new Set(manifests.map((manifest) => manifest.file))].sort());
    const imageNames = list(kustomization['images'], 'images').map((image) => image['name']);
    const used = new Set(workloads.flatMap((workload) => allContainers(workload).map((container) => str(container['image'], 'image'))));
    expect([...used].sort()).toEqual([...imageNames].sort());
  });

  it('has only known kinds, with their apiVersion, valid names, in the lab namespace', () => {
    expect(manifests.length).toBeGreaterThan(0);
    for (const manifest of manifests) {
      expect(KINDS[manifest.kind], `${manifest.file}: kind ${manifest.kind}`).toBeDefined();
      expect(manifest.body['apiVersion'], `${manifest.file}: ${manifest.kind} ${manifest.name}`).toBe(KINDS[manifest.kind]);
      expect(manifest.name).toMatch(DNS_1123);
      const metadata = obj(manifest.body['metadata'], 'metadata');
      if (manifest.kind === 'Namespace') expect(manifest.name).toBe(NAMESPACE);
      else expect(metadata['namespace'], `${manifest.kind} ${manifest.name}`).toBe(NAMESPACE);
    }
    const names = manifests.map((manifest) => `${manifest.kind}/${manifest.name}`);
    expect(new Set(names).size).toBe(names.length);
  });

  it('has the KDC, a StatefulSet of endpoints behind a headless Service, the client, and secrets for the passwords', () => {
    const statefulSet = one('StatefulSet', 'winrm');
    expect(statefulSet).toBeDefined();
    if (statefulSet === undefined) return;
    const spec = obj(statefulSet.body['spec'], 'spec');
    const service = one('Service', str(spec['serviceName'], 'serviceName'));
    expect(service?.body['spec']).toMatchObject({ clusterIP: 'None' });
    expect(Number(spec['replicas'])).toBeGreaterThan(3);
    expect(one('Deployment', 'kdc')).toBeDefined();
    expect(one('Service', 'kdc')).toBeDefined();
    expect(one('Deployment', 'client')).toBeDefined();
    expect(keysOf(one('Secret', 'lab-passwords') ?? { file: '', kind: '', name: '', body: {} }).sort()).toEqual(['admin-password', 'password']);
  });

  it("matches every workload's selector to its pod labels, and every Service to some workload's pods and ports", () => {
    for (const workload of workloads) {
      const selector = obj(obj(obj(workload.body['spec'], 'spec')['selector'], 'selector')['matchLabels'], 'matchLabels');
      expect(matches(selector, podLabels(workload)), `${workload.kind} ${workload.name}`).toBe(true);
      const names = allContainers(workload).map((container) => container['name']);
      expect(new Set(names).size, `${workload.name}: container names`).toBe(names.length);
    }
    for (const service of byKind('Service')) {
      const spec = obj(service.body['spec'], 'spec');
      const selector = obj(spec['selector'], `${service.name}: selector`);
      const targets = workloads.filter((workload) => matches(selector, podLabels(workload)));
      expect(targets.map((workload) => workload.name), `Service ${service.name} selects`).toHaveLength(1);
      const portNames = targets.flatMap((workload) => allContainers(workload).flatMap((container) => list(container['ports'], 'ports').map((port) => port['name'])));
      for (const port of list(spec['ports'], 'ports')) {
        expect(portNames, `Service ${service.name} targetPort`).toContain(port['targetPort']);
        expect(String(port['name']).length).toBeLessThanOrEqual(15);
      }
    }
  });

  it('refers only to volumes, Secrets, ConfigMaps, keys and named ports that exist', () => {
    for (const workload of workloads) {
      const spec = podSpec(workload);
      const claims = list(obj(workload.body['spec'], 'spec')['volumeClaimTemplates'], 'volumeClaimTemplates').map((claim) => obj(claim['metadata'], 'metadata')['name']);
      const volumes = list(spec['volumes'], 'volumes');
      const volumeNames = [...volumes.map((volume) => volume['name']), ...claims];
      for (const volume of volumes) {
        if (isObj(volume['secret'])) {
          const secret = one('Secret', str(volume['secret']['secretName'], 'secretName'));
          expect(secret, `${workload.name}: secret volume`).toBeDefined();
          for (const item of list(volume['secret']['items'], 'items')) expect(keysOf(secret ?? workload)).toContain(item['key']);
        }
        if (isObj(volume['configMap'])) {
          const configMap = one('ConfigMap', str(volume['configMap']['name'], 'configMap name'));
          expect(configMap, `${workload.name}: configMap volume`).toBeDefined();
          for (const item of list(volume['configMap']['items'], 'items')) expect(keysOf(configMap ?? workload)).toContain(item['key']);
        }
      }
      for (const container of allContainers(workload)) {
        for (const mount of list(container['volumeMounts'], 'volumeMounts')) expect(volumeNames, `${workload.name}/${String(container['name'])}`).toContain(mount['name']);
        for (const entry of list(container['env'], 'env')) {
          const ref = isObj(entry['valueFrom']) ? entry['valueFrom']['secretKeyRef'] : undefined;
          if (!isObj(ref)) continue;
          expect(keysOf(one('Secret', str(ref['name'], 'secretKeyRef.name')) ?? workload), `${workload.name}: ${String(entry['name'])}`).toContain(ref['key']);
        }
        const portNames = list(container['ports'], 'ports').map((port) => port['name']);
        for (const probe of ['readinessProbe', 'livenessProbe']) {
          const tcp = isObj(container[probe]) ? container[probe]['tcpSocket'] : undefined;
          if (isObj(tcp) && typeof tcp['port'] === 'string') expect(portNames).toContain(tcp['port']);
        }
      }
    }
  });

  it('gives winrmd a users file, password files, a keytab path and arguments that winrmd accepts', async () => {
    const statefulSet = one('StatefulSet', 'winrm');
    if (statefulSet === undefined) throw new Error('no StatefulSet winrm');
    const winrmd = list(podSpec(statefulSet)['containers'], 'containers').find((container) => container['name'] === 'winrmd');
    if (winrmd === undefined) throw new Error('no winrmd container');
    const files = mountedFiles(statefulSet, winrmd);

    const usersPath = envValue(winrmd, 'WINRMD_USERS_FILE') ?? '';
    const usersSource = files.get(usersPath);
    expect(usersSource?.[0], `WINRMD_USERS_FILE ${usersPath} is mounted from a ConfigMap`).toBe('ConfigMap');
    const configMap = one('ConfigMap', usersSource?.[1] ?? '');
    const usersText = str(obj(configMap?.body['data'], 'data')[usersSource?.[2] ?? ''], 'users file');
    for (const entry of parseUsersFile(usersText, usersPath)) {
      if ('passwordFile' in entry.secret) expect(files.get(entry.secret.passwordFile)?.[0], `${entry.name}'s passwordFile`).toBe('Secret');
    }
    expect(files.get(envValue(winrmd, 'WINRMD_ADMIN_PASSWORD_FILE') ?? '')?.[0]).toBe('Secret');

    const args = (winrmd['args'] as unknown[]).map((arg) => str(arg, 'arg'));
    expect(args[0]).toBe('serve');
    const config = await loadConfig(parseServeOptions(args.slice(1)));
    const keytabMount = list(winrmd['volumeMounts'], 'volumeMounts').find((mount) => mount['name'] === 'keytab');
    expect(config['Service.Auth.Keytab'].startsWith(`${str(keytabMount?.['mountPath'], 'keytab mountPath')}/`)).toBe(true);

    expect(obj(obj(winrmd['securityContext'], 'securityContext')['capabilities'], 'capabilities')).toEqual({ drop: ['ALL'], add: ['SETUID', 'SETGID', 'KILL', 'CHOWN'] });
    expect([...(obj(obj(winrmd['securityContext'], 'securityContext')['capabilities'], 'c')['add'] as string[])].sort()).toEqual(CAPABILITIES);
  });
});
