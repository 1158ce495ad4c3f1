import { describe, expect, it } from 'vitest';
import { mayUseRemoteManagement } from '../../../auth/authorize.js';

const ADMINS_ONLY = 'O:NSG:BAD:P(A;;GA;;;BA)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)';
const ADMINS_AND_BOB = 'O:NSG:BAD:P(A;;GA;;;BA)(A;;GX;;;bob)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)';
const NOBODY = 'O:NSG:BAD:P(D;;GA;;;WD)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)';

describe('mayUseRemoteManagement', () => {
  it('answers each requester for the RootSDDL given, however often it is asked and whatever came before', () => {
    for (let round = 0; round < 3; round++) {
      expect(mayUseRemoteManagement(ADMINS_ONLY, 'alice', ['Administrators'])).toBe(true);
      expect(mayUseRemoteManagement(ADMINS_ONLY, 'alice', [])).toBe(false);
      expect(mayUseRemoteManagement(ADMINS_ONLY, 'bob', [])).toBe(false);
      expect(mayUseRemoteManagement(ADMINS_AND_BOB, 'bob', [])).toBe(true);
      expect(mayUseRemoteManagement(ADMINS_AND_BOB, 'alice', [])).toBe(false);
      expect(mayUseRemoteManagement(NOBODY, 'alice', ['Administrators'])).toBe(false);
    }
  });

  it('keeps a name and its groups apart in what it remembers', () => {
    // Same characters, split differently between the name and the groups.
    expect(mayUseRemoteManagement(ADMINS_AND_BOB, 'bob', ['x'])).toBe(true);
    expect(mayUseRemoteManagement(ADMINS_AND_BOB, 'bo', ['bx'])).toBe(false);
  });

  it('stays right past the number of requesters it remembers', () => {
    for (let i = 0; i < 2500; i++) {
      expect(mayUseRemoteManagement(ADMINS_ONLY, `user${i}`, i % 2 === 0 ? ['Administrators'] : [])).toBe(i % 2 === 0);
    }
  });
});
