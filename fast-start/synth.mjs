// `npm run synth` when there is no fresh startup snapshot (fast-start/run.sh): see slow-path.mjs.
import { slowPath } from './slow-path.mjs';

await slowPath('synth', process.argv.slice(2));
