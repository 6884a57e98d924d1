// F17 proven on the build with every fix: a pass on every seed (the finding side is F17.test.ts).
import t from 'tap';
import { proveSide, TWO_SEEDS } from '../helpers/mean-runs.ts';
import { noPinWritten } from '../helpers/pins.ts';

proveSide(t, 'F17', 'fixed', 'pass', noPinWritten, TWO_SEEDS);
