"""The static sentence vectors (engine/static.py) and their plain-Python WordPiece (engine/wordpiece.py):
the contract other apps rely on (shape, dtype, unit rows, determinism, similar texts closer) and the tokeniser
against `tokenizers` on real texts. The complaint head built on them: test_convolution.py."""

import csv
import json
from pathlib import Path

import numpy as np

from amends.signals.engine import embeddings, static
from amends.signals.engine.model import ARTIFACTS
from amends.signals.engine.wordpiece import WordPiece, pre_tokenise

EVALDATA = Path(__file__).parents[2] / "learning" / "evaldata"


def real_texts() -> list[str]:
    """Real posts committed for evaluation (HateXplain, ThreatGram), and hard cases for the normaliser."""
    with (EVALDATA / "hatexplain" / "hatexplain_sample.csv").open(encoding="utf-8", newline="") as f:
        texts = [r["text"] for r in csv.DictReader(f)]
    threats = json.loads(
        (EVALDATA / "threatgram101" / "threatgram101_sample.json").read_text(encoding="utf-8")
    )
    texts += [r["text"] for r in threats]
    texts += [
        "Café naïve İstanbul ΣΟΦΙΑ straße 日本語 😡🔥 \x0b tab\there \u00a0nbsp \u2028 ﬁ x",
        "a" * 120,
        "\x85x\u200by\x00z\ufffd",
        "Ｆｕｌｌ　ｗｉｄｔｈ, ǅ ẞ and £250 (refund!!) e-mail: me@x.co.uk #fail @Help_Desk",
        "",
        "   ",
    ]
    return texts


def test_encode_contract():
    texts = ["My parcel never arrived.", "my parcel never arrived.", "", "!!!"]
    vectors = static.encode(texts)
    assert vectors.dtype == np.float32 and vectors.shape == (4, static.dim())
    assert np.allclose(np.linalg.norm(vectors[[0, 1, 3]], axis=1), 1.0, atol=1e-5)
    assert not vectors[2].any()  # no tokens: a zero row, never NaN
    assert np.array_equal(vectors[0], vectors[1])  # uncased
    assert static.encode([]).shape == (0, static.dim())


def test_the_same_text_gives_the_same_vector_in_a_fresh_encoder():
    text = "Still waiting for my refund, third time I have asked"
    fresh = static.StaticEncoder(ARTIFACTS)
    assert np.array_equal(fresh.encode([text])[0], static.encode([text])[0])
    assert np.array_equal(static.encode([text, "x"])[0], static.encode([text])[0])


def test_similar_texts_are_closer_than_unrelated_ones():
    a, b, c, d = static.encode(
        [
            "My parcel never arrived and nobody answers my emails",
            "The delivery did not come and no one replies to me",
            "Lovely weather for a picnic in the park today",
            "You charged my card twice for the same bill",
        ]
    )
    assert a @ b > a @ c + 0.3
    assert a @ b > a @ d
    assert a @ d > a @ c  # a service complaint is nearer another complaint than small talk


def test_artifact_is_small_and_described():
    meta = json.loads((ARTIFACTS / static.META).read_text())
    assert meta["dim"] == static.dim() and meta["sif"] == 1e-4
    assert meta["teacher_sha256"] == embeddings.MODEL_SHA256
    assert meta["storage"].startswith("4-bit")
    assert (ARTIFACTS / static.ARTIFACT).stat().st_size < 4_000_000  # no committed file over 4 MB


def test_pre_tokenise_splits_punctuation_and_lowercases():
    assert pre_tokenise("Hello, WORLD!! e-mail\tme") == [
        "hello",
        ",",
        "world",
        "!",
        "!",
        "e",
        "-",
        "mail",
        "me",
    ]
    assert pre_tokenise("Café “quoted”") == ["cafe", "“", "quoted", "”"]


def test_wordpiece_greedy_longest_match_and_unknown_words():
    wp = WordPiece(["[UNK]", "un", "##want", "##ed", "want", ","])
    assert wp.tokens("unwanted, want") == ["un", "##want", "##ed", ",", "want"]
    assert wp.tokens("wanted xyz") == ["want", "##ed", "[UNK]"]
    assert wp.tokens("un" * 60) == ["[UNK]"]  # longer than 100 characters


def test_wordpiece_equals_tokenizers_on_real_texts(encoder):
    """The default install tokenises without `tokenizers`; the extra has it, so the two are compared."""
    from tokenizers import Tokenizer

    directory = embeddings.model_dir()
    theirs = Tokenizer.from_file(str(directory / "tokenizer.json"))
    theirs.no_padding()
    theirs.no_truncation()
    ours = static.load_static().wordpiece
    vocab = (directory / "vocab.txt").read_text(encoding="utf-8").splitlines()
    assert list(ours.vocab) == vocab
    texts = real_texts()
    assert len(texts) > 300
    for text in texts:
        assert ours.ids(text) == theirs.encode(text, add_special_tokens=False).ids, text
