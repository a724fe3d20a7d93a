"""Cuts the vendored word lists down from their published sources (see SOURCES.md).

Run from this folder:

    python3 cut_lists.py DIST_MALE_FIRST DIST_FEMALE_FIRST DIST_ALL_LAST SMALL_WORDLIST WORDLIST

The three dist files are the 1990 US census name files as shipped in the PyPI package `names`
0.3.0 (`pip download names==0.3.0`); SMALL_WORDLIST is Debian's wbritish-small
(/usr/share/dict/british-english-small), which decides which given names are also common words;
WORDLIST is Debian's wbritish (/usr/share/dict/british-english), the common words themselves.

Writes given_names.txt, surnames.txt and english_words.txt, and checks that ambiguous_names.txt
and not_names.txt (both written by hand) agree with them.
"""
import re
import sys


NAME = re.compile(r"[a-z][a-z'\-]*[a-z]")
# Keep in step with SUFFIXES in ../src/names.rs: the model takes these endings off itself.
SUFFIXES = [("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("ly", ""),
            ("er", ""), ("ers", ""), ("est", ""), ("ness", "")]


def given_names(male, female):
    """Every given name of the 1990 US census lists (men's and women's), most common first (the
    frequencies of the two lists merged: the larger per name)."""
    freq = {}
    for path in (male, female):
        for line in open(path):
            parts = line.split()
            n, f = parts[0].lower(), float(parts[1])
            if NAME.fullmatch(n):
                freq[n] = max(freq.get(n, 0.0), f)
    return [n for n, f in sorted(freq.items(), key=lambda t: (-t[1], t[0]))]


def surnames(census1990):
    """The 15,000 most common surnames of the 1990 census."""
    out = []
    for line in open(census1990):
        n = line.split()[0].lower()
        if NAME.fullmatch(n):
            out.append(n)
        if len(out) == 15000:
            break
    return out


def english_words(wordlist, names):
    """Lower-case words of the list, less those the model derives and those in a name list."""
    low = {w.strip() for w in open(wordlist) if w.strip().isascii() and w.strip().isalpha() and w.strip().islower()}
    derived = lambda w: any(w.endswith(s) and len(w) - len(s) >= 3 and w[: -len(s)] + r in low for s, r in SUFFIXES)
    return sorted(w for w in low if not derived(w) and w not in names)


def words(path):
    return [w for line in open(path) if not line.startswith("#") for w in line.split()]


def main(male, female, census1990, small_wordlist, wordlist):
    # The US lists hold given names that are common English words (Young, Heath, Rich): those
    # are left to ambiguous_names.txt, which the model reads only with a person's context.
    low = {w.strip() for w in open(small_wordlist) if w.strip().islower()}
    ambiguous = set(words("ambiguous_names.txt"))
    given = [n for n in given_names(male, female) if n not in low or n in ambiguous]
    family = surnames(census1990)
    english = english_words(wordlist, set(given) | set(family))
    for path, lines in (("given_names.txt", given), ("surnames.txt", family), ("english_words.txt", english)):
        open(path, "w").write("\n".join(lines) + "\n")
        print(path, len(lines))
    stray = [w for w in words("ambiguous_names.txt") if w not in set(given)]
    listed = set(given) | set(family) | set(english)
    clash = [w for w in words("not_names.txt") if w in listed]
    print("ambiguous_names.txt words not in given_names.txt:", stray)
    print("not_names.txt words already in a list:", clash)


if __name__ == "__main__":
    main(*sys.argv[1:6])
