/**
 * The configuration resources ([MS-WSMV] 3.1.4.1.29-30): `.../wsman/1/config` and its
 * sub-resources (`/service`, `/service/auth`, `/winrs`, `/client`, ...) hold the configuration
 * tree; `/listener` holds one instance per listener, named by the Address and Transport selectors.
 * Each sub-resource's element is in a namespace of its own: its resource URI, lower case.
 */
export const CONFIG_URI = 'http://schemas.microsoft.com/wbem/wsman/1/config';
export const LISTENER_URI = `${CONFIG_URI}/listener`;

/**
 * The path of a configuration resource below the root (`['service', 'auth']`; `[]` for the root),
 * or undefined for any other resource. Windows compares resource URIs without regard to case.
 * The listener resource is not part of the tree, so it is not a path here.
 */
export function configTreePath(resourceUri: string | undefined): string[] | undefined {
  const lower = resourceUri?.trim().toLowerCase();
  if (lower === undefined) return undefined;
  if (lower === CONFIG_URI) return [];
  if (!lower.startsWith(`${CONFIG_URI}/`) || isListenerResource(lower)) return undefined;
  const path = lower.slice(CONFIG_URI.length + 1).split('/');
  return path.includes('') ? undefined : path;
}

export function isListenerResource(resourceUri: string | undefined): boolean {
  return resourceUri?.trim().toLowerCase() === LISTENER_URI;
}

/** The namespace of the element a configuration resource is written as. */
export function configNamespace(path: readonly string[]): string {
  return path.length === 0 ? CONFIG_URI : `${CONFIG_URI}/${path.join('/').toLowerCase()}`;
}
