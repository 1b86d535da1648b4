import { inArray } from 'drizzle-orm';
import type { RefusalSubject } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { monitoringDevices } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import type { RuleResult } from '../rules/result.js';
import { deviceEvidenceChecks } from '../rules/declarations/devices.js';

/** Any evidence item; those naming a device are monitoring-device data. */
export interface EvidenceLike {
  kind: string;
  deviceId?: string;
  capturedAt?: string;
}

const isDeviceData = (e: EvidenceLike) => e.kind === 'device_data' || e.deviceId !== undefined;

/**
 * Refuses evidence from a monitoring device that had not passed both reviews, or whose location was not
 * published, when it captured the data (DEVICE_UNREVIEWED, DEVICE_NOT_PUBLISHED; Art. 34–36). `field`
 * names the evidence array in the request, for the 400s on a missing device or capture time.
 */
export async function assertDeviceEvidence(tx: Db, items: readonly EvidenceLike[], field: string, at: Date): Promise<void> {
  const deviceItems = items.map((e, i) => ({ e, i })).filter(({ e }) => isDeviceData(e));
  if (deviceItems.length === 0) return;
  for (const { e, i } of deviceItems) {
    if (!e.deviceId) throw DomainError.field(`${field}[${i}].deviceId`, '电子技术监控数据须注明采集设备');
    if (!e.capturedAt) throw DomainError.field(`${field}[${i}].capturedAt`, '电子技术监控数据须注明采集时间');
    if (new Date(e.capturedAt) > at) throw DomainError.field(`${field}[${i}].capturedAt`, '采集时间不能晚于当前时间');
  }
  const ids = [...new Set(deviceItems.map(({ e }) => e.deviceId!))];
  const devices = new Map((await tx.select().from(monitoringDevices).where(inArray(monitoringDevices.id, ids))).map((d) => [d.id, d]));
  const failed: RuleResult[] = [];
  for (const { e, i } of deviceItems) {
    const device = devices.get(e.deviceId!);
    if (!device) throw DomainError.field(`${field}[${i}].deviceId`, `监控设备 ${e.deviceId} 未登记`, 'REFERENCE_INVALID');
    failed.push(...deviceEvidenceChecks(device, new Date(e.capturedAt!)).filter((r) => !r.passed));
  }
  if (failed.length > 0) throw DomainError.fromRules(failed);
}

/** Where a refused piece of device evidence is recorded: against the first device it names. */
export function deviceEvidenceRefusalSubject(items: readonly EvidenceLike[] | undefined, agencyCode: string | undefined): RefusalSubject | null {
  const first = items?.find((e) => isDeviceData(e) && e.deviceId);
  return first ? { subjectType: 'device', subjectId: first.deviceId!, agencyCode: agencyCode ?? null } : null;
}
