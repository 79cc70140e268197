"""The CUAD clause classifier, its artifact cache and the extract_clauses output.

The classifier fixture trains once on the shared CUAD split (a few minutes) and afterwards loads the
artifact cached in CLAUSE_MODEL_DIR; the contracts checked here are from the validation part it never saw.
"""

import json
import shutil

import numpy as np
import pytest
from scipy import sparse

from worker.clauses import CATEGORIES, ArtifactError, ClauseClassifier, artifact_info
from worker.clauses import artifact as artifact_module
from worker.clauses.artifact import INFO_FILE, MODEL_FILE, load
from worker.clauses.candidates import Candidate, candidates
from worker.clauses.dataset import LabelledContract, dataset_dir, is_validation, load_contracts
from worker.clauses.features import Featurizer
from worker.clauses.metric import matches, pooled_metrics, words
from worker.clauses.model import PREAMBLE_CHARS, category_masks, novelty_features
from worker.clauses.predictions import write_predictions
from worker.clauses.training import _inside_answers, _novel

DATASET = dataset_dir()
pytestmark = pytest.mark.skipif(not (DATASET / "labels.jsonl").exists(), reason="CUAD split not available")


@pytest.fixture(scope="module")
def classifier() -> ClauseClassifier:
    return ClauseClassifier.train_or_load()


@pytest.fixture(scope="module")
def unseen(classifier):
    """Validation contracts that state a governing law, an agreement date and parties."""
    fraction = classifier.info.params["validation_fraction"]
    wanted = {"Governing Law", "Agreement Date", "Parties"}
    return [
        c for c in load_contracts(DATASET) if is_validation(c.file, fraction) and wanted <= c.spans.keys()
    ][:3]


def _best(spans, category):
    return max((s for s in spans if s.category == category), key=lambda s: s.score)


def _found(contract, category, text):
    return any(
        matches(category, a, words(a), text, words(text))
        for a in (contract.text[s:e] for s, e in contract.spans[category])
    )


def test_finds_governing_law_and_the_agreement_date_as_tight_spans(classifier, unseen):
    assert len(unseen) == 3
    for contract in unseen:
        spans = classifier.classify(contract.text)
        law = _best(spans, "Governing Law")
        assert _found(contract, "Governing Law", contract.text[law.start : law.end])
        assert "law" in contract.text[law.start : law.end].lower()
        date = _best(spans, "Agreement Date")
        assert date.end - date.start < 40  # the date itself, not its paragraph
        assert _found(contract, "Agreement Date", contract.text[date.start : date.end])


def test_finds_party_names_as_tight_spans(classifier, unseen):
    for contract in unseen:
        names = [
            s
            for s in classifier.classify(contract.text)
            if s.category == "Parties" and s.end - s.start <= 60 and s.score >= 0.5
        ]
        assert any(_found(contract, "Parties", contract.text[s.start : s.end]) for s in names)


def test_scores_are_in_0_1_and_offsets_are_inside_the_text(classifier, unseen):
    text = unseen[0].text
    spans = classifier.classify(text)
    assert {s.category for s in spans} == set(CATEGORIES)
    assert all(0.0 <= s.score <= 1.0 and 0 <= s.start < s.end <= len(text) for s in spans)
    assert classifier.classify("") == []


def test_no_booster_leaf_blows_up(classifier):
    """Without an L2 term, leaves over rows whose scores so far are near zero have tiny hessians: with the
    letter n-gram stage they reached -14,824 and 75.7, and scored nonsense sentences 1.0. The word-only model
    trained on 2026-11-28 had leaves up to 4.6 with the L2 term, 9.7 without."""

    def leaves(node):
        if "leaf_value" in node:
            yield node["leaf_value"]
        else:
            yield from leaves(node["left_child"])
            yield from leaves(node["right_child"])

    for booster in (classifier._model.reranker, classifier._model.novelty):
        trees = booster.dump_model()["tree_info"]
        assert max(abs(value) for tree in trees for value in leaves(tree["tree_structure"])) < 20


