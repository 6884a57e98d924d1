// F7 proven on the build with the permanent fix (2016-04 on) and with every fix: a pass on every seed.
import t from 'tap';
import { proveSide, TWO_SEEDS } from '../helpers/mean-runs.ts';

proveSide(t, 'F7', 'fixed', 'pass', undefined, TWO_SEEDS);
