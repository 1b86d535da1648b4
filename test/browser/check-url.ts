import { approvedInspection, type InspectionWorld } from '../support/inspection-world.js';
import type { TestApp } from '../support/test-app.js';

/** Issues a code for a fresh approved inspection and answers the check page's URL its QR opens, on `base`. */
export async function issuedCheckUrl(t: TestApp, w: InspectionWorld, base: string): Promise<string> {
  const id = await approvedInspection(t, w);
  const res = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer });
  if (res.statusCode !== 201) throw new Error(res.body);
  const url = new URL(res.json().checkUrl as string);
  return `${base}${url.pathname}${url.search}${url.hash}`;
}
