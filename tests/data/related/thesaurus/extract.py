#!/usr/bin/env python3
"""Extracts the one-word synonym groups of Debian's `mythes-ar` thesaurus
(/usr/share/mythes/th_ar_EG_v2.dat, from LibreOffice's dictionaries) into
`synonyms_ar.tsv`: headword, then its synonyms, tab-separated, harakat
removed, only words of Arabic letters, only synonyms that differ from the
headword once folded the way Arshif's analyzer folds (alef forms, ta
marbuta, alef maqsura). Run: python3 extract.py > synonyms_ar.tsv"""
import re
import sys

SOURCE = "/usr/share/mythes/th_ar_EG_v2.dat"
HARAKAT = re.compile("[\u064b-\u0652\u0670\u0640]")
LETTERS = re.compile("^[\u0621-\u064a]{3,10}$")


def bare(word):
    return HARAKAT.sub("", word.strip())


def folded(word):
    return word.translate(str.maketrans("أإآةى", "اااهي"))


def main():
    lines = open(SOURCE, encoding="utf-8").read().split("\n")[1:]
    groups = {}
    i = 0
    while i < len(lines):
        if "|" not in lines[i]:
            i += 1
            continue
        head, count = lines[i].rsplit("|", 1)
        count = int(count) if count.isdigit() else 0
        senses = lines[i + 1 : i + 1 + count]
        i += 1 + count
        head = bare(head)
        if not LETTERS.match(head):
            continue
        synonyms = groups.setdefault(head, [])
        for sense in senses:
            for word in sense.split("|")[1:]:
                word = bare(word)
                if LETTERS.match(word) and folded(word) != folded(head) and word not in synonyms:
                    synonyms.append(word)
    print("# Arabic one-word synonyms from mythes-ar (LibreOffice dictionaries, ar:")
    print("# 2006-2009 Mohamed Kebdani, Taha Zerrouki; GPL-2+ or LGPL-2.1+ or MPL-1.1,")
    print("# used here under MPL-1.1). Extracted by extract.py; see LICENSE.")
    for head in sorted(groups):
        if groups[head]:
            print("\t".join([head] + groups[head]))


if __name__ == "__main__":
    sys.exit(main())
