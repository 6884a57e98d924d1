// F1 proven on the build with every fix: a pass on every seed (the finding side is F1.test.ts).
import t from 'tap';
import { proveSide } from '../helpers/mean-runs.ts';
import { F1_CHECK } from '../helpers/side-checks.ts';

proveSide(t, 'F1', 'fixed', 'pass', F1_CHECK);
