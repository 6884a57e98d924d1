// F14 proven on the build with every fix: a pass on every seed (the finding side is F14.test.ts).
import t from 'tap';
import { proveSide, TWO_SEEDS } from '../helpers/mean-runs.ts';

proveSide(t, 'F14', 'fixed', 'pass', undefined, TWO_SEEDS);
