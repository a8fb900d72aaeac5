"""Job handlers of the foundation: the demo-data load."""

from amina.core import demo
from amina.jobs.services import handler


@handler("demo-data")
def load_demo_data(job, progress) -> dict:
    params = job.parameters
    summary = demo.generate(params.get("scale", "medium"), int(params.get("seed", 2015)), progress)
    return {
        name: ", ".join(f"{k}: {v}" for k, v in counts.items()) for name, counts in summary.items()
    }
