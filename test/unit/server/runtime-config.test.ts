import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/index.js';
import { RUNTIME_KEYS, RuntimeConfig } from '../../../server/runtime-config.js';

describe('RuntimeConfig', () => {
  it('shows a change through the same live object, leaving the initial config alone', async () => {
    const initial = await loadConfig({});
    const runtime = new RuntimeConfig(initial);
    const live = runtime.values;
    runtime.apply(new Map([['Service.MaxTimeoutms', 90000], ['Winrs.MaxShellsPerUser', 2]]));
    expect(live['Service.MaxTimeoutms']).toBe(90000);
    expect(live['Winrs.MaxShellsPerUser']).toBe(2);
    expect(initial['Service.MaxTimeoutms']).toBe(60000);
  });

  it('refuses, whole, a change that includes a key set up only at start', async () => {
    const runtime = new RuntimeConfig(await loadConfig({}));
    expect(RUNTIME_KEYS.has('Service.DefaultPorts.HTTP')).toBe(false);
    expect(() => {
      runtime.apply(new Map([['Service.MaxTimeoutms', 90000], ['Service.DefaultPorts.HTTP', 1]]));
    }).toThrow(/DefaultPorts/);
    expect(runtime.values['Service.MaxTimeoutms']).toBe(60000);
  });
});
