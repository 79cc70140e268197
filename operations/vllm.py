"""vLLM's own gauges, read from each vLLM endpoint's /metrics at scrape time and republished per endpoint.

    vllm:num_requests_running{model_name="m"} 3
        -> workbench_vllm_num_requests_running{endpoint="http://gpu1:8000/v1",model_name="m"} 3

Republished: running and waiting requests, KV-cache usage (`gpu_cache_usage_perc` before vLLM 0.9,
`kv_cache_usage_perc` after) and any gauge about GPU memory (vLLM exposes none today: GPU memory comes from
NVIDIA's DCGM exporter). An endpoint that does not answer gives workbench_vllm_scrape_ok 0, never an error.
The embedded llama.cpp server (llama-cpp-python's `llama_cpp.server`) serves no /metrics at all, so there is
nothing to republish for it; its calls are measured from the audit trail like every endpoint's.
"""

import re
from collections.abc import Iterator

import httpx
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.parser import text_string_to_metric_families

from worker.llm.endpoints import Dialect, Endpoint

REPUBLISHED = frozenset({
    "vllm:num_requests_running", "vllm:num_requests_waiting", "vllm:gpu_cache_usage_perc", "vllm:kv_cache_usage_perc",
})  # fmt: skip
_GPU_MEMORY = re.compile(r"^vllm:.*(gpu.*mem|mem.*gpu)")


def metrics_url(endpoint: Endpoint) -> str:
    """vLLM serves /metrics at the server's root, beside /v1."""
    return endpoint.base_url.removesuffix("/v1") + "/metrics"


def vllm_metrics(endpoints: list[Endpoint], *, timeout: float) -> Iterator[Metric]:
    ok = GaugeMetricFamily("workbench_vllm_scrape_ok", "Whether the vLLM endpoint's /metrics answered.",
                           labels=["endpoint"])  # fmt: skip
    republished: dict[str, Metric] = {}  # one family per name, with every endpoint's samples
    for endpoint in endpoints:
        if endpoint.dialect != Dialect.VLLM:
            continue
        try:
            response = httpx.get(metrics_url(endpoint), timeout=timeout)
            response.raise_for_status()
            families = list(text_string_to_metric_families(response.text))
        except (httpx.HTTPError, ValueError):
            ok.add_metric([endpoint.base_url], 0)
            continue
        ok.add_metric([endpoint.base_url], 1)
        for family in families:
            if family.type != "gauge" or not (family.name in REPUBLISHED or _GPU_MEMORY.search(family.name)):
                continue
            name = "workbench_" + family.name.replace(":", "_")
            target = republished.setdefault(name, Metric(name, family.documentation, "gauge"))
            for sample in family.samples:
                target.add_sample(name, {**sample.labels, "endpoint": endpoint.base_url}, sample.value)
    yield ok
    yield from republished.values()
