// `npm run validate` when there is no fresh startup snapshot (fast-start/run.sh): see slow-path.mjs.
import { slowPath } from './slow-path.mjs';

await slowPath('validate', process.argv.slice(2));
