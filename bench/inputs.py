"""Benchmark inputs, built outside any timed region: masks drawn from the demo catalog's
writer mix (csvbackup.demo.DEMO_WRITERS) and mtimes spread over two years."""
import functools

import numpy as np

from csvbackup.demo import DEMO_NOW, DEMO_WRITERS, TICKS_PER_DAY


@functools.lru_cache(maxsize=1)
def catalog(rows, seed=1):
    """(masks uint32, mtimes int64, since) for `rows` files."""
    rng = np.random.default_rng(seed)
    values, probs = [], []
    for w in DEMO_WRITERS:
        for mask, p in w.masks:
            values.append(mask)
            probs.append(w.share * p)
    probs = np.array(probs) / np.sum(probs)
    masks = np.array(values, dtype=np.uint32)[rng.choice(len(values), rows, p=probs)]
    mtimes = DEMO_NOW - rng.integers(0, 730 * TICKS_PER_DAY, rows, dtype=np.int64)
    since = DEMO_NOW - 7 * TICKS_PER_DAY
    return masks, mtimes, since
