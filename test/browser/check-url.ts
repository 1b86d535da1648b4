import { approvedInspection, type InspectionWorld } from '../support/inspection-world.js';
import { qrTextsInPng } from '../support/qr-decode.js';
import type { TestApp } from '../support/test-app.js';

/** Issues a code for a fresh approved inspection; its id and the API's check URL (the electronic link, `#m=`). */
async function issue(t: TestApp, w: InspectionWorld): Promise<{ id: string; checkUrl: string }> {
  const id = await approvedInspection(t, w);
  const res = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer });
  if (res.statusCode !== 201) throw new Error(res.body);
  return { id, checkUrl: res.json().checkUrl as string };
}

/** `url`'s path, query and fragment on `base` (the browser test's server). */
const on = (base: string, text: string) => {
  const url = new URL(text);
  return `${base}${url.pathname}${url.search}${url.hash}`;
};

/** Issues a code for a fresh approved inspection and answers the check page's URL its QR opens, on `base`. */
export async function issuedCheckUrl(t: TestApp, w: InspectionWorld, base: string): Promise<string> {
  return on(base, (await issue(t, w)).checkUrl);
}

/** Issues a code and answers what its printed QR (the code card's PNG, read by zbarimg) opens, on `base`. */
export async function issuedPrintedQrUrl(t: TestApp, w: InspectionWorld, base: string): Promise<string> {
  const { id } = await issue(t, w);
  const png = await t.call({ method: 'GET', url: `/api/v1/inspections/${id}/code.png`, as: w.officer });
  const [text] = qrTextsInPng(png.rawPayload);
  if (!text) throw new Error('no QR code found in the code card');
  return on(base, text);
}
