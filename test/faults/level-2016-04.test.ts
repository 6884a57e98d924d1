// The 2016-04 row of the level × fault table (test/helpers/level-verdicts.ts) through the
// commands a user types: run, and judge from the evidence (replays: level-2016-03-replay.test.ts).
// One row a file, to stay well inside tap's timeout.
import t from 'tap';
import { checkLevelRow } from '../helpers/level-verdicts.ts';

await checkLevelRow(t, '2016-04');
