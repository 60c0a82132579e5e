"""Runs a live suite's scenarios one by one against a started world: each prints `ok NAME:
detail` or `FAIL NAME: error`, a failure does not stop the next, and each has 30 s."""

import asyncio

SCENARIO_SECONDS = 30


async def run_scenarios(world, scenarios, wanted):
    """Runs the scenarios named in `wanted` (all when empty); returns whether any failed."""
    failed = False
    for scenario in scenarios:
        if wanted and scenario.__name__ not in wanted:
            continue
        try:
            detail = await asyncio.wait_for(scenario(world), SCENARIO_SECONDS)
            print(f"ok {scenario.__name__}: {detail}", flush=True)
        except Exception as error:  # noqa: BLE001 - reported, then the next scenario runs
            failed = True
            print(f"FAIL {scenario.__name__}: {type(error).__name__}: {error!r}", flush=True)
    return failed
