export { activePersonalData, usePersonalData } from './active';
export { DataKeyStore, LOOKUP_SUBJECT, UnreadableDataKeyError } from './data-key-store';
export { enablePersonalData, PersonalDataKeyError } from './enable-personal-data';
export { erasePerson, ErasureRequestError, type ErasureReport, type ErasureRequest } from './erase-person';
export { hasErasedValues, isErased, withoutErasedValues } from './erased';
export { KeyEncryptionKey, parseKeyEncryptionKey } from './key-encryption-key';
export { personalFieldPolicy, personalValuesOf, subjects, type PersonalFieldPolicy } from './personal-fields';
export { PersonalDataProtector } from './protector';
export { rotateDataKeys, type RotationReport } from './rotate-keys';
