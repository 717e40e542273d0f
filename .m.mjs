import { getProvider } from './dist/core/providers/registry.js';
import { fitNotes } from './dist/core/fixtures/fit.js';
const gh = getProvider('github');
for (const type of ['push','issues.opened','pull_request.opened','ping','workflow_run.completed']) {
  const body = JSON.parse(gh.catalog.build(type).body.toString());
  let t = performance.now(); fitNotes(gh.catalog, type, body); const first = performance.now()-t;
  t = performance.now(); for (let i=0;i<300;i++) fitNotes(gh.catalog, type, body); const per = (performance.now()-t)/300;
  console.log(type, 'first', first.toFixed(1), 'ms; then', (per*1000).toFixed(0), 'µs', JSON.stringify(body).length, 'bytes');
}
const std = getProvider('standard');
const body = JSON.parse(std.catalog.build('user.created').body.toString());
let t = performance.now(); for (let i=0;i<5000;i++) fitNotes(std.catalog, 'user.created', body); console.log('standard user.created', ((performance.now()-t)/5000*1000).toFixed(1), 'µs');
