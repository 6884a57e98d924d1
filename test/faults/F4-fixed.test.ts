// F4 proven on the build with every fix: a pass on every seed (the finding side is F4.test.ts).
import t from 'tap';
import { proveSide } from '../helpers/mean-runs.ts';
import { F4_CHECK } from '../helpers/side-checks.ts';

proveSide(t, 'F4', 'fixed', 'pass', F4_CHECK);
