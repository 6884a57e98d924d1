// The replay commands a finding run prints give the same verdicts and exit statuses again: a
// 2016-03 run of the two faults that level changed (F1 still a finding, now an explicit
// interrupted error; F2 corrected, a pass), each printed replay command then run as printed.
// Apart from the row's own file (level-2016-03.test.ts), as the replays double a run's time.
import t from 'tap';
import { checkReplays } from '../helpers/level-verdicts.ts';

await checkReplays(t, '2016-03', ['F1', 'F2']);
