// F10 proven on the build with every fix: a pass on every seed (the finding side is F10.test.ts).
import t from 'tap';
import { proveSide, TWO_SEEDS } from '../helpers/mean-runs.ts';

proveSide(t, 'F10', 'fixed', 'pass', undefined, TWO_SEEDS);
