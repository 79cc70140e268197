from worker.chunking import chunk_text, estimated_tokens

PROSE = "\n\n".join(
    f"Paragraph {n}. The supplier renewed its contracts. Revenue grew in every region." for n in range(40)
)
JAPANESE = (
    "本契約は、株式会社サンプルと山田商事株式会社との間で締結される。代表取締役 山田太郎が署名する。" * 12
)


def test_pieces_fit_the_budget_and_keep_every_word_in_order():
    for text in (PROSE, JAPANESE, "x" * 5000, PROSE.replace("\n\n", " ")):
        for budget in (7, 50, 400):
            pieces = chunk_text(text, budget)
            assert all(piece and estimated_tokens(piece) <= budget for piece in pieces)
            assert "".join("".join(pieces).split()) == "".join(text.split())


def test_pieces_end_at_paragraphs_when_paragraphs_fit():
    pieces = chunk_text(PROSE, 100)
    assert len(pieces) > 1 and all(
        piece.startswith("Paragraph") and piece.endswith("region.") for piece in pieces
    )


def test_japanese_is_cut_after_sentences_and_names_stay_whole():
    pieces = chunk_text(JAPANESE, 100)
    assert len(pieces) > 1 and all(piece.endswith("。") for piece in pieces)
    assert sum(piece.count("山田太郎") for piece in pieces) == 12


def test_short_or_empty_text():
    assert chunk_text("One line.", 100) == ["One line."]
    assert chunk_text(" \n\n\u3000 ", 100) == []


def test_the_estimate_is_generous_for_digits_and_japanese():
    assert estimated_tokens("abcd efgh") == 3
    assert estimated_tokens("1234-5678") == 9
    assert estimated_tokens("山田太郎") == 8
