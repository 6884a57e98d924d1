// The 2016-03 row of the level × fault table (test/helpers/level-verdicts.ts) through the
// commands a user types: run, and judge from the evidence. Only the rows that differ from the
// per-fault tests' two sides run (2016-01 and 2015-10 are all findings, fixed all passes:
// test/faults/F1-F4 prove both), one a file to stay well inside tap's timeout; the replay
// commands of a 2016-03 run are checked in level-2016-03-replay.test.ts.
import t from 'tap';
import { checkLevelRow } from '../helpers/level-verdicts.ts';

await checkLevelRow(t, '2016-03');
