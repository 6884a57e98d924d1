import t from 'tap';
import { linkAndComponentFaults } from './helpers/link-scenarios.ts';

await linkAndComponentFaults(t, 'docker');
