export { ADMINISTRATORS, REMOTE_MANAGEMENT_USERS, isMemberOf, normalizeGroups } from './groups.js';
export { sameName, validateGroupName, validateOsUserName, validateUserName } from './names.js';
export { osAccountOf, type UserRecord } from './user-record.js';
export { UserStore, USERS_FILE_NAME } from './user-store.js';
export { UserStoreError, type UserStoreErrorCode } from './user-store-error.js';
