// Preloaded into `castellan serve` by profile-allocations.js (`node --import`): the first SIGUSR2
// starts V8's sampling heap profiler (objects the young and old collections freed included, so
// it shows what a request allocates, not what survives), the second writes the profile to
// $CASTELLAN_ALLOCATION_PROFILE and prints `allocation profile written` on stdout.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const session = new Session();
session.connect();
let sampling = false;
const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (err, r) => (err ? reject(err) : resolve(r))));
process.on('SIGUSR2', async () => {
  if (!sampling) {
    sampling = true;
    await post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    process.stdout.write('allocation sampling started\n');
    return;
  }
  const { profile } = await post('HeapProfiler.stopSampling');
  writeFileSync(process.env.CASTELLAN_ALLOCATION_PROFILE, JSON.stringify(profile));
  process.stdout.write('allocation profile written\n');
});
