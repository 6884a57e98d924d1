// F12 proven on the build with every fix: a pass on two seeds (the finding side is F12.test.ts).
import t from 'tap';
import { proveSide, TWO_SEEDS } from '../helpers/mean-runs.ts';

proveSide(t, 'F12', 'fixed', 'pass', undefined, TWO_SEEDS);
