/**
 * The demo's shipping service (Node, OpenTelemetry JS SDK): `GET /ship?sku&qty`, called by the Java
 * checkout, books a carrier and asks notification.ts to tell the customer, so one trace goes
 * Java → Node → Node. Used by examples/java-agent/demo.sh; runs alone as well:
 *
 *   PORT=8083 NOTIFICATION_URL=http://127.0.0.1:8084 node_modules/.bin/node examples/node-app/shipping.ts
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createTracing, serveTraced, tracedGet } from './traced-http.ts';
import { inSpan } from './in-span.ts';

const tracing = createTracing('shipping');
const notification = process.env.NOTIFICATION_URL ?? 'http://127.0.0.1:8084';
const port = Number(process.env.PORT ?? '8083');

await serveTraced(tracing, port, {
  '/ship': async (ctx, url) => {
    const sku = url.searchParams.get('sku') ?? '';
    const qty = Number(url.searchParams.get('qty') ?? '1');
    const carrier = await inSpan(tracing.tracer, 'book-carrier', { parent: ctx, attributes: { 'app.sku': sku, 'app.quantity': qty } }, async (span) => {
      await sleep(2 + Math.random() * 5);
      const choice = qty > 2 ? 'freight' : 'parcel';
      span.setAttribute('app.carrier', choice);
      return choice;
    });
    const notified = await tracedGet(tracing.tracer, ctx, new URL(`/notify?event=shipped&sku=${encodeURIComponent(sku)}`, notification));
    return { status: notified.status === 202 ? 200 : 502, body: { carrier, etaDays: qty > 2 ? 5 : 2, notified: notified.body } };
  },
});
console.log(`shipping listening on http://127.0.0.1:${port}/ship`);
