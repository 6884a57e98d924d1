// F3 proven on the build with every fix: a pass on every seed (the finding side is F3.test.ts).
import t from 'tap';
import { proveSide } from '../helpers/mean-runs.ts';
import { F3_CHECK } from '../helpers/side-checks.ts';

proveSide(t, 'F3', 'fixed', 'pass', F3_CHECK);
