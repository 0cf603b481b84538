"""The peer of the queue case: pgqueuer (PyPI) draining N no-op jobs on the same PostgreSQL.

Usage: pgqueuer_drain.py DSN JOBS WORKERS BATCH
Queues JOBS jobs, then drains them with WORKERS queue managers (one connection each, one
event loop) fetching BATCH jobs at a time; prints one JSON line with the drain's seconds.
"""

import asyncio
import json
import sys
import time
from datetime import timedelta

import asyncpg
from pgqueuer.adapters.drivers.asyncpg import AsyncpgDriver
from pgqueuer.core.qm import QueueManager
from pgqueuer.queries import Queries
from pgqueuer.types import QueueExecutionMode


async def main(dsn: str, jobs: int, workers: int, batch: int) -> None:
    setup = await asyncpg.connect(dsn)
    queries = Queries(AsyncpgDriver(setup))
    if not await queries.has_table(queries.qbe.settings.queue_table):
        await queries.install()
    await queries.clear_queue()
    await queries.clear_queue_log()
    for start in range(0, jobs, 2000):
        count = min(2000, jobs - start)
        await queries.enqueue(["noop"] * count, [None] * count, [0] * count)
    done = 0

    connections = [await asyncpg.connect(dsn) for _ in range(workers)]
    managers = []
    for connection in connections:
        manager = QueueManager(Queries(AsyncpgDriver(connection)))

        @manager.entrypoint("noop")
        async def noop(job) -> None:
            nonlocal done
            done += 1

        managers.append(manager)
    started = time.perf_counter()
    await asyncio.gather(
        *(
            manager.run(
                dequeue_timeout=timedelta(seconds=1), batch_size=batch, mode=QueueExecutionMode.drain, log_aggregation_interval=timedelta(0)
            )
            for manager in managers
        )
    )
    elapsed = time.perf_counter() - started
    for connection in connections:
        await connection.close()
    await setup.close()
    if done != jobs:
        raise SystemExit(f"pgqueuer ran {done} of {jobs} jobs")
    print(
        json.dumps(
            {
                "kind": "queue",
                "subject": "pgqueuer",
                "parameters": {"workers": workers, "batch": batch, "deliveries": jobs},
                "figures": {"seconds": elapsed, "perSecond": jobs / elapsed},
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])))
