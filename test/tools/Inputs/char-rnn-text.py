#!/usr/bin/env python3
"""char-rnn-text.py TEXT VOCAB: writes a text a small character model can
learn (words of a 15-letter alphabet from a fixed list, in an order drawn
from a seeded generator, separated by spaces) and its vocabulary file (every
character once, the 16 of them in sorted order)."""
import random
import sys

words = ["bad", "cafe", "dig", "each", "face", "glob", "hid", "jab",
         "kale", "mob", "nod", "lace", "bead", "cod", "hag"]
rng = random.Random(20261203)
text = " ".join(rng.choice(words) for _ in range(6000)) + "\n"
text = text.replace("\n", " ")
vocab = "".join(sorted(set(text)))
assert len(vocab) == 16, vocab
with open(sys.argv[1], "w") as f:
    f.write(text)
with open(sys.argv[2], "w") as f:
    f.write(vocab)
