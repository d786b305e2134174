// `npm run token -- …` from source; the built package has the same command as `canopy token …`
// (src/auth/tokenCommand.ts).
import { tokenCommand } from '../src/auth/tokenCommand.js';

process.exitCode = await tokenCommand(
  process.argv.slice(2),
  process.env,
  {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  },
  'npm run --silent token --',
);
