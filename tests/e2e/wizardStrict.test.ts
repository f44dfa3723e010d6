/** Every path to ready in the wizard, under the strict simulator profile (tests/e2e/pathsToReady.ts). */
import { useBuiltCliInTmux } from './flows.js';
import { everyPathToReady } from './pathsToReady.js';

useBuiltCliInTmux();

everyPathToReady('strict');
