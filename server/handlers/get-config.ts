import { writeConfigResource } from '../../protocol/config/config-xml.js';
import { configNamespace, configTreePath } from '../../protocol/config/uris.js';
import { WsmanFault } from '../../protocol/wsman/fault.js';
import { CONFIG_TREE, findEntry, isGroup, renderGroup, type TreeGroup } from '../config-tree.js';
import { requireAdministrator } from './config-access.js';
import type { HandlerContext } from './context.js';

/** Get on `.../config` or a sub-resource (`/service`, `/service/auth`, `/winrs`, `/client`): the running values. */
export function getConfig(ctx: HandlerContext): Promise<string> {
  requireAdministrator(ctx);
  const { path, group } = requireConfigGroup(ctx);
  return Promise.resolve(writeConfigResource(renderGroup(group, ctx.service.config), configNamespace(path)));
}

/** The tree group a configuration resource URI names; a name outside the tree is an unknown resource. */
export function requireConfigGroup(ctx: HandlerContext): { path: string[]; group: TreeGroup } {
  const path = configTreePath(ctx.request.resourceUri);
  const entry = path === undefined ? undefined : findEntry(CONFIG_TREE, path);
  if (path === undefined || entry === undefined || !isGroup(entry)) {
    throw new WsmanFault('unknownResource', [ctx.request.resourceUri ?? ''], `resource ${ctx.request.resourceUri ?? '(none)'}`);
  }
  return { path, group: entry };
}
