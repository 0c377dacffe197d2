// ephemeral: nothing to build; the compiler inlines the model as a CTE wherever it is referenced.
import type { Strategy } from './types.js';

export const ephemeralStrategy: Strategy = {
  plan() {
    return { transactional: false, verb: 'inlined ephemeral', steps: [] };
  },
};