def test_extract_clauses_output_format(classifier, unseen, tmp_path):
    for contract in unseen[:2]:
        shutil.copy(DATASET / "contracts" / contract.file, tmp_path / contract.file)
    (tmp_path / "notes.md").write_text("not a contract", encoding="utf-8")
    out = tmp_path / "predictions.jsonl"
    count = write_predictions(tmp_path, out, classifier)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == count > 0
    assert {r["file"] for r in records} == {c.file for c in unseen[:2]}
    texts = {c.file: c.text for c in unseen[:2]}
    for r in records:
        assert set(r) == {"file", "category", "start", "end", "score"}
        assert r["category"] in CATEGORIES and 0.0 <= r["score"] <= 1.0
        assert isinstance(r["start"], int) and 0 <= r["start"] < r["end"] <= len(texts[r["file"]])


def test_artifact_info_records_the_model_version_and_its_validation(classifier):
    info = artifact_info()
    assert info["name"] == "cuad-clause-classifier" and len(info["sha256"]) == 64
    assert info["metrics"]["contracts"] > 50
    assert set(info["metrics"]["per_category"]) == set(CATEGORIES)
    assert info["metrics"]["overall"]["aupr"] > 0.4


def test_a_second_call_loads_the_cached_artifact_without_training(classifier, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("retrained although the artifact is cached")

    monkeypatch.setattr(artifact_module, "train", refuse)
    again = ClauseClassifier.train_or_load()
    assert again.info.sha256 == classifier.info.sha256


def test_a_tampered_artifact_is_refused_before_unpickling(classifier, tmp_path):
    folder = artifact_module.model_dir() / f"cuad-clauses-{classifier.info.version}"
    copy = tmp_path / "artifact"
    copy.mkdir()
    shutil.copy(folder / INFO_FILE, copy / INFO_FILE)
    (copy / MODEL_FILE).write_bytes(b"not the model that was trained")
    with pytest.raises(ArtifactError, match="sha256"):
        load(copy)


def test_candidates_include_tight_date_and_title_spans():
    text = 'SUPPLY AGREEMENT\n\nThis Supply Agreement is made as of the 1st day of June, 2020 by Acme, Inc. ("Acme").'
    found = {(c.kind, text[c.start : c.end]) for c in candidates(text)}
    assert ("date", "the 1st day of June, 2020") in found or ("date", "1st day of June, 2020") in found
    assert ("heading", "SUPPLY AGREEMENT") in found
    assert ("party", "Acme, Inc.") in found and ("party", "Acme") in found


def test_a_date_is_featured_with_the_words_around_it_and_a_sentence_is_not():
    texts = [
        "Agreement made as of June 1, 2020. The goods ship soon.",
        "Shipments left as of June 1, 2020. The goods ship soon.",
    ]
    contracts = [(text, candidates(text)) for text in texts] * 5  # each term in five contracts (min_df)
    features = sparse.hstack(Featurizer().fit_transform(contracts)).toarray()
    rows = {}
    for row, (k, c) in enumerate((k, c) for k, (text, cands) in enumerate(contracts[:2]) for c in cands):
        rows[k, c.kind, texts[k][c.start : c.end]] = features[row]
    assert (rows[0, "date", "June 1, 2020"] != rows[1, "date", "June 1, 2020"]).any()
    assert (rows[0, "sentence", "The goods ship soon."] == rows[1, "sentence", "The goods ship soon."]).all()


def test_the_training_candidates_transform_to_the_blocks_fitted_on_them():
    """The linear stages learn on fit_transform's blocks and score transform's: the two must agree, block by
    block, or a classified contract would be scored on other columns than those the weights were fitted to."""
    texts = ["Made as of June 1, 2020. The Licensee may not sublicense.", "Signed June 2, 2020. It ends."]
    contracts = [(text, candidates(text)) for text in texts] * 5
    featurizer = Featurizer()
    fitted = featurizer.fit_transform(contracts)
    transformed = featurizer.transform(contracts)
    assert len(fitted) == len(transformed) == 2 and all(block.nnz for block in fitted)
    assert all((f != t).nnz == 0 for f, t in zip(fitted, transformed))


def test_the_sentences_of_a_longer_answer_are_marked_part_of_it():
    text = "Either party may end this Agreement. It must give notice first. Prices are fixed."
    answer = (0, text.index(" Prices"))  # two sentences: neither alone reaches CUAD's Jaccard 0.5
    contract = LabelledContract("a.txt", text, {"Termination for Convenience": [answer]})
    cands = candidates(text)
    inside = _inside_answers(contract, cands)[:, CATEGORIES.index("Termination for Convenience")]
    marked = {text[c.start : c.end] for c, part in zip(cands, inside) if part}
    assert {"Either party may end this Agreement.", "It must give notice first."} <= marked
    assert "Prices are fixed." not in marked


def test_a_span_is_novel_only_if_it_finds_an_answer_better_spans_did_not():
    text = "This Agreement is made by Acme, Inc. and Beta LLC."
    contract = LabelledContract("a.txt", text, {"Parties": [(26, 36)]})  # "Acme, Inc."
    # Best first: the sentence holds the answer too (CUAD matches Parties by substring).
    cands = [Candidate(0, len(text), "sentence"), Candidate(26, 36, "party"), Candidate(41, 49, "party")]
    index = np.array([(k, CATEGORIES.index("Parties")) for k in range(3)])
    scores = np.array([0.9, 0.8, 0.3])
    assert _novel(contract, cands, index, scores).tolist() == [1, -1, 0]
    features = novelty_features(text, cands, index, scores)
    assert features[:, 1].tolist() == [0, 1, 2]  # rank in the category
    assert features[:, 2].tolist() == pytest.approx([0, 0.9, 1.7])  # the better spans' scores, summed
    assert features[1:, 6].tolist() == pytest.approx([0.9, 0.9])  # a better span holds their text
    assert features[2, 5] == 0  # "Beta LLC" overlaps the sentence but is not half of it


def test_a_clause_of_several_sentences_is_left_to_its_sentences():
    text = "This Agreement lasts two years. It renews yearly.\n\nNew York law governs this Agreement."
    found = {(c.kind, text[c.start : c.end]) for c in candidates(text)}
    assert ("sentence", "This Agreement lasts two years.") in found
    assert ("sentence", "It renews yearly.") in found
    assert not any(kind == "clause" and "two years" in span for kind, span in found)
    assert ("clause", "New York law governs this Agreement.") in found  # one sentence: the clause is it


def test_parties_come_from_preamble_sentences_and_party_names_only():
    preamble = "This Agreement is made by Acme, Inc. and Beta LLC."
    body = " ".join(["Acme shall deliver the goods on time."] * 60)
    text = f"{preamble}\n\n{body}\n\nACME, INC."
    cands = candidates(text)
    allowed = category_masks(cands, len(text))[:, CATEGORIES.index("Parties")]
    parties = {(c.kind, text[c.start : c.end]) for c, ok in zip(cands, allowed) if ok}
    assert ("sentence", preamble) in parties or ("clause", preamble) in parties
    assert ("heading", "ACME, INC.") in parties  # the signature block
    later = [ok for c, ok in zip(cands, allowed) if c.kind == "sentence" and c.start >= PREAMBLE_CHARS]
    assert later and not any(later)


def test_metric_pools_categories_and_matches_parties_by_substring():
    answers = {("a.txt", "Parties"): ["Acme"], ("a.txt", "Governing Law"): ["laws of the State of New York"]}
    perfect = {
        ("a.txt", "Parties"): {"between Acme and Beta": 0.9},
        ("a.txt", "Governing Law"): {"the laws of the State of New York": 0.8},
    }
    keys = list(answers)
    assert pooled_metrics(answers, perfect, keys)["p_at_80r"] == 1.0
    wrong = {("a.txt", "Governing Law"): {"Delaware courts": 0.99, "the laws of the State of New York": 0.5}}
    result = pooled_metrics(answers, wrong, keys)
    assert result["max_recall"] == 0.5 and result["p_at_80r"] == 0.0
