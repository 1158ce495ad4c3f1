export { ADMINISTRATORS, REMOTE_MANAGEMENT_USERS, isMemberOf, normalizeGroups } from './groups.js';
export { sameName, validateGroupName, validateUserName } from './names.js';
export type { UserRecord } from './user-record.js';
export { UserStore, USERS_FILE_NAME } from './user-store.js';
export { UserStoreError, type UserStoreErrorCode } from './user-store-error.js';
