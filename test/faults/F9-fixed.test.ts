// F9 proven on the build with an honest batch console (2016-01 on) and with every fix: a pass on every seed.
import t from 'tap';
import { proveSide, TWO_SEEDS } from '../helpers/mean-runs.ts';

proveSide(t, 'F9', 'fixed', 'pass', undefined, TWO_SEEDS);
