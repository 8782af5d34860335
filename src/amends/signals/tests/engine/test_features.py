"""What the models read: tokens keep their place in the text."""

from amends.signals.engine.features import normalise_token, tokenise


def test_offsets_line_up_with_tokens():
    text = "Don't 'quote' me: I'M ANGRY ’ ok"
    tokens = tokenise(text)
    offsets = tokens.offsets()
    assert len(offsets) == len(tokens.toks)
    assert [normalise_token(text[a:b]) for a, b in offsets] == tokens.toks
    assert tokens.shouted[tokens.toks.index("angry")]
