/** The device rules (Art. 34–37) are declared in src/rules/declarations/devices.ts. */
export { DEVICE_NOT_IN_USE, DEVICE_NOT_PUBLISHED, DEVICE_UNREVIEWED, deviceEvidenceChecks, stateAt, type DeviceEvidenceFacts } from '../rules/declarations/devices.js';
