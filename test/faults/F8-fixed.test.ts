// F8 proven on the build whose IC writes survive restarts: a pass on every seed.
import t from 'tap';
import { proveSide, TWO_SEEDS } from '../helpers/mean-runs.ts';

proveSide(t, 'F8', 'fixed', 'pass', undefined, TWO_SEEDS);
