import ndcLog from 'node-datachannel';
ndcLog.initLogger('Warning', (l, m) => console.log('NDC', l, m));
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { serveStatic } from './scripts/demo/static.js';
import { CHROMIUM_ARGS, pageState, openPage } from './test/support/pages.js';
import { browserInNamespace, publishPage, startReachNet } from './test/support/reach.js';
const pages = await serveStatic({ host: '127.0.0.1', port: 0, root: fileURLToPath(new URL('./scripts/demo/public/', import.meta.url)) });
const host = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
const reach = await startReachNet('dbg', 251, (t) => (process.env.URLS === 'tcptls' ? [t.urls.tcp, t.urls.tls] : [t.urls.udp, t.urls.tcp]));
try {
  const hc = await host.newContext();
  await publishPage(hc, pages.url, reach.tree.origin.url, 'fw');
  console.log('published');
  const { browser, context } = process.env.HOSTV ? { browser: host, context: await host.newContext() } : await browserInNamespace(reach.net, pages.url, process.env.CLOG ? ['--ignore-certificate-errors', '--enable-logging=stderr', '--v=0', '--vmodule=*turn_port*=3,*p2p_transport_channel*=3,*connection*=2,*port*=2'] : ['--ignore-certificate-errors']);
  const { turnCredential } = await import('./src/http/IceServers.js');
  const cr = turnCredential(reach.turn.secret, 'dbg', 3600_000);
  if (process.env.CTOR) await context.addInitScript(`(() => { const O = window.RTCPeerConnection; window.RTCPeerConnection = class extends O { constructor(c) { super({ ...(c || {}), iceServers: [{ urls: ['${reach.turn.urls.tcp}'], username: '${cr.username}', credential: '${cr.credential}' }] ${process.env.RELAY ? ", iceTransportPolicy: 'relay'" : ''} }); } }; RTCPeerConnection.prototype.setConfiguration = function () {}; })()`);
  else if (process.env.RELAY) await context.addInitScript(`(() => { const o = RTCPeerConnection.prototype.setConfiguration; RTCPeerConnection.prototype.setConfiguration = function (c) { return o.call(this, { ...c, iceTransportPolicy: 'relay' }); }; })()`);
  const page = await openPage(context, pages.url, 'watch.html', { relay: reach.tree.relays[1]!.url, stream: 'fw' });
  page.on('console', (m) => console.log('PAGE', m.text()));
  await page.click('#start');
  for (let i = 0; i < 4; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    console.log(i, await page.evaluate(`(async () => { const pc = window.__pcs[window.__pcs.length-1]; const out = []; for (const s of (await pc.getStats()).values()) if (s.type === 'candidate-pair') out.push(s.localCandidateId + ' ' + s.state + ' req ' + s.requestsSent + ' resp ' + s.responsesReceived); return out.join('\\n'); })()`));
  }
  console.log(await pageState(page));
  console.log(await page.evaluate(`(async () => { const pc = window.__pcs[window.__pcs.length-1]; const out = []; for (const s of (await pc.getStats()).values()) if (s.type.includes('candidate')) out.push(JSON.stringify(s)); out.push(JSON.stringify(pc.getConfiguration())); return out.join('\\n'); })()`));
  console.log(reach.tree.relays[1]!.node.ice.state());
  console.log(reach.turn.log().split('\n').filter((l) => !/Protocol not supported/.test(l)).slice(-60).join('\n'));
  await browser.close();
} finally {
  await reach.close();
  await host.close();
  await pages.close();
}
