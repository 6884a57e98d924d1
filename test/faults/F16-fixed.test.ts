// F16 proven on the build with every fix: a pass on every seed (the finding side is F16.test.ts).
import t from 'tap';
import { proveSide, TWO_SEEDS } from '../helpers/mean-runs.ts';

proveSide(t, 'F16', 'fixed', 'pass', undefined, TWO_SEEDS);
